import { describe, expect, it } from 'vitest';
import {
  licenceProblems,
  MAX_SURGERY_LEVEL,
  physicianProblems,
  SURGERY_LEVELS,
} from '#shared/domain/practice-scope.ts';
import { KINDS } from '#shared/domain/types.ts';

const surgical = (surgeryLevel: number | null) => ({
  number: 'PDY00123X33010617D2192',
  subjects: ['美容外科', '美容皮肤科'],
  surgeryLevel,
});

describe('surgery level by kind (医疗美容项目分级管理目录, 2009)', () => {
  it('lets a clinic hold level 1, an outpatient department 2 and a hospital 4, and no higher', () => {
    expect(MAX_SURGERY_LEVEL).toEqual({ clinic: 1, outpatient: 2, hospital: 4 });
    for (const kind of KINDS) {
      for (const level of SURGERY_LEVELS) {
        const problems = licenceProblems(kind, surgical(level));
        if (level <= MAX_SURGERY_LEVEL[kind]) expect(problems, `${kind} ${level}`).toEqual([]);
        else {
          expect(problems, `${kind} ${level}`).toHaveLength(1);
          expect(problems[0]).toMatchObject({ path: 'surgeryLevel', byKind: true });
        }
      }
    }
  });

  it('needs a level exactly when 美容外科 is licensed', () => {
    expect(licenceProblems('clinic', surgical(null))[0]?.path).toBe('surgeryLevel');
    const skinOnly = { number: 'PDY00123X33010617D2192', subjects: ['美容皮肤科'], surgeryLevel: 1 };
    expect(licenceProblems('hospital', skinOnly)[0]?.message).toContain('美容外科');
    expect(licenceProblems('hospital', { ...skinOnly, surgeryLevel: null })).toEqual([]);
    expect(licenceProblems('hospital', surgical(5))[0]?.path).toBe('surgeryLevel');
  });

  it('names the number and subjects when they are wrong', () => {
    const paths = (l: Parameters<typeof licenceProblems>[1]) =>
      licenceProblems('hospital', l).map((p) => p.path);
    expect(paths({ ...surgical(3), number: 'abc' })).toEqual(['number']);
    expect(paths({ ...surgical(3), subjects: ['整形外科'] })).toContain('subjects');
    expect(paths({ ...surgical(null), subjects: [] })).toEqual(['subjects']);
    expect(paths({ ...surgical(3), subjects: ['美容外科', '美容外科'] })).toEqual(['subjects']);
    expect(licenceProblems('hospital', { ...surgical(3), number: '' }, 'licence')[0]?.path).toBe(
      'licence.number',
    );
  });
});

describe('attending physicians', () => {
  const doctor = {
    name: '林晓雯',
    subject: '美容外科',
    certificateNo: '110330100012345',
    since: '2020-03-01',
  };

  it('accepts a physician of a licensed subject', () => {
    expect(physicianProblems(doctor, ['美容外科'], '2026-11-23')).toEqual([]);
    expect(physicianProblems({ ...doctor, name: '阿依古丽·买买提' }, ['美容外科'], '2026-11-23')).toEqual([]);
  });

  it('names each bad field', () => {
    const paths = (d: typeof doctor, licensed = ['美容外科'] as const) =>
      physicianProblems(d, [...licensed], '2026-11-23').map((p) => p.path);
    expect(paths({ ...doctor, subject: '美容牙科' })).toEqual(['subject']);
    expect(paths({ ...doctor, subject: '整形' })).toEqual(['subject']);
    expect(paths({ ...doctor, name: '1号医生' })).toEqual(['name']);
    expect(paths({ ...doctor, certificateNo: '12-34' })).toEqual(['certificateNo']);
    expect(paths({ ...doctor, since: '2026-11-24' })).toEqual(['since']);
  });
});

describe('what a wrong licence or physician is told, word for word', () => {
  it('names the number, the subjects and the level with their messages', () => {
    expect(
      licenceProblems('clinic', { number: 'pdy0012345', subjects: ['整形外科', '皮肤科'], surgeryLevel: 2 }),
    ).toEqual([
      { path: 'number', message: '登记号 must be 10–30 letters and digits (医疗机构执业许可证登记号)' },
      {
        path: 'subjects',
        message: 'unknown subject “整形外科”, “皮肤科”; allowed: 美容外科 美容牙科 美容皮肤科 美容中医科',
      },
      { path: 'surgeryLevel', message: 'a surgery level needs the subject 美容外科' },
    ]);
    expect(licenceProblems('hospital', { ...surgical(null), subjects: [] }, 'licence')).toEqual([
      { path: 'licence.subjects', message: 'at least one of 美容外科 美容牙科 美容皮肤科 美容中医科' },
    ]);
    expect(licenceProblems('hospital', { ...surgical(2), subjects: ['美容外科', '美容外科'] })).toEqual([
      { path: 'subjects', message: 'a subject is listed twice' },
    ]);
    expect(licenceProblems('outpatient', surgical(null))).toEqual([
      { path: 'surgeryLevel', message: '美容外科 needs its highest level, 1–2' },
    ]);
    expect(licenceProblems('hospital', surgical(0))).toEqual([
      { path: 'surgeryLevel', message: 'a level from 1 to 4 (一级–四级), or null' },
    ]);
    expect(licenceProblems('clinic', surgical(2))).toEqual([
      {
        path: 'surgeryLevel',
        message:
          'a clinic may perform cosmetic surgery up to 一级 (level 1), not level 2 (医疗美容项目分级管理目录)',
        byKind: true,
      },
    ]);
  });

  it('says “an outpatient” of an outpatient department above its level', () => {
    expect(licenceProblems('outpatient', surgical(3))[0]?.message).toBe(
      'an outpatient may perform cosmetic surgery up to 二级 (level 2), not level 3 (医疗美容项目分级管理目录)',
    );
  });

  it('takes a licence number of 10 to 30 capital letters and digits', () => {
    const numbered = (number: string) => licenceProblems('hospital', { ...surgical(3), number });
    expect(numbered('A'.repeat(10))).toEqual([]);
    expect(numbered('9'.repeat(30))).toEqual([]);
    for (const bad of ['A'.repeat(9), 'A'.repeat(31), 'PDY00123x3', ' PDY001234X', 'PDY00-1234X']) {
      expect(
        numbered(bad).map((p) => p.path),
        bad,
      ).toEqual(['number']);
    }
  });

  it('names each bad field of a physician with its message', () => {
    expect(
      physicianProblems(
        { name: '', subject: '整形', certificateNo: '1234567', since: '2026-11-24' },
        ['美容外科'],
        '2026-11-23',
      ),
    ).toEqual([
      { path: 'name', message: 'a name of 1–30 Chinese or Latin letters (· allowed)' },
      { path: 'subject', message: 'one of 美容外科 美容牙科 美容皮肤科 美容中医科' },
      { path: 'certificateNo', message: '医师执业证书编码: 8–30 letters and digits' },
      { path: 'since', message: 'must be today (2026-11-23) or earlier' },
    ]);
    const unlicensed = (licensed: Parameters<typeof physicianProblems>[1]) =>
      physicianProblems(
        { name: '林晓雯', subject: '美容牙科', certificateNo: '110330100012345', since: '2026-11-23' },
        licensed,
        '2026-11-23',
      );
    expect(unlicensed(['美容外科', '美容皮肤科'])).toEqual([
      {
        path: 'subject',
        message: 'the institution is not licensed for 美容牙科 (licensed: 美容外科 美容皮肤科)',
      },
    ]);
    expect(unlicensed([])).toEqual([
      { path: 'subject', message: 'the institution is not licensed for 美容牙科 (licensed: none entered)' },
    ]);
  });

  it('takes names of Chinese or Latin letters with the middle dot, and certificates of 8 to 30 letters and digits', () => {
    const named = (name: string, certificateNo = '110330100012345') =>
      physicianProblems(
        { name, subject: '美容外科', certificateNo, since: '2020-01-01' },
        ['美容外科'],
        '2026-11-23',
      ).map((p) => p.path);
    for (const good of ['林', 'Anna Smith', '阿依古丽•买买提', '林'.repeat(30)])
      expect(named(good), good).toEqual([]);
    for (const bad of [' 林晓雯', '林'.repeat(31), '林晓雯1', '林晓雯。'])
      expect(named(bad), bad).toEqual(['name']);
    expect(named('林晓雯', '12345678')).toEqual([]);
    expect(named('林晓雯', 'A'.repeat(30))).toEqual([]);
    for (const bad of ['1234567', '1'.repeat(31), '1234567a', '12345678 ']) {
      expect(named('林晓雯', bad), bad).toEqual(['certificateNo']);
    }
  });
});
