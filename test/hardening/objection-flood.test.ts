import { beforeAll, describe, expect, it } from 'vitest';
import { OBJECTIONS_PER_CLIENT_PER_DAY, OPEN_OBJECTIONS_PER_RESULT } from '#shared/services/objections.ts';
import { type AdminHarness, adminHarness, expectStatus, hospitalInPublicity } from '../support/admin.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { objectFrom } from '../support/proof.ts';

/**
 * The public write under a flood: one address hammering one result, then many addresses doing the
 * same. The limits answer 429 with Retry-After, storage stays bounded by the cap, and the flood can
 * hold publication back only until a regulator triages it, in one decision.
 */

const FROM_ONE = 30;
const ADDRESSES = 60;
const PER_ADDRESS = 2;

const object = (h: AdminHarness, id: string, address: string, text: string) =>
  objectFrom(h.app, id, `${address}, 10.0.0.1`, text);

/** Every stored objection of the result, read a page at a time as a regulator does. */
async function storedObjections(h: AdminHarness, id: string): Promise<{ id: string; status: string }[]> {
  const city = await h.token('city');
  const all: { id: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await body(
      await expectStatus(h.call('GET', `/v1/admin/assessments/${id}/objections?limit=200${q}`, city), 200),
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function expectRefusals(refused: Response[], limit: string) {
  for (const res of refused) {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await body(res)).limit).toBe(limit);
  }
}

describe('an objection flood against one result', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  let id: string;
  beforeAll(async () => {
    h = await adminHarness(dynamo);
    ({ id } = await hospitalInPublicity(h));
  });

  it(`from one address: ${OBJECTIONS_PER_CLIENT_PER_DAY} stored, the other ${FROM_ONE - OBJECTIONS_PER_CLIENT_PER_DAY} answered 429 with Retry-After`, async () => {
    const answers: Response[] = [];
    for (let i = 0; i < FROM_ONE; i++) answers.push(await object(h, id, '203.0.113.7', `一人第${i}条异议`));
    const accepted = answers.filter((r) => r.status === 201);
    expect(accepted).toHaveLength(OBJECTIONS_PER_CLIENT_PER_DAY);
    await expectRefusals(
      answers.filter((r) => r.status !== 201),
      'objections_per_client_per_day',
    );
    expect(await storedObjections(h, id)).toHaveLength(OBJECTIONS_PER_CLIENT_PER_DAY);
  });

  it(`from ${ADDRESSES} addresses: no more than the cap of ${OPEN_OBJECTIONS_PER_RESULT} is stored, the rest 429`, async () => {
    const answers: Response[] = [];
    for (let round = 0; round < PER_ADDRESS; round++) {
      for (let a = 0; a < ADDRESSES; a++) {
        answers.push(await object(h, id, `198.51.100.${a}`, `多人异议 ${a}-${round}`));
      }
    }
    const accepted = answers.filter((r) => r.status === 201).length;
    expect(accepted).toBe(OPEN_OBJECTIONS_PER_RESULT - OBJECTIONS_PER_CLIENT_PER_DAY);
    await expectRefusals(
      answers.filter((r) => r.status !== 201),
      'open_objections_per_result',
    );
    const stored = await storedObjections(h, id);
    expect(stored).toHaveLength(OPEN_OBJECTIONS_PER_RESULT);
    expect(stored.every((o) => o.status === 'open')).toBe(true);
  });

  it('holds publication back by the untriaged objections only, never more than the cap; one bulk dismissal lets it through', async () => {
    const city = await h.token('city');
    const guidance = await h.token('guidance');
    h.clock.set('2026-12-01T09:00:00+08:00');
    const publish = () => h.call('POST', `/v1/admin/assessments/${id}/publish`, guidance);

    const blocked = await publish();
    expect(blocked.status).toBe(409);
    expect((await body(blocked)).detail).toContain(
      `${OPEN_OBJECTIONS_PER_RESULT} objection(s) are still open`,
    );

    // A triaged objection no longer counts: one decided on its own leaves the others blocking.
    const [first] = await storedObjections(h, id);
    await expectStatus(
      h.call('POST', `/v1/admin/objections/${first!.id}/resolve`, city, {
        upheld: false,
        resolution: '不成立',
      }),
      200,
    );
    const still = await publish();
    expect(still.status).toBe(409);
    expect((await body(still)).detail).toContain(
      `${OPEN_OBJECTIONS_PER_RESULT - 1} objection(s) are still open`,
    );

    const dismissal = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${id}/objections/dismissal`, city, {
          resolution: '批量提交，经核查不成立',
        }),
        200,
      ),
    );
    expect(dismissal.dismissed).toHaveLength(OPEN_OBJECTIONS_PER_RESULT - 1);
    expect(dismissal.result.openObjections).toBe(0);
    const published = await body(await expectStatus(publish(), 200));
    expect(published.status).toBe('published');
    // Triaged objections stay on record; nothing was added by the flood beyond the cap.
    const stored = await storedObjections(h, id);
    expect(stored).toHaveLength(OPEN_OBJECTIONS_PER_RESULT);
    expect(stored.every((o) => o.status === 'dismissed')).toBe(true);
  });
});
