import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '#shared/auth/mint.ts';
import { BreakdownSchema } from '#shared/schemas/admin.ts';
import {
  type AdminHarness,
  adminHarness,
  expectStatus,
  hospitalIn,
  hospitalInPublicity,
} from '../support/admin.ts';
import { TEST_JWT_SECRET, testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { unsignedCityToken } from './support/tokens.ts';

/**
 * Inputs an attacker controls, on every path that takes them: phone numbers, breakdown item names,
 * list cursors and bearer tokens. Each is refused with a 4xx naming what is wrong, never a 500.
 */

async function resultInPublicity(h: AdminHarness, city: string) {
  const result = await hospitalInPublicity(h, city);
  for (const text of ['评分过高', '材料不实']) {
    await expectStatus(h.call('POST', `/v1/publicity/${result.id}/objections`, null, { text }), 201);
  }
  return result;
}

describe('re-checked inputs', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  let city: string;
  let a: { uscc: string; id: string };
  let b: { uscc: string; id: string };
  beforeAll(async () => {
    h = await adminHarness(dynamo);
    city = await h.token('city');
    a = await resultInPublicity(h, city);
    b = await resultInPublicity(h, city);
  });

  describe('phone numbers: mainland mobiles only, on every path that stores one', () => {
    const BAD = [
      '+447700900123',
      '+8613912345678',
      '8613912345678',
      '12912345678',
      '1391234567',
      '139123456789',
      '１３９１２３４５６７８',
      '139 1234 5678',
    ];
    const paths: [string, (phone: string) => Promise<Response>][] = [
      [
        'admin registration',
        (phone) =>
          h.call('POST', '/v1/admin/institutions', city, {
            ...hospitalIn('西湖区'),
            contacts: { phones: [phone] },
          }),
      ],
      [
        'admin update',
        (phone) =>
          h.call('PATCH', `/v1/admin/institutions/${a.uscc}`, city, { contacts: { phones: [phone] } }),
      ],
      [
        "the institution's own contacts",
        async (phone) =>
          h.call(
            'PUT',
            `/v1/institutions/${a.uscc}/contacts`,
            await h.token('institution', { uscc: a.uscc }),
            {
              phones: [phone],
              wechatOpenIds: [],
            },
          ),
      ],
    ];
    it.each(paths.flatMap(([name, send]) => BAD.map((phone) => [name, phone, send] as const)))(
      '%s refuses %s with 400 naming phones',
      async (_name, phone, send) => {
        const res = await send(phone);
        expect(res.status).toBe(400);
        expect(JSON.stringify((await body(res)).errors)).toContain('phones');
      },
    );
  });

  describe('breakdown item names that reach a prototype', () => {
    const NAMES = [
      'constructor',
      '__proto__',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
    ];
    it.each(NAMES)('the assessment path refuses %s with 400 naming breakdown', async (name) => {
      const res = await h.app.request('/v1/admin/assessments', {
        method: 'POST',
        headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
        body: `{"uscc":"${a.uscc}","score":90,"assessedOn":"2026-11-23","reason":"review","breakdown":{"${name}":90}}`,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify((await body(res)).errors)).toContain('breakdown');
    });
    it.each(NAMES)('the schema every breakdown passes (upgrade decisions too) refuses %s', (name) => {
      expect(BreakdownSchema.safeParse(JSON.parse(`{"${name}": 1}`)).success).toBe(false);
    });
  });

  describe('cursors: tampered or used on another list → 400, never 500', () => {
    const page = async (path: string) => {
      const res = await expectStatus(h.call('GET', path, city), 200);
      const { nextCursor } = await body(res);
      expect(nextCursor, path).toEqual(expect.any(String));
      return nextCursor as string;
    };
    /** Each list: where its first page is, and the parameter its cursor goes back in. */
    const lists = {
      objectionsOfA: () => [`/v1/admin/assessments/${a.id}/objections?limit=1`, 'cursor'],
      objectionsOfB: () => [`/v1/admin/assessments/${b.id}/objections?limit=1`, 'cursor'],
      auditOfA: () => [`/v1/admin/audit?uscc=${a.uscc}&limit=1`, 'cursor'],
      auditOfB: () => [`/v1/admin/audit?uscc=${b.uscc}&limit=1`, 'cursor'],
      publicity: () => ['/v1/publicity?limit=1', 'cursor'],
      changes: () => ['/v1/changes?limit=1', 'since'],
    } satisfies Record<string, () => [string, string]>;
    type List = keyof typeof lists;
    const first = (list: List) => page(lists[list]()[0]);
    const resume = (list: List, cursor: string) => {
      const [path, param] = lists[list]();
      return h.call('GET', `${path}&${param}=${encodeURIComponent(cursor)}`, city);
    };
    const CROSS: [List, List][] = [
      ['objectionsOfA', 'objectionsOfB'],
      ['auditOfA', 'auditOfB'],
      ['objectionsOfA', 'auditOfA'],
      ['auditOfA', 'objectionsOfA'],
      ['publicity', 'changes'],
      ['changes', 'publicity'],
      ['publicity', 'objectionsOfA'],
      ['auditOfA', 'changes'],
    ];
    it.each(CROSS)('a cursor of %s used on %s', async (from, to) => {
      const res = await resume(to, await first(from));
      expect(res.status).toBe(400);
      expect(JSON.stringify((await body(res)).errors)).toMatch(/cursor|since/);
    });

    const TAMPER: [string, (c: string) => string][] = [
      ['a flipped tag character', (c) => `${c.slice(0, -3)}${c.at(-3) === 'A' ? 'B' : 'A'}${c.slice(-2)}`],
      [
        'a tag cut to 16 bytes',
        (c) =>
          `${c.split('.')[0]}.${Buffer.from(c.split('.')[1]!, 'base64url').subarray(0, 16).toString('base64url')}`,
      ],
      [
        'an edited payload',
        (c) => `${Buffer.from('{"pk":"R#x","sk":"OBJ#y"}').toString('base64url')}.${c.split('.')[1]}`,
      ],
      ['no tag', (c) => c.split('.')[0]!],
      ['a third part', (c) => `${c}.x`],
    ];
    it.each(TAMPER)('%s on the objections, audit and publicity lists', async (_name, tamper) => {
      for (const list of ['objectionsOfA', 'auditOfA', 'publicity', 'changes'] as const) {
        const res = await resume(list, tamper(await first(list)));
        expect(res.status, list).toBe(400);
      }
    });
  });

  describe('bearer tokens', () => {
    const config = testConfig();
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const signed = (claims: Record<string, unknown>, build: (j: SignJWT) => SignJWT = (j) => j) =>
      build(
        new SignJWT({ role: 'city', ...claims })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(config.JWT_ISSUER)
          .setAudience(config.JWT_AUDIENCE)
          .setSubject('probe'),
      ).sign(key);
    const TOKENS: [string, () => Promise<string | null>][] = [
      ['none', async () => null],
      ['garbage', async () => 'not-a-token'],
      ['without exp', () => signed({}, (j) => j.setIssuedAt(now))],
      ['expired', () => signed({}, (j) => j.setIssuedAt(now - 7200).setExpirationTime(now - 3600))],
      [
        'not yet valid (nbf in an hour)',
        () => signed({}, (j) => j.setExpirationTime(now + 7200).setNotBefore(now + 3600)),
      ],
      [
        'issued in the future',
        () => signed({}, (j) => j.setIssuedAt(now + 3600).setExpirationTime(now + 7200)),
      ],
      [
        'signed with another key',
        () =>
          mintLocalToken({
            secret: 'another-secret-of-sufficient-length-000',
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            role: 'city',
          }),
      ],
      ['unsigned (alg none)', async () => unsignedCityToken(config, now)],
    ];
    /** What a JWT library says when it refuses a token: none of it may reach the client. */
    const LIBRARY_TEXT =
      /ERR_J|JWS|JWT |jose|signature verification failed|"exp" claim|Invalid Compact|timestamp check/i;

    it.each(TOKENS)('%s → 401 with WWW-Authenticate: Bearer and no library text', async (_name, make) => {
      const token = await make();
      const res = await h.call('GET', `/v1/admin/institutions/${a.uscc}`, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      const text = await res.text();
      expect(text).not.toMatch(LIBRARY_TEXT);
      expect(JSON.parse(text)).toMatchObject({ status: 401 });
    });

    it('takes the same token once it has an exp (the probe itself is sound)', async () => {
      const res = await h.call(
        'GET',
        `/v1/admin/institutions/${a.uscc}`,
        await signed({}, (j) => j.setIssuedAt(now).setExpirationTime(now + 600)),
      );
      expect(res.status).toBe(200);
    });
  });
});
