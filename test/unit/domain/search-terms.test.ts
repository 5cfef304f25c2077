import { describe, expect, it } from 'vitest';
import { matchRank, normaliseText, planQuery } from '#shared/domain/search-query.ts';
import { characterPinyin, registerRowOf, searchableTexts } from '#shared/domain/search-terms.ts';
import { profileFixture } from '../../support/profiles.ts';

describe('search terms and query plans', () => {
  it('normalises full-width letters, case and spaces', () => {
    expect(normaliseText('  ＸＨ yy\u3000')).toBe('xhyy');
    expect(normaliseText('西湖 悦颜')).toBe('西湖悦颜');
  });

  it('plans pinyin queries in the pinyin space and others in the character space', () => {
    expect(planQuery('XiHu')).toEqual({ needle: 'xihu', space: 'p', gram: 'xi' });
    expect(planQuery('悦颜诊所')).toEqual({ needle: '悦颜诊所', space: 'c', gram: '悦颜' });
    expect(planQuery('   ')).toBeNull();
  });

  it('writes pinyin and initials for each name and alias', () => {
    const texts = searchableTexts('西湖悦颜', ['小悦']);
    expect(texts.pinyin).toEqual(['xihuyueyan', 'xiaoyue']);
    expect(texts.initials).toEqual(['xhyy', 'xy']);
  });

  it('ranks exact, then prefix, then substring', () => {
    const texts = ['悦颜医疗'];
    expect(matchRank('悦颜医疗', texts)).toBe(0);
    expect(matchRank('悦颜', texts)).toBe(1);
    expect(matchRank('医疗', texts)).toBe(2);
    expect(matchRank('诊所', texts)).toBe(3);
  });
});

describe('the texts an institution is found by', () => {
  it('normalises the name and aliases, keeping each distinct non-empty text once, name first', () => {
    expect(searchableTexts('ＡＢ 悦', ['ab悦', ' ', '悦颜'])).toEqual({
      chinese: ['ab悦', '悦颜'],
      pinyin: ['abyue', 'yueyan'],
      initials: ['ay', 'yy'],
    });
  });

  it('spells ü as v, as pinyin keyboards do', () => {
    expect(searchableTexts('绿', []).pinyin).toEqual(['lv']);
  });

  it('gives each character its pinyin, other characters standing for themselves', () => {
    expect(characterPinyin('悦颜诊所')).toBe('yue yan zhen suo');
    expect(characterPinyin('绿a颜1')).toBe('lv a yan 1');
    expect(characterPinyin('ab')).toBe('a b');
  });
});

describe('registerRowOf', () => {
  it('keeps the profile’s public state and its search texts, aligned character by character', () => {
    const profile = profileFixture({
      uscc: '91330106MA2CFXKQ1P',
      name: '悦颜诊所',
      aliases: ['小悦'],
      grade: 'B',
      score: 90,
      publishedOn: '2026-01-05',
      nextReviewDue: '2029-01-05',
      version: 4,
    });
    const row = registerRowOf(profile);
    expect(row).toMatchObject({
      uscc: '91330106MA2CFXKQ1P',
      name: '悦颜诊所',
      aliases: ['小悦'],
      kind: 'clinic',
      district: '西湖区',
      grade: 'B',
      score: 90,
      closed: false,
      closedOn: null,
      publishedOn: '2026-01-05',
      nextReviewDue: '2029-01-05',
      reviewOverdue: false,
      inPublicity: false,
      sortName: 'yueyanzhensuo',
      texts: ['悦颜诊所', '小悦'],
      pinyin: ['yue yan zhen suo', 'xiao yue'],
      v: 4,
    });
  });

  it('is in publicity while the profile has a publicity, and closed with the date it closed', () => {
    const profile = profileFixture({
      publicity: {
        resultId: 'r1',
        proposedGrade: 'A',
        score: 96,
        startOn: '2026-01-05',
        endOn: '2026-01-09',
      },
      closed: true,
      closedOn: '2026-02-01',
    });
    expect(registerRowOf(profile)).toMatchObject({ inPublicity: true, closed: true, closedOn: '2026-02-01' });
    const legacy = { ...profileFixture(), closedOn: undefined } as never;
    expect(registerRowOf(legacy).closedOn).toBeNull();
  });
  it('carries the licence, the place, the registration and the publicity a list filters and shows', () => {
    const profile = profileFixture({
      name: '悦颜诊所',
      licence: { number: 'PDY0012345X', subjects: ['美容外科', '美容皮肤科'], surgeryLevel: 1 },
      location: { lat: 30.2741, lng: 120.1551 },
      address: '杭州市西湖区文三路1号',
      registeredOn: '2024-03-01',
      physicians: [
        { name: '林晓雯', subject: '美容外科', certificateNo: '110330100012345', since: '2020-03-01' },
      ],
      publicity: {
        resultId: 'r1',
        proposedGrade: 'A',
        score: 96,
        startOn: '2026-01-05',
        endOn: '2026-01-09',
      },
    });
    expect(registerRowOf(profile)).toMatchObject({
      subjects: ['美容外科', '美容皮肤科'],
      surgeryLevel: 1,
      location: { lat: 30.2741, lng: 120.1551 },
      address: '杭州市西湖区文三路1号',
      registeredOn: '2024-03-01',
      publicity: { proposedGrade: 'A', startOn: '2026-01-05', endOn: '2026-01-09', resultId: 'r1' },
      texts: ['悦颜诊所', '林晓雯'],
      pinyin: ['yue yan zhen suo', 'lin xiao wen'],
    });
    const bare = registerRowOf(profileFixture({ licence: null, location: undefined }));
    expect(bare).toMatchObject({ subjects: [], surgeryLevel: null, location: null, publicity: null });
    const noLevel = registerRowOf(
      profileFixture({ licence: { number: 'PDY0012345X', subjects: ['美容牙科'], surgeryLevel: null } }),
    );
    expect(noLevel).toMatchObject({ subjects: ['美容牙科'], surgeryLevel: null });
  });
});
