import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRulebookFile, parseRulebook, RulebookError } from '#shared/rulebook/load.ts';

const hangzhou = () => JSON.parse(readFileSync('rulebooks/hangzhou.json', 'utf8'));

function problemsOf(raw: unknown): string[] {
  try {
    parseRulebook(raw, 'test');
  } catch (err) {
    if (err instanceof RulebookError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseRulebook', () => {
  it('accepts both shipped rulebooks', () => {
    expect(loadRulebookFile('rulebooks/hangzhou.json').districts).toHaveLength(13);
    expect(loadRulebookFile('rulebooks/ningbo.json').districts).toHaveLength(10);
  });

  it('names the field path of a wrong type, one line per problem', () => {
    const raw = hangzhou();
    raw.revisions[0].grades[1].min = '85';
    raw.city.name = 7;
    expect(problemsOf(raw)).toEqual([
      'city.name: expected string',
      'revisions[0].grades[1].min: expected number',
    ]);
  });

  it('refuses floors out of order, a missing interval and an unknown field', () => {
    const raw = hangzhou();
    raw.revisions[0].grades[2].min = 90;
    delete raw.revisions[0].reviewIntervalYears.C;
    raw.revisions[0].publicityDays = 5;
    const problems = problemsOf(raw);
    expect(problems).toContain('revisions[0].reviewIntervalYears.C: expected number');
    expect(problems).toContain('revisions[0]: unknown field publicityDays');
    expect(problems).toHaveLength(2);
    delete raw.revisions[0].publicityDays;
    raw.revisions[0].reviewIntervalYears.C = 2;
    expect(problemsOf(raw)).toEqual(["revisions[0].grades[2].min: expected less than B's floor 85"]);
  });

  it('merges a later revision over the one before it and refuses one dated before it', () => {
    const raw = hangzhou();
    raw.revisions.push({ id: 'later', effectiveFrom: '2027-01-01', publicity: { workingDays: 7 } });
    const book = parseRulebook(raw);
    expect(book.revisions[1]?.publicity.workingDays).toBe(7);
    expect(book.revisions[1]?.grades).toEqual(book.revisions[0]?.grades);
    raw.revisions[1].effectiveFrom = '2024-01-01';
    expect(problemsOf(raw)).toEqual(['revisions[1].effectiveFrom: expected a date after 2025-01-01']);
  });

  it('refuses duplicate districts and bad administrative codes', () => {
    const raw = hangzhou();
    raw.districts[1].name = raw.districts[0].name;
    raw.districts[2].code = '3301';
    expect(problemsOf(raw)).toEqual(['districts[2].code: expected a 6-digit administrative code']);
    raw.districts[2].code = '330199';
    expect(problemsOf(raw)).toEqual([`districts[1].name: duplicate district ${raw.districts[0].name}`]);
  });

  it('reports a file that is not JSON', () => {
    expect(() => loadRulebookFile('package-lock.json.missing')).toThrow(/cannot read/);
  });
});
