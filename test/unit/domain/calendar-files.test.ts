import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type OfficialYear, readOfficialYears } from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import { OFFICIAL_CALENDAR_FILES } from '#shared/domain/official-calendar.ts';

const folder = new URL('../../../data/calendar/', import.meta.url);
const onDisk = readdirSync(folder).sort();

const year2027: OfficialYear = {
  year: 2027,
  notice: '国务院办公厅关于2027年部分节假日安排的通知',
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-01-02', name: '元旦' },
  ],
  workdays: [{ date: '2027-01-09', name: '元旦' }],
};

function problemsOf(files: unknown[]): { path: string; message: string }[] {
  try {
    readOfficialYears(files);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).errors;
  }
  throw new Error('expected the files to be refused');
}

describe('the official calendar files', () => {
  it('are one file per year, named for the year they hold, each listed for the service to read', () => {
    expect(onDisk.length).toBeGreaterThan(0);
    for (const name of onDisk) expect(name).toMatch(/^\d{4}\.json$/);
    const years = onDisk.map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')).year);
    expect(years).toEqual(onDisk.map((name) => Number(name.slice(0, 4))));
    expect(OFFICIAL_CALENDAR_FILES.map((file) => (file as OfficialYear).year)).toEqual(years);
  });

  it('all pass the validation the service applies on first use', () => {
    const schedule = readOfficialYears(OFFICIAL_CALENDAR_FILES);
    expect([...schedule.keys()]).toEqual(onDisk.map((name) => Number(name.slice(0, 4))));
    // The 2026 Spring Festival and its two make-up Saturdays, as the State Council announced them.
    expect(schedule.get(2026)?.holidays.has('2026-02-17')).toBe(true);
    expect([...(schedule.get(2026)?.workdays ?? [])]).toContain('2026-02-28');
  });

  it('accepts a well-formed new year, which then counts as covered', () => {
    expect([...readOfficialYears([year2027]).keys()]).toEqual([2027]);
  });

  it('refuses a year given twice, a date outside its year, a weekday make-up day and a day in both lists', () => {
    expect(problemsOf([year2027, year2027])).toEqual([{ path: '2027', message: '2027 is given twice' }]);
    const outside = { ...year2027, holidays: [...year2027.holidays, { date: '2028-01-01', name: '元旦' }] };
    expect(problemsOf([outside])).toEqual([
      { path: '2027.holidays.2', message: '2028-01-01 is not in 2027' },
    ]);
    const weekday = { ...year2027, workdays: [{ date: '2027-01-08', name: '元旦' }] };
    expect(problemsOf([weekday])).toEqual([
      {
        path: '2027.workdays.0',
        message: '2027-01-08 is a weekday: a make-up working day falls on a weekend',
      },
    ]);
    const both = { ...year2027, workdays: [{ date: '2027-01-02', name: '元旦' }] };
    expect(problemsOf([both])).toEqual([
      { path: '2027.workdays.0', message: '2027-01-02 is listed both as a holiday and as a working day' },
    ]);
  });

  it('refuses dates out of order or repeated, an unknown field, a missing notice and a year with no holiday', () => {
    const repeated = { ...year2027, holidays: [year2027.holidays[1], year2027.holidays[0]] };
    expect(problemsOf([repeated]).map((p) => p.path)).toEqual(['2027.holidays.1']);
    expect(problemsOf([{ ...year2027, source: 'x' }]).map((p) => p.path)).toEqual(['file 0']);
    const { notice: _, ...noNotice } = year2027;
    expect(problemsOf([noNotice]).map((p) => p.path)).toEqual(['file 0.notice']);
    expect(problemsOf([{ ...year2027, holidays: [] }]).map((p) => p.path)).toEqual(['file 0.holidays']);
    expect(problemsOf([{ ...year2027, holidays: [{ date: '2027-02-30', name: '春节' }] }])).toEqual([
      { path: 'file 0.holidays.0.date', message: 'expected a date YYYY-MM-DD' },
    ]);
  });
});

describe('what a refused calendar file is told', () => {
  it('names a date repeated or out of order with the date before it', () => {
    const twice = {
      ...year2027,
      holidays: [year2027.holidays[0], year2027.holidays[0], year2027.holidays[1]],
    };
    expect(problemsOf([twice])).toEqual([
      {
        path: '2027.holidays.1',
        message: '2027-01-01 is not after 2027-01-01: list each date once, in order',
      },
    ]);
    const backwards = {
      ...year2027,
      workdays: [
        { date: '2027-01-16', name: '元旦' },
        { date: '2027-01-09', name: '元旦' },
      ],
    };
    expect(problemsOf([backwards])).toEqual([
      {
        path: '2027.workdays.1',
        message: '2027-01-09 is not after 2027-01-16: list each date once, in order',
      },
    ]);
  });

  it('lists every problem, path first, in the error’s message', () => {
    const weekday = { ...year2027, workdays: [{ date: '2027-01-08', name: '元旦' }] };
    expect(() => readOfficialYears([weekday, weekday])).toThrow(
      'invalid calendar data: 2027.workdays.0: 2027-01-08 is a weekday: a make-up working day falls on a weekend; 2027: 2027 is given twice; 2027.workdays.0: 2027-01-08 is a weekday: a make-up working day falls on a weekend',
    );
  });
});
