import { shanghaiIso } from '../domain/dates.ts';
import { ValidationError } from '../domain/errors.ts';
import type { IndustryRating, InstitutionProfile } from '../domain/model.ts';
import type { Actor, LocalDate } from '../domain/types.ts';
import { mustGetProfile, recordAudit, requireScope, updateProfile, type WorkflowDeps } from './context.ts';

/**
 * The industry association's own 1A–5A rating (DOMAIN.md "The association evaluation"): recorded by
 * the association (role `association`) or the city, shown apart from the regulatory grade, and every
 * change audited. An association records only ratings it made itself.
 */
export interface IndustryRatingInput {
  level: IndustryRating['level'];
  ratedOn: LocalDate;
  ratedBy: string;
  validUntil?: LocalDate | undefined;
}

export async function putIndustryRating(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: IndustryRatingInput,
): Promise<InstitutionProfile> {
  requireScope('putV1AdminInstitutionsByUsccIndustryRating', actor, { ratedBy: input.ratedBy });
  const today = deps.clock.today();
  const problems = [];
  if (input.ratedOn > today)
    problems.push({ path: 'ratedOn', message: `must be today (${today}) or earlier` });
  if (input.validUntil !== undefined && input.validUntil <= input.ratedOn) {
    problems.push({ path: 'validUntil', message: 'must be after ratedOn' });
  }
  if (problems.length > 0) throw new ValidationError('invalid industry rating', problems);
  const before = (await mustGetProfile(deps, uscc)).industryRating;
  const rating: IndustryRating = {
    level: input.level,
    ratedOn: input.ratedOn,
    ratedBy: input.ratedBy,
    validUntil: input.validUntil ?? null,
  };
  const saved = await updateProfile(deps, uscc, (p) =>
    JSON.stringify(p.industryRating) === JSON.stringify(rating) ? null : { ...p, industryRating: rating },
  );
  await audit(deps, actor, saved, 'industry_rating.put', before, rating);
  return saved;
}

export async function deleteIndustryRating(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
): Promise<InstitutionProfile> {
  const current = (await mustGetProfile(deps, uscc)).industryRating;
  requireScope(
    'deleteV1AdminInstitutionsByUsccIndustryRating',
    actor,
    current ? { ratedBy: current.ratedBy } : {},
  );
  const saved = await updateProfile(deps, uscc, (p) =>
    p.industryRating === null ? null : { ...p, industryRating: null },
  );
  if (current) await audit(deps, actor, saved, 'industry_rating.delete', current, null);
  return saved;
}

async function audit(
  deps: WorkflowDeps,
  actor: Actor,
  saved: InstitutionProfile,
  action: string,
  before: IndustryRating | null,
  after: IndustryRating | null,
) {
  // The profile version the change produced names the entry: a repeat that changed nothing adds none.
  const id = `${action}:${saved.uscc}:v${saved.version}`;
  const at = shanghaiIso(deps.clock.now());
  await recordAudit(deps, { id, uscc: saved.uscc, at, actor, action, before, after });
}
