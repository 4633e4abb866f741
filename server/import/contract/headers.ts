// Header handling: normalising header text as the contract says (trim,
// full-width to half-width, no spaces, no trailing unit in brackets, Latin
// case-insensitive), recognising which table a sheet or file name holds,
// finding the header row under title rows, and mapping columns to fields.

import { type FieldDef, TABLES, type TableDef } from './tables.ts';

/** Full-width ASCII (U+FF01..U+FF5E) and the ideographic space to half-width. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

/** A trailing unit in brackets: (人), （平方米）, (㎡), (小时), [元]... */
const TRAILING_UNIT = /[([（【][^()（）[\]【】]{1,6}[)\]）】]$/;

export function normalizeHeader(raw: string): string {
  let s = toHalfWidth(raw).replace(/\s+/g, '').toLowerCase();
  // Strip a trailing unit only when something is left: `村(社区)名称` keeps its
  // inner bracket, `面积(㎡)` loses its unit.
  for (;;) {
    const m = TRAILING_UNIT.exec(s);
    if (!m || m.index === 0) break;
    s = s.slice(0, m.index);
  }
  return s.replace(/[（]/g, '(').replace(/[）]/g, ')').replace(/[*＊]/g, '');
}

/** Table named by a sheet or file name (longest contained name wins). */
export function recogniseTable(name: string): TableDef | undefined {
  const n = normalizeHeader(name.replace(/\.[a-z0-9]+$/i, ''));
  let best: { t: TableDef; len: number } | undefined;
  for (const t of TABLES) {
    for (const alias of t.names) {
      const a = normalizeHeader(alias);
      if (n.includes(a) && (!best || a.length > best.len)) best = { t, len: a.length };
    }
  }
  return best?.t;
}

export interface ColumnMap {
  /** Column index -> field. */
  fields: Map<number, FieldDef>;
  /** Column index -> header as written. */
  headers: Map<number, string>;
  /** Headers matching no field (a warning, not an error). */
  unknown: { col: number; header: string }[];
  /** Required fields with no column. */
  missing: FieldDef[];
}

const ROW_NUMBER_HEADERS = new Set(['序号', '编号序号', 'no', 'no.', '#']);

/** A row-number column header (`序号`): the column is ignored. */
export function isRowNumberHeader(cell: string | null | undefined): boolean {
  return cell != null && ROW_NUMBER_HEADERS.has(normalizeHeader(cell));
}

/** Synonym index per table: normalised header -> field. First synonym wins on clash. */
const synonymIndex = new Map<TableDef, Map<string, FieldDef>>(
  TABLES.map((t) => {
    const idx = new Map<string, FieldDef>();
    for (const f of t.fields) idx.set(normalizeHeader(f.name), f);
    for (const f of t.fields) for (const h of f.headers) if (!idx.has(normalizeHeader(h))) idx.set(normalizeHeader(h), f);
    // A yes/no synonym also reads as a question (骨干 -> 是否骨干), where no
    // synonym already claims it. Not the other way round: 品牌 alone may be a
    // brand's name rather than a yes/no.
    for (const f of t.fields) {
      if (f.kind !== 'bool') continue;
      for (const h of f.headers.map(normalizeHeader)) if (!h.startsWith('是否') && !idx.has(`是否${h}`)) idx.set(`是否${h}`, f);
    }
    return [t, idx];
  }),
);

export function mapColumns(t: TableDef, headerRow: (string | null)[]): ColumnMap {
  const idx = synonymIndex.get(t)!;
  const fields = new Map<number, FieldDef>();
  const headers = new Map<number, string>();
  const unknown: ColumnMap['unknown'] = [];
  const taken = new Set<string>();
  headerRow.forEach((cell, col) => {
    if (cell == null || cell.trim() === '') return;
    const key = normalizeHeader(cell);
    headers.set(col, cell.trim());
    if (ROW_NUMBER_HEADERS.has(key)) return;
    const f = idx.get(key);
    if (f && !taken.has(f.name)) {
      fields.set(col, f);
      taken.add(f.name);
    } else unknown.push({ col, header: cell.trim() });
  });
  const missing = t.fields.filter((f) => f.required && !taken.has(f.name));
  return { fields, headers, unknown, missing };
}

/**
 * The header row is the first row (among the first 30) that maps the most
 * fields, with at least two, or one when the table has a single required field.
 * Returns the 0-based row index, or -1.
 */
export function findHeaderRow(t: TableDef, rows: (string | null)[][], scan = 30): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(rows.length, scan); i++) {
    const row = rows[i];
    if (!row || row.every((c) => c == null)) continue;
    const filled = row.filter((c) => c != null && c.trim() !== '').length;
    if (filled < 2) continue; // a title row is one merged cell
    const m = mapColumns(t, row);
    const score = m.fields.size;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return bestScore >= 2 ? best : -1;
}

/** Row kinds the contract says to skip. */
export function skipKind(row: (string | null)[]): 'blank' | 'notes' | 'summary' | null {
  const filled = row.filter((c) => c != null && c.trim() !== '');
  if (filled.length === 0) return 'blank';
  const first = (filled[0] as string).trim();
  if (/^(合计|总计|小计)/.test(first)) return 'summary';
  if (filled.length === 1 && /^(说明|填表说明|注|备注)/.test(first)) return 'notes';
  return null;
}
