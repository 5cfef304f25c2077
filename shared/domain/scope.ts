import { kindLabel, kindsInScope, type Rulebook, rulebook } from './rules.ts';
import { KINDS, type Kind } from './types.ts';

/**
 * Scope of the scheme (DOMAIN.md "Scope"): medical-aesthetic hospitals, outpatient departments and
 * clinics only. General hospitals and general outpatient departments that merely have a cosmetic
 * department are out.
 *
 * Decided by kind: an institution is out of scope when its `kind` is not one the rulebook lists in
 * `kinds` (e.g. `general_hospital`) or when the registration says `generalHospital: true`. The name never refuses
 * (“…医疗美容科技有限公司…诊所” is a genuine clinic); a name that reads like a general institution or one
 * of its departments (综合医院, 人民医院, 医疗美容科 …) only earns a warning for the regulator to check.
 */
const GENERAL_NAME =
  /综合医院|综合门诊部|人民医院|中心医院|中医院|中西医结合医院|妇幼保健院|医疗美容科(?!技)|整形美容科(?!技)/;

export interface ScopeInput {
  kind: string;
  name: string;
  generalHospital?: boolean | undefined;
}

/** Why an institution is out of scope, in Chinese and English, or null when it is in scope. */
export function scopeRefusal(input: ScopeInput, book: Rulebook = rulebook()): string | null {
  const kinds = kindsInScope(book);
  const inScope = `only ${kinds.join(', ')} (${kinds.map((k) => kindLabel(k, book)).join('、')}) are graded`;
  if (!(kinds as readonly string[]).includes(input.kind)) {
    return `kind ${input.kind} is out of scope: ${inScope}; general hospitals and general outpatient departments with a cosmetic department are not (综合医院、综合门诊部不在量化分级范围内)`;
  }
  if (input.generalHospital === true) {
    return `a general hospital or general outpatient department is out of scope even with a cosmetic department: ${inScope} (综合医院、综合门诊部不在量化分级范围内)`;
  }
  return null;
}

/** A warning when the name reads like a general institution or one of its departments, else null. */
export function scopeWarning(name: string): string | null {
  const match = GENERAL_NAME.exec(name);
  if (!match) return null;
  return `the name contains “${match[0]}”, which may mark a general institution or one of its departments; check that the registration is of a medical-aesthetic institution (综合性医疗机构及其医疗美容科不在量化分级范围内)`;
}

/** A kind of the scheme's vocabulary (whether the rulebook puts it in scope is scopeRefusal's question). */
export function isKind(kind: string): kind is Kind {
  return (KINDS as readonly string[]).includes(kind);
}

/**
 * Whether an institution counts in the register's "in scope" figures: the grades export lists exactly
 * these, and `/v1/stats` and coverage count exactly these. Decided: a closed institution is out (it
 * can no longer be graded, so it would hold coverage down forever); it stays in search and history.
 */
export function countsInScope(institution: { closed: boolean }): boolean {
  return !institution.closed;
}
