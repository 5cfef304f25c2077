import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_SOURCE,
  licensedFor,
  PROCEDURE_NAMES,
  parseCatalogue,
  procedureNamed,
  proceduresAllowed,
} from '#shared/domain/procedures.ts';

const must = (name: string) => {
  const p = procedureNamed(name);
  if (!p) throw new Error(`${name} is not in the catalogue`);
  return p;
};

describe('the procedure catalogue', () => {
  it('names its source and holds the common procedures, liposuction by volume band', () => {
    expect(CATALOGUE_SOURCE).toMatchObject({
      title: '医疗美容项目分级管理目录',
      document: '卫办医政发〔2009〕220号',
    });
    for (const name of ['双眼皮', '隆鼻', '隆乳', '全面部除皱', '磨下颌角', '玻尿酸注射', '激光祛斑']) {
      expect(PROCEDURE_NAMES).toContain(name);
    }
    const lipo = PROCEDURE_NAMES.filter((n) => n.startsWith('吸脂')).map((n) => must(n).level);
    expect(lipo).toEqual([1, 2, 3, 4]);
  });

  it('puts breast augmentation beyond any clinic and mandible reduction in hospitals only', () => {
    const clinic = { subjects: ['美容外科' as const], surgeryLevel: 1 as const };
    const outpatient = { subjects: ['美容外科' as const], surgeryLevel: 2 as const };
    const hospital = { subjects: ['美容外科' as const], surgeryLevel: 4 as const };
    expect(licensedFor(clinic, must('隆乳'))).toBe(false);
    expect(licensedFor(outpatient, must('隆乳'))).toBe(false);
    expect(licensedFor(hospital, must('隆乳'))).toBe(true);
    expect(licensedFor(outpatient, must('磨下颌角'))).toBe(false);
    expect(licensedFor(clinic, must('双眼皮'))).toBe(true);
  });

  it('needs the subject, whatever the level', () => {
    const skin = { subjects: ['美容皮肤科' as const], surgeryLevel: null };
    expect(licensedFor(skin, must('激光祛斑'))).toBe(true);
    expect(licensedFor(skin, must('双眼皮'))).toBe(false);
    expect(licensedFor({ subjects: ['美容外科' as const], surgeryLevel: 4 }, must('激光祛斑'))).toBe(false);
    expect(licensedFor(null, must('激光祛斑'))).toBe(false);
    expect(proceduresAllowed(skin).map((p) => p.name)).toEqual(['激光祛斑']);
  });

  it('refuses a catalogue whose level does not fit its subject or whose names repeat', () => {
    const good = {
      source: CATALOGUE_SOURCE,
      procedures: [{ name: 'x', formal: 'x', subject: '美容外科', level: 1 }],
    };
    expect(() => parseCatalogue(good)).not.toThrow();
    const levelled = { ...good, procedures: [{ name: 'x', formal: 'x', subject: '美容牙科', level: 1 }] };
    expect(() => parseCatalogue(levelled)).toThrow();
    expect(() => parseCatalogue({ ...good, procedures: [...good.procedures, ...good.procedures] })).toThrow();
  });
});

describe('a licence against a procedure, at its edges', () => {
  it('allows a procedure at exactly the licensed level, and none without a level entered', () => {
    const surgery = (surgeryLevel?: 1 | 2 | 3 | 4 | null) => ({
      subjects: ['美容外科' as const],
      surgeryLevel,
    });
    expect(licensedFor(surgery(3), must('隆乳'))).toBe(true);
    expect(licensedFor(surgery(2), must('隆乳'))).toBe(false);
    expect(licensedFor(surgery(4), must('磨下颌角'))).toBe(true);
    expect(licensedFor(surgery(null), must('双眼皮'))).toBe(false);
    expect(licensedFor(surgery(), must('双眼皮'))).toBe(false);
    expect(licensedFor({}, must('激光祛斑'))).toBe(false);
    expect(licensedFor(undefined, must('双眼皮'))).toBe(false);
  });

  it('lists what a licence allows in catalogue order', () => {
    const allowed = proceduresAllowed({ subjects: ['美容外科'], surgeryLevel: 1 });
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.every((p) => p.subject === '美容外科' && p.level === 1)).toBe(true);
    expect(allowed.map((p) => p.name)).toEqual(
      PROCEDURE_NAMES.filter((n) => allowed.some((p) => p.name === n)),
    );
    expect(proceduresAllowed(null)).toEqual([]);
  });
});

describe('a catalogue file that does not hold', () => {
  const procedure = { name: '双眼皮', formal: '重睑成形术', subject: '美容外科', level: 1 };
  const good = { source: CATALOGUE_SOURCE, procedures: [procedure] };
  const refused = (data: unknown) => expect(() => parseCatalogue(data)).toThrow();

  it('needs every part of its source, the date as YYYY-MM-DD', () => {
    for (const field of ['title', 'document', 'issuedBy', 'cityAdjustments'] as const) {
      refused({ ...good, source: { ...CATALOGUE_SOURCE, [field]: '' } });
    }
    refused({ ...good, source: { ...CATALOGUE_SOURCE, issuedOn: '2009-12-1' } });
    refused({ ...good, source: { ...CATALOGUE_SOURCE, issuedOn: 'x2009-12-11' } });
    refused({ ...good, source: { ...CATALOGUE_SOURCE, issuedOn: '2009-12-11x' } });
    expect(parseCatalogue({ ...good, source: { ...CATALOGUE_SOURCE, note: '' } }).source.note).toBe('');
  });

  it('needs at least one procedure, each named in 1 to 20 characters, and nothing it does not know', () => {
    refused({ ...good, procedures: [] });
    refused({ ...good, procedures: [{ ...procedure, name: '' }] });
    refused({ ...good, procedures: [{ ...procedure, formal: '' }] });
    refused({ ...good, procedures: [{ ...procedure, name: '长'.repeat(21) }] });
    expect(
      parseCatalogue({ ...good, procedures: [{ ...procedure, name: '长'.repeat(20) }] }).procedures,
    ).toHaveLength(1);
    refused({ ...good, extra: true });
    refused({ ...good, procedures: [{ ...procedure, level: null }] });
    refused({ ...good, procedures: [{ ...procedure, level: 5 }] });
  });
});
