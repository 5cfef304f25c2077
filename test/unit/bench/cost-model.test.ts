import { describe, expect, it } from 'vitest';
import {
  billedMs,
  costParts,
  edge,
  GOALS,
  origin,
  PRICE_LISTS,
  total,
  whyMissed,
} from '../../../bench/cost-model.ts';

const [tokyo] = PRICE_LISTS;
if (!tokyo) throw new Error('no price list');
const lookup = { rcu: 0.5, ms: 6 };

describe('the modelled cost of a million public lookups', () => {
  it('bills billed milliseconds: the app CPU at the function’s vCPU share plus the DynamoDB round trip, rounded up', () => {
    // 1,024 MB is 1024/1769 of a vCPU: 0.083 ms of CPU takes 0.14 ms there, plus 5 ms waiting.
    expect(billedMs(0.083)).toBe(6);
    expect(billedMs(0)).toBe(5);
    expect(billedMs(1.2)).toBe(8);
    // From 1,769 MB up the function has a whole vCPU.
    expect(billedMs(1, 3538)).toBe(6);
  });

  it('charges CloudFront’s and the web ACL’s fees on every request, hit or miss, and the origin only on misses', () => {
    const none = costParts(tokyo, lookup, 0, 'function-url');
    const most = costParts(tokyo, lookup, 0.9, 'function-url');
    const all = costParts(tokyo, lookup, 1, 'function-url');
    for (const c of [none, most, all]) expect(edge(c)).toBeCloseTo(tokyo.cdnRequest + tokyo.wafRequest, 10);
    expect(origin(most)).toBeCloseTo(origin(none) * 0.1, 10);
    expect(origin(all)).toBe(0);
    expect(total(all)).toBeCloseTo(1.8, 10);
  });

  it('prices one miss at the origin alone: a Lambda request, its duration and the reads', () => {
    const alone = costParts(tokyo, lookup, null, 'function-url');
    expect(edge(alone)).toBe(0);
    expect(alone.lambdaRequest).toBeCloseTo(0.2, 10);
    // 6 ms at 1 GB: 0.006 GB-s a lookup, 6,000 GB-s a million.
    expect(alone.lambdaDuration).toBeCloseTo(6000 * tokyo.lambdaGbSecond, 10);
    expect(alone.dynamo).toBeCloseTo(0.5 * tokyo.dynamoReadUnit, 10);
    expect(alone.api + alone.apiLogs).toBe(0);
  });

  it('adds the HTTP API’s fee and its access-log line when the reads go through it', () => {
    const viaUrl = costParts(tokyo, lookup, 0.9, 'function-url');
    const viaApi = costParts(tokyo, lookup, 0.9, 'http-api');
    expect(viaApi.api).toBeCloseTo(0.1 * tokyo.httpApiRequest, 10);
    expect(viaApi.apiLogs).toBeGreaterThan(0);
    expect(total(viaApi) - total(viaUrl)).toBeCloseTo(viaApi.api + viaApi.apiLogs, 10);
  });

  it('says a goal is missed because of the edge when the edge’s fees alone exceed it, and nothing when met', () => {
    const most = costParts(tokyo, lookup, 0.9, 'function-url');
    expect(whyMissed(most, GOALS.cdn90)).toMatch(/CloudFront \$1\.20 \+ WAF \$0\.60 = \$1\.80/);
    expect(whyMissed(costParts(tokyo, lookup, null, 'function-url'), GOALS.uncached)).toBeNull();
    // Through the HTTP API its fee and Lambda's are $1.49; the access log and the rest pass $1.50.
    expect(whyMissed(costParts(tokyo, lookup, null, 'http-api'), GOALS.uncached)).toMatch(
      /^fees \$1\.49, access logs \$0\.20, /,
    );
  });
});
