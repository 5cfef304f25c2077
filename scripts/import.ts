import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { districtNames, isDistrict } from '#shared/domain/rules.ts';
import { formatOf, readSheet } from '#shared/import/sheet.ts';
import { localEnvironment, parseCommandArgs } from './local-env.ts';

/**
 * `npm run import -- FILE.xlsx|FILE.csv [--data DIR] [--role district --district 西湖区]`: imports a
 * register into the local database (while `npm start` holds the
 * data directory this says so in one line: stop it, or POST the file to /v1/admin/imports with a token).
 * Acts as the city unless a district role is given.
 */
const args = parseCommandArgs('import', process.argv.slice(2));
const file = args.positionals[0];
const format = file ? formatOf(file) : null;
if (!file || !format) {
  console.error(
    'usage: npm run import -- FILE.xlsx|FILE.csv [--data DIR] [--role district --district 西湖区]',
  );
  process.exit(2);
}
const role = args.role === 'district' ? 'district' : 'city';
if (role === 'district' && !isDistrict(args.district)) {
  console.error(`--district must be one of ${districtNames().join(' ')}`);
  process.exit(2);
}
const data = new Uint8Array(readFileSync(file));
// Read (and refuse) the file before opening the database: a file past a limit is one line, not a trace.
const sheet = await readSheet(data, format).catch((err: Error) => {
  console.error(`${file}: ${err.message}; nothing was imported (the limits: docs/imports.md)`);
  process.exit(1);
});
// The service's modules load only once the options and the file have passed.
const [
  { buildAdminDeps },
  { loadConfig },
  { ensureTable, startLocalDynamo },
  { RecordingNotifier },
  { importRegister },
  { documentClientFor },
  { lockDataDir },
] = await Promise.all([
  import('#shared/bootstrap.ts'),
  import('#shared/config.ts'),
  import('#shared/local/dynamo-server.ts'),
  import('#shared/notify/port.ts'),
  import('#shared/services/imports.ts'),
  import('#shared/store/dynamo.ts'),
  import('./local-runtime.ts'),
]);
const lock = lockDataDir(args.dataDir, 'npm run import');
const dynamo = await startLocalDynamo({ path: join(args.dataDir, 'db') });
try {
  const config = loadConfig(
    localEnvironment({ port: args.port, endpoint: dynamo.endpoint, now: args.now, dataDir: args.dataDir }),
  );
  const db = documentClientFor(config);
  await ensureTable(db as never, config.TABLE_NAME);
  const deps = buildAdminDeps(config, db, new RecordingNotifier());
  const bar = new cliProgress.SingleBar(
    { format: 'importing [{bar}] {value}/{total} rows', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const report = await importRegister(
    deps,
    {
      subject: `import-cli:${process.env.USER ?? 'local'}`,
      role,
      ...(role === 'district' ? { district: args.district as string } : {}),
    },
    sheet,
    (done, total) => {
      // A bar only on long imports: short ones finish before it would be worth drawing.
      if (!started && total >= 50) {
        bar.start(total, 0);
        started = true;
      }
      if (started) bar.update(done);
    },
  );
  if (started) bar.stop();
  if (report.ok) {
    console.log(
      `imported ${file}: ${report.rows} rows, ${report.created} institutions created, ${report.skipped} already there, ${report.assessments} assessments`,
    );
  } else {
    const total = report.errors.length + (report.errorsOmitted ?? 0);
    console.error(`${file}: ${total} error(s); nothing was imported`);
    for (const e of report.errors) console.error(`  row ${e.row}, column ${e.column}: ${e.message}`);
    if (report.errorsOmitted) console.error(`  … and ${report.errorsOmitted} more`);
    process.exitCode = 1;
  }
  db.destroy();
} finally {
  await dynamo.close();
  lock.release();
}
