import { describe, expect, it } from 'vitest';
import { maskOpenId, maskPhone, redact, redactingLogger } from '#shared/notify/mask.ts';

describe('contact masking', () => {
  it('keeps the first three and last four digits of a phone number', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('+8613912345678')).toBe('139****5678');
  });

  it('keeps four characters at each end of an openid', () => {
    expect(maskOpenId('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).toBe('oUpF****eS6o');
    expect(maskOpenId('short')).toBe('****');
  });

  it('redacts phone numbers and openids anywhere in a text, but not other numbers', () => {
    const text =
      'sent to 13912345678 and oUpF8uMuAJO_M2pxb1Q9zNjWeS6o; uscc 91330106MA2CFXKQ1P; id 12345678901234';
    const out = redact(text);
    expect(out).toContain('139****5678');
    expect(out).toContain('oUpF****eS6o');
    expect(out).not.toContain('13912345678');
    expect(out).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    expect(out).toContain('91330106MA2CFXKQ1P');
    expect(out).toContain('12345678901234');
  });

  it('redacts an address the caller names even when it has an unusual shape', () => {
    expect(redact('to abc-openid-x9', ['abc-openid-x9'])).not.toContain('abc-openid-x9');
  });

  it('writes every log line redacted, details included', () => {
    const lines: string[] = [];
    const logger = redactingLogger((_level, line) => lines.push(line));
    logger.warn('failed for 13800138000', {
      to: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      nested: { phone: '15912345678' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/13800138000|15912345678|oUpF8uMuAJO_M2pxb1Q9zNjWeS6o/);
    expect(lines[0]).toContain('138****8000');
  });
});
