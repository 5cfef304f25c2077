import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestRules } from '#shared/domain/rules.ts';
import { addDays } from '../../../shared/domain/dates.ts';
import {
  firstPendingReminder,
  isReviewOverdue,
  nextReviewDue,
  REMINDER_POINTS,
  reminderAfter,
  reminderDate,
  reminderPointsDueOn,
} from '../../../shared/domain/review.ts';

const date = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('2000-01-01', n));

describe('review', () => {
  it('has the DOMAIN.md intervals', () => {
    expect(latestRules().reviewIntervalYears).toEqual({ A: 4, B: 3, C: 2, D: 1 });
    expect(latestRules().reminderDaysBefore).toEqual([90, 30, 7]);
  });

  it('nextReviewDue adds the grade interval to the publication date', () => {
    expect(nextReviewDue('2026-03-15', 'A')).toBe('2030-03-15');
    expect(nextReviewDue('2026-03-15', 'B')).toBe('2029-03-15');
    expect(nextReviewDue('2026-03-15', 'C')).toBe('2028-03-15');
    expect(nextReviewDue('2026-03-15', 'D')).toBe('2027-03-15');
    expect(nextReviewDue('2028-02-29', 'D')).toBe('2029-02-28');
    expect(nextReviewDue('2028-02-29', 'A')).toBe('2032-02-29');
  });

  it('reminderDate puts each point before the due date, overdue the day after', () => {
    expect(reminderDate('2027-03-15', 'due_90')).toBe('2026-12-15');
    expect(reminderDate('2027-03-15', 'due_30')).toBe('2027-02-13');
    expect(reminderDate('2027-03-15', 'due_7')).toBe('2027-03-08');
    expect(reminderDate('2027-03-15', 'overdue')).toBe('2027-03-16');
  });

  it('reminderPointsDueOn returns the points reached, at each boundary', () => {
    const due = '2027-03-15';
    expect(reminderPointsDueOn(due, '2026-12-14')).toEqual([]);
    expect(reminderPointsDueOn(due, '2026-12-15')).toEqual(['due_90']);
    expect(reminderPointsDueOn(due, '2027-02-13')).toEqual(['due_90', 'due_30']);
    expect(reminderPointsDueOn(due, '2027-03-08')).toEqual(['due_90', 'due_30', 'due_7']);
    expect(reminderPointsDueOn(due, '2027-03-15')).toEqual(['due_90', 'due_30', 'due_7']);
    expect(reminderPointsDueOn(due, '2027-03-16')).toEqual(['due_90', 'due_30', 'due_7', 'overdue']);
  });

  it('isReviewOverdue from the day after the due date', () => {
    expect(isReviewOverdue('2027-03-15', '2027-03-15')).toBe(false);
    expect(isReviewOverdue('2027-03-15', '2027-03-16')).toBe(true);
  });

  it('property: points reached only grow with time, and overdue agrees with isReviewOverdue', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -200, max: 200 }), fc.nat(30), (due, offset, later) => {
        const today = addDays(due, offset);
        const now = reminderPointsDueOn(due, today);
        const afterwards = reminderPointsDueOn(due, addDays(today, later));
        expect(afterwards.slice(0, now.length)).toEqual(now);
        expect(now).toEqual(REMINDER_POINTS.slice(0, now.length));
        expect(now.includes('overdue')).toBe(isReviewOverdue(due, today));
      }),
    );
  });
});

describe('firstPendingReminder and reminderAfter', () => {
  it('starts at the 90-day reminder when the due date is far ahead', () => {
    expect(firstPendingReminder('2027-06-30', '2026-11-23')).toEqual({ point: 'due_90', on: '2027-04-01' });
  });

  it('skips reminders whose day has passed, keeping the one due today', () => {
    expect(firstPendingReminder('2026-12-23', '2026-11-23')).toEqual({ point: 'due_30', on: '2026-11-23' });
    expect(firstPendingReminder('2026-12-22', '2026-11-23')).toEqual({ point: 'due_7', on: '2026-12-15' });
  });

  it('owes the overdue notice even when the due date is already past', () => {
    expect(firstPendingReminder('2026-10-01', '2026-11-23')).toEqual({ point: 'overdue', on: '2026-10-02' });
  });

  it('walks 90 → 30 → 7 → overdue → end', () => {
    const due = '2027-03-01';
    expect(reminderAfter(due, 'due_90')).toEqual({ point: 'due_30', on: '2027-01-30' });
    expect(reminderAfter(due, 'due_30')?.point).toBe('due_7');
    expect(reminderAfter(due, 'due_7')).toEqual({ point: 'overdue', on: '2027-03-02' });
    expect(reminderAfter(due, 'overdue')).toBeNull();
  });
});
