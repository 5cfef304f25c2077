import { describe, expect, it } from 'vitest';
import { scopeRefusal, scopeWarning } from '#shared/domain/scope.ts';

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
