import { describe, expect, it } from 'vitest';
import { type IndustryRating, latestRating, ratingsOf } from '#shared/domain/model.ts';

const rating = (ratedBy: string, ratedOn: string): IndustryRating => ({
  level: '5A',
  ratedOn,
  ratedBy,
  validUntil: null,
});

describe('the industry ratings of an institution', () => {
  const caps = rating('中国整形美容协会', '2021-05-10');
  const local = rating('浙江省医学美容协会', '2023-03-01');

  it('are every association’s, side by side, or the one rating an older item holds', () => {
    expect(ratingsOf({ industryRating: local, industryRatings: [caps, local] })).toEqual([caps, local]);
    expect(ratingsOf({ industryRating: null, industryRatings: [] })).toEqual([]);
    expect(ratingsOf({ industryRating: caps })).toEqual([caps]);
    expect(ratingsOf({ industryRating: null })).toEqual([]);
  });

  it('show first the most recently dated, the later recorded on the same day', () => {
    expect(latestRating([])).toBeNull();
    expect(latestRating([caps])).toBe(caps);
    expect(latestRating([local, caps])).toBe(local);
    expect(latestRating([caps, local])).toBe(local);
    const sameDay = rating('杭州市医学会', local.ratedOn);
    expect(latestRating([local, sameDay])).toBe(sameDay);
    expect(latestRating([sameDay, local])).toBe(local);
  });
});
