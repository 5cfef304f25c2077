import { describe, expect, it } from 'vitest';
import { type AdminHarness, adminHarness, clinicReadyToPublish, publishedClinic } from '../support/admin.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { FAULT_MODES, faultyClient, nthFault } from './support/fault-injection.ts';

/**
 * The regulators' operations through the HTTP API with a DynamoDB fault at each of their calls
 * (before the call reaches the table, and after a write was applied with its answer lost). The
 * caller re-sends the same request until it answers below 500; a retry of an applied step answers
 * 409 by design after completing what the first attempt left undone. The final state — result,
 * profile, history, change feed and notices — must equal a fault-free run's.
 */
interface Operation {
  name: string;
  /** Brings a fresh table to the state before the operation; returns the request to break. */
  arrange(h: AdminHarness): Promise<{ uscc: string; id?: string; send: () => Promise<Response> }>;
  /** Statuses the first answer below 500 may have. */
  accepted: number[];
}

const OPERATIONS: Operation[] = [
  {
    name: 'publish (guidance group)',
    async arrange(h) {
      const { uscc, id } = await clinicReadyToPublish(h, 91);
      const guidance = await h.token('guidance');
      return {
        uscc,
        id,
        send: () => h.call('POST', `/v1/admin/assessments/${id}/publish`, guidance),
      };
    },
    accepted: [200, 409],
  },
  {
    name: 'violation with a downgrade',
    async arrange(h) {
      const { uscc, id } = await publishedClinic(h, 96);
      const city = await h.token('city');
      h.clock.set('2026-12-07T10:00:00+08:00');
      const v = { occurredOn: '2026-12-04', type: 'accident', severity: 'general', description: '术后感染' };
      return { uscc, id, send: () => h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, v) };
    },
    accepted: [201, 409],
  },
];

/** Everything the operation may touch, read through the healthy paths. */
async function outcome(h: AdminHarness, uscc: string) {
  const city = await h.token('city');
  const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
  const admin = await body(await h.call('GET', `/v1/admin/institutions/${uscc}`, city));
  const feed = await h.deps.events.list({ afterSeq: 0, limit: 100, consistent: true });
  const notices = [...new Set(h.notices.intents.map((n) => `${n.uscc}|${n.kind}|${n.cycle}`))].sort();
  return {
    detail,
    admin,
    feed: feed.items.map(({ recordedAt: _r, ...e }) => e),
    notices,
  };
}

/** Replaces what differs between runs (the fixture's uscc and name, result and violation ids) by placeholders. */
function normalise(value: unknown, uscc: string): unknown {
  // Ids first: a random id may happen to contain the uscc's last five characters.
  const text = JSON.stringify(value)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\b[0-9a-f]{20}\b/g, '<hash>')
    .replaceAll(uscc, '<uscc>')
    .replaceAll(uscc.slice(-5), '<tail>');
  return JSON.parse(text);
}

describe('regulators’ operations under DynamoDB faults, through the HTTP API', () => {
  const dynamo = useTestDynamo();

  async function harness() {
    const faults = faultyClient(dynamo.db);
    const h = await adminHarness({ ...dynamo, db: faults.db });
    return { h, faults };
  }

  for (const op of OPERATIONS) {
    it(`${op.name}: the caller's retry after a fault at any DynamoDB call ends as a fault-free run`, {
      timeout: 300_000,
    }, async () => {
      const reference = await harness();
      const ref = await op.arrange(reference.h);
      reference.faults.disarm();
      expect(op.accepted).toContain((await ref.send()).status);
      const calls = [...reference.faults.calls];
      const expected = normalise(await outcome(reference.h, ref.uscc), ref.uscc);
      expect(calls.length).toBeGreaterThan(3);

      // Every call, except inside a run of the same command (the search index's puts), where the
      // first and last of the run stand for the rest: keeps the file within a few seconds.
      const points = calls
        .map((c, at) => (c === calls[at - 1] && c === calls[at + 1] ? -1 : at))
        .filter((at) => at >= 0);
      let i = 0;
      for (const at of points) {
        for (const mode of FAULT_MODES) {
          const fault = nthFault(i++);
          const label = `${op.name}: ${fault} ${mode} call ${at} (${calls[at]})`;
          const { h, faults } = await harness();
          const run = await op.arrange(h);
          faults.arm({ at, fault, mode });
          const first = await run.send();
          faults.disarm();
          const statuses = [first.status];
          let res = first;
          while (res.status >= 500 && statuses.length < 4) {
            res = await run.send();
            statuses.push(res.status);
          }
          expect(op.accepted, `${label}: ${statuses.join(' → ')}`).toContain(res.status);
          if (first.status < 500) {
            // The fault was absorbed (a read retried, a projection re-done): the answer is the normal one.
            expect(first.status, label).toBe(op.accepted[0]);
          }
          expect(normalise(await outcome(h, run.uscc), run.uscc), label).toEqual(expected);
        }
      }
    });
  }
});
