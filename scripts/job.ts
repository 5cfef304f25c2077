import { isValidDate } from '#shared/domain/dates.ts';
import { parseCommandArgs } from './local-env.ts';
import { openLocalRuntime } from './local-runtime.ts';

/** `npm run job -- reminders --date 2026-12-01 [--data DIR]`: one scheduled job for one day, locally. */
const args = parseCommandArgs('job', process.argv.slice(2));
const name = args.positionals[0];
const runtime = await openLocalRuntime(args);
try {
  const job = runtime.jobs.find((j) => j.name === name);
  const date = args.date ?? runtime.deps.clock.today();
  if (!job) {
    console.error(`unknown job ${name ?? '(none)'}; jobs: ${runtime.jobs.map((j) => j.name).join(', ')}`);
    process.exitCode = 2;
  } else if (!isValidDate(date)) {
    console.error(`--date must be YYYY-MM-DD, got ${date}`);
    process.exitCode = 2;
  } else {
    console.log(JSON.stringify(await job.run(date), null, 2));
  }
} finally {
  await runtime.close();
}
