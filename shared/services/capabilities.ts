import { shanghaiIso } from '../domain/dates.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import { type GeoPoint, pointProblems, roundCoordinate } from '../domain/geo.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import {
  type Licence,
  licenceProblems,
  MAX_SURGERY_LEVEL,
  type Physician,
  physicianProblems,
  type Subject,
  type SurgeryLevel,
} from '../domain/practice-scope.ts';
import { sameData } from '../domain/same-data.ts';
import type { Actor } from '../domain/types.ts';
import {
  appendEvent,
  mustGetProfile,
  recordAudit,
  requireScope,
  updateProfile,
  type WorkflowDeps,
} from './context.ts';

/**
 * What an institution may do and where it is (DOMAIN.md "What the public needs beyond the grade"):
 * the practice licence, attending physicians and coordinates, entered by whoever registers the
 * institution (the city; a district officer for the clinics of its district). Every change is
 * audited; a licence change is also a `licence_changed` event in the feed.
 */

export interface LicenceInput {
  number: string;
  subjects: string[];
  surgeryLevel: number | null;
}

function refuseIf(problems: Array<{ path: string; message: string }>, what: string): void {
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid ${what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
}

/** The licence as entered, normalised: number upper case, each subject trimmed (in the order given). */
export function normaliseLicence(input: LicenceInput): LicenceInput {
  return {
    number: input.number.normalize('NFKC').trim().toUpperCase(),
    subjects: input.subjects.map((s) => s.normalize('NFKC').trim()),
    surgeryLevel: input.surgeryLevel,
  };
}

/** Checks a licence for the institution's kind and returns it as stored (400 naming each bad field). */
export function checkedLicence(kind: InstitutionProfile['kind'], input: LicenceInput): Licence {
  const l = normaliseLicence(input);
  const problems = licenceProblems(kind, l);
  refuseIf(
    problems.filter((p) => !p.byKind),
    'licence',
  );
  const byKind = problems.find((p) => p.byKind);
  if (byKind) {
    throw new RuleViolationError(byKind.message, 'surgery_level_by_kind', {
      kind,
      maxSurgeryLevel: MAX_SURGERY_LEVEL[kind],
      errors: [{ path: byKind.path, message: byKind.message }],
    });
  }
  return {
    number: l.number,
    subjects: l.subjects as Subject[],
    surgeryLevel: l.surgeryLevel as SurgeryLevel | null,
  };
}

const licenceView = (l: Licence | null | undefined) =>
  l ? { licenceNumber: l.number, subjects: [...l.subjects], surgeryLevel: l.surgeryLevel } : null;

/** Physicians whose subject the new licence no longer lists would be left unlicensed: refused. */
function orphanedPhysicians(p: InstitutionProfile, licence: Licence): Physician[] {
  return (p.physicians ?? []).filter((d) => !licence.subjects.includes(d.subject));
}

export async function putLicence(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: LicenceInput,
): Promise<InstitutionProfile> {
  const current = await mustGetProfile(deps, uscc);
  requireScope('putV1AdminInstitutionsByUsccLicence', actor, { institution: current });
  const licence = checkedLicence(current.kind, input);
  let before: Licence | null = null;
  const saved = await updateProfile(deps, uscc, (p) => {
    before = p.licence ?? null;
    const orphans = orphanedPhysicians(p, licence);
    if (orphans.length > 0) {
      throw new ConflictError(
        `subjects: attending physicians ${orphans.map((d) => `${d.name} (${d.subject})`).join(', ')} are registered for a subject the licence would no longer list; remove them first`,
      );
    }
    return sameData(p.licence ?? null, licence) ? null : { ...p, licence };
  });
  if (sameData(before, licence)) return saved;
  const at = saved.updatedAt;
  // The profile version the change produced names the event and the entry: a retry adds neither again.
  await appendEvent(deps, {
    key: `licence_changed:${uscc}:v${saved.version}`,
    type: 'licence_changed',
    uscc,
    district: saved.district,
    occurredAt: at,
    before: licenceView(before),
    after: licenceView(licence),
  });
  await recordAudit(deps, {
    id: `licence.put:${uscc}:v${saved.version}`,
    uscc,
    at,
    actor,
    action: 'licence.put',
    before,
    after: licence,
  });
  return saved;
}

export async function putLocation(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: GeoPoint,
): Promise<InstitutionProfile> {
  const current = await mustGetProfile(deps, uscc);
  requireScope('putV1AdminInstitutionsByUsccLocation', actor, { institution: current });
  refuseIf(pointProblems(input), 'location');
  const location = { lat: roundCoordinate(input.lat), lng: roundCoordinate(input.lng) };
  const before = current.location ?? null;
  const saved = await updateProfile(deps, uscc, (p) =>
    p.location?.lat === location.lat &&
    // Stryker disable next-line OptionalChaining: without a location the latitude test is already false, so the longitude is never read
    p.location?.lng === location.lng
      ? null
      : { ...p, location },
  );
  if (saved.version !== current.version) {
    await recordAudit(deps, {
      id: `location.put:${uscc}:v${saved.version}`,
      uscc,
      at: shanghaiIso(deps.clock.now()),
      actor,
      action: 'location.put',
      before,
      after: location,
    });
  }
  return saved;
}

export interface PhysicianInput {
  name: string;
  subject: string;
  certificateNo: string;
  since: string;
}

export function normalisePhysician(input: PhysicianInput): PhysicianInput {
  return {
    name: input.name.normalize('NFKC').trim(),
    subject: input.subject.normalize('NFKC').trim(),
    certificateNo: input.certificateNo.normalize('NFKC').trim().toUpperCase(),
    since: input.since,
  };
}

/** Registers an attending physician; the same certificate twice at one institution is 409. */
export async function addPhysician(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: PhysicianInput,
): Promise<InstitutionProfile> {
  const current = await mustGetProfile(deps, uscc);
  requireScope('postV1AdminInstitutionsByUsccPhysicians', actor, { institution: current });
  const d = normalisePhysician(input);
  refuseIf(physicianProblems(d, current.licence?.subjects ?? [], deps.clock.today()), 'physician');
  const physician: Physician = {
    name: d.name,
    subject: d.subject as Subject,
    certificateNo: d.certificateNo,
    since: d.since,
  };
  const saved = await updateProfile(deps, uscc, (p) => {
    // Stryker disable next-line ArrayDeclaration: an element that is not a physician has no certificate, so it is never found
    const held = (p.physicians ?? []).find((x) => x.certificateNo === physician.certificateNo);
    if (held && sameData(held, physician)) return null;
    if (held)
      throw new ConflictError(
        `certificateNo: ${physician.certificateNo} is already registered here (${held.name})`,
      );
    return { ...p, physicians: [...(p.physicians ?? []), physician] };
  });
  await recordAudit(deps, {
    id: `physician.add:${uscc}:${physician.certificateNo}:v${saved.version}`,
    uscc,
    at: saved.updatedAt,
    actor,
    action: 'physician.add',
    before: null,
    after: physician,
  });
  return saved;
}

export async function removePhysician(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  certificateNo: string,
): Promise<InstitutionProfile> {
  const current = await mustGetProfile(deps, uscc);
  requireScope('deleteV1AdminInstitutionsByUsccPhysiciansByCertificateNo', actor, { institution: current });
  const number = certificateNo.normalize('NFKC').trim().toUpperCase();
  let removed: Physician | undefined;
  const saved = await updateProfile(deps, uscc, (p) => {
    // Stryker disable next-line ArrayDeclaration: an element that is not a physician has no certificate, so it is never found
    removed = (p.physicians ?? []).find((x) => x.certificateNo === number);
    if (!removed) throw new NotFoundError(`no attending physician with certificate ${number} at ${uscc}`);
    // Stryker disable next-line ArrayDeclaration: reached only when the physician was found, so the list is there
    return { ...p, physicians: (p.physicians ?? []).filter((x) => x.certificateNo !== number) };
  });
  await recordAudit(deps, {
    id: `physician.remove:${uscc}:${number}:v${saved.version}`,
    uscc,
    at: saved.updatedAt,
    actor,
    action: 'physician.remove',
    before: removed ?? null,
    after: null,
  });
  return saved;
}
