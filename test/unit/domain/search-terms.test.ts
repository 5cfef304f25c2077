import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRank, normaliseText, planQuery } from '#shared/domain/search-query.ts';
import { searchableTexts, searchTerms } from '#shared/domain/search-terms.ts';

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

  it('indexes, for every substring of a name, the partition its query plan reads', () => {
    const han = fc.constantFrom(...'西湖悦颜医疗美容诊所滨江素妍门诊部拱墅初禾'.split(''));
    fc.assert(
      fc.property(fc.array(han, { minLength: 2, maxLength: 12 }), fc.nat(), fc.nat(), (chars, a, b) => {
        const name = chars.join('');
        const start = a % chars.length;
        const end = start + 1 + (b % (chars.length - start));
        const plan = planQuery(chars.slice(start, end).join(''))!;
        const grams = new Set(searchTerms(name, []).map((t) => `${t.space}:${t.gram}`));
        return grams.has(`${plan.space}:${plan.gram}`);
      }),
    );
  });

  it('puts a name starting with the gram in bucket 0', () => {
    const terms = searchTerms('悦颜诊所', []);
    expect(terms.find((t) => t.space === 'c' && t.gram === '悦颜')?.bucket).toBe(0);
    expect(terms.find((t) => t.space === 'c' && t.gram === '诊所')?.bucket).toBe(1);
    expect(terms.find((t) => t.space === 'p' && t.gram === 'yu')?.bucket).toBe(0);
    expect(terms.find((t) => t.space === 'p' && t.gram === 'yy')?.bucket).toBe(0);
  });
});
