import { describe, expect, it } from 'vitest';
import {
  adminHarness,
  clinicResultThroughPublicity,
  expectStatus,
  hospitalInPublicity,
  publishedClinic,
  scoredHospital,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * What a result's life leaves outside the result, as associations, institutions and auditors read it:
 * the feed's `publicity_started` and `published` events (a first result was preceded by no grade, a
 * re-review by the grade it replaces), the institution's notices with their dates and grades, and one
 * audit entry per step naming the caller, the status it left and the result as the step made it.
 */
describe('the trail a result leaves', () => {
  const dynamo = useTestDynamo();

  it('feeds, notifies and audits each step of a first result and a re-review', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id: first } = await publishedClinic(h, 88.5);
    const review = await clinicResultThroughPublicity(h, uscc, 96, 'review');
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${review}/publish`, await h.token('guidance')),
      200,
    );

    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    const events = feed.items.map(({ type, uscc: u, district, occurredAt, before, after }) => ({
      type,
      uscc: u,
      district,
      occurredAt,
      before,
      after,
    }));
    const at = { uscc, district: '西湖区' };
    expect(events.slice(1)).toEqual([
      {
        type: 'publicity_started',
        ...at,
        occurredAt: '2026-11-23T10:00:00.000+08:00',
        before: null,
        after: {
          resultId: first,
          proposedGrade: 'B',
          score: 88.5,
          startOn: '2026-11-23',
          endOn: '2026-11-27',
        },
      },
      {
        type: 'published',
        ...at,
        occurredAt: '2026-11-28T09:00:00.000+08:00',
        before: { grade: null, score: null },
        after: {
          resultId: first,
          grade: 'B',
          score: 88.5,
          reason: 'initial',
          publishedOn: '2026-11-28',
          nextReviewDue: '2029-11-28',
        },
      },
      // The re-review was posted on a Saturday: its publicity starts on Monday, when the publicity job
      // appends its event and sends its notice, so neither is there yet.
      {
        type: 'published',
        ...at,
        occurredAt: '2026-12-05T09:00:00.000+08:00',
        before: { grade: 'B', score: 88.5 },
        after: {
          resultId: review,
          grade: 'A',
          score: 96,
          reason: 'review',
          publishedOn: '2026-12-05',
          nextReviewDue: '2030-12-05',
        },
      },
    ]);

    expect(h.notices.intents.map(({ kind, cycle, params, on }) => ({ kind, cycle, params, on }))).toEqual([
      {
        kind: 'publicity_started',
        cycle: first,
        params: {
          name: expect.stringContaining('测试医疗美容诊所'),
          grade: 'B',
          score: 88.5,
          startOn: '2026-11-23',
          endOn: '2026-11-27',
        },
        on: '2026-11-23',
      },
      {
        kind: 'result_published',
        cycle: first,
        params: { grade: 'B', score: 88.5, publishedOn: '2026-11-28', nextReviewDue: '2029-11-28' },
        on: '2026-11-28',
      },
      {
        kind: 'result_published',
        cycle: review,
        params: { grade: 'A', score: 96, publishedOn: '2026-12-05', nextReviewDue: '2030-12-05' },
        on: '2026-12-05',
      },
    ]);

    const { items } = await h.deps.audit.list(uscc, null, 50);
    const steps = items
      .filter((e) => e.action.startsWith('assessment.') && e.id.endsWith(first))
      .map(({ id, at: when, actor, action, before, after }) => ({
        id,
        at: when,
        actor,
        action,
        before,
        after,
      }))
      .sort((a, b) => a.at.localeCompare(b.at) || ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
    const result = {
      resultId: first,
      grade: 'B',
      score: 88.5,
      breakdown: null,
      reason: 'initial',
      revision: '2025-1',
    };
    const unpublished = { publicity: null, publishedOn: null, nextReviewDue: null };
    const window = { startOn: '2026-11-23', endOn: '2026-11-27' };
    const by = (role: string) => ({
      subject: `test-${role}`,
      role,
      ...(role.startsWith('district') ? { district: '西湖区' } : {}),
    });
    const step = (
      action: string,
      role: string,
      before: string | null,
      status: string,
      when = '2026-11-23T10:00:00.000+08:00',
      made: object = unpublished,
    ) => ({
      id: `${action}:${first}`,
      at: when,
      actor: by(role),
      action: `assessment.${action}`,
      before: before && { resultId: first, status: before },
      after: { ...result, status, ...made },
    });
    expect(steps).toEqual([
      step('score', 'district', null, 'scored'),
      step('approve', 'district_admin', 'scored', 'approved'),
      step('recheck', 'city', 'approved', 'rechecked'),
      step('publicise', 'city', 'rechecked', 'in_publicity', undefined, {
        ...unpublished,
        publicity: window,
      }),
      step('publish', 'guidance', 'in_publicity', 'published', '2026-11-28T09:00:00.000+08:00', {
        publicity: window,
        publishedOn: '2026-11-28',
        nextReviewDue: '2029-11-28',
      }),
    ]);
  });

  it('feeds a withdrawal with the grade only of a result the public saw, and why when the institution closed', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const posted = await hospitalInPublicity(h, city);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${posted.id}/withdraw`, city), 200);
    // Never publicised: withdrawing it tells the public nothing.
    const quiet = await scoredHospital(h, '上城区');
    await expectStatus(h.call('POST', `/v1/admin/assessments/${quiet.id}/withdraw`, city), 200);
    // Closing the institution withdraws its result in progress, publicised or not, and says so.
    const closing = await scoredHospital(h, '上城区');
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${closing.uscc}/close`, city, { closedOn: h.clock.today() }),
      200,
    );

    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    const withdrawn = feed.items
      .filter((e) => e.type === 'withdrawn')
      .map(({ uscc, occurredAt, before, after }) => ({ uscc, occurredAt, before, after }));
    expect(withdrawn).toEqual([
      {
        uscc: posted.uscc,
        occurredAt: '2026-11-23T10:00:00.000+08:00',
        before: { resultId: posted.id, status: 'in_publicity', proposedGrade: 'B', score: 90 },
        after: { resultId: posted.id, status: 'withdrawn' },
      },
      {
        uscc: closing.uscc,
        occurredAt: '2026-11-23T10:00:00.000+08:00',
        before: { resultId: closing.id, status: 'scored' },
        after: { resultId: closing.id, status: 'withdrawn', reason: 'institution_closed' },
      },
    ]);
    const detail = await body(await h.call('GET', `/v1/institutions/${posted.uscc}`, null));
    expect(detail.publicity).toBeNull();
  });
});

const ORDER = ['assessment.score', 'assessment.approve', 'assessment.recheck', 'assessment.publicise'];
