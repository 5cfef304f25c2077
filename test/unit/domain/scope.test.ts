import { describe, expect, it } from 'vitest';
import { isKind, scopeRefusal, scopeWarning } from '#shared/domain/scope.ts';

describe('scopeRefusal', () => {
  it('accepts medical-aesthetic hospitals, outpatient departments and clinics', () => {
    expect(scopeRefusal({ kind: 'hospital', name: '杭州美莱医疗美容医院' })).toBeNull();
    expect(scopeRefusal({ kind: 'outpatient', name: '杭州星辰医疗美容门诊部' })).toBeNull();
    expect(scopeRefusal({ kind: 'clinic', name: '杭州晨曦医疗美容诊所' })).toBeNull();
  });

  it('refuses other kinds, general hospitals and their cosmetic departments with a reason', () => {
    expect(scopeRefusal({ kind: 'general_hospital', name: 'x' })).toMatch(/out of scope.*综合医院/);
    expect(scopeRefusal({ kind: 'hospital', name: '某医院', generalHospital: true })).toMatch(
      /general hospital/,
    );
  });

  it('decides by kind: a name never refuses an institution of the right kind, it may only warn', () => {
    const techClinic = '杭州悦颜医疗美容科技有限公司西湖医疗美容诊所';
    expect(scopeRefusal({ kind: 'clinic', name: techClinic })).toBeNull();
    expect(scopeWarning(techClinic)).toBeNull();
    expect(scopeRefusal({ kind: 'hospital', name: '杭州市第一人民医院医疗美容科' })).toBeNull();
    expect(scopeWarning('杭州市第一人民医院医疗美容科')).toMatch(/人民医院/);
    expect(scopeRefusal({ kind: 'outpatient', name: '杭州某综合门诊部' })).toBeNull();
    expect(scopeWarning('杭州某综合门诊部')).toMatch(/综合门诊部/);
    expect(scopeWarning('杭州某医院医疗美容科')).toMatch(/医疗美容科/);
  });
});

describe('scope in words', () => {
  it('lists the kinds in scope with their Chinese names when refusing a kind', () => {
    expect(scopeRefusal({ kind: 'general_hospital', name: '示例综合医院' })).toBe(
      'kind general_hospital is out of scope: only hospital, outpatient, clinic (医疗美容医院、医疗美容门诊部、医疗美容诊所) are graded; general hospitals and general outpatient departments with a cosmetic department are not (综合医院、综合门诊部不在量化分级范围内)',
    );
  });

  it('knows the scheme’s kinds, whatever the rulebook puts in scope', () => {
    for (const kind of ['hospital', 'outpatient', 'clinic']) expect(isKind(kind)).toBe(true);
    for (const kind of ['general_hospital', 'Clinic', '']) expect(isKind(kind)).toBe(false);
  });
});
