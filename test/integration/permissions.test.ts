import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIELD_CLASSES,
  type FieldClass,
  grantOf,
  type OperationId,
  PUBLIC,
  type Scope,
  scopeOf,
  sees,
} from '#shared/domain/permissions.ts';
import { ROLES, type Role } from '#shared/domain/types.ts';
import {
  type DocumentedOperation,
  operationsOf,
  permissionsSection,
  SECTION_END,
  SECTION_START,
} from '#shared/http/permissions-doc.ts';
import {
  type AdminHarness,
  adminHarness,
  clinicIn,
  expectStatus,
  hospitalIn,
  newUscc,
  postPublicity,
  scoreResult,
} from '../support/admin.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

/**
 * Every operation of /openapi.json × every role (and no token) × an object in and out of the role's
 * scope, against the permission table: 401 without a token, 403 wherever the table says no, never
 * 401/403 where it says yes, and no answer carrying data the role may not see.
 */

type Caller = Role | 'public';
const CALLERS: readonly Caller[] = ['public', ...ROLES];
const OWN_ASSOCIATION = '中国整形美容协会';
const OTHER_ASSOCIATION = '浙江省医学会医学美学与美容分会';

/** An institution with the objects the operations act on. */
interface Fixture {
  uscc: string;
  kind: 'clinic' | 'hospital';
  district: string;
  /** A result in publicity, with one open objection. */
  resultId: string;
  objectionId: string;
  /** A pending upgrade application. */
  applicationId: string;
  /** A pending statement about its grade (its right to reply). */
  replyId: string;
}

interface Fixtures {
  /** A clinic of 西湖区: the institution token's own, and in the 西湖区 district roles' scope. */
  xihuClinic: Fixture;
  /** A clinic of 滨江区: out of every scope but the city-wide. */
  binjiangClinic: Fixture;
  /** A hospital of 西湖区: what the city scores, out of the district roles' scope. */
  hospital: Fixture;
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** Sent as text/csv. */
  csv?: string;
}

/** How to call each operation on an institution (the scope decides which one). */
const CALLS: Record<OperationId, (f: Fixture, ctx: { today: string; ratedBy: string }) => Call> = {
  getV1Institutions: () => ({ method: 'GET', path: '/v1/institutions?q=测试' }),
  getV1InstitutionsByUscc: (f) => ({ method: 'GET', path: `/v1/institutions/${f.uscc}` }),
  getV1InstitutionsByUsccQrSvg: (f) => ({ method: 'GET', path: `/v1/institutions/${f.uscc}/qr.svg` }),
  getV1Stats: () => ({ method: 'GET', path: '/v1/stats' }),
  getV1Changes: () => ({ method: 'GET', path: '/v1/changes' }),
  getV1ChangesAtom: () => ({ method: 'GET', path: '/v1/changes.atom' }),
  getV1Publicity: () => ({ method: 'GET', path: '/v1/publicity' }),
  getV1ObjectionsByReference: () => ({ method: 'GET', path: '/v1/objections/ZZZZ-ZZZZ' }),
  getV1PublicityChallenge: () => ({ method: 'GET', path: '/v1/publicity/challenge' }),
  getV1ExportGradesCsv: () => ({ method: 'GET', path: '/v1/export/grades.csv' }),
  postV1PublicityByResultIdObjections: (f) => ({
    method: 'POST',
    path: `/v1/publicity/${f.resultId}/objections`,
    body: { text: `异议 ${newUscc()}` },
  }),
  postV1AdminInstitutions: (f) => ({
    method: 'POST',
    path: '/v1/admin/institutions',
    body: f.kind === 'clinic' ? clinicIn(f.district) : hospitalIn(f.district),
  }),
  getV1AdminInstitutionsByUscc: (f) => ({ method: 'GET', path: `/v1/admin/institutions/${f.uscc}` }),
  patchV1AdminInstitutionsByUscc: (f) => ({
    method: 'PATCH',
    path: `/v1/admin/institutions/${f.uscc}`,
    body: { address: `杭州市${f.district}新路9号` },
  }),
  postV1AdminInstitutionsByUsccClose: (f) => ({
    method: 'POST',
    path: `/v1/admin/institutions/${f.uscc}/close`,
    body: {},
  }),
  putV1AdminInstitutionsByUsccIndustryRating: (f, { today, ratedBy }) => ({
    method: 'PUT',
    path: `/v1/admin/institutions/${f.uscc}/industry-rating`,
    body: { level: '4A', ratedOn: today, ratedBy },
  }),
  deleteV1AdminInstitutionsByUsccIndustryRating: (f, { ratedBy }) => ({
    method: 'DELETE',
    path: `/v1/admin/institutions/${f.uscc}/industry-rating?ratedBy=${encodeURIComponent(ratedBy)}`,
  }),
  postV1AdminInstitutionsByUsccViolations: (f, { today }) => ({
    method: 'POST',
    path: `/v1/admin/institutions/${f.uscc}/violations`,
    body: { occurredOn: today, type: 'violation', severity: 'minor', description: '未按规定公示价格' },
  }),
  putV1AdminInstitutionsByUsccLicence: (f) => ({
    method: 'PUT',
    path: `/v1/admin/institutions/${f.uscc}/licence`,
    body: { number: 'PDY00123X33010617D2192', subjects: ['美容皮肤科'], surgeryLevel: null },
  }),
  putV1AdminInstitutionsByUsccLocation: (f) => ({
    method: 'PUT',
    path: `/v1/admin/institutions/${f.uscc}/location`,
    body: { lat: 30.2741, lng: 120.1551 },
  }),
  postV1AdminInstitutionsByUsccPhysicians: (f, { today }) => ({
    method: 'POST',
    path: `/v1/admin/institutions/${f.uscc}/physicians`,
    body: {
      name: '林晓雯',
      subject: '美容皮肤科',
      certificateNo: `1103301${newUscc().slice(-8)}`,
      since: today,
    },
  }),
  deleteV1AdminInstitutionsByUsccPhysiciansByCertificateNo: (f) => ({
    method: 'DELETE',
    path: `/v1/admin/institutions/${f.uscc}/physicians/110330100012345`,
  }),
  getV1AdminInstitutionsByUsccNotices: (f) => ({
    method: 'GET',
    path: `/v1/admin/institutions/${f.uscc}/notices`,
  }),
  postV1AdminImports: (f, { today }) => ({
    method: 'POST',
    path: '/v1/admin/imports',
    csv: [
      '统一社会信用代码,机构名称,类别,所在区县,地址',
      `${newUscc()},${f.district.slice(0, 2)}导入医疗美容${f.kind === 'clinic' ? '诊所' : '医院'}${today.slice(-2)},${
        f.kind === 'clinic' ? '医疗美容诊所' : '医疗美容医院'
      },${f.district},杭州市${f.district}导入路1号`,
    ].join('\n'),
  }),
  postV1AdminAssessments: (f, { today }) => ({
    method: 'POST',
    path: '/v1/admin/assessments',
    body: { uscc: f.uscc, score: 88, assessedOn: today, reason: 'review' },
  }),
  getV1AdminAssessmentsById: (f) => ({ method: 'GET', path: `/v1/admin/assessments/${f.resultId}` }),
  postV1AdminAssessmentsByIdApprove: (f) => step(f, 'approve'),
  postV1AdminAssessmentsByIdRecheck: (f) => step(f, 'recheck'),
  postV1AdminAssessmentsByIdWithdraw: (f) => step(f, 'withdraw'),
  postV1AdminAssessmentsByIdPublicity: (f) => step(f, 'publicity'),
  postV1AdminAssessmentsByIdPublish: (f) => step(f, 'publish'),
  postV1AdminObjectionsByIdResolve: (f) => ({
    method: 'POST',
    path: `/v1/admin/objections/${f.objectionId}/resolve`,
    body: { upheld: false, resolution: '经核查不属实' },
  }),
  getV1AdminAssessmentsByIdObjections: (f) => ({
    method: 'GET',
    path: `/v1/admin/assessments/${f.resultId}/objections`,
  }),
  postV1AdminAssessmentsByIdObjectionsDismissal: (f) => ({
    method: 'POST',
    path: `/v1/admin/assessments/${f.resultId}/objections/dismissal`,
    body: { resolution: '经核查不属实' },
  }),
  postV1InstitutionsByUsccUpgradeApplications: (f) => ({
    method: 'POST',
    path: `/v1/institutions/${f.uscc}/upgrade-applications`,
    body: { selfScore: 92, report: '自评报告' },
  }),
  postV1AdminUpgradeApplicationsByIdDecision: (f) => ({
    method: 'POST',
    path: `/v1/admin/upgrade-applications/${f.applicationId}/decision`,
    body: { outcome: 'refused', reason: '材料不全' },
  }),
  postV1AdminUpgradeApplicationsByIdUntrueFinding: (f, { today }) => ({
    method: 'POST',
    path: `/v1/admin/upgrade-applications/${f.applicationId}/untrue-finding`,
    body: { foundOn: today, foundAt: 'review', reason: '自评不实' },
  }),
  getV1AdminUpgradeApplicationsById: (f) => ({
    method: 'GET',
    path: `/v1/admin/upgrade-applications/${f.applicationId}`,
  }),
  postV1AdminInspectionPlans: () => ({
    method: 'POST',
    path: '/v1/admin/inspection-plans',
    body: { year: 2028, seed: 'matrix', rates: { D: 0.5 } },
  }),
  getV1AdminInspectionPlansByYear: () => ({ method: 'GET', path: '/v1/admin/inspection-plans/2027' }),
  postV1AdminInspectionPlansByYearCheck: () => ({
    method: 'POST',
    path: '/v1/admin/inspection-plans/2027/check',
  }),
  getV1AdminWatchList: () => ({ method: 'GET', path: '/v1/admin/watch-list' }),
  getV1AdminCoverage: () => ({ method: 'GET', path: '/v1/admin/coverage' }),
  getV1AdminAudit: (f) => ({ method: 'GET', path: `/v1/admin/audit?uscc=${f.uscc}` }),
  getV1AdminCampaignsByYear: (f) => ({
    method: 'GET',
    path: `/v1/admin/campaigns/2026?district=${encodeURIComponent(f.district)}`,
  }),
  getV1AdminCampaignsByYearInstitutions: (f) => ({
    method: 'GET',
    path: `/v1/admin/campaigns/2026/institutions?district=${encodeURIComponent(f.district)}`,
  }),
  putV1InstitutionsByUsccContacts: (f) => ({
    method: 'PUT',
    path: `/v1/institutions/${f.uscc}/contacts`,
    body: { phones: ['13900001111'], wechatOpenIds: [] },
  }),
  postV1AdminInstitutionsByUsccReply: (f) => ({
    method: 'POST',
    path: `/v1/admin/institutions/${f.uscc}/reply`,
    body: { text: '我院已完成整改，欢迎监督。' },
  }),
  getV1AdminInstitutionsByUsccReply: (f) => ({
    method: 'GET',
    path: `/v1/admin/institutions/${f.uscc}/reply`,
  }),
  postV1AdminInstitutionsByUsccReplyDecision: (f) => ({
    method: 'POST',
    path: `/v1/admin/institutions/${f.uscc}/reply/decision`,
    body: { id: f.replyId, outcome: 'refused', reason: '表述与事实不符' },
  }),
};

function step(f: Fixture, action: string): Call {
  return { method: 'POST', path: `/v1/admin/assessments/${f.resultId}/${action}` };
}

/** Operations whose object has no institution: a district's part is filtered, never refused. */
const UNADDRESSED = new Set<string>([
  'postV1AdminInspectionPlans',
  'getV1AdminInspectionPlansByYear',
  'postV1AdminInspectionPlansByYearCheck',
  'getV1AdminWatchList',
  'getV1AdminCoverage',
]);

/** The institution in, and out of, a scope. */
function targets(scope: Scope | null, f: Fixtures): { in: Fixture; out: Fixture } {
  // The tokens are of 西湖区, of the 西湖区 clinic, and of the association that rated it.
  return scope === 'city-scored'
    ? { in: f.hospital, out: f.xihuClinic }
    : { in: f.xihuClinic, out: f.binjiangClinic };
}

/** The keys that mark data of each class in an answer. */
const MARKERS: Record<FieldClass, (o: Record<string, unknown>) => boolean> = {
  contacts: (o) => 'phones' in o || 'wechatOpenIds' in o || 'contacts' in o,
  services: (o) => 'services' in o || 'generalAnesthesia' in o || 'liposuction' in o,
  objections: (o) => 'text' in o && 'lodgedAt' in o,
  audit: (o) =>
    ['actor', 'decidedByActor', 'foundByActor', 'recordedByActor', 'createdBy'].some((k) => k in o),
};

/** The classes of data found anywhere in a JSON value. */
function classesIn(value: unknown, found = new Set<FieldClass>()): Set<FieldClass> {
  if (Array.isArray(value)) for (const v of value) classesIn(v, found);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const c of Object.keys(MARKERS) as FieldClass[]) if (MARKERS[c](o)) found.add(c);
    for (const v of Object.values(o)) classesIn(v, found);
  }
  return found;
}

async function fixtures(h: AdminHarness): Promise<Fixtures> {
  const city = await h.token('city');
  const guidance = await h.token('guidance');
  const officer = (district: string) => h.token('district', { district });
  const admin = (district: string) => h.token('district_admin', { district });
  const regs = [clinicIn('西湖区'), clinicIn('滨江区'), hospitalIn('西湖区')];
  const scorer = async (r: (typeof regs)[number]) => (r.kind === 'clinic' ? officer(r.district) : city);
  const throughPublicity = async (r: (typeof regs)[number], reason: 'initial' | 'review') => {
    const scored = await scoreResult(h, await scorer(r), r.uscc, 80, reason);
    if (r.kind === 'clinic') {
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${scored.id}/approve`, await admin(r.district)),
        200,
      );
      await expectStatus(h.call('POST', `/v1/admin/assessments/${scored.id}/recheck`, city), 200);
    }
    const window = await postPublicity(h, city, scored.id);
    return { id: scored.id as string, endOn: window.endOn };
  };
  for (const r of regs) await expectStatus(h.call('POST', '/v1/admin/institutions', city, r), 201);
  // A published C for each, so each may apply for an upgrade.
  const first = [];
  for (const r of regs) first.push(await throughPublicity(r, 'initial'));
  // The Monday after publicity (ending Friday 2026-11-27): the next publicity starts at once.
  expect(first.map((f) => f.endOn)).toEqual(['2026-11-27', '2026-11-27', '2026-11-27']);
  h.clock.set('2026-11-30T09:00:00+08:00');
  for (const f of first)
    await expectStatus(h.call('POST', `/v1/admin/assessments/${f.id}/publish`, guidance), 200);
  const out: Fixture[] = [];
  for (const r of regs) {
    const me = await h.token('institution', { uscc: r.uscc });
    const application = await body(
      await expectStatus(
        h.call('POST', `/v1/institutions/${r.uscc}/upgrade-applications`, me, {
          selfScore: 90,
          report: '自评',
        }),
        201,
      ),
    );
    const reply = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/institutions/${r.uscc}/reply`, me, { text: `本机构的说明 ${r.uscc}` }),
        201,
      ),
    );
    const review = await throughPublicity(r, 'review');
    const objection = await body(
      await expectStatus(
        h.call('POST', `/v1/publicity/${review.id}/objections`, null, { text: `评分偏高 ${r.uscc}` }),
        201,
      ),
    );
    out.push({
      uscc: r.uscc,
      kind: r.kind as Fixture['kind'],
      district: r.district,
      resultId: review.id,
      objectionId: objection.id,
      applicationId: application.id,
      replyId: reply.id,
    });
  }
  const [xihuClinic, binjiangClinic, hospital] = out as [Fixture, Fixture, Fixture];
  await expectStatus(
    h.call('POST', '/v1/admin/inspection-plans', city, { year: 2027, seed: 's', rates: { C: 0.35 } }),
    201,
  );
  // The own association rated the 西湖区 clinic, another association the 滨江区 clinic.
  for (const [f, ratedBy] of [
    [xihuClinic, OWN_ASSOCIATION],
    [binjiangClinic, OTHER_ASSOCIATION],
  ] as const) {
    await expectStatus(
      h.call('PUT', `/v1/admin/institutions/${f.uscc}/industry-rating`, city, {
        level: '3A',
        ratedOn: h.clock.today(),
        ratedBy,
      }),
      200,
    );
  }
  return { xihuClinic, binjiangClinic, hospital };
}

interface Cell {
  operation: OperationId;
  caller: Caller;
  target: 'in' | 'out';
  call: Call;
  /** What the table says: 401, 403, or allowed. */
  expected: 401 | 403 | 'allowed';
}

describe('the permission table over every operation, role and scope', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  let documented: DocumentedOperation[];
  let data: Fixtures;

  beforeAll(async () => {
    h = await adminHarness(dynamo);
    documented = operationsOf(await body(await h.app.request('/openapi.json')));
    data = await fixtures(h);
  }, 120_000);

  it('has an entry, and a call here, for every documented operation, and none for an undocumented one', () => {
    const ids = documented.map((d) => d.id);
    expect(
      ids.filter((id) => grantOf(id) === undefined),
      'operations missing from the table',
    ).toEqual([]);
    expect(
      ids.filter((id) => !(id in CALLS)),
      'operations this test cannot call',
    ).toEqual([]);
    expect(
      Object.keys(CALLS).filter((id) => !ids.includes(id)),
      'table entries for no operation',
    ).toEqual([]);
  });

  it('is what docs/security.md shows', () => {
    const page = readFileSync('docs/security.md', 'utf8');
    const section = page.slice(page.indexOf(SECTION_START), page.indexOf(SECTION_END) + SECTION_END.length);
    expect(section, 'run `npx tsx scripts/permissions-doc.ts`').toBe(permissionsSection(documented));
  });

  it('refuses every cell the table does not allow, allows every other, and shows no role what it may not see', async () => {
    const cells: Cell[] = [];
    for (const { id } of documented) {
      const operation = id as OperationId;
      const isPublic = grantOf(operation) === PUBLIC;
      for (const caller of CALLERS) {
        const scope = caller === 'public' ? null : scopeOf(operation, caller);
        const fixtures = targets(scope, data);
        for (const target of ['in', 'out'] as const) {
          const ratedBy = caller === 'association' && target === 'out' ? OTHER_ASSOCIATION : OWN_ASSOCIATION;
          const call = CALLS[operation](fixtures[target], { today: h.clock.today(), ratedBy });
          const outOfScope =
            target === 'out' && scope !== 'city-wide' && !UNADDRESSED.has(operation) && scope !== null;
          const expected = isPublic
            ? 'allowed'
            : caller === 'public'
              ? 401
              : scope === null || outOfScope
                ? 403
                : 'allowed';
          cells.push({ operation, caller, target, call, expected });
        }
      }
    }
    // Refusals first: they must change nothing, so the allowed calls after them find the fixtures intact;
    // closing and withdrawing last, since they end what other calls act on.
    const last = (c: Cell) => /Close$|Withdraw$|Dismissal$|Resolve$/.test(c.operation);
    cells.sort(
      (a, b) =>
        Number(a.expected === 'allowed') - Number(b.expected === 'allowed') ||
        Number(last(a)) - Number(last(b)),
    );
    const tokens = new Map<Caller, string | null>([['public', null]]);
    for (const role of ROLES) {
      tokens.set(
        role,
        await h.token(role, {
          district: '西湖区',
          uscc: data.xihuClinic.uscc,
          association: OWN_ASSOCIATION,
        }),
      );
    }
    const wrong: string[] = [];
    for (const cell of cells) {
      const token = tokens.get(cell.caller) ?? null;
      const res = cell.call.csv
        ? await h.app.request(cell.call.path, {
            method: cell.call.method,
            headers: { 'Content-Type': 'text/csv', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
            body: cell.call.csv,
          })
        : await h.call(cell.call.method, cell.call.path, token, cell.call.body);
      const text = await res.text();
      const name = `${cell.operation} as ${cell.caller} (${cell.target} of scope): ${res.status}`;
      if (cell.operation === 'postV1AdminImports' && cell.expected === 403 && res.status === 200) {
        // An import holds each row to the scope: a row out of it is an error of the report, nothing imported.
        if (JSON.parse(text).ok !== false) wrong.push(`${name}, imported a row out of scope`);
        continue;
      }
      if (cell.expected === 'allowed') {
        if (res.status === 401 || res.status === 403) wrong.push(`${name}, expected allowed: ${text}`);
      } else if (res.status !== cell.expected) wrong.push(`${name}, expected ${cell.expected}`);
      if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) {
        const seen = classesIn(JSON.parse(text));
        const forbidden = [...seen].filter((c) => cell.caller === 'public' || !sees(cell.caller, c));
        if (forbidden.length > 0) {
          wrong.push(`${name}, carries ${forbidden.map((c) => FIELD_CLASSES[c]).join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells.length).toBe(documented.length * CALLERS.length * 2);
    console.log(
      `permissions: ${cells.length} cells over ${documented.length} operations × ${CALLERS.length} callers × in/out of scope`,
    );
  }, 300_000);
});
