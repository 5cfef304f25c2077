import { afterEach, describe, expect, it } from 'vitest';
import { kindLabel, kindsInScope, rulesOf, scoredBy } from '#shared/domain/rules.ts';
import {
  DEFAULT_RULEBOOK_ID,
  districtNames,
  installRulebook,
  installRulebookFile,
  isDistrict,
  latestRules,
  revisionById,
  rulebook,
  rulesOn,
} from '#shared/rulebook/current.ts';
import { loadRulebookFile, RulebookError } from '#shared/rulebook/load.ts';

const hangzhou = rulebook();
const testcity = loadRulebookFile('test/fixtures/rulebooks/testcity.json');

afterEach(() => installRulebook(hangzhou));

describe('the running rulebook', () => {
  it('is Hangzhou’s unless a command names another', () => {
    expect(hangzhou.id).toBe(DEFAULT_RULEBOOK_ID);
    expect(installRulebookFile(undefined)).toBe(hangzhou);
    expect(installRulebookFile('')).toBe(hangzhou);
    expect(rulebook()).toBe(hangzhou);
  });

  it('is the one a command names, read and validated', () => {
    const ningbo = installRulebookFile('rulebooks/ningbo.json');
    expect(ningbo.id).toBe('ningbo');
    expect(rulebook()).toBe(ningbo);
    expect(districtNames()).toEqual(ningbo.districts.map((d) => d.name));
    expect(() => installRulebookFile('rulebooks/none.json')).toThrow(RulebookError);
    expect(rulebook()).toBe(ningbo);
  });
});

describe('revisions', () => {
  it('the newest revision is the last', () => {
    expect(latestRules(testcity).id).toBe('t-2');
    installRulebook(testcity);
    expect(latestRules().id).toBe('t-2');
  });

  it('a date falls under the latest revision in force on it, the first day included', () => {
    expect(rulesOn('2027-01-01', testcity).id).toBe('t-2');
    expect(rulesOn('2026-12-31', testcity).id).toBe('t-1');
    expect(rulesOn('2024-01-01', testcity).id).toBe('t-1');
    expect(rulesOn('2023-06-30', testcity).id).toBe('t-1');
    expect(rulesOn('2030-01-01', testcity).id).toBe('t-2');
  });

  it('finds a revision by its id, or none', () => {
    expect(revisionById('t-1', testcity)?.effectiveFrom).toBe('2024-01-01');
    expect(revisionById('t-3', testcity)).toBeUndefined();
  });

  it('grades a result by the revision it records, else by the one in force on its assessment date', () => {
    expect(rulesOf({ revision: 't-1', assessedOn: '2028-01-01' }, testcity).id).toBe('t-1');
    expect(rulesOf({ revision: 'gone', assessedOn: '2028-01-01' }, testcity).id).toBe('t-2');
    expect(rulesOf({ assessedOn: '2025-01-01' }, testcity).id).toBe('t-1');
  });
});

describe('districts and kinds', () => {
  it('names the rulebook’s districts in order and knows no other', () => {
    expect(districtNames(testcity)).toEqual(['甲区', '乙县', '丙市']);
    expect(isDistrict('乙县', testcity)).toBe(true);
    expect(isDistrict('上城区', testcity)).toBe(false);
    expect(isDistrict('上城区', hangzhou)).toBe(true);
    expect(isDistrict(undefined, hangzhou)).toBe(false);
    expect(isDistrict(330102, hangzhou)).toBe(false);
  });

  it('puts in scope only the kinds listed, labelled and scored as the rulebook says', () => {
    expect(kindsInScope(testcity)).toEqual(['hospital', 'clinic']);
    expect(kindLabel('clinic', testcity)).toBe('医疗美容诊所');
    expect(kindLabel('outpatient', testcity)).toBe('outpatient');
    expect(scoredBy('clinic', testcity)).toBe('city');
    expect(scoredBy('clinic', hangzhou)).toBe('district');
    expect(scoredBy('outpatient', testcity)).toBeNull();
  });
});
