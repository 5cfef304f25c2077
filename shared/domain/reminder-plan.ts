import {
  isReviewOverdue,
  type PendingReminder,
  REMINDER_POINTS,
  type ReminderPoint,
  reminderAfter,
  reminderDate,
} from './review.ts';
import type { LocalDate } from './types.ts';

/** The notice kind of each reminder point. */
export const REMINDER_NOTICE_KIND = {
  due_90: 'review_due_90',
  due_30: 'review_due_30',
  due_7: 'review_due_7',
  overdue: 'review_overdue',
} as const satisfies Record<ReminderPoint, string>;

/** What the reminder job does for one profile today. */
export interface ReminderPlan {
  /** The reminder to send, or null when none is owed (the profile only leaves the index). */
  send: ReminderPoint | null;
  /** The due date the reminder is about (the notice's cycle). */
  due: LocalDate | null;
  /** The reminder owed next, or null after `overdue`. */
  next: PendingReminder | null;
  reviewOverdue: boolean;
}

/**
 * Plans one profile's reminder on `today`, or returns null when its reminder is not yet due (a stale
 * index read). A job that missed days sends only the latest point that has come (decided: a 90-day
 * reminder that arrives after the 30-day point would only confuse), then moves on to the next one.
 */
export function planReminder(
  profile: {
    nextReviewDue: LocalDate | null;
    nextReminder: PendingReminder | null;
    reviewOverdue: boolean;
    closed: boolean;
  },
  today: LocalDate,
): ReminderPlan | null {
  const { nextReviewDue: due, nextReminder: pending } = profile;
  if (!pending || !due || profile.closed) {
    return { send: null, due, next: null, reviewOverdue: profile.reviewOverdue };
  }
  if (pending.on > today) return null;
  const from = REMINDER_POINTS.indexOf(pending.point);
  // pending.on is always reminderDate(due, pending.point) (both are written with the due date), so points
  // before the pending one fall earlier and never change the latest point reached.
  // Stryker disable next-line MethodExpression: equivalent under that invariant
  const reached = REMINDER_POINTS.slice(from).filter((p) => reminderDate(due, p) <= today);
  const send = reached.at(-1) ?? pending.point;
  return {
    send,
    due,
    next: reminderAfter(due, send),
    // Stryker disable next-line ConditionalExpression,StringLiteral: the overdue point falls the day after due, so sending it implies isReviewOverdue
    reviewOverdue: profile.reviewOverdue || send === 'overdue' || isReviewOverdue(due, today),
  };
}
