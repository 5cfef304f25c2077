import type { ActingParty, Authorisation } from './lifecycle.ts';
import type { Kind } from './types.ts';

/**
 * Who may see an institution's notices (regulators only): the city any institution; a district
 * institute or district health admin only the clinics of its own district.
 */
export function canViewNotices(
  actor: ActingParty,
  institution: { kind: Kind; district: string },
): Authorisation {
  if (actor.role === 'city') return { allowed: true };
  if (actor.role === 'district' || actor.role === 'district_admin') {
    if (institution.kind !== 'clinic') {
      return {
        allowed: false,
        reason: 'a district role sees the notices of clinics only (区级仅可查看诊所)',
      };
    }
    if (actor.district !== institution.district) {
      return {
        allowed: false,
        reason: `a ${actor.district ?? '?'} officer may not see a clinic in ${institution.district}`,
      };
    }
    return { allowed: true };
  }
  return { allowed: false, reason: `${actor.role} may not see institutions' notices` };
}

/** An institution manages only its own contacts. */
export function canManageContacts(actor: ActingParty, uscc: string): Authorisation {
  if (actor.role !== 'institution')
    return { allowed: false, reason: 'only the institution itself manages its contacts' };
  if (actor.uscc !== uscc)
    return {
      allowed: false,
      reason: 'an institution may manage only its own contacts (只能维护本机构的联系方式)',
    };
  return { allowed: true };
}
