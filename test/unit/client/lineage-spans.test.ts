// The lineage drawer's summary line per table, file and sheet: row count and
// range, contiguous or not, a row listed twice counted once.

import { describe, expect, it } from 'vitest';
import { sourceSpans, spanText } from '../../../client/lib/lineage.ts';

const row = (table: string, file_id: number, src_row: number, sheet: string | null = '名册') => ({
  table,
  table_label: table === 'participation' ? '居民参与' : '基本情况',
  batch_id: 1,
  file_id,
  file: `f${file_id}.xlsx`,
  path: `d/f${file_id}.xlsx`,
  sheet,
  src_row,
  org_unit: '140302002001',
  period: '2018Q2',
});

describe('lineage spans', () => {
  it('groups by table, file and sheet, in order, with count and range', () => {
    const rows = [row('participation', 1, 5), row('participation', 1, 3), row('participation', 1, 4), row('profile', 1, 3, '基本情况'), row('participation', 2, 10), row('participation', 2, 14), row('participation', 2, 14)];
    const s = sourceSpans(rows);
    expect(s.map((x) => [x.table, x.file, x.sheet, x.rows, x.first, x.last, x.contiguous])).toEqual([
      ['participation', 'f1.xlsx', '名册', 3, 3, 5, true],
      ['profile', 'f1.xlsx', '基本情况', 1, 3, 3, true],
      ['participation', 'f2.xlsx', '名册', 2, 10, 14, false],
    ]);
    expect(s.map((x) => spanText(x, 'zh'))).toEqual(['第 3–5 行，共 3 行', '第 3 行', '第 10–14 行之间的 2 行']);
    expect(spanText(s[0], 'en')).toBe('rows 3–5, 3 rows');
  });
});
