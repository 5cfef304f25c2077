import { shanghaiIso } from '../domain/dates.ts';
import { ConflictError, ForbiddenError, RuleViolationError } from '../domain/errors.ts';
import { isFinalStatus } from '../domain/lifecycle.ts';
import type {
  Contacts,
  GradingResult,
  HighRiskServices,
  InstitutionPrivate,
  InstitutionProfile,
} from '../domain/model.ts';
import { concealFrom, sightOf } from '../domain/permissions.ts';
import { refusal } from '../domain/preconditions.ts';
import { scopeRefusal } from '../domain/scope.ts';
import type { Actor, District, Kind, LocalDate } from '../domain/types.ts';
import { maskPrivate } from '../notify/mask.ts';
import type { AuditEntry } from '../store/audit.ts';
import type { StoredViolation } from '../store/workflow.ts';
import { takeStep } from './assessments.ts';
import { appendEvent, mustGetProfile, recordAudit, requireScope, type WorkflowDeps } from './context.ts';

export interface RegistrationInput {
  uscc: string;
  name: string;
  kind: string;
  district: District;
  address: string;
  aliases?: string[] | undefined;
  contacts?: { phones?: string[] | undefined; wechatOpenIds?: string[] | undefined } | undefined;
  services?: HighRiskServices | undefined;
  offSiteSupervised?: boolean | undefined;
  generalHospital?: boolean | undefined;
}

export interface InstitutionUpdate {
  name?: string | undefined;
  address?: string | undefined;
  aliases?: string[] | undefined;
  contacts?: { phones?: string[] | undefined; wechatOpenIds?: string[] | undefined } | undefined;
  services?: HighRiskServices | undefined;
  offSiteSupervised?: boolean | undefined;
}

function contactsOf(input: RegistrationInput['contacts']): Contacts {
  return { phones: input?.phones ?? [], wechatOpenIds: input?.wechatOpenIds ?? [] };
}

function cleanServices(s: HighRiskServices | undefined): HighRiskServices {
  return {
    generalAnesthesia: s?.generalAnesthesia ?? false,
    liposuction: s?.liposuction ?? false,
    prepaidNonCompliant: s?.prepaidNonCompliant ?? false,
  };
}

/** The profile and private item a registration creates (pure). */
export function newInstitution(
  input: RegistrationInput & { kind: Kind },
  today: LocalDate,
  now: string,
): { profile: InstitutionProfile; priv: InstitutionPrivate } {
  return {
    profile: {
      uscc: input.uscc,
      name: input.name,
      aliases: input.aliases ?? [],
      kind: input.kind,
      district: input.district,
      address: input.address,
      grade: null,
      score: null,
      publishedOn: null,
      currentResultId: null,
      nextReviewDue: null,
      reviewOverdue: false,
      nextReminder: null,
      publicity: null,
      history: [],
      industryRating: null,
      closed: false,
      closedOn: null,
      registeredOn: today,
      version: 1,
      updatedAt: now,
    },
    priv: {
      uscc: input.uscc,
      contacts: contactsOf(input.contacts),
      services: cleanServices(input.services),
      upgradeYears: [],
      upgradeBanUntil: null,
      offSiteSupervised: input.offSiteSupervised ?? false,
      version: 1,
      updatedAt: now,
    },
  };
}

/** Refuses an institution outside the scheme (422) and returns its kind, now known to be in scope. */
export function checkScope(input: {
  kind: string;
  name: string;
  generalHospital?: boolean | undefined;
}): Kind {
  const refusal = scopeRefusal(input);
  if (refusal) throw new RuleViolationError(refusal, 'out_of_scope', { kind: input.kind });
  return input.kind as Kind;
}

/** The public part of a registration, compared to tell a retry or a re-import from a different record. */
export function sameRegistration(p: InstitutionProfile, input: RegistrationInput): boolean {
  return (
    p.name === input.name &&
    p.kind === input.kind &&
    p.district === input.district &&
    p.address === input.address &&
    JSON.stringify(p.aliases) === JSON.stringify(input.aliases ?? [])
  );
}

async function finishRegistration(deps: WorkflowDeps, profile: InstitutionProfile, priv: InstitutionPrivate) {
  await deps.workflow.ensurePrivate(priv);
  await deps.writer.reindex(null, profile);
  await appendEvent(deps, {
    key: `institution_registered:${profile.uscc}`,
    type: 'institution_registered',
    uscc: profile.uscc,
    district: profile.district,
    occurredAt: profile.updatedAt,
    before: null,
    after: { name: profile.name, kind: profile.kind, district: profile.district },
  });
}

/**
 * Registers an institution. Commit point: the conditional put of the profile. A retry of the same
 * registration gets 409 after finishing what the first attempt may have left undone (private item,
 * search index, `institution_registered` event, audit).
 */
export async function registerInstitution(
  deps: WorkflowDeps,
  actor: Actor,
  input: RegistrationInput,
): Promise<InstitutionProfile> {
  const kind = checkScope(input);
  requireScope('postV1AdminInstitutions', actor, { institution: { kind, district: input.district } });
  const { profile, priv } = newInstitution(
    { ...input, kind },
    deps.clock.today(),
    shanghaiIso(deps.clock.now()),
  );
  try {
    await deps.writer.create(profile, priv);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const existing = await mustGetProfile(deps, input.uscc);
    if (sameRegistration(existing, input)) {
      await finishRegistration(deps, existing, { ...priv, updatedAt: existing.updatedAt });
      await auditRegistration(deps, actor, existing, priv);
    }
    throw new ConflictError(`institution ${input.uscc} is already registered`);
  }
  await finishRegistration(deps, profile, priv);
  await auditRegistration(deps, actor, profile, priv);
  return profile;
}

async function auditRegistration(
  deps: WorkflowDeps,
  actor: Actor,
  profile: InstitutionProfile,
  priv: InstitutionPrivate,
) {
  await recordAudit(deps, {
    id: `register:${profile.uscc}`,
    uscc: profile.uscc,
    at: profile.updatedAt,
    actor,
    action: 'institution.register',
    before: null,
    after: { profile: publicPart(profile), private: maskPrivate(priv) },
  });
}

function publicPart(p: InstitutionProfile) {
  const { history: _h, nextReminder: _n, ...rest } = p;
  return rest;
}

/**
 * Updates names, address, aliases, contacts, high-risk services or the off-site flag. Each item is
 * replaced conditionally on the version read; re-sending the same PATCH sets the same values again,
 * so a retry is harmless.
 */
export async function updateInstitution(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  change: InstitutionUpdate,
): Promise<{ profile: InstitutionProfile; private: InstitutionPrivate | null }> {
  const before = await mustGetProfile(deps, uscc);
  requireScope('patchV1AdminInstitutionsByUscc', actor, { institution: before });
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the stored kind passed this check at registration and a name never refuses (DOMAIN.md "Scope")
  if (change.name !== undefined) checkScope({ kind: before.kind, name: change.name });
  const now = shanghaiIso(deps.clock.now());
  let profile = before;
  if (change.name !== undefined || change.address !== undefined || change.aliases !== undefined) {
    profile = await deps.writer.saveProfile(before, {
      ...before,
      name: change.name ?? before.name,
      address: change.address ?? before.address,
      aliases: change.aliases ?? before.aliases,
      updatedAt: now,
    });
  }
  const privBefore = await deps.reader.getPrivate(uscc);
  let priv = privBefore;
  if (
    privBefore &&
    (change.contacts !== undefined || change.services !== undefined || change.offSiteSupervised !== undefined)
  ) {
    priv = await deps.writer.savePrivate(privBefore, {
      ...privBefore,
      contacts: {
        phones: change.contacts?.phones ?? privBefore.contacts.phones,
        wechatOpenIds: change.contacts?.wechatOpenIds ?? privBefore.contacts.wechatOpenIds,
      },
      services: change.services ? { ...privBefore.services, ...change.services } : privBefore.services,
      offSiteSupervised: change.offSiteSupervised ?? privBefore.offSiteSupervised,
      updatedAt: now,
    });
  }
  await recordAudit(deps, {
    id: `update:${profile.version}:${priv?.version ?? 0}`,
    uscc,
    at: now,
    actor,
    action: 'institution.update',
    before: { profile: publicPart(before), private: maskPrivate(privBefore) },
    after: { profile: publicPart(profile), private: maskPrivate(priv) },
  });
  return { profile, private: priv };
}

/**
 * Closes an institution: it stays in history and search, marked closed, and owes no more reminders;
 * its results in progress are withdrawn (a `withdrawn` event each). Commit point: the profile write.
 * A retry gets 409 after finishing the withdrawals and appending `institution_closed` if missing.
 */
export async function closeInstitution(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  closedOn?: LocalDate,
): Promise<InstitutionProfile> {
  const before = await mustGetProfile(deps, uscc);
  requireScope('postV1AdminInstitutionsByUsccClose', actor, { institution: before });
  const refused = refusal('close', { today: deps.clock.today(), institution: before });
  if (refused) {
    await finishClose(deps, actor, before, before);
    throw new ConflictError(`${refused.message}, since ${before.closedOn}`, refused.precondition);
  }
  const after = await deps.writer.saveProfile(before, {
    ...before,
    closed: true,
    closedOn: closedOn ?? deps.clock.today(),
    nextReminder: null,
    updatedAt: shanghaiIso(deps.clock.now()),
  });
  await finishClose(deps, actor, before, after);
  return after;
}

async function finishClose(
  deps: WorkflowDeps,
  actor: Actor,
  before: InstitutionProfile,
  after: InstitutionProfile,
) {
  // Its results in progress are withdrawn: a closed institution is neither publicised nor published.
  for (const r of await deps.results.listForInstitution(after.uscc)) {
    if (isFinalStatus(r.status)) continue;
    await takeStep(deps, actor, r.id, 'withdraw', {
      authorised: true,
      change: () => ({ withdrawnFor: 'closed' }),
    }).catch((err: unknown) => {
      // Withdrawn or published meanwhile by another request.
      if (!(err instanceof ConflictError)) throw err;
    });
  }
  await appendEvent(deps, {
    key: `institution_closed:${after.uscc}`,
    type: 'institution_closed',
    uscc: after.uscc,
    district: after.district,
    occurredAt: after.updatedAt,
    before: { closed: false },
    after: { closed: true, closedOn: after.closedOn },
  });
  await recordAudit(deps, {
    id: `close:${after.uscc}`,
    uscc: after.uscc,
    at: after.updatedAt,
    actor,
    action: 'institution.close',
    before: before.closed ? { closed: false } : publicPart(before),
    after: publicPart(after),
  });
}

export interface AdminInstitutionView {
  profile: InstitutionProfile;
  private: InstitutionPrivate | null;
  results: GradingResult[];
  violations: StoredViolation[];
}

/** Everything regulators know about an institution, contacts and services included (not for guidance). */
export async function getInstitutionForRegulator(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
): Promise<AdminInstitutionView> {
  const profile = await mustGetProfile(deps, uscc);
  requireScope('getV1AdminInstitutionsByUscc', actor, { institution: profile });
  const [stored, results, violations] = await Promise.all([
    deps.reader.getPrivate(uscc),
    deps.results.listForInstitution(uscc),
    deps.workflow.listViolations(uscc),
  ]);
  // The guidance group confirms results; it has no need to reach an institution, so no contacts.
  const priv = stored && concealFrom(actor.role, stored);
  return { profile, private: priv, results, violations };
}

/** The audit trail of city-wide actions (inspection plans). */
export const CITY_TRAIL = 'CITY';

/** The audit trail of an institution (or of the city, CITY_TRAIL), oldest first. */
export async function auditTrail(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  startKey: Record<string, unknown> | null,
  limit: number,
): Promise<{ items: AuditEntry[]; lastKey: Record<string, unknown> | null }> {
  // The city-wide trail (inspection plans) is for those the table gives the whole city.
  if (uscc === CITY_TRAIL) {
    if (sightOf('getV1AdminAudit', actor).district !== null) {
      throw new ForbiddenError('the city-wide audit trail is not in a district’s scope');
    }
  } else requireScope('getV1AdminAudit', actor, { institution: await mustGetProfile(deps, uscc) });
  const page = await deps.audit.list(uscc, startKey, limit);
  // The guidance group reads the trail without the contacts some entries hold (masked as they are).
  return { ...page, items: page.items.map((e) => concealFrom(actor.role, e)) };
}
