/**
 * The modelled cost of a million public lookups, from the units and the CPU the bench measures. Prices
 * are published on-demand list prices in USD; data transfer out is left out (a visitor receives the
 * same bytes with or without the CDN). What is paid per lookup:
 * - a CDN hit: CloudFront's request fee only;
 * - a miss: CloudFront's fee, then the origin's: HTTP API request, Lambda request, Lambda duration
 *   (arm64, the function's memory, billed per started millisecond) and DynamoDB read units;
 * - no CDN: the origin's only.
 */
export interface PriceList {
  region: string;
  /** CloudFront HTTPS requests per million, at the edges the visitors use (the service is HTTPS only). */
  cdnRequest: number;
  /** HTTP API requests per million (first 300 M a month). */
  httpApiRequest: number;
  /** Lambda requests per million. */
  lambdaRequest: number;
  /** Lambda arm64 duration per GB-second. */
  lambdaGbSecond: number;
  /** DynamoDB on-demand read request units per million. */
  dynamoReadUnit: number;
}

/**
 * The deployment's default region (cdk.json), with CloudFront's Japan / Asia-Pacific HTTPS price
 * ($0.0120 per 10,000); us-east-1 beside it, with CloudFront's US HTTPS price ($0.0100 per 10,000).
 * CloudFront's plain-HTTP price ($0.0075–0.0090) does not apply: viewers are redirected to HTTPS.
 */
export const PRICE_LISTS: readonly PriceList[] = [
  {
    region: 'ap-northeast-1',
    cdnRequest: 1.2,
    httpApiRequest: 1.29,
    lambdaRequest: 0.2,
    lambdaGbSecond: 0.0000133334,
    dynamoReadUnit: 0.1425,
  },
  {
    region: 'us-east-1',
    cdnRequest: 1.0,
    httpApiRequest: 1.0,
    lambdaRequest: 0.2,
    lambdaGbSecond: 0.0000133334,
    dynamoReadUnit: 0.125,
  },
];

/** The public function's memory (infra/stateless-stack.ts). */
export const PUBLIC_MEMORY_MB = 1024;
/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. */
const FULL_VCPU_MB = 1769;
/**
 * An in-region GetItem as the function waits for it, in ms. Not measurable on a local machine;
 * DynamoDB's single-digit-millisecond reads, taken at the high end of typical.
 */
export const DYNAMO_ROUND_TRIP_MS = 5;
export const GOALS = { uncached: 1.5, cdn90: 0.5 } as const;

export interface LookupUnits {
  /** Read units of one detail lookup (eventually consistent). */
  detailRcu: number;
  /** Read units of one search, averaged over the bench's queries. */
  searchRcu: number;
  /** The app's own CPU per request on the bench machine, in ms (bench/app-cpu.ts). */
  appMs: { detail: number; search: number };
}

/** Billed ms of one lookup: the app's CPU at the function's vCPU share plus one DynamoDB round trip. */
export function billedMs(appMs: number, memoryMb = PUBLIC_MEMORY_MB): number {
  const cpuShare = Math.min(1, memoryMb / FULL_VCPU_MB);
  return Math.ceil(appMs / cpuShare + DYNAMO_ROUND_TRIP_MS);
}

export interface CostParts {
  cdn: number;
  api: number;
  lambdaRequest: number;
  lambdaDuration: number;
  dynamo: number;
}

/** USD per million lookups, by what is paid, at a CDN hit rate (null: no CDN in front). */
export function costParts(
  p: PriceList,
  units: { rcu: number; ms: number },
  hitRate: number | null,
  memoryMb = PUBLIC_MEMORY_MB,
): CostParts {
  const misses = hitRate === null ? 1 : 1 - hitRate;
  return {
    cdn: hitRate === null ? 0 : p.cdnRequest,
    api: misses * p.httpApiRequest,
    lambdaRequest: misses * p.lambdaRequest,
    lambdaDuration: misses * (units.ms / 1000) * (memoryMb / 1024) * p.lambdaGbSecond * 1e6,
    dynamo: misses * units.rcu * p.dynamoReadUnit,
  };
}

export const total = (c: CostParts) => c.cdn + c.api + c.lambdaRequest + c.lambdaDuration + c.dynamo;

const usd = (n: number) => `$${n.toFixed(2)}`;

/** Why a goal is missed when fixed per-request fees alone exceed it; null when it is met. */
export function whyMissed(p: PriceList, c: CostParts, goal: number, cdn: boolean): string | null {
  if (total(c) <= goal) return null;
  if (cdn && c.cdn > goal) {
    return `CloudFront's own fee, ${usd(p.cdnRequest)} on every request hit or miss, is over ${usd(goal)} by itself (the origin's share is ${usd(total(c) - c.cdn)})`;
  }
  const fees = c.cdn + c.api + c.lambdaRequest;
  if (fees > goal) {
    return `the per-request fees alone (HTTP API ${usd(c.api)} + Lambda ${usd(c.lambdaRequest)}${cdn ? ` + CloudFront ${usd(c.cdn)}` : ''}) are ${usd(fees)}`;
  }
  return `fees ${usd(fees)}, duration ${usd(c.lambdaDuration)}, reads ${usd(c.dynamo)}`;
}

export interface CostFigures {
  region: string;
  detail: { uncached: number; cdn90: number };
  search: { uncached: number; cdn90: number };
}

export function printCostModel(u: LookupUnits): CostFigures[] {
  const lookups = {
    detail: { rcu: u.detailRcu, ms: billedMs(u.appMs.detail) },
    search: { rcu: u.searchRcu, ms: billedMs(u.appMs.search) },
  };
  console.log(
    `\n-- modelled cost per million lookups (bench/cost-model.ts; ${PUBLIC_MEMORY_MB} MB arm64, billed ms = app CPU at ${PUBLIC_MEMORY_MB}/${FULL_VCPU_MB} of a vCPU + ${DYNAMO_ROUND_TRIP_MS} ms DynamoDB round trip, rounded up)`,
  );
  const out: CostFigures[] = [];
  for (const p of PRICE_LISTS) {
    console.log(`  ${p.region}:`);
    const figures: CostFigures = {
      region: p.region,
      detail: { uncached: 0, cdn90: 0 },
      search: { uncached: 0, cdn90: 0 },
    };
    for (const name of ['detail', 'search'] as const) {
      const units = lookups[name];
      const bare = costParts(p, units, null);
      const cdn90 = costParts(p, units, 0.9);
      figures[name] = { uncached: total(bare), cdn90: total(cdn90) };
      console.log(
        `    ${name}  ${units.ms} ms, ${units.rcu.toFixed(1)} RCU   no CDN ${usd(total(bare))} (API ${usd(bare.api)}, Lambda ${usd(bare.lambdaRequest + bare.lambdaDuration)}, DynamoDB ${usd(bare.dynamo)}; goal ≤ ${usd(GOALS.uncached)})   CDN 0% hits ${usd(total(costParts(p, units, 0)))}   CDN 90% hits ${usd(total(cdn90))} (goal ≤ ${usd(GOALS.cdn90)})`,
      );
      const missedBare = whyMissed(p, bare, GOALS.uncached, false);
      if (missedBare) console.log(`      no CDN over ${usd(GOALS.uncached)}: ${missedBare}`);
      const missed90 = whyMissed(p, cdn90, GOALS.cdn90, true);
      if (missed90) console.log(`      90% hits over ${usd(GOALS.cdn90)}: ${missed90}`);
    }
    out.push(figures);
  }
  console.log(
    '  CloudFront bills no requests within its always-free 10 M a month, so below that the CDN adds nothing.',
  );
  return out;
}
