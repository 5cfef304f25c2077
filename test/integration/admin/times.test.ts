import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, postPublicity, scoredHospital } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const PLUS_EIGHT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

describe('times are given with the +08:00 offset', () => {
  const dynamo = useTestDynamo();

  it('in change events, audit, objections and the Atom feed', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id, city } = await scoredHospital(h, '滨江区');
    await postPublicity(h, city, id);
    const objection = await body(
      await expectStatus(h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '评分过高' }), 201),
    );
    expect(objection.lodgedAt).toMatch(PLUS_EIGHT);
    expect(objection.lodgedAt).toBe('2026-11-23T10:00:00.000+08:00');

    const changes = await body(await h.call('GET', '/v1/changes?limit=10', null));
    expect(changes.items.length).toBeGreaterThan(0);
    for (const e of changes.items) expect(e.occurredAt).toMatch(PLUS_EIGHT);

    const audit = await body(await h.call('GET', `/v1/admin/audit?uscc=${uscc}`, city));
    expect(audit.items.length).toBeGreaterThan(0);
    for (const a of audit.items) expect(a.at).toMatch(PLUS_EIGHT);

    const atom = await (await h.call('GET', '/v1/changes.atom?limit=10', null)).text();
    const updated = [...atom.matchAll(/<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);
    expect(updated.length).toBeGreaterThan(1);
    for (const u of updated) expect(u).toMatch(PLUS_EIGHT);
  });
});
