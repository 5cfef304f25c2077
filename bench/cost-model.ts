/**
 * The modelled cost of a million public lookups, from the units and the CPU the bench measures. Prices
 * are published on-demand list prices in USD; data transfer out is left out (a visitor receives the
 * same bytes with or without the CDN). What is paid per lookup:
 * - at the edge, on every request, hit or miss: CloudFront's request fee and AWS WAF's, since the web
 *   ACL (infra/edge-stack.ts) inspects every request the distribution receives;
 * - on a miss, the origin's: the Lambda request, its duration (arm64, the function's memory, billed per
 *   started millisecond) and DynamoDB read units. With a custom domain (every real deployment) CloudFront
 *   reaches the public function through its URL; without one, through the HTTP API, whose request fee
 *   and access-log line come on top (infra/stateless-stack.ts says why);
 * - with no CDN in front, the origin's only: what one miss adds.
 * The public function writes no log line of its own on a successful read and Lambda's start and report
 * lines are switched off for it (`quietPlatformLogs`), so a lookup ingests no logs at the function.
 */
export interface PriceList {
  region: string;
  /** CloudFront HTTPS requests per million, at the edges the visitors use (the service is HTTPS only). */
  cdnRequest: number;
  /** AWS WAF requests inspected, per million (the same in every commercial region). */
  wafRequest: number;
  /** HTTP API requests per million (first 300 M a month). */
  httpApiRequest: number;
  /** CloudWatch Logs ingestion per GB (the HTTP API's access log). */
  logIngestGb: number;
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
    wafRequest: 0.6,
    httpApiRequest: 1.29,
    logIngestGb: 0.76,
    lambdaRequest: 0.2,
    lambdaGbSecond: 0.0000133334,
    dynamoReadUnit: 0.1425,
  },
  {
    region: 'us-east-1',
    cdnRequest: 1.0,
    wafRequest: 0.6,
    httpApiRequest: 1.0,
    logIngestGb: 0.5,
    lambdaRequest: 0.2,
    lambdaGbSecond: 0.0000133334,
    dynamoReadUnit: 0.125,
  },
];

/** Requests a month CloudFront's always-free tier leaves unbilled (pay-as-you-go; WAF has no such tier). */
export const CDN_FREE_REQUESTS_MILLIONS = 10;

/**
 * CloudFront's flat-rate plans (since November 2025): CloudFront and AWS WAF for one monthly price, no
 * per-request fee. The price per million is at the plan's full allowance, the cheapest it gets.
 */
export const FLAT_RATE_PLANS = [
  { plan: 'Pro', usdPerMonth: 15, millionRequests: 10 },
  { plan: 'Business', usdPerMonth: 200, millionRequests: 125 },
  { plan: 'Premium', usdPerMonth: 1000, millionRequests: 500 },
  { plan: 'Premium at 6 B', usdPerMonth: 10_000, millionRequests: 6000 },
] as const;

/**
 * One HTTP API access-log event in the stage's format (`jsonWithStandardFields`), e.g.
 * {"requestId":"Ab1Cd2Ef3Gh4=","ip":"130.176.0.1","user":"-","caller":"-","requestTime":"02/Dec/2026:08:00:00
 * +0000","httpMethod":"GET","resourcePath":"/v1/institutions/{uscc}","status":"200","protocol":"HTTP/1.1",
 * "responseLength":"1843"}: ~235 bytes, plus the 26 CloudWatch counts per event.
 */
const ACCESS_LOG_EVENT_BYTES = 261;

/** The public function's memory (infra/stateless-stack.ts). */
export const PUBLIC_MEMORY_MB = 1024;
/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. */
const FULL_VCPU_MB = 1769;
/**
 * An in-region GetItem as the function waits for it, in ms. Not measurable on a local machine;
 * DynamoDB's single-digit-millisecond reads, taken at the high end of typical.
 */
export const DYNAMO_ROUND_TRIP_MS = 5;
/** The goals: with no CDN hits, and at 90 % hits. */
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

/** How CloudFront (or a visitor, with no CDN) reaches the public function. */
export type OriginPath = 'function-url' | 'http-api';

export interface CostParts {
  cdn: number;
  waf: number;
  api: number;
  apiLogs: number;
  lambdaRequest: number;
  lambdaDuration: number;
  dynamo: number;
}

/** USD per million lookups, by what is paid, at a CDN hit rate (null: no CDN in front). */
export function costParts(
  p: PriceList,
  units: { rcu: number; ms: number },
  hitRate: number | null,
  via: OriginPath,
  memoryMb = PUBLIC_MEMORY_MB,
): CostParts {
  const misses = hitRate === null ? 1 : 1 - hitRate;
  const throughApi = via === 'http-api' ? misses : 0;
  return {
    cdn: hitRate === null ? 0 : p.cdnRequest,
    waf: hitRate === null ? 0 : p.wafRequest,
    api: throughApi * p.httpApiRequest,
    apiLogs: throughApi * (ACCESS_LOG_EVENT_BYTES / 1e9) * 1e6 * p.logIngestGb,
    lambdaRequest: misses * p.lambdaRequest,
    lambdaDuration: misses * (units.ms / 1000) * (memoryMb / 1024) * p.lambdaGbSecond * 1e6,
    dynamo: misses * units.rcu * p.dynamoReadUnit,
  };
}

/** What the edge charges per million whatever the hit rate: CloudFront's fee and the web ACL's. */
export const edge = (c: CostParts) => c.cdn + c.waf;
/** What the origin adds per million: its share of the lookups that miss. */
export const origin = (c: CostParts) => c.api + c.apiLogs + c.lambdaRequest + c.lambdaDuration + c.dynamo;
export const total = (c: CostParts) => edge(c) + origin(c);

const usd = (n: number) => `$${n.toFixed(2)}`;

/** Why a goal is missed: the fixed per-request fees when they alone exceed it; null when it is met. */
export function whyMissed(c: CostParts, goal: number): string | null {
  if (total(c) <= goal) return null;
  if (edge(c) > goal) {
    return `the edge's fees, charged on every request hit or miss, are over ${usd(goal)} by themselves: CloudFront ${usd(c.cdn)} + WAF ${usd(c.waf)} = ${usd(edge(c))} (the origin's share is ${usd(origin(c))})`;
  }
  const fees = edge(c) + c.api + c.lambdaRequest;
  if (fees > goal) {
    const atEdge = c.cdn > 0 ? ` + CloudFront ${usd(c.cdn)} + WAF ${usd(c.waf)}` : '';
    return `the per-request fees alone (HTTP API ${usd(c.api)} + Lambda ${usd(c.lambdaRequest)}${atEdge}) are ${usd(fees)}`;
  }
  return `fees ${usd(fees)}, access logs ${usd(c.apiLogs)}, duration ${usd(c.lambdaDuration)}, reads ${usd(c.dynamo)}`;
}

export interface LookupCost {
  /** The origin alone, no CDN in front, through the function URL: what one miss adds. */
  originAlone: number;
  /** The same through the HTTP API (a deployment without a custom domain). */
  originAloneViaApi: number;
  /** Through CloudFront and its web ACL with no hits. */
  uncached: number;
  /** Through CloudFront and its web ACL at 90 % hits. */
  cdn90: number;
  /** The same, within CloudFront's always-free requests (the web ACL's fee still paid). */
  cdn90FreeTier: number;
  /** Of `cdn90`, what the edge charges whatever the hit rate. */
  edge: number;
}

export interface CostFigures {
  region: string;
  detail: LookupCost;
  search: LookupCost;
}

function printLookup(p: PriceList, name: string, units: { rcu: number; ms: number }): LookupCost {
  const alone = costParts(p, units, null, 'function-url');
  const aloneViaApi = costParts(p, units, null, 'http-api');
  const cdn0 = costParts(p, units, 0, 'function-url');
  const cdn90 = costParts(p, units, 0.9, 'function-url');
  const cdn90FreeTier = total(cdn90) - cdn90.cdn;
  console.log(
    `    ${name}  ${units.ms} ms, ${units.rcu.toFixed(1)} RCU   origin alone ${usd(total(alone))} (Lambda ${usd(alone.lambdaRequest + alone.lambdaDuration)}, DynamoDB ${usd(alone.dynamo)}); through the HTTP API, without a custom domain, ${usd(total(aloneViaApi))} (API ${usd(aloneViaApi.api)}, its access log ${usd(aloneViaApi.apiLogs)})`,
  );
  console.log(
    `      through CloudFront and WAF: no hits ${usd(total(cdn0))} (goal ≤ ${usd(GOALS.uncached)}); 90% hits ${usd(total(cdn90))} = edge ${usd(edge(cdn90))} (CloudFront ${usd(cdn90.cdn)}, WAF ${usd(cdn90.waf)}) + origin's share ${usd(origin(cdn90))} (goal ≤ ${usd(GOALS.cdn90)}); within CloudFront's free ${CDN_FREE_REQUESTS_MILLIONS} M requests a month ${usd(cdn90FreeTier)}`,
  );
  const missed0 = whyMissed(cdn0, GOALS.uncached);
  if (missed0) console.log(`      no hits over ${usd(GOALS.uncached)}: ${missed0}`);
  const missed90 = whyMissed(cdn90, GOALS.cdn90);
  if (missed90) console.log(`      90% hits over ${usd(GOALS.cdn90)}: ${missed90}`);
  return {
    originAlone: total(alone),
    originAloneViaApi: total(aloneViaApi),
    uncached: total(cdn0),
    cdn90: total(cdn90),
    cdn90FreeTier,
    edge: edge(cdn90),
  };
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
    out.push({
      region: p.region,
      detail: printLookup(p, 'detail', lookups.detail),
      search: printLookup(p, 'search', lookups.search),
    });
  }
  const plans = FLAT_RATE_PLANS.map((f) => `${f.plan} ${usd(f.usdPerMonth / f.millionRequests)}`).join(', ');
  console.log(
    `  CloudFront flat-rate plans (WAF included, no per-request fee), per million at the full allowance: ${plans}`,
  );
  return out;
}
