import { describe, expect, it } from 'vitest';
import type { ActingParty } from '../../../shared/domain/lifecycle.ts';
import { canManageContacts, canViewNotices } from '../../../shared/domain/notice-access.ts';

const clinicIn = (district: string) => ({ kind: 'clinic' as const, district });
const hospitalIn = (district: string) => ({ kind: 'hospital' as const, district });

describe('canViewNotices', () => {
  it('lets the city see the notices of any institution', () => {
    expect(canViewNotices({ role: 'city' }, hospitalIn('上城区'))).toEqual({ allowed: true });
    expect(canViewNotices({ role: 'city' }, clinicIn('西湖区'))).toEqual({ allowed: true });
  });

  it.each(['district', 'district_admin'] as const)(
    'lets a %s officer see the clinics of its own district',
    (role) => {
      expect(canViewNotices({ role, district: '西湖区' }, clinicIn('西湖区'))).toEqual({ allowed: true });
    },
  );

  it.each(['district', 'district_admin'] as const)(
    'refuses a %s officer another district’s clinic',
    (role) => {
      expect(canViewNotices({ role, district: '西湖区' }, clinicIn('上城区'))).toEqual({
        allowed: false,
        reason: 'a 西湖区 officer may not see a clinic in 上城区',
      });
      expect(canViewNotices({ role }, clinicIn('上城区'))).toEqual({
        allowed: false,
        reason: 'a ? officer may not see a clinic in 上城区',
      });
    },
  );

  it.each(['district', 'district_admin'] as const)(
    'refuses a %s officer a hospital, even in its district',
    (role) => {
      expect(canViewNotices({ role, district: '西湖区' }, hospitalIn('西湖区'))).toEqual({
        allowed: false,
        reason: 'a district role sees the notices of clinics only (区级仅可查看诊所)',
      });
    },
  );

  it.each(['guidance', 'institution', 'association', 'public', 'system'] as const)(
    'refuses %s, naming the role',
    (role) => {
      const actor: ActingParty = { role, district: '西湖区', uscc: '91330100MA2XXXXX1X' };
      expect(canViewNotices(actor, clinicIn('西湖区'))).toEqual({
        allowed: false,
        reason: `${role} may not see institutions' notices`,
      });
    },
  );
});

describe('canManageContacts', () => {
  const uscc = '91330106MA2B123456';

  it('lets an institution manage its own contacts only', () => {
    expect(canManageContacts({ role: 'institution', uscc }, uscc)).toEqual({ allowed: true });
    expect(canManageContacts({ role: 'institution', uscc: '91330106MA2B654321' }, uscc)).toEqual({
      allowed: false,
      reason: 'an institution may manage only its own contacts (只能维护本机构的联系方式)',
    });
    expect(canManageContacts({ role: 'institution' }, uscc).allowed).toBe(false);
  });

  it.each(['city', 'district', 'district_admin', 'guidance', 'association'] as const)(
    'refuses %s even with the institution’s uscc',
    (role) => {
      expect(canManageContacts({ role, uscc }, uscc)).toEqual({
        allowed: false,
        reason: 'only the institution itself manages its contacts',
      });
    },
  );
});
