/**
 * Contact masking: phone numbers and WeChat openids are personal data and must never reach a log
 * line in the clear. Every logger of the notice path goes through `redact`.
 */

/** `13912345678` → `139****5678`; anything shorter than 7 characters is fully masked. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+?86/, '');
  if (digits.length < 7) return '*'.repeat(digits.length || 4);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o` → `oUpF****eS6o`: enough to tell two ids apart, not to use one. */
export function maskOpenId(openId: string): string {
  if (openId.length <= 8) return '****';
  return `${openId.slice(0, 4)}****${openId.slice(-4)}`;
}

/** Contacts as the audit trail keeps them: enough to see what changed, not to reach anyone. */
export function maskContacts(c: { phones: readonly string[]; wechatOpenIds: readonly string[] }) {
  return { phones: c.phones.map(maskPhone), wechatOpenIds: c.wechatOpenIds.map(maskOpenId) };
}

/** A private item (or null) with its contacts masked, for the audit trail. */
export function maskPrivate<T extends { contacts: { phones: string[]; wechatOpenIds: string[] } }>(
  p: T | null,
): T | null {
  return p ? { ...p, contacts: maskContacts(p.contacts) } : null;
}

/** Masks an address of a channel. */
export function maskAddress(channel: 'wechat' | 'sms', address: string): string {
  return channel === 'sms' ? maskPhone(address) : maskOpenId(address);
}

/** Mainland mobile numbers, optionally with +86, not embedded in longer digit runs. */
const PHONE_IN_TEXT = /(?<![0-9])(?:\+?86)?(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])/g;
/** WeChat openids are 28 characters starting with `o`; demo and test ids are shorter, so allow 12+. */
const OPENID_IN_TEXT = /(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{11,63}(?![A-Za-z0-9_-])/g;

/**
 * Masks every phone number and openid-shaped token in a string, plus any `known` address given
 * explicitly (an openid of unusual shape is still caught when the caller knows it).
 */
export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const address of known) {
    if (address.length >= 4) out = out.split(address).join(maskAddressGuess(address));
  }
  return out
    .replace(PHONE_IN_TEXT, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(OPENID_IN_TEXT, (m) => maskOpenId(m));
}

function maskAddressGuess(address: string): string {
  return /^\+?\d+$/.test(address) ? maskPhone(address) : maskOpenId(address);
}

/** A structured logger whose every line is redacted before it is written. */
export interface NoticeLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** JSON lines on stdout/stderr, each passed through `redact`. */
export function redactingLogger(
  write: (level: 'info' | 'warn' | 'error', line: string) => void = (level, line) =>
    level === 'info' ? console.log(line) : console.error(line),
): NoticeLogger {
  const emit = (level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown> = {}) =>
    write(level, redact(JSON.stringify({ level, message, ...details })));
  return {
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
  };
}

/** A logger that drops everything (tests and tools that report otherwise). */
export const silentLogger: NoticeLogger = { info: () => {}, warn: () => {}, error: () => {} };
