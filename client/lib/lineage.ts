// The lineage drawer's summary: which rows of which file and sheet a number
// rests on, one line per (table, file, sheet), before the row-by-row list.

import type { SourceRow } from './api.ts';

export interface SourceSpan {
  table: string;
  table_label: string;
  file: string;
  path: string;
  sheet: string | null;
  rows: number;
  first: number;
  last: number;
  /** The rows are every row from first to last (none skipped between). */
  contiguous: boolean;
}

/** Rows grouped by table, file and sheet (in the order they come), with their count and row range. */
export function sourceSpans(rows: (SourceRow & { table_label: string })[]): SourceSpan[] {
  const out = new Map<string, SourceSpan & { seen: Set<number> }>();
  for (const r of rows) {
    const key = `${r.table}\u0000${r.file_id}\u0000${r.sheet ?? ''}`;
    let s = out.get(key);
    if (!s) {
      s = { table: r.table, table_label: r.table_label, file: r.file, path: r.path, sheet: r.sheet, rows: 0, first: r.src_row, last: r.src_row, contiguous: true, seen: new Set() };
      out.set(key, s);
    }
    if (s.seen.has(r.src_row)) continue;
    s.seen.add(r.src_row);
    s.rows++;
    s.first = Math.min(s.first, r.src_row);
    s.last = Math.max(s.last, r.src_row);
  }
  return [...out.values()].map(({ seen: _, ...s }) => ({ ...s, contiguous: s.last - s.first + 1 === s.rows }));
}

/** "第 3–2338 行，共 2,336 行" (or "rows 3–2338, 2,336 rows"); one row: "第 5 行". */
export function spanText(s: SourceSpan, lang: 'zh' | 'en'): string {
  const n = s.rows.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  if (s.rows === 1) return lang === 'zh' ? `第 ${s.first} 行` : `row ${s.first}`;
  if (s.contiguous) return lang === 'zh' ? `第 ${s.first}–${s.last} 行，共 ${n} 行` : `rows ${s.first}–${s.last}, ${n} rows`;
  return lang === 'zh' ? `第 ${s.first}–${s.last} 行之间的 ${n} 行` : `${n} rows between rows ${s.first} and ${s.last}`;
}
