import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { IndustryRating, InstitutionProfile } from '#shared/domain/model.ts';
import type { Actor } from '#shared/domain/types.ts';
import { IndustryRatingRequestSchema } from '#shared/schemas/admin.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import {
  deleteIndustryRating,
  type IndustryRatingInput,
  putIndustryRating,
} from '#shared/services/industry-rating.ts';
import { profileFixture, usccNo } from '../../support/institutions.ts';
import { type MemoryWorkflow, memoryWorkflow } from '../../support/memory-workflow.ts';
import { override } from '../../support/override.ts';

/**
 * The industry association's own 1A–5A rating (docs/rules.md "The association's evaluation"): recorded by
 * the association (only as itself) or the city, one rating per association, another association can neither
 * change nor remove it (docs/security.md `own-rating`), every change audited, none of it in the change feed.
 */

const NOW = '2026-11-23T10:00:00+08:00';
const AT = '2026-11-23T10:00:00.000+08:00';
const TODAY = '2026-11-23';
const OWNER = '中国整形美容协会';
const OTHER = '浙江省医学美容协会';
const uscc = usccNo(1);

const city: Actor = { subject: 'city-officer', role: 'city' };
const owner: Actor = { subject: 'owner-officer', role: 'association', association: OWNER };
const other: Actor = { subject: 'other-officer', role: 'association', association: OTHER };
const refusedRoles: Actor[] = [
  { subject: 'x', role: 'district', district: '西湖区' },
  { subject: 'x', role: 'district_admin', district: '西湖区' },
  { subject: 'x', role: 'guidance' },
  { subject: 'x', role: 'institution', uscc },
];

const ownersRating = {
  level: '5A',
  ratedOn: '2026-11-20',
  ratedBy: OWNER,
  validUntil: '2030-11-19',
} satisfies IndustryRating;
const othersInput: IndustryRatingInput = { level: '2A', ratedOn: '2026-11-21', ratedBy: OTHER };
const othersRating: IndustryRating = { ...othersInput, validUntil: null };

const rated = (overrides: Partial<InstitutionProfile> = {}) =>
  memoryWorkflow({ now: NOW, profiles: [profileFixture(1, overrides)] });

/** Both associations' ratings, the other's being the more recent. */
const ratedByBoth = () =>
  rated({ industryRatings: [ownersRating, othersRating], industryRating: othersRating, version: 3 });

const stored = (m: MemoryWorkflow) => m.profiles.get(uscc);

/** The thrown error, for a look at its wording and fields. */
async function refusal(p: Promise<unknown>): Promise<Error & { errors?: unknown }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

/**
 * `deps` whose first profile write is preceded by `meanwhile` (another request that lands first), so that
 * write finds the profile changed and is refused for its version.
 */
function racing(deps: WorkflowDeps, meanwhile: () => Promise<unknown>): WorkflowDeps {
  let raced = false;
  const saveProfile: WorkflowDeps['writer']['saveProfile'] = async (previous, next) => {
    if (!raced) {
      raced = true;
      await meanwhile();
    }
    return deps.writer.saveProfile(previous, next);
  };
  return { ...deps, writer: override(deps.writer, { saveProfile }) };
}

describe('putIndustryRating', () => {
  it('records the association’s own rating apart from the grade, audits it and feeds nothing', async () => {
    const m = rated();
    const saved = await putIndustryRating(m.deps, owner, uscc, ownersRating);
    expect(saved).toMatchObject({
      grade: 'B',
      industryRating: ownersRating,
      industryRatings: [ownersRating],
      version: 2,
      updatedAt: AT,
    });
    expect(stored(m)).toEqual(saved);
    expect(m.audit).toEqual([
      {
        id: `industry_rating.put:${uscc}:v2`,
        uscc,
        at: AT,
        actor: owner,
        action: 'industry_rating.put',
        before: null,
        after: ownersRating,
      },
    ]);
    expect(m.events).toEqual([]);
  });

  it('keeps a rating without a validity end as null', async () => {
    const m = rated();
    const { validUntil: _none, ...open } = ownersRating;
    const saved = await putIndustryRating(m.deps, city, uscc, open);
    expect(saved.industryRating).toEqual({ ...open, validUntil: null });
    expect(m.audit[0]?.after).toEqual({ ...open, validUntil: null });
  });

  it('lets the city record any association’s rating', async () => {
    const m = rated();
    await putIndustryRating(m.deps, city, uscc, othersInput);
    expect(stored(m)?.industryRatings).toEqual([othersRating]);
    expect(m.audit).toMatchObject([{ action: 'industry_rating.put', actor: city, after: othersRating }]);
  });

  it('replaces only the same association’s earlier rating, showing the most recent as industryRating', async () => {
    const m = ratedByBoth();
    const again = { ...ownersRating, level: '4A', ratedOn: '2026-11-22' } satisfies IndustryRating;
    const saved = await putIndustryRating(m.deps, owner, uscc, again);
    expect(saved.industryRatings).toEqual([othersRating, again]);
    expect(saved.industryRating).toEqual(again);
    expect(m.audit).toEqual([
      {
        id: `industry_rating.put:${uscc}:v4`,
        uscc,
        at: AT,
        actor: owner,
        action: 'industry_rating.put',
        before: ownersRating,
        after: again,
      },
    ]);
  });

  it('keeps the other association’s more recent rating shown when one rates again with an older date', async () => {
    const m = ratedByBoth();
    const saved = await putIndustryRating(m.deps, owner, uscc, { ...ownersRating, level: '3A' });
    expect(saved.industryRatings).toEqual([othersRating, { ...ownersRating, level: '3A' }]);
    expect(saved.industryRating).toEqual(othersRating);
  });

  it('keeps the rating of a profile written before there were several beside a new association’s', async () => {
    const m = rated({ industryRating: ownersRating });
    const saved = await putIndustryRating(m.deps, other, uscc, othersInput);
    expect(saved.industryRatings).toEqual([ownersRating, othersRating]);
    expect(saved.industryRating).toEqual(othersRating);
  });

  it('writes and audits nothing more for the rating already held', async () => {
    const m = rated();
    await putIndustryRating(m.deps, owner, uscc, ownersRating);
    const saved = await putIndustryRating(m.deps, owner, uscc, ownersRating);
    expect(saved.version).toBe(2);
    expect(m.calls.get('writer.saveProfile')).toBe(1);
    expect(m.audit).toHaveLength(1);
  });

  it('writes nothing for the rating already held, whatever order the store reads its fields in', async () => {
    // DynamoDB keeps no order among a map's attributes: the held rating may come back in any order.
    const { validUntil, ratedBy, ratedOn, level } = ownersRating;
    const held = { validUntil, ratedBy, ratedOn, level };
    const m = rated({ industryRatings: [held], industryRating: held });
    const saved = await putIndustryRating(m.deps, owner, uscc, ownersRating);
    expect(saved.version).toBe(1);
    expect(m.calls.get('writer.saveProfile')).toBeUndefined();
  });

  it('rewrites a rating that differs only in its validity end', async () => {
    const m = rated({ industryRatings: [ownersRating], industryRating: ownersRating });
    const saved = await putIndustryRating(m.deps, owner, uscc, { ...ownersRating, validUntil: undefined });
    expect(saved.industryRatings).toEqual([{ ...ownersRating, validUntil: null }]);
    expect(saved.version).toBe(2);
    expect(m.audit).toMatchObject([{ before: ownersRating, after: { ...ownersRating, validUntil: null } }]);
  });

  it('refuses another association’s rating to an association with 403 in its words, changing nothing', async () => {
    const m = rated({ industryRatings: [ownersRating], industryRating: ownersRating });
    const err = await refusal(putIndustryRating(m.deps, other, uscc, { ...ownersRating, level: '1A' }));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe(`${OTHER} acts only on its own rating, not that of ${OWNER}`);
    expect(stored(m)?.industryRatings).toEqual([ownersRating]);
    expect(m.audit).toEqual([]);
  });

  it('refuses every other role with 403 naming the roles that may', async () => {
    for (const actor of refusedRoles) {
      const m = rated();
      const err = await refusal(putIndustryRating(m.deps, actor, uscc, ownersRating));
      expect(err, actor.role).toBeInstanceOf(ForbiddenError);
      expect(err.message).toBe(
        `only city or association may call putV1AdminInstitutionsByUsccIndustryRating, not ${actor.role}`,
      );
      expect(stored(m)?.industryRatings).toBeUndefined();
      expect(m.audit).toEqual([]);
    }
  });

  it('is 404 for an unknown uscc, naming it', async () => {
    const m = rated();
    const err = await refusal(putIndustryRating(m.deps, owner, usccNo(2), ownersRating));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe(`no institution with uscc ${usccNo(2)}`);
    expect(m.audit).toEqual([]);
  });

  it('refuses a rating dated after today and one valid only until its rating day, naming both at once', async () => {
    const m = rated();
    const err = await refusal(
      putIndustryRating(m.deps, city, uscc, {
        ...ownersRating,
        ratedOn: '2026-11-24',
        validUntil: '2026-11-24',
      }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe('invalid industry rating');
    expect(err.errors).toEqual([
      { path: 'ratedOn', message: `must be today (${TODAY}) or earlier` },
      { path: 'validUntil', message: 'must be after ratedOn' },
    ]);
    expect(stored(m)?.industryRatings).toBeUndefined();
    expect(m.audit).toEqual([]);
  });

  it('refuses a validity that ends before the rating day', async () => {
    const m = rated();
    const err = await refusal(
      putIndustryRating(m.deps, city, uscc, { ...ownersRating, validUntil: '2026-11-01' }),
    );
    expect(err.errors).toEqual([{ path: 'validUntil', message: 'must be after ratedOn' }]);
  });

  it('accepts a rating made today and valid from the next day on', async () => {
    const m = rated();
    const today = {
      level: '1A',
      ratedOn: TODAY,
      ratedBy: OWNER,
      validUntil: '2026-11-24',
    } satisfies IndustryRating;
    expect((await putIndustryRating(m.deps, owner, uscc, today)).industryRating).toEqual(today);
  });

  it('lands over a concurrent change of the profile, keeping it', async () => {
    const m = rated();
    const deps = racing(m.deps, () => putIndustryRating(m.deps, other, uscc, othersInput));
    const saved = await putIndustryRating(deps, owner, uscc, ownersRating);
    expect(saved.industryRatings).toEqual([othersRating, ownersRating]);
    expect(saved.version).toBe(3);
    expect(stored(m)).toEqual(saved);
    expect(m.audit.map((e) => [e.id, e.before, e.after])).toEqual([
      [`industry_rating.put:${uscc}:v2`, null, othersRating],
      [`industry_rating.put:${uscc}:v3`, null, ownersRating],
    ]);
  });

  it('adds nothing when the same rating landed meanwhile', async () => {
    const m = rated();
    const deps = racing(m.deps, () => putIndustryRating(m.deps, city, uscc, ownersRating));
    const saved = await putIndustryRating(deps, owner, uscc, ownersRating);
    expect(saved.version).toBe(2);
    expect(m.audit).toHaveLength(1);
  });
});

describe('deleteIndustryRating', () => {
  it('removes the most recent rating when none is named, showing the one left, and audits it', async () => {
    const m = ratedByBoth();
    const saved = await deleteIndustryRating(m.deps, other, uscc);
    expect(saved).toMatchObject({
      industryRatings: [ownersRating],
      industryRating: ownersRating,
      version: 4,
      updatedAt: AT,
    });
    expect(stored(m)).toEqual(saved);
    expect(m.audit).toEqual([
      {
        id: `industry_rating.delete:${uscc}:v4`,
        uscc,
        at: AT,
        actor: other,
        action: 'industry_rating.delete',
        before: othersRating,
        after: null,
      },
    ]);
    expect(m.events).toEqual([]);
  });

  it('removes the rating of the association named, the other’s staying', async () => {
    const m = ratedByBoth();
    const saved = await deleteIndustryRating(m.deps, owner, uscc, OWNER);
    expect(saved.industryRatings).toEqual([othersRating]);
    expect(saved.industryRating).toEqual(othersRating);
    expect(m.audit).toMatchObject([{ actor: owner, before: ownersRating, after: null }]);
  });

  it('lets the city remove any association’s rating, leaving none shown after the last', async () => {
    const m = rated({ industryRating: ownersRating });
    const saved = await deleteIndustryRating(m.deps, city, uscc);
    expect(saved.industryRatings).toEqual([]);
    expect(saved.industryRating).toBeNull();
    expect(m.audit).toMatchObject([{ action: 'industry_rating.delete', actor: city, before: ownersRating }]);
  });

  it('refuses an association the rating of another, shown or named, with 403 in its words', async () => {
    const m = ratedByBoth();
    const shown = await refusal(deleteIndustryRating(m.deps, owner, uscc));
    expect(shown).toBeInstanceOf(ForbiddenError);
    expect(shown.message).toBe(`${OWNER} acts only on its own rating, not that of ${OTHER}`);
    const named = await refusal(deleteIndustryRating(m.deps, other, uscc, OWNER));
    expect(named).toBeInstanceOf(ForbiddenError);
    expect(named.message).toBe(`${OTHER} acts only on its own rating, not that of ${OWNER}`);
    expect(stored(m)?.industryRatings).toEqual([ownersRating, othersRating]);
    expect(m.audit).toEqual([]);
  });

  it('refuses an association that names another’s rating it has not got', async () => {
    const m = rated({ industryRatings: [ownersRating], industryRating: ownersRating });
    const err = await refusal(deleteIndustryRating(m.deps, owner, uscc, OTHER));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe(`${OWNER} acts only on its own rating, not that of ${OTHER}`);
  });

  it('refuses every other role with 403 naming the roles that may, rating there or not', async () => {
    for (const actor of refusedRoles) {
      for (const m of [rated({ industryRating: ownersRating }), rated()]) {
        const err = await refusal(deleteIndustryRating(m.deps, actor, uscc));
        expect(err, actor.role).toBeInstanceOf(ForbiddenError);
        expect(err.message).toBe(
          `only city or association may call deleteV1AdminInstitutionsByUsccIndustryRating, not ${actor.role}`,
        );
        expect(m.calls.get('writer.saveProfile')).toBeUndefined();
      }
    }
  });

  it('is 404 for an unknown uscc, naming it', async () => {
    const m = rated();
    const err = await refusal(deleteIndustryRating(m.deps, city, usccNo(2)));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe(`no institution with uscc ${usccNo(2)}`);
  });

  it('answers the profile unchanged, writing and auditing nothing, when there is no rating to remove', async () => {
    const cases = [
      { actor: city, ratedBy: undefined, ratings: [] },
      { actor: city, ratedBy: OTHER, ratings: [ownersRating] },
      { actor: owner, ratedBy: undefined, ratings: [] },
      { actor: owner, ratedBy: OWNER, ratings: [othersRating] },
    ];
    for (const { actor, ratedBy, ratings } of cases) {
      const m = rated({ industryRatings: ratings, industryRating: ratings[0] ?? null });
      const before = stored(m);
      const answer = await deleteIndustryRating(m.deps, actor, uscc, ratedBy);
      expect(answer, `${actor.role} ${ratedBy}`).toEqual(before);
      expect(m.calls.get('writer.saveProfile')).toBeUndefined();
      expect(m.audit).toEqual([]);
    }
  });

  it('lands over a concurrent change of the profile, keeping it', async () => {
    const m = rated({ industryRatings: [ownersRating], industryRating: ownersRating });
    const deps = racing(m.deps, () => putIndustryRating(m.deps, other, uscc, othersInput));
    const saved = await deleteIndustryRating(deps, owner, uscc, OWNER);
    expect(saved.industryRatings).toEqual([othersRating]);
    expect(saved.industryRating).toEqual(othersRating);
    expect(saved.version).toBe(3);
    expect(m.audit.map((e) => [e.id, e.action])).toEqual([
      [`industry_rating.put:${uscc}:v2`, 'industry_rating.put'],
      [`industry_rating.delete:${uscc}:v3`, 'industry_rating.delete'],
    ]);
  });

  it('writes and audits nothing more when the rating was removed meanwhile', async () => {
    const m = rated({ industryRatings: [ownersRating], industryRating: ownersRating });
    const deps = racing(m.deps, () => deleteIndustryRating(m.deps, city, uscc, OWNER));
    const saved = await deleteIndustryRating(deps, owner, uscc, OWNER);
    expect(saved.version).toBe(2);
    expect(m.calls.get('writer.saveProfile')).toBe(2);
    expect(m.audit).toMatchObject([{ id: `industry_rating.delete:${uscc}:v2`, actor: city }]);
  });
});

/** The request both routes are given (docs/openapi.json `IndustryRatingRequest`): each refusal names its field. */
describe('IndustryRatingRequestSchema', () => {
  const problems = (input: object) => {
    const parsed = IndustryRatingRequestSchema.safeParse(input);
    return parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };
  const request = { level: '5A', ratedOn: '2026-11-20', ratedBy: OWNER, validUntil: '2030-11-19' };

  it('takes the levels 1A to 5A only', () => {
    for (const level of ['1A', '2A', '3A', '4A', '5A']) expect(problems({ ...request, level })).toEqual([]);
    for (const level of ['6A', 'A', '0A', '5a'])
      expect(problems({ ...request, level })).toEqual([
        { path: 'level', message: 'Invalid option: expected one of "1A"|"2A"|"3A"|"4A"|"5A"' },
      ]);
  });

  it('takes real calendar dates only', () => {
    expect(problems({ ...request, ratedOn: '2026-02-30' })).toEqual([
      { path: 'ratedOn', message: 'not a calendar date' },
    ]);
    expect(problems({ ...request, ratedOn: '2026-11-31' })).toEqual([
      { path: 'ratedOn', message: 'not a calendar date' },
    ]);
    expect(problems({ ...request, validUntil: '2027-13-01' })).toEqual([
      { path: 'validUntil', message: 'not a calendar date' },
    ]);
    expect(problems({ ...request, ratedOn: '2024-02-29' })).toEqual([]);
  });

  it('refuses control and bidirectional-override characters in ratedBy, and an empty or missing one', () => {
    const unsafe = [
      {
        path: 'ratedBy',
        message:
          'control characters (U+0000–U+001F, U+007F–U+009F) and invisible format characters (Unicode category Cf, such as U+200B, U+200E, U+202E, U+FEFF) are not allowed',
      },
    ];
    expect(problems({ ...request, ratedBy: '中国整形\u202E美容协会' })).toEqual(unsafe);
    expect(problems({ ...request, ratedBy: '中国整形\u0007美容协会' })).toEqual(unsafe);
    expect(problems({ ...request, ratedBy: '  ' })).toMatchObject([{ path: 'ratedBy' }]);
    const { ratedBy: _omitted, ...unnamed } = request;
    expect(problems(unnamed)).toMatchObject([{ path: 'ratedBy' }]);
  });

  it('refuses a field it does not know', () => {
    expect(problems({ ...request, extra: 1 })).toEqual([{ path: '', message: 'Unrecognized key: "extra"' }]);
  });
});
