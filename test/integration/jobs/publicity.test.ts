import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import type { GradingResult } from '#shared/domain/model.ts';
import { PublicityJob } from '#shared/jobs/publicity.ts';
import { AuditStore } from '#shared/store/audit.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { ResultStore } from '#shared/store/results.ts';
import { privateFixture, profileFixture, seedInstitutions, usccNo } from '../../support/institutions.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { memoryNotifier } from '../../support/notices.ts';

function resultInPublicity(n: number, startOn: string, endOn: string): GradingResult {
  return {
    id: `r-${n}`,
    uscc: usccNo(n),
    kind: 'clinic',
    district: '西湖区',
    status: 'in_publicity',
    score: 91.5,
    grade: 'B',
    breakdown: null,
    reason: 'initial',
    assessedOn: '2026-11-01',
    assessor: '西湖区卫生健康监督所',
    delegatedTo: null,
    publicity: { startOn, endOn },
    openObjections: 0,
    publishedOn: null,
    nextReviewDue: null,
    createdAt: '2026-11-01T10:00:00.000+08:00',
    createdBy: 'test',
    version: 4,
    updatedAt: '2026-11-20T10:00:00.000+08:00',
  };
}

describe('publicity job against dynalite', () => {
  const dynamo = useTestDynamo();

  it('ends finished publicity and tells the guidance group, and announces publicity that starts, each once', async () => {
    const table = await dynamo.freshTable();
    await seedInstitutions(
      dynamo.db,
      table,
      [1, 2, 3].map((n) => profileFixture(n)),
      [1, 2, 3].map((n) => privateFixture(n)),
    );
    const results = new ResultStore(dynamo.db, table);
    await results.create(resultInPublicity(1, '2026-11-24', '2026-11-30'));
    await results.create(resultInPublicity(2, '2026-12-01', '2026-12-07'));
    await results.create(resultInPublicity(3, '2026-12-03', '2026-12-09'));
    const sink = memoryNotifier(dynamo.db, table, ['13800000000']);
    const job = (date: string) =>
      new PublicityJob({
        results,
        reader: new InstitutionReader(dynamo.db, table),
        audit: new AuditStore(dynamo.db, table),
        state: new JobStateStore(dynamo.db, table),
        notifier: sink.notifier,
        clock: fixedClock(`${date}T00:30:00+08:00`),
      });

    const first = await job('2026-12-01').run('2026-12-01');
    await job('2026-12-01').run('2026-12-01');
    expect(first).toMatchObject({ publicityEnded: 1, publicityStarted: 1 });

    expect((await results.get('r-1'))?.status).toBe('publicity_ended');
    const inPublicity = await results.listInPublicity({ startKey: null, limit: 50 });
    expect(inPublicity.items.map((r) => r.id).sort()).toEqual(['r-2', 'r-3']);

    const ended = sink.all().filter((m) => m.kind === 'publicity_ended');
    expect(ended.map((m) => [m.uscc, m.to, m.cycle])).toEqual([[usccNo(1), '13800000000', 'r-1']]);
    expect(ended[0]?.params.name).toBe('测试1医疗美容诊所');
    const started = sink.all().filter((m) => m.kind === 'publicity_started');
    expect(started.map((m) => `${m.uscc}|${m.channel}`).sort()).toEqual([
      `${usccNo(2)}|sms`,
      `${usccNo(2)}|wechat`,
    ]);
    expect(started[0]?.params.name).toBe('测试2医疗美容诊所');

    const audit = await new AuditStore(dynamo.db, table).list(usccNo(1), null, 10);
    expect(audit.items.map((a) => a.action)).toEqual(['end_publicity']);

    await job('2026-12-03').run('2026-12-03');
    const later = sink
      .all()
      .filter((m) => m.kind === 'publicity_started')
      .map((m) => m.uscc);
    expect(later.filter((u) => u === usccNo(3))).toHaveLength(2);
    expect(later.filter((u) => u === usccNo(2))).toHaveLength(2);
  });
});
