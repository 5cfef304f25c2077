import { describe, expect, it } from 'vitest';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import type { Actor } from '#shared/domain/types.ts';
import {
  appendPublishedEvent,
  project,
  publishedProfile,
  reappliedDowngradeId,
  shownPublicity,
  type WorkflowResult,
} from '#shared/services/result-projection.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';
import { profileFixture } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';
import { violationFixture } from '../../support/violations.ts';

/**
 * What a result's state means outside the result (DOMAIN.md "Life of a grading result", API.md change
 * events and institution detail): the audit entry of its last step, the publicity and grade the public
 * profile shows, the feed's events and the institution's notices, each written once however often the
 * projection runs, and a downgrade that stands over a result published after it.
 */

const city: Actor = { subject: 'city-1', role: 'city' };
const guidance: Actor = { subject: 'guide-1', role: 'guidance' };

/** A clinic of 西湖区 graded B by result r0 in 2024, re-review due 2027-01-10. */
const graded = profileFixture(1, {
  history: [{ resultId: 'r0', grade: 'B', score: 88, publishedOn: '2024-01-10', reason: 'initial' }],
  currentResultId: 'r0',
  reply: { text: '我们已整改', submittedOn: '2025-12-30', approvedOn: '2026-01-01' },
});
const uscc = graded.uscc;

/** A re-review of the clinic, assessed 2026-11-10, at the step `over` (defaults: in publicity since today). */
function result(over: Partial<WorkflowResult> = {}): WorkflowResult {
  return {
    id: 'r1',
    uscc,
    kind: 'clinic',
    district: '西湖区',
    status: 'in_publicity',
    score: 96,
    grade: 'A',
    breakdown: null,
    reason: 'review',
    assessedOn: '2026-11-10',
    revision: '2025-1',
    assessor: null,
    delegatedTo: null,
    publicity: { startOn: '2026-11-23', endOn: '2026-11-27' },
    openObjections: 0,
    publishedOn: null,
    nextReviewDue: null,
    createdAt: '2026-11-10T09:00:00.000+08:00',
    createdBy: 'xh-1',
    version: 4,
    updatedAt: '2026-11-23T10:05:00.000+08:00',
    lastAction: 'publicise',
    lastActor: city,
    lastActionAt: '2026-11-23T10:00:00.000+08:00',
    previousStatus: 'rechecked',
    ...over,
  };
}

/** The same result published on 2026-11-28 by the guidance group, re-review due in 4 years. */
const published = (over: Partial<WorkflowResult> = {}) =>
  result({
    status: 'published',
    publishedOn: '2026-11-28',
    nextReviewDue: '2030-11-28',
    lastAction: 'publish',
    lastActor: guidance,
    lastActionAt: '2026-11-28T09:00:00.000+08:00',
    updatedAt: '2026-11-28T09:00:00.000+08:00',
    previousStatus: 'in_publicity',
    ...over,
  });

function setup(profile: InstitutionProfile = graded, now = '2026-11-23T10:00:00+08:00') {
  const f = memoryWorkflow({ now, profiles: [profile] });
  return { ...f, saves: () => f.callsOf('writer.saveProfile') };
}

/** A violation of 2026-11-20, recorded 2026-11-23, that downgraded the clinic from B to C. */
const downgrade = violationFixture({ nextReviewDue: '2027-01-10' });

describe('the audit entry of a step', () => {
  it('names the step and the result, dated when the step was taken, with the status it left and the result as made', async () => {
    const f = setup();
    await project(f.deps, result({ breakdown: { 依法执业: 50, 医疗质量: 46 } }));
    expect(f.audit).toEqual([
      {
        id: 'publicise:r1',
        uscc,
        at: '2026-11-23T10:00:00.000+08:00',
        actor: city,
        action: 'assessment.publicise',
        before: { resultId: 'r1', status: 'rechecked' },
        after: {
          resultId: 'r1',
          status: 'in_publicity',
          grade: 'A',
          score: 96,
          breakdown: { 依法执业: 50, 医疗质量: 46 },
          reason: 'review',
          revision: '2025-1',
          publicity: { startOn: '2026-11-23', endOn: '2026-11-27' },
          publishedOn: null,
          nextReviewDue: null,
        },
      },
    ]);
  });

  it('falls back to the time of the last write and a null revision for a result that kept neither', async () => {
    const f = setup();
    await project(f.deps, result({ status: 'approved', lastActionAt: undefined, revision: undefined }));
    expect(f.audit[0]).toMatchObject({
      at: '2026-11-23T10:05:00.000+08:00',
      after: { revision: null, status: 'approved' },
    });
    // Approval shows nothing to the public.
    expect(f.saves()).toBe(0);
    expect(f.events).toEqual([]);
    expect(f.notices.intents).toEqual([]);
  });

  it('records nothing for a result that does not say who took its last step', async () => {
    const f = setup();
    await project(f.deps, result({ status: 'approved', lastActor: undefined }));
    await project(f.deps, result({ status: 'approved', lastAction: undefined }));
    expect(f.audit).toEqual([]);
  });

  it('is recorded once however often the projection runs, and passes on a failure that is not the repeat', async () => {
    const f = setup();
    await project(f.deps, result());
    await project(f.deps, result());
    expect(f.audit).toHaveLength(1);
    f.failing('audit.record', () => new Error('audit unavailable'));
    await expect(project(f.deps, result({ id: 'r2' }))).rejects.toThrow('audit unavailable');
  });
});

describe('a result in publicity', () => {
  it('is shown on the profile, fed as publicity_started and noticed to the institution once', async () => {
    const f = setup();
    await project(f.deps, result());
    await project(f.deps, result());
    expect(f.profile(uscc).publicity).toEqual({
      resultId: 'r1',
      proposedGrade: 'A',
      score: 96,
      startOn: '2026-11-23',
      endOn: '2026-11-27',
    });
    expect(f.saves()).toBe(1);
    expect(f.events).toEqual([
      {
        key: 'publicity_started:r1',
        type: 'publicity_started',
        uscc,
        district: '西湖区',
        occurredAt: '2026-11-23T10:00:00.000+08:00',
        before: null,
        after: { resultId: 'r1', proposedGrade: 'A', score: 96, startOn: '2026-11-23', endOn: '2026-11-27' },
      },
    ]);
    expect(f.notices.intents).toEqual([
      {
        uscc,
        kind: 'publicity_started',
        cycle: 'r1',
        params: { name: graded.name, grade: 'A', score: 96, startOn: '2026-11-23', endOn: '2026-11-27' },
        on: '2026-11-23',
      },
      // The notifier de-duplicates by institution, kind and cycle: the repeat asks again.
      expect.objectContaining({ kind: 'publicity_started', cycle: 'r1' }),
    ]);
  });

  it('dates the event by the last write when the step’s time was not kept', async () => {
    const f = setup();
    await project(f.deps, result({ lastActionAt: undefined }));
    expect(f.events[0]?.occurredAt).toBe('2026-11-23T10:05:00.000+08:00');
  });

  it('posted for a later day is on the profile now, but fed and noticed only from that day', async () => {
    const f = setup();
    await project(f.deps, result({ publicity: { startOn: '2026-11-24', endOn: '2026-11-30' } }));
    expect(f.profile(uscc).publicity).toMatchObject({ resultId: 'r1', startOn: '2026-11-24' });
    expect(f.events).toEqual([]);
    expect(f.notices.intents).toEqual([]);
  });

  it('is not shown again once the profile has published it', async () => {
    const f = setup({
      ...graded,
      history: [{ resultId: 'r1', grade: 'A', score: 96, publishedOn: '2026-11-28', reason: 'review' }],
    });
    await project(f.deps, result());
    expect(f.profile(uscc).publicity).toBeNull();
    expect(f.saves()).toBe(0);
  });

  it('without its dates is an error, not a publicity shown without them', async () => {
    const f = setup();
    await expect(project(f.deps, result({ publicity: null }))).rejects.toThrow(
      'result r1 is in publicity without dates',
    );
    expect(f.profile(uscc).publicity).toBeNull();
  });
});

describe('shownPublicity', () => {
  const first = result({ reason: 'initial', grade: 'A', assessedOn: '2026-11-10' });
  const during = (v: Partial<StoredViolation>) => ({
    ...downgrade,
    gradeBefore: null,
    gradeAfter: null,
    downgradeResultId: null,
    ...v,
  });

  it('shows the cap a violation during a first publicity sets on the proposed grade', () => {
    expect(shownPublicity(first, [during({ severity: 'general' })])).toEqual({
      resultId: 'r1',
      proposedGrade: 'A',
      score: 96,
      startOn: '2026-11-23',
      endOn: '2026-11-27',
      gradeCap: 'B',
    });
  });

  it('shows no cap when the violation lowers nothing, or came before the assessment', () => {
    expect(shownPublicity(first, [during({ severity: 'minor' })])).not.toHaveProperty('gradeCap');
    expect(shownPublicity(first, [during({ occurredOn: '2026-11-09' })])).not.toHaveProperty('gradeCap');
    expect(shownPublicity(first, [])).not.toHaveProperty('unpublishable');
  });

  it('marks unpublishable a result a standing downgrade keeps from lifting the grade', () => {
    expect(shownPublicity(result(), [downgrade])).toMatchObject({ unpublishable: true });
    expect(shownPublicity(result({ grade: 'C', score: 80 }), [downgrade])).not.toHaveProperty(
      'unpublishable',
    );
  });

  it('shows the profile the cap as the violations arrive, writing only what changed', async () => {
    const f = setup({ ...graded, grade: null, score: null, history: [], currentResultId: null });
    await project(f.deps, first);
    f.violations.push(during({ severity: 'serious' }));
    await project(f.deps, first);
    expect(f.profile(uscc).publicity).toMatchObject({ proposedGrade: 'A', gradeCap: 'C' });
    expect(f.saves()).toBe(2);
  });
});

describe('publishedProfile', () => {
  it('shows the published result: grade, dates, first reminder, newest history entry; the reply and its publicity go', () => {
    const next = publishedProfile(
      { ...graded, publicity: { resultId: 'r1', proposedGrade: 'A', score: 96, startOn: 'x', endOn: 'y' } },
      published({ proposedGrade: 'A', grade: 'B' }),
      '2026-11-28',
    );
    expect(next).toMatchObject({
      grade: 'B',
      score: 96,
      publishedOn: '2026-11-28',
      currentResultId: 'r1',
      nextReviewDue: '2030-11-28',
      reviewOverdue: false,
      nextReminder: { point: 'due_90', on: '2030-08-30' },
      publicity: null,
      reply: null,
    });
    expect(next?.history).toEqual([
      {
        resultId: 'r1',
        grade: 'B',
        score: 96,
        publishedOn: '2026-11-28',
        reason: 'review',
        revision: '2025-1',
        proposedGrade: 'A',
      },
      ...graded.history,
    ]);
  });

  it('names no revision or proposed grade the result does not have, and reminds a closed institution of nothing', () => {
    const next = publishedProfile(
      { ...graded, closed: true, closedOn: '2026-11-27' },
      published({ revision: undefined }),
      '2026-11-28',
    );
    expect(next?.history[0]).toEqual({
      resultId: 'r1',
      grade: 'A',
      score: 96,
      publishedOn: '2026-11-28',
      reason: 'review',
    });
    expect(next?.nextReminder).toBeNull();
  });

  it('lands a downgrade that raced the publication on top, when the profile does not show it yet', () => {
    const next = publishedProfile(graded, published(), '2026-11-28', [downgrade]);
    expect(next).toMatchObject({ grade: 'C', currentResultId: 'dg-v1', nextReviewDue: '2027-01-10' });
    expect(next?.history.map((h) => h.resultId)).toEqual(['dg-v1', 'r1', 'r0']);
  });

  it('applies again over the older result a downgrade the profile already shows', () => {
    const shown = { ...graded, ...downgradeShown() };
    const next = publishedProfile(shown, published(), '2026-11-28', [downgrade]);
    expect(next).toMatchObject({
      grade: 'C',
      score: 96,
      currentResultId: 'dg-v1',
      // The earlier of the result's due date and the new grade's 2 years from the downgrade.
      nextReviewDue: '2028-11-23',
      reviewOverdue: false,
      nextReminder: { point: 'due_90', on: '2028-08-25' },
    });
    expect(next?.history.slice(0, 2)).toEqual([
      {
        resultId: 'dg-v1@r1',
        grade: 'C',
        score: 96,
        publishedOn: '2026-11-28',
        reason: 'downgrade',
        cause: { type: 'accident', severity: 'general', occurredOn: '2026-11-20' },
      },
      expect.objectContaining({ resultId: 'r1', grade: 'A' }),
    ]);
    expect(next?.history.slice(2).map((h) => h.resultId)).toEqual(['dg-v1', 'r0']);
    expect(
      publishedProfile({ ...shown, closed: true }, published(), '2026-11-28', [downgrade])?.nextReminder,
    ).toBeNull();
  });

  it('flags the re-review overdue when the downgrade’s due date has already passed', () => {
    const shown = { ...graded, ...downgradeShown() };
    const late = published({ nextReviewDue: '2026-11-30', publishedOn: '2026-11-28' });
    const next = publishedProfile(shown, late, '2026-12-01', [downgrade]);
    expect(next).toMatchObject({ nextReviewDue: '2026-11-30', reviewOverdue: true });
  });

  it('publishes the result as it is when the violation lowered nothing or stands on no downgrade', () => {
    for (const v of [
      { ...downgrade, gradeAfter: null },
      { ...downgrade, downgradeResultId: null },
    ]) {
      const next = publishedProfile(graded, published(), '2026-11-28', [v]);
      expect(next).toMatchObject({ grade: 'A', currentResultId: 'r1' });
    }
  });

  it('names a downgrade without a result of its own after its violation', () => {
    expect(reappliedDowngradeId({ id: 'v9', downgradeResultId: null }, 'r1')).toBe('dg-v9@r1');
    expect(reappliedDowngradeId(downgrade, 'r1')).toBe('dg-v1@r1');
  });
});

/** The profile after the downgrade's own projection landed on the older result r0. */
function downgradeShown(): Partial<InstitutionProfile> {
  return {
    grade: 'C',
    currentResultId: 'dg-v1',
    nextReviewDue: '2027-01-10',
    history: [
      {
        resultId: 'dg-v1',
        grade: 'C',
        score: 88,
        publishedOn: '2026-11-23',
        reason: 'downgrade',
        cause: { type: 'accident', severity: 'general', occurredOn: '2026-11-20' },
      },
      ...graded.history,
    ],
  };
}

describe('a published result', () => {
  it('is fed with the grade it replaced and noticed with its dates', async () => {
    const f = setup(graded, '2026-11-28T09:00:00+08:00');
    await project(f.deps, published());
    expect(f.profile(uscc)).toMatchObject({ grade: 'A', currentResultId: 'r1', reply: null });
    expect(f.events).toEqual([
      {
        key: 'published:r1',
        type: 'published',
        uscc,
        district: '西湖区',
        occurredAt: '2026-11-28T09:00:00.000+08:00',
        before: { grade: 'B', score: 88 },
        after: {
          resultId: 'r1',
          grade: 'A',
          score: 96,
          reason: 'review',
          publishedOn: '2026-11-28',
          nextReviewDue: '2030-11-28',
        },
      },
    ]);
    expect(f.notices.intents).toEqual([
      {
        uscc,
        kind: 'result_published',
        cycle: 'r1',
        params: { grade: 'A', score: 96, publishedOn: '2026-11-28', nextReviewDue: '2030-11-28' },
        on: '2026-11-28',
      },
    ]);
    expect(f.audit.map((a) => a.id)).toEqual(['publish:r1']);
  });

  it('after no earlier grade is fed as replacing none, dated by the last write when the step’s time was not kept', async () => {
    const f = setup({ ...graded, grade: null, score: null, history: [], currentResultId: null });
    await project(f.deps, published({ reason: 'initial', lastActionAt: undefined }));
    expect(f.events[0]).toMatchObject({
      before: { grade: null, score: null },
      occurredAt: '2026-11-28T09:00:00.000+08:00',
    });
  });

  it('the profile does not show is fed as replacing nothing', async () => {
    const f = setup();
    await appendPublishedEvent(f.deps, published(), graded);
    expect(f.events[0]?.before).toEqual({ grade: null, score: null });
  });

  it('under a downgrade that raced it is followed in the feed by that downgrade', async () => {
    const f = setup(graded, '2026-11-28T09:00:00+08:00');
    f.violations.push({ ...downgrade, id: 'v0', downgradeResultId: 'dg-v0', gradeAfter: null }, downgrade);
    await project(f.deps, published());
    expect(f.events.map((e) => e.key)).toEqual(['published:r1', 'downgraded:v1']);
    expect(f.events[1]).toMatchObject({
      occurredAt: '2026-11-23T10:00:00.000+08:00',
      before: { grade: 'B' },
      after: { grade: 'C', nextReviewDue: '2027-01-10' },
    });
    expect(f.events[0]?.before).toEqual({ grade: 'B', score: 88 });
  });

  it('under a downgrade applied again is followed by that downgrade from the published grade, with its new due date', async () => {
    const f = setup({ ...graded, ...downgradeShown() }, '2026-11-28T09:00:00+08:00');
    f.violations.push(downgrade);
    await project(f.deps, published());
    expect(f.events).toEqual([
      expect.objectContaining({ key: 'published:r1', before: { grade: 'C', score: 88 } }),
      {
        key: 'downgraded:v1@r1',
        type: 'downgraded',
        uscc,
        district: '西湖区',
        occurredAt: '2026-11-28T09:00:00.000+08:00',
        before: { grade: 'A' },
        after: { grade: 'C', nextReviewDue: '2028-11-23', severity: 'general', type: 'accident' },
      },
    ]);
    expect(f.notices.intents.map((n) => n.kind)).toEqual(['result_published']);
  });

  it('dates a downgrade applied again by the last write when the step’s time was not kept', async () => {
    const f = setup({ ...graded, ...downgradeShown() }, '2026-11-28T09:00:00+08:00');
    f.violations.push(downgrade);
    await project(f.deps, published({ lastActionAt: undefined, updatedAt: '2026-11-28T09:30:00.000+08:00' }));
    expect(f.events[1]).toMatchObject({
      key: 'downgraded:v1@r1',
      occurredAt: '2026-11-28T09:30:00.000+08:00',
    });
  });

  it('assessed after the violation lifts the downgrade: the grade it publishes stands, fed alone', async () => {
    const f = setup({ ...graded, ...downgradeShown() }, '2026-11-28T09:00:00+08:00');
    f.violations.push(downgrade);
    await project(f.deps, published({ assessedOn: '2026-11-21' }));
    expect(f.profile(uscc)).toMatchObject({ grade: 'A', currentResultId: 'r1', nextReviewDue: '2030-11-28' });
    expect(f.profile(uscc).history.map((h) => h.resultId)).toEqual(['r1', 'dg-v1', 'r0']);
    expect(f.events.map((e) => ({ key: e.key, before: e.before }))).toEqual([
      { key: 'published:r1', before: { grade: 'C', score: 88 } },
    ]);
  });

  it('is fed alone when the history entry above it is a downgrade no violation names', async () => {
    const f = setup(graded, '2026-11-28T09:00:00+08:00');
    f.violations.push(downgrade);
    await project(f.deps, published());
    f.violations.splice(0, 1);
    const again = setup(f.profile(uscc), '2026-11-28T09:00:00+08:00');
    await project(again.deps, published());
    expect(again.events.map((e) => e.key)).toEqual(['published:r1']);
  });
});

describe('a withdrawn result', () => {
  const withdrawn = (over: Partial<WorkflowResult> = {}) =>
    result({ status: 'withdrawn', lastAction: 'withdraw', previousStatus: 'in_publicity', ...over });

  it('in publicity leaves the profile, and the feed says what the public saw of it', async () => {
    const f = setup({
      ...graded,
      publicity: {
        resultId: 'r1',
        proposedGrade: 'A',
        score: 96,
        startOn: '2026-11-23',
        endOn: '2026-11-27',
      },
    });
    await project(f.deps, withdrawn());
    expect(f.profile(uscc).publicity).toBeNull();
    expect(f.events).toEqual([
      {
        key: 'withdrawn:r1',
        type: 'withdrawn',
        uscc,
        district: '西湖区',
        occurredAt: '2026-11-23T10:00:00.000+08:00',
        before: { resultId: 'r1', status: 'in_publicity', proposedGrade: 'A', score: 96 },
        after: { resultId: 'r1', status: 'withdrawn' },
      },
    ]);
  });

  it('leaves another result’s publicity on the profile', async () => {
    const other = {
      resultId: 'r9',
      proposedGrade: 'B' as const,
      score: 90,
      startOn: '2026-11-23',
      endOn: '2026-11-27',
    };
    const f = setup({ ...graded, publicity: other });
    await project(f.deps, withdrawn());
    expect(f.profile(uscc).publicity).toEqual(other);
    expect(f.saves()).toBe(0);
  });

  it('never publicised tells the public nothing, unless the institution closed; then without its grade', async () => {
    const f = setup();
    await project(f.deps, withdrawn({ publicity: null, previousStatus: 'approved' }));
    expect(f.events).toEqual([]);
    await project(
      f.deps,
      withdrawn({
        publicity: null,
        previousStatus: 'approved',
        withdrawnFor: 'closed',
        lastActionAt: undefined,
      }),
    );
    expect(f.events).toEqual([
      {
        key: 'withdrawn:r1',
        type: 'withdrawn',
        uscc,
        district: '西湖区',
        occurredAt: '2026-11-23T10:05:00.000+08:00',
        before: { resultId: 'r1', status: 'approved' },
        after: { resultId: 'r1', status: 'withdrawn', reason: 'institution_closed' },
      },
    ]);
  });

  it('says it was in publicity when the status it left was not kept', async () => {
    const f = setup();
    await project(f.deps, withdrawn({ previousStatus: null }));
    expect(f.events[0]?.before).toMatchObject({ status: 'in_publicity' });
  });
});
