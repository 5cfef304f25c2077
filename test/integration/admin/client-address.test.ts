import { describe, expect, it } from 'vitest';
import { createApp } from '#shared/http/app.ts';
import { VIEWER_ADDRESS_HEADER, viewerAddress } from '#shared/http/client-address.ts';
import { ORIGIN_VERIFY_HEADER } from '#shared/http/origin-verify.ts';
import { OBJECTIONS_PER_CLIENT_PER_DAY } from '#shared/services/objections.ts';
import { type AdminHarness, adminHarness, hospitalInPublicity } from '../../support/admin.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { fromSocket, objectFrom } from '../../support/proof.ts';

const REAL = '203.0.113.7';
const ORIGIN_SECRET = 'origin-secret-0123456789abcdef';
/** API Gateway's source address for a request from CloudFront: an edge server, not the viewer. */
const EDGE = '130.176.0.10';

/** The app as CloudFront reaches it: every request (the challenge too) carries the origin secret. */
function behindCloudFront(h: AdminHarness) {
  const app = createApp({ ...h.deps, originVerifySecret: ORIGIN_SECRET }, { error: () => {} });
  return {
    request: (path: string, init: RequestInit = {}, env?: object) =>
      app.request(
        path,
        { ...init, headers: { [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET, ...init.headers } },
        env,
      ),
  };
}

const httpApiEvent = (sourceIp: string) => ({
  event: { version: '2.0', requestContext: { http: { sourceIp } } },
});
const restApiEvent = (sourceIp: string) => ({ event: { requestContext: { identity: { sourceIp } } } });

interface Source {
  name: string;
  app: (h: AdminHarness) => Pick<AdminHarness['app'], 'request'> | ReturnType<typeof behindCloudFront>;
  env: object;
  headers?: Record<string, string>;
}

const SOURCES: Source[] = [
  { name: 'the local socket', app: (h) => h.app, env: fromSocket(REAL) },
  { name: 'an HTTP API (v2) event', app: (h) => h.app, env: httpApiEvent(REAL) },
  {
    name: 'a function URL event behind CloudFront (viewer address, origin secret)',
    app: behindCloudFront,
    env: httpApiEvent(EDGE),
    headers: { [VIEWER_ADDRESS_HEADER]: `${REAL}:46532` },
  },
  { name: "China's REST API (v1) event", app: (h) => h.app, env: restApiEvent(REAL) },
];

describe("the client's address comes from the platform", () => {
  const dynamo = useTestDynamo();

  for (const source of SOURCES) {
    it(`counts 20 objections with 20 forged X-Forwarded-For first entries from one address as one client: ${source.name}`, async () => {
      const h = await adminHarness(dynamo);
      const id = (await hospitalInPublicity(h)).id;
      const app = source.app(h);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const forged = { 'X-Forwarded-For': `198.51.100.${i}, ${REAL}`, ...source.headers };
        const res = await objectFrom(app, id, REAL, `第${i}条异议`, { headers: forged, env: source.env });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(OBJECTIONS_PER_CLIENT_PER_DAY);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20 - OBJECTIONS_PER_CLIENT_PER_DAY);
      expect(await h.deps.workflow.listObjections(id)).toHaveLength(OBJECTIONS_PER_CLIENT_PER_DAY);
    });
  }

  it('behind CloudFront, counts two viewers apart though both arrive from one edge server', async () => {
    const h = await adminHarness(dynamo);
    const id = (await hospitalInPublicity(h)).id;
    const app = behindCloudFront(h);
    const from = (viewer: string, i: number) =>
      objectFrom(app, id, viewer, `异议 ${viewer} ${i}`, {
        env: httpApiEvent(EDGE),
        headers: { [VIEWER_ADDRESS_HEADER]: viewer },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await from('198.51.100.1:443', i)).status);
    for (let i = 0; i < 4; i++) statuses.push((await from('2001:db8::7:50000', i)).status);
    expect(statuses).toEqual([201, 201, 201, 429, 201, 201, 201, 429]);
  });

  it('ignores a viewer address the client wrote on a request without the origin secret', async () => {
    const h = await adminHarness(dynamo);
    const id = (await hospitalInPublicity(h)).id;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const headers = { [VIEWER_ADDRESS_HEADER]: `192.0.2.${i}:1000` };
      statuses.push(
        (await objectFrom(h.app, id, REAL, `异议 ${i}`, { headers, env: httpApiEvent(REAL) })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });

  it('reads CloudFront-Viewer-Address without its port, IPv4 and IPv6, and refuses anything else', () => {
    expect(viewerAddress('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(viewerAddress('2001:db8:85a3::8a2e:370:7334:46532')).toBe('2001:db8:85a3::8a2e:370:7334');
    expect(viewerAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    for (const bad of [undefined, '', '198.51.100.10', 'evil:80', ':80', '198.51.100.10:port']) {
      expect(viewerAddress(bad)).toBeUndefined();
    }
  });
});
