import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/domain/errors.ts';
import type { GradingResult, InstitutionProfile } from '#shared/domain/model.ts';
import { recordViolation, type ViolationInput, violationId } from '#shared/services/violations.ts';
import type { NewChangeEvent } from '#shared/store/events.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';
import { profileFixture } from '../../support/institutions.ts';
import { type MemoryWorkflow, memoryWorkflow } from '../../support/memory-workflow.ts';
import { resultFixture } from '../../support/results.ts';
import { violationFixture } from '../../support/violations.ts';

/**
 * Recording a violation when a request fails half-way or races another (DOMAIN.md "Dynamic management":
 * a downgrade takes effect at once; API.md: a duplicate is 409, no input gives a 5xx): the same report
 * retried or sent twice at once is recorded once and its downgrade finished once; a store failure is
 * passed on, never taken for a duplicate; the publicity shown is brought in line with the violations
 * unless it changed meanwhile; a result published in the same instant gets its `published` event
 * before the `downgraded` one.
 */

const NOW = '2026-11-23T10:00:00+08:00';
const TODAY = '2026-11-23';
const city = { subject: 'city-officer', role: 'city' as const };

const report: ViolationInput = {
  occurredOn: '2026-11-20',
  type: 'accident',
  severity: 'general',
  description: '术后感染未及时上报',
};

/** A B clinic published in 2024, due for re-review in January 2027. */
const graded = (): InstitutionProfile =>
  profileFixture(1, {
    history: [{ resultId: 'r-1', grade: 'B', score: 88, publishedOn: '2024-01-10', reason: 'initial' }],
  });

const uscc = profileFixture(1).uscc;

/** The store ports recordViolation uses, in memory, holding the clinic's `profile` (and `results`). */
const memoryStores = (profile: InstitutionProfile, results: GradingResult[] = []) =>
  memoryWorkflow({ now: NOW, profiles: [profile], results });

/** What a finished downgrade of `report` (B → C) leaves: one of each, whatever the path to it. */
function expectDowngradeFinishedOnce(s: MemoryWorkflow, id: string) {
  expect(s.profile(uscc).grade).toBe('C');
  expect(s.profile(uscc).currentResultId).toBe(`dg-${id}`);
  expect(s.profile(uscc).history.map((h) => h.resultId)).toEqual([`dg-${id}`, 'r-1']);
  expect(s.result(`dg-${id}`)).toMatchObject({ status: 'published', grade: 'C', reason: 'downgrade' });
  expect(s.events.map((e) => e.key)).toEqual([`downgraded:${id}`]);
  expect(s.notices.intents.map((n) => [n.kind, n.cycle])).toEqual([['downgraded', id]]);
  expect(s.audit.map((a) => a.id)).toEqual([`violation:${id}`]);
}

describe('a violation recorded again after a request failed half-way', () => {
  const id = violationId(profileFixture(1).uscc, report);

  it('is answered 409 naming its id, and the retry finishes the downgrade the first request began', async () => {
    const s = memoryStores(graded());
    s.failing('audit.record', () => new Error('throttled'), 1);
    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toThrow('throttled');
    expect(s.violation(id)).toBeDefined();
    expect(s.profile(uscc).grade).toBe('B');

    const again = recordViolation(s.deps, city, uscc, report);
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(`this violation was already recorded as ${id}`);
    expectDowngradeFinishedOnce(s, id);
  });

  it('finds the downgrade result already created, keeps it and sends the notice the first request did not', async () => {
    const s = memoryStores(graded());
    s.failing('notifier.notify', () => new Error('sms gateway down'), 1);
    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toThrow('sms gateway down');
    const created = s.result(`dg-${id}`);
    expect(s.notices.intents).toEqual([]);

    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toThrow(
      `this violation was already recorded as ${id}`,
    );
    expect(s.result(`dg-${id}`)).toBe(created);
    expectDowngradeFinishedOnce(s, id);
  });
});

describe('the same violation sent twice at once', () => {
  it('is stored once, as the request that won the write recorded it; the other finishes it and is answered 409', async () => {
    const s = memoryStores(graded());
    const id = violationId(uscc, report);
    // The winner's write lands after the loser looked for it: the loser sees nothing, then its put loses.
    const district = { subject: 'district-officer', role: 'district' as const, district: '西湖区' as const };
    s.meanwhile('workflow.getViolation', () => recordWithoutFinishing(s, district));
    const lost = recordViolation(s.deps, city, uscc, report);
    await expect(lost).rejects.toThrow(ConflictError);
    await expect(lost).rejects.toThrow(`this violation was already recorded as ${id}`);
    expect(s.violation(id)?.recordedBy).toBe('district-officer');
    expect(s.audit.find((a) => a.id === `violation:${id}`)?.actor).toEqual(district);
    expectDowngradeFinishedOnce(s, id);
  });

  /** The winner's committed violation, as if its request stopped right after the write. */
  function recordWithoutFinishing(s: MemoryWorkflow, actor: StoredViolation['recordedByActor']) {
    const id = violationId(uscc, report);
    s.violations.push(
      violationFixture({
        id,
        nextReviewDue: '2027-01-10',
        downgradeResultId: `dg-${id}`,
        recordedAt: '2026-11-23T09:59:59.000+08:00',
        recordedBy: actor.subject,
        recordedByActor: actor,
      }),
    );
  }
});

describe('a store failure while recording', () => {
  it('of the violation’s write is passed on as it is, with nothing else written', async () => {
    const s = memoryStores(graded());
    const failure = new Error('ProvisionedThroughputExceededException');
    s.failing('workflow.createViolation', () => failure, 1);
    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toBe(failure);
    expect(s.violations.length).toBe(0);
    expect(s.audit.length).toBe(0);
    expect(s.profile(uscc).grade).toBe('B');
  });

  it('of the downgrade result’s write is passed on, and the profile does not show a result that is not there', async () => {
    const s = memoryStores(graded());
    const failure = new Error('InternalServerError');
    s.failing('results.create', () => failure, 1);
    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toBe(failure);
    expect(s.results.length).toBe(0);
    expect(s.profile(uscc).grade).toBe('B');
    expect(s.events).toEqual([]);
  });
});

/** A review of the B clinic assessed on 10 November, in publicity from 16 to 20 November... */
const review = (overrides: Partial<GradingResult> = {}): GradingResult =>
  resultFixture({
    id: 'r-2',
    status: 'in_publicity',
    publicity: { startOn: '2026-11-17', endOn: '2026-11-23' },
    updatedAt: '2026-11-17T10:00:00.000+08:00',
    ...overrides,
  });

const inPublicity = (r: GradingResult): InstitutionProfile => ({
  ...graded(),
  publicity: {
    resultId: r.id,
    proposedGrade: r.grade,
    score: r.score,
    startOn: '2026-11-17',
    endOn: '2026-11-23',
  },
});

describe('the publicity shown when a violation is recorded', () => {
  it('shows a review the downgrade stands over as not publishable', async () => {
    const r = review();
    const s = memoryStores(inPublicity(r), [r]);
    await recordViolation(s.deps, city, uscc, report);
    expect(s.profile(uscc).publicity).toMatchObject({ resultId: 'r-2', unpublishable: true });
  });

  it('is left alone when the publicity changed meanwhile (the review was withdrawn)', async () => {
    const r = review();
    const s = memoryStores(inPublicity(r), [r]);
    s.meanwhile('results.get', () => {
      s.putProfile({ ...s.profile(uscc), publicity: null, version: s.profile(uscc).version + 1 });
    });
    await recordViolation(s.deps, city, uscc, report);
    expect(s.profile(uscc).publicity).toBeNull();
    expect(s.profile(uscc).grade).toBe('C');
  });

  it('is not written again when the violation changes nothing in it (a minor violation)', async () => {
    const r = review();
    const s = memoryStores(inPublicity(r), [r]);
    const before = s.profile(uscc);
    const v = await recordViolation(s.deps, city, uscc, { ...report, severity: 'minor' });
    expect(v.gradeAfter).toBeNull();
    expect(s.profile(uscc)).toBe(before);
    expect(s.callsOf('writer.saveProfile')).toBe(0);
  });
});

describe('the feed when a result was published in the same instant as the downgrade', () => {
  /** The B clinic's review published today (score 90, still B) over its 2024 result. */
  const reviewPublishedToday = () => {
    const r = review({
      status: 'published',
      publicity: null,
      publishedOn: TODAY,
      nextReviewDue: '2029-11-23',
    });
    const entry = {
      resultId: 'r-2',
      grade: 'B' as const,
      score: 90,
      publishedOn: TODAY,
      reason: 'review' as const,
    };
    return memoryStores(
      { ...graded(), score: 90, currentResultId: 'r-2', history: [entry, ...graded().history] },
      [r],
    );
  };

  it('carries the result’s `published` event before the `downgraded` one when its own request did not append it', async () => {
    const s = reviewPublishedToday();
    const v = await recordViolation(s.deps, city, uscc, report);
    expect(s.events.map((e) => e.key)).toEqual(['published:r-2', `downgraded:${v.id}`]);
    expect(s.events[0]).toMatchObject({
      type: 'published',
      before: { grade: 'B', score: 88 },
      after: { resultId: 'r-2' },
    });
  });

  it('carries it too when the violation is sent again after a later result was published over the downgrade', async () => {
    const s = reviewPublishedToday();
    s.failing('events.append', () => new Error('throttled'), 1);
    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toThrow('throttled');
    const id = violationId(uscc, report);
    expect(s.profile(uscc).history.map((h) => h.resultId)).toEqual([`dg-${id}`, 'r-2', 'r-1']);
    // A result assessed after the violation is published over the downgrade, its event in the feed.
    const later = {
      resultId: 'r-3',
      grade: 'A' as const,
      score: 96,
      publishedOn: TODAY,
      reason: 'review' as const,
    };
    s.putProfile({ ...s.profile(uscc), grade: 'A', history: [later, ...s.profile(uscc).history] });
    s.events.push({ key: 'published:r-3' } as NewChangeEvent);

    await expect(recordViolation(s.deps, city, uscc, report)).rejects.toThrow(ConflictError);
    expect(s.events.map((e) => e.key)).toEqual(['published:r-3', 'published:r-2', `downgraded:${id}`]);
    expect(s.profile(uscc).grade).toBe('A');
  });

  it('carries no `published` event for an earlier downgrade of the same day', async () => {
    const s = memoryStores(graded());
    const first = await recordViolation(s.deps, city, uscc, report);
    const second = await recordViolation(s.deps, city, uscc, {
      ...report,
      description: '超范围执业',
    });
    expect(s.profile(uscc).grade).toBe('D');
    expect(s.events.map((e) => e.key)).toEqual([`downgraded:${first.id}`, `downgraded:${second.id}`]);
  });
});

describe('what a violation records', () => {
  it('refuses a violation dated after today and a rectification before it, naming both, and stores nothing', async () => {
    const s = memoryStores(graded());
    const refused = recordViolation(s.deps, city, uscc, {
      ...report,
      occurredOn: '2026-11-24',
      rectifiedOn: '2026-11-23',
    });
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow('invalid violation');
    await expect(refused).rejects.toMatchObject({
      errors: [
        { path: 'occurredOn', message: 'must not be in the future' },
        { path: 'rectifiedOn', message: 'must not be before occurredOn' },
      ],
    });
    expect(s.violations.length).toBe(0);
    const sameDay = await recordViolation(s.deps, city, uscc, {
      ...report,
      occurredOn: TODAY,
      rectifiedOn: TODAY,
    });
    expect(sameDay.rectifiedOn).toBe(TODAY);
  });

  it('refuses an unknown institution by its uscc and a district officer of another district', async () => {
    const s = memoryStores(graded());
    const binjiang = { subject: 'binjiang-officer', role: 'district' as const, district: '滨江区' as const };
    await expect(recordViolation(s.deps, binjiang, uscc, report)).rejects.toThrow(ForbiddenError);
    await expect(recordViolation(s.deps, city, 'U-NONE', report)).rejects.toThrow(
      'no institution with uscc U-NONE',
    );
    expect(s.violations.length).toBe(0);
  });

  it('keeps the report, the grade it found and the one it set, the due date, the revision, who recorded it and when', async () => {
    const s = memoryStores(graded());
    const v = await recordViolation(s.deps, city, uscc, report);
    // The fixture is this report as recorded: no rectification, B to C, revision 2025-1, score 88, today.
    expect(v).toEqual(
      violationFixture({
        id: violationId(uscc, report),
        dishonestyReason: '非轻微违法行为，纳入失信评价（仅轻微违法行为及时改正的可以不作失信评价）',
        // The earlier of the due date it had and C's two years from today.
        nextReviewDue: '2027-01-10',
        downgradeResultId: `dg-${v.id}`,
        recordedBy: 'city-officer',
        recordedByActor: city,
      }),
    );
    expect(s.violation(v.id)).toEqual(v);
    expect(s.audit.find((a) => a.id === `violation:${v.id}`)).toEqual({
      id: `violation:${v.id}`,
      uscc: v.uscc,
      at: v.recordedAt,
      actor: city,
      action: 'violation.record',
      before: { grade: 'B' },
      after: v,
    });
    // The downgrade is a published result of its own, assessed on the day of the violation.
    expect(s.result(`dg-${v.id}`)).toMatchObject({
      kind: 'clinic',
      district: '西湖区',
      status: 'published',
      score: 88,
      grade: 'C',
      reason: 'downgrade',
      assessedOn: '2026-11-20',
      revision: '2025-1',
      publishedOn: TODAY,
      nextReviewDue: '2027-01-10',
      createdBy: 'city-officer',
    });
    expect(s.notices.intents).toEqual([
      {
        uscc: v.uscc,
        kind: 'downgraded',
        cycle: v.id,
        params: { gradeBefore: 'B', grade: 'C', nextReviewDue: '2027-01-10', severity: 'general' },
        on: TODAY,
      },
    ]);
  });

  it('leaves out of the dishonesty record a B institution’s minor violation rectified late but by an effective compliance rectification', async () => {
    const s = memoryStores(graded());
    const rectified = {
      ...report,
      severity: 'minor' as const,
      rectifiedOn: '2026-11-22',
      rectificationDeadline: '2026-11-21',
    };
    const late = await recordViolation(s.deps, city, uscc, rectified);
    expect([late.entersDishonestyRecord, late.dishonestyReason]).toEqual([
      true,
      '轻微违法行为未及时改正，纳入失信评价',
    ]);
    const compliant = await recordViolation(s.deps, city, uscc, {
      ...rectified,
      description: '另一事项',
      effectiveCompliance: true,
    });
    expect(compliant).toMatchObject({
      rectifiedOn: '2026-11-22',
      rectificationDeadline: '2026-11-21',
      effectiveCompliance: true,
      entersDishonestyRecord: false,
      dishonestyReason: 'B级机构轻微违法行为已及时改正，依据审慎监管规定不作失信评价',
      gradeAfter: null,
      nextReviewDue: null,
      downgradeResultId: null,
    });
  });

  it('downgrades neither a closed nor a D institution, and shows nothing new for them', async () => {
    for (const profile of [
      { ...graded(), closed: true, closedOn: '2026-10-01' },
      { ...graded(), grade: 'D' as const },
    ]) {
      const s = memoryStores(profile);
      const v = await recordViolation(s.deps, city, uscc, { ...report, severity: 'severe' });
      expect(v).toMatchObject({ gradeAfter: null, nextReviewDue: null, downgradeResultId: null });
      expect([s.profile(uscc).grade, s.results.length, s.events.length, s.notices.intents.length]).toEqual([
        profile.grade,
        0,
        0,
        0,
      ]);
      expect(s.audit.map((a) => a.id)).toEqual([`violation:${v.id}`]);
    }
  });
});
