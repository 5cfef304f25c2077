import type { Clock } from '../../clock.ts';
import { shanghaiIso, yearOf } from '../../domain/dates.ts';
import {
  parseTallyKey,
  type Tally,
  type TallyBucket,
  type TallyInput,
  tallyOf,
} from '../../domain/register-tally.ts';
import { districtNames, rulebook } from '../../domain/rules.ts';
import type { District } from '../../domain/types.ts';
import type { Stats, StatsEntry } from '../../schemas/search.ts';

/** DOMAIN.md "Targets": the rulebook's coverage target (Hangzhou: every institution graded by the end of 2026). */
export function coverageTarget(): { year: number; coverage: number } {
  const { coverage } = rulebook();
  return { year: yearOf(coverage.by), coverage: coverage.target };
}

type Counts = Omit<StatsEntry, 'district' | 'coverage'>;

const empty = (): Counts => ({ institutions: 0, A: 0, B: 0, C: 0, D: 0, ungraded: 0, closed: 0 });

function add(c: Counts, bucket: TallyBucket, n: number) {
  c[bucket] += n;
  if (bucket !== 'closed') c.institutions += n;
}

const withCoverage = (c: Counts): Omit<StatsEntry, 'district'> => ({
  ...c,
  coverage:
    c.institutions === 0 ? 0 : Math.round(((c.institutions - c.ungraded) / c.institutions) * 10000) / 10000,
});

/**
 * Grade counts per district and in total, from the tally the register keeps with every change
 * (`RegisterTallyStore`, one item), so a request never reads the register (docs/search.md "Statistics").
 */
export function statsFromTally(tally: Tally, clock: Clock): Stats {
  const total = empty();
  const byDistrict = new Map<District, Counts>(districtNames().map((d) => [d, empty()]));
  for (const [key, n] of Object.entries(tally)) {
    const { district, bucket } = parseTallyKey(key);
    add(total, bucket, n);
    const d = byDistrict.get(district);
    if (d) add(d, bucket, n);
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

/** The same figures counted from every row: the recount the kept tally is checked against. */
export function statsOf(rows: Iterable<TallyInput>, clock: Clock): Stats {
  return statsFromTally(tallyOf(rows), clock);
}
