/**
 * Coordinates on Chinese maps (GCJ-02) and distances between them. Browsers and GPS give WGS-84;
 * Chinese map services, and so the register, use GCJ-02, which is WGS-84 with a deliberate,
 * position-dependent offset of a few hundred metres. The offset follows the published algorithm
 * (the one eviltransform implements), tested against its reference points. Pure: no I/O.
 */

export interface GeoPoint {
  lat: number;
  lng: number;
}

// The Krasovsky 1940 ellipsoid the offset is defined on.
const A = 6378245.0;
const EE = 0.006693421622965943;

/** Outside this box the offset is not applied (GCJ-02 is defined for mainland China only). */
export function outOfChina(lat: number, lng: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** A WGS-84 position (a browser's) as GCJ-02 (a Chinese map's). */
export function wgs84ToGcj02(lat: number, lng: number): GeoPoint {
  if (outOfChina(lat, lng)) return { lat, lng };
  let dLat = offsetLat(lng - 105.0, lat - 35.0);
  let dLng = offsetLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: lat + dLat, lng: lng + dLng };
}

const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine on the mean Earth radius; the offset is irrelevant at this scale). */
export function distanceMetres(a: GeoPoint, b: GeoPoint): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres per degree of latitude (and of longitude at the equator) on the same sphere. */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

/** Coordinates are kept to 6 decimals (≈ 0.1 m): finer digits carry no information on a map. */
export function roundCoordinate(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Problems of a GCJ-02 point for the register: finite, and inside mainland China where GCJ-02 applies. */
export function pointProblems(
  p: { lat: number; lng: number },
  at = '',
): Array<{ path: string; message: string }> {
  const path = (f: string) => (at ? `${at}.${f}` : f);
  const problems: Array<{ path: string; message: string }> = [];
  if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) {
    problems.push({ path: path('lat'), message: 'latitude in degrees, −90 to 90' });
  }
  if (!Number.isFinite(p.lng) || p.lng < -180 || p.lng > 180) {
    problems.push({ path: path('lng'), message: 'longitude in degrees, −180 to 180' });
  }
  if (problems.length === 0 && outOfChina(p.lat, p.lng)) {
    problems.push({
      path: path('lat'),
      message: 'GCJ-02 coordinates lie in mainland China (latitude 0.83–55.83, longitude 72.00–137.83)',
    });
  }
  return problems;
}
