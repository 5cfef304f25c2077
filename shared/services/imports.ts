import { createHash } from 'node:crypto';
import { isValidDate } from '../domain/dates.ts';
import { ConflictError } from '../domain/errors.ts';
import { validateScore } from '../domain/grading.ts';
import { authorise } from '../domain/permissions.ts';
import { isMainlandMobile } from '../domain/phone.ts';
import { refusal } from '../domain/preconditions.ts';
import { districtNames, isDistrict, kindLabel, rulebook } from '../domain/rules.ts';
import { scopeRefusal } from '../domain/scope.ts';
import { UNSAFE_TEXT_MESSAGE, unsafeCharacter } from '../domain/text.ts';
import { type Actor, type District, KINDS, type Kind } from '../domain/types.ts';
import { validateUscc } from '../domain/uscc.ts';
import { IMPORT_COMMIT, IMPORT_REPORT_LIMITS } from '../import/limits.ts';
import type { SheetRow } from '../import/sheet.ts';
import { scoreAssessment } from './assessments.ts';
import type { WorkflowDeps } from './context.ts';
import {
  applyCapabilities,
  CAPABILITY_COLUMNS,
  type ParsedCapabilities,
  parseCapabilities,
} from './import-capabilities.ts';
import { type RegistrationInput, registerInstitution, sameRegistration } from './institutions.ts';
import { project } from './result-projection.ts';

/** The institution as a row's own checks see it; whether it is closed is scoreAssessment's check. */
const UNCHECKED = { closed: false, grade: null };

/**
 * Bulk import of the registers regulators keep in Excel. Every row is validated first and all errors
 * are reported by row and column; a file with any error imports nothing; importing the same file
 * again changes nothing (an identical institution is skipped, an assessment has an id derived from
 * its row, so it is created once).
 */

/** Accepted headers, English or Chinese, for each field. */
export const IMPORT_COLUMNS = {
  uscc: ['uscc', '统一社会信用代码'],
  name: ['name', '机构名称'],
  kind: ['kind', '类别'],
  district: ['district', '所在区县'],
  address: ['address', '地址'],
  aliases: ['aliases', '别名'],
  phones: ['phones', '联系电话'],
  wechatOpenIds: ['wechatOpenIds', '微信OpenID'],
  generalAnesthesia: ['generalAnesthesia', '全麻手术'],
  liposuction: ['liposuction', '抽脂手术'],
  prepaidNonCompliant: ['prepaidNonCompliant', '预付式消费不规范'],
  offSiteSupervised: ['offSiteSupervised', '非现场监管'],
  score: ['score', '评分'],
  assessedOn: ['assessedOn', '评分日期'],
  reason: ['reason', '评分原因'],
  ...CAPABILITY_COLUMNS,
} as const;

type Field = keyof typeof IMPORT_COLUMNS;
const REQUIRED: Field[] = ['uscc', 'name', 'kind', 'district', 'address'];

export interface ImportError {
  row: number;
  column: string;
  message: string;
}

export interface ImportReport {
  ok: boolean;
  rows: number;
  created: number;
  skipped: number;
  assessments: number;
  errors: ImportError[];
  /** Errors found beyond the first IMPORT_REPORT_LIMITS.errors, which the report leaves out. */
  errorsOmitted?: number;
}

interface ParsedRow {
  row: number;
  registration: RegistrationInput & { kind: Kind };
  scoring: { score: number; assessedOn: string; reason: 'initial' | 'review' | 'upgrade' } | null;
  capabilities: ParsedCapabilities;
}

/** Kind codes and the rulebook's labels, read when an import starts (the rulebook is chosen at start-up). */
const kindByLabel = () =>
  new Map<string, Kind>([
    ...KINDS.map((k) => [k, k] as [string, Kind]),
    ...KINDS.map((k) => [kindLabel(k), k] as [string, Kind]),
    ['医院', 'hospital'],
    ['门诊部', 'outpatient'],
    ['诊所', 'clinic'],
  ]);
const REASONS: Record<string, 'initial' | 'review' | 'upgrade'> = {
  initial: 'initial',
  review: 'review',
  upgrade: 'upgrade',
  首次: 'initial',
  复评: 'review',
  升级: 'upgrade',
};
const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '']);

function list(value: string): string[] {
  return value
    .split(/[;；、,，]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Finds, for each field, the header the file uses for it. */
function columnsOf(headers: string[]): Partial<Record<Field, string>> {
  const found: Partial<Record<Field, string>> = {};
  for (const [field, names] of Object.entries(IMPORT_COLUMNS) as [Field, readonly string[]][]) {
    const header = headers.find((h) => names.some((n) => n.toLowerCase() === h.toLowerCase()));
    if (header) found[field] = header;
  }
  return found;
}

/** Validates every row (pure); returns the parsed rows and every error by row and column. */
export function validateRows(
  headers: string[],
  rows: SheetRow[],
  actor: Actor,
  today: string,
): { parsed: ParsedRow[]; errors: ImportError[]; columns: Partial<Record<Field, string>> } {
  const columns = columnsOf(headers);
  const errors: ImportError[] = [];
  for (const field of REQUIRED) {
    if (!columns[field])
      errors.push({
        row: 1,
        column: IMPORT_COLUMNS[field][0],
        message: `missing column (${IMPORT_COLUMNS[field].join(' / ')})`,
      });
  }
  if (errors.length > 0) return { parsed: [], errors, columns };
  const seen = new Map<string, number>();
  const parsed: ParsedRow[] = [];
  for (const { row, cells } of rows) {
    const rowErrors: ImportError[] = [];
    const cell = (f: Field) => (columns[f] ? (cells[columns[f]] ?? '') : '');
    const fail = (f: Field, message: string) => rowErrors.push({ row, column: columns[f] ?? f, message });
    const flag = (f: Field) => {
      const v = cell(f).toLowerCase();
      if (YES.has(v)) return true;
      if (!NO.has(v)) fail(f, `expected 是/否, got “${cell(f)}”`);
      return false;
    };

    const checked = validateUscc(cell('uscc'));
    if (!checked.ok) fail('uscc', checked.message);
    else if (seen.has(checked.uscc))
      fail('uscc', `the same institution is already on row ${seen.get(checked.uscc)}`);
    else seen.set(checked.uscc, row);
    const name = cell('name');
    if (!name || name.length > 100) fail('name', 'a name of 1–100 characters is required');
    const kind = kindByLabel().get(cell('kind'));
    const scope = scopeRefusal({ kind: kind ?? cell('kind'), name });
    if (!kind) fail('kind', scope ?? `unknown kind “${cell('kind')}”`);
    else if (scope) fail('name', scope);
    const district = cell('district');
    if (!isDistrict(district))
      fail(
        'district',
        `not one of ${rulebook().city.name}'s ${districtNames().length} districts (${districtNames().join(' ')}): “${district}”`,
      );
    const address = cell('address');
    if (!address || address.length > 200) fail('address', 'an address of 1–200 characters is required');
    for (const f of ['name', 'address', 'aliases'] as const) {
      const bad = unsafeCharacter(cell(f));
      if (bad) fail(f, `${UNSAFE_TEXT_MESSAGE} (found ${bad})`);
    }
    const phones = list(cell('phones'));
    for (const p of phones) {
      if (!isMainlandMobile(p))
        fail('phones', `not a mainland mobile number (11 digits starting 13–19): “${p}”`);
    }
    const services = {
      generalAnesthesia: flag('generalAnesthesia'),
      liposuction: flag('liposuction'),
      prepaidNonCompliant: flag('prepaidNonCompliant'),
    };
    const offSiteSupervised = flag('offSiteSupervised');
    const capabilities = parseCapabilities(kind, cell, (f) => columns[f] !== undefined, fail, today);

    let scoring: ParsedRow['scoring'] = null;
    const rawScore = cell('score');
    if (rawScore !== '') {
      const score = Number(rawScore);
      for (const p of validateScore(Number.isNaN(score) ? rawScore : score)) fail('score', p.message);
      const assessedOn = cell('assessedOn');
      if (!isValidDate(assessedOn)) fail('assessedOn', 'a scored row needs the assessment date YYYY-MM-DD');
      else if (assessedOn > today) fail('assessedOn', `the assessment date ${assessedOn} is in the future`);
      const reason = REASONS[cell('reason') || 'initial'];
      if (!reason)
        fail('reason', `expected initial / review / upgrade (首次 / 复评 / 升级), got “${cell('reason')}”`);
      // An import scores directly, as the HTTP route does: the lifecycle table refuses an upgrade here.
      const direct = reason ? refusal('score', { today, institution: UNCHECKED, reason }) : null;
      if (direct?.precondition === 'scored-directly') fail('reason', direct.message);
      scoring = { score, assessedOn, reason: reason ?? 'initial' };
    }

    if (kind && isDistrict(district)) {
      const target = { kind, district };
      // Each row is held to the table's entries for registering and scoring one institution.
      const register = authorise('postV1AdminInstitutions', actor, { institution: target });
      if (!register.allowed) fail('district', register.reason);
      else if (scoring) {
        const score = authorise('postV1AdminAssessments', actor, { institution: target });
        if (!score.allowed) fail('score', score.reason);
      }
    }
    if (rowErrors.length > 0 || !checked.ok || !kind) {
      errors.push(...rowErrors);
      continue;
    }
    parsed.push({
      row,
      registration: {
        uscc: checked.uscc,
        name,
        kind,
        district: district as District,
        address,
        aliases: list(cell('aliases')),
        contacts: { phones, wechatOpenIds: list(cell('wechatOpenIds')) },
        services,
        offSiteSupervised,
      },
      scoring,
      capabilities,
    });
  }
  return { parsed, errors, columns };
}

/** The id of a row's assessment: the same row imported twice is the same assessment. */
export function importedAssessmentId(uscc: string, s: NonNullable<ParsedRow['scoring']>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([uscc, s.score, s.assessedOn, s.reason]))
    .digest('hex');
  return `imp-${digest.slice(0, 24)}`;
}

/**
 * Sorts the errors by row and column and keeps the answer small whatever the file: the first
 * IMPORT_REPORT_LIMITS.errors errors, each message cut to IMPORT_REPORT_LIMITS.messageChars (messages
 * quote the cell they refuse, and a cell may be long), and the count of the rest.
 */
export function boundedReport(report: ImportReport): ImportReport {
  const { errors: most, messageChars } = IMPORT_REPORT_LIMITS;
  const sorted = [...report.errors].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  const errors = sorted.slice(0, most).map((e) => ({
    ...e,
    message: e.message.length > messageChars ? `${e.message.slice(0, messageChars - 1)}…` : e.message,
  }));
  const omitted = sorted.length - errors.length;
  return { ...report, errors, ...(omitted > 0 ? { errorsOmitted: omitted } : {}) };
}

/**
 * Validates the whole file against the rules and the register, then imports it: nothing when any
 * row has an error, everything otherwise.
 */
export async function importRegister(
  deps: WorkflowDeps,
  actor: Actor,
  sheet: { headers: string[]; rows: SheetRow[] },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportReport> {
  const { parsed, errors, columns } = validateRows(sheet.headers, sheet.rows, actor, deps.clock.today());
  const existing = new Map<string, boolean>();
  await eachAtOnce(parsed, async (p) => {
    const profile = await deps.reader.getProfile(p.registration.uscc, true);
    if (!profile) return;
    if (sameRegistration(profile, p.registration) && profile.kind === p.registration.kind) {
      existing.set(p.registration.uscc, true);
    } else {
      errors.push({
        row: p.row,
        column: columns.uscc ?? 'uscc',
        message: `already registered as “${profile.name}” (${profile.kind}, ${profile.district}, ${profile.address}); change it with PATCH, not an import`,
      });
    }
  });
  const report: ImportReport = {
    ok: errors.length === 0,
    rows: sheet.rows.length,
    created: 0,
    skipped: 0,
    assessments: 0,
    errors,
  };
  if (!report.ok) return boundedReport(report);
  // Rows are independent (one uscc each, checked above): a few are written at once. A row already in
  // the register, or an assessment already created, goes through the same steps as a retried request
  // (registerInstitution's and scoreAssessment's own retry paths), so an import broken part-way is
  // completed by sending the same file again, and adds nothing when it was complete.
  let done = 0;
  await eachAtOnce(parsed, async (p) => {
    if (existing.get(p.registration.uscc)) {
      await registerInstitution(deps, actor, p.registration).catch(alreadyDone);
      report.skipped++;
    } else {
      await registerInstitution(deps, actor, p.registration);
      report.created++;
    }
    await applyCapabilities(deps, actor, p.registration.uscc, p.capabilities);
    if (p.scoring) {
      const id = importedAssessmentId(p.registration.uscc, p.scoring);
      const made = await deps.results.get(id);
      if (made) await project(deps, made);
      else {
        await scoreAssessment(deps, actor, { uscc: p.registration.uscc, ...p.scoring }, { id });
        report.assessments++;
      }
    }
    onProgress(++done, parsed.length);
  });
  return report;
}

/** registerInstitution answers a registration that was already made with 409, after finishing it. */
function alreadyDone(err: unknown): void {
  if (!(err instanceof ConflictError)) throw err;
}

/**
 * Runs `work` on every item, IMPORT_COMMIT.concurrency at a time. After a failure no item is started,
 * the ones under way are let finish, and the first failure is thrown: nothing is left writing behind
 * the answer.
 */
async function eachAtOnce<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IMPORT_COMMIT.concurrency, items.length) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
}
