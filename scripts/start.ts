import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { answerClientErrors } from '#shared/local/client-errors.ts';
import { compressed } from '#shared/local/compress.ts';
import { parseCommandArgs } from './local-env.ts';

/** `npm start`: the whole service on this machine, no cloud account needed. */
const args = parseCommandArgs('start', process.argv.slice(2));
// The port is taken first: a busy port ends the command before the data directory or the demo exists.
// Until the service is ready, the server answers 503.
let serveApp: (req: Request, env?: unknown) => Response | Promise<Response> = () =>
  new Response('starting', { status: 503, headers: { 'Retry-After': '1' } });
let server: ReturnType<typeof serve> | undefined;
const port = await new Promise<number>((resolve) => {
  server = serve(
    { fetch: compressed((req, env) => serveApp(req, env)), port: args.port, hostname: args.host },
    (info) => resolve(info.port),
  );
  answerClientErrors(server as Server);
  server.once('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') console.error(`port ${args.port} is in use; try --port ${args.port + 1}`);
    else console.error(`cannot listen on port ${args.port}: ${err.message}`);
    process.exit(1);
  });
});
// The service's modules load only once the options have passed and the port is taken: `--help`, a wrong
// option and a busy port answer in about a second instead of after the whole app has loaded.
const [
  { createApp },
  { buildFeedRelayJob },
  { buildDemoData, loadDemoData },
  { devJobRoutes },
  { devNoticesRoutes },
  { startScheduler },
  { calendarCoverage },
  { calendarWarning },
  { openLocalRuntime },
] = await Promise.all([
  import('#shared/http/app.ts'),
  import('#shared/jobs/feed-relay.ts'),
  import('#shared/local/demo.ts'),
  import('#shared/local/jobs-endpoint.ts'),
  import('#shared/local/notices-page.ts'),
  import('#shared/local/scheduler.ts'),
  import('#shared/domain/calendar.ts'),
  import('#shared/jobs/calendar-coverage.ts'),
  import('./local-runtime.ts'),
]);
const runtime = await openLocalRuntime({ ...args, port }, 'npm start', { server: true });
const { config, db, deps } = runtime;

if (runtime.created && args.demo) {
  const started = Date.now();
  const data = buildDemoData({ count: 320, today: deps.clock.today(), calendar: deps.calendar });
  await loadDemoData(db, config.TABLE_NAME, data);
  console.log(
    `demo data: ${data.profiles.length} institutions, ${data.results.length} results, ${data.events.length} events (${Date.now() - started} ms)`,
  );
}

const app = createApp({ ...deps, trustProxy: args.trustProxy });
// Local only: the notice sink as a page; never part of the Lambda apps, and on loopback only by default.
if (args.devPages) app.route('/dev', devNoticesRoutes(args.dataDir));
// `npm run job` while this server holds the data directory runs the job here, authenticated by the lock's secret.
app.route(
  '/dev',
  devJobRoutes({
    jobs: [...runtime.jobs, ...runtime.onDemandJobs],
    clock: deps.clock,
    secret: runtime.lock.holder.secret ?? '',
  }),
);
serveApp = (req, env) => app.fetch(req, env as object | undefined);
const scheduler = startScheduler({
  jobs: runtime.jobs,
  clock: deps.clock,
  onReport: (r) => console.log(`job ${JSON.stringify(r)}`),
  onError: (job, err) => console.error(`job ${job} failed: ${String(err)}`),
});
void scheduler.runNow();
// Pushed change events reach the notice sink within seconds (AWS runs the relay every few minutes).
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

// The daily check counts a metric in AWS; locally the operator is told at start.
const coverage = calendarCoverage(deps.calendar, deps.clock.today());
if (coverage.short) console.warn(`warning: ${calendarWarning(coverage)}`);

const base = `http://localhost:${port}`;
runtime.lock.update({ url: base });
console.log(
  [
    `yimei-credit listening on ${base} (${args.rulebook.city.name}, data in ${args.dataDir}, today ${deps.clock.today()})`,
    `  site       ${base}/`,
    `  API docs   ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    args.devPages
      ? `  notices    ${base}/dev/notices`
      : `  notices    not served: ${args.host} is not a loopback address (--expose-dev-pages serves them)`,
    `  stats      ${base}/stats`,
    '  tokens     npm run token -- --role city   (other roles: npm run token -- --help)',
    '  jobs       npm run job -- NAME   (runs through this server while it holds the data directory)',
  ].join('\n'),
);

const shutdown = async () => {
  scheduler.stop();
  server?.close();
  await runtime.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
