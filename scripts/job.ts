import { isValidDate } from '#shared/domain/dates.ts';
import { describeHolder, readDataLock } from '#shared/local/data-lock.ts';
import { parseCommandArgs } from './local-env.ts';

/**
 * `npm run job -- reminders --date 2026-12-01 [--data DIR]`: one job (scheduled or on demand) for one day, locally.
 * While `npm start` holds the data directory the job runs inside that server (`POST /dev/jobs/NAME`).
 */
const args = parseCommandArgs('job', process.argv.slice(2));
const name = args.positionals[0];
const holder = readDataLock(args.dataDir);
if (holder?.url && holder.secret) {
  console.error(`running ${name ?? '(none)'} through the server at ${holder.url} (pid ${holder.pid})`);
  const query = args.date ? `?date=${encodeURIComponent(args.date)}` : '';
  const res = await fetch(`${holder.url}/dev/jobs/${encodeURIComponent(name ?? '(none)')}${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${holder.secret}` },
  }).catch((err: unknown) => {
    console.error(`cannot reach the server at ${holder.url}: ${String((err as Error).message ?? err)}`);
    process.exit(1);
  });
  const body = (await res.json()) as { detail?: string };
  if (res.ok) console.log(JSON.stringify(body, null, 2));
  else {
    console.error(body.detail ?? `the server answered ${res.status}`);
    process.exitCode = res.status >= 500 ? 1 : 2;
  }
} else if (holder) {
  console.error(describeHolder(args.dataDir, holder));
  process.exitCode = 1;
} else {
  // Loaded only here: `--help` and a wrong option answer without loading the service.
  const { openLocalRuntime } = await import('./local-runtime.ts');
  const runtime = await openLocalRuntime(args, 'npm run job');
  try {
    const runnable = [...runtime.jobs, ...runtime.onDemandJobs];
    const job = runnable.find((j) => j.name === name);
    const date = args.date ?? runtime.deps.clock.today();
    if (!job) {
      console.error(`unknown job ${name ?? '(none)'}; jobs: ${runnable.map((j) => j.name).join(', ')}`);
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
}
