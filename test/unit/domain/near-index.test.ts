import { describe, expect, it } from 'vitest';
import { distanceMetres, METRES_PER_DEGREE } from '#shared/domain/geo.ts';
import { NearIndex, type NearKey } from '#shared/domain/near-index.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { profileFixture } from '../../support/profiles.ts';

const CENTRE = { lat: 30.2741, lng: 120.1551 };

/** A row `metres` due north of the centre (so its distance is known exactly). */
function northOf(metres: number, extra: Partial<Parameters<typeof profileFixture>[0]> = {}): RegisterRow {
  return registerRowOf(
    profileFixture({ location: { lat: CENTRE.lat + metres / METRES_PER_DEGREE, lng: CENTRE.lng }, ...extra }),
  );
}

const all = () => true;

describe('NearIndex', () => {
  it('orders by distance and keeps only what lies within the radius, edge included', () => {
    const index = new NearIndex();
    const rows = [northOf(2500), northOf(100), northOf(3000), northOf(3001), northOf(1200)];
    for (const r of rows) index.upsert(r);
    index.upsert(registerRowOf(profileFixture({ location: null })));
    const page = index.near({ centre: CENTRE, radius: 3000, keep: all, limit: 10, after: null });
    expect(page.hits.map((h) => Math.round(h.distance))).toEqual([100, 1200, 2500, 3000]);
    expect(page.next).toBeNull();
    expect(index.size).toBe(5);
  });

  it('pages by (distance, uscc) so every match appears once, ties included', () => {
    const index = new NearIndex();
    const rows = Array.from({ length: 23 }, (_, i) => northOf(100 * (i % 7)));
    for (const r of rows) index.upsert(r);
    const seen: string[] = [];
    let after: NearKey | null = null;
    do {
      const page = index.near({ centre: CENTRE, radius: 5000, keep: all, limit: 5, after });
      seen.push(...page.hits.map((h) => h.row.uscc));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const distances = seen.map((u) => {
      const row = rows.find((r) => r.uscc === u) as RegisterRow;
      return distanceMetres(CENTRE, row.location as { lat: number; lng: number });
    });
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('finds rows in every direction across cell edges, and follows a moved or removed location', () => {
    const index = new NearIndex();
    const east = registerRowOf(profileFixture({ location: { lat: CENTRE.lat, lng: CENTRE.lng + 0.03 } }));
    const south = northOf(-2000);
    index.upsert(east);
    index.upsert(south);
    const within = (radius: number) =>
      index.near({ centre: CENTRE, radius, keep: all, limit: 10, after: null }).hits.map((h) => h.row.uscc);
    expect(within(3000)).toEqual([south.uscc, east.uscc]);
    index.upsert({ ...south, location: { lat: CENTRE.lat + 0.5, lng: CENTRE.lng } });
    expect(within(3000)).toEqual([east.uscc]);
    index.upsert({ ...east, location: null });
    expect(within(3000)).toEqual([]);
    expect(within(60_000)).toEqual([south.uscc]);
  });

  it('applies the filter and counts only rows in the cells the circle overlaps', () => {
    const index = new NearIndex();
    const near = northOf(500, { kind: 'hospital' });
    index.upsert(near);
    index.upsert(northOf(600, { kind: 'clinic' }));
    for (let i = 0; i < 50; i++) index.upsert(northOf(40_000 + i));
    const page = index.near({
      centre: CENTRE,
      radius: 3000,
      keep: (r) => r.kind === 'hospital',
      limit: 10,
      after: null,
    });
    expect(page.hits.map((h) => h.row.uscc)).toEqual([near.uscc]);
    expect(page.examined).toBe(2);
  });
});

describe('NearIndex, as rows move', () => {
  it('counts each placed institution once, wherever it moves, and forgets one that loses its place', () => {
    const index = new NearIndex();
    const row = northOf(100);
    index.upsert(row);
    index.upsert(row);
    expect(index.size).toBe(1);
    index.upsert({ ...row, location: { lat: CENTRE.lat + 1, lng: CENTRE.lng } });
    expect(index.size).toBe(1);
    expect(index.near({ centre: CENTRE, radius: 3000, keep: all, limit: 5, after: null }).examined).toBe(0);
    index.upsert({ ...row, location: null });
    expect(index.size).toBe(0);
    index.upsert({ ...row, location: null });
    expect(index.size).toBe(0);
  });

  it('finds a row east of a centre far north, where a degree of longitude is short', () => {
    const index = new NearIndex();
    const centre = { lat: 53.3, lng: 122.5 };
    const east = { ...northOf(0), location: { lat: 53.3, lng: 122.5 + 0.15 } };
    index.upsert(east);
    const page = index.near({ centre, radius: 11_000, keep: all, limit: 5, after: null });
    expect(page.hits.map((h) => h.row.uscc)).toEqual([east.uscc]);
    expect(page.hits[0]?.distance).toBeGreaterThan(9_900);
  });
});

describe('NearIndex, paging and looking only where the circle lies', () => {
  it('orders ties by uscc and pages with exactly the limit, the next key being the last shown', () => {
    const index = new NearIndex();
    const rows = [northOf(500), northOf(500), northOf(500), northOf(200)];
    for (const r of rows) index.upsert(r);
    const tied = rows
      .slice(0, 3)
      .map((r) => r.uscc)
      .sort();
    const first = index.near({ centre: CENTRE, radius: 3000, keep: all, limit: 2, after: null });
    expect(first.hits.map((h) => h.row.uscc)).toEqual([rows[3]?.uscc, tied[0]]);
    expect(first.next).toEqual(first.hits[1]?.key);
    const rest = index.near({ centre: CENTRE, radius: 3000, keep: all, limit: 2, after: first.next });
    expect(rest.hits.map((h) => h.row.uscc)).toEqual([tied[1], tied[2]]);
    expect(rest.next).toBeNull();
  });

  it('never measures a row in a cell east or west of the circle', () => {
    const index = new NearIndex();
    for (const dLng of [0.3, -0.3, 0.6, -0.6]) {
      index.upsert(registerRowOf(profileFixture({ location: { lat: CENTRE.lat, lng: CENTRE.lng + dLng } })));
    }
    index.upsert(northOf(1000));
    const page = index.near({ centre: CENTRE, radius: 3000, keep: all, limit: 10, after: null });
    expect(page.hits).toHaveLength(1);
    expect(page.examined).toBe(1);
  });
});
