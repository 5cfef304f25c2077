import { describe, expect, it } from 'vitest';
import {
  distanceMetres,
  outOfChina,
  pointProblems,
  roundCoordinate,
  wgs84ToGcj02,
} from '#shared/domain/geo.ts';

/** Reference points of the published algorithm (eviltransform's own test vectors): WGS-84 → GCJ-02. */
const REFERENCE = [
  { place: 'Shanghai', wgs: [31.1774276, 121.5272106], gcj: [31.17530398364597, 121.531541859215] },
  { place: 'Shenzhen', wgs: [22.543847, 113.912316], gcj: [22.540796131694766, 113.9171764808363] },
  { place: 'Beijing', wgs: [39.911954, 116.377817], gcj: [39.91334545536069, 116.38404722455657] },
] as const;

describe('WGS-84 → GCJ-02', () => {
  it.each(REFERENCE)('matches the reference point in $place', ({ wgs, gcj }) => {
    const out = wgs84ToGcj02(wgs[0], wgs[1]);
    expect(out.lat).toBeCloseTo(gcj[0], 9);
    expect(out.lng).toBeCloseTo(gcj[1], 9);
  });

  it('moves a point in Hangzhou by a few hundred metres, as Chinese maps are offset', () => {
    const wgs = { lat: 30.2592, lng: 120.1302 };
    const shift = distanceMetres(wgs, wgs84ToGcj02(wgs.lat, wgs.lng));
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(700);
  });

  it('leaves points outside mainland China as they are', () => {
    expect(wgs84ToGcj02(51.5074, -0.1278)).toEqual({ lat: 51.5074, lng: -0.1278 });
    expect(outOfChina(51.5074, -0.1278)).toBe(true);
    expect(outOfChina(30.27, 120.15)).toBe(false);
  });
});

describe('distanceMetres', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { lat: 30.2741, lng: 120.1551 };
    const b = { lat: 30.2459, lng: 120.2108 };
    expect(distanceMetres(a, a)).toBe(0);
    expect(distanceMetres(a, b)).toBeCloseTo(distanceMetres(b, a), 6);
  });

  it('gives one degree of latitude as about 111.2 km and Shanghai–Beijing as about 1 068 km', () => {
    expect(distanceMetres({ lat: 30, lng: 120 }, { lat: 31, lng: 120 })).toBeCloseTo(111195, -1);
    const d = distanceMetres({ lat: 31.2304, lng: 121.4737 }, { lat: 39.9042, lng: 116.4074 });
    expect(d).toBeGreaterThan(1_060_000);
    expect(d).toBeLessThan(1_075_000);
  });
});

describe('pointProblems', () => {
  it('accepts a point in Hangzhou and names each bad coordinate', () => {
    expect(pointProblems({ lat: 30.27, lng: 120.15 })).toEqual([]);
    expect(pointProblems({ lat: 91, lng: 120 }).map((p) => p.path)).toEqual(['lat']);
    expect(pointProblems({ lat: 30, lng: Number.NaN }).map((p) => p.path)).toEqual(['lng']);
    expect(pointProblems({ lat: 51.5, lng: -0.12 })[0]?.message).toContain('mainland China');
  });
});

describe('the mainland box and the register’s checks at their edges', () => {
  it('counts the box’s own edges as inside mainland China', () => {
    for (const [lat, lng] of [
      [30, 72.004],
      [30, 137.8347],
      [0.8293, 120],
      [55.8271, 120],
    ] as const) {
      expect(outOfChina(lat, lng), `${lat},${lng}`).toBe(false);
    }
    for (const [lat, lng] of [
      [30, 72.0039],
      [30, 137.8348],
      [0.8292, 120],
      [55.8272, 120],
    ] as const) {
      expect(outOfChina(lat, lng), `${lat},${lng}`).toBe(true);
      expect(wgs84ToGcj02(lat, lng)).toEqual({ lat, lng });
    }
  });

  it('names each coordinate out of range with its message, under the field it was sent in', () => {
    const lat = { path: 'location.lat', message: 'latitude in degrees, −90 to 90' };
    const lng = { path: 'location.lng', message: 'longitude in degrees, −180 to 180' };
    expect(pointProblems({ lat: 90.1, lng: 180.1 }, 'location')).toEqual([lat, lng]);
    expect(pointProblems({ lat: -90.1, lng: -180.1 }, 'location')).toEqual([lat, lng]);
    expect(pointProblems({ lat: Number.POSITIVE_INFINITY, lng: Number.NaN }, 'location')).toEqual([lat, lng]);
    expect(pointProblems({ lat: 90, lng: 180 })).toEqual([
      {
        path: 'lat',
        message: 'GCJ-02 coordinates lie in mainland China (latitude 0.83–55.83, longitude 72.00–137.83)',
      },
    ]);
    expect(pointProblems({ lat: -90, lng: -180 }, 'location')).toEqual([
      {
        path: 'location.lat',
        message: 'GCJ-02 coordinates lie in mainland China (latitude 0.83–55.83, longitude 72.00–137.83)',
      },
    ]);
    expect(pointProblems({ lat: 30.27, lng: 200 })).toEqual([{ path: 'lng', message: lng.message }]);
  });

  it('keeps coordinates to 6 decimals', () => {
    expect(roundCoordinate(30.27412345)).toBe(30.274123);
    expect(roundCoordinate(120.1551005)).toBe(120.155101);
  });

  it('measures across longitude as the cosine of the latitude shrinks it', () => {
    const eastAt = (lat: number) => distanceMetres({ lat, lng: 120 }, { lat, lng: 121 });
    expect(eastAt(0)).toBeCloseTo(111195, -1);
    expect(eastAt(60)).toBeCloseTo(111195 / 2, -1);
    expect(distanceMetres({ lat: 30, lng: 120 }, { lat: 30, lng: 300 })).toBeCloseTo(
      Math.PI * 6371008.8 * (2 / 3),
      -2,
    );
  });
});
