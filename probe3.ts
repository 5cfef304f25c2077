import { readdirSync } from 'node:fs';
import { smokeProfile } from './scripts/smoke/harness.ts';
import { startSmokeWorld } from './scripts/smoke/run.ts';
import { templatesIn } from './scripts/smoke/templates.ts';

const profile = (process.argv[2] ?? 'global') as 'global' | 'china';
const dir = `.smoke/${profile}`;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.template.json'))
  .map((f) => f.replace('.template.json', ''));
const syn = {
  profile,
  region: profile === 'china' ? 'cn-north-1' : 'ap-northeast-1',
  templates: templatesIn(dir, names),
  assemblyDir: `${process.cwd()}/${dir}`,
};
let t = Date.now();
const world = await startSmokeWorld();
console.log('world', Date.now() - t);
t = Date.now();
const checks = await smokeProfile(syn, world);
console.log('run', Date.now() - t);
t = Date.now();
const checks2 = await smokeProfile(syn, world);
console.log('run again', Date.now() - t);
for (const c of checks.filter((c) => !c.ok)) console.log('FAIL', c.what, c.detail);
console.log(checks.filter((c) => c.ok).length, '/', checks.length, checks2.filter((c) => c.ok).length);
await world.close();
