import { runSmoke, synthesise } from './smoke/run.ts';

/**
 * `npm run smoke:deployed`: both profiles synthesised with their functions bundled as uploaded, each
 * function loaded from its asset with the template's environment, and driven with the events its front
 * door, schedules and queues send. Prints one line per failed check and a summary; exits 1 on a failure.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = Date.now();
const profiles = [synthesise('global'), synthesise('china')];
const synthSeconds = (Date.now() - started) / 1000;
const { checks, operations } = await runSmoke(profiles);
const failed = checks.filter((c) => !c.ok);
for (const c of failed) console.error(`FAIL [${c.profile}] ${c.what}: ${c.detail ?? ''}`);
for (const profile of ['global', 'china']) {
  const mine = checks.filter((c) => c.profile === profile);
  console.log(`${profile}: ${mine.filter((c) => c.ok).length}/${mine.length} checks passed`);
}
console.log(
  `${operations} OpenAPI operations × 2 profiles; synth ${synthSeconds.toFixed(1)} s, run ${((Date.now() - started) / 1000 - synthSeconds).toFixed(1)} s`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
