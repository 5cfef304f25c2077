/**
 * The modelled cost of a million public lookups, from the units the bench measures. Prices are the
 * published on-demand list prices (USD) of ap-northeast-1 (the deployment's default region) on arm64;
 * change them here for another region. Data transfer out is left out: it is the same with or without
 * the CDN for the bytes a visitor receives.
 */
export const PRICES = {
  /** CloudFront HTTPS requests, Japan, per million. */
  cdnRequest: 1.2,
  /** HTTP API requests, per million (first 300 M a month). */
  httpApiRequest: 1.29,
  /** Lambda requests, per million. */
  lambdaRequest: 0.2,
  /** Lambda arm64 duration, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on-demand read request units, per million. */
  dynamoReadUnit: 0.1425,
} as const;

/** The public function's memory (infra/stateless-stack.ts). */
const PUBLIC_MEMORY_GB = 1;

/**
 * Billed milliseconds of one lookup in Lambda: an in-region GetItem or Query takes a few ms and the app's
 * own CPU well under one (the bench's in-memory figure). Local latency under load is no estimate of it.
 */
export const LOOKUP_BILLED_MS = 10;

export interface LookupUnits {
  /** Read units of one detail lookup (eventually consistent). */
  detailRcu: number;
  /** Read units of one search, averaged over the bench's queries. */
  searchRcu: number;
}

/** USD per million lookups that reach the origin: API, Lambda and DynamoDB. */
export function originCost(units: { rcu: number; ms: number }): number {
  return (
    PRICES.httpApiRequest +
    PRICES.lambdaRequest +
    (Math.max(1, units.ms) / 1000) * PUBLIC_MEMORY_GB * PRICES.lambdaGbSecond * 1e6 +
    units.rcu * PRICES.dynamoReadUnit
  );
}

/** USD per million lookups at a CDN hit rate: every request pays CloudFront, misses pay the origin too. */
export function costPerMillion(units: { rcu: number; ms: number }, hitRate: number, withCdn = true): number {
  return (withCdn ? PRICES.cdnRequest : 0) + (1 - hitRate) * originCost(units);
}

export function printCostModel(u: LookupUnits): void {
  const detail = { rcu: u.detailRcu, ms: LOOKUP_BILLED_MS };
  const search = { rcu: u.searchRcu, ms: LOOKUP_BILLED_MS };
  const usd = (n: number) => `$${n.toFixed(2)}`.padStart(6);
  console.log(
    'modelled cost per million lookups (bench/cost-model.ts prices; origin = API + Lambda + DynamoDB):',
  );
  for (const [name, units] of [
    ['detail', detail],
    ['search', search],
  ] as const) {
    console.log(
      `  ${name}  no CDN ${usd(costPerMillion(units, 0, false))}   CDN 0% hits ${usd(costPerMillion(units, 0))}   CDN 90% hits ${usd(costPerMillion(units, 0.9))} (origin share ${usd(costPerMillion(units, 0.9, false))})`,
    );
  }
}
