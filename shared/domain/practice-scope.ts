import type { FieldProblem } from './errors.ts';
import type { Kind, LocalDate } from './types.ts';

/**
 * What an institution may do (DOMAIN.md "What the public needs beyond the grade"): the
 * medical-aesthetic subjects on its practice licence, the highest cosmetic-surgery level it may
 * perform, and its registered attending physicians. Pure: no I/O.
 */

/** The medical-aesthetic subjects (医疗美容科目) a practice licence may list. */
export const SUBJECTS = ['美容外科', '美容牙科', '美容皮肤科', '美容中医科'] as const;
export type Subject = (typeof SUBJECTS)[number];

/** The subject whose procedures are graded 一级–四级. */
export const SURGERY_SUBJECT: Subject = '美容外科';

export const SURGERY_LEVELS = [1, 2, 3, 4] as const;
export type SurgeryLevel = (typeof SURGERY_LEVELS)[number];

/**
 * The highest cosmetic-surgery level each kind may hold, from 《医疗美容项目分级管理目录》
 * (卫办医政发〔2009〕220号): level 1 in 医疗美容门诊部 and 诊所 with 美容外科; level 2 in 门诊部 that
 * also have an anaesthesia department; levels 3 and 4 in 医疗美容医院 (level 4 with anaesthesia and at
 * least 20 beds). The register does not hold departments or beds: the ceiling here is the kind's,
 * and the regulator entering a level vouches for the conditions below it (docs/practice-scope.md).
 */
export const MAX_SURGERY_LEVEL: Record<Kind, SurgeryLevel> = {
  clinic: 1,
  outpatient: 2,
  hospital: 4,
};

export const LEVEL_LABELS: Record<SurgeryLevel, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

/** The practice licence (医疗机构执业许可证) as the register keeps it. */
export interface Licence {
  /** 登记号, upper case. */
  number: string;
  subjects: Subject[];
  /** Highest cosmetic-surgery level; null without 美容外科. */
  surgeryLevel: SurgeryLevel | null;
}

/** An attending physician (主诊医师): only what a practising certificate shows publicly. */
export interface Physician {
  name: string;
  subject: Subject;
  /** 医师执业证书编码. */
  certificateNo: string;
  /** Registered as attending physician here since. */
  since: LocalDate;
}

/** 登记号: letters and digits (the form mixes the organisation code, area code and category code). */
export const LICENCE_NUMBER = /^[0-9A-Z]{10,30}$/;
/** 医师执业证书编码: digits (15 on current certificates), letters tolerated on older ones. */
export const CERTIFICATE_NUMBER = /^[0-9A-Z]{8,30}$/;
/** A person's name as on a certificate: Chinese characters, the middle dot of transliterated names, or Latin letters. */
export const PHYSICIAN_NAME = /^[\p{Script=Han}·•A-Za-z][\p{Script=Han}·•A-Za-z ]{0,29}$/u;

export const isSubject = (v: unknown): v is Subject =>
  typeof v === 'string' && (SUBJECTS as readonly string[]).includes(v);

/** A problem of a licence; `byKind` marks the level above what the kind may hold (a rule, not a typo). */
export type LicenceProblem = FieldProblem & { byKind?: true };

/** Problems of a licence for an institution of `kind`: each names its field. */
export function licenceProblems(
  kind: Kind,
  licence: { number: string; subjects: readonly string[]; surgeryLevel: number | null },
  at = '',
): LicenceProblem[] {
  const problems: LicenceProblem[] = [];
  const path = (f: string) => (at ? `${at}.${f}` : f);
  if (!LICENCE_NUMBER.test(licence.number)) {
    problems.push({
      path: path('number'),
      message: '登记号 must be 10–30 letters and digits (医疗机构执业许可证登记号)',
    });
  }
  const unknown = licence.subjects.filter((s) => !isSubject(s));
  if (unknown.length > 0) {
    problems.push({
      path: path('subjects'),
      message: `unknown subject ${unknown.map((u) => `“${u}”`).join(', ')}; allowed: ${SUBJECTS.join(' ')}`,
    });
  } else if (licence.subjects.length === 0) {
    problems.push({ path: path('subjects'), message: `at least one of ${SUBJECTS.join(' ')}` });
  } else if (new Set(licence.subjects).size !== licence.subjects.length) {
    problems.push({ path: path('subjects'), message: 'a subject is listed twice' });
  }
  problems.push(...levelProblems(kind, licence.subjects, licence.surgeryLevel, path('surgeryLevel')));
  return problems;
}

/** A level only with 美容外科, and never above what the kind may hold. */
function levelProblems(
  kind: Kind,
  subjects: readonly string[],
  level: number | null,
  path: string,
): LicenceProblem[] {
  const surgical = subjects.includes(SURGERY_SUBJECT);
  if (level === null) {
    return surgical
      ? [{ path, message: `美容外科 needs its highest level, 1–${MAX_SURGERY_LEVEL[kind]}` }]
      : [];
  }
  if (!(SURGERY_LEVELS as readonly number[]).includes(level)) {
    return [{ path, message: 'a level from 1 to 4 (一级–四级), or null' }];
  }
  if (!surgical) return [{ path, message: 'a surgery level needs the subject 美容外科' }];
  const max = MAX_SURGERY_LEVEL[kind];
  if (level > max) {
    return [
      {
        path,
        message: `${kind === 'outpatient' ? 'an' : 'a'} ${kind} may perform cosmetic surgery up to ${LEVEL_LABELS[max]} (level ${max}), not level ${level} (医疗美容项目分级管理目录)`,
        byKind: true,
      },
    ];
  }
  return [];
}

/** Problems of a physician for an institution licensed for `subjects`. */
export function physicianProblems(
  p: { name: string; subject: string; certificateNo: string; since: LocalDate },
  licensed: readonly Subject[],
  today: LocalDate,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!PHYSICIAN_NAME.test(p.name)) {
    problems.push({ path: 'name', message: 'a name of 1–30 Chinese or Latin letters (· allowed)' });
  }
  if (!isSubject(p.subject)) {
    problems.push({ path: 'subject', message: `one of ${SUBJECTS.join(' ')}` });
  } else if (!licensed.includes(p.subject)) {
    problems.push({
      path: 'subject',
      message: `the institution is not licensed for ${p.subject} (licensed: ${licensed.join(' ') || 'none entered'})`,
    });
  }
  if (!CERTIFICATE_NUMBER.test(p.certificateNo)) {
    problems.push({ path: 'certificateNo', message: '医师执业证书编码: 8–30 letters and digits' });
  }
  if (p.since > today) problems.push({ path: 'since', message: `must be today (${today}) or earlier` });
  return problems;
}
