import { join } from 'node:path';
import { buildAdminDeps, clockFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { isValidDate } from '#shared/domain/dates.ts';
import { buildJobs } from '#shared/jobs/index.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createLocalNotifier } from '#shared/notify/factory.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { LOCAL_GUIDANCE_CONTACTS, localEnvironment, parseLocalArgs } from './local-env.ts';

/** `npm run job -- reminders --date 2026-12-01 [--data DIR]`: one scheduled job for one day, locally. */
const args = parseLocalArgs(process.argv.slice(2));
const name = args.positionals[0];
const dynamo = await startLocalDynamo({ path: join(args.dataDir, 'db') });
try {
  const config = loadConfig(
    localEnvironment({ port: args.port, endpoint: dynamo.endpoint, now: args.now, dataDir: args.dataDir }),
  );
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  await ensureTable(db as never, config.TABLE_NAME);
  const clock = clockFrom(config);
  const notifier = createLocalNotifier({
    config,
    notifyConfig: loadNotifyConfig({ GUIDANCE_CONTACTS: LOCAL_GUIDANCE_CONTACTS, ...process.env }),
    db,
    dataDir: args.dataDir,
    now: () => clock.now(),
  });
  const deps = buildAdminDeps(config, db, notifier, clock);
  const jobs = buildJobs({
    config,
    db,
    clock: deps.clock,
    calendar: deps.calendar,
    notifier,
    dataDir: args.dataDir,
  });
  const job = jobs.find((j) => j.name === name);
  if (!job) {
    console.error(
      `unknown job ${name ?? '(none)'}; jobs: ${jobs.map((j) => j.name).join(', ') || '(none registered)'}`,
    );
    process.exitCode = 2;
  } else {
    const date = args.date ?? deps.clock.today();
    if (!isValidDate(date)) {
      console.error(`--date must be YYYY-MM-DD, got ${date}`);
      process.exitCode = 2;
    } else {
      console.log(JSON.stringify(await job.run(date), null, 2));
    }
  }
  db.destroy();
} finally {
  await dynamo.close();
}
