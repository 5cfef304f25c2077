import { describe, expect, it } from 'vitest';
import { buildWorkflowDeps } from '#shared/bootstrap.ts';
import { ConflictError, StaleWriteError } from '#shared/domain/errors.ts';
import type { GradingResult, InstitutionProfile } from '#shared/domain/model.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import type { AuditEntry } from '#shared/store/audit.ts';
import type { NewChangeEvent } from '#shared/store/events.ts';
import type { ListFilter } from '#shared/store/institution-reader.ts';
import type { InspectionPlan } from '#shared/store/workflow.ts';
import { testConfig } from '../../support/config.ts';
import { privateFixture, profileFixture, usccNo } from '../../support/institutions.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';
import { resultFixture } from '../../support/results.ts';
import { violationFixture } from '../../support/violations.ts';

/**
 * The write conditions and list orders the service tests rely on, run against the in-memory store ports
 * of test/support/memory-workflow.ts and against the DynamoDB stores over the table (built as
 * shared/bootstrap.ts builds them): whatever passes here for one holds for the other.
 */

interface Stores {
  deps: WorkflowDeps;
  /** The change feed from its start. */
  feed(): Promise<Pick<NewChangeEvent, 'type' | 'uscc' | 'after'>[]>;
}

const dynamo = useTestDynamo();

const implementations: [string, () => Promise<Stores>][] = [
  [
    'the in-memory store ports',
    async () => {
      const m = memoryWorkflow();
      return {
        deps: m.deps,
        feed: async () => m.events.map(({ type, uscc, after }) => ({ type, uscc, after })),
      };
    },
  ],
  [
    'the DynamoDB stores',
    async () => {
      const config = testConfig({ TABLE_NAME: await dynamo.freshTable() });
      const deps = buildWorkflowDeps(config, dynamo.db, new RecordingNotifier());
      return {
        deps,
        feed: async () =>
          (await deps.events.list({ afterSeq: 0, limit: 100, consistent: true })).items.map(
            ({ type, uscc, after }) => ({ type, uscc, after }),
          ),
      };
    },
  ],
];

const auditEntry = (id: string, at: string): AuditEntry => ({
  id,
  uscc: usccNo(1),
  at,
  actor: { subject: 'city-1', role: 'city' },
  action: 'institution.update',
  before: null,
  after: { n: id },
});

const plan = (seed: string): InspectionPlan => ({
  year: 2027,
  seed,
  rates: { A: 0.05, B: 0.1, C: 0.2, D: 0.3 },
  excludeOffSite: false,
  population: [{ uscc: usccNo(1), grade: 'B' }],
  excluded: [],
  entries: [],
  createdAt: '2026-11-23T10:00:00.000+08:00',
  createdBy: { subject: 'city-1', role: 'city' },
});

/** Every page of a list from its start, `limit` at a time. */
async function walk<T>(
  page: (
    startKey: Record<string, unknown> | null,
  ) => Promise<{ items: T[]; lastKey: Record<string, unknown> | null }>,
): Promise<T[]> {
  const all: T[] = [];
  let startKey: Record<string, unknown> | null = null;
  do {
    const next = await page(startKey);
    all.push(...next.items);
    startKey = next.lastKey;
  } while (startKey);
  return all;
}

describe.each(implementations)('%s', (_name, open) => {
  it('registers a uscc once: a second registration is a ConflictError and leaves the first', async () => {
    const { deps } = await open();
    await deps.writer.create(profileFixture(1), privateFixture(1));
    const again = deps.writer.create(profileFixture(1, { name: '另一家诊所' }), privateFixture(1));
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(`institution ${usccNo(1)} is already registered`);
    expect((await deps.reader.getProfile(usccNo(1)))?.name).toBe(profileFixture(1).name);
  });

  it('replaces a profile from the version it was read at (version + 1) and refuses the stale one', async () => {
    const { deps } = await open();
    await deps.writer.create(profileFixture(1), privateFixture(1));
    const read = (await deps.reader.getProfile(usccNo(1))) as InstitutionProfile;
    const { version: _, ...unversioned } = read;
    const saved = await deps.writer.saveProfile(read, { ...unversioned, score: 91 });
    expect([saved.version, saved.score]).toEqual([2, 91]);
    const stale = deps.writer.saveProfile(read, { ...unversioned, score: 70 });
    await expect(stale).rejects.toThrow(StaleWriteError);
    await expect(stale).rejects.toThrow(`institution ${usccNo(1)} was changed concurrently`);
    expect(await deps.reader.getProfile(usccNo(1))).toMatchObject({ version: 2, score: 91 });
    const { version: _absent, ...unregistered } = profileFixture(9);
    await expect(deps.writer.saveProfile(profileFixture(9), unregistered)).rejects.toThrow(StaleWriteError);
  });

  it('replaces a private item from the version it was read at and refuses the stale one', async () => {
    const { deps } = await open();
    await deps.writer.create(profileFixture(1), privateFixture(1));
    const read = await deps.reader.getPrivate(usccNo(1));
    if (!read) throw new Error('the registration wrote no private item');
    const { version: _, ...unversioned } = read;
    const saved = await deps.writer.savePrivate(read, { ...unversioned, offSiteSupervised: true });
    expect(saved).toMatchObject({ version: 2, offSiteSupervised: true });
    await expect(deps.writer.savePrivate(read, unversioned)).rejects.toThrow(StaleWriteError);
    expect(await deps.reader.getPrivate(usccNo(1))).toMatchObject({ version: 2, offSiteSupervised: true });
  });

  it('creates a result once and replaces it only from the version and status it was read at', async () => {
    const { deps } = await open();
    await deps.results.create(resultFixture());
    const twice = deps.results.create(resultFixture({ score: 70 }));
    await expect(twice).rejects.toThrow(ConflictError);
    await expect(twice).rejects.toThrow('result r-1 already exists');

    const read = (await deps.results.get('r-1')) as GradingResult;
    expect(read).toEqual(resultFixture());
    const approved = await deps.results.replace(read, { ...read, status: 'approved' });
    expect(approved).toMatchObject({ version: 2, status: 'approved' });
    const stale = deps.results.replace(read, { ...read, status: 'withdrawn' });
    await expect(stale).rejects.toThrow(StaleWriteError);
    await expect(stale).rejects.toThrow('result r-1 was changed concurrently');
    // The version is the stored one, the status is not: the status moved under this caller.
    const moved = deps.results.replace({ ...approved, status: 'scored' }, { ...read, status: 'withdrawn' });
    await expect(moved).rejects.toThrow(StaleWriteError);
    expect(await deps.results.get('r-1')).toMatchObject({ version: 2, status: 'approved' });
    await expect(
      deps.results.replace(resultFixture({ id: 'r-none' }), resultFixture({ id: 'r-none' })),
    ).rejects.toThrow(StaleWriteError);
  });

  it('lists an institution’s results oldest first', async () => {
    const { deps } = await open();
    await deps.results.create(resultFixture({ id: 'r-b', createdAt: '2026-11-12T10:00:00.000+08:00' }));
    await deps.results.create(resultFixture({ id: 'r-c', createdAt: '2026-11-10T10:00:00.000+08:00' }));
    await deps.results.create(resultFixture({ id: 'r-a', createdAt: '2026-11-12T10:00:00.000+08:00' }));
    await deps.results.create(resultFixture({ id: 'r-other', uscc: usccNo(2) }));
    const listed = await deps.results.listForInstitution(usccNo(1));
    expect(listed.map((r) => r.id)).toEqual(['r-c', 'r-a', 'r-b']);
  });

  it('appends an event once per key, keeping the first', async () => {
    const { deps, feed } = await open();
    const event = (key: string, grade: string): NewChangeEvent => ({
      key,
      type: 'published',
      uscc: usccNo(1),
      district: '西湖区',
      occurredAt: '2026-11-23T10:00:00.000+08:00',
      before: null,
      after: { grade },
    });
    await deps.events.append(event('published:r-1', 'A'));
    await deps.events.append(event('published:r-1', 'B'));
    await deps.events.append(event('published:r-2', 'C'));
    expect(await feed()).toEqual([
      { type: 'published', uscc: usccNo(1), after: { grade: 'A' } },
      { type: 'published', uscc: usccNo(1), after: { grade: 'C' } },
    ]);
  });

  it('writes an audit entry once: the same id at the same instant fails as a condition of the table', async () => {
    const { deps } = await open();
    const at = '2026-11-23T10:00:00.000+08:00';
    expect(await deps.audit.record(auditEntry('e-1', at))).toEqual(auditEntry('e-1', at));
    const again = deps.audit.record({ ...auditEntry('e-1', at), after: { n: 'again' } });
    await expect(again).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    // The trail is keyed by instant and id: the same id at another instant is another entry.
    await deps.audit.record(auditEntry('e-1', '2026-11-23T11:00:00.000+08:00'));
    const trail = await deps.audit.list(usccNo(1), null, 10);
    expect(trail.items.map((e) => [e.id, e.at, e.after])).toEqual([
      ['e-1', at, { n: 'e-1' }],
      ['e-1', '2026-11-23T11:00:00.000+08:00', { n: 'e-1' }],
    ]);
  });

  it('pages an institution’s audit trail oldest first, each entry once', async () => {
    const { deps } = await open();
    for (const [id, at] of [
      ['e-3', '2026-11-23T12:00:00.000+08:00'],
      ['e-1', '2026-11-21T10:00:00.000+08:00'],
      ['e-2', '2026-11-22T10:00:00.000+08:00'],
    ] as const) {
      await deps.audit.record(auditEntry(id, at));
    }
    await deps.audit.record({ ...auditEntry('e-x', '2026-11-20T10:00:00.000+08:00'), uscc: usccNo(2) });
    const trail = await walk((startKey) => deps.audit.list(usccNo(1), startKey, 2));
    expect(trail.map((e) => e.id)).toEqual(['e-1', 'e-2', 'e-3']);
  });

  it('walks the register lists page by page, each institution once, in name order (a district’s by grade first)', async () => {
    const { deps } = await open();
    // Name order (pinyin) runs against uscc order; two share a name, so their usccs decide.
    const register = [
      profileFixture(1, { name: '德馨医疗美容诊所', grade: 'B' }),
      profileFixture(2, { name: '彩虹医疗美容诊所', grade: 'A' }),
      profileFixture(3, { name: '博雅医疗美容诊所', grade: 'B' }),
      profileFixture(4, { name: '安美医疗美容诊所', grade: 'B', kind: 'hospital' }),
      profileFixture(5, { name: '博雅医疗美容诊所', grade: 'B' }),
      profileFixture(6, { name: '爱丽医疗美容诊所', grade: null, district: '滨江区' }),
      profileFixture(7, { name: '艾美医疗美容诊所', grade: 'B', district: '滨江区' }),
    ];
    for (const [i, p] of [...register.entries()].reverse())
      await deps.writer.create(p, privateFixture(i + 1));
    /** The fixture numbers of a list's institutions, all its pages walked two at a time. */
    const numbers = async (filter: ListFilter) => {
      const listed = await walk((startKey) => deps.reader.list({ filter, startKey, limit: 2 }));
      return listed.map((i) => register.findIndex((p) => p.uscc === i.uscc) + 1);
    };
    expect(await numbers({ district: '西湖区' })).toEqual([2, 4, 3, 5, 1]);
    expect(await numbers({ grade: 'B' })).toEqual([7, 4, 3, 5, 1]);
    expect(await numbers({ district: '西湖区', grade: 'B', kind: 'clinic' })).toEqual([3, 5, 1]);
    expect(await numbers({ grade: 'UNGRADED' })).toEqual([6]);
    const clinics = await walk((startKey) => deps.reader.listKind({ kind: 'clinic', startKey, limit: 2 }));
    expect(clinics.map((i) => register.findIndex((p) => p.uscc === i.uscc) + 1)).toEqual([6, 7, 3, 5, 2, 1]);
  });

  it('creates a violation once and finds it by institution, day and id; lists the newest first', async () => {
    const { deps } = await open();
    const v = violationFixture({ id: 'v-2', occurredOn: '2026-11-20' });
    await deps.workflow.createViolation(v);
    await expect(deps.workflow.createViolation({ ...v, description: '另一事项' })).rejects.toThrow(
      'violation v-2 already exists',
    );
    expect(await deps.workflow.getViolation(v.uscc, '2026-11-20', 'v-2')).toEqual(v);
    expect(await deps.workflow.getViolation(v.uscc, '2026-11-21', 'v-2')).toBeNull();
    await deps.workflow.createViolation(violationFixture({ id: 'v-1', occurredOn: '2026-11-22' }));
    await deps.workflow.createViolation(violationFixture({ id: 'v-3', occurredOn: '2026-11-20' }));
    await deps.workflow.createViolation(violationFixture({ id: 'v-9', uscc: usccNo(2) }));
    expect((await deps.workflow.listViolations(v.uscc)).map((x) => x.id)).toEqual(['v-1', 'v-3', 'v-2']);
  });

  it('creates the inspection plan of a year once', async () => {
    const { deps } = await open();
    await deps.workflow.createPlan(plan('first'));
    const again = deps.workflow.createPlan(plan('second'));
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow('the inspection plan for 2027 already exists');
    expect(await deps.workflow.getPlan(2027)).toEqual(plan('first'));
    expect(await deps.workflow.getPlan(2028)).toBeNull();
  });
});
