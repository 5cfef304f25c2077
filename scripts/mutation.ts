import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * `npm run mutation [-- --pass NAME] [-- STRYKER OPTIONS]`: runs StrykerJS (stryker.config.json) in three
 * passes, then prints the mutation score of each mutated folder from their JSON reports and exits 1 when
 * one is below its floor. Stryker has a single break threshold for the whole run; the layers differ in
 * how closely a test can pin them, so each folder has its own. `--pass domain`, `services` or `http` runs
 * one pass (the others' last reports still count); `--report-only` scores the last reports without a run.
 */
/** The floor of each mutated folder, in percent: a file is judged with the first folder it lies in. */
export const FOLDER_FLOORS: ReadonlyArray<{ folder: string; floor: number }> = [
  { folder: 'shared/domain/', floor: 94 },
  { folder: 'shared/rulebook/', floor: 94 },
  { folder: 'shared/services/', floor: 85 },
  { folder: 'shared/http/', floor: 80 },
];

export const REPORT_FILE = 'reports/mutation/mutation.json';

/**
 * A pass mutates some folders and runs the tests that pin them (`MUTATION_TESTS`, read by
 * vitest.mutation.config.ts). The domain, the rulebook and the services are pinned by tests that call
 * them directly (unit tests and service tests), which take milliseconds a mutant. The HTTP layer's own
 * modules (problems, request checks, cursors, caching, the base app every request passes through) are
 * pinned by their unit tests and the conventions suite (`core`): every request reaches them, so a
 * survivor there would otherwise re-run the whole integration suite. The routes, apps and pages are
 * reached through the app, so their pass runs the integration tests too. Each pass keeps its own report
 * and incremental file, so a change re-tests only the mutants it touched. `tests` is what
 * vitest.mutation.config.ts reads: `direct` the unit and service tests, `core` the unit tests and
 * `test/integration/http/`, `all` the unit and integration tests.
 */
export const PASSES = [
  {
    name: 'domain',
    mutate: ['shared/domain/**/*.ts', '!shared/domain/search-index.ts', 'shared/rulebook/**/*.ts'],
    tests: 'direct',
  },
  { name: 'services', mutate: ['shared/services/**/*.ts'], tests: 'direct' },
  { name: 'http-core', mutate: ['shared/http/*.ts'], tests: 'core' },
  {
    name: 'http-routes',
    mutate: [
      'shared/http/admin/**/*.ts',
      'shared/http/apps/**/*.ts',
      'shared/http/institution/**/*.ts',
      'shared/http/pages/**/*.ts',
      'shared/http/public/**/*.ts',
    ],
    tests: 'all',
  },
] as const;

export type PassName = (typeof PASSES)[number]['name'];

export const passReport = (name: PassName) => `reports/mutation/${name}.json`;
export const passIncrementalFile = (name: PassName) => `reports/mutation/${name}-incremental.json`;

function passNamed(name: PassName) {
  const pass = PASSES.find((p) => p.name === name);
  if (!pass) throw new Error(`no mutation pass named ${name}`);
  return pass;
}

/** The folders a pass mutates, each ending in a slash (`deep` when its subfolders are mutated too). */
export const passFolders = (name: PassName): Array<{ folder: string; deep: boolean }> =>
  passNamed(name)
    .mutate.filter((g) => !g.startsWith('!'))
    .map((g) => ({ folder: g.replace(/\*\*\/\*\.ts$|\*\.ts$/, ''), deep: g.endsWith('**/*.ts') }));

/** Whether a pass mutates the file (a file of a subfolder only when the pass mutates subfolders). */
export function passMutates(name: PassName, file: string): boolean {
  const path = file.split('\\').join('/');
  return passFolders(name).some(
    ({ folder, deep }) => path.startsWith(folder) && (deep || !path.slice(folder.length).includes('/')),
  );
}

/** The `mutate` globs of a pass: its folders, less what stryker.config.json leaves out of them. */
export function passMutate(name: PassName, configured: readonly string[]): string[] {
  const pass = passNamed(name);
  // A left-out glob only removes files: those outside the pass's folders remove nothing.
  const leftOut = configured.filter((g) => g.startsWith('!'));
  return [...new Set([...pass.mutate, ...leftOut])];
}

/**
 * The reports of the passes that have one, as one report: each file from the pass that mutates it (an
 * incremental run may carry results of files outside its own folders, as they were when last run).
 */
export function mergedReport(
  reports: ReadonlyArray<{ pass: PassName; report: MutationReport }>,
): MutationReport {
  const files: MutationReport['files'] = {};
  for (const { pass, report } of reports) {
    for (const [file, result] of Object.entries(report.files)) {
      if (passMutates(pass, file)) files[file] = result;
    }
  }
  return { files };
}

/** The part of Stryker's JSON report (mutation-testing-report-schema) the scores are computed from. */
export interface MutationReport {
  files: Record<string, { mutants: Array<{ status: string }> }>;
}

export interface Score {
  name: string;
  detected: number;
  /** Killed, timed out, survived or not covered: marked (Ignored) and invalid mutants do not count. */
  valid: number;
  /** Percent, or null when nothing valid was mutated. */
  score: number | null;
}

export interface FolderScore extends Score {
  floor: number;
  met: boolean;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's mutation score: (killed + timed out) ÷ (killed + timed out + survived + no coverage). */
export function scoreOf(name: string, mutants: ReadonlyArray<{ status: string }>): Score {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
  return { name, detected, valid, score: valid === 0 ? null : (100 * detected) / valid };
}

/** The file's folder floor, or undefined when the file lies in no listed folder. */
export function floorOf(file: string): { folder: string; floor: number } | undefined {
  const path = file.split('\\').join('/');
  return FOLDER_FLOORS.find((f) => path.startsWith(f.folder));
}

/** One score per folder the report holds files of, in the order of FOLDER_FLOORS. */
export function folderScores(report: MutationReport): { folders: FolderScore[]; unlisted: string[] } {
  const byFolder = new Map<string, Array<{ status: string }>>();
  const unlisted: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const owner = floorOf(file);
    if (!owner) {
      unlisted.push(file);
      continue;
    }
    byFolder.set(owner.folder, [...(byFolder.get(owner.folder) ?? []), ...mutants]);
  }
  const folders = FOLDER_FLOORS.filter((f) => byFolder.has(f.folder)).map(({ folder, floor }) => {
    const s = scoreOf(folder, byFolder.get(folder) ?? []);
    return { ...s, floor, met: s.score === null || s.score >= floor };
  });
  return { folders, unlisted };
}

export function fileScores(report: MutationReport): Score[] {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => scoreOf(file, mutants))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const percent = (s: Score) => (s.score === null ? '—' : `${s.score.toFixed(2)} %`);

/** The lines printed after a run: each folder against its floor, then (when asked) each file. */
export function scoreLines(report: MutationReport, withFiles: boolean): { lines: string[]; ok: boolean } {
  const { folders, unlisted } = folderScores(report);
  const lines = folders.map(
    (f) =>
      `${f.name.padEnd(18)} ${percent(f).padStart(8)} (${f.detected}/${f.valid})  floor ${f.floor} %  ${f.met ? 'ok' : 'BELOW'}`,
  );
  if (withFiles) {
    for (const s of fileScores(report)) lines.push(`  ${s.name}  ${percent(s)} (${s.detected}/${s.valid})`);
  }
  // A mutated file outside every listed folder would escape every floor: refuse rather than pass it.
  for (const file of unlisted) lines.push(`${file}: mutated, but in no folder with a floor`);
  return { lines, ok: unlisted.length === 0 && folders.every((f) => f.met) };
}

function flagValue(argv: string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at === -1 ? undefined : argv[at + 1];
}

function main(argv: string[]): number {
  const reportOnly = argv.includes('--report-only');
  const only = flagValue(argv, '--pass');
  const strykerArgs = argv.filter(
    (a, i) => a !== '--report-only' && a !== '--pass' && argv[i - 1] !== '--pass',
  );
  if (only && !PASSES.some((p) => p.name === only)) {
    console.error(`--pass: one of ${PASSES.map((p) => p.name).join(', ')}`);
    return 2;
  }
  const configured = (JSON.parse(readFileSync('stryker.config.json', 'utf8')) as { mutate: string[] }).mutate;
  for (const pass of PASSES) {
    if (reportOnly || (only && pass.name !== only)) continue;
    const started = Date.now();
    const args = [
      'stryker',
      'run',
      '--mutate',
      passMutate(pass.name, configured).join(','),
      '--incrementalFile',
      passIncrementalFile(pass.name),
    ];
    const run = spawnSync('npx', [...args, ...strykerArgs], {
      stdio: 'inherit',
      env: { ...process.env, MUTATION_TESTS: pass.tests },
    });
    if (run.status !== 0) return run.status ?? 1;
    copyFileSync(REPORT_FILE, passReport(pass.name));
    console.log(`pass ${pass.name}: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  }
  const reports = PASSES.filter((p) => existsSync(passReport(p.name))).map((p) => ({
    pass: p.name,
    report: JSON.parse(readFileSync(passReport(p.name), 'utf8')) as MutationReport,
  }));
  if (reports.length === 0) {
    console.error('no mutation report yet: run npm run mutation first');
    return 1;
  }
  const report = mergedReport(reports);
  // A run on a few files (--mutate) shows each of them; a whole run shows the folders only.
  const { lines, ok } = scoreLines(report, Object.keys(report.files).length <= 10);
  console.log(['Mutation score per folder:', ...lines].join('\n'));
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
