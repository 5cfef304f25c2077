import { dataset } from '/work/wt/perf15/bench/public-lookup.bench.ts';
await dataset(320);
