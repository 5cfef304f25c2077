import { serviceOpenApiDocument } from './openapi-document.ts';
import { operationsOf } from './smoke/harness.ts';
import { runSmoke, synthesise } from './smoke/run.ts';
import { routesOf } from './smoke/templates.ts';

/**
 * `npm run smoke:deployed`: both profiles synthesised with their functions bundled as uploaded, each
 * function loaded from its asset with the template's environment, and driven with the events its front
 * door, schedules and queues send. Prints one line per failed check and a summary; exits 1 on a failure.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = Date.now();
const profiles = [synthesise('global'), synthesise('china')];
const synthSeconds = (Date.now() - started) / 1000;
const checks = await runSmoke(profiles);
const failed = checks.filter((c) => !c.ok);
for (const c of failed) console.error(`FAIL [${c.profile}] ${c.what}: ${c.detail ?? ''}`);
for (const p of profiles) {
  const mine = checks.filter((c) => c.profile === p.profile);
  const routes = routesOf(p.templates).filter((r) => r.via !== 'function-url' && r.path !== '$default');
  console.log(
    `${p.profile}: ${mine.filter((c) => c.ok).length}/${mine.length} checks passed; ${routes.length} routes in the templates`,
  );
}
const operations = operationsOf(await serviceOpenApiDocument()).length;
console.log(
  `${operations} OpenAPI operations × ${profiles.length} profiles; synth ${synthSeconds.toFixed(1)} s, run ${((Date.now() - started) / 1000 - synthSeconds).toFixed(1)} s`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
