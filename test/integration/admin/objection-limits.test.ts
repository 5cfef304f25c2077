import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { secondsToShanghaiMidnight } from '#shared/domain/dates.ts';
import { OBJECTIONS_PER_CLIENT_PER_DAY, OPEN_OBJECTIONS_PER_RESULT } from '#shared/services/objections.ts';
import { type AdminHarness, adminHarness, expectStatus, hospitalInPublicity } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { objectFrom } from '../../support/proof.ts';

const inPublicity = async (h: AdminHarness) => (await hospitalInPublicity(h)).id;
const object = (h: AdminHarness, id: string, address: string, text: string) =>
  objectFrom(h.app, id, address, text);

async function stored(h: AdminHarness, id: string): Promise<number> {
  return (await h.deps.workflow.listObjections(id)).length;
}

describe('objection limits', () => {
  const dynamo = useTestDynamo();

  it('takes 3 objections a day from one address to one result and answers the rest 429 with Retry-After', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 40; i++) {
      last = await object(h, id, '203.0.113.7', `第${i}条异议`);
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(OBJECTIONS_PER_CLIENT_PER_DAY);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - OBJECTIONS_PER_CLIENT_PER_DAY);
    expect(last!.headers.get('content-type')).toContain('application/problem+json');
    // 10:00 in Shanghai: 14 hours to midnight.
    expect(last!.headers.get('retry-after')).toBe(String(14 * 3600));
    expect((await body(last!)).limit).toBe('objections_per_client_per_day');
    expect(await stored(h, id)).toBe(3);
    // Another address still gets through, and the next day the first one does again.
    await expectStatus(object(h, id, '198.51.100.2', '另一位投诉人'), 201);
    h.clock.set('2026-11-24T00:00:01+08:00');
    await expectStatus(object(h, id, '203.0.113.7', '次日再提'), 201);
    // The raw address is not stored anywhere in the table.
    const all = await dynamo.db.send(new ScanCommand({ TableName: h.table }));
    expect(JSON.stringify(all.Items)).not.toContain('203.0.113.7');
  });

  it('caps the open objections of a result, whatever the number of addresses', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    let accepted = 0;
    let refused: Response | null = null;
    for (let i = 0; i < OPEN_OBJECTIONS_PER_RESULT + 10; i++) {
      const res = await object(h, id, `192.0.2.${i}`, `异议 ${i}`);
      if (res.status === 201) accepted++;
      else refused = res;
    }
    expect(accepted).toBe(OPEN_OBJECTIONS_PER_RESULT);
    expect(refused!.status).toBe(429);
    expect(refused!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await body(refused!)).limit).toBe('open_objections_per_result');
    expect(await stored(h, id)).toBe(OPEN_OBJECTIONS_PER_RESULT);
  });

  it('folds the same text to the same result into one objection: the second is 409 and not stored', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    const first = await body(await expectStatus(object(h, id, '203.0.113.9', '评分过高'), 201));
    const again = await object(h, id, '198.51.100.9', '  评分过高 ');
    expect(again.status).toBe(409);
    expect((await body(again)).detail).toContain(first.id);
    expect(await stored(h, id)).toBe(1);
  });

  it('pages the objections for regulators and dismisses a flood in one decision, after which publication goes through', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    for (let i = 0; i < 45; i++) await expectStatus(object(h, id, `192.0.2.${i}`, `异议 ${i}`), 201);
    const city = await h.token('city');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await body(
        await expectStatus(h.call('GET', `/v1/admin/assessments/${id}/objections?limit=20${q}`, city), 200),
      );
      expect(page.items.length).toBeLessThanOrEqual(20);
      seen.push(...page.items.map((o: { id: string }) => o.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(new Set(seen).size).toBe(45);
    expect(pages).toBe(3);
    const bad = await h.call('GET', `/v1/admin/assessments/${id}/objections?cursor=nonsense`, city);
    expect(bad.status).toBe(400);

    // A set of ids first, then everything still open.
    const some = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${id}/objections/dismissal`, city, {
          resolution: '重复提交',
          ids: seen.slice(0, 5),
        }),
        200,
      ),
    );
    expect(some.dismissed).toHaveLength(5);
    expect(
      (
        await h.call('POST', `/v1/admin/assessments/${id}/objections/dismissal`, await h.token('guidance'), {
          resolution: 'x',
        })
      ).status,
    ).toBe(403);
    const rest = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${id}/objections/dismissal`, city, {
          resolution: '经核查不成立',
        }),
        200,
      ),
    );
    expect(rest.dismissed).toHaveLength(40);
    expect(rest.result.openObjections).toBe(0);
    h.clock.set('2026-12-01T09:00:00+08:00');
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')), 200);
  });

  it('counts seconds to the next midnight in Asia/Shanghai', () => {
    expect(secondsToShanghaiMidnight(new Date('2026-11-23T23:59:59+08:00'))).toBe(1);
    expect(secondsToShanghaiMidnight(new Date('2026-11-23T00:00:00+08:00'))).toBe(86_400);
  });
});
