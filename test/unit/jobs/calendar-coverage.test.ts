import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALENDAR_WARNING_DAYS, calendarCoverage, WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { CalendarCoverageJob } from '#shared/jobs/calendar-coverage.ts';

/** A year given as an override, with no holidays: only to tell coverage apart, never a real schedule. */
const withYear = (year: string) => new WorkingDayCalendar({ [year]: { holidays: [], workdays: [] } });

describe('how far ahead the working-day calendar reaches', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts the days to the end of the last covered year and is short under 60', () => {
    const calendar = new WorkingDayCalendar();
    expect(calendarCoverage(calendar, '2026-10-01')).toEqual({
      coveredThrough: '2026-12-31',
      daysAhead: 91,
      short: false,
    });
    expect(calendarCoverage(calendar, '2026-11-02')).toMatchObject({ daysAhead: 59, short: true });
    expect(calendarCoverage(calendar, '2026-11-01').daysAhead).toBe(CALENDAR_WARNING_DAYS);
    expect(calendarCoverage(calendar, '2026-11-01').short).toBe(false);
  });

  it('reaches through the next year once its data is added, and is nothing in a year without data', () => {
    expect(calendarCoverage(withYear('2027'), '2026-12-07')).toEqual({
      coveredThrough: '2027-12-31',
      daysAhead: 389,
      short: false,
    });
    expect(calendarCoverage(new WorkingDayCalendar(), '2027-01-04')).toEqual({
      coveredThrough: null,
      daysAhead: 0,
      short: true,
    });
  });

  it('counts the CalendarCoverageShort metric from the daily job when short, and nothing otherwise', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const short = await new CalendarCoverageJob(new WorkingDayCalendar()).run('2026-12-07');
    expect(short).toMatchObject({
      job: 'calendar-coverage',
      coveredThrough: '2026-12-31',
      daysAhead: 24,
      short: true,
    });
    const said = [...warn.mock.calls, ...log.mock.calls].map((c) => String(c[0])).join('\n');
    expect(said).toContain('24 day(s) ahead');
    warn.mockClear();
    log.mockClear();
    const fine = await new CalendarCoverageJob(withYear('2027')).run('2026-12-07');
    expect(fine).toMatchObject({ short: false });
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });
});
