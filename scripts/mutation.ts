import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * `npm run mutation [-- STRYKER OPTIONS]`: runs StrykerJS (stryker.config.json), then prints the mutation
 * score of each mutated folder from its JSON report and exits 1 when one is below its floor. Stryker has
 * a single break threshold for the whole run; the layers differ in how closely a test can pin them, so
 * each folder has its own. `npm run mutation -- --report-only` scores the last report without a run.
 */

/** The floor of each mutated folder, in percent: a file is judged with the first folder it lies in. */
export const FOLDER_FLOORS: ReadonlyArray<{ folder: string; floor: number }> = [
  { folder: 'shared/domain/', floor: 94 },
  { folder: 'shared/rulebook/', floor: 94 },
  { folder: 'shared/services/', floor: 85 },
  { folder: 'shared/http/', floor: 80 },
];

export const REPORT_FILE = 'reports/mutation/mutation.json';

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

function main(argv: string[]): number {
  const reportOnly = argv.includes('--report-only');
  const strykerArgs = argv.filter((a) => a !== '--report-only');
  if (!reportOnly) {
    const run = spawnSync('npx', ['stryker', 'run', ...strykerArgs], { stdio: 'inherit' });
    if (run.status !== 0) return run.status ?? 1;
  }
  const report = JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as MutationReport;
  // A run on a few files (--mutate) shows each of them; a whole run shows the folders only.
  const { lines, ok } = scoreLines(report, Object.keys(report.files).length <= 10);
  console.log(['Mutation score per folder:', ...lines].join('\n'));
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
