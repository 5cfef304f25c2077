import type { GeoPoint } from '../domain/geo.ts';
import { pointProblems } from '../domain/geo.ts';
import {
  licenceProblems,
  physicianProblems,
  SURGERY_LEVELS,
  type Subject,
} from '../domain/practice-scope.ts';
import type { Actor, Kind } from '../domain/types.ts';
import {
  addPhysician,
  type LicenceInput,
  normaliseLicence,
  normalisePhysician,
  type PhysicianInput,
  putLicence,
  putLocation,
  removePhysician,
} from './capabilities.ts';
import { mustGetProfile, type WorkflowDeps } from './context.ts';

/**
 * The import columns of what an institution may do and where it is (docs/imports.md): the licence,
 * the coordinates and the attending physicians. Parsed and checked with the rest of the row; applied
 * through the same calls as the admin API, so a re-import changes nothing.
 */

export const CAPABILITY_COLUMNS = {
  licenceNumber: ['licenceNumber', '执业许可证登记号'],
  subjects: ['subjects', '核准科目'],
  surgeryLevel: ['surgeryLevel', '美容外科手术级别'],
  lat: ['lat', '纬度'],
  lng: ['lng', '经度'],
  physicians: ['physicians', '主诊医师'],
} as const;

export type CapabilityField = keyof typeof CAPABILITY_COLUMNS;

export interface ParsedCapabilities {
  licence: LicenceInput | null;
  location: GeoPoint | null;
  /** The complete list when the file has the column (those not listed are removed), else null. */
  physicians: PhysicianInput[] | null;
}

const LEVELS: Record<string, number> = { 一级: 1, 二级: 2, 三级: 3, 四级: 4 };

function list(value: string): string[] {
  return value
    .split(/[;；、,，]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * Reads the capability cells of one row. `cell` gives a field's text ('' when absent), `has` whether
 * the file has the column, and `fail` records a problem under the field's column.
 */
export function parseCapabilities(
  kind: Kind | undefined,
  cell: (f: CapabilityField) => string,
  has: (f: CapabilityField) => boolean,
  fail: (f: CapabilityField, message: string) => void,
  today: string,
): ParsedCapabilities {
  let licence: LicenceInput | null = null;
  const number = cell('licenceNumber');
  const subjects = list(cell('subjects'));
  const rawLevel = cell('surgeryLevel');
  if (number !== '' || subjects.length > 0 || rawLevel !== '') {
    const level = rawLevel === '' ? null : (LEVELS[rawLevel] ?? Number(rawLevel));
    if (level !== null && !(SURGERY_LEVELS as readonly number[]).includes(level)) {
      fail('surgeryLevel', `expected 1–4 or 一级–四级, got “${rawLevel}”`);
    }
    licence = normaliseLicence({ number, subjects, surgeryLevel: level });
    if (kind) {
      for (const p of licenceProblems(kind, licence)) {
        if (
          p.path !== 'surgeryLevel' ||
          level === null ||
          (SURGERY_LEVELS as readonly number[]).includes(level)
        ) {
          fail(p.path === 'number' ? 'licenceNumber' : (p.path as CapabilityField), p.message);
        }
      }
    }
  }

  let location: GeoPoint | null = null;
  const lat = cell('lat');
  const lng = cell('lng');
  if (lat !== '' || lng !== '') {
    const point = { lat: lat === '' ? Number.NaN : Number(lat), lng: lng === '' ? Number.NaN : Number(lng) };
    const problems = pointProblems(point);
    for (const p of problems)
      fail(p.path as CapabilityField, `${p.message} (GCJ-02), got “${p.path === 'lat' ? lat : lng}”`);
    if (problems.length === 0) location = point;
  }

  let physicians: PhysicianInput[] | null = null;
  if (has('physicians')) {
    physicians = [];
    const seen = new Set<string>();
    for (const entry of list(cell('physicians'))) {
      const [name = '', subject = '', certificateNo = '', since = ''] = entry
        .split(/[/／]/)
        .map((s) => s.trim());
      const d = normalisePhysician({ name, subject, certificateNo, since });
      for (const p of physicianProblems(d, (licence?.subjects ?? []) as Subject[], today)) {
        fail(
          'physicians',
          `“${entry}”: ${p.path}: ${p.message} (write name/subject/certificate number/YYYY-MM-DD)`,
        );
      }
      if (seen.has(d.certificateNo)) fail('physicians', `“${entry}”: the same certificate is listed twice`);
      seen.add(d.certificateNo);
      physicians.push(d);
    }
  }
  return { licence, location, physicians };
}

/** Applies a row's capabilities to its (now registered) institution; each call changes nothing when it matches. */
export async function applyCapabilities(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  c: ParsedCapabilities,
): Promise<void> {
  if (c.licence) await putLicence(deps, actor, uscc, c.licence);
  if (c.location) await putLocation(deps, actor, uscc, c.location);
  if (c.physicians) {
    const wanted = new Set(c.physicians.map((d) => d.certificateNo));
    const held = (await mustGetProfile(deps, uscc)).physicians ?? [];
    for (const d of held)
      if (!wanted.has(d.certificateNo)) await removePhysician(deps, actor, uscc, d.certificateNo);
    for (const d of c.physicians) await addPhysician(deps, actor, uscc, d);
  }
}
