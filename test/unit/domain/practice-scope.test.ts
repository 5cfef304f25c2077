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
