import { addDays, addYears } from './dates.ts';
import { latestRules, type RuleRevision } from './rules.ts';
import type { Grade, LocalDate } from './types.ts';

/** Re-review cycle (动态复评), DOMAIN.md "Dynamic management". */

/*
 * The intervals (Hangzhou: A every 4 years, B 3, C 2, D every year) and the reminder offsets (Hangzhou:
 * 90, 30 and 7 days before, decided) come from the rulebook revision. The reminder points keep their
 * names as stable identifiers of the first, second and third reminder, whatever a revision's offsets.
 */

export const REMINDER_POINTS = ['due_90', 'due_30', 'due_7', 'overdue'] as const;
export type ReminderPoint = (typeof REMINDER_POINTS)[number];

/** Next re-review due date: publication date + the grade's interval (DOMAIN.md, decided). */
export function nextReviewDue(
  publishedOn: LocalDate,
  grade: Grade,
  rules: RuleRevision = latestRules(),
): LocalDate {
  return addYears(publishedOn, rules.reviewIntervalYears[grade]);
}

/** The day a reminder point falls on; `overdue` is the day after the due date. */
export function reminderDate(
  due: LocalDate,
  point: ReminderPoint,
  rules: RuleRevision = latestRules(),
): LocalDate {
  const [first, second, third] = rules.reminderDaysBefore as [number, number, number];
  switch (point) {
    case 'due_90':
      return addDays(due, -first);
    case 'due_30':
      return addDays(due, -second);
    case 'due_7':
      return addDays(due, -third);
    case 'overdue':
      return addDays(due, 1);
  }
}

/**
 * Every reminder point whose date is on or before `today`, in order. A job that missed days can send the
 * ones not yet sent; which were sent is the caller's record.
 */
export function reminderPointsDueOn(
  due: LocalDate,
  today: LocalDate,
  rules: RuleRevision = latestRules(),
): ReminderPoint[] {
  return REMINDER_POINTS.filter((point) => reminderDate(due, point, rules) <= today);
}

/** Flagged overdue from the day after the due date (DOMAIN.md). */
export function isReviewOverdue(due: LocalDate, today: LocalDate): boolean {
  return today > due;
}

/** The next reminder an institution is owed, and the day it falls due. */
export interface PendingReminder {
  point: ReminderPoint;
  on: LocalDate;
}

/**
 * The first reminder still ahead when a due date is set on `today`: points already in the past are
 * not sent late (a due date set 40 days ahead starts at the 30-day reminder); `overdue` is always owed.
 */
export function firstPendingReminder(
  due: LocalDate,
  today: LocalDate,
  rules: RuleRevision = latestRules(),
): PendingReminder {
  // 'overdue' is the last point and the fallback names it too: whether find stops at it or runs past it is the same.
  const point =
    // Stryker disable next-line ConditionalExpression,StringLiteral: see above
    REMINDER_POINTS.find((p) => p === 'overdue' || reminderDate(due, p, rules) >= today) ?? 'overdue';
  return { point, on: reminderDate(due, point, rules) };
}

/** The reminder that follows `point` for the same due date, or null after `overdue`. */
export function reminderAfter(
  due: LocalDate,
  point: ReminderPoint,
  rules: RuleRevision = latestRules(),
): PendingReminder | null {
  const next = REMINDER_POINTS[REMINDER_POINTS.indexOf(point) + 1];
  return next ? { point: next, on: reminderDate(due, next, rules) } : null;
}
