import * as z from 'zod';
import { addDays, dayOfWeek, isValidDate, yearOf } from './dates.ts';
import { CalendarNotCoveredError, type FieldProblem, ValidationError } from './errors.ts';
import { OFFICIAL_CALENDAR_FILES } from './official-calendar.ts';
import { latestRules, type RuleRevision } from './rules.ts';
import type { LocalDate } from './types.ts';

/**
 * The official PRC working-day calendar (DOMAIN.md "Life of a grading result": publicity lasts 5 working
 * days, holidays and make-up working days (调休) included). The State Council publishes each year's
 * schedule late in the previous year; a year without data is refused, never guessed.
 */

/** One year's official schedule: public holidays and make-up working days (调休, usually weekends). */
export interface CalendarYear {
  holidays: LocalDate[];
  workdays: LocalDate[];
}

/** Operator-supplied years, keyed by `YYYY`; a year given here replaces the packaged data for that year. */
export type CalendarOverrides = Record<string, CalendarYear>;

interface YearSets {
  holidays: ReadonlySet<LocalDate>;
  workdays: ReadonlySet<LocalDate>;
}

/** Guard against an override that declares a whole year of holidays: no date loop may run forever. */
const MAX_CONSECUTIVE_DAYS_OFF = 366;

let packagedYears: Map<number, YearSets> | undefined;

/** The official schedule by year, validated and built on first use (a module that only names the calendar pays nothing). */
function packaged(): Map<number, YearSets> {
  packagedYears ??= readOfficialYears(OFFICIAL_CALENDAR_FILES);
  return packagedYears;
}

const dateString = z.string().refine(isValidDate, { message: 'expected a date YYYY-MM-DD' });

const officialDay = z.strictObject({ date: dateString, name: z.string().trim().min(1) });

/** One year's file in `data/calendar/`: the year, the notice its dates come from, and the dates by kind. */
const officialYearSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  notice: z.string().trim().min(1),
  holidays: z.array(officialDay).min(1),
  workdays: z.array(officialDay),
});

export type OfficialYear = z.infer<typeof officialYearSchema>;

/**
 * Validates the official year files and builds the schedule by year. Beyond the format, each file must
 * hold only dates of its own year, each once and in order; no day may be both a holiday and a working day;
 * and a make-up working day (调休) falls on a Saturday or Sunday, since a weekday is a working day anyway.
 * Throws a ValidationError listing every problem by `year.list.index`.
 */
export function readOfficialYears(files: readonly unknown[]): Map<number, YearSets> {
  const problems: FieldProblem[] = [];
  const byYear = new Map<number, YearSets>();
  for (const [i, file] of files.entries()) {
    const parsed = officialYearSchema.safeParse(file);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ path: [`file ${i}`, ...issue.path.map(String)].join('.'), message: issue.message });
      continue;
    }
    const { year, holidays, workdays } = parsed.data;
    if (byYear.has(year)) problems.push({ path: `${year}`, message: `${year} is given twice` });
    const days = { holidays: holidays.map((d) => d.date), workdays: workdays.map((d) => d.date) };
    problems.push(...overrideProblems({ [year]: days }));
    for (const list of ['holidays', 'workdays'] as const) {
      for (const [j, date] of days[list].entries()) {
        const path = `${year}.${list}.${j}`;
        if (j > 0 && date <= days[list][j - 1]!)
          problems.push({
            path,
            message: `${date} is not after ${days[list][j - 1]}: list each date once, in order`,
          });
        const dow = dayOfWeek(date);
        if (list === 'workdays' && dow !== 0 && dow !== 6)
          problems.push({ path, message: `${date} is a weekday: a make-up working day falls on a weekend` });
      }
    }
    byYear.set(year, { holidays: new Set(days.holidays), workdays: new Set(days.workdays) });
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid calendar data: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return byYear;
}

function checkDate(date: LocalDate, path = 'date'): void {
  // Stryker disable next-line ConditionalExpression: isValidDate is false for a non-string anyway
  if (typeof date !== 'string' || !isValidDate(date)) {
    throw new ValidationError(`not a calendar date: ${String(date)}`, [
      { path, message: `expected a date YYYY-MM-DD, got ${String(date)}` },
    ]);
  }
}

function overrideProblems(overrides: CalendarOverrides): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [year, days] of Object.entries(overrides)) {
    if (!/^\d{4}$/.test(year)) {
      problems.push({ path: year, message: `year keys must be four digits, got "${year}"` });
      continue;
    }
    const holidays = new Set(days.holidays);
    for (const list of ['holidays', 'workdays'] as const) {
      for (const [i, date] of days[list].entries()) {
        const path = `${year}.${list}.${i}`;
        // Stryker disable next-line ConditionalExpression: isValidDate is false for a non-string anyway
        if (typeof date !== 'string' || !isValidDate(date)) {
          problems.push({ path, message: `expected a date YYYY-MM-DD, got ${String(date)}` });
        } else if (!date.startsWith(`${year}-`)) {
          problems.push({ path, message: `${date} is not in ${year}` });
        } else if (list === 'workdays' && holidays.has(date)) {
          problems.push({ path, message: `${date} is listed both as a holiday and as a working day` });
        }
      }
    }
  }
  return problems;
}

/** The PRC working-day calendar from the official year files, extended or corrected by overrides. */
export class WorkingDayCalendar {
  readonly #overrides = new Map<number, YearSets>();

  /** Throws a ValidationError when an override is malformed (a bad date, a date outside its year, …). */
  constructor(overrides: CalendarOverrides = {}) {
    const problems = overrideProblems(overrides);
    if (problems.length > 0) throw new ValidationError('invalid calendar overrides', problems);
    for (const [year, days] of Object.entries(overrides)) {
      this.#overrides.set(Number(year), {
        holidays: new Set(days.holidays),
        workdays: new Set(days.workdays),
      });
    }
  }

  /** Whether the official schedule of `year` is known. */
  isCovered(year: number): boolean {
    return this.#overrides.has(year) || packaged().has(year);
  }

  /** The last day of the unbroken run of covered years from `today`'s, or null when its year is not covered. */
  coveredThrough(today: LocalDate): LocalDate | null {
    let year = yearOf(today);
    if (!this.isCovered(year)) return null;
    while (this.isCovered(year + 1)) year++;
    return `${year}-12-31`;
  }

  /** Every covered year, ascending. */
  coveredYears(): number[] {
    return [...new Set([...packaged().keys(), ...this.#overrides.keys()])].sort((a, b) => a - b);
  }

  #year(date: LocalDate): YearSets {
    checkDate(date);
    const year = yearOf(date);
    const sets = this.#overrides.get(year) ?? packaged().get(year);
    if (!sets) throw new CalendarNotCoveredError(year);
    return sets;
  }

  /**
   * A make-up working day (调休), or a Monday–Friday that is not a public holiday.
   * Throws CalendarNotCoveredError for a year without official data rather than guess.
   */
  isWorkingDay(date: LocalDate): boolean {
    const { holidays, workdays } = this.#year(date);
    if (workdays.has(date)) return true;
    if (holidays.has(date)) return false;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /** `date` itself when it is a working day, else the next working day. */
  nextWorkingDayOnOrAfter(date: LocalDate): LocalDate {
    let day = date;
    for (let i = 0; i <= MAX_CONSECUTIVE_DAYS_OFF; i++) {
      if (this.isWorkingDay(day)) return day;
      day = addDays(day, 1);
    }
    throw new RangeError(`no working day within ${MAX_CONSECUTIVE_DAYS_OFF} days of ${date}`);
  }

  /**
   * The date `n` working days after `date` (before it when `n` is negative); `date` itself is not counted
   * and need not be a working day. `n = 0` returns `date`.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    checkDate(date);
    if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
    // Stryker disable next-line EqualityOperator: with n = 0 the loop never steps
    const step = n < 0 ? -1 : 1;
    let day = date;
    let daysOff = 0;
    for (let left = Math.abs(n); left > 0; ) {
      day = addDays(day, step);
      if (this.isWorkingDay(day)) {
        left--;
        daysOff = 0;
      } else if (++daysOff > MAX_CONSECUTIVE_DAYS_OFF) {
        throw new RangeError(`no working day within ${MAX_CONSECUTIVE_DAYS_OFF} days of ${date}`);
      }
    }
    return day;
  }

  /** Number of working days in the closed interval [from, to]; 0 when `to` is before `from`. */
  countWorkingDays(from: LocalDate, to: LocalDate): number {
    checkDate(from, 'from');
    checkDate(to, 'to');
    let count = 0;
    for (let day = from; day <= to; day = addDays(day, 1)) if (this.isWorkingDay(day)) count++;
    return count;
  }

  /**
   * The publicity (公示) window for a result posted on `postedOn` (DOMAIN.md, decided): day 1 is the
   * posting date if it is a working day, else the next working day; it ends at 24:00 Asia/Shanghai of
   * the revision's last working day (Hangzhou: the 5th), `endOn`.
   */
  publicityWindow(
    postedOn: LocalDate,
    rules: RuleRevision = latestRules(),
  ): { startOn: LocalDate; endOn: LocalDate } {
    const startOn = this.nextWorkingDayOnOrAfter(postedOn);
    return { startOn, endOn: this.addWorkingDays(startOn, rules.publicity.workingDays - 1) };
  }
}

/** The instant publicity ends: 24:00 Asia/Shanghai of `endOn`, i.e. 00:00 +08:00 the next day (DOMAIN.md). */
export function publicityEndsAt(endOn: LocalDate): Date {
  checkDate(endOn, 'endOn');
  return new Date(`${addDays(endOn, 1)}T00:00:00+08:00`);
}

const YEAR_KEY_MESSAGE = 'year keys must be four digits';

const overridesSchema = z.record(
  z.string().regex(/^\d{4}$/, { message: YEAR_KEY_MESSAGE }),
  z.strictObject({
    holidays: z.array(dateString).default([]),
    workdays: z.array(dateString).default([]),
  }),
);

/**
 * Parses operator-supplied calendar overrides, e.g.
 * `{"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-02-06"]}}`.
 * Throws a ValidationError that lists every problem by path.
 */
export function parseCalendarOverrides(json: string): CalendarOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    const message = `calendar overrides are not valid JSON: ${(err as Error).message}`;
    throw new ValidationError(message, [{ path: '', message }]);
  }
  const parsed = overridesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      // zod reports a bad record key as "Invalid key in record", not by the key schema's message
      message: issue.code === 'invalid_key' ? YEAR_KEY_MESSAGE : issue.message,
    }));
    throw new ValidationError(
      `invalid calendar overrides: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  const problems = overrideProblems(parsed.data);
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid calendar overrides: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return parsed.data;
}

/** Fewer days of calendar ahead than this raise the calendar-coverage warning (DOMAIN.md: 60 days). */
export const CALENDAR_WARNING_DAYS = 60;

/** How far ahead the calendar reaches from `today`, and whether that is short of CALENDAR_WARNING_DAYS. */
export function calendarCoverage(calendar: WorkingDayCalendar, today: LocalDate) {
  const coveredThrough = calendar.coveredThrough(today);
  const daysAhead = coveredThrough
    ? Math.round((Date.parse(`${coveredThrough}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
    : 0;
  return { coveredThrough, daysAhead, short: daysAhead < CALENDAR_WARNING_DAYS };
}
