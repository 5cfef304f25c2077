import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('the rules of a revision', () => {
  it('lists the grades A to D in order', () => {
    const raw = hangzhou();
    raw.revisions[0].grades[1].grade = 'C';
    raw.revisions[0].grades[2].grade = 'B';
    expect(problemsOf(raw)).toEqual([
      'revisions[0].grades[1].grade: expected B',
      'revisions[0].grades[2].grade: expected C',
    ]);
  });

  it('names the allowed grade letters and needs exactly four grades', () => {
    const raw = hangzhou();
    raw.revisions[0].grades[3].grade = 'E';
    expect(problemsOf(raw)).toEqual(['revisions[0].grades[3].grade: expected one of "A", "B", "C", "D"']);
    raw.revisions[0].grades.pop();
    expect(problemsOf(raw)).toEqual([
      'revisions[0].grades: Too small: expected array to have exactly 4 items',
      'revisions[0].grades[2].min: expected 0',
    ]);
  });

  it('takes floors with at most one decimal', () => {
    const raw = hangzhou();
    raw.revisions[0].grades[1].min = 84.5;
    expect(problemsOf(raw)).toEqual([]);
    raw.revisions[0].grades[1].min = 84.55;
    expect(problemsOf(raw)).toEqual(['revisions[0].grades[1].min: expected at most one decimal']);
  });

  it('needs floors that fall strictly, equal floors included', () => {
    const raw = hangzhou();
    raw.revisions[0].grades[2].min = 85;
    expect(problemsOf(raw)).toEqual(["revisions[0].grades[2].min: expected less than B's floor 85"]);
  });

  it("needs D's floor to be 0", () => {
    const raw = hangzhou();
    raw.revisions[0].grades[3].min = 10;
    expect(problemsOf(raw)).toEqual(['revisions[0].grades[3].min: expected 0']);
  });

  it('needs each reminder fewer days before the due date than the one before it', () => {
    const raw = hangzhou();
    raw.revisions[0].reminderDaysBefore = [90, 90, 7];
    expect(problemsOf(raw)).toEqual([
      'revisions[0].reminderDaysBefore[1]: expected fewer days than the reminder before it (90)',
    ]);
    raw.revisions[0].reminderDaysBefore = [90, 30, 31];
    expect(problemsOf(raw)).toEqual([
      'revisions[0].reminderDaysBefore[2]: expected fewer days than the reminder before it (30)',
    ]);
    raw.revisions[0].reminderDaysBefore = [60, 14, 1];
    expect(problemsOf(raw)).toEqual([]);
  });

  it('refuses a convenience code given twice', () => {
    const raw = hangzhou();
    raw.revisions[0].conveniences[2].code = raw.revisions[0].conveniences[0].code;
    expect(problemsOf(raw)).toEqual(['revisions[0].conveniences[2].code: duplicate code']);
  });

  it('bounds each grade’s inspection rate by exactly one of min or max, with the default inside it', () => {
    const raw = hangzhou();
    raw.revisions[0].inspection.A = { min: 0.1, max: 0.15, default: 0.15 };
    raw.revisions[0].inspection.B = { default: 0.25 };
    expect(problemsOf(raw)).toEqual([
      'revisions[0].inspection.A: expected exactly one of min or max',
      'revisions[0].inspection.B: expected exactly one of min or max',
    ]);
    const within = hangzhou();
    within.revisions[0].inspection.A.default = 0.16;
    within.revisions[0].inspection.D.default = 0.49;
    expect(problemsOf(within)).toEqual([
      'revisions[0].inspection.A.default: expected a rate within the bound',
      'revisions[0].inspection.D.default: expected a rate within the bound',
    ]);
    const atBounds = hangzhou();
    atBounds.revisions[0].inspection.A.default = 0;
    atBounds.revisions[0].inspection.D.default = 1;
    expect(problemsOf(atBounds)).toEqual([]);
  });
});

describe('later revisions', () => {
  const later = (fields: Record<string, unknown>) => ({
    id: '2027-1',
    effectiveFrom: '2027-01-01',
    ...fields,
  });

  it('replace a section whole and keep the others', () => {
    const raw = hangzhou();
    raw.revisions.push(later({ reminderDaysBefore: [60, 20, 5] }));
    const book = parseRulebook(raw);
    expect(book.revisions.map((r) => r.id)).toEqual(['2025-1', '2027-1']);
    expect(book.revisions[1]?.reminderDaysBefore).toEqual([60, 20, 5]);
    expect(book.revisions[0]?.reminderDaysBefore).toEqual([90, 30, 7]);
    expect(book.revisions[1]?.inspection).toEqual(book.revisions[0]?.inspection);
  });

  it('are refused on the same date as the revision before, or with its id', () => {
    const raw = hangzhou();
    raw.revisions.push(later({ effectiveFrom: '2025-01-01' }));
    expect(problemsOf(raw)).toEqual(['revisions[1].effectiveFrom: expected a date after 2025-01-01']);
    const twice = hangzhou();
    twice.revisions.push(later({ id: '2025-1' }));
    expect(problemsOf(twice)).toEqual(['revisions[1].id: duplicate revision id 2025-1']);
  });

  it('name their problems under their own index, a patch and its merged whole alike', () => {
    const raw = hangzhou();
    raw.revisions.push(later({ publicityDays: 5 }));
    expect(problemsOf(raw)).toEqual(['revisions[1]: unknown field publicityDays']);
    const merged = hangzhou();
    merged.revisions.push(later({ grades: merged.revisions[0].grades.slice().reverse() }));
    expect(problemsOf(merged)).toContain('revisions[1].grades[0].grade: expected A');
    const third = hangzhou();
    third.revisions.push(later({}), {
      id: '2028-1',
      effectiveFrom: '2028-01-01',
      publicity: { workingDays: 0 },
    });
    expect(problemsOf(third)).toEqual([
      'revisions[2].publicity.workingDays: Too small: expected number to be >=1',
    ]);
  });

  it('are not merged over a first revision that is itself invalid', () => {
    const raw = hangzhou();
    raw.revisions[0].publicity.workingDays = 'five';
    raw.revisions.push(later({}));
    expect(problemsOf(raw)).toEqual(['revisions[0].publicity.workingDays: expected number']);
  });
});

describe('the rulebook around its revisions', () => {
  it('needs at least one revision, in a list', () => {
    const none = hangzhou();
    none.revisions = [];
    expect(problemsOf(none)).toEqual(['revisions: expected at least one revision']);
    const notAList = hangzhou();
    notAList.revisions = { '0': notAList.revisions[0] };
    expect(problemsOf(notAList)).toEqual(['revisions: expected array']);
  });

  it('refuses a district code given twice and a rulebook with no kind in scope', () => {
    const raw = hangzhou();
    raw.districts[3].code = raw.districts[1].code;
    expect(problemsOf(raw)).toEqual([`districts[3].code: duplicate code ${raw.districts[1].code}`]);
    const noKinds = hangzhou();
    noKinds.kinds = {};
    expect(problemsOf(noKinds)).toEqual(['kinds: expected at least one kind in scope']);
  });

  it('names several unknown fields on one line, and the root when the whole is wrong', () => {
    const raw = hangzhou();
    raw.colour = 'red';
    raw.size = 1;
    expect(problemsOf(raw)).toEqual(['(root): unknown fields colour, size']);
    expect(problemsOf('rules')).toEqual(['(root): expected object']);
    expect(problemsOf(null)).toEqual(['(root): expected object']);
  });

  it('says which rulebook is invalid, with one line per problem', () => {
    const raw = hangzhou();
    raw.city.name = 7;
    raw.districts[0].code = '1';
    const err = (() => {
      try {
        parseRulebook(raw, 'rulebooks/x.json');
      } catch (e) {
        return e as RulebookError;
      }
    })();
    expect(err).toBeInstanceOf(RulebookError);
    expect(err?.name).toBe('RulebookError');
    expect(err?.message).toBe(
      'invalid rulebook rulebooks/x.json:\ncity.name: expected string\ndistricts[0].code: expected a 6-digit administrative code',
    );
  });
});

describe('loadRulebookFile', () => {
  it('names the file that cannot be read or is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulebook-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"id": ');
    expect(() => loadRulebookFile(path)).toThrow(`invalid rulebook ${path}:\n(file): not JSON: `);
    const missing = join(dir, 'missing.json');
    expect(() => loadRulebookFile(missing)).toThrow(`invalid rulebook ${missing}:\n(file): cannot read: `);
    writeFileSync(path, JSON.stringify({ ...hangzhou(), id: 'X' }));
    expect(() => loadRulebookFile(path)).toThrow(`invalid rulebook ${path}:\nid: expected a lower-case slug`);
  });
});

describe('parseRulebook without a source', () => {
  it('calls it the rulebook', () => {
    expect(() => parseRulebook({})).toThrow(/^invalid rulebook rulebook:\n/);
  });
});
