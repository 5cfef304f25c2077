import { describe, expect, it } from 'vitest';
import { planReminder } from '#shared/domain/reminder-plan.ts';

const base = { nextReviewDue: '2027-03-01', reviewOverdue: false, closed: false };

describe('planReminder', () => {
  it('sends the reminder that falls today and moves on to the next point', () => {
    expect(
      planReminder({ ...base, nextReminder: { point: 'due_90', on: '2026-12-01' } }, '2026-12-01'),
    ).toEqual({
      send: 'due_90',
      due: '2027-03-01',
      next: { point: 'due_30', on: '2027-01-30' },
      reviewOverdue: false,
    });
  });

  it('returns null for a reminder not yet due (a stale index read)', () => {
    expect(
      planReminder({ ...base, nextReminder: { point: 'due_30', on: '2027-01-30' } }, '2026-12-01'),
    ).toBeNull();
  });

  it('after missed days sends only the latest point reached', () => {
    const plan = planReminder({ ...base, nextReminder: { point: 'due_90', on: '2026-12-01' } }, '2027-02-25');
    expect(plan).toMatchObject({ send: 'due_7', next: { point: 'overdue', on: '2027-03-02' } });
  });

  it('flags the review overdue with the overdue reminder, and owes nothing after it', () => {
    expect(
      planReminder({ ...base, nextReminder: { point: 'overdue', on: '2027-03-02' } }, '2027-03-02'),
    ).toEqual({
      send: 'overdue',
      due: '2027-03-01',
      next: null,
      reviewOverdue: true,
    });
  });

  it('sends nothing for a closed institution or one without a due date, and takes it out of the index', () => {
    const closed = planReminder(
      { ...base, closed: true, nextReminder: { point: 'due_90', on: '2026-12-01' } },
      '2026-12-01',
    );
    expect(closed).toMatchObject({ send: null, next: null });
    const none = planReminder(
      { ...base, nextReviewDue: null, nextReminder: { point: 'due_7', on: '2026-12-01' } },
      '2026-12-01',
    );
    expect(none).toMatchObject({ send: null, next: null });
  });

  it('catching up on the exact day of a later point sends that point, not the earlier one', () => {
    // due_30 of 2027-03-01 falls on 2027-01-30: a job that missed the 90-day point sends the 30-day one.
    expect(
      planReminder({ ...base, nextReminder: { point: 'due_90', on: '2026-12-01' } }, '2027-01-30'),
    ).toEqual({
      send: 'due_30',
      due: '2027-03-01',
      next: { point: 'due_7', on: '2027-02-22' },
      reviewOverdue: false,
    });
    expect(
      planReminder({ ...base, nextReminder: { point: 'due_90', on: '2026-12-01' } }, '2027-01-29'),
    ).toMatchObject({ send: 'due_90', next: { point: 'due_30', on: '2027-01-30' } });
  });

  it('on the due day itself the review is not yet overdue; from the next day it is', () => {
    expect(
      planReminder({ ...base, nextReminder: { point: 'due_7', on: '2027-02-22' } }, '2027-03-01'),
    ).toEqual({
      send: 'due_7',
      due: '2027-03-01',
      next: { point: 'overdue', on: '2027-03-02' },
      reviewOverdue: false,
    });
    expect(
      planReminder({ ...base, nextReminder: { point: 'due_30', on: '2027-01-30' } }, '2027-03-10'),
    ).toEqual({ send: 'overdue', due: '2027-03-01', next: null, reviewOverdue: true });
  });

  it('keeps a review already flagged overdue flagged through a later send', () => {
    expect(
      planReminder(
        { ...base, reviewOverdue: true, nextReminder: { point: 'due_30', on: '2027-01-30' } },
        '2027-01-30',
      ),
    ).toMatchObject({ send: 'due_30', reviewOverdue: true });
    expect(
      planReminder({ ...base, reviewOverdue: true, closed: true, nextReminder: null }, '2027-01-30'),
    ).toEqual({ send: null, due: '2027-03-01', next: null, reviewOverdue: true });
  });
});
