import type { Clock } from '../../clock.ts';
import { shanghaiIso, yearOf } from '../../domain/dates.ts';
import { districtNames, rulebook } from '../../domain/rules.ts';
import { type District, type Grade, KINDS } from '../../domain/types.ts';
import type { Stats, StatsEntry } from '../../schemas/search.ts';
import type { InstitutionReader } from '../../store/institution-reader.ts';

/** DOMAIN.md "Targets": the rulebook's coverage target (Hangzhou: every institution graded by the end of 2026). */
export function coverageTarget(): { year: number; coverage: number } {
  const { coverage } = rulebook();
  return { year: yearOf(coverage.by), coverage: coverage.target };
}

type Counts = Omit<StatsEntry, 'district' | 'coverage'>;

const empty = (): Counts => ({ institutions: 0, A: 0, B: 0, C: 0, D: 0, ungraded: 0, closed: 0 });

function add(c: Counts, row: { grade: Grade | null; closed: boolean }) {
  if (row.closed) {
    c.closed++;
    return;
  }
  c.institutions++;
  if (row.grade) c[row.grade]++;
  else c.ungraded++;
}

const withCoverage = (c: Counts): Omit<StatsEntry, 'district'> => ({
  ...c,
  coverage:
    c.institutions === 0 ? 0 : Math.round(((c.institutions - c.ungraded) / c.institutions) * 10000) / 10000,
});

/**
 * Grade counts per district and in total, without Scan: one paged Query per kind over the
 * whole-register index, projected to three attributes. It reads every profile once (see docs/api-and-events.md for
 * the cost), so callers cache it.
 */
export async function computeStats(reader: InstitutionReader, clock: Clock): Promise<Stats> {
  const total = empty();
  const districts = districtNames();
  const byDistrict = new Map<District, Counts>(districts.map((d) => [d, empty()]));
  for (const kind of KINDS) {
    let startKey: Record<string, unknown> | null = null;
    do {
      const page = await reader.gradeRows({ kind, startKey });
      for (const row of page.items) {
        add(total, row);
        const d = byDistrict.get(row.district);
        if (d) add(d, row);
      }
      startKey = page.lastKey;
    } while (startKey);
  }
  return {
    asOf: shanghaiIso(clock.now()),
    target: coverageTarget(),
    total: withCoverage(total),
    districts: districts.map((district) => ({
      district,
      ...withCoverage(byDistrict.get(district) ?? empty()),
    })),
  };
}

/** Keeps the figures for `ttlMs` of real time, so a warm instance reads the register at most that often. */
export function memoStats(compute: () => Promise<Stats>, ttlMs = 300_000): () => Promise<Stats> {
  let cached: { at: number; value: Promise<Stats> } | null = null;
  return () => {
    const now = performance.now();
    if (!cached || now - cached.at > ttlMs) {
      const value = compute();
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  };
}
