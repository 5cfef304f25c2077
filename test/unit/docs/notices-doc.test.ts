import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOTICE_KINDS } from '#shared/notify/port.ts';
import { SMS_TEMPLATES, SMS_VARIABLES } from '#shared/notify/sms-templates.ts';
import { WECHAT_KIND_FIELDS, WECHAT_TEMPLATE_FIELDS } from '#shared/notify/wechat-fields.ts';

/** docs/notices.md is what an operator copies into the consoles: it must say what the code sends. */
const doc = readFileSync('docs/notices.md', 'utf8');
const rowOf = (kind: string) => doc.split('\n').filter((l) => l.startsWith(`| ${kind} |`));

describe('docs/notices.md, the templates to register', () => {
  it('lists the WeChat template fields with their types, in order', () => {
    let at = 0;
    for (const f of WECHAT_TEMPLATE_FIELDS) {
      const row = `| \`${f.key}\` | ${f.label} | ${f.type} |`;
      expect(doc.indexOf(row), row).toBeGreaterThan(at);
      at = doc.indexOf(row);
    }
  });

  it.each(NOTICE_KINDS)('%s: its SMS template text and code, and its WeChat state', (kind) => {
    const rows = rowOf(kind);
    const sms = rows.find((r) => r.includes(SMS_TEMPLATES[kind].code));
    expect(sms, `SMS row of ${kind}`).toBeDefined();
    expect(sms!.trimEnd().endsWith(`| ${SMS_TEMPLATES[kind].text} |`)).toBe(true);
    expect(rows.some((r) => r.includes(`| ${WECHAT_KIND_FIELDS[kind].state} |`))).toBe(true);
  });

  it('gives every SMS variable its maximum length and names the settings', () => {
    for (const [v, max] of Object.entries(SMS_VARIABLES))
      expect(doc).toMatch(new RegExp(`\\b${v}\\b[^|]*\\| ${max}\\b`));
    for (const setting of ['WECHAT_NOTICE_API', 'WECHAT_TEMPLATE_ID', 'SMS_TEMPLATE_CODES'])
      expect(doc).toContain(`\`${setting}\``);
  });
});
