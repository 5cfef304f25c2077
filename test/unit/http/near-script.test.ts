import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '#shared/domain/geo.ts';
import { NEAR_SCRIPT } from '#shared/http/public/near-script.ts';

/** The page converts the browser's position itself: the same reference points as the server's conversion. */
describe('the 附近 button script', () => {
  const window: { yimeiToGcj02?: (lat: number, lng: number) => { lat: number; lng: number } } = {};
  runInNewContext(NEAR_SCRIPT, { window, Math });
  const toGcj = window.yimeiToGcj02 as NonNullable<typeof window.yimeiToGcj02>;

  it.each([
    [31.1774276, 121.5272106, 31.17530398364597, 121.531541859215],
    [22.543847, 113.912316, 22.540796131694766, 113.9171764808363],
    [39.911954, 116.377817, 39.91334545536069, 116.38404722455657],
  ])('converts WGS-84 %f,%f to the reference GCJ-02 point', (lat, lng, gLat, gLng) => {
    const out = toGcj(lat, lng);
    expect(out.lat).toBeCloseTo(gLat, 9);
    expect(out.lng).toBeCloseTo(gLng, 9);
  });

  it('agrees with the server’s conversion over the city and leaves foreign points alone', () => {
    for (let i = 0; i < 50; i++) {
      const lat = 29.2 + i * 0.025;
      const lng = 118.9 + i * 0.03;
      expect(toGcj(lat, lng)).toEqual(wgs84ToGcj02(lat, lng));
    }
    expect(toGcj(51.5, -0.12)).toEqual({ lat: 51.5, lng: -0.12 });
  });
});
