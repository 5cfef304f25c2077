import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, nextDay, registeredHospital } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const OWNER = '中国整形美容协会';
const OTHER = '浙江省医学美容协会';

/** A registered hospital that `OWNER` has rated 5A on 2026-11-20: its rating path and the owner's token. */
async function ratedByOwner(dynamo: Parameters<typeof adminHarness>[0]) {
  const h = await adminHarness(dynamo);
  const { uscc } = await registeredHospital(h);
  const path = `/v1/admin/institutions/${uscc}/industry-rating`;
  const owner = await h.token('association', { association: OWNER });
  await expectStatus(h.call('PUT', path, owner, { level: '5A', ratedOn: '2026-11-20', ratedBy: OWNER }), 200);
  return { h, uscc, path, owner };
}

/**
 * Each association's industry rating is its own: another association can neither change nor remove it.
 * Its dates are real: rated today or earlier, valid until a day after it was rated.
 */
describe('an association’s industry rating', () => {
  const dynamo = useTestDynamo();

  it('is refused when rated in the future or valid only until its rating day, each date named with the rule', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, city } = await registeredHospital(h);
    const path = `/v1/admin/institutions/${uscc}/industry-rating`;
    const today = h.clock.today();
    const refused = await h.call('PUT', path, city, {
      level: '4A',
      ratedOn: nextDay(today),
      ratedBy: OWNER,
      validUntil: nextDay(today),
    });
    expect(refused.status).toBe(400);
    const problem = await body(refused);
    expect(problem.detail).toBe('invalid industry rating');
    expect(problem.errors).toEqual([
      { path: 'ratedOn', message: `must be today (${today}) or earlier` },
      { path: 'validUntil', message: 'must be after ratedOn' },
    ]);
    // Rated today, valid from the next day: both bounds are inclusive of what the rule allows.
    await expectStatus(
      h.call('PUT', path, city, { level: '4A', ratedOn: today, ratedBy: OWNER, validUntil: nextDay(today) }),
      200,
    );
  });

  it('cannot be removed, or rewritten in its owner’s name, by another association', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await registeredHospital(h);
    const path = `/v1/admin/institutions/${uscc}/industry-rating`;
    const owner = await h.token('association', { association: OWNER });
    const other = await h.token('association', { association: OTHER });
    const rating = { level: '5A', ratedOn: '2026-11-20', ratedBy: OWNER };
    await expectStatus(h.call('PUT', path, owner, rating), 200);

    const removal = await h.call('DELETE', path, other);
    expect(removal.status).toBe(403);
    expect(removal.headers.get('content-type')).toContain('application/problem+json');
    const rewrite = await h.call('PUT', path, other, { ...rating, level: '1A' });
    expect(rewrite.status).toBe(403);

    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    const shown = detail.industryRatings ?? [detail.industryRating];
    expect(shown).toContainEqual(expect.objectContaining({ level: '5A', ratedBy: OWNER }));
    const { items } = await h.deps.audit.list(uscc, null, 50);
    const ratingChanges = items.filter((e) => e.action.startsWith('industry_rating.'));
    expect(ratingChanges.map((e) => `${e.action}/${e.actor.association}`)).toEqual([
      `industry_rating.put/${OWNER}`,
    ]);
  });

  it('is not there to remove: the removal answers 200 and writes and audits nothing', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, city } = await registeredHospital(h);
    const before = await h.deps.reader.getProfile(uscc, true);
    const removed = await h.call('DELETE', `/v1/admin/institutions/${uscc}/industry-rating`, city);
    expect(removed.status).toBe(200);
    expect((await body(removed)).industryRating).toBeNull();
    expect((await h.deps.reader.getProfile(uscc, true))?.version).toBe(before?.version);
    const { items } = await h.deps.audit.list(uscc, null, 50);
    expect(items.filter((e) => e.action.startsWith('industry_rating.'))).toEqual([]);
  });

  it('keeps several associations’ ratings side by side: one rating each, neither replacing nor removing the other’s', async () => {
    const { h, uscc, path } = await ratedByOwner(dynamo);
    const other = await h.token('association', { association: OTHER });
    await expectStatus(
      h.call('PUT', path, other, { level: '1A', ratedOn: '2026-11-21', ratedBy: OTHER }),
      200,
    );
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(
      detail.industryRatings.map((r: { ratedBy: string; level: string }) => `${r.ratedBy} ${r.level}`),
    ).toEqual([`${OWNER} 5A`, `${OTHER} 1A`]);
    expect(detail.industryRating).toMatchObject({ ratedBy: OTHER, level: '1A' });
    expect((await h.call('DELETE', `${path}?ratedBy=${encodeURIComponent(OWNER)}`, other)).status).toBe(403);
    await expectStatus(h.call('DELETE', `${path}?ratedBy=${encodeURIComponent(OTHER)}`, other), 200);
    const after = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(after.industryRatings).toEqual([expect.objectContaining({ ratedBy: OWNER, level: '5A' })]);
    expect(after.industryRating).toMatchObject({ ratedBy: OWNER });
  });

  it('is replaced, not doubled, when its association rates again, and another association may not ask to remove one it has not got', async () => {
    const { h, uscc, path, owner } = await ratedByOwner(dynamo);
    await expectStatus(
      h.call('PUT', path, owner, { level: '4A', ratedOn: '2026-11-21', ratedBy: OWNER }),
      200,
    );
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail.industryRatings).toEqual([expect.objectContaining({ ratedBy: OWNER, level: '4A' })]);
    // Naming another association's rating, present or not, is acting on it: refused.
    const refused = await h.call('DELETE', `${path}?ratedBy=${encodeURIComponent(OTHER)}`, owner);
    expect(refused.status).toBe(403);
  });
});
