import type { LocalDate } from './types.ts';

/** Calendar-date arithmetic on `YYYY-MM-DD` strings, in Asia/Shanghai (a fixed +08:00 offset, no DST). */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function toUtc(date: LocalDate): Date {
  if (!isValidDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): LocalDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Adds whole years; 29 February falls back to 28 February in a common year. */
export function addYears(date: LocalDate, years: number): LocalDate {
  const d = toUtc(date);
  const target = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()));
  if (target.getUTCMonth() !== d.getUTCMonth()) target.setUTCDate(0);
  return fromUtc(target);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return toUtc(date).getUTCDay();
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** The calendar date in Asia/Shanghai at the given instant. */
export function shanghaiDate(instant: Date): LocalDate {
  return fromUtc(new Date(instant.getTime() + SHANGHAI_OFFSET_MS));
}

/** Seconds from `instant` to the next midnight in Asia/Shanghai (UTC+8, no daylight saving). */
export function secondsToShanghaiMidnight(instant: Date): number {
  const day = 86_400;
  const local = Math.floor((instant.getTime() + SHANGHAI_OFFSET_MS) / 1000);
  return day - (((local % day) + day) % day);
}

/** ISO 8601 time with the +08:00 offset, as API.md requires. */
export function shanghaiIso(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 23)}+08:00`;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  // Stryker disable next-line EqualityOperator: equal dates give the same answer either way
  return a <= b ? a : b;
}
