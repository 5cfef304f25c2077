/** Core vocabulary of the grading scheme (DOMAIN.md). Pure types and constants, no I/O. */

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export const KINDS = ['hospital', 'outpatient', 'clinic'] as const;
/** hospital = 医疗美容医院, outpatient = 医疗美容门诊部, clinic = 医疗美容诊所; labels and scope in the rulebook. */
export type Kind = (typeof KINDS)[number];

/** A county-level division of the city, one of the rulebook's `districts` (docs/rulebook.md). */
export type District = string;

export const ROLES = [
  'city',
  'district',
  'district_admin',
  'guidance',
  'institution',
  'association',
] as const;
export type Role = (typeof ROLES)[number];

export const RESULT_REASONS = ['initial', 'review', 'upgrade', 'downgrade'] as const;
export type ResultReason = (typeof RESULT_REASONS)[number];

/** States of a grading result (DOMAIN.md "Life of a grading result"). */
export const RESULT_STATUSES = [
  'scored',
  'approved',
  'rechecked',
  'in_publicity',
  'publicity_ended',
  'published',
  'withdrawn',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const VIOLATION_TYPES = ['violation', 'accident', 'adverse_event'] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export const SEVERITIES = ['minor', 'general', 'serious', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The event types the public contract fixes. */
export const CONTRACT_CHANGE_TYPES = [
  'publicity_started',
  'published',
  'downgraded',
  'objection_upheld',
  'withdrawn',
  'institution_registered',
  'institution_closed',
] as const;
/**
 * Types added beyond the contract (docs/api-and-events.md "Extension event types"): a reader that
 * filters by type never receives them unless it names them; one that reads everything skips types it
 * does not know.
 */
export const EXTENSION_CHANGE_TYPES = ['licence_changed'] as const;
export const CHANGE_TYPES = [...CONTRACT_CHANGE_TYPES, ...EXTENSION_CHANGE_TYPES] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export type LocalDate = string;

/** Who performed an action, as recorded in the audit trail. */
export interface Actor {
  subject: string;
  role: Role | 'system' | 'public';
  district?: District;
  uscc?: string;
  /** For `association`: the association it speaks for. */
  association?: string;
}
