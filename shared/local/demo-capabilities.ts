import { METRES_PER_DEGREE, roundCoordinate } from '../domain/geo.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import {
  type Licence,
  MAX_SURGERY_LEVEL,
  type Physician,
  SURGERY_SUBJECT,
  type Subject,
} from '../domain/practice-scope.ts';
import type { DistrictRule } from '../rulebook/schema.ts';

/**
 * The demo register's licences, attending physicians and coordinates: subjects and levels plausible
 * for each kind (hospitals mostly at level 3 or 4, clinics at 1 or without surgery), one to four
 * physicians of the licensed subjects, and a position spread around the district's seat (the
 * rulebook's `centre`). Drawn from their own stream per institution, so the rest of the demo register
 * is the same with or without them.
 */

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
  '欧阳',
];
const GIVEN = [
  '晓雯',
  '宁',
  '默',
  '思远',
  '嘉怡',
  '一鸣',
  '雨桐',
  '子涵',
  '文博',
  '静',
  '海峰',
  '佳琪',
  '立新',
  '梦瑶',
  '建华',
  '若曦',
];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function licenceFor(p: InstitutionProfile, random: Random): Licence {
  const subjects: Subject[] = [];
  const surgical = p.kind !== 'clinic' || random() < 0.55;
  if (surgical) subjects.push(SURGERY_SUBJECT);
  if (!surgical || random() < 0.7) subjects.push('美容皮肤科');
  if (p.kind !== 'clinic' && random() < 0.35) subjects.push('美容牙科');
  if (random() < 0.15) subjects.push('美容中医科');
  const max = MAX_SURGERY_LEVEL[p.kind];
  // Most hospitals hold level 3 or 4; an outpatient department without anaesthesia stays at 1.
  const level = surgical ? Math.max(1, max - (random() < 0.7 ? 0 : 1)) : null;
  const digits = p.uscc.slice(8, 17).replace(/[^0-9A-Z]/g, '0');
  return {
    number: `PDY${digits}${p.uscc.slice(2, 8)}17D${String(2100 + Math.floor(random() * 90))}`,
    subjects,
    surgeryLevel: level as Licence['surgeryLevel'],
  };
}

function physiciansFor(licence: Licence, registeredOn: string, random: Random, n: number): Physician[] {
  const count = 1 + Math.floor(random() * 4);
  return Array.from({ length: count }, (_, k) => ({
    name: `${pick(random, SURNAMES)}${pick(random, GIVEN)}`,
    subject: pick(random, licence.subjects),
    certificateNo: `1103301${String(n).padStart(6, '0')}${k}${Math.floor(random() * 10)}`,
    since: registeredOn,
  }));
}

/** A point around the district's seat: uniform over a disc of its spread. */
function placeIn(centre: NonNullable<DistrictRule['centre']>, random: Random) {
  const r = centre.spreadKm * 1000 * Math.sqrt(random());
  const a = 2 * Math.PI * random();
  const dLat = (r * Math.cos(a)) / METRES_PER_DEGREE;
  const dLng = (r * Math.sin(a)) / (METRES_PER_DEGREE * Math.cos((centre.lat * Math.PI) / 180));
  return { lat: roundCoordinate(centre.lat + dLat), lng: roundCoordinate(centre.lng + dLng) };
}

/** The profile with a demo licence, physicians and (where the district has a centre) a location. */
export function withDemoCapabilities(
  p: InstitutionProfile,
  n: number,
  districts: readonly DistrictRule[],
  random: Random,
): InstitutionProfile {
  const licence = licenceFor(p, random);
  const centre = districts.find((d) => d.name === p.district)?.centre;
  return {
    ...p,
    licence,
    physicians: physiciansFor(licence, p.registeredOn, random, n),
    location: centre ? placeIn(centre, random) : null,
  };
}
