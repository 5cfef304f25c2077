/** A mainland China mobile number: 11 digits starting 13–19. The only kind of phone number stored. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export const MAINLAND_MOBILE_MESSAGE = 'a mainland mobile number: 11 digits starting 13–19';

export function isMainlandMobile(phone: string): boolean {
  return MAINLAND_MOBILE.test(phone);
}
