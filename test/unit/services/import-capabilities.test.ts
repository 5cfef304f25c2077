import { describe, expect, it } from 'vitest';
import type { Kind } from '#shared/domain/types.ts';
import {
  applyCapabilities,
  type CapabilityField,
  parseCapabilities,
} from '#shared/services/import-capabilities.ts';
import { profileFixture } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';

/**
 * An imported row's licence, coordinates and attending physicians (DOMAIN.md "What the public needs
 * beyond the grade"; docs/imports.md): read from the row's cells, each problem named under its column
 * with what the cell held.
 */

const TODAY = '2026-11-23';

/** Parses `cells` as one row of a file with `columns` (all capability columns by default). */
function parse(
  cells: Partial<Record<CapabilityField, string>>,
  kind: Kind | null = 'hospital',
  columns?: CapabilityField[],
) {
  const problems: Array<[CapabilityField, string]> = [];
  const parsed = parseCapabilities(
    kind ?? undefined,
    (f) => cells[f] ?? '',
    (f) => (columns ? columns.includes(f) : true),
    (f, message) => problems.push([f, message]),
    TODAY,
  );
  return { parsed, problems };
}

describe('the licence columns', () => {
  it('leave the licence alone when all three are empty', () => {
    expect(parse({})).toEqual({ parsed: { licence: null, location: null, physicians: [] }, problems: [] });
  });

  it('read the number in upper case, the subjects in any list separator and the level by number or name', () => {
    const { parsed, problems } = parse({
      licenceNumber: ' pdy10001x33010617d2192 ',
      subjects: '美容外科；美容皮肤科',
      surgeryLevel: '四级',
    });
    expect(problems).toEqual([]);
    expect(parsed.licence).toEqual({
      number: 'PDY10001X33010617D2192',
      subjects: ['美容外科', '美容皮肤科'],
      surgeryLevel: 4,
    });
    expect(
      parse({ licenceNumber: 'PDY10002X33010217D2192', subjects: '美容外科', surgeryLevel: '2' }).parsed
        .licence?.surgeryLevel,
    ).toBe(2);
    expect(
      parse({ licenceNumber: 'PDY10003X33010517D2192', subjects: '美容皮肤科' }).parsed.licence?.surgeryLevel,
    ).toBeNull();
  });

  it('refuse a level that is not 1–4 once, quoting the cell', () => {
    for (const level of ['五级', '0', 'x']) {
      const { problems } = parse({
        licenceNumber: 'PDY10001X33010617D2192',
        subjects: '美容外科',
        surgeryLevel: level,
      });
      expect(problems).toEqual([['surgeryLevel', `expected 1–4 or 一级–四级, got “${level}”`]]);
    }
  });

  it('hold the level to what the kind may perform, and name a bad number or subject under its column', () => {
    expect(
      parse({ licenceNumber: 'PDY10003X33010517D2192', subjects: '美容外科', surgeryLevel: '二级' }, 'clinic')
        .problems,
    ).toEqual([
      [
        'surgeryLevel',
        'a clinic may perform cosmetic surgery up to 一级 (level 1), not level 2 (医疗美容项目分级管理目录)',
      ],
    ]);
    expect(parse({ licenceNumber: 'x', subjects: '整形外科' }).problems).toEqual([
      ['licenceNumber', '登记号 must be 10–30 letters and digits (医疗机构执业许可证登记号)'],
      ['subjects', 'unknown subject “整形外科”; allowed: 美容外科 美容牙科 美容皮肤科 美容中医科'],
    ]);
    expect(parse({ surgeryLevel: '1' }).problems).toEqual([
      ['licenceNumber', '登记号 must be 10–30 letters and digits (医疗机构执业许可证登记号)'],
      ['subjects', 'at least one of 美容外科 美容牙科 美容皮肤科 美容中医科'],
      ['surgeryLevel', 'a surgery level needs the subject 美容外科'],
    ]);
  });

  it('are checked against no kind when the row’s kind is unknown (the kind column names that)', () => {
    expect(parse({ licenceNumber: 'x' }, null)).toMatchObject({
      problems: [],
      parsed: { licence: { number: 'X' } },
    });
  });
});

describe('the licence columns, one at a time', () => {
  it('make a licence of subjects alone, whose missing number is named', () => {
    expect(parse({ subjects: '美容皮肤科' })).toEqual({
      parsed: {
        licence: { number: '', subjects: ['美容皮肤科'], surgeryLevel: null },
        location: null,
        physicians: [],
      },
      problems: [['licenceNumber', '登记号 must be 10–30 letters and digits (医疗机构执业许可证登记号)']],
    });
  });

  it('ask 美容外科 for its level, and name a bad number beside a level that is not 1–4', () => {
    expect(parse({ licenceNumber: 'PDY10001X33010617D2192', subjects: '美容外科' }).problems).toEqual([
      ['surgeryLevel', '美容外科 needs its highest level, 1–4'],
    ]);
    expect(parse({ licenceNumber: 'x', subjects: '美容外科', surgeryLevel: '九级' }).problems).toEqual([
      ['surgeryLevel', 'expected 1–4 or 一级–四级, got “九级”'],
      ['licenceNumber', '登记号 must be 10–30 letters and digits (医疗机构执业许可证登记号)'],
    ]);
  });
});

describe('the coordinate columns', () => {
  it('give the location in GCJ-02 when both are numbers in China', () => {
    expect(parse({ lat: '30.274112', lng: '120.136201' }).parsed.location).toEqual({
      lat: 30.274112,
      lng: 120.136201,
    });
  });

  it('name the coordinate that is missing or out of range, quoting the cell, and give no location', () => {
    const cases: Array<[Partial<Record<CapabilityField, string>>, Array<[CapabilityField, string]>]> = [
      [{ lat: '30.27' }, [['lng', 'longitude in degrees, −180 to 180 (GCJ-02), got “”']]],
      [{ lng: '120.13' }, [['lat', 'latitude in degrees, −90 to 90 (GCJ-02), got “”']]],
      [
        { lat: '91', lng: 'east' },
        [
          ['lat', 'latitude in degrees, −90 to 90 (GCJ-02), got “91”'],
          ['lng', 'longitude in degrees, −180 to 180 (GCJ-02), got “east”'],
        ],
      ],
      [
        { lat: '48.85', lng: '2.35' },
        [
          [
            'lat',
            'GCJ-02 coordinates lie in mainland China (latitude 0.83–55.83, longitude 72.00–137.83) (GCJ-02), got “48.85”',
          ],
        ],
      ],
    ];
    for (const [cells, problems] of cases) {
      const out = parse(cells);
      expect(out.problems, JSON.stringify(cells)).toEqual(problems);
      expect(out.parsed.location).toBeNull();
    }
  });
});

describe('the physicians column', () => {
  const licensed = { licenceNumber: 'PDY10001X33010617D2192', subjects: '美容外科', surgeryLevel: '3' };

  it('is the complete list when the file has it (an empty cell lists none), and nothing when it has not', () => {
    expect(parse({}).parsed.physicians).toEqual([]);
    expect(parse({}, 'hospital', ['physicians']).parsed.physicians).toEqual([]);
    expect(
      parse({ physicians: '林晓雯/美容外科/110330100012345/2019-05-01' }, 'hospital', ['licenceNumber'])
        .parsed.physicians,
    ).toBeNull();
  });

  it('reads name/subject/certificate/since entries, split by either slash, the certificate in upper case', () => {
    const { parsed, problems } = parse({
      ...licensed,
      physicians:
        '林晓雯/美容外科/110330100012345x/2019-05-01； 周宁 ／ 美容外科 ／ 110330100054321 ／ 2021-09-15',
    });
    expect(problems).toEqual([]);
    expect(parsed.physicians).toEqual([
      { name: '林晓雯', subject: '美容外科', certificateNo: '110330100012345X', since: '2019-05-01' },
      { name: '周宁', subject: '美容外科', certificateNo: '110330100054321', since: '2021-09-15' },
    ]);
  });

  it('names what is wrong with an entry, quoting it, and a certificate listed twice', () => {
    const entry = '陈默/美容牙科/110330100067890/2022-01-10';
    const late = '周宁/美容外科/110330100054321/2026-11-24';
    const twice = '林晓雯/美容外科/110330100067890/2019-05-01';
    expect(parse({ ...licensed, physicians: `${entry}、${late}，${twice}` }).problems).toEqual([
      [
        'physicians',
        `“${entry}”: subject: the institution is not licensed for 美容牙科 (licensed: 美容外科) (write name/subject/certificate number/YYYY-MM-DD)`,
      ],
      [
        'physicians',
        `“${late}”: since: must be today (2026-11-23) or earlier (write name/subject/certificate number/YYYY-MM-DD)`,
      ],
      ['physicians', `“${twice}”: the same certificate is listed twice`],
    ]);
    expect(parse({ physicians: ' 陈默 ；' }).problems).toEqual([
      [
        'physicians',
        '“陈默”: subject: one of 美容外科 美容牙科 美容皮肤科 美容中医科 (write name/subject/certificate number/YYYY-MM-DD)',
      ],
      [
        'physicians',
        '“陈默”: certificateNo: 医师执业证书编码: 8–30 letters and digits (write name/subject/certificate number/YYYY-MM-DD)',
      ],
    ]);
    expect(parse({ physicians: entry }).problems).toEqual([
      [
        'physicians',
        `“${entry}”: subject: the institution is not licensed for 美容牙科 (licensed: none entered) (write name/subject/certificate number/YYYY-MM-DD)`,
      ],
    ]);
  });
});

describe('applying a row’s capabilities', () => {
  const city = { subject: 'city-officer', role: 'city' as const };
  const held = [
    { name: '林晓雯', subject: '美容外科' as const, certificateNo: '110330100012345', since: '2019-05-01' },
    { name: '周宁', subject: '美容外科' as const, certificateNo: '110330100054321', since: '2021-09-15' },
  ];
  const hospital = () =>
    profileFixture(2, {
      kind: 'hospital',
      licence: { number: 'PDY10001X33010617D2192', subjects: ['美容外科'], surgeryLevel: 3 },
      physicians: held,
    });

  it('puts the location and removes only the physicians the row no longer lists', async () => {
    const m = memoryWorkflow({ profiles: [hospital()] });
    const uscc = hospital().uscc;
    await applyCapabilities(m.deps, city, uscc, {
      licence: null,
      location: { lat: 30.274112, lng: 120.136201 },
      physicians: [held[0] as (typeof held)[0]],
    });
    expect(m.profiles.get(uscc)?.location).toEqual({ lat: 30.274112, lng: 120.136201 });
    expect(m.profiles.get(uscc)?.physicians).toEqual([held[0]]);
    expect(m.audit.filter((e) => e.action === 'physician.remove').map((e) => e.before)).toEqual([held[1]]);
  });

  it('removes none when the row lists every physician held', async () => {
    const m = memoryWorkflow({ profiles: [hospital()] });
    await applyCapabilities(m.deps, city, hospital().uscc, {
      licence: null,
      location: null,
      physicians: held,
    });
    expect(m.profiles.get(hospital().uscc)?.physicians).toEqual(held);
    expect(m.audit.filter((e) => e.action === 'physician.remove')).toEqual([]);
  });
});
