import { beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_MISSES_PER_WINDOW } from '#shared/http/public/objection-status.ts';
import { lodgeObjection, resolveObjection } from '#shared/services/objections.ts';
import { demoApp } from '../support/demo-app.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { fromSocket } from '../support/proof.ts';

describe('GET /v1/objections/{reference}', () => {
  const dynamo = useTestDynamo();
  let h: Awaited<ReturnType<typeof demoApp>>;
  beforeAll(async () => {
    h = await demoApp(dynamo, 30);
  });

  const inPublicity = () =>
    h.data.profiles.find((p) => p.publicity && p.publicity.startOn <= h.deps.clock.today())!;
  const get = (ref: string, ip = '203.0.113.9') => h.app.request(`/v1/objections/${ref}`, {}, fromSocket(ip));

  it('tells the status, dates and published reason, never the objector or the text', async () => {
    const target = inPublicity();
    const text = '请核实该机构的评分依据（私人内容）';
    const o = await lodgeObjection(h.deps, target.publicity!.resultId, text, 'client-x');
    expect(o.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    const received = await get(o.reference!.toLowerCase());
    expect(received.status).toBe(200);
    const status = await received.json();
    expect(status).toMatchObject({
      reference: `${o.reference!.slice(0, 4)}-${o.reference!.slice(4)}`,
      status: 'received',
      receivedOn: h.deps.clock.today(),
      publicityEndOn: target.publicity!.endOn,
      decidedOn: null,
      reason: null,
      institution: { uscc: target.uscc, name: target.name },
    });
    expect(JSON.stringify(status)).not.toContain('私人内容');
    expect(JSON.stringify(status)).not.toContain('client-x');

    await resolveObjection(h.deps, { subject: 'c1', role: 'city' }, o.id, {
      upheld: false,
      resolution: '评分依据已复核无误。',
    });
    expect(await (await get(o.reference!)).json()).toMatchObject({
      status: 'dismissed',
      decidedOn: h.deps.clock.today(),
      reason: '评分依据已复核无误。',
    });
  });

  it('answers 400 to what is not a reference, 404 to an unknown one, and 429 to a client guessing', async () => {
    expect((await get('not-a-ref', '198.51.100.1')).status).toBe(400);
    expect((await get('ZZZZ-ZZZZ', '198.51.100.1')).status).toBe(404);
    for (let i = 2; i < LOOKUP_MISSES_PER_WINDOW; i++) await get('ZZZZ-ZZZZ', '198.51.100.1');
    const refused = await get('ZZZZ-ZZZZ', '198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('ZZZZ-ZZZZ', '198.51.100.2')).status).toBe(404);
  });
});
