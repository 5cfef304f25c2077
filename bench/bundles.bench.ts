import { bundles } from './public-lookup.bench.ts';

/**
 * `npm run bench -- bundles`: the bundle part of `npm run bench` alone: each function built with the
 * options the CDK deploys, its size against its budget and its cold import against the floor's.
 */
export async function run() {
  await bundles();
}
