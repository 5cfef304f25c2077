import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '#shared/http/csv.ts';

describe('csv cells', () => {
  it('quotes commas, quotes and line breaks so a CSV parser reads the value back intact', () => {
    const values = ['西湖区，悦颜医疗美容诊所', 'a,b', 'say "hi"', 'two\r\nlines', '（演示）'];
    const [row] = parse(csvRow(values)) as string[][];
    expect(row).toEqual(values);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+86')).toBe("'+86");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1')).toBe("'-1");
  });

  it('writes numbers and booleans as they are and null as an empty cell', () => {
    expect(csvRow([94.9, true, false, null, undefined])).toBe('94.9,true,false,,\r\n');
  });
});
