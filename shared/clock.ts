import { isValidDate, shanghaiDate } from './domain/dates.ts';
import type { LocalDate } from './domain/types.ts';

/** Every date decision goes through a clock so `--now` can drive the whole service. */
export interface Clock {
  now(): Date;
  today(): LocalDate;
}

export function systemClock(): Clock {
  return { now: () => new Date(), today: () => shanghaiDate(new Date()) };
}

/** A clock frozen at `iso`. */
export function fixedClock(iso: string): Clock {
  const instant = new Date(iso);
  const day = /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0];
  if (Number.isNaN(instant.getTime()) || (day !== undefined && !isValidDate(day)))
    throw new RangeError(`not an ISO instant: ${iso}`);
  return { now: () => new Date(instant), today: () => shanghaiDate(instant) };
}
