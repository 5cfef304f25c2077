import type { Clock } from '../clock.ts';
import {
  type CampaignBasis,
  type CampaignEntry,
  type CampaignProgress,
  type CampaignStage,
  campaignEntries,
  progressByDistrict,
  progressOf,
} from '../domain/campaign.ts';
import { shanghaiIso } from '../domain/dates.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { inSight, type OperationId, type Sight, sightOf } from '../domain/permissions.ts';
import { districtNames } from '../domain/rules.ts';
import type { Actor, District } from '../domain/types.ts';
import type { RegisterIndexSource } from '../store/register-index.ts';
import type { ResultStore } from '../store/results.ts';
import type { WorkflowStore } from '../store/workflow.ts';

/** What the campaign reads: the register in memory, the year's results and its upgrade applications. */
export interface CampaignDeps {
  clock: Clock;
  register: RegisterIndexSource;
  results: ResultStore;
  workflow: WorkflowStore;
}

/** The part of the campaign a caller sees. */
interface CampaignSight {
  /** A district filter, asked for or from the caller's scope. */
  district: District | null;
  /** The caller's scope (the permission table's sight), which the district filter narrows. */
  scope: Sight;
}

/**
 * From the permission table: the city and the guidance group see all of it (narrowed by `district`
 * when asked); a district role its own district's scope, and asking for another district is 403.
 */
function sightIn(operation: OperationId, actor: Actor, district: District | undefined): CampaignSight {
  const scope = sightOf(operation, actor);
  if (scope.district !== null && district && district !== scope.district) {
    throw new ForbiddenError(
      `a ${scope.district} officer sees only the campaign of ${scope.district}, not ${district} (只能查看本辖区)`,
    );
  }
  return { district: scope.district ?? district ?? null, scope };
}

async function entriesInSight(
  deps: CampaignDeps,
  year: number,
  sight: CampaignSight,
): Promise<CampaignEntry[]> {
  const district = sight.district ?? undefined;
  // The year before too: a result of it still under way carries over (shared/domain/campaign.ts).
  const [index, thisYear, yearBefore, applications] = await Promise.all([
    deps.register.current(),
    deps.results.listForCampaign(year, district),
    deps.results.listForCampaign(year - 1, district),
    deps.workflow.listApplicationsOfYear(year),
  ]);
  const results = [...thisYear, ...yearBefore];
  const institutions = [...index.rows()].filter(
    (row) => (sight.district === null || row.district === sight.district) && inSight(sight.scope, row),
  );
  return campaignEntries({
    year,
    today: deps.clock.today(),
    institutions,
    results,
    applications: applications.map((a) => ({
      ...a,
      // Applications stored before the instant was kept: the start of the day they were submitted.
      submittedAt: (a as { submittedAt?: string }).submittedAt ?? `${a.submittedOn}T00:00:00+08:00`,
    })),
  });
}

export interface CampaignSummary {
  year: number;
  asOf: string;
  /** The district the figures are limited to, or null for the whole city. */
  district: District | null;
  total: CampaignProgress;
  districts: Array<{ district: District } & CampaignProgress>;
}

/** The campaign of a year: totals and progress per district, as far as the caller may see. */
export async function campaignSummary(
  deps: CampaignDeps,
  actor: Actor,
  year: number,
  district?: District,
): Promise<CampaignSummary> {
  const sight = sightIn('getV1AdminCampaignsByYear', actor, district);
  const entries = await entriesInSight(deps, year, sight);
  const districts = sight.district === null ? districtNames() : [sight.district];
  return {
    year,
    asOf: shanghaiIso(deps.clock.now()),
    district: sight.district,
    total: progressOf(entries),
    districts: progressByDistrict(entries, districts),
  };
}

export interface CampaignPage {
  items: Omit<CampaignEntry, 'sortKey'>[];
  /** Sort key of the last item, when more follow. */
  after: string | null;
}

/** The covered institutions in district and name order, filtered, one page after `after`. */
export async function campaignInstitutions(
  deps: CampaignDeps,
  actor: Actor,
  year: number,
  query: {
    district?: District | undefined;
    stage?: CampaignStage | undefined;
    basis?: CampaignBasis | undefined;
    limit: number;
    after: string | null;
  },
): Promise<CampaignPage> {
  const sight = sightIn('getV1AdminCampaignsByYearInstitutions', actor, query.district);
  const matching = (await entriesInSight(deps, year, sight)).filter(
    (e) =>
      (!query.stage || e.stage === query.stage) &&
      (!query.basis || e.basis === query.basis) &&
      (query.after === null || e.sortKey > query.after),
  );
  const page = matching.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sortKey: _s, ...rest }) => rest),
    after: matching.length > query.limit && last ? last.sortKey : null,
  };
}
