import { describe, expect, it } from 'vitest';
import type { Actor } from '#shared/domain/types.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { importedAssessmentId, validateRows } from '#shared/services/imports.ts';

const city: Actor = { subject: 'c', role: 'city' };
const xihu: Actor = { subject: 'd', role: 'district', district: '西湖区' };
const headers = ['uscc', 'name', 'kind', 'district', 'address', 'score', 'assessedOn', 'reason'];
const row = (n: number, cells: Record<string, string>) => ({
  row: n,
  cells: {
    uscc: makeUscc('91330106MA0000001'),
    name: '杭州测试医疗美容诊所',
    kind: 'clinic',
    district: '西湖区',
    address: '杭州市西湖区1号',
    ...cells,
  },
});

describe('validateRows', () => {
  it('parses a good row with Chinese kind labels, aliases and flags', () => {
    const { parsed, errors } = validateRows(
      ['统一社会信用代码', '机构名称', '类别', '所在区县', '地址', '别名', '抽脂手术'],
      [
        {
          row: 2,
          cells: {
            统一社会信用代码: makeUscc('91330106MA0000001'),
            机构名称: '杭州测试医疗美容门诊部',
            类别: '医疗美容门诊部',
            所在区县: '滨江区',
            地址: '杭州市滨江区1号',
            别名: '测试；测试门诊',
            抽脂手术: '是',
          },
        },
      ],
      city,
      '2026-11-23',
    );
    expect(errors).toEqual([]);
    expect(parsed[0]?.registration).toMatchObject({
      kind: 'outpatient',
      aliases: ['测试', '测试门诊'],
      services: { liposuction: true, generalAnesthesia: false },
    });
  });

  it('reports a missing required column once, on row 1', () => {
    const { errors } = validateRows(['uscc', 'name'], [], city, '2026-11-23');
    expect(errors.map((e) => e.column)).toEqual(['kind', 'district', 'address']);
    expect(errors.every((e) => e.row === 1)).toBe(true);
  });

  it('applies who may register and score each row', () => {
    const binjiang = row(2, { district: '滨江区' });
    const scored = row(3, { uscc: makeUscc('91330106MA0000002'), score: '90', assessedOn: '2026-11-01' });
    const { errors } = validateRows(headers, [binjiang, scored], xihu, '2026-11-23');
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: 'district' })]);
    const asCity = validateRows(headers, [scored], city, '2026-11-23');
    expect(asCity.errors).toEqual([expect.objectContaining({ row: 3, column: 'score' })]);
  });

  it('refuses future assessment dates and unknown reasons', () => {
    const { errors } = validateRows(
      headers,
      [row(2, { score: '80', assessedOn: '2026-12-01', reason: 'whim' })],
      xihu,
      '2026-11-23',
    );
    expect(errors.map((e) => e.column).sort()).toEqual(['assessedOn', 'reason']);
  });
});

describe('importedAssessmentId', () => {
  it('is the same for the same row and differs when the score differs', () => {
    const s = { score: 90, assessedOn: '2026-11-01', reason: 'initial' as const };
    expect(importedAssessmentId('X', s)).toBe(importedAssessmentId('X', { ...s }));
    expect(importedAssessmentId('X', s)).not.toBe(importedAssessmentId('X', { ...s, score: 90.1 }));
  });
});

describe('validateRows and stored text', () => {
  it('refuses control and bidirectional-override characters in name, address and aliases', () => {
    const { parsed, errors } = validateRows(
      [...headers, 'aliases'],
      [row(2, { name: '杭州\u202E测试医疗美容诊所', address: '杭州市\u0000西湖区', aliases: '别名\u2066' })],
      city,
      '2026-11-23',
    );
    expect(parsed).toEqual([]);
    expect(errors.map((e) => e.column).sort()).toEqual(['address', 'aliases', 'name']);
    expect(errors[0]?.message).toContain('U+');
  });
});
