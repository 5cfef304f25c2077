import type { Contacts } from '../domain/model.ts';
import type { LocalDate } from '../domain/types.ts';

/** Every kind of notice an institution (or the guidance group) can receive. Never one about random inspections. */
export const NOTICE_KINDS = [
  'review_due_90',
  'review_due_30',
  'review_due_7',
  'review_overdue',
  'publicity_started',
  'publicity_ended',
  'result_published',
  'downgraded',
  'upgrade_window',
  'upgrade_accepted',
  'upgrade_refused',
  'upgrade_banned',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * What the workflow and the jobs ask for: "tell institution X about Y". The notifier resolves the
 * institution's contacts and fans out one message per channel; `cycle` makes the pair
 * institution#kind#cycle#channel unique, so the same intent never reaches anyone twice.
 */
export interface NoticeIntent {
  uscc: string;
  kind: NoticeKind;
  /** e.g. the result id, the due date of the review, or the year of the upgrade window. */
  cycle: string;
  /** Values for the notice template (grade, score, dates, reason). */
  params: Record<string, string | number | null>;
  /** The day the intent arose, for the audit of notices. */
  on: LocalDate;
  /**
   * The institution's contacts when the caller has read its private item already (a job that reads
   * it for another field), so the notifier does not read it a second time.
   */
  contacts?: Contacts;
}

export interface Notifier {
  notify(intents: NoticeIntent[]): Promise<void>;
}

/** Records intents in memory: for tests and for tools that run without delivery. */
export class RecordingNotifier implements Notifier {
  readonly intents: NoticeIntent[] = [];
  async notify(intents: NoticeIntent[]): Promise<void> {
    this.intents.push(...intents);
  }
}
