import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessPatterns, GSI_NAMES, INDEX, partitionQuery } from '#shared/store/keys.ts';

const KEYS_MODULE = 'shared/store/keys.ts';

/** The source files of the service: everything that runs, outside the tests and the benches. */
const sources = ['shared', 'functions', 'scripts'].flatMap((dir) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`),
);

/**
 * A string that starts a table key: an upper-case tag before `#` (`I#`, `DIST#`, `OBJTEXT#`…) or one
 * of the fixed partitions; in a comment it is documentation, not a key.
 */
const KEY_STRING = /['"`](~?[A-Z]{1,10}#|(PUBLICITY|FEED|OUTBOX|ROWS)['"`])/;
const code = (line: string) => !/^\s*(\*|\/\/|\/\*)/.test(line);

describe('the table keys', () => {
  it('are built in store/keys.ts and nowhere else', () => {
    expect(sources).toContain(KEYS_MODULE);
    const elsewhere = sources
      .filter((f) => f !== KEYS_MODULE)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${f}:${i + 1}`, line }))
          .filter(({ line }) => code(line) && KEY_STRING.test(line)),
      );
    expect(elsewhere.map(({ at, line }) => `${at}: ${line.trim()}`)).toEqual([]);
  });

  it('are found by the check: a key built by hand is caught', () => {
    expect(KEY_STRING.test("values[':pk'] = `DIST#` + district;")).toBe(true);
    expect(KEY_STRING.test("ExpressionAttributeValues: { ':pk': 'PUBLICITY' }")).toBe(true);
    expect(KEY_STRING.test('const url = `#` + anchor;')).toBe(false);
  });

  it('name each index partition the service queries, on the deployed indexes', () => {
    const patterns = [
      accessPatterns.institutionsByDistrict('西湖区'),
      accessPatterns.resultsOfInstitution('91330106MA2XXXXX0X'),
      accessPatterns.institutionsByGrade('A'),
      accessPatterns.resultsInPublicity(),
      accessPatterns.institutionsOfKind('clinic'),
      accessPatterns.campaignResults(2026),
      accessPatterns.campaignApplications(2026),
      accessPatterns.remindersDue('2026-12-07'),
    ];
    for (const p of patterns) {
      expect(GSI_NAMES).toContain(p.IndexName);
      expect(p.pkName).toBe(`${p.IndexName}pk`);
      expect(partitionQuery(p)).toEqual({
        IndexName: p.IndexName,
        KeyConditionExpression: `${p.IndexName}pk = :pk`,
        ExpressionAttributeValues: { ':pk': p.pk },
      });
    }
    // Partitions that share an index never share a value.
    expect(new Set(patterns.map((p) => `${p.IndexName} ${p.pk}`)).size).toBe(patterns.length);
    expect(Object.values(INDEX).sort()).toEqual([...GSI_NAMES]);
  });
});
