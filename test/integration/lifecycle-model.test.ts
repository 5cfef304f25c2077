import { describe, expect, it } from 'vitest';
import { useTestDynamo } from '../support/local-table.ts';
import { failureReport, runModel } from '../support/model/commands.ts';

/**
 * The service against a reference model of the rules (test/support/model/rules.ts): random sequences of
 * lifecycle actions by every role, with clock moves over holidays, make-up days and past the calendar's
 * end. A fixed seed keeps `npm test` repeatable; `npm run model -- --runs N` runs longer, other seeds.
 */
describe('the lifecycle against the reference model of the rules', () => {
  const dynamo = useTestDynamo();

  it('answers and shows every step as the rules say', { timeout: 180_000 }, async () => {
    const tally = new Map<string, number>();
    const details = await runModel(dynamo, { runs: 20, seed: 29, maxCommands: 30, tally });
    expect(failureReport(details)).toBeNull();
    // The runs reach publication and the refusals of every kind, so a divergence has somewhere to show.
    const taken = [...tally.keys()];
    for (const step of ['publicise 200', 'publish 200', 'publish 409', 'score 422', 'violation 201']) {
      expect(taken).toContain(step);
    }
    expect(taken.some((s) => s.endsWith(' 403'))).toBe(true);
  });
});
