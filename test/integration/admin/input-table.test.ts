import { beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, adminHarness, expectStatus, hospitalIn } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * Every route that takes a date or stores text, each field on its own: an impossible date or a
 * control / bidirectional-override character is a 400 problem naming that field. Ids in paths need
 * not exist: the body is checked before anything is looked up.
 */

type Who = 'city' | 'association' | 'institution' | 'public';

interface Case {
  /** The path the problem names. */
  field: string;
  who: Who;
  method: string;
  path: string;
  body: (value: string) => unknown;
}

const IMPOSSIBLE_DATES = ['2026-02-30', '2026-04-31', '2026-02-29'];
/** Invisible format characters (Unicode category Cf): a name holding one can pass for another. */
const INVISIBLE = [
  '\u200B',
  '\u200C',
  '\u200D',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u{E0041}',
];
const UNSAFE = ['\u0000', '\u0008', '\t', '\r\n', '\u001B', '\u007F', '\u0085', '\u202E', '\u2067'];

function cases(uscc: string): { dates: Case[]; texts: Case[] } {
  const inst = `/v1/admin/institutions/${uscc}`;
  const violation = (over: Record<string, string>) => ({
    occurredOn: '2026-11-20',
    type: 'violation',
    severity: 'minor',
    description: '未按规定公示价格',
    ...over,
  });
  const rating = (over: Record<string, string>) => ({
    level: '5A',
    ratedOn: '2021-06-01',
    ratedBy: '中国整形美容协会',
    ...over,
  });
  const score = (over: Record<string, string>) => ({
    uscc,
    score: 90,
    assessedOn: '2026-11-20',
    reason: 'initial',
    ...over,
  });
  const dates: Case[] = [
    {
      field: 'assessedOn',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments',
      body: (d) => score({ assessedOn: d }),
    },
    {
      field: 'occurredOn',
      who: 'city',
      method: 'POST',
      path: `${inst}/violations`,
      body: (d) => violation({ occurredOn: d }),
    },
    {
      field: 'rectifiedOn',
      who: 'city',
      method: 'POST',
      path: `${inst}/violations`,
      body: (d) => violation({ rectifiedOn: d }),
    },
    {
      field: 'rectificationDeadline',
      who: 'city',
      method: 'POST',
      path: `${inst}/violations`,
      body: (d) => violation({ rectificationDeadline: d }),
    },
    {
      field: 'startOn',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments/r-none/publicity',
      body: (d) => ({ startOn: d }),
    },
    { field: 'closedOn', who: 'city', method: 'POST', path: `${inst}/close`, body: (d) => ({ closedOn: d }) },
    {
      field: 'ratedOn',
      who: 'association',
      method: 'PUT',
      path: `${inst}/industry-rating`,
      body: (d) => rating({ ratedOn: d }),
    },
    {
      field: 'validUntil',
      who: 'association',
      method: 'PUT',
      path: `${inst}/industry-rating`,
      body: (d) => rating({ validUntil: d }),
    },
    {
      field: 'assessedOn',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/upgrade-applications/u-none/decision',
      body: (d) => ({ outcome: 'accepted', score: 96, assessedOn: d }),
    },
    {
      field: 'foundOn',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/upgrade-applications/u-none/untrue-finding',
      body: (d) => ({ foundOn: d, foundAt: 'review', reason: '自评报告与现场不符' }),
    },
  ];
  const texts: Case[] = [
    {
      field: 'name',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/institutions',
      body: (t) => ({ ...hospitalIn('滨江区'), name: `杭州${t}医疗美容医院` }),
    },
    {
      field: 'address',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/institutions',
      body: (t) => ({ ...hospitalIn('滨江区'), address: `杭州市${t}1号` }),
    },
    {
      field: 'aliases.0',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/institutions',
      body: (t) => ({ ...hospitalIn('滨江区'), aliases: [`别${t}名`] }),
    },
    {
      field: 'contacts.wechatOpenIds.0',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/institutions',
      body: (t) => ({ ...hospitalIn('滨江区'), contacts: { wechatOpenIds: [`o-${t}1`] } }),
    },
    { field: 'name', who: 'city', method: 'PATCH', path: inst, body: (t) => ({ name: `改${t}名` }) },
    {
      field: 'address',
      who: 'city',
      method: 'PATCH',
      path: inst,
      body: (t) => ({ address: `杭州市${t}2号` }),
    },
    {
      field: 'aliases.0',
      who: 'city',
      method: 'PATCH',
      path: inst,
      body: (t) => ({ aliases: [`别${t}名`] }),
    },
    {
      field: 'assessor',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments',
      body: (t) => score({ assessor: `张${t}三` }),
    },
    {
      field: 'delegatedTo',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments',
      body: (t) => score({ delegatedTo: `协${t}会` }),
    },
    {
      field: 'description',
      who: 'city',
      method: 'POST',
      path: `${inst}/violations`,
      body: (t) => violation({ description: `描${t}述` }),
    },
    {
      field: 'ratedBy',
      who: 'city',
      method: 'PUT',
      path: `${inst}/industry-rating`,
      body: (t) => rating({ ratedBy: `中国${t}整形美容协会` }),
    },
    {
      field: 'resolution',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/objections/o-none/resolve',
      body: (t) => ({ upheld: false, resolution: `驳${t}回` }),
    },
    {
      field: 'resolution',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/assessments/r-none/objections/dismissal',
      body: (t) => ({ resolution: `驳${t}回` }),
    },
    {
      field: 'reason',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/upgrade-applications/u-none/decision',
      body: (t) => ({ outcome: 'refused', reason: `不${t}予` }),
    },
    {
      field: 'reason',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/upgrade-applications/u-none/untrue-finding',
      body: (t) => ({ foundOn: '2026-11-20', foundAt: 'inspection', reason: `不${t}实` }),
    },
    {
      field: 'seed',
      who: 'city',
      method: 'POST',
      path: '/v1/admin/inspection-plans',
      body: (t) => ({ year: 2027, seed: `s${t}d` }),
    },
    {
      field: 'report',
      who: 'institution',
      method: 'POST',
      path: `/v1/institutions/${uscc}/upgrade-applications`,
      body: (t) => ({ selfScore: 96, report: `自评${t}报告` }),
    },
    {
      field: 'wechatOpenIds.0',
      who: 'institution',
      method: 'PUT',
      path: `/v1/institutions/${uscc}/contacts`,
      body: (t) => ({ wechatOpenIds: [`o-${t}1`] }),
    },
    {
      field: 'text',
      who: 'institution',
      method: 'POST',
      path: `/v1/admin/institutions/${uscc}/reply`,
      body: (t) => ({ text: `本院${t}已整改` }),
    },
    {
      field: 'reason',
      who: 'city',
      method: 'POST',
      path: `/v1/admin/institutions/${uscc}/reply/decision`,
      body: (t) => ({ id: 'rpl-none', outcome: 'refused', reason: `不${t}实` }),
    },
    {
      field: 'text',
      who: 'public',
      method: 'POST',
      path: '/v1/publicity/r-none/objections',
      body: (t) => ({ text: `异${t}议` }),
    },
  ];
  return { dates, texts };
}

describe('dates and stored text on every route that takes them', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  let uscc: string;
  let table: { dates: Case[]; texts: Case[] };
  let tokens: Record<Who, string | null>;

  beforeAll(async () => {
    h = await adminHarness(dynamo);
    const reg = hospitalIn('滨江区');
    uscc = reg.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', await h.token('city'), reg), 201);
    table = cases(uscc);
    tokens = {
      city: await h.token('city'),
      association: await h.token('association', { association: '中国整形美容协会' }),
      institution: await h.token('institution', { uscc }),
      public: null,
    };
  });

  async function expectRefused(c: Case, value: string) {
    const res = await h.call(c.method, c.path, tokens[c.who], c.body(value));
    const problem = await body(res);
    expect(
      { status: res.status, type: res.headers.get('content-type') },
      `${c.method} ${c.path} ${c.field}=${JSON.stringify(value)}`,
    ).toEqual({ status: 400, type: expect.stringContaining('application/problem+json') });
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(c.field);
  }

  it.each(IMPOSSIBLE_DATES)('refuses %s in every date field, naming the field', async (day) => {
    for (const c of table.dates) await expectRefused(c, day);
  });

  it('accepts a real 29 February in the same fields (the check is the calendar, not the shape)', async () => {
    for (const c of table.dates.filter((d) => d.path.includes('-none/'))) {
      const res = await h.call(c.method, c.path, tokens[c.who], c.body('2024-02-29'));
      expect(res.status, `${c.path} ${c.field}`).toBe(404);
    }
  });

  it.each(UNSAFE.map((ch) => [JSON.stringify(ch), ch]))(
    'refuses stored text holding %s in every text field, naming the field',
    async (_, ch) => {
      for (const c of table.texts) await expectRefused(c, ch);
    },
  );

  it.each(INVISIBLE.map((ch) => [`U+${ch.codePointAt(0)?.toString(16).toUpperCase()}`, ch]))(
    'refuses stored text holding the invisible %s in every text field, naming the field',
    async (_, ch) => {
      for (const c of table.texts) await expectRefused(c, ch);
    },
  );

  it('refuses an impossible date and a control character in an imported spreadsheet, by row and column', async () => {
    const header =
      '统一社会信用代码,机构名称,类别,所在区县,地址,别名,联系电话,全麻手术,抽脂手术,预付式消费不规范,非现场监管,评分,评分日期,评分原因';
    const a = hospitalIn('西湖区');
    const b = hospitalIn('西湖区');
    const csv = [
      header,
      `${a.uscc},${a.name},医疗美容医院,西湖区,${a.address},,,否,否,否,否,90,2026-02-30,首次`,
      `${b.uscc},杭州\u202E医疗美容医院,医疗美容医院,西湖区,${b.address},,,否,否,否,否,,,`,
    ].join('\r\n');
    const res = await h.app.request('/v1/admin/imports', {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.city}`, 'Content-Type': 'text/csv' },
      body: csv,
    });
    const report = await body(res);
    expect(report.ok).toBe(false);
    const at = (row: number) =>
      report.errors.filter((e: { row: number }) => e.row === row).map((e: { column: string }) => e.column);
    expect(at(2)).toEqual(['评分日期']);
    expect(at(3)).toEqual(['机构名称']);
  });
});
