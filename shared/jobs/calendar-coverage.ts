import { calendarCoverage, type WorkingDayCalendar } from '../domain/calendar.ts';
import type { LocalDate } from '../domain/types.ts';
import { countMetric } from '../metrics.ts';
import type { Job, JobReport } from './job.ts';

export const CALENDAR_COVERAGE_JOB = 'calendar-coverage';

/**
 * Daily: how many days ahead the working-day calendar reaches. Under 60 it counts the metric
 * `CalendarCoverageShort` (its alarm tells the operator to add next year's data file, docs/calendar.md):
 * past the calendar's end every publicity that reaches into the next year is refused.
 */
export class CalendarCoverageJob implements Job {
  readonly name = CALENDAR_COVERAGE_JOB;

  constructor(private readonly calendar: WorkingDayCalendar) {}

  async run(date: LocalDate): Promise<JobReport> {
    const coverage = calendarCoverage(this.calendar, date);
    if (coverage.short) {
      countMetric(
        'CalendarCoverageShort',
        { coveredThrough: coverage.coveredThrough ?? 'none', daysAhead: String(coverage.daysAhead) },
        calendarWarning(coverage),
      );
    }
    return { job: this.name, date, ...coverage };
  }
}

/** The operator's message when the calendar runs short. */
export function calendarWarning(c: { coveredThrough: LocalDate | null; daysAhead: number }): string {
  return `the working-day calendar covers only ${c.daysAhead} day(s) ahead (through ${c.coveredThrough ?? 'nothing'}): add next year's official holiday schedule (docs/calendar.md) before publicity reaching past it is refused`;
}
