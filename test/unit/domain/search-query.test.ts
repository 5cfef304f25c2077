import { describe, expect, it } from 'vitest';
import { matchRank, planQuery } from '#shared/domain/search-query.ts';

describe('planQuery', () => {
  it('normalises full-width letters, case and spaces, and picks the pinyin space for Latin letters', () => {
    expect(planQuery('  ＸＩ hu ')).toEqual({ needle: 'xihu', space: 'p', gram: 'xi' });
  });

  it('spells ü as v, as the pinyin index does', () => {
    expect(planQuery('lü')).toEqual({ needle: 'lv', space: 'p', gram: 'lv' });
  });

  it('matches Chinese (and mixed) queries against characters, by their first two', () => {
    expect(planQuery('西湖悦颜')).toEqual({ needle: '西湖悦颜', space: 'c', gram: '西湖' });
    expect(planQuery('悦')).toEqual({ needle: '悦', space: 'c', gram: '悦' });
    expect(planQuery('ａ医')).toEqual({ needle: 'a医', space: 'c', gram: 'a医' });
  });

  it('has no plan for a query that is only spaces', () => {
    expect(planQuery(' \u3000 ')).toBeNull();
  });
});

describe('matchRank', () => {
  it('ranks exact before prefix before substring before no match', () => {
    expect(matchRank('悦颜', ['悦颜'])).toBe(0);
    expect(matchRank('悦颜', ['西湖悦颜', '悦颜医美'])).toBe(1);
    expect(matchRank('悦颜', ['西湖悦颜诊所'])).toBe(2);
    expect(matchRank('悦颜', ['西湖'])).toBe(3);
  });
});

describe('ü as v', () => {
  it('applies only to a query of Latin letters alone', () => {
    expect(planQuery('nü')?.needle).toBe('nv');
    expect(planQuery('ü医')?.needle).toBe('ü医');
    expect(planQuery('医lü')?.needle).toBe('医lü');
    expect(planQuery('lü医')?.needle).toBe('lü医');
  });
});
