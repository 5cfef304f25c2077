import type { Clock } from '../../clock.ts';
import { shanghaiIso, yearOf } from '../../domain/dates.ts';
import { districtNames, rulebook } from '../../domain/rules.ts';
import { countsInScope } from '../../domain/scope.ts';
import type { District, Grade } from '../../domain/types.ts';
import type { Stats, StatsEntry } from '../../schemas/search.ts';

/** DOMAIN.md "Targets": the rulebook's coverage target (Hangzhou: every institution graded by the end of 2026). */
export function coverageTarget(): { year: number; coverage: number } {
  const { coverage } = rulebook();
  return { year: yearOf(coverage.by), coverage: coverage.target };
}

type Counts = Omit<StatsEntry, 'district' | 'coverage'>;

const empty = (): Counts => ({ institutions: 0, A: 0, B: 0, C: 0, D: 0, ungraded: 0, closed: 0 });

function add(c: Counts, row: { grade: Grade | null; closed: boolean }) {
  if (!countsInScope(row)) {
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
 * Grade counts per district and in total, from the register rows held in memory (kept current by the
 * register version, so a warm request reads one small item; docs/search.md "Statistics").
 */
export function statsOf(
  rows: Iterable<{ district: District; grade: Grade | null; closed: boolean }>,
  clock: Clock,
): Stats {
  const total = empty();
  const byDistrict = new Map<District, Counts>(districtNames().map((d) => [d, empty()]));
  for (const row of rows) {
    add(total, row);
    const d = byDistrict.get(row.district);
    if (d) add(d, row);
  }
  return {
    asOf: shanghaiIso(clock.now()),
    target: coverageTarget(),
    total: withCoverage(total),
    districts: districtNames().map((district) => ({
      district,
      ...withCoverage(byDistrict.get(district) ?? empty()),
    })),
  };
}
