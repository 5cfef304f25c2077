import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '#shared/clock.ts';
import { FileExportStore } from '#shared/exports/export-store.ts';
import { GRADES_CSV, GradesExportJob } from '#shared/jobs/grades-export.ts';
import type { Stats } from '#shared/schemas/search.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';
import { RegisterTallyStore } from '#shared/store/register-tally.ts';
import { demoApp } from '../../support/demo-app.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('grades-export job against dynalite', () => {
  const dynamo = useTestDynamo();
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'exports-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The job over `table`, writing the export into this suite's directory. */
  const exportJob = (table: string, clock: Clock) => {
    const rows = new RegisterRows(dynamo.db, table);
    return new GradesExportJob({
      rows,
      tally: new RegisterTallyStore(dynamo.db, table, rows),
      db: dynamo.db,
      table,
      store: new FileExportStore(dir),
      clock,
    });
  };

  it('writes the register as CSV off the request path, again only when the register or the day changes', async () => {
    const { deps, data, table } = await demoApp(dynamo, 40);
    const job = exportJob(table, deps.clock);
    const today = deps.clock.today();
    const first = await job.run(today);
    expect(first).toMatchObject({ institutions: 40 });
    const file = join(dir, 'v1/export', GRADES_CSV);
    const lines = parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(lines.map((r) => r.uscc).sort()).toEqual(data.profiles.map((p) => p.uscc).sort());
    expect(await job.run(today)).toMatchObject({ skipped: expect.any(String) });

    const p = data.profiles[0]!;
    await deps.writer.saveProfile(p, { ...p, name: '改名后的医疗美容诊所' });
    expect(await job.run(today)).toMatchObject({ institutions: 40 });
    expect(readFileSync(file, 'utf8')).toContain('改名后的医疗美容诊所');
    expect(await job.run('2099-01-01')).toMatchObject({ institutions: 40 });
  });

  it('leaves closed institutions out, as /v1/stats does, so the file has as many rows as stats counts', async () => {
    const { app, deps, data, table } = await demoApp(dynamo, 30);
    const job = exportJob(table, deps.clock);
    const p = data.profiles[3]!;
    await deps.writer.saveProfile(p, { ...p, closed: true, closedOn: deps.clock.today() });
    expect(await job.run(deps.clock.today())).toMatchObject({ institutions: 29 });
    const lines = parse(readFileSync(join(dir, 'v1/export', GRADES_CSV), 'utf8').replace(/^\uFEFF/, ''), {
      columns: true,
    }) as Array<Record<string, string>>;
    const stats = (await (await app.request('/v1/stats')).json()) as Stats;
    expect(stats.total.closed).toBe(1);
    expect(lines).toHaveLength(stats.total.institutions);
    expect(lines.map((r) => r.uscc)).not.toContain(p.uscc);
  });
});
