import type { Clock } from '#shared/clock.ts';
import { shanghaiDate } from '#shared/domain/dates.ts';

/** A clock the test moves: publicity must be able to end. */
export interface MovableClock extends Clock {
  set(iso: string): void;
}

export function movableClock(iso: string): MovableClock {
  let instant = new Date(iso);
  return {
    now: () => new Date(instant),
    today: () => shanghaiDate(instant),
    set(next) {
      instant = new Date(next);
    },
  };
}
