import { distanceMetres, type GeoPoint, METRES_PER_DEGREE } from './geo.ts';
import type { RegisterRow } from './register-row.ts';

/**
 * The placed institutions of the in-memory register on a grid of cells CELL_DEGREES on a side
 * (≈ 2.2 km north–south, ≈ 1.9 km east–west at Hangzhou), so a near-me query looks only at the cells
 * its circle overlaps: 9–16 cells at the default 3 km, a few thousand at the 50 km maximum.
 */

/** Grid step in degrees: cells a little smaller than the default radius. */
export const CELL_DEGREES = 0.02;
const PER_DEGREE = 1 / CELL_DEGREES;
/** Longitude cells per latitude row in the packed cell key (360° / step, rounded up). */
const ROW_WIDTH = 360 * PER_DEGREE + 1;

const cellKey = (i: number, j: number) => i * ROW_WIDTH + j;
const rowOf = (lat: number) => Math.floor((lat + 90) * PER_DEGREE);
const columnOf = (lng: number) => Math.floor((lng + 180) * PER_DEGREE);

/** Position of a near-me match in its total order: distance, then uscc. */
export type NearKey = [distance: number, uscc: string];

export interface NearHit {
  row: RegisterRow;
  /** Metres from the centre. */
  distance: number;
  key: NearKey;
}

export class NearIndex {
  private readonly cells = new Map<number, Map<string, RegisterRow>>();
  private readonly placed = new Map<string, number>();

  get size(): number {
    return this.placed.size;
  }

  /** Holds the row in the cell of its location (or drops it when it has none). */
  upsert(row: RegisterRow): void {
    const held = this.placed.get(row.uscc);
    if (held !== undefined) {
      this.cells.get(held)?.delete(row.uscc);
      this.placed.delete(row.uscc);
    }
    if (!row.location) return;
    const key = cellKey(rowOf(row.location.lat), columnOf(row.location.lng));
    let cell = this.cells.get(key);
    if (!cell) {
      cell = new Map();
      this.cells.set(key, cell);
    }
    cell.set(row.uscc, row);
    this.placed.set(row.uscc, key);
  }

  /**
   * One page of the rows within `radius` metres of `centre` that `keep` accepts, nearest first, after
   * `after` (the previous page's last key). `examined` counts the rows whose distance was computed.
   */
  near(args: {
    centre: GeoPoint;
    radius: number;
    keep: (row: RegisterRow) => boolean;
    limit: number;
    after: NearKey | null;
  }): { hits: NearHit[]; next: NearKey | null; examined: number } {
    const { centre, radius, after, limit } = args;
    const dLat = radius / METRES_PER_DEGREE;
    // The widest longitude span of the circle is at its pole-ward edge.
    const edge = Math.min(89, Math.abs(centre.lat) + dLat);
    const dLng = Math.min(180, radius / (METRES_PER_DEGREE * Math.cos((edge * Math.PI) / 180)));
    // The best `limit + 1` after the cursor, kept sorted: never a sort of every row in the circle.
    const best: NearHit[] = [];
    let examined = 0;
    for (let i = rowOf(centre.lat - dLat); i <= rowOf(centre.lat + dLat); i++) {
      for (let j = columnOf(centre.lng - dLng); j <= columnOf(centre.lng + dLng); j++) {
        const cell = this.cells.get(cellKey(i, j));
        if (!cell) continue;
        for (const row of cell.values()) {
          examined++;
          const distance = distanceMetres(centre, row.location as GeoPoint);
          if (distance > radius) continue;
          if (after && compareNear(distance, row.uscc, after) <= 0) continue;
          const worst = best[limit];
          if (worst && compareNear(distance, row.uscc, worst.key) >= 0) continue;
          if (!args.keep(row)) continue;
          let lo = 0;
          let hi = best.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (compareNear(distance, row.uscc, (best[mid] as NearHit).key) > 0) lo = mid + 1;
            else hi = mid;
          }
          best.splice(lo, 0, { row, distance, key: [distance, row.uscc] });
          if (best.length > limit + 1) best.pop();
        }
      }
    }
    const hits = best.slice(0, limit);
    const more = best.length > limit;
    return { hits, next: more ? ((hits[hits.length - 1] as NearHit).key ?? null) : null, examined };
  }
}

function compareNear(distance: number, uscc: string, key: NearKey): number {
  return distance - key[0] || (uscc < key[1] ? -1 : uscc > key[1] ? 1 : 0);
}
