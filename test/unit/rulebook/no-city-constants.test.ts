import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every city-specific rule lives in rulebooks/: shared code names no district and no city. */
const SHIPPED = ['rulebooks/hangzhou.json', 'rulebooks/ningbo.json'].map(
  (f) =>
    JSON.parse(readFileSync(f, 'utf8')) as {
      city: { name: string; shortName: string };
      districts: { name: string }[];
    },
);
const FORBIDDEN = SHIPPED.flatMap((b) => [b.city.shortName, ...b.districts.map((d) => d.name)]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

describe('shared code', () => {
  it('holds no city constant: no district name, no 杭州 or 宁波', () => {
    const found: string[] = [];
    for (const file of sourceFiles('shared')) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const word of FORBIDDEN) if (line.includes(word)) found.push(`${file}:${i + 1}: ${word}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('finds a planted constant (the search itself works)', () => {
    expect(FORBIDDEN).toContain('西湖区');
    expect(FORBIDDEN).toContain('杭州');
    expect(FORBIDDEN).toContain('宁海县');
    expect(sourceFiles('shared').length).toBeGreaterThan(50);
  });
});
