import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildAdminDeps, clockFrom, registerSource } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { FileExportStore } from '#shared/exports/export-store.ts';
import { FileSnapshotStore } from '#shared/exports/register-snapshot-store.ts';
import { GRADES_CSV, GRADES_EXPORT_JOB } from '#shared/jobs/grades-export.ts';
import { buildJobs, buildOnDemandJobs } from '#shared/jobs/index.ts';
import { acquireDataLock, DataDirLockedError } from '#shared/local/data-lock.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createLocalNotifier } from '#shared/notify/factory.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';
import { LOCAL_GUIDANCE_CONTACTS, localEnvironment, type parseLocalArgs } from './local-env.ts';

/**
 * What every local command stands on: the in-process database on disk under the data directory, the
 * table, the parsed configuration, and the same dependencies and jobs as in AWS with notices going to
 * the local sink.
 */
export async function openLocalRuntime(
  args: ReturnType<typeof parseLocalArgs>,
  command: string,
  opts: { server?: boolean } = {},
) {
  const lock = lockDataDir(args.dataDir, command, opts);
  const dynamo = await startLocalDynamo({ path: join(args.dataDir, 'db') });
  const config = loadConfig(
    localEnvironment({ port: args.port, endpoint: dynamo.endpoint, now: args.now, dataDir: args.dataDir }),
  );
  const db = documentClientFor(config);
  const created = await ensureTable(db as never, config.TABLE_NAME);
  const clock = clockFrom(config);
  const notifier = createLocalNotifier({
    config,
    notifyConfig: loadNotifyConfig({ GUIDANCE_CONTACTS: LOCAL_GUIDANCE_CONTACTS, ...process.env }),
    db,
    dataDir: args.dataDir,
    now: () => clock.now(),
  });
  const deps = buildAdminDeps(config, db, notifier, clock);
  // The local stand-in for the snapshot bucket: the file the register-snapshot job keeps beside the exports.
  deps.register = registerSource(
    new RegisterRows(db, config.TABLE_NAME),
    new FileSnapshotStore(join(args.dataDir, 'exports')),
  );
  const jobs = buildJobs({ config, db, clock, calendar: deps.calendar, notifier, dataDir: args.dataDir });
  const exportJob = jobs.find((j) => j.name === GRADES_EXPORT_JOB);
  const exportStore = new FileExportStore(join(args.dataDir, 'exports'));
  if (exportJob) {
    // The local stand-in for the CDN: the file the job keeps in the data directory, refreshed on demand.
    deps.exportFiles = {
      gradesCsv: async (today) => {
        await exportJob.run(today);
        return exportStore.open(GRADES_CSV);
      },
    };
  }
  return {
    config,
    db,
    deps,
    /** The scheduled jobs (the local timer runs them daily). */
    jobs,
    /** Jobs run only by name, with `npm run job -- NAME`. */
    onDemandJobs: buildOnDemandJobs({ config, db, clock }),
    /** True when the table was created by this start (a new data directory). */
    created,
    lock,
    async close() {
      db.destroy();
      await dynamo.close();
      lock.release();
    },
  };
}

/** Takes the data directory for this command, or says in one line who holds it and exits 1. */
export function lockDataDir(dataDir: string, command: string, opts: { server?: boolean } = {}) {
  mkdirSync(dataDir, { recursive: true });
  try {
    return acquireDataLock(dataDir, command, opts);
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
