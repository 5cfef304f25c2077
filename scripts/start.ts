import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { buildAdminDeps, clockFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createApp } from '#shared/http/app.ts';
import { buildFeedRelayJob } from '#shared/jobs/feed-relay.ts';
import { buildJobs } from '#shared/jobs/index.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { devNoticesRoutes } from '#shared/local/notices-page.ts';
import { startScheduler } from '#shared/local/scheduler.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createLocalNotifier } from '#shared/notify/factory.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { LOCAL_GUIDANCE_CONTACTS, localEnvironment, parseLocalArgs } from './local-env.ts';

/** `npm start`: the whole service on this machine, no cloud account needed. */
const args = parseLocalArgs(process.argv.slice(2));
const dynamo = await startLocalDynamo({ path: join(args.dataDir, 'db') });
const config = loadConfig(
  localEnvironment({ port: args.port, endpoint: dynamo.endpoint, now: args.now, dataDir: args.dataDir }),
);
const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const clock = clockFrom(config);
const notifier = createLocalNotifier({
  config,
  notifyConfig: loadNotifyConfig({ GUIDANCE_CONTACTS: LOCAL_GUIDANCE_CONTACTS, ...process.env }),
  db,
  dataDir: args.dataDir,
  now: () => clock.now(),
});
const deps = buildAdminDeps(config, db, notifier, clock);

const created = await ensureTable(db as never, config.TABLE_NAME);
if (created && args.demo) {
  const started = Date.now();
  const data = buildDemoData({ count: 320, today: deps.clock.today(), calendar: deps.calendar });
  await loadDemoData(db, config.TABLE_NAME, data);
  console.log(
    `demo data: ${data.profiles.length} institutions, ${data.results.length} results, ${data.events.length} events (${Date.now() - started} ms)`,
  );
}

const app = createApp(deps);
// Local only: the notice sink as a page; never part of the Lambda apps.
app.route('/dev', devNoticesRoutes(args.dataDir));
let server: ReturnType<typeof serve> | undefined;
const port = await new Promise<number>((resolve) => {
  server = serve({ fetch: app.fetch, port: args.port, hostname: '0.0.0.0' }, (info) => resolve(info.port));
});
const scheduler = startScheduler({
  jobs: buildJobs({
    config,
    db,
    clock: deps.clock,
    calendar: deps.calendar,
    notifier,
    dataDir: args.dataDir,
  }),
  clock: deps.clock,
  onReport: (r) => console.log(`job ${JSON.stringify(r)}`),
  onError: (job, err) => console.error(`job ${job} failed: ${String(err)}`),
});
void scheduler.runNow();
// Pushed change events reach the notice sink within seconds (AWS runs the relay every minute).
const feedRelay = buildFeedRelayJob({
  config,
  db,
  clock: deps.clock,
  calendar: deps.calendar,
  dataDir: args.dataDir,
});
setInterval(() => {
  feedRelay.run(deps.clock.today()).catch((err) => console.error(`job feed-relay failed: ${String(err)}`));
}, 5_000).unref();

console.log(
  `yimei-credit listening on http://localhost:${port} (data in ${args.dataDir}, today ${deps.clock.today()})`,
);

const shutdown = async () => {
  scheduler.stop();
  server?.close();
  await dynamo.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
