import { shanghaiIso } from '../domain/dates.ts';
import { ValidationError } from '../domain/errors.ts';
import { type IndustryRating, type InstitutionProfile, latestRating, ratingsOf } from '../domain/model.ts';
import { sameData } from '../domain/same-data.ts';
import type { Actor, LocalDate } from '../domain/types.ts';
import { mustGetProfile, recordAudit, requireScope, updateProfile, type WorkflowDeps } from './context.ts';

/**
 * The industry association's own 1A–5A rating (DOMAIN.md "The association evaluation"): recorded by
 * the association (role `association`) or the city, shown apart from the regulatory grade, and every
 * change audited. Each association's rating is its own: one per association and institution, which
 * another association can neither change nor remove (the permission table's `own-rating`).
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
  // Stryker disable next-line ConditionalExpression: `undefined <= date` is false; the guard names the optional field
  if (input.validUntil !== undefined && input.validUntil <= input.ratedOn) {
    problems.push({ path: 'validUntil', message: 'must be after ratedOn' });
  }
  if (problems.length > 0) throw new ValidationError('invalid industry rating', problems);
  const rating: IndustryRating = {
    level: input.level,
    ratedOn: input.ratedOn,
    ratedBy: input.ratedBy,
    validUntil: input.validUntil ?? null,
  };
  const before = ownRating(await mustGetProfile(deps, uscc), rating.ratedBy);
  // One rating per association: this one replaces only the same association's earlier rating.
  const saved = await updateProfile(deps, uscc, (p) => {
    const ratings = ratingsOf(p);
    if (sameData(ownRating(p, rating.ratedBy), rating)) return null;
    return withRatings(p, [...ratings.filter((r) => r.ratedBy !== rating.ratedBy), rating]);
  });
  await audit(deps, actor, saved, 'industry_rating.put', before, rating);
  return saved;
}

/**
 * Removes one association's rating: the one `ratedBy` names, else the one shown as `industryRating`
 * (the most recent). An association may remove only its own.
 */
export async function deleteIndustryRating(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  ratedBy?: string,
): Promise<InstitutionProfile> {
  const profile = await mustGetProfile(deps, uscc);
  const current = ratedBy === undefined ? latestRating(ratingsOf(profile)) : ownRating(profile, ratedBy);
  const operation = 'deleteV1AdminInstitutionsByUsccIndustryRating';
  requireScope(operation, actor, current ? { ratedBy: current.ratedBy } : ratedBy ? { ratedBy } : {});
  if (!current) return profile;
  const saved = await updateProfile(deps, uscc, (p) =>
    ownRating(p, current.ratedBy)
      ? withRatings(
          p,
          ratingsOf(p).filter((r) => r.ratedBy !== current.ratedBy),
        )
      : null,
  );
  await audit(deps, actor, saved, 'industry_rating.delete', current, null);
  return saved;
}

function ownRating(p: InstitutionProfile, ratedBy: string): IndustryRating | null {
  return ratingsOf(p).find((r) => r.ratedBy === ratedBy) ?? null;
}

function withRatings(p: InstitutionProfile, ratings: IndustryRating[]): InstitutionProfile {
  return { ...p, industryRatings: ratings, industryRating: latestRating(ratings) };
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
