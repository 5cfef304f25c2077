import type { Clock } from '../../clock.ts';
import { shanghaiIso } from '../../domain/dates.ts';
import { DISTRICTS, type District, type Grade } from '../../domain/types.ts';
import type { Stats, StatsEntry } from '../../schemas/search.ts';

/** DOMAIN.md "Targets": every institution in scope graded by the end of 2026. */
export const COVERAGE_TARGET = { year: 2026, coverage: 1 } as const;

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
 * Grade counts per district and in total, from the register rows held in memory (kept current by the
 * register version, so a warm request reads one small item; docs/search.md "Statistics").
 */
export function statsOf(
  rows: Iterable<{ district: District; grade: Grade | null; closed: boolean }>,
  clock: Clock,
): Stats {
  const total = empty();
  const byDistrict = new Map<District, Counts>(DISTRICTS.map((d) => [d, empty()]));
  for (const row of rows) {
    add(total, row);
    const d = byDistrict.get(row.district);
    if (d) add(d, row);
  }
  return {
    asOf: shanghaiIso(clock.now()),
    target: { ...COVERAGE_TARGET },
    total: withCoverage(total),
    districts: DISTRICTS.map((district) => ({
      district,
      ...withCoverage(byDistrict.get(district) ?? empty()),
    })),
  };
}
