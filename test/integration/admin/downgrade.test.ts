import { describe, expect, it } from 'vitest';
import {
  type AdminHarness,
  adminHarness,
  cityResultInPublicity,
  expectStatus,
  nextDay,
  registeredHospital,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const dynamo = useTestDynamo();

/** A B hospital of 滨江区 (88, published) whose upgrade result (96) is in publicity. */
async function upgradeInPublicity(h: AdminHarness) {
  const { uscc, city } = await registeredHospital(h, '滨江区');
  const guidance = await h.token('guidance');
  const first = await cityResultInPublicity(h, uscc, 88);
  h.clock.set(`${nextDay(first.endOn)}T09:00:00+08:00`);
  await expectStatus(h.call('POST', `/v1/admin/assessments/${first.id}/publish`, guidance), 200);
  return { uscc, city, guidance, upgrade: await cityResultInPublicity(h, uscc, 96, 'review') };
}

describe('a downgrade stands until a result assessed after it is published', () => {
  it('refuses with 409 to publish a result assessed before the violation, and publishes one assessed after', async () => {
    const h = await adminHarness(dynamo);
    // An upgrade scored 96, in publicity when a serious violation downgrades B to D.
    const { uscc, city, guidance, upgrade } = await upgradeInPublicity(h);
    h.clock.set(`${nextDay(h.clock.today())}T09:00:00+08:00`);
    const violationDay = h.clock.today();
    const v = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, {
          occurredOn: violationDay,
          type: 'violation',
          severity: 'serious',
          description: '超范围开展手术',
        }),
        201,
      ),
    );
    expect(v.gradeAfter).toBe('D');

    h.clock.set(`${nextDay(upgrade.endOn)}T09:00:00+08:00`);
    const refused = await h.call('POST', `/v1/admin/assessments/${upgrade.id}/publish`, guidance);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = await body(refused);
    expect(problem.detail).toContain(violationDay);
    expect(problem.detail).toContain('downgrade to D');
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).grade).toBe('D');

    // Scored again after the violation: that result is published and sets the grade.
    const rescored = await cityResultInPublicity(h, uscc, 91, 'review');
    h.clock.set(`${nextDay(rescored.endOn)}T09:00:00+08:00`);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${rescored.id}/publish`, guidance), 200);
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).grade).toBe('B');
  });
});

/**
 * The interleavings a publication check cannot see: the violation is committed after the publish
 * step read the violations and before it wrote. The downgrade must stand however the writes land.
 */
describe('an older result racing a downgrade never lifts it', () => {
  /** A B hospital (88) whose upgrade (96) has finished publicity; the clock is the day after. */
  async function upgradeReady(h: AdminHarness) {
    const { uscc, city, guidance, upgrade } = await upgradeInPublicity(h);
    h.clock.set(`${nextDay(upgrade.endOn)}T09:00:00+08:00`);
    const violation = () =>
      h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, {
        occurredOn: h.clock.today(),
        type: 'violation',
        severity: 'serious',
        description: '超范围开展手术',
      });
    const publish = () => h.call('POST', `/v1/admin/assessments/${upgrade.id}/publish`, guidance);
    return { uscc, violation, publish };
  }

  async function story(h: AdminHarness, uscc: string) {
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    const changes = feed.items.filter(
      (e) => e.uscc === uscc && (e.type === 'published' || e.type === 'downgraded'),
    );
    return {
      grade: detail.grade as string,
      history: (detail.history as Array<{ grade: string; reason: string }>).map(
        (e) => `${e.reason}:${e.grade}`,
      ),
      lastFeedGrade: (changes.at(-1)?.after as { grade?: string } | undefined)?.grade,
    };
  }

  it('a violation recorded in full between the publish check and its write is applied again on top', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, violation, publish } = await upgradeReady(h);
    const real = h.deps.workflow.listViolations.bind(h.deps.workflow);
    let first = true;
    h.deps.workflow.listViolations = async (u) => {
      if (!first) return real(u);
      first = false;
      const seen = await real(u);
      // The violation lands completely after the check read: the check decides on a stale list.
      await expectStatus(violation(), 201);
      return seen;
    };
    await expectStatus(publish(), 200);
    const s = await story(h, uscc);
    expect(s.grade).toBe('D');
    expect(s.history).toEqual(['downgrade:D', 'review:A', 'downgrade:D', 'initial:B']);
    expect(s.lastFeedGrade).toBe('D');
  });

  it('a violation committed but not yet shown when the result is published is shown on top of it', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, violation, publish } = await upgradeReady(h);
    const realList = h.deps.workflow.listViolations.bind(h.deps.workflow);
    const realCreate = h.deps.workflow.createViolation.bind(h.deps.workflow);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let committed: () => void = () => {};
    const isCommitted = new Promise<void>((r) => {
      committed = r;
    });
    h.deps.workflow.createViolation = async (v) => {
      await realCreate(v);
      committed();
      await gate;
    };
    let checks = 0;
    h.deps.workflow.listViolations = async (u) => (checks++ === 0 ? [] : realList(u));
    const recording = violation();
    await isCommitted;
    await expectStatus(publish(), 200);
    expect((await story(h, uscc)).grade).toBe('D');
    release();
    await expectStatus(recording, 201);
    const s = await story(h, uscc);
    expect(s.grade).toBe('D');
    expect(s.history).toEqual(['downgrade:D', 'review:A', 'initial:B']);
    expect(s.lastFeedGrade).toBe('D');
  });

  it('with the calls in the other order the publication is refused naming the downgrade', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, violation, publish } = await upgradeReady(h);
    await expectStatus(violation(), 201);
    const refused = await publish();
    expect(refused.status).toBe(409);
    expect((await body(refused)).detail).toContain('downgrade to D');
    expect((await story(h, uscc)).grade).toBe('D');
  });
});
