import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  dayOfWeek,
  daysBetween,
  isValidDate,
  minDate,
  secondsToShanghaiMidnight,
  shanghaiDate,
  shanghaiIso,
  yearOf,
} from '../../../shared/domain/dates.ts';

describe('isValidDate', () => {
  it('accepts a real YYYY-MM-DD date, 29 February of a leap year included', () => {
    for (const d of ['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29'])
      expect(isValidDate(d)).toBe(true);
  });

  it('refuses impossible days and any other shape', () => {
    for (const d of ['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01']) {
      expect(isValidDate(d)).toBe(false);
    }
    for (const d of ['20260101', ' 2026-01-01', '2026-01-01 ', '2026-01-01T00:00', 'x2026-01-01', '']) {
      expect(isValidDate(d)).toBe(false);
    }
  });
});

describe('addDays', () => {
  it('steps across month, year and leap-day boundaries, both ways', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-01', 0)).toBe('2026-03-01');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('refuses a date that is not one', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow('not a calendar date: 2026-02-30');
  });
});

describe('addYears', () => {
  it('keeps the day of the month', () => {
    expect(addYears('2026-10-12', 3)).toBe('2029-10-12');
    expect(addYears('2026-10-12', -1)).toBe('2025-10-12');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('falls back from 29 February to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', -1)).toBe('2023-02-28');
  });
});

describe('daysBetween', () => {
  it('counts whole days, positive when the second date is later', () => {
    expect(daysBetween('2026-01-01', '2026-01-31')).toBe(30);
    expect(daysBetween('2026-01-31', '2026-01-01')).toBe(-30);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-05-05', '2026-05-05')).toBe(0);
  });
});

describe('dayOfWeek and yearOf', () => {
  it('numbers Sunday 0 to Saturday 6', () => {
    expect(dayOfWeek('2026-03-08')).toBe(0); // Sunday
    expect(dayOfWeek('2026-03-09')).toBe(1);
    expect(dayOfWeek('2026-03-14')).toBe(6);
  });

  it('reads the year', () => {
    expect(yearOf('2026-12-31')).toBe(2026);
    expect(yearOf('0999-01-01')).toBe(999);
  });
});

describe('Asia/Shanghai instants', () => {
  it('gives the Shanghai date, which turns at 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2026-10-12T15:59:59.999Z'))).toBe('2026-10-12');
    expect(shanghaiDate(new Date('2026-10-12T16:00:00Z'))).toBe('2026-10-13');
    expect(shanghaiDate(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01');
  });

  it('counts the seconds to the next Shanghai midnight, a full day at midnight itself', () => {
    expect(secondsToShanghaiMidnight(new Date('2026-10-12T16:00:00Z'))).toBe(86_400);
    expect(secondsToShanghaiMidnight(new Date('2026-10-12T15:59:59Z'))).toBe(1);
    expect(secondsToShanghaiMidnight(new Date('2026-10-12T04:00:00Z'))).toBe(12 * 3600);
    // before 1970 the remainder is negative and must still give a time within the day
    expect(secondsToShanghaiMidnight(new Date('1969-12-31T15:00:00Z'))).toBe(3600);
  });

  it('writes an instant with the +08:00 offset and milliseconds', () => {
    expect(shanghaiIso(new Date('2026-10-12T16:00:00.123Z'))).toBe('2026-10-13T00:00:00.123+08:00');
    expect(shanghaiIso(new Date('2026-10-12T01:02:03Z'))).toBe('2026-10-12T09:02:03.000+08:00');
  });
});

describe('minDate', () => {
  it('is the earlier date, whichever order they come in', () => {
    expect(minDate('2026-01-02', '2026-01-01')).toBe('2026-01-01');
    expect(minDate('2026-01-01', '2026-01-02')).toBe('2026-01-01');
    expect(minDate('2026-01-01', '2026-01-01')).toBe('2026-01-01');
  });
});
