import { beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '#shared/auth/mint.ts';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import type { District, Role } from '#shared/domain/types.ts';
import { createApp } from '#shared/http/app.ts';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import type { NoticeMessage } from '#shared/notify/message.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { TEST_JWT_SECRET, testConfig } from '../../support/config.ts';
import { body } from '../../support/http.ts';
import { privateFixture, profileFixture, seedInstitutions, usccNo } from '../../support/institutions.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const CLINIC = usccNo(1);
const HOSPITAL = usccNo(2);

function notice(
  uscc: string,
  kind: NoticeMessage['kind'],
  to: string,
  channel: 'sms' | 'wechat' = 'sms',
): NoticeMessage {
  return { v: 1, uscc, kind, cycle: '2027-01-10', channel, to, params: {}, on: '2026-12-11' };
}

describe('notice and contact endpoints', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  const config = () => testConfig();

  const token = (role: Role, extra: { district?: District; uscc?: string } = {}) =>
    mintLocalToken({
      secret: TEST_JWT_SECRET,
      issuer: config().JWT_ISSUER,
      audience: config().JWT_AUDIENCE,
      role,
      ...extra,
    });
  const auth = async (role: Role, extra: { district?: District; uscc?: string } = {}) => ({
    Authorization: `Bearer ${await token(role, extra)}`,
  });

  beforeAll(async () => {
    const table = await dynamo.freshTable();
    await seedInstitutions(
      dynamo.db,
      table,
      [profileFixture(1), profileFixture(2, { kind: 'hospital', name: '测试医疗美容医院' })],
      [privateFixture(1), privateFixture(2)],
    );
    const claims = new NoticeClaimStore(dynamo.db, table);
    const now = new Date('2026-12-11T01:00:00Z');
    const sent = await claims.claim(notice(CLINIC, 'review_due_30', '13912345678'), now, 60_000);
    if (sent.status === 'claimed')
      await claims.markSent(notice(CLINIC, 'review_due_30', '13912345678'), sent.token, now);
    const refused = notice(CLINIC, 'review_due_30', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'wechat');
    const r = await claims.claim(refused, now, 60_000);
    if (r.status === 'claimed')
      await claims.markTerminal(refused, r.token, now, 'user refused to accept the message (43101)');
    await claims.claim(notice(CLINIC, 'result_published', '13912345678'), now, 60_000);
    app = createApp(buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier()));
  });

  it('lists each notice with its state and masked address to the city', async () => {
    const res = await app.request(`/v1/admin/institutions/${CLINIC}/notices`, {
      headers: await auth('city'),
    });
    expect(res.status).toBe(200);
    const json = await body(res);
    expect(json.nextCursor).toBeNull();
    const states = json.items.map(
      (i: { kind: string; channel: string; state: string }) => `${i.kind}/${i.channel}/${i.state}`,
    );
    expect(states.sort()).toEqual([
      'result_published/sms/claimed',
      'review_due_30/sms/sent',
      'review_due_30/wechat/failed_terminal',
    ]);
    const refused = json.items.find((i: { state: string }) => i.state === 'failed_terminal');
    expect(refused.reason).toContain('43101');
    const text = JSON.stringify(json);
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    expect(text).toContain('139****5678');
    for (const i of json.items) {
      for (const t of [i.claimedAt, i.updatedAt, ...(i.sentAt ? [i.sentAt] : [])]) {
        expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
      }
    }
    expect(json.items.some((i: { sentAt: string | null }) => i.sentAt !== null)).toBe(true);
    // A notice not (yet) delivered has no time of sending.
    expect(
      json.items
        .filter((i: { state: string }) => i.state !== 'sent')
        .map((i: { sentAt: unknown }) => i.sentAt),
    ).toEqual([null, null]);
  });

  it('is 404 naming an institution not registered, and keeps its cursor to the institution it pages', async () => {
    const headers = await auth('city');
    const unknown = usccNo(99);
    const missing = await app.request(`/v1/admin/institutions/${unknown}/notices`, { headers });
    expect(missing.status).toBe(404);
    expect((await body(missing)).detail).toBe(`no institution with uscc ${unknown}`);
    const first = await body(
      await app.request(`/v1/admin/institutions/${CLINIC}/notices?limit=1`, { headers }),
    );
    const replayed = await app.request(
      `/v1/admin/institutions/${HOSPITAL}/notices?limit=1&cursor=${first.nextCursor}`,
      { headers },
    );
    expect(replayed.status).toBe(400);
    expect((await body(replayed)).errors[0].path).toBe('cursor');
  });

  it('pages with an opaque cursor that cannot be forged', async () => {
    const headers = await auth('city');
    const first = await body(
      await app.request(`/v1/admin/institutions/${CLINIC}/notices?limit=2`, { headers }),
    );
    expect(first.items).toHaveLength(2);
    const second = await body(
      await app.request(`/v1/admin/institutions/${CLINIC}/notices?limit=2&cursor=${first.nextCursor}`, {
        headers,
      }),
    );
    expect(second.items).toHaveLength(1);
    const forged = await app.request(`/v1/admin/institutions/${CLINIC}/notices?cursor=${first.nextCursor}x`, {
      headers,
    });
    expect(forged.status).toBe(400);
    expect((await body(forged)).errors[0].path).toBe('cursor');
  });

  it('lets a district see its own clinics only, and nobody else', async () => {
    const own = await app.request(`/v1/admin/institutions/${CLINIC}/notices`, {
      headers: await auth('district', { district: '西湖区' }),
    });
    expect(own.status).toBe(200);
    const other = await app.request(`/v1/admin/institutions/${CLINIC}/notices`, {
      headers: await auth('district', { district: '滨江区' }),
    });
    expect(other.status).toBe(403);
    const hospital = await app.request(`/v1/admin/institutions/${HOSPITAL}/notices`, {
      headers: await auth('district', { district: '西湖区' }),
    });
    expect(hospital.status).toBe(403);
    const institution = await app.request(`/v1/admin/institutions/${CLINIC}/notices`, {
      headers: await auth('institution', { uscc: CLINIC }),
    });
    expect(institution.status).toBe(403);
    const anonymous = await app.request(`/v1/admin/institutions/${CLINIC}/notices`);
    expect(anonymous.status).toBe(401);
  });

  it('lets an institution replace its own contacts, answering them masked, never in a public response', async () => {
    const headers = { ...(await auth('institution', { uscc: CLINIC })), 'content-type': 'application/json' };
    const res = await app.request(`/v1/institutions/${CLINIC}/contacts`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        phones: ['13700001111', '13700001111'],
        wechatOpenIds: ['oNEWopenid_0123456789'],
      }),
    });
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({
      uscc: CLINIC,
      phones: ['137****1111'],
      wechatOpenIds: ['oNEW****6789'],
    });
    const detail = await (await app.request(`/v1/institutions/${CLINIC}`)).text();
    expect(detail).not.toContain('13700001111');
    expect(detail).not.toContain('oNEWopenid_0123456789');
  });

  it('names every invalid phone and openid', async () => {
    const headers = { ...(await auth('institution', { uscc: CLINIC })), 'content-type': 'application/json' };
    const res = await app.request(`/v1/institutions/${CLINIC}/contacts`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ phones: ['13700001111', '12345678901'], wechatOpenIds: ['bad id!'] }),
    });
    expect(res.status).toBe(400);
    const paths = (await body(res)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['phones.1', 'wechatOpenIds.0']));
  });

  it('does not serve the local notice page from the Lambda apps', async () => {
    expect((await app.request('/dev/notices')).status).toBe(404);
  });

  it('documents both endpoints in the OpenAPI document, behind the bearer scheme', async () => {
    const doc = await body(await app.request('/openapi.json'));
    expect(doc.paths['/v1/admin/institutions/{uscc}/notices'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/institutions/{uscc}/contacts'].put).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('refuses another institution, a regulator and an anonymous caller', async () => {
    const payload = JSON.stringify({ phones: ['13700001111'], wechatOpenIds: [] });
    const put = async (headers: Record<string, string>) =>
      (
        await app.request(`/v1/institutions/${CLINIC}/contacts`, {
          method: 'PUT',
          headers: { ...headers, 'content-type': 'application/json' },
          body: payload,
        })
      ).status;
    expect(await put(await auth('institution', { uscc: HOSPITAL }))).toBe(403);
    expect(await put(await auth('city'))).toBe(403);
    expect(await put({})).toBe(401);
  });
});
