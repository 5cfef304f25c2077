import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import type { GradingResult } from '#shared/domain/model.ts';
import { ResultStore } from '#shared/store/results.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const result = (id: string, overrides: Partial<GradingResult> = {}): GradingResult => ({
  id,
  uscc: '91330106MA0000001X',
  kind: 'clinic',
  district: '西湖区',
  status: 'rechecked',
  score: 90,
  grade: 'B',
  breakdown: null,
  reason: 'initial',
  assessedOn: '2026-11-01',
  assessor: '西湖区卫生健康监督所',
  delegatedTo: null,
  publicity: null,
  openObjections: 0,
  publishedOn: null,
  nextReviewDue: null,
  createdAt: `2026-11-01T10:00:00.000+08:00`,
  createdBy: 'officer',
  version: 1,
  updatedAt: '2026-11-01T10:00:00.000+08:00',
  ...overrides,
});

describe('result store against dynalite', () => {
  const dynamo = useTestDynamo();
  let store: ResultStore;

  beforeEach(async () => {
    store = new ResultStore(dynamo.db, await dynamo.freshTable());
  });

  it('lets exactly one of twenty racing transitions from the same state win', async () => {
    const r = result('r1');
    await store.create(r);
    const window = { startOn: '2026-11-23', endOn: '2026-11-27' };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => store.replace(r, { ...r, status: 'in_publicity', publicity: window })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof ConflictError)).toHaveLength(
      19,
    );
    expect(await store.get('r1')).toMatchObject({ status: 'in_publicity', version: 2 });
  });

  it('lists results in publicity through the sparse index and drops them when they leave it', async () => {
    const a = result('a');
    const b = result('b');
    await store.create(a);
    await store.create(b);
    const inA = await store.replace(a, {
      ...a,
      status: 'in_publicity',
      publicity: { startOn: '2026-11-23', endOn: '2026-11-27' },
    });
    await store.replace(b, {
      ...b,
      status: 'in_publicity',
      publicity: { startOn: '2026-11-24', endOn: '2026-11-30' },
    });
    const ending = await store.listInPublicity({ endingOnOrBefore: '2026-11-27', startKey: null, limit: 10 });
    expect(ending.items.map((r) => r.id)).toEqual(['a']);
    await store.replace(inA, { ...inA, status: 'publicity_ended' });
    const all = await store.listInPublicity({ startKey: null, limit: 10 });
    expect(all.items.map((r) => r.id)).toEqual(['b']);
  });

  it('lists the results of one institution oldest first', async () => {
    await store.create(result('x2', { createdAt: '2026-11-02T10:00:00.000+08:00' }));
    await store.create(result('x1', { createdAt: '2026-11-01T10:00:00.000+08:00' }));
    await store.create(result('other', { uscc: '91330106MA0000002Y' }));
    const list = await store.listForInstitution('91330106MA0000001X');
    expect(list.map((r) => r.id)).toEqual(['x1', 'x2']);
  });
});
