import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDynamo } from '../support/local-table.ts';
import { type FuzzTarget, fuzz, fuzzTarget, printStats } from './fuzz-harness.ts';
import { changedKeys, snapshotTable } from './support/table-snapshot.ts';

/** CI runs 10 000 requests; `npm run fuzz` many more with the same generators (FUZZ_RUNS, FUZZ_SEED). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

describe('every operation of the OpenAPI document under generated requests', () => {
  const dynamo = useTestDynamo();
  let target: FuzzTarget;

  beforeAll(async () => {
    target = await fuzzTarget(dynamo, 24);
  });

  it(
    'never answers 5xx, answers errors with a documented status as problem+json, and writes nothing it refused',
    async () => {
      const known = {
        usccs: target.data.profiles.map((p) => p.uscc),
        resultIds: target.data.results.map((r) => r.id),
      };
      const before = await snapshotTable(dynamo.db, target.table, known);
      const started = performance.now();
      const stats = await fuzz(target, RUNS, SEED);
      printStats(stats, performance.now() - started);
      const after = await snapshotTable(dynamo.db, target.table, known);

      expect(stats.requests).toBeGreaterThanOrEqual(RUNS);
      for (const op of target.operations) {
        expect(
          stats.perOperation.get(`${op.method} ${op.path}`) ?? 0,
          `${op.method} ${op.path}`,
        ).toBeGreaterThan(0);
      }
      // Only requests that were accepted may have changed the table.
      const unexplained = changedKeys(before, after).filter((k) => !stats.acceptedWrites.has(k));
      expect(unexplained).toEqual([]);
    },
    Math.max(120_000, RUNS * 30),
  );
});
