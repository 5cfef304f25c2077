import { describe, expect, it } from 'vitest';
import {
  type CampaignApplication,
  type CampaignInstitution,
  type CampaignResult,
  campaignEntries,
  progressByDistrict,
  progressOf,
  resultStage,
} from '#shared/domain/campaign.ts';

const today = '2026-06-15';

function institution(uscc: string, over: Partial<CampaignInstitution> = {}): CampaignInstitution {
  return {
    uscc,
    name: `机构${uscc}`,
    kind: 'clinic',
    district: '西湖区',
    grade: null,
    publishedOn: null,
    nextReviewDue: null,
    closed: false,
    registeredOn: '2025-03-01',
    sortName: `jigou${uscc}`,
    ...over,
  };
}

function result(uscc: string, over: Partial<CampaignResult> = {}): CampaignResult {
  return {
    id: `r-${uscc}-${over.createdAt ?? '1'}`,
    uscc,
    reason: 'initial',
    status: 'scored',
    assessedOn: '2026-05-01',
    createdAt: '2026-05-01T10:00:00+08:00',
    grade: 'B',
    publicity: null,
    openObjections: 0,
    ...over,
  };
}

const run = (
  institutions: CampaignInstitution[],
  results: CampaignResult[] = [],
  applications: CampaignApplication[] = [],
  year = 2026,
) => campaignEntries({ year, today, institutions, results, applications });

describe('resultStage', () => {
  it('follows the result through the clinic path', () => {
    for (const status of ['scored', 'approved', 'rechecked', 'published', 'withdrawn'] as const) {
      expect(resultStage(result('1', { status }), today)).toBe(status);
    }
  });

  it('tells scheduled publicity from publicity under way and ended (DOMAIN.md step 3)', () => {
    const inPublicity = (startOn: string, endOn: string) =>
      result('1', { status: 'in_publicity', publicity: { startOn, endOn } });
    expect(resultStage(inPublicity('2026-06-16', '2026-06-22'), today)).toBe('publicity_scheduled');
    expect(resultStage(inPublicity('2026-06-15', '2026-06-19'), today)).toBe('in_publicity');
    // Ends at 24:00 of endOn: the next day it awaits publication even before the job records it.
    expect(resultStage(inPublicity('2026-06-08', '2026-06-14'), today)).toBe('publicity_ended');
    expect(
      resultStage(
        result('1', { status: 'publicity_ended', publicity: { startOn: '2026-06-01', endOn: '2026-06-05' } }),
        today,
      ),
    ).toBe('publicity_ended');
  });

  it('an open objection holds the result whether publicity runs or ended', () => {
    const window = { startOn: '2026-06-10', endOn: '2026-06-16' };
    expect(
      resultStage(result('1', { status: 'in_publicity', publicity: window, openObjections: 1 }), today),
    ).toBe('objection_open');
    expect(
      resultStage(result('1', { status: 'publicity_ended', publicity: window, openObjections: 2 }), today),
    ).toBe('objection_open');
  });
});

describe('campaignEntries: who a year covers', () => {
  it('covers a never-graded institution as new, not started until a result of the year exists', () => {
    const [entry] = run([institution('1')]);
    expect(entry).toMatchObject({ uscc: '1', basis: 'new', stage: 'not_started', resultId: null });
    const [scored] = run([institution('1')], [result('1')]);
    expect(scored).toMatchObject({ basis: 'new', stage: 'scored', proposedGrade: 'B', resultId: 'r-1-1' });
  });

  it('covers re-reviews due by the end of the year, overdue ones carried over, not later ones', () => {
    const graded = (uscc: string, due: string) =>
      institution(uscc, { grade: 'C', publishedOn: '2024-01-10', nextReviewDue: due });
    const entries = run([
      graded('due', '2026-11-30'),
      graded('late', '2025-12-01'),
      graded('next', '2027-01-01'),
    ]);
    expect(entries.map((e) => [e.uscc, e.basis, e.stage, e.reviewDue])).toEqual([
      ['due', 'review', 'not_started', '2026-11-30'],
      ['late', 'review', 'not_started', '2025-12-01'],
    ]);
  });

  it('keeps a re-review done this year in the campaign at its stage, though its next due date moved on', () => {
    const reviewed = institution('1', { grade: 'B', publishedOn: '2026-04-01', nextReviewDue: '2029-04-01' });
    const [entry] = run(
      [reviewed],
      [result('1', { reason: 'review', status: 'published', assessedOn: '2026-03-01' })],
    );
    expect(entry).toMatchObject({ basis: 'review', stage: 'published', reviewDue: null });
  });

  it('covers upgrade applications of the year: pending, refused, then the assessment they became', () => {
    const b = (uscc: string) =>
      institution(uscc, { grade: 'B', publishedOn: '2025-02-01', nextReviewDue: '2028-02-01' });
    const app = (
      uscc: string,
      status: CampaignApplication['status'],
      assessmentId: string | null = null,
    ) => ({
      id: `upg-${uscc}`,
      uscc,
      year: 2026,
      status,
      assessmentId,
      submittedAt: '2026-04-01T09:00:00+08:00',
    });
    const entries = run(
      [b('p'), b('r'), b('u'), b('a')],
      [result('a', { reason: 'upgrade', status: 'rechecked', grade: 'A' })],
      [app('p', 'pending'), app('r', 'refused'), app('u', 'untrue'), app('a', 'accepted', 'r-a-1')],
    );
    expect(entries.map((e) => [e.uscc, e.basis, e.stage, e.applicationId])).toEqual([
      ['a', 'upgrade', 'rechecked', 'upg-a'],
      ['p', 'upgrade', 'applied', 'upg-p'],
      ['r', 'upgrade', 'refused', 'upg-r'],
      ['u', 'upgrade', 'refused', 'upg-u'],
    ]);
  });

  it('the latest work decides: an application after this year’s publication shows the application', () => {
    const b = institution('1', { grade: 'B', publishedOn: '2026-03-01', nextReviewDue: '2029-03-01' });
    const initial = result('1', { status: 'published', createdAt: '2026-01-10T09:00:00+08:00' });
    const application = {
      id: 'upg-1',
      uscc: '1',
      year: 2026,
      status: 'pending' as const,
      assessmentId: null,
      submittedAt: '2026-04-02T01:00:00Z',
    };
    expect(run([b], [initial], [application])[0]).toMatchObject({ basis: 'upgrade', stage: 'applied' });
    const upgrade = result('1', { reason: 'upgrade', createdAt: '2026-04-03T09:00:00+08:00' });
    expect(
      run([b], [initial, upgrade], [{ ...application, status: 'accepted', assessmentId: upgrade.id }])[0],
    ).toMatchObject({
      basis: 'upgrade',
      stage: 'scored',
      resultId: upgrade.id,
      applicationId: 'upg-1',
    });
  });

  it('leaves out institutions owing nothing this year, closed ones and those registered after it', () => {
    const entries = run([
      institution('a', { grade: 'A', publishedOn: '2025-01-01', nextReviewDue: '2029-01-01' }),
      institution('closed', { closed: true }),
      institution('later', { registeredOn: '2027-02-01' }),
      institution('old-row', { registeredOn: null }),
    ]);
    expect(entries.map((e) => e.uscc)).toEqual(['old-row']);
  });

  it('counts a result in the year it was assessed in (carried over while under way), never a downgrade', () => {
    const inst = institution('1');
    const lastYear = result('1', {
      assessedOn: '2025-12-30',
      status: 'in_publicity',
      publicity: { startOn: '2025-12-31', endOn: '2026-01-07' },
    });
    expect(run([inst], [lastYear], [], 2025)[0]).toMatchObject({ stage: 'publicity_ended' });
    // Still under way in the new year: it carries over; once published it stays in its own year.
    expect(run([inst], [lastYear], [], 2026)[0]).toMatchObject({ stage: 'publicity_ended' });
    const published = { ...lastYear, status: 'published' as const };
    const graded = { ...inst, grade: 'B' as const, publishedOn: '2026-01-08', nextReviewDue: '2029-01-08' };
    expect(run([graded], [published], [], 2025)[0]).toMatchObject({ stage: 'published' });
    expect(run([graded], [published], [], 2026)).toEqual([]);
    expect(run([inst], [lastYear], [], 2027)[0]).toMatchObject({ stage: 'not_started' });
    const downgraded = institution('2', {
      grade: 'D',
      publishedOn: '2026-01-05',
      nextReviewDue: '2027-01-05',
    });
    expect(run([downgraded], [result('2', { reason: 'downgrade', status: 'published' })])).toEqual([]);
  });

  it('a withdrawn result gives way to the one that replaced it, and stands when none did', () => {
    const withdrawn = result('1', { status: 'withdrawn', createdAt: '2026-05-01T10:00:00+08:00' });
    const again = result('1', { status: 'approved', createdAt: '2026-05-20T10:00:00+08:00' });
    expect(run([institution('1')], [withdrawn])[0]?.stage).toBe('withdrawn');
    expect(run([institution('1')], [again, withdrawn])[0]).toMatchObject({
      stage: 'approved',
      resultId: again.id,
    });
  });

  it('lists entries in district, then name order', () => {
    const entries = run([
      institution('2', { district: '西湖区', sortName: 'b' }),
      institution('1', { district: '上城区', sortName: 'z' }),
      institution('3', { district: '西湖区', sortName: 'a' }),
    ]);
    expect(entries.map((e) => e.uscc)).toEqual(['1', '3', '2']);
  });
});

describe('progress', () => {
  it('counts covered, settled (published or refused) and the share, by basis and stage', () => {
    const p = progressOf([
      { basis: 'new', stage: 'published' },
      { basis: 'review', stage: 'in_publicity' },
      { basis: 'upgrade', stage: 'refused' },
      { basis: 'new', stage: 'not_started' },
      { basis: 'new', stage: 'withdrawn' },
      { basis: 'review', stage: 'published' },
    ]);
    expect(p).toMatchObject({ covered: 6, settled: 3, progress: 0.5 });
    expect(p.byBasis).toEqual({ new: 3, review: 2, upgrade: 1 });
    expect(p.byStage).toMatchObject({
      published: 2,
      refused: 1,
      in_publicity: 1,
      not_started: 1,
      withdrawn: 1,
      scored: 0,
    });
    expect(progressOf([]).progress).toBe(0);
  });

  it('rounds the share to 4 decimals', () => {
    const entries = [
      { basis: 'new', stage: 'published' },
      ...Array(2).fill({ basis: 'new', stage: 'scored' }),
    ] as const;
    expect(progressOf(entries).progress).toBe(0.3333);
  });

  it('lists every district asked for, empty ones with zeroes', () => {
    const entries = run([institution('1', { district: '滨江区' })]);
    const rows = progressByDistrict(entries, ['西湖区', '滨江区']);
    expect(rows.map((r) => [r.district, r.covered, r.byStage.not_started])).toEqual([
      ['西湖区', 0, 0],
      ['滨江区', 1, 1],
    ]);
  });
});

describe('campaignEntries: the edges of the year and of the latest work', () => {
  const graded = (uscc: string, over: Partial<CampaignInstitution> = {}) =>
    institution(uscc, { grade: 'B', publishedOn: '2025-02-01', nextReviewDue: '2028-02-01', ...over });
  const application = (uscc: string, over: Partial<CampaignApplication> = {}): CampaignApplication => ({
    id: `upg-${uscc}`,
    uscc,
    year: 2026,
    status: 'pending',
    assessmentId: null,
    submittedAt: '2026-04-01T09:00:00+08:00',
    ...over,
  });

  it('a result assessed on the first or the last day of a year belongs to that year, not to the one before', () => {
    for (const assessedOn of ['2026-01-01', '2026-12-31']) {
      const published = result('1', { status: 'published', assessedOn });
      expect(run([institution('1')], [published])[0], assessedOn).toMatchObject({ stage: 'published' });
    }
    const nextYear = result('1', { status: 'scored', assessedOn: '2026-03-01' });
    expect(run([institution('1')], [nextYear], [], 2025)[0]).toMatchObject({
      stage: 'not_started',
      resultId: null,
    });
  });

  it('covers an institution registered, or a re-review falling due, on the last day of the year', () => {
    const entries = run([
      institution('new', { registeredOn: '2026-12-31' }),
      graded('due', { nextReviewDue: '2026-12-31' }),
    ]);
    expect(entries.map((e) => [e.uscc, e.basis, e.reviewDue])).toEqual([
      ['due', 'review', '2026-12-31'],
      ['new', 'new', null],
    ]);
  });

  it('the latest result speaks whatever order the results arrive in, those created together in id order', () => {
    const first = result('1', { id: 'r-1', status: 'published', createdAt: '2026-02-01T09:00:00+08:00' });
    const later = result('1', { id: 'r-2', status: 'approved', createdAt: '2026-05-01T09:00:00+08:00' });
    const together = result('1', { id: 'r-3', status: 'rechecked', createdAt: later.createdAt });
    for (const results of [
      [first, later],
      [later, first],
    ]) {
      expect(run([institution('1')], results)[0]).toMatchObject({ stage: 'approved', resultId: 'r-2' });
    }
    for (const results of [
      [later, together],
      [together, later],
    ]) {
      expect(run([institution('1')], results)[0]).toMatchObject({ stage: 'rechecked', resultId: 'r-3' });
    }
  });

  it('a result withdrawn after another leaves the other speaking', () => {
    const approved = result('1', { id: 'r-1', status: 'approved', createdAt: '2026-05-01T10:00:00+08:00' });
    const withdrawn = result('1', { id: 'r-2', status: 'withdrawn', createdAt: '2026-05-20T10:00:00+08:00' });
    expect(run([institution('1')], [approved, withdrawn])[0]).toMatchObject({
      stage: 'approved',
      resultId: 'r-1',
    });
  });

  it('an accepted application whose assessment is not among the results shows as scored, with that assessment', () => {
    const [entry] = run([graded('1')], [], [application('1', { status: 'accepted', assessmentId: 'r-x' })]);
    expect(entry).toMatchObject({
      basis: 'upgrade',
      stage: 'scored',
      resultId: 'r-x',
      applicationId: 'upg-1',
    });
  });

  it('leaves out an application of another year', () => {
    const lastYear = application('1', { year: 2025, submittedAt: '2025-04-01T09:00:00+08:00' });
    expect(run([graded('1')], [], [lastYear])).toEqual([]);
  });

  it('an application submitted at the very instant of the result leaves the result speaking', () => {
    const published = result('1', { status: 'published', createdAt: '2026-04-01T09:00:00+08:00' });
    const [entry] = run(
      [graded('1')],
      [published],
      [application('1', { submittedAt: '2026-04-01T01:00:00Z' })],
    );
    expect(entry).toMatchObject({ basis: 'new', stage: 'published', applicationId: null });
  });

  it('gives the re-review due date on a re-review entry only, the application on an upgrade entry only', () => {
    const dueThisYear = (uscc: string) => graded(uscc, { grade: 'C', nextReviewDue: '2026-09-01' });
    const entries = run(
      [dueThisYear('review'), dueThisYear('upgrade'), dueThisYear('no-app')],
      [
        result('review', { reason: 'review', status: 'scored', createdAt: '2026-05-01T10:00:00+08:00' }),
        result('upgrade', { reason: 'upgrade', status: 'scored', createdAt: '2026-05-01T10:00:00+08:00' }),
        result('no-app', { reason: 'upgrade', status: 'scored', createdAt: '2026-05-01T10:00:00+08:00' }),
      ],
      [application('review'), application('upgrade', { status: 'accepted', assessmentId: 'r-upgrade-1' })],
    );
    expect(entries.map((e) => [e.uscc, e.basis, e.reviewDue, e.applicationId])).toEqual([
      ['no-app', 'upgrade', null, null],
      ['review', 'review', '2026-09-01', null],
      ['upgrade', 'upgrade', null, 'upg-upgrade'],
    ]);
  });
});
