import { describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import type { Actor } from '#shared/domain/types.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { parseCsv } from '#shared/import/csv.ts';
import { IMPORT_COMMIT, IMPORT_LIMITS } from '#shared/import/limits.ts';
import { readSheet } from '#shared/import/sheet.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { importedAssessmentId, importRegister } from '#shared/services/imports.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { movableClock } from '../support/admin.ts';
import { testConfig } from '../support/config.ts';
import { type TestDynamo, useTestDynamo } from '../support/local-table.ts';
import { faultyClient } from './support/fault-injection.ts';
import { changedKeys, snapshotTable } from './support/table-snapshot.ts';

/**
 * What an import guarantees when it writes (docs/imports.md "What all-or-nothing means"): a file with
 * any error writes nothing, at any size up to the row limit; a commit broken part-way (a DynamoDB
 * fault, the function's timeout) leaves the rows written so far, and sending the same file again
 * completes it to exactly what one clean import gives.
 */
const CITY: Actor = { subject: 'import-test', role: 'city' };
const HEADER = 'uscc,name,kind,district,address,phones,score,assessedOn';
let series = 0;

function register(rows: number) {
  series++;
  const usccs = Array.from({ length: rows }, (_, i) =>
    makeUscc(`91330106M${String(series).padStart(2, '0')}${String(i).padStart(6, '0')}`),
  );
  const lines = usccs.map(
    (u, i) =>
      `${u},杭州导入${series}-${i}医疗美容门诊部,outpatient,滨江区,杭州市滨江区江南大道${i}号,13981110001,${80 + (i % 15)},2026-11-02`,
  );
  return { usccs, lines };
}

/**
 * A snapshot without what differs between two equal imports: the random write token of each profile
 * write, and the feed's sequence numbers (rows are written a few at once, so events take their slots
 * in any order): a feed item is keyed by its event key, or its claim's, without its number.
 */
async function state(db: TestDynamo['db'], table: string, known: { usccs: string[]; resultIds: string[] }) {
  const snap = await snapshotTable(db, table, known);
  return new Map(
    [...snap].map(([k, v]) => {
      const item = JSON.parse(v) as Record<string, unknown>;
      delete item.writeToken;
      if (!k.startsWith('FEED|')) return [k, JSON.stringify(item)];
      for (const numbered of ['sk', 'seq', 'id']) delete item[numbered];
      return [`FEED|${String(item.key ?? k)}`, JSON.stringify(item)];
    }),
  );
}

const csv = (lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\n'));
const resultIds = (usccs: string[], lines: string[]) =>
  usccs.map((uscc, i) => {
    const [, , , , , , score, assessedOn] = parseCsv(lines[i] as string)[0] as string[];
    return importedAssessmentId(uscc, {
      score: Number(score),
      assessedOn: assessedOn as string,
      reason: 'initial',
    });
  });

describe('register imports write all or nothing', () => {
  const dynamo = useTestDynamo();

  const depsOn = async (db = dynamo.db, table?: string) => {
    const name = table ?? (await dynamo.freshTable());
    const clock = movableClock('2026-11-23T10:00:00+08:00');
    return {
      table: name,
      deps: buildAdminDeps(testConfig({ TABLE_NAME: name }), db, new RecordingNotifier(), clock),
    };
  };

  it('writes nothing from a file of the row limit whose last row is wrong, or whose row clashes with the register', async () => {
    const { usccs, lines } = register(IMPORT_LIMITS.rows);
    const { table, deps } = await depsOn();
    // The clashing row's and a few others' partitions; any other institution written would show in the
    // register index, any event in the feed.
    const sample = [7, 0, IMPORT_LIMITS.rows - 1];
    const known = {
      usccs: sample.map((i) => usccs[i] as string),
      resultIds: sample.map((i) => resultIds(usccs, lines)[i] as string),
    };
    // One row already registered under another name: it passes every check of the file on its own.
    const clash = await importRegister(deps, CITY, await readSheet(csv([lines[7] as string]), 'csv'));
    expect(clash).toMatchObject({ ok: true, created: 1 });
    const before = await snapshotTable(dynamo.db, table, known);
    const head = await deps.events.headSeq();

    const lastWrong = [...lines.slice(0, -1), (lines.at(-1) as string).replace('13981110001', '12345')];
    const wrong = await importRegister(deps, CITY, await readSheet(csv(lastWrong), 'csv'));
    expect(wrong).toMatchObject({ ok: false, created: 0, skipped: 0, assessments: 0 });
    expect(wrong.errors).toEqual([
      { row: IMPORT_LIMITS.rows + 1, column: 'phones', message: expect.any(String) },
    ]);

    const renamed = lines.map((l, i) => (i === 7 ? l.replace('医疗美容门诊部', '医美门诊部') : l));
    const clashing = await importRegister(deps, CITY, await readSheet(csv(renamed), 'csv'));
    expect(clashing.ok).toBe(false);
    expect(clashing.errors).toEqual([
      { row: 9, column: 'uscc', message: expect.stringMatching(/already registered/) },
    ]);

    expect(changedKeys(before, await snapshotTable(dynamo.db, table, known))).toEqual([]);
    expect(await deps.events.headSeq()).toBe(head);
  }, 300_000);

  it('completes a commit broken part-way when the same file is sent again, to what one clean import writes', async () => {
    const { usccs, lines } = register(24);
    const known = { usccs, resultIds: resultIds(usccs, lines) };
    const sheet = await readSheet(csv(lines), 'csv');

    const clean = await depsOn();
    const cleanReport = await importRegister(clean.deps, CITY, sheet);
    expect(cleanReport).toMatchObject({ ok: true, created: 24, assessments: 24 });
    const expected = await state(dynamo.db, clean.table, known);

    // Faults after a write was applied and its answer lost, early, half-way and late in the commit
    // (the register check takes the first call of each row).
    let broken = 0;
    for (const at of [usccs.length + 5, usccs.length + 200, usccs.length + 400]) {
      const faults = faultyClient(dynamo.db);
      const run = await depsOn(faults.db);
      faults.arm({ at, fault: 'InternalServerError', mode: 'after' });
      const first = await importRegister(run.deps, CITY, sheet).then(
        () => null,
        (err: unknown) => err,
      );
      faults.disarm();
      if (first) {
        broken++;
        const partial = await snapshotTable(dynamo.db, run.table, known);
        const written = usccs.filter((u) => [...partial.keys()].some((k) => k.startsWith(`INST#${u}|`)));
        expect(written.length, `fault at call ${at}`).toBeLessThan(usccs.length);
        const again = await importRegister(run.deps, CITY, sheet);
        expect(again, `fault at call ${at}`).toMatchObject({ ok: true, errors: [] });
        expect(again.created + again.skipped).toBe(usccs.length);
      }
      expect(changedKeys(expected, await state(dynamo.db, run.table, known)), `fault at call ${at}`).toEqual(
        [],
      );
    }
    expect(broken).toBeGreaterThan(0);
  }, 300_000);

  it(`costs at most ${IMPORT_COMMIT.callsPerRow} DynamoDB calls a new scored row, the figure the row limit is computed from`, async () => {
    const { lines } = register(40);
    const counted = createDocumentClient({ region: 'cn-north-1', endpoint: dynamo.server.endpoint });
    let calls = 0;
    counted.middlewareStack.add(
      (next) => async (args) => {
        calls++;
        return next(args);
      },
      { step: 'initialize' },
    );
    const { deps } = await depsOn(counted);
    const sheet = await readSheet(csv(lines), 'csv');
    const report = await importRegister(deps, CITY, sheet);
    expect(report).toMatchObject({ ok: true, created: 40, assessments: 40 });
    expect(calls).toBeLessThanOrEqual(IMPORT_COMMIT.callsPerRow * 40);
    counted.destroy();
  }, 300_000);
});
