import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  folderScores,
  type MutationReport,
  mergedReport,
  PASSES,
  passMutate,
  passMutates,
  scoreLines,
  scoreOf,
} from '../../../scripts/mutation.ts';

const mutants = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })));

function report(files: Record<string, Record<string, number>>): MutationReport {
  return {
    files: Object.fromEntries(Object.entries(files).map(([f, c]) => [f, { mutants: mutants(c) }])),
  };
}

describe('the mutation score per folder', () => {
  it('counts killed and timed-out mutants against every valid one, leaving out marked and invalid mutants', () => {
    expect(
      scoreOf(
        'f',
        mutants({ Killed: 6, Timeout: 2, Survived: 1, NoCoverage: 1, Ignored: 5, CompileError: 3 }),
      ),
    ).toEqual({ name: 'f', detected: 8, valid: 10, score: 80 });
    expect(scoreOf('f', mutants({ Ignored: 2 })).score).toBeNull();
  });

  it('judges each folder against its own floor, over all its files', () => {
    const { folders, unlisted } = folderScores(
      report({
        'shared/http/admin/a.ts': { Killed: 7, Survived: 1 },
        'shared/http/b.ts': { Killed: 1, NoCoverage: 1 },
        'shared/services/c.ts': { Killed: 85, Survived: 15 },
        'shared/domain/d.ts': { Killed: 93, Survived: 7 },
      }),
    );
    expect(unlisted).toEqual([]);
    expect(folders.map((f) => [f.name, f.score, f.floor, f.met])).toEqual([
      ['shared/domain/', 93, 94, false],
      ['shared/services/', 85, 85, true],
      ['shared/http/', 80, 80, true],
    ]);
  });

  it('fails the run when one folder is below its floor, or a mutated file lies in no folder with one', () => {
    const below = scoreLines(report({ 'shared/rulebook/r.ts': { Killed: 9, Survived: 1 } }), false);
    expect(below.ok).toBe(false);
    expect(below.lines).toEqual(['shared/rulebook/    90.00 % (9/10)  floor 94 %  BELOW']);
    const stray = scoreLines(report({ 'shared/store/s.ts': { Killed: 1 } }), false);
    expect(stray.ok).toBe(false);
    expect(stray.lines).toEqual(['shared/store/s.ts: mutated, but in no folder with a floor']);
    const fine = scoreLines(report({ 'shared/domain/x.ts': { Killed: 19, Timeout: 1 } }), true);
    expect(fine.ok).toBe(true);
    expect(fine.lines).toEqual([
      'shared/domain/     100.00 % (20/20)  floor 94 %  ok',
      '  shared/domain/x.ts  100.00 % (20/20)',
    ]);
  });
});

describe('the mutation passes', () => {
  const configured = [
    'shared/domain/**/*.ts',
    '!shared/domain/search-index.ts',
    'shared/rulebook/**/*.ts',
    'shared/services/**/*.ts',
    'shared/http/**/*.ts',
    '!shared/http/**/*.d.ts',
    '!shared/http/permissions-doc.ts',
  ];

  it('mutate each configured folder in exactly one pass, keeping what the configuration leaves out', () => {
    expect(passMutate('domain', configured)).toEqual([
      'shared/domain/**/*.ts',
      '!shared/domain/search-index.ts',
      'shared/rulebook/**/*.ts',
      '!shared/http/**/*.d.ts',
      '!shared/http/permissions-doc.ts',
    ]);
    expect(passMutate('http-core', configured)).toEqual([
      'shared/http/*.ts',
      '!shared/domain/search-index.ts',
      '!shared/http/**/*.d.ts',
      '!shared/http/permissions-doc.ts',
    ]);
    // Every source file of a configured folder is mutated by exactly one pass.
    const roots = configured.filter((g) => !g.startsWith('!')).map((g) => g.replace('**/*.ts', ''));
    const sources = roots.flatMap((root) =>
      readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => `${root}${f.split('\\').join('/')}`),
    );
    expect(sources.length).toBeGreaterThan(100);
    for (const file of sources) {
      expect(
        PASSES.filter((p) => passMutates(p.name, file)).map((p) => p.name),
        file,
      ).toHaveLength(1);
    }
    expect(PASSES.filter((p) => passMutates(p.name, 'shared/http/problem.ts')).map((p) => p.name)).toEqual([
      'http-core',
    ]);
    expect(
      PASSES.filter((p) => passMutates(p.name, 'shared/http/admin/routes.ts')).map((p) => p.name),
    ).toEqual(['http-routes']);
  });

  it('score the folders of every pass together, each file from the pass that mutates it', () => {
    const merged = mergedReport([
      {
        pass: 'services',
        // An incremental run keeps old results of files outside its folders: they do not count.
        report: report({
          'shared/services/c.ts': { Killed: 9, Survived: 1 },
          'shared/http/a.ts': { Survived: 4 },
        }),
      },
      {
        pass: 'http-core',
        report: report({
          'shared/http/a.ts': { Killed: 3, Survived: 1 },
          'shared/http/admin/b.ts': { Survived: 5 },
        }),
      },
      { pass: 'http-routes', report: report({ 'shared/http/admin/b.ts': { Killed: 5, Survived: 1 } }) },
    ]);
    expect(folderScores(merged).folders.map((f) => [f.name, f.score])).toEqual([
      ['shared/services/', 90],
      ['shared/http/', 80],
    ]);
  });
});
