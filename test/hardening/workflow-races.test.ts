import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, nextDay, publishedClinic } from '../support/admin.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

/**
 * Races of the regulators' workflow against dynalite. 20 concurrent publish calls on one result and
 * concurrent upgrade applications in one year are in test/integration/admin/races.test.ts; this file
 * adds a downgrade (violation) racing a publication on the same institution.
 */
describe('a downgrade racing a publication on one institution', () => {
  const dynamo = useTestDynamo();

  for (let round = 0; round < 4; round++) {
    it(`keeps both effects, and the profile, history and change feed agree (round ${round + 1})`, async () => {
      const h = await adminHarness(dynamo);
      const { uscc } = await publishedClinic(h, 86);
      const district = await h.token('district', { district: '西湖区' });
      const admin = await h.token('district_admin', { district: '西湖区' });
      const city = await h.token('city');
      const guidance = await h.token('guidance');
      const scored = await expectStatus(
        h.call('POST', '/v1/admin/assessments', district, {
          uscc,
          score: 95,
          assessedOn: h.clock.today(),
          reason: 'review',
        }),
        201,
      );
      const { id } = (await scored.json()) as { id: string };
      await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/approve`, admin), 200);
      await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/recheck`, city), 200);
      const window = (await (
        await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200)
      ).json()) as { endOn: string };
      h.clock.set(`${nextDay(window.endOn)}T09:00:00+08:00`);
      const violation = {
        occurredOn: window.endOn,
        type: 'accident',
        severity: 'general',
        description: '术后感染',
      };
      const send = {
        publish: () => h.call('POST', `/v1/admin/assessments/${id}/publish`, guidance),
        violation: () => h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, violation),
      };
      const order =
        round % 2 === 0 ? (['publish', 'violation'] as const) : (['violation', 'publish'] as const);
      const answers = await Promise.all(order.map((k) => send[k]()));
      const status = Object.fromEntries(order.map((k, i) => [k, answers[i]?.status]));
      let refused: string | undefined;
      // Each either wins or is refused with 409 and settled by the caller's retry; never a 5xx.
      for (const k of order) {
        expect([200, 201, 409]).toContain(status[k]);
        if (status[k] === 409) {
          const again = await send[k]();
          expect([200, 201, 409]).toContain(again.status);
          if (k === 'publish' && again.status === 409) refused = (await body(again)).precondition;
        }
      }
      // A violation that landed first stands over the review, assessed before it: the publication is
      // refused for good (downgrade-not-lifted); one that landed second is applied on top of it.
      const published = refused === undefined;
      if (!published) expect(refused).toBe('downgrade-not-lifted');

      const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
      const history = detail.history as Array<{ grade: string; reason: string }>;
      // Both effects are in the history, once each, and the profile shows the newest entry.
      expect(history.map((e) => e.reason).sort()).toEqual(
        published ? ['downgrade', 'initial', 'review'] : ['downgrade', 'initial'],
      );
      expect(detail.grade).toBe(history[0]?.grade);
      // The review was assessed before the violation: whichever landed first, the downgrade stands.
      expect(detail.grade).toBe('C');
      const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
      const mine = feed.items.filter((e) => e.uscc === uscc);
      expect(mine.filter((e) => e.type === 'published')).toHaveLength(published ? 2 : 1);
      expect(mine.filter((e) => e.type === 'downgraded')).toHaveLength(1);
      // The feed tells the same story in the same order: its last grade-changing event is what the
      // profile shows, and the feed's order of the two racing effects is the history's.
      const changes = mine.filter((e) => e.type === 'published' || e.type === 'downgraded');
      const last = changes.at(-1)?.after as { grade?: string };
      expect(last.grade).toBe(detail.grade);
      expect(changes.map((e) => (e.type === 'downgraded' ? 'downgrade' : 'published')).reverse()).toEqual(
        history.map((e) => (e.reason === 'downgrade' ? 'downgrade' : 'published')),
      );
    });
  }
});
