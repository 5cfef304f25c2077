import type { PublicChangeEvent } from '../../domain/change-events.ts';
import { gradeLabel } from '../../domain/grading.ts';
import type { PendingResult } from '../../domain/register-row.ts';
import type { Grade, LocalDate } from '../../domain/types.ts';
import type { InstitutionReader } from '../../store/institution-reader.ts';
import { publicityStage } from './present.ts';

/** Where the result a feed item announced stands today, while it is still in publicity. */
export interface FeedPublicity {
  resultId: string;
  proposedGrade: Grade;
  proposedGradeLabel: string;
  startOn: LocalDate;
  endOn: LocalDate;
  stage: 'open' | 'ended' | 'unpublishable';
}

/** Whether the row's publicity is the one `after` announced (older rows do not name their result). */
function isSameResult(p: PendingResult, after: Record<string, unknown>): boolean {
  if (p.resultId !== undefined) return p.resultId === after.resultId;
  return p.startOn === after.startOn && p.endOn === after.endOn && p.proposedGrade === after.proposedGrade;
}

/**
 * For each `publicity_started` item of a feed page whose result is still in publicity, where that
 * publicity stands today (the stage the institution page shows), by event id: one BatchGet of the
 * page's register rows, and none for a page without such items. Events are immutable; this is what
 * changed since, so a page that carries one is not cached as immutable.
 */
export async function publicityNow(
  reader: InstitutionReader,
  events: readonly PublicChangeEvent[],
  today: LocalDate,
): Promise<Map<string, FeedPublicity>> {
  const started = events.filter((e) => e.type === 'publicity_started' && e.after);
  if (started.length === 0) return new Map();
  const rows = await reader.rows.getMany([...new Set(started.map((e) => e.uscc))], false);
  const now = new Map<string, FeedPublicity>();
  for (const e of started) {
    const p = rows.get(e.uscc)?.publicity;
    const after = e.after as Record<string, unknown>;
    if (!p || p.startOn > today || !isSameResult(p, after)) continue;
    now.set(e.id, {
      resultId: String(after.resultId),
      proposedGrade: p.proposedGrade,
      proposedGradeLabel: gradeLabel(p.proposedGrade),
      startOn: p.startOn,
      endOn: p.endOn,
      stage: publicityStage(p, today),
    });
  }
  return now;
}
