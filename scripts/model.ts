import { parseArgs } from 'node:util';
import { startTestDynamo } from '#test/support/local-table.ts';
import { failureReport, runModel } from '#test/support/model/commands.ts';

/**
 * `npm run model -- --runs N [--seed S] [--path P] [--max-commands M]`: the model-based test of the rules
 * (test/integration/lifecycle-model.test.ts) for N random sequences over the in-process DynamoDB. Prints
 * the steps taken by action and status; a failure is shrunk and printed as a `replay(...)` to paste into a
 * regression test, with the seed and path that replay it here.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'max-commands': { type: 'string', default: '40' },
  },
});
const count = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    console.error(`--${name} takes an integer, got ${value}`);
    process.exit(2);
  }
  return n;
};
const runs = count('runs', values.runs);
const seed =
  values.seed === undefined ? Date.now() ^ (Math.random() * 0x100000000) : count('seed', values.seed);
const dynamo = await startTestDynamo();
const tally = new Map<string, number>();
const stats = { runs: 0, steps: 0, longest: 0 };
const started = performance.now();
const details = await runModel(dynamo, {
  runs,
  seed,
  maxCommands: count('max-commands', values['max-commands']),
  tally,
  stats,
  ...(values.path !== undefined && { path: values.path }),
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
await dynamo.close();
for (const [step, n] of [...tally].sort()) console.log(`${step.padEnd(24)} ${n}`);
console.log(
  `seed ${seed}: ${stats.runs} runs, ${stats.steps} steps (longest run ${stats.longest}) in ${seconds} s`,
);
const failure = failureReport(details);
if (failure) {
  console.error(failure);
  process.exitCode = 1;
}
