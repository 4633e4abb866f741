// Tests for the RFC 4180 parser: quoting, line ends, row numbering that
// matches Excel (blank lines and quoted newlines), trimming, formula cells,
// a fast-check round trip, and a printed (not asserted) throughput figure.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvToSheet, parseCsv } from '../../../server/import/read/csv.ts';

describe('parseCsv', () => {
  it('parses plain fields and turns empty cells into null', () => {
    expect(parseCsv('a,b,c\n1,,3\n,,\n', ',')).toEqual([
      ['a', 'b', 'c'],
      ['1', null, '3'],
      [null, null, null],
    ]);
  });

  it('handles quoted fields, doubled quotes and delimiters inside quotes', () => {
    expect(parseCsv('"a,b","say ""hi""",""\n"x"', ',')).toEqual([['a,b', 'say "hi"', null], ['x']]);
  });

  it('handles CRLF, LF and CR line ends', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6', ',')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('keeps Excel row numbering with newlines inside quotes', () => {
    const rows = parseCsv('名称,备注\n甲,"第一行\r\n第二行\n第三行"\n乙,普通\n', ',');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual(['甲', '第一行\r\n第二行\n第三行']);
    expect(rows[2]).toEqual(['乙', '普通']); // Excel row 3
  });

  it('keeps blank lines as empty records so numbering never shifts', () => {
    const rows = parseCsv('标题\n\n代码,名称\r\n\r\n1,甲\n   \n2,乙\n', ',');
    expect(rows).toEqual([['标题'], [], ['代码', '名称'], [], ['1', '甲'], [], ['2', '乙']]);
    expect(parseCsv('a\n\n', ',')).toEqual([['a'], []]);
    expect(parseCsv('\n\na', ',')).toEqual([[], [], ['a']]);
  });

  it('does not add a record for the final line break', () => {
    expect(parseCsv('a\n', ',')).toEqual([['a']]);
    expect(parseCsv('a', ',')).toEqual([['a']]);
    expect(parseCsv('', ',')).toEqual([]);
  });

  it('trims cells, keeps a trailing delimiter as an empty cell, ignores a BOM', () => {
    expect(parseCsv('\ufeff  a  , " b " ,c,\n', ',')).toEqual([['a', 'b', 'c', null]]);
  });

  it('is lenient like Excel with text after a closing quote and an unterminated quote', () => {
    expect(parseCsv('"ab"cd,e\n', ',')).toEqual([['abcd', 'e']]);
    expect(parseCsv('a,"open\nrest', ',')).toEqual([['a', 'open\nrest']]);
    expect(parseCsv('a"b,c', ',')).toEqual([['a"b', 'c']]);
  });

  it('works with tab and semicolon delimiters', () => {
    expect(parseCsv('a\tb\t\n"x\ty"\tz', '\t')).toEqual([
      ['a', 'b', null],
      ['x\ty', 'z'],
    ]);
    expect(parseCsv('a;b,c;"d;e"', ';')).toEqual([['a', 'b,c', 'd;e']]);
  });

  it('round-trips random tables (fast-check)', () => {
    const char = fc.oneof(
      fc.constantFrom(',', '"', '\n', '\r', '\r\n', ' ', ';', '\t', '=', '中', '社', '𠀀', 'a', '1'),
      fc.string({ maxLength: 3 }),
    );
    const cell = fc.oneof(
      fc.constant(null),
      fc
        .array(char, { maxLength: 8 })
        .map((parts) => parts.join('').trim())
        .filter((s) => s !== ''),
    );
    const row = fc.array(cell, { maxLength: 6 }).filter((r) => !(r.length === 1 && r[0] === null));
    const table = fc.array(row, { maxLength: 8 });
    const serialise = (rows: (string | null)[][], delim: string, eol: string, quoteAll: boolean): string =>
      rows
        .map((r) =>
          r
            .map((c) => {
              if (c === null) return '';
              const needs = quoteAll || /[",;\t\r\n]/.test(c) || c.startsWith(' ');
              return needs ? `"${c.replace(/"/g, '""')}"` : c;
            })
            .join(delim),
        )
        .map((line) => line + eol)
        .join('');
    fc.assert(
      fc.property(table, fc.constantFrom(',', '\t', ';'), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), (rows, d, eol, q) => {
        expect(parseCsv(serialise(rows, d, eol, q), d)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('is fast (throughput printed, not asserted)', () => {
    const line = '140302001003,盐海社区,"幸福路 1 号, 东区",2016-12-31,5230,12.5,是,"备注 ""引号"""\r\n';
    const text = line.repeat(Math.ceil((20 * 1024 * 1024) / line.length));
    const t0 = performance.now();
    const rows = parseCsv(text, ',');
    const s = (performance.now() - t0) / 1000;
    const mb = Buffer.byteLength(text) / 1024 / 1024;
    console.log(`parseCsv: ${mb.toFixed(1)} MB, ${rows.length} rows in ${s.toFixed(2)} s = ${(mb / s).toFixed(0)} MB/s`);
    expect(rows[rows.length - 1][7]).toBe('备注 "引号"');
  });
});

describe('csvToSheet', () => {
  it('records formula-like cells with Excel row numbers', () => {
    const sheet = csvToSheet('a,b\n\n=1+1,=\n" =HYPERLINK(""http://x"",""y"")",x\n', ',', '志愿者.csv');
    expect(sheet.name).toBe('志愿者.csv');
    expect(sheet.rows[2]).toEqual(['=1+1', '=']);
    expect(sheet.formulas).toEqual([
      { row: 3, col: 0, formula: '=1+1' },
      { row: 4, col: 0, formula: '=HYPERLINK("http://x","y")' },
    ]);
  });

  it('defaults the sheet name to empty', () => {
    expect(csvToSheet('a', ',')).toEqual({ name: '', rows: [['a']], formulas: [] });
  });
});
