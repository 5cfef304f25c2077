import { shanghaiIso } from '../domain/dates.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import {
  checkInspectionRate,
  defaultInspectionRates,
  drawInspectionPlan,
  type InspectionPlanEntry,
} from '../domain/inspection.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import { inSight, sightOf } from '../domain/permissions.ts';
import { districtNames } from '../domain/rules.ts';
import { sameData } from '../domain/same-data.ts';
import { countsInScope } from '../domain/scope.ts';
import { type Actor, type District, GRADES, type Grade, KINDS, type Kind } from '../domain/types.ts';
import { watchListReasons } from '../domain/watchlist.ts';
import type { InspectionPlan } from '../store/workflow.ts';
import { recordAudit, requireScope, type WorkflowDeps } from './context.ts';
import { CITY_TRAIL } from './institutions.ts';

/**
 * Supervision views for regulators only: the random-inspection plan (never announced, never notified),
 * the watch list and the coverage report.
 */

/** Every institution of the register, through the whole-register index (paged Queries, no Scan). */
export async function allProfiles(deps: WorkflowDeps): Promise<InstitutionProfile[]> {
  const profiles: InstitutionProfile[] = [];
  for (const kind of KINDS) {
    let startKey: Record<string, unknown> | null = null;
    do {
      const page = await deps.reader.listKind({ kind, startKey, limit: 200 });
      for (const { key: _key, ...p } of page.items) profiles.push(p);
      startKey = page.lastKey;
    } while (startKey);
  }
  return profiles;
}

export interface PlanRequest {
  year: number;
  seed: string;
  rates?: Partial<Record<Grade, number>> | undefined;
  excludeOffSite?: boolean | undefined;
}

/**
 * Draws and stores the year's plan with its seed and the population it was drawn from, so anyone can
 * re-draw it. One plan per year (conditional put): a second one is 409. Nobody is notified.
 */
export async function createInspectionPlan(
  deps: WorkflowDeps,
  actor: Actor,
  req: PlanRequest,
): Promise<InspectionPlan> {
  requireScope('postV1AdminInspectionPlans', actor);
  const rates = { ...defaultInspectionRates(), ...req.rates };
  for (const grade of GRADES) checkInspectionRate(grade, rates[grade]);
  if (await deps.workflow.getPlan(req.year))
    throw new ConflictError(`the inspection plan for ${req.year} exists`);
  const open = (await allProfiles(deps)).filter((p) => !p.closed && p.grade !== null);
  const population = open.map((p) => ({ uscc: p.uscc, grade: p.grade as Grade }));
  let excluded: string[] = [];
  if (req.excludeOffSite) {
    const privates = await deps.workflow.getPrivates(population.map((p) => p.uscc));
    // Off-site supervision exempts only A/B/C (DOMAIN.md "Credit supervision"); D is always drawn.
    excluded = population
      .filter((p) => p.grade !== 'D' && privates.get(p.uscc)?.offSiteSupervised === true)
      .map((p) => p.uscc)
      .sort();
  }
  const entries = drawInspectionPlan({
    year: req.year,
    seed: req.seed,
    institutions: population,
    exclude: excluded,
    rates,
  });
  const plan: InspectionPlan = {
    year: req.year,
    seed: req.seed,
    rates,
    excludeOffSite: req.excludeOffSite ?? false,
    // Stryker disable next-line EqualityOperator: the population holds each uscc once, so no two compare equal
    population: population.sort((a, b) => (a.uscc < b.uscc ? -1 : 1)),
    excluded,
    entries,
    createdAt: shanghaiIso(deps.clock.now()),
    createdBy: actor,
  };
  await deps.workflow.createPlan(plan);
  await recordAudit(deps, {
    id: `inspection-plan:${plan.year}`,
    uscc: CITY_TRAIL,
    at: plan.createdAt,
    actor,
    action: 'inspection_plan.create',
    before: null,
    after: { year: plan.year, seed: plan.seed, rates, sizes: entries.map((e) => [e.grade, e.size]) },
  });
  return plan;
}

async function getInspectionPlan(deps: WorkflowDeps, year: number): Promise<InspectionPlan> {
  const plan = await deps.workflow.getPlan(year);
  if (!plan) throw new NotFoundError(`no inspection plan for ${year}`);
  return plan;
}

/** A district's part of a plan: its own clinics only, without the seed or the city-wide population. */
export interface DistrictPlanPart {
  year: number;
  district: District;
  entries: InspectionPlanEntry[];
  createdAt: string;
}

/**
 * The plan as the caller may see it. City and guidance group: the whole plan. A district role: only
 * the clinics of its own district (the institutions it inspects), and no seed, since the seed and
 * the public register would let it re-draw everyone else's part.
 */
export async function visibleInspectionPlan(
  deps: WorkflowDeps,
  actor: Actor,
  year: number,
): Promise<InspectionPlan | DistrictPlanPart> {
  const sight = sightOf('getV1AdminInspectionPlansByYear', actor);
  const plan = await getInspectionPlan(deps, year);
  const { district } = sight;
  if (district === null) return plan;
  const own = new Set<string>();
  let startKey: Record<string, unknown> | null = null;
  do {
    const page = await deps.reader.list({
      // Stryker disable next-line ObjectLiteral: inSight keeps only the district's own clinics whatever a page holds; the filter only narrows the read
      filter: { district },
      startKey,
      limit: 200,
    });
    for (const i of page.items) if (inSight(sight, i)) own.add(i.uscc);
    startKey = page.lastKey;
  } while (startKey);
  return {
    year: plan.year,
    district,
    createdAt: plan.createdAt,
    entries: plan.entries.map((e) => {
      const drawn = e.drawn.filter((u) => own.has(u));
      const population = plan.population.filter((p) => p.grade === e.grade && own.has(p.uscc)).length;
      return { grade: e.grade, rate: e.rate, population, size: drawn.length, drawn };
    }),
  };
}

/** Re-draws a stored plan from its seed and population and says whether it comes out the same. */
export async function verifyInspectionPlan(
  deps: WorkflowDeps,
  actor: Actor,
  year: number,
): Promise<{ year: number; seed: string; matches: boolean; redrawn: InspectionPlanEntry[] }> {
  // The re-draw shows the whole plan: not for a district, which sees only its own part.
  requireScope('postV1AdminInspectionPlansByYearCheck', actor);
  const plan = await getInspectionPlan(deps, year);
  const redrawn = drawInspectionPlan({
    year: plan.year,
    seed: plan.seed,
    institutions: plan.population,
    exclude: plan.excluded,
    rates: plan.rates,
  });
  return {
    year,
    seed: plan.seed,
    matches: sameData(redrawn, plan.entries),
    redrawn,
  };
}

export interface WatchListEntry {
  uscc: string;
  name: string;
  kind: string;
  district: District;
  grade: Grade;
  reasons: string[];
}

/** D institutions with high-risk activity (重点关注清单): one Query of the D grade, one BatchGet. */
export async function watchList(deps: WorkflowDeps, actor: Actor): Promise<WatchListEntry[]> {
  const sight = sightOf('getV1AdminWatchList', actor);
  // Stryker disable next-line ArrayDeclaration: an entry the register does not hold has no private item, hence no reason, and is dropped
  const d: { uscc: string; name: string; kind: Kind; district: District; closed: boolean }[] = [];
  let startKey: Record<string, unknown> | null = null;
  do {
    const page = await deps.reader.list({ filter: { grade: 'D' }, startKey, limit: 200 });
    d.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  const visible = d.filter((i) => !i.closed && inSight(sight, i));
  const privates = await deps.workflow.getPrivates(visible.map((i) => i.uscc));
  return visible
    .map((i) => ({
      uscc: i.uscc,
      name: i.name,
      kind: i.kind,
      district: i.district,
      grade: 'D' as const,
      reasons: watchListReasons('D', privates.get(i.uscc)?.services),
    }))
    .filter((e) => e.reasons.length > 0);
}

export interface CoverageRow {
  district: District;
  inScope: number;
  published: number;
  coverage: number;
}

/** Coverage (published ÷ in scope) per district, closed institutions left out (DOMAIN.md "Targets"). */
export async function coverageReport(
  deps: WorkflowDeps,
  actor: Actor,
): Promise<{ asOf: string; summary: Omit<CoverageRow, 'district'>; districts: CoverageRow[] }> {
  const sight = sightOf('getV1AdminCoverage', actor);
  const rows = new Map<District, CoverageRow>(
    districtNames().map((d) => [d, { district: d, inScope: 0, published: 0, coverage: 0 }]),
  );
  for (const p of await allProfiles(deps)) {
    if (!countsInScope(p)) continue;
    const row = rows.get(p.district);
    if (!row) continue;
    row.inScope++;
    if (p.grade !== null) row.published++;
  }
  const all = [...rows.values()];
  const districts = sight.district === null ? all : all.filter((r) => r.district === sight.district);
  const inScope = districts.reduce((s, r) => s + r.inScope, 0);
  const published = districts.reduce((s, r) => s + r.published, 0);
  return {
    asOf: deps.clock.today(),
    summary: { inScope, published, coverage: ratio(published, inScope) },
    districts: districts.map((r) => ({ ...r, coverage: ratio(r.published, r.inScope) })),
  };
}

/** A share rounded to 4 decimals; 0 when there is nothing in scope. */
function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
