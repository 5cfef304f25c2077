import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { GradingResult, InstitutionProfile } from '#shared/domain/model.ts';
import type { Actor } from '#shared/domain/types.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { installRulebook, rulebook } from '#shared/rulebook/current.ts';
import { loadRulebookFile } from '#shared/rulebook/load.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import {
  boundedReport,
  importedAssessmentId,
  importRegister,
  validateRows,
} from '#shared/services/imports.ts';
import { profileFixture } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';

const city: Actor = { subject: 'c', role: 'city' };
const xihu: Actor = { subject: 'd', role: 'district', district: '西湖区' };
const headers = ['uscc', 'name', 'kind', 'district', 'address', 'score', 'assessedOn', 'reason'];
const row = (n: number, cells: Record<string, string>) => ({
  row: n,
  cells: {
    uscc: makeUscc('91330106MA0000001'),
    name: '杭州测试医疗美容诊所',
    kind: 'clinic',
    district: '西湖区',
    address: '杭州市西湖区1号',
    ...cells,
  },
});

describe('validateRows', () => {
  it('parses a good row with Chinese kind labels, aliases and flags', () => {
    const { parsed, errors } = validateRows(
      ['统一社会信用代码', '机构名称', '类别', '所在区县', '地址', '别名', '抽脂手术'],
      [
        {
          row: 2,
          cells: {
            统一社会信用代码: makeUscc('91330106MA0000001'),
            机构名称: '杭州测试医疗美容门诊部',
            类别: '医疗美容门诊部',
            所在区县: '滨江区',
            地址: '杭州市滨江区1号',
            别名: '测试；测试门诊',
            抽脂手术: '是',
          },
        },
      ],
      city,
      '2026-11-23',
    );
    expect(errors).toEqual([]);
    expect(parsed[0]?.registration).toMatchObject({
      kind: 'outpatient',
      aliases: ['测试', '测试门诊'],
      services: { liposuction: true, generalAnesthesia: false },
    });
  });

  it('reports a missing required column once, on row 1', () => {
    const { errors } = validateRows(['uscc', 'name'], [], city, '2026-11-23');
    expect(errors.map((e) => e.column)).toEqual(['kind', 'district', 'address']);
    expect(errors.every((e) => e.row === 1)).toBe(true);
  });

  it('applies who may register and score each row', () => {
    const binjiang = row(2, { district: '滨江区' });
    const scored = row(3, { uscc: makeUscc('91330106MA0000002'), score: '90', assessedOn: '2026-11-01' });
    const { errors } = validateRows(headers, [binjiang, scored], xihu, '2026-11-23');
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: 'district' })]);
    const asCity = validateRows(headers, [scored], city, '2026-11-23');
    expect(asCity.errors).toEqual([expect.objectContaining({ row: 3, column: 'score' })]);
  });

  it('refuses future assessment dates and unknown reasons', () => {
    const { errors } = validateRows(
      headers,
      [row(2, { score: '80', assessedOn: '2026-12-01', reason: 'whim' })],
      xihu,
      '2026-11-23',
    );
    expect(errors.map((e) => e.column).sort()).toEqual(['assessedOn', 'reason']);
  });
});

describe('importedAssessmentId', () => {
  it('is the same for the same row and differs when the score differs', () => {
    const s = { score: 90, assessedOn: '2026-11-01', reason: 'initial' as const };
    expect(importedAssessmentId('X', s)).toMatch(/^imp-[0-9a-f]{24}$/);
    expect(importedAssessmentId('X', s)).toBe(importedAssessmentId('X', { ...s }));
    expect(importedAssessmentId('X', s)).not.toBe(importedAssessmentId('X', { ...s, score: 90.1 }));
  });
});

describe('validateRows and stored text', () => {
  it('refuses control and bidirectional-override characters in name, address and aliases', () => {
    const { parsed, errors } = validateRows(
      [...headers, 'aliases'],
      [row(2, { name: '杭州\u202E测试医疗美容诊所', address: '杭州市\u0000西湖区', aliases: '别名\u2066' })],
      city,
      '2026-11-23',
    );
    expect(parsed).toEqual([]);
    expect(errors.map((e) => e.column).sort()).toEqual(['address', 'aliases', 'name']);
    expect(errors[0]?.message).toContain('U+');
  });
});

describe('validateRows, cell by cell', () => {
  const today = '2026-11-23';
  const uscc2 = makeUscc('91330106MA0000002');
  const messages = (errors: Array<{ row: number; column: string; message: string }>) =>
    errors.map((e) => [e.row, e.column, e.message]);

  it('finds the columns by their English or Chinese names in any case, and ignores others', () => {
    const { parsed, errors, columns } = validateRows(
      ['USCC', 'Name', '类别', 'DISTRICT', '地址', 'remarks', 'PHONES', 'wechatopenids', 'OffSiteSupervised'],
      [
        {
          row: 2,
          cells: {
            USCC: makeUscc('91330106MA0000001'),
            Name: '杭州测试医疗美容诊所',
            类别: '诊所',
            DISTRICT: '西湖区',
            地址: '杭州市西湖区1号',
            remarks: '备注',
            PHONES: '13912345678, 13812345678',
            wechatopenids: 'o-1；o-2',
            OffSiteSupervised: 'Y',
          },
        },
      ],
      city,
      today,
    );
    expect(errors).toEqual([]);
    expect(columns).toMatchObject({ uscc: 'USCC', kind: '类别', phones: 'PHONES' });
    expect(parsed).toEqual([
      {
        row: 2,
        registration: {
          uscc: makeUscc('91330106MA0000001'),
          name: '杭州测试医疗美容诊所',
          kind: 'clinic',
          district: '西湖区',
          address: '杭州市西湖区1号',
          aliases: [],
          contacts: { phones: ['13912345678', '13812345678'], wechatOpenIds: ['o-1', 'o-2'] },
          services: { generalAnesthesia: false, liposuction: false, prepaidNonCompliant: false },
          offSiteSupervised: true,
        },
        scoring: null,
        capabilities: { licence: null, location: null, physicians: null },
      },
    ]);
  });

  it('names each missing required column with both its names, on row 1, and checks no row', () => {
    const { parsed, errors } = validateRows(['机构名称', 'district'], [row(2, { uscc: 'bad' })], city, today);
    expect(parsed).toEqual([]);
    expect(messages(errors)).toEqual([
      [1, 'uscc', 'missing column (uscc / 统一社会信用代码)'],
      [1, 'kind', 'missing column (kind / 类别)'],
      [1, 'address', 'missing column (address / 地址)'],
    ]);
  });

  it('refuses the same institution on a second row, naming the first, and keeps the first', () => {
    const { parsed, errors } = validateRows(
      headers,
      [row(2, {}), row(3, {}), row(4, { uscc: 'X' })],
      city,
      today,
    );
    expect(parsed.map((p) => p.row)).toEqual([2]);
    expect(messages(errors)).toEqual([
      [3, 'uscc', 'the same institution is already on row 2'],
      [
        4,
        'uscc',
        'unified social credit code must be 18 characters, got 1 (统一社会信用代码应为18位，实际为1位)',
      ],
    ]);
  });

  it('takes a name of 1 to 100 characters and an address of 1 to 200', () => {
    const ok = validateRows(
      headers,
      [row(2, { name: '名'.repeat(100), address: '址'.repeat(200) })],
      city,
      today,
    );
    expect(ok.errors).toEqual([]);
    const { errors } = validateRows(
      headers,
      [
        row(2, { name: '', address: '' }),
        row(3, { uscc: uscc2, name: '名'.repeat(101), address: '址'.repeat(201) }),
      ],
      city,
      today,
    );
    expect(messages(errors)).toEqual([
      [2, 'name', 'a name of 1–100 characters is required'],
      [2, 'address', 'an address of 1–200 characters is required'],
      [3, 'name', 'a name of 1–100 characters is required'],
      [3, 'address', 'an address of 1–200 characters is required'],
    ]);
  });

  it('reads the kind by code or by name, and refuses another kind as out of scope', () => {
    const kinds = ['hospital', '医院', '门诊部', '医疗美容诊所'].map((kind, i) =>
      row(i + 2, { uscc: makeUscc(`91330106MA000001${i}`), kind }),
    );
    expect(validateRows(headers, kinds, city, today).parsed.map((p) => p.registration.kind)).toEqual([
      'hospital',
      'hospital',
      'outpatient',
      'clinic',
    ]);
    const { errors } = validateRows(headers, [row(2, { kind: '综合医院' })], city, today);
    expect(messages(errors)).toEqual([
      [
        2,
        'kind',
        'kind 综合医院 is out of scope: only hospital, outpatient, clinic (医疗美容医院、医疗美容门诊部、医疗美容诊所) are graded; general hospitals and general outpatient departments with a cosmetic department are not (综合医院、综合门诊部不在量化分级范围内)',
      ],
    ]);
  });

  it('refuses a district that is not one of the city’s, listing them', () => {
    const { errors } = validateRows(headers, [row(2, { district: '火星区' })], city, today);
    expect(messages(errors)).toEqual([
      [
        2,
        'district',
        "not one of 杭州市's 13 districts (上城区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 桐庐县 淳安县 建德市): “火星区”",
      ],
    ]);
  });

  it('refuses each phone that is not a mainland mobile number, in any list separator', () => {
    const { errors } = validateRows(
      [...headers, 'phones'],
      [row(2, { phones: '13912345678；12345、 0571-88888888 ,' })],
      city,
      today,
    );
    expect(messages(errors)).toEqual([
      [2, 'phones', 'not a mainland mobile number (11 digits starting 13–19): “12345”'],
      [2, 'phones', 'not a mainland mobile number (11 digits starting 13–19): “0571-88888888”'],
    ]);
  });

  it('reads 是/否 flags in their usual spellings, empty as 否, and refuses anything else', () => {
    const flags = ['generalAnesthesia', 'liposuction', 'prepaidNonCompliant', 'offSiteSupervised'];
    const yes = ['是', 'YES', 'true', '1'].map((v, i) =>
      row(i + 2, { uscc: makeUscc(`91330106MA000002${i}`), ...Object.fromEntries(flags.map((f) => [f, v])) }),
    );
    const no = ['否', 'No', 'FALSE', '0', ''].map((v, i) =>
      row(i + 6, { uscc: makeUscc(`91330106MA000003${i}`), ...Object.fromEntries(flags.map((f) => [f, v])) }),
    );
    const { parsed, errors } = validateRows([...headers, ...flags], [...yes, ...no], city, today);
    expect(errors).toEqual([]);
    const read = parsed.map((p) => [p.registration.services, p.registration.offSiteSupervised]);
    const all = (v: boolean) => [{ generalAnesthesia: v, liposuction: v, prepaidNonCompliant: v }, v];
    expect(read).toEqual([...yes.map(() => all(true)), ...no.map(() => all(false))]);
    const bad = validateRows([...headers, 'liposuction'], [row(2, { liposuction: '也许' })], city, today);
    expect(messages(bad.errors)).toEqual([[2, 'liposuction', 'expected 是/否, got “也许”']]);
  });

  it('reads a score with its date and reason, initial when none is given', () => {
    const scored = [
      row(2, { score: '90', assessedOn: today }),
      row(3, { uscc: uscc2, score: '84.9', assessedOn: '2026-11-01', reason: '复评' }),
    ];
    const { parsed, errors } = validateRows(headers, scored, xihu, today);
    expect(errors).toEqual([]);
    expect(parsed.map((p) => p.scoring)).toEqual([
      { score: 90, assessedOn: today, reason: 'initial' },
      { score: 84.9, assessedOn: '2026-11-01', reason: 'review' },
    ]);
  });

  it('names what is wrong with a score, its date or its reason', () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { score: 'abc', assessedOn: today },
        'score',
        'score must be a number from 0 to 100 (评分应为0至100之间的数字)',
      ],
      [
        { score: '100.5', assessedOn: today },
        'score',
        'score must be from 0 to 100 inclusive, got 100.5 (评分应在0至100之间)',
      ],
      [
        { score: '88.25', assessedOn: today },
        'score',
        'score may have at most one decimal place, got 88.25 (评分最多保留一位小数)',
      ],
      [
        { score: '88', assessedOn: '2026-11-31' },
        'assessedOn',
        'a scored row needs the assessment date YYYY-MM-DD',
      ],
      [{ score: '88' }, 'assessedOn', 'a scored row needs the assessment date YYYY-MM-DD'],
      [
        { score: '88', assessedOn: '2026-11-24' },
        'assessedOn',
        'the assessment date 2026-11-24 is in the future',
      ],
      [
        { score: '88', assessedOn: today, reason: 'whim' },
        'reason',
        'expected initial / review / upgrade (首次 / 复评 / 升级), got “whim”',
      ],
      [
        { score: '88', assessedOn: today, reason: '升级' },
        'reason',
        'an upgrade result comes only from an accepted upgrade application: POST /v1/institutions/{uscc}/upgrade-applications, then POST /v1/admin/upgrade-applications/{id}/decision (主动升级须经申请)',
      ],
    ];
    for (const [cells, column, message] of cases) {
      const { parsed, errors } = validateRows(headers, [row(2, cells)], xihu, today);
      expect(messages(errors), JSON.stringify(cells)).toEqual([[2, column, message]]);
      expect(parsed).toEqual([]);
    }
  });

  it('names a missing assessment date under its own name when the file has no column for it', () => {
    const { errors } = validateRows(
      ['uscc', 'name', 'kind', 'district', 'address', 'score'],
      [row(2, { score: '90' })],
      xihu,
      today,
    );
    expect(messages(errors)).toEqual([
      [2, 'assessedOn', 'a scored row needs the assessment date YYYY-MM-DD'],
    ]);
  });

  it('names only the kind of a row whose kind is unknown, not who may register it', () => {
    const { errors } = validateRows(headers, [row(2, { kind: '美容院' })], xihu, today);
    expect(errors.map((e) => e.column)).toEqual(['kind']);
  });

  it('refuses a kind the city’s rulebook leaves out of its scope', () => {
    const running = rulebook();
    try {
      installRulebook(loadRulebookFile('test/fixtures/rulebooks/testcity.json'));
      const { parsed, errors } = validateRows(
        headers,
        [row(2, { kind: 'outpatient', district: '甲区' })],
        city,
        today,
      );
      expect(parsed).toEqual([]);
      expect(errors.map((e) => e.message)).toEqual([
        'kind outpatient is out of scope: only hospital, clinic (医疗美容医院、医疗美容诊所) are graded; general hospitals and general outpatient departments with a cosmetic department are not (综合医院、综合门诊部不在量化分级范围内)',
      ]);
    } finally {
      installRulebook(running);
    }
  });

  it('holds a district officer to the clinics of its own district', () => {
    const hospital = row(2, { kind: 'hospital' });
    const other = row(3, { uscc: uscc2, district: '滨江区' });
    const { errors } = validateRows(headers, [hospital, other], xihu, today);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'district'],
      [3, 'district'],
    ]);
  });
});

describe('boundedReport', () => {
  const report = (errors: Array<{ row: number; column: string; message: string }>) => ({
    ok: false,
    rows: 3,
    created: 0,
    skipped: 0,
    assessments: 0,
    errors,
  });

  it('orders the errors by row, then column, and says nothing of omitted ones when none are', () => {
    const bounded = boundedReport(
      report([
        { row: 10, column: 'a', message: 'm' },
        { row: 2, column: 'name', message: 'm' },
        { row: 2, column: 'address', message: 'm' },
      ]),
    );
    expect(bounded.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'address'],
      [2, 'name'],
      [10, 'a'],
    ]);
    expect(bounded).not.toHaveProperty('errorsOmitted');
  });

  it('keeps the first 1,000 errors and counts the rest', () => {
    const many = Array.from({ length: 1_003 }, (_, i) => ({ row: 1_003 - i, column: 'uscc', message: 'm' }));
    const bounded = boundedReport(report(many));
    expect(bounded.errors).toHaveLength(1_000);
    expect(bounded.errors[0]?.row).toBe(1);
    expect(bounded.errors.at(-1)?.row).toBe(1_000);
    expect(bounded.errorsOmitted).toBe(3);
  });

  it('cuts a message longer than 300 characters to 299 and an ellipsis, and keeps one of 300', () => {
    const bounded = boundedReport(
      report([
        { row: 2, column: 'a', message: 'x'.repeat(300) },
        { row: 3, column: 'a', message: 'y'.repeat(301) },
      ]),
    );
    expect(bounded.errors.map((e) => e.message)).toEqual(['x'.repeat(300), `${'y'.repeat(299)}…`]);
  });
});

describe('importRegister, before anything is written', () => {
  /** Only what the checks read: the register's profiles. Any write would fail for want of a store. */
  const readerOnly = (profiles: InstitutionProfile[], reads: string[] = []) =>
    ({
      clock: fixedClock('2026-11-23T10:00:00+08:00'),
      reader: {
        getProfile: async (uscc: string, consistent: boolean) => {
          // The register as the last write left it: a lagging read could miss a registration.
          if (!consistent) throw new Error('an eventually consistent read');
          reads.push(uscc);
          return profiles.find((p) => p.uscc === uscc) ?? null;
        },
      },
    }) as unknown as WorkflowDeps;
  const registered = profileFixture(1, {
    uscc: makeUscc('91330106MA0000001'),
    name: '杭州测试医疗美容诊所',
    address: '杭州市西湖区1号',
  });

  it('refuses a row whose institution is registered otherwise, naming how, and imports nothing', async () => {
    const renamed = row(2, { name: '杭州新名医疗美容诊所' });
    const report = await importRegister(readerOnly([registered]), city, { headers, rows: [renamed] });
    expect(report).toEqual({
      ok: false,
      rows: 1,
      created: 0,
      skipped: 0,
      assessments: 0,
      errors: [
        {
          row: 2,
          column: 'uscc',
          message:
            'already registered as “杭州测试医疗美容诊所” (clinic, 西湖区, 杭州市西湖区1号); change it with PATCH, not an import',
        },
      ],
    });
  });

  it('reports the register’s conflicts with the rows’ own errors, in row order', async () => {
    const rows = [
      row(3, { address: '杭州市西湖区2号' }),
      row(2, { uscc: makeUscc('91330106MA0000009'), name: '' }),
    ];
    const report = await importRegister(readerOnly([registered]), city, { headers, rows });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'name'],
      [3, 'uscc'],
    ]);
  });

  it('stops reading the register at the first failure and passes it on', async () => {
    const reads: string[] = [];
    const failing = readerOnly([], reads);
    const failure = new Error('throttled');
    const original = failing.reader.getProfile;
    failing.reader.getProfile = async (uscc, consistent) => {
      if (reads.length >= 2) throw failure;
      return original(uscc, consistent);
    };
    const rows = Array.from({ length: 20 }, (_, i) =>
      row(i + 2, { uscc: makeUscc(`91330106MA00001${String(i).padStart(2, '0')}`) }),
    );
    await expect(importRegister(failing, city, { headers, rows })).rejects.toBe(failure);
    expect(reads.length).toBeLessThan(rows.length);
  });
});

describe('importRegister, writing a good file', () => {
  const capabilities = ['licenceNumber', 'subjects', 'surgeryLevel', 'physicians'];
  const file = {
    headers: [...headers, ...capabilities],
    rows: [
      row(2, {}),
      row(3, {
        uscc: makeUscc('91330106MA0000002'),
        kind: 'hospital',
        licenceNumber: 'PDY10001X33010617D2192',
        subjects: '美容外科',
        surgeryLevel: '三级',
        physicians: '林晓雯/美容外科/110330100012345/2019-05-01；周宁/美容外科/110330100054321/2021-09-15',
      }),
      row(4, { uscc: makeUscc('91330106MA0000003'), score: '90', assessedOn: '2026-11-20' }),
    ],
  };
  const xihuClinics = { ...xihu };
  /** The register in memory, with the result store's create and a notifier, which scoring needs. */
  function register() {
    const m = memoryWorkflow();
    Object.assign(m.deps.results, {
      create: async (r: GradingResult) => {
        if (m.results.some((x) => x.id === r.id)) throw new ConflictError(`result ${r.id} already exists`);
        m.results.push(structuredClone(r));
      },
    });
    Object.assign(m.deps, { notifier: { notify: async () => {} } });
    return m;
  }

  it('registers every row, applies its licence and physicians, scores it once, and reports its progress', async () => {
    const m = register();
    const progress: Array<[number, number]> = [];
    const asCity = await importRegister(
      m.deps,
      city,
      { ...file, rows: file.rows.slice(0, 2) },
      (done, total) => progress.push([done, total]),
    );
    expect(asCity).toEqual({ ok: true, rows: 2, created: 2, skipped: 0, assessments: 0, errors: [] });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const hospital = m.profiles.get(makeUscc('91330106MA0000002'));
    expect(hospital?.licence).toMatchObject({ subjects: ['美容外科'], surgeryLevel: 3 });
    expect(hospital?.physicians?.map((p) => p.name)).toEqual(['林晓雯', '周宁']);

    const scored = await importRegister(m.deps, xihuClinics, {
      ...file,
      rows: [file.rows[2] as (typeof file.rows)[0]],
    });
    expect(scored).toEqual({ ok: true, rows: 1, created: 1, skipped: 0, assessments: 1, errors: [] });
    const id = importedAssessmentId(makeUscc('91330106MA0000003'), {
      score: 90,
      assessedOn: '2026-11-20',
      reason: 'initial',
    });
    expect(m.results.map((r) => [r.id, r.status, r.grade])).toEqual([[id, 'scored', 'B']]);
  });

  it('changes nothing when the same file comes again, and drops the physicians a row no longer lists', async () => {
    const m = register();
    await importRegister(m.deps, city, { ...file, rows: file.rows.slice(0, 2) });
    await importRegister(m.deps, xihuClinics, { ...file, rows: file.rows.slice(2) });
    const events = m.events.length;
    expect(await importRegister(m.deps, city, { ...file, rows: file.rows.slice(0, 2) })).toMatchObject({
      ok: true,
      created: 0,
      skipped: 2,
    });
    expect(await importRegister(m.deps, xihuClinics, { ...file, rows: file.rows.slice(2) })).toMatchObject({
      ok: true,
      created: 0,
      skipped: 1,
      assessments: 0,
    });
    expect([m.events.length, m.results.length]).toEqual([events, 1]);

    const hospital = file.rows[1] as { row: number; cells: Record<string, string> };
    const fewer = {
      ...hospital,
      cells: { ...hospital.cells, physicians: '林晓雯/美容外科/110330100012345/2019-05-01' },
    };
    await importRegister(m.deps, city, { ...file, rows: [fewer] });
    expect(m.profiles.get(makeUscc('91330106MA0000002'))?.physicians?.map((p) => p.name)).toEqual(['林晓雯']);
  });

  it('passes on a store failure while finishing a row already registered, instead of counting it skipped', async () => {
    const m = register();
    await importRegister(m.deps, city, { headers, rows: [row(2, {})] });
    const failure = new Error('throttled');
    m.deps.workflow.ensurePrivate = async () => {
      throw failure;
    };
    await expect(importRegister(m.deps, city, { headers, rows: [row(2, {})] })).rejects.toBe(failure);
  });
});
