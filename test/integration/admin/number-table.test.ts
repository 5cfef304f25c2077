import { beforeAll, describe, expect, it } from 'vitest';
import { PlanRequestSchema, ScoreSchema } from '#shared/schemas/admin.ts';
import { changedKeys, snapshotTable } from '../../hardening/support/table-snapshot.ts';
import { type AdminHarness, adminHarness, registeredHospital } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * Every numeric field of the write routes, each on its own: a float DynamoDB cannot store (it keeps
 * 1e-130 to 1e126) or one past the field's range or precision is a 400 problem naming that field,
 * and nothing is written.
 */

type Who = 'city' | 'institution';

interface Case {
  field: string;
  who: Who;
  method: string;
  path: string;
  body: (value: number) => unknown;
}

const EXTREME = [1e-300, 5e-324, 1e308, 1e21];

function cases(uscc: string): Case[] {
  const score = (over: Record<string, unknown>) => ({
    uscc,
    score: 90,
    assessedOn: '2026-11-20',
    reason: 'initial',
    ...over,
  });
  const plan = (rate: string, v: number) => ({ year: 2027, seed: 'precision', rates: { [rate]: v } });
  return [
    {
      field: 'score',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments',
      body: (v) => score({ score: v }),
    },
    {
      field: 'breakdown.依法执业',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments',
      body: (v) => score({ breakdown: { 依法执业: v, 医疗质量: 90 } }),
    },
    {
      field: 'score',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/upgrade-applications/u-none/decision',
      body: (v) => ({ outcome: 'accepted', score: v, assessedOn: '2026-11-20' }),
    },
    {
      field: 'breakdown.依法执业',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/upgrade-applications/u-none/decision',
      body: (v) => ({ outcome: 'accepted', score: 96, breakdown: { 依法执业: v }, assessedOn: '2026-11-20' }),
    },
    {
      field: 'selfScore',
      who: 'institution',
      method: 'POST',
      path: `/v1/institutions/${uscc}/upgrade-applications`,
      body: (v) => ({ selfScore: v, report: '自评报告' }),
    },
    ...['A', 'B', 'C', 'D'].map(
      (g): Case => ({
        field: `rates.${g}`,
        who: 'city',
        method: 'POST',
        path: '/v1/admin/inspection-plans',
        body: (v) => plan(g, v),
      }),
    ),
    {
      field: 'lat',
      who: 'city',
      method: 'PUT',
      path: `/v1/admin/institutions/${uscc}/location`,
      body: (v) => ({ lat: v, lng: 120.1551 }),
    },
    {
      field: 'lng',
      who: 'city',
      method: 'PUT',
      path: `/v1/admin/institutions/${uscc}/location`,
      body: (v) => ({ lat: 30.2741, lng: v }),
    },
  ];
}

describe('numbers with a range and a precision on every write route', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  let uscc: string;
  let table: Case[];
  let tokens: Record<Who, string>;

  beforeAll(async () => {
    h = await adminHarness(dynamo);
    ({ uscc } = await registeredHospital(h, '滨江区'));
    table = cases(uscc);
    tokens = { city: await h.token('city'), institution: await h.token('institution', { uscc }) };
  });

  it.each(EXTREME)('refuses %s in every numeric field, naming the field, writing nothing', async (value) => {
    const known = { usccs: [uscc], resultIds: [], years: [2027] };
    for (const c of table) {
      const before = await snapshotTable(dynamo.db, h.table, known);
      const res = await h.call(c.method, c.path, tokens[c.who], c.body(value));
      const problem = await body(res);
      const label = `${c.method} ${c.path} ${c.field}=${value}`;
      expect({ status: res.status, type: res.headers.get('content-type') }, label).toEqual({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        label,
      ).toContain(c.field);
      expect(changedKeys(before, await snapshotTable(dynamo.db, h.table, known)), label).toEqual([]);
    }
  });

  it('refuses a score with two decimals and a rate with five, and keeps the ones at the precision', () => {
    const scoring = { uscc, assessedOn: '2026-11-20', reason: 'initial' };
    expect(ScoreSchema.safeParse({ ...scoring, score: 88.55 }).success).toBe(false);
    expect(ScoreSchema.safeParse({ ...scoring, score: 88.5 }).success).toBe(true);
    const plan = (A: number) => PlanRequestSchema.safeParse({ year: 2027, seed: 's', rates: { A } }).success;
    expect([plan(0.00005), plan(0.12345), plan(0), plan(0.0001), plan(0.1234)]).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('takes -0 as 0 (JSON cannot tell them apart once stored)', () => {
    const parsed = ScoreSchema.safeParse({ uscc, assessedOn: '2026-11-20', reason: 'initial', score: -0 });
    expect(parsed.success).toBe(true);
    expect(PlanRequestSchema.safeParse({ year: 2027, seed: 's', rates: { A: -0 } }).success).toBe(true);
  });
});
