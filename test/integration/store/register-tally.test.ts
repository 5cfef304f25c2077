import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { districtNames } from '#shared/domain/rules.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { GRADES, type Grade } from '#shared/domain/types.ts';
import { statsFromTally, statsOf } from '#shared/http/public/stats.ts';
import { InstitutionWriter } from '#shared/store/institution-writer.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';
import { RegisterTallyStore } from '#shared/store/register-tally.ts';
import { demoApp } from '../../support/demo-app.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { privateFixture, profileFixture } from '../../support/profiles.ts';

/** A small deterministic generator, so a failure replays the same series of changes. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/** A change that moves the institution between the statistics' buckets (grade, district, closed). */
function changeOf(rand: () => number, p: InstitutionProfile): Omit<InstitutionProfile, 'version'> {
  const r = rand();
  if (r < 0.15) return { ...p, closed: !p.closed, closedOn: p.closed ? null : '2026-11-20' };
  if (r < 0.3) return { ...p, district: pick(rand, districtNames()) };
  const grade: Grade | null = r < 0.4 ? null : pick(rand, GRADES);
  return { ...p, grade, score: grade ? 80 : null };
}

describe('statistics kept with every change, against dynalite', () => {
  const dynamo = useTestDynamo();

  async function setup(count: number) {
    const { app, deps, data, table } = await demoApp(dynamo, count);
    const rows = new RegisterRows(dynamo.db, table);
    const tally = new RegisterTallyStore(dynamo.db, table, rows);
    const kept = async () => statsFromTally(await tally.tally(), deps.clock);
    const recount = async () => statsOf(await rows.all(), deps.clock);
    return { app, deps, data, table, rows, tally, kept, recount };
  }

  it('equal a full recount after rounds of concurrent changes, racing writers, retries and registrations', async () => {
    const { app, deps, data, kept, recount } = await setup(30);
    expect(await kept()).toEqual(await recount());
    const rand = prng(18);
    const usccs = data.profiles.map((p) => p.uscc);
    for (let round = 0; round < 6; round++) {
      const chosen = Array.from({ length: 10 }, () => pick(rand, usccs));
      const writes = chosen.map(async (uscc, n) => {
        const before = (await deps.reader.getProfile(uscc)) as InstitutionProfile;
        const next = changeOf(rand, before);
        try {
          const stored = await deps.writer.saveProfile(before, next);
          // Every third write is retried as a client would after a lost answer: the whole reindex again.
          if (n % 3 === 0)
            await Promise.all([deps.writer.reindex(before, stored), deps.writer.reindex(before, stored)]);
        } catch (err) {
          // Two writes picked the same institution: exactly one wins, the other is told to re-read.
          if (!(err instanceof ConflictError)) throw err;
        }
      });
      const registrations = Array.from({ length: 3 }, async () => {
        const p = profileFixture({ district: pick(rand, districtNames()) });
        await deps.writer.create(p, privateFixture(p.uscc));
        usccs.push(p.uscc);
        // A duplicate registration request racing the first: a conflict, and nothing counted twice.
        await deps.writer.create(p, privateFixture(p.uscc)).catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err;
        });
      });
      await Promise.all([...writes, ...registrations]);
      const stats = await kept();
      expect(stats).toEqual(await recount());
      expect(stats.total.institutions + stats.total.closed).toBe(usccs.length);
    }
    // What the public gets is the same: /v1/stats reads the kept tally.
    const served = (await (await app.request('/v1/stats')).json()) as Record<string, unknown>;
    expect({ ...served, asOf: null }).toEqual({ ...(await recount()), asOf: null });
  }, 120_000);

  it('lose nothing when a writer stops between committing the tally and marking the rows', async () => {
    const { deps, data, table, tally, kept, recount } = await setup(10);
    let failMarks = true;
    // The row marks fail, as if the process died after the tally commit.
    const crashing = {
      send: (command: { input: { UpdateExpression?: string } }) => {
        if (failMarks && command.input.UpdateExpression?.startsWith('SET counted')) {
          return Promise.reject(new Error('process stopped'));
        }
        return dynamo.db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const crashingRows = new RegisterRows(crashing, table);
    const crashingWriter = new InstitutionWriter(
      crashing,
      table,
      crashingRows,
      new RegisterTallyStore(crashing, table, crashingRows),
    );
    const p = data.profiles[0] as InstitutionProfile;
    const closing = { ...p, closed: !p.closed, closedOn: '2026-11-20' };
    await expect(crashingWriter.saveProfile(p, closing)).rejects.toThrow('process stopped');
    // Committed but not marked: the pending mark stands for the row, so the figures are right already.
    expect(await kept()).toEqual(await recount());
    failMarks = false;
    // A retry of the same step, and another institution's change, both finish the marks first.
    const stored = (await deps.reader.getProfile(p.uscc)) as InstitutionProfile;
    await deps.writer.reindex(p, stored);
    const q = data.profiles[1] as InstitutionProfile;
    await deps.writer.saveProfile(q, { ...q, grade: q.grade === 'A' ? 'B' : 'A', score: 90 });
    await tally.settle([p.uscc, q.uscc]);
    expect(await kept()).toEqual(await recount());
  });

  it('are brought up to date by the job when the write path did not settle, from the recent changes or every row', async () => {
    const { data, rows, tally, kept, recount } = await setup(100);
    // Only open institutions move when closed: the demo register holds some that are closed already.
    const open = data.profiles.filter((p) => !p.closed);
    // Rows changed and versions bumped, with no settling: a writer that gave up on a contended tally.
    const unsettled = async (profiles: InstitutionProfile[]) => {
      for (const p of profiles) {
        await rows.put(registerRowOf({ ...p, closed: true, closedOn: '2026-11-20', version: p.version + 1 }));
        await rows.bump(p.uscc);
      }
    };
    await unsettled(open.slice(0, 5));
    expect((await kept()).total.closed).not.toBe((await recount()).total.closed);
    expect(await tally.catchUp()).toMatchObject({ moved: 5, full: false });
    expect(await kept()).toEqual(await recount());
    expect(await tally.catchUp()).toMatchObject({ moved: 0 });

    await unsettled(open.slice(5, 85));
    const runs = await Promise.all([tally.catchUp(), tally.catchUp()]);
    expect(runs.map((r) => r.full)).toEqual([true, true]);
    expect(runs[0]!.moved + runs[1]!.moved).toBe(80);
    expect(await kept()).toEqual(await recount());
  }, 60_000);
});
