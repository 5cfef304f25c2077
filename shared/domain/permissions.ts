import { ForbiddenError } from './errors.ts';
import { scoredBy } from './rules.ts';
import type { Kind, Role } from './types.ts';

/**
 * Who may call each operation of the API, and over what: one table keyed by the OpenAPI `operationId`.
 * Deny by default: an operation missing here, or a role missing from its entry, is refused (403).
 * The HTTP layer enforces the role part before any handler runs (shared/http/permissions.ts); the
 * services apply the scope part to the objects they load, by asking `authorise` with the same id.
 * `docs/security.md`'s role section is rendered from this table (`permissionsMarkdown`).
 */

/** The objects a role reaches through an operation. */
export const SCOPES = {
  'city-wide': 'every institution of the city',
  'city-scored': 'the institutions the rulebook has the city score (hospitals, outpatient departments)',
  'own-district': 'the institutions of its own district that the rulebook has the district score (clinics)',
  'own-institution': 'itself only (the `uscc` claim)',
  'own-rating': 'its own association’s rating only (the `association` claim)',
} as const;
export type Scope = keyof typeof SCOPES;

/** The caller, as far as permissions need it (claims from the token). */
export type ActingParty = {
  role: string;
  district?: string | undefined;
  uscc?: string | undefined;
  association?: string | undefined;
};

export type Authorisation = { allowed: true } | { allowed: false; reason: string };

/** No token needed: anyone. */
export const PUBLIC = 'public';
export type Grant = typeof PUBLIC | Readonly<Partial<Record<Role, Scope>>>;

const REGULATORS = {
  city: 'city-wide',
  guidance: 'city-wide',
  district: 'own-district',
  district_admin: 'own-district',
} as const;
const REGISTRARS = { city: 'city-wide', district: 'own-district' } as const;
const CITY = { city: 'city-wide' } as const;
const RATERS = { city: 'city-wide', association: 'own-rating' } as const;
const ITSELF = { institution: 'own-institution' } as const;

export const PERMISSIONS = {
  getV1Institutions: PUBLIC,
  getV1InstitutionsByUscc: PUBLIC,
  getV1InstitutionsByUsccQrSvg: PUBLIC,
  getV1Stats: PUBLIC,
  getV1Changes: PUBLIC,
  getV1ChangesAtom: PUBLIC,
  getV1Publicity: PUBLIC,
  getV1ObjectionsByReference: PUBLIC,
  getV1PublicityChallenge: PUBLIC,
  getV1ExportGradesCsv: PUBLIC,
  postV1PublicityByResultIdObjections: PUBLIC,

  postV1AdminInstitutions: REGISTRARS,
  getV1AdminInstitutionsByUscc: REGULATORS,
  patchV1AdminInstitutionsByUscc: REGISTRARS,
  postV1AdminInstitutionsByUsccClose: REGISTRARS,
  putV1AdminInstitutionsByUsccIndustryRating: RATERS,
  deleteV1AdminInstitutionsByUsccIndustryRating: RATERS,
  postV1AdminInstitutionsByUsccViolations: REGISTRARS,
  putV1AdminInstitutionsByUsccLicence: REGISTRARS,
  putV1AdminInstitutionsByUsccLocation: REGISTRARS,
  postV1AdminInstitutionsByUsccPhysicians: REGISTRARS,
  deleteV1AdminInstitutionsByUsccPhysiciansByCertificateNo: REGISTRARS,
  getV1AdminInstitutionsByUsccNotices: {
    city: 'city-wide',
    district: 'own-district',
    district_admin: 'own-district',
  },
  postV1AdminImports: REGISTRARS,

  postV1AdminAssessments: { city: 'city-scored', district: 'own-district' },
  getV1AdminAssessmentsById: REGULATORS,
  postV1AdminAssessmentsByIdApprove: { district_admin: 'own-district' },
  postV1AdminAssessmentsByIdRecheck: CITY,
  postV1AdminAssessmentsByIdWithdraw: CITY,
  postV1AdminAssessmentsByIdPublicity: CITY,
  postV1AdminAssessmentsByIdPublish: { guidance: 'city-wide' },

  postV1AdminObjectionsByIdResolve: CITY,
  getV1AdminAssessmentsByIdObjections: REGULATORS,
  postV1AdminAssessmentsByIdObjectionsDismissal: CITY,

  postV1InstitutionsByUsccUpgradeApplications: ITSELF,
  postV1AdminUpgradeApplicationsByIdDecision: REGISTRARS,
  postV1AdminUpgradeApplicationsByIdUntrueFinding: REGISTRARS,
  getV1AdminUpgradeApplicationsById: { ...REGULATORS, ...ITSELF },

  postV1AdminInspectionPlans: CITY,
  getV1AdminInspectionPlansByYear: REGULATORS,
  postV1AdminInspectionPlansByYearCheck: { city: 'city-wide', guidance: 'city-wide' },
  getV1AdminWatchList: REGULATORS,
  getV1AdminCoverage: REGULATORS,
  getV1AdminAudit: REGULATORS,
  getV1AdminCampaignsByYear: REGULATORS,
  getV1AdminCampaignsByYearInstitutions: REGULATORS,

  putV1InstitutionsByUsccContacts: ITSELF,

  postV1AdminInstitutionsByUsccReply: ITSELF,
  getV1AdminInstitutionsByUsccReply: { ...REGULATORS, ...ITSELF },
  postV1AdminInstitutionsByUsccReplyDecision: { city: 'city-scored', district: 'own-district' },
} as const satisfies Record<string, Grant>;

export type OperationId = keyof typeof PERMISSIONS;

/** The table's entry for `operationId`, or undefined: an operation it does not name is refused. */
export function grantOf(operationId: string): Grant | undefined {
  return Object.hasOwn(PERMISSIONS, operationId) ? PERMISSIONS[operationId as OperationId] : undefined;
}

/** The scope `role` reaches through `operation`, or null when the table does not let it call it. */
export function scopeOf(operation: OperationId, role: string): Scope | null {
  const grant: Grant = PERMISSIONS[operation];
  if (grant === PUBLIC) return null;
  return (grant as Partial<Record<string, Scope>>)[role] ?? null;
}

/** The roles `operation` is open to (none for a public one, which needs no token). */
export function rolesOf(operation: OperationId): Role[] {
  const grant: Grant = PERMISSIONS[operation];
  return grant === PUBLIC ? [] : (Object.keys(grant) as Role[]);
}

/** What an operation acts on, as far as the scope needs it. */
export interface Target {
  /** The institution concerned, once loaded. */
  institution?: { uscc?: string; kind: Kind; district: string };
  /** The institution concerned, as the request names it (before it is loaded). */
  uscc?: string;
  /** The association whose industry rating is concerned. */
  ratedBy?: string;
}

const ALLOWED: Authorisation = { allowed: true };
const refuse = (reason: string): Authorisation => ({ allowed: false, reason });

/**
 * Whether `actor` may call `operation` on `target`: the role must be in the operation's entry, and
 * the target inside the scope it grants. Without a target only the role is checked (the HTTP layer,
 * before the object is loaded).
 */
export function authorise(operation: OperationId, actor: ActingParty, target: Target = {}): Authorisation {
  const scope = scopeOf(operation, actor.role);
  if (!scope)
    return refuse(`only ${rolesOf(operation).join(' or ')} may call ${operation}, not ${actor.role}`);
  return inScope(scope, actor, target);
}

/** Whether `target` lies inside `scope` for `actor`. */
export function inScope(scope: Scope, actor: ActingParty, target: Target): Authorisation {
  const inst = target.institution;
  switch (scope) {
    case 'city-wide':
      return ALLOWED;
    case 'city-scored':
      return !inst || scoredBy(inst.kind) === 'city'
        ? ALLOWED
        : refuse(
            'clinics are scored by the district institute of their district (诊所由所在区县监督机构评分)',
          );
    case 'own-district':
      if (!actor.district) return refuse('the token carries no district claim (令牌缺少所属区县)');
      if (!inst) return ALLOWED;
      if (scoredBy(inst.kind) !== 'district') {
        return refuse(
          'a district role acts only on clinics; hospitals and outpatient departments are the city’s (区级仅负责诊所)',
        );
      }
      return inst.district === actor.district
        ? ALLOWED
        : refuse(
            `a ${actor.district} officer may not act on a clinic in ${inst.district} (只能处理本辖区的诊所)`,
          );
    case 'own-institution': {
      const uscc = target.uscc ?? inst?.uscc;
      return uscc === undefined || uscc === actor.uscc
        ? ALLOWED
        : refuse('an institution acts only on itself (只能处理本机构的事项)');
    }
    case 'own-rating':
      return target.ratedBy === undefined || target.ratedBy === actor.association
        ? ALLOWED
        : refuse(
            `${actor.association ?? 'this association'} acts only on its own rating, not that of ${target.ratedBy}`,
          );
  }
}

/** The part of a city-wide list a caller sees: all of it, or what a district's scope holds. */
export type Sight = { district: string | null };

/** The sight `operation` gives `actor` over lists (watch list, coverage, campaign, inspection plan). */
export function sightOf(operation: OperationId, actor: ActingParty): Sight {
  const scope = scopeOf(operation, actor.role);
  if (scope === 'city-wide') return { district: null };
  if (scope === 'own-district' && actor.district) return { district: actor.district };
  throw new ForbiddenError(`${actor.role} may not call ${operation}`);
}

/** Whether an institution is in sight: a district's sight holds the kinds its district scores. */
export function inSight(sight: Sight, inst: { kind: Kind; district: string }): boolean {
  return sight.district === null || (inst.district === sight.district && scoredBy(inst.kind) === 'district');
}

/** Data a role's answers may carry, beyond what the public sees. */
export const FIELD_CLASSES = {
  contacts: 'phone numbers and WeChat openids',
  services: 'high-risk services (general anaesthesia, liposuction, prepaid consumption)',
  objections: 'objection texts and objectors’ data',
  audit: 'audit details (who changed what, before and after)',
} as const;
export type FieldClass = keyof typeof FIELD_CLASSES;

/** What each role may see in its answers (within its scope); the public sees none of it. */
export const SEES: Readonly<Record<Role, readonly FieldClass[]>> = {
  city: ['contacts', 'services', 'objections', 'audit'],
  district: ['contacts', 'services', 'objections', 'audit'],
  district_admin: ['contacts', 'services', 'objections', 'audit'],
  guidance: ['services', 'objections', 'audit'],
  institution: ['contacts'],
  association: [],
};

/** Whether `role` may see data of `field` in its answers. */
export function sees(role: string, field: FieldClass): boolean {
  return (SEES as Partial<Record<string, readonly FieldClass[]>>)[role]?.includes(field) ?? false;
}

/** The keys that hold data of each class wherever it appears (an objection's text only in objections). */
export const FIELD_KEYS: Readonly<Record<FieldClass, readonly string[]>> = {
  contacts: ['contacts', 'phones', 'wechatOpenIds'],
  services: ['services', 'generalAnesthesia', 'liposuction', 'prepaidNonCompliant'],
  objections: ['objections'],
  audit: ['actor', 'decidedByActor', 'foundByActor', 'recordedByActor', 'createdBy', 'decidedBy'],
};

/** `value` without the data `role` may not see, at any depth (e.g. contacts in an audit entry's before/after). */
export function concealFrom<T>(role: string, value: T): T {
  const hidden = new Set(
    (Object.keys(FIELD_KEYS) as FieldClass[]).filter((c) => !sees(role, c)).flatMap((c) => FIELD_KEYS[c]),
  );
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => !hidden.has(k))
        .map(([k, inner]) => [k, walk(inner)]),
    );
  };
  return hidden.size === 0 ? value : (walk(value) as T);
}
