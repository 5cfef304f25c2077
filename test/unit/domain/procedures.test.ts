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
