import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFrom } from '#shared/bootstrap.ts';
import { latestRules } from '#shared/domain/rules.ts';
import {
  parseCalendarOverrides,
  publicityEndsAt,
  WorkingDayCalendar,
} from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/dates.ts';
import { CalendarNotCoveredError, ValidationError } from '../../../shared/domain/errors.ts';

const calendar = new WorkingDayCalendar();
const with2027 = new WorkingDayCalendar({
  '2027': { holidays: ['2027-01-01'], workdays: [] },
});

/** A posting date whose 5-working-day window stays inside the official year files (2004 … 2026). */
const coveredPosting = fc.integer({ min: 0, max: 8390 }).map((n) => addDays('2004-01-01', n));

describe('WorkingDayCalendar', () => {
  it('covers the packaged years and nothing after them', () => {
    expect(calendar.isCovered(2004)).toBe(true);
    expect(calendar.isCovered(2026)).toBe(true);
    expect(calendar.isCovered(2003)).toBe(false);
    expect(calendar.isCovered(2027)).toBe(false);
    expect(calendar.coveredYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it('counts an override year as covered', () => {
    expect(with2027.isCovered(2027)).toBe(true);
    expect(with2027.coveredYears().at(-1)).toBe(2027);
    const earlier = new WorkingDayCalendar({
      '2003': { holidays: [], workdays: [] },
      '2026': { holidays: [], workdays: [] },
    });
    expect(earlier.coveredYears()).toEqual(Array.from({ length: 24 }, (_, i) => 2003 + i));
  });

  it('knows the 2026 National Day and Mid-autumn holidays and their make-up workdays', () => {
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addDays(d, 1))
      expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.isWorkingDay('2026-09-25')).toBe(false); // Friday, 中秋
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday, 调休
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // ordinary Sunday
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('knows the 2026 Spring Festival', () => {
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1))
      expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('treats ordinary weekdays as working days and weekends as not', () => {
    expect(calendar.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sunday
  });

  it('never guesses a working day for an uncovered year', () => {
    expect(() => calendar.isWorkingDay('2027-01-04')).toThrow(CalendarNotCoveredError);
    expect(() => calendar.isWorkingDay('2003-12-31')).toThrow(CalendarNotCoveredError);
    try {
      calendar.isWorkingDay('2027-06-01');
    } catch (err) {
      expect((err as CalendarNotCoveredError).year).toBe(2027);
    }
    expect.assertions(3);
  });

  it('names the argument that is not a calendar date', () => {
    const pathOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as ValidationError).errors;
      }
      return null;
    };
    expect(pathOf(() => calendar.isWorkingDay('2026-02-30'))).toEqual([
      { path: 'date', message: 'expected a date YYYY-MM-DD, got 2026-02-30' },
    ]);
    expect(pathOf(() => calendar.countWorkingDays('2026-13-01', '2026-10-09'))?.[0]?.path).toBe('from');
    expect(pathOf(() => calendar.countWorkingDays('2026-10-01', 'soon'))?.[0]?.path).toBe('to');
    expect(pathOf(() => publicityEndsAt('2026-10-32'))?.[0]?.path).toBe('endOn');
  });

  it('rejects a malformed date with a ValidationError', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(ValidationError);
    expect(() => calendar.addWorkingDays('20261001', 1)).toThrow(ValidationError);
  });

  it('lets an override replace a packaged year', () => {
    const noHolidays = new WorkingDayCalendar({ '2026': { holidays: [], workdays: [] } });
    expect(noHolidays.isWorkingDay('2026-10-01')).toBe(true);
    expect(noHolidays.isWorkingDay('2026-10-10')).toBe(false);
  });

  it('refuses, at construction, a year key that is not four digits, naming it', () => {
    for (const year of ['27', '20270', 'next']) {
      try {
        new WorkingDayCalendar({ [year]: { holidays: [], workdays: [] } });
        expect.unreachable();
      } catch (err) {
        expect((err as ValidationError).errors).toEqual([
          { path: year, message: `year keys must be four digits, got "${year}"` },
        ]);
      }
    }
  });

  it('lists every bad date of an override at construction, by path', () => {
    try {
      new WorkingDayCalendar({
        '2027': { holidays: ['2027-01-01', '2026-12-31'], workdays: ['2027-01-01', '2027-13-01'] },
      });
      expect.unreachable();
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([
        { path: '2027.holidays.1', message: '2026-12-31 is not in 2027' },
        { path: '2027.workdays.0', message: '2027-01-01 is listed both as a holiday and as a working day' },
        { path: '2027.workdays.1', message: 'expected a date YYYY-MM-DD, got 2027-13-01' },
      ]);
    }
  });

  it('takes a year given with no holidays as a year of weekends only, with its make-up working days', () => {
    const bare = new WorkingDayCalendar(parseCalendarOverrides('{"2027": {"workdays": ["2027-01-02"]}}'));
    expect(bare.isCovered(2027)).toBe(true);
    expect(bare.isWorkingDay('2027-01-01')).toBe(true); // a Friday, no holiday listed
    expect(bare.isWorkingDay('2027-01-02')).toBe(true); // a Saturday made a working day
    expect(bare.isWorkingDay('2027-01-03')).toBe(false); // a Sunday
  });

  it('refuses a malformed override at construction', () => {
    expect(() => new WorkingDayCalendar({ '2027': { holidays: ['2026-10-01'], workdays: [] } })).toThrow(
      ValidationError,
    );
    expect(() => new WorkingDayCalendar({ '2027': { holidays: ['2027-02-29'], workdays: [] } })).toThrow(
      ValidationError,
    );
  });

  it('nextWorkingDayOnOrAfter returns the date itself or the next working day', () => {
    expect(calendar.nextWorkingDayOnOrAfter('2026-09-30')).toBe('2026-09-30');
    expect(calendar.nextWorkingDayOnOrAfter('2026-10-01')).toBe('2026-10-08');
    expect(calendar.nextWorkingDayOnOrAfter('2026-09-20')).toBe('2026-09-20');
  });

  it('addWorkingDays steps over weekends and holidays in both directions', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    expect(calendar.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(() => calendar.addWorkingDays('2026-10-03', 1.5)).toThrow(RangeError);
  });

  it('countWorkingDays counts a closed interval', () => {
    expect(calendar.countWorkingDays('2026-09-28', '2026-10-11')).toBe(6); // 28, 29, 30, 8, 9 and make-up 10
    expect(calendar.countWorkingDays('2026-10-11', '2026-10-10')).toBe(0);
  });
});

describe('publicityWindow', () => {
  it('starts on a working posting day and ends on the 5th working day across National Day', () => {
    expect(calendar.publicityWindow('2026-09-30')).toEqual({ startOn: '2026-09-30', endOn: '2026-10-12' });
  });

  it('starts on the next working day when posted on a Saturday', () => {
    expect(calendar.publicityWindow('2026-03-07')).toEqual({ startOn: '2026-03-09', endOn: '2026-03-13' });
  });

  it('starts after the holiday when posted on a holiday, counting the make-up Saturday', () => {
    expect(calendar.publicityWindow('2026-10-03')).toEqual({ startOn: '2026-10-08', endOn: '2026-10-13' });
  });

  it('counts a make-up Sunday as day 1 and stops before Mid-autumn', () => {
    expect(calendar.publicityWindow('2026-09-20')).toEqual({ startOn: '2026-09-20', endOn: '2026-09-24' });
  });

  it('spans the Spring Festival', () => {
    expect(calendar.publicityWindow('2026-02-12')).toEqual({ startOn: '2026-02-12', endOn: '2026-02-25' });
    expect(calendar.publicityWindow('2026-02-14')).toEqual({ startOn: '2026-02-14', endOn: '2026-02-27' });
  });

  it('refuses a window that runs into an uncovered year, and works once the year is added', () => {
    expect(() => calendar.publicityWindow('2026-12-28')).toThrow(CalendarNotCoveredError);
    expect(calendar.publicityWindow('2026-12-24')).toEqual({ startOn: '2026-12-24', endOn: '2026-12-30' });
    expect(with2027.publicityWindow('2026-12-28')).toEqual({ startOn: '2026-12-28', endOn: '2027-01-04' });
  });

  it('property: endOn is a working day after exactly 5 working days, none skipped before startOn', () => {
    fc.assert(
      fc.property(coveredPosting, (postedOn) => {
        const { startOn, endOn } = calendar.publicityWindow(postedOn);
        expect(startOn >= postedOn).toBe(true);
        expect(startOn <= endOn).toBe(true);
        expect(calendar.isWorkingDay(startOn)).toBe(true);
        expect(calendar.isWorkingDay(endOn)).toBe(true);
        expect(calendar.countWorkingDays(startOn, endOn)).toBe(latestRules().publicity.workingDays);
        expect(calendar.countWorkingDays(postedOn, addDays(startOn, -1))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('publicityEndsAt', () => {
  it('is 24:00 Asia/Shanghai of endOn', () => {
    expect(publicityEndsAt('2026-10-12').toISOString()).toBe('2026-10-12T16:00:00.000Z');
  });
});

describe('parseCalendarOverrides', () => {
  it('parses a well-formed year, defaulting a missing list to empty', () => {
    expect(parseCalendarOverrides('{"2027": {"holidays": ["2027-01-01"]}}')).toEqual({
      '2027': { holidays: ['2027-01-01'], workdays: [] },
    });
  });

  it('rejects invalid JSON', () => {
    expect(() => parseCalendarOverrides('{2027:')).toThrow(/not valid JSON/);
    try {
      parseCalendarOverrides('{2027:');
      expect.unreachable();
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([
        { path: '', message: expect.stringMatching(/^calendar overrides are not valid JSON: /) },
      ]);
    }
  });

  it('lists every problem, with its path, in the message an operator reads', () => {
    expect(() => parseCalendarOverrides('[]')).toThrow(/^invalid calendar overrides: \(root\): /);
    expect(() =>
      parseCalendarOverrides(
        '{"2027": {"holidays": ["2027-01-01", "2028-01-01"], "workdays": ["2027-01-01"]}}',
      ),
    ).toThrow(
      'invalid calendar overrides: 2027.holidays.1: 2028-01-01 is not in 2027; 2027.workdays.0: 2027-01-01 is listed both as a holiday and as a working day',
    );
    expect(() => parseCalendarOverrides('{"2027": {"holidays": ["2027-02-30"]}}')).toThrow(
      'invalid calendar overrides: 2027.holidays.0: expected a date YYYY-MM-DD',
    );
  });

  it.each([
    ['a bad year key', '{"27": {"holidays": []}}', '27'],
    ['an impossible date', '{"2027": {"holidays": ["2027-02-30"]}}', '2027.holidays.0'],
    ['a misspelt list', '{"2027": {"holiday": ["2027-01-01"]}}', '2027'],
    ['a date outside its year', '{"2027": {"workdays": ["2028-01-02"]}}', '2027.workdays.0'],
    [
      'a date in both lists',
      '{"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}}',
      '2027.workdays.0',
    ],
    ['an array', '[]', ''],
  ])('rejects %s, naming the path', (_, json, path) => {
    try {
      parseCalendarOverrides(json);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors.map((e) => e.path)).toContain(path);
    }
  });
});

describe('calendarFrom', () => {
  it('is the official files alone without overrides, and with them covers the year they add', () => {
    expect(calendarFrom({}).isCovered(2027)).toBe(false);
    const json = '{"2027": {"holidays": ["2027-01-01"], "workdays": []}}';
    expect(calendarFrom({ CALENDAR_OVERRIDES: json }).isCovered(2027)).toBe(true);
  });

  it('treats an empty or whitespace-only CALENDAR_OVERRIDES as none, and refuses a malformed one', () => {
    for (const blank of ['', '  \n\t ']) {
      const calendar = calendarFrom({ CALENDAR_OVERRIDES: blank });
      expect(calendar.isCovered(2027)).toBe(false);
      expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
    }
    expect(() => calendarFrom({ CALENDAR_OVERRIDES: '{"27": {}}' })).toThrow(ValidationError);
  });
});

describe('a run of days off longer than a year', () => {
  const everyDay = (year: number) => {
    const days: string[] = [];
    for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) days.push(d);
    return days;
  };
  /** 2027 all holidays, then 2028-01-01 off: 366 days off in a row, 2028-01-02 (a Sunday) made a working day. */
  const longest = new WorkingDayCalendar({
    '2027': { holidays: everyDay(2027), workdays: [] },
    '2028': { holidays: ['2028-01-01'], workdays: ['2028-01-02'] },
  });
  const endless = new WorkingDayCalendar({
    '2027': { holidays: everyDay(2027), workdays: [] },
    '2028': { holidays: everyDay(2028), workdays: [] },
  });

  it('still finds the working day after 366 days off', () => {
    expect(longest.nextWorkingDayOnOrAfter('2027-01-01')).toBe('2028-01-02');
    expect(longest.addWorkingDays('2026-12-31', 1)).toBe('2028-01-02');
    expect(longest.addWorkingDays('2028-01-02', -1)).toBe('2026-12-31');
  });

  it('gives up with a RangeError rather than loop on, naming the date', () => {
    expect(() => endless.nextWorkingDayOnOrAfter('2027-01-01')).toThrow(
      new RangeError('no working day within 366 days of 2027-01-01'),
    );
    expect(() => endless.addWorkingDays('2026-12-31', 1)).toThrow(
      new RangeError('no working day within 366 days of 2026-12-31'),
    );
  });
});

describe('what the calendar refuses, in words', () => {
  it('a date that is not a YYYY-MM-DD string, even one that prints as a date', () => {
    expect(() => calendar.isWorkingDay(['2026-10-01'] as never)).toThrow(ValidationError);
    expect(() => calendar.isWorkingDay(['2026-10-01'] as never)).toThrow('not a calendar date: 2026-10-01');
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow('not a calendar date: 2026-02-30');
  });

  it('a fractional number of working days', () => {
    expect(() => calendar.addWorkingDays('2026-10-09', 1.5)).toThrow(
      new RangeError('working days must be a whole number, got 1.5'),
    );
  });

  it('a malformed override, as a whole and field by field', () => {
    try {
      new WorkingDayCalendar({ '2027': { holidays: [['2027-01-01'] as never], workdays: [] } });
      expect.unreachable();
    } catch (err) {
      expect((err as ValidationError).message).toBe('invalid calendar overrides');
      expect((err as ValidationError).errors).toEqual([
        { path: '2027.holidays.0', message: 'expected a date YYYY-MM-DD, got 2027-01-01' },
      ]);
    }
  });

  it('several malformed fields in one operator message, the root named as such', () => {
    expect(() => parseCalendarOverrides('{"27": {}, "2027": {"holidays": ["soon"]}}')).toThrow(
      'invalid calendar overrides: 27: year keys must be four digits; 2027.holidays.0: expected a date YYYY-MM-DD',
    );
    expect(() => parseCalendarOverrides('"2027"')).toThrow(/^invalid calendar overrides: \(root\): \S/);
  });
});

describe('CalendarNotCoveredError', () => {
  it('tells the operator where to add the missing year', () => {
    expect(() => calendar.isWorkingDay('2031-01-02')).toThrow(
      'the working-day calendar has no data for 2031; add the official holiday schedule to the calendar overrides (CALENDAR_OVERRIDES)',
    );
  });
});
