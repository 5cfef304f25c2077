import { createHash } from 'node:crypto';
import { RuleViolationError, ValidationError } from './errors.ts';
import { latestRules, type RuleRevision } from './rules.ts';
import { GRADES, type Grade } from './types.ts';

/**
 * Random inspection (双随机抽查), DOMAIN.md "Credit supervision". Regulators only: random inspections are
 * unannounced, so nothing here may reach a public response or a notice to an institution.
 */

export interface RateBounds {
  min?: number;
  max?: number;
}

/** Yearly inspection rate bounds of a revision (Hangzhou, DOMAIN.md: D ≥ 50%, C ≤ 35%, B ≤ 25%, A ≤ 15%). */
export function inspectionRateBounds(grade: Grade, rules: RuleRevision = latestRules()): RateBounds {
  const { min, max } = rules.inspection[grade];
  return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
}

/**
 * Default rates of a revision (Hangzhou, decided: each grade's bound — as much as the rules allow for
 * A/B/C, the minimum for D).
 */
export function defaultInspectionRates(rules: RuleRevision = latestRules()): Record<Grade, number> {
  return {
    A: rules.inspection.A.default,
    B: rules.inspection.B.default,
    C: rules.inspection.C.default,
    D: rules.inspection.D.default,
  };
}

/** Snaps x to the nearest integer when within floating-point noise: 0.29 * 100 is 28.999999999999996. */
function snap(x: number): number {
  const r = Math.round(x);
  // Stryker disable next-line EqualityOperator: no product of a population and a rate lands exactly 1e-9 from an integer
  return Math.abs(x - r) < 1e-9 ? r : x;
}

/**
 * Throws a RuleViolationError when `rate` is outside the grade's bounds (or outside 0..1); returns it otherwise.
 */
export function checkInspectionRate(grade: Grade, rate: number, rules: RuleRevision = latestRules()): number {
  const { min, max } = inspectionRateBounds(grade, rules);
  const inRange =
    Number.isFinite(rate) &&
    rate >= 0 &&
    rate <= 1 &&
    (min === undefined || rate >= min) &&
    (max === undefined || rate <= max);
  if (!inRange) {
    const bound = min !== undefined ? `at least ${min * 100}%` : `at most ${(max ?? 1) * 100}%`;
    throw new RuleViolationError(
      `the inspection rate for grade ${grade} must be ${bound} and within 0–100%, got ${rate}`,
      'inspection_rate_out_of_bounds',
      { grade, rate, min, max },
    );
  }
  return rate;
}

/**
 * How many of `population` institutions of a grade to inspect at `rate` (default: the revision's default).
 * D rounds up so that at least the minimum share is inspected; A/B/C round down so that at most the
 * maximum share is.
 */
export function sampleSize(
  grade: Grade,
  population: number,
  rate?: number,
  rules: RuleRevision = latestRules(),
): number {
  const at = rate ?? rules.inspection[grade].default;
  if (!Number.isSafeInteger(population) || population < 0) {
    throw new ValidationError(`population must be a whole number ≥ 0, got ${population}`, [
      { path: 'population', message: 'must be a whole number ≥ 0' },
    ]);
  }
  checkInspectionRate(grade, at, rules);
  const exact = snap(population * at);
  const size = rules.inspection[grade].min !== undefined ? Math.ceil(exact) : Math.floor(exact);
  return Math.min(size, population);
}

/**
 * A deterministic stream of 32-bit integers: SHA-256 in counter mode over the seed. Anyone holding the seed
 * and the population can re-run the draw and check it (the point of publishing a seed).
 */
function seededUint32(seed: string): () => number {
  let counter = 0;
  let block: Buffer = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset >= block.length) {
      block = createHash('sha256').update(`${seed}\u0000${counter++}`).digest();
      offset = 0;
    }
    const value = block.readUInt32BE(offset);
    offset += 4;
    return value;
  };
}

/** A uniform integer in [0, n), by rejection so that no value is favoured. */
function uniformBelow(next: () => number, n: number): number {
  // Rejection only happens for a word in the top 2^32 mod n values (below n / 2^32 per pick, under 1e-5 for any
  // real population), so no feasible test can tell these boundaries apart; the reference draw in the tests pins them.
  // Stryker disable next-line ArithmeticOperator: see above
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const x = next();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
    if (x < limit) return x % n;
  }
}

/**
 * Draws `size` items reproducibly: items are sorted by uscc, then shuffled (Fisher–Yates) by a generator
 * seeded from `seed`, and the first `size` are returned in draw order. The same seed and the same set of
 * items give the same sample whatever the input order.
 */
export function drawSample<T extends { uscc: string }>(items: readonly T[], size: number, seed: string): T[] {
  if (!Number.isSafeInteger(size) || size < 0 || size > items.length) {
    throw new ValidationError(`sample size must be a whole number from 0 to ${items.length}, got ${size}`, [
      { path: 'size', message: `must be a whole number from 0 to ${items.length}` },
    ]);
  }
  // Equal usccs are refused just below, so how the comparator orders them cannot change a draw, nor can
  // what it returns for a greater uscc (0 or 1) once a smaller one gives -1: the sort only asks "before?".
  // Stryker disable next-line EqualityOperator,ConditionalExpression: see above
  const pool = [...items].sort((a, b) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
  // Stryker disable next-line EqualityOperator: one step past the end compares undefined with the last uscc, never equal
  for (let i = 1; i < pool.length; i++) {
    // Stryker disable next-line OptionalChaining: both indexes are inside the pool
    if (pool[i]?.uscc === pool[i - 1]?.uscc) {
      // Stryker disable next-line OptionalChaining: i is inside the pool
      throw new ValidationError(`duplicate institution ${pool[i]?.uscc} in the draw`, [
        // Stryker disable next-line OptionalChaining: i is inside the pool
        { path: 'items', message: `duplicate uscc ${pool[i]?.uscc}` },
      ]);
    }
  }
  const next = seededUint32(seed);
  for (let i = 0; i < size; i++) {
    const j = i + uniformBelow(next, pool.length - i);
    const picked = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = picked;
  }
  return pool.slice(0, size);
}

export interface InspectionPlanInput {
  year: number;
  /** Published with the plan so the draw can be re-run and checked. */
  seed: string;
  /** Institutions in scope with their current grade; ungraded ones (null) are not drawn. */
  institutions: readonly { uscc: string; grade: Grade | null }[];
  /** Institutions left out of the draw altogether (e.g. closed); they count in no population. */
  exclude?: readonly string[];
  /** Rates per grade, each within the revision's bounds; default the revision's defaults. */
  rates?: Partial<Record<Grade, number>>;
}

export interface InspectionPlanEntry {
  grade: Grade;
  rate: number;
  /** Institutions of this grade eligible for the draw (after exclusions). */
  population: number;
  size: number;
  /** The drawn usccs, sorted. */
  drawn: string[];
}

/**
 * A year's random-inspection plan: for each grade, a reproducible draw of sampleSize(grade, population)
 * institutions. Each grade is drawn from its own stream (seed, year and grade), so a change in one grade's
 * population does not change another grade's sample.
 */
export function drawInspectionPlan(
  input: InspectionPlanInput,
  rules: RuleRevision = latestRules(),
): InspectionPlanEntry[] {
  // Stryker disable next-line ArrayDeclaration: a default exclusion list with any text but a real uscc excludes nothing
  const { year, seed, institutions, exclude = [], rates = {} } = input;
  if (!Number.isSafeInteger(year)) {
    throw new ValidationError(`year must be a whole number, got ${year}`, [
      { path: 'year', message: 'must be a whole number' },
    ]);
  }
  const seen = new Set<string>();
  for (const { uscc } of institutions) {
    if (seen.has(uscc)) {
      throw new ValidationError(`duplicate institution ${uscc} in the plan`, [
        { path: 'institutions', message: `duplicate uscc ${uscc}` },
      ]);
    }
    seen.add(uscc);
  }
  const excluded = new Set(exclude);
  return GRADES.map((grade) => {
    const rate = rates[grade] ?? rules.inspection[grade].default;
    const population = institutions.filter((i) => i.grade === grade && !excluded.has(i.uscc));
    const size = sampleSize(grade, population.length, rate, rules);
    const drawn = drawSample(population, size, `${seed}|${year}|${grade}`)
      .map((i) => i.uscc)
      .sort();
    return { grade, rate, population: population.length, size, drawn };
  });
}
