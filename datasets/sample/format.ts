// Turns canonical rows into the headers and cells one community writes:
// header synonyms, enum spellings, date, boolean, number and period forms, all
// taken from the contract (tables.ts) and varied by the community's style.

import { type FieldDef, type TableDef, type TableName, tableDef } from '../../server/import/contract/tables.ts';
import { type DateStyle, dateText, periodText } from './dates.ts';
import type { Row, Value } from './rows.ts';
import type { ExportStyle } from './units.ts';

/** A cell for a writer: text, a number, or a date (xlsx date cell; text writers get it pre-formatted). */
export type Cell = string | number | { date: string } | null;

export interface Column {
  field: FieldDef;
  header: string;
}

export interface FormattedTable {
  table: TableDef;
  columns: Column[];
  rows: Cell[][];
}

const SCORE_WORDS = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'];
const BOOLS: [string, string][] = [['是', '否'], ['Y', 'N'], ['√', '']];

/** Fields a community leaves out (optional ones only), by style. */
function omitted(t: TableName, f: FieldDef, s: ExportStyle): boolean {
  if ((f.name === 'community_code' || f.name === 'report_period') && t !== 'profile') return !s.rowUnitColumns;
  if (f.name === 'phone') return s.variant % 2 === 1;
  if (f.name === 'civil_servant') return s.variant % 5 === 0;
  if (f.name === 'grid_informants') return s.variant % 7 === 3;
  if (f.name === 'name' && t === 'participation') return s.variant % 3 === 0;
  return false;
}

/** Choose a header per field: synonyms rotate with the variant, never one that another field of the table also accepts. */
export function chooseColumns(t: TableDef, s: ExportStyle, withUnits: boolean): Column[] {
  const cols: Column[] = [];
  t.fields.forEach((f, i) => {
    if (omitted(t.name, f, s)) return;
    const others = new Set(t.fields.filter((g) => g !== f).flatMap((g) => [g.name, ...g.headers]));
    const ok = f.headers.filter((h) => !others.has(h) && h !== '社区基本情况');
    const pool = ok.length ? ok : [f.name];
    let header = pool[(s.variant + i) % pool.length];
    if (withUnits && f.unit) header += f.unit === '㎡' ? (s.variant % 2 ? '（平方米）' : '(㎡)') : s.variant % 2 ? `(${f.unit})` : `（${f.unit}）`;
    cols.push({ field: f, header });
  });
  return cols;
}

function spell(f: FieldDef, canonical: string, variant: number): string {
  const xs = f.values?.[canonical];
  if (!xs) throw new Error(`no spelling for ${f.name}=${canonical}`);
  // Stay with the Chinese spellings (the English keys are accepted too, but communities do not write them).
  const zh = xs.filter((x) => /[^\x00-\x7f]/.test(x));
  return zh[variant % zh.length];
}

export interface CellOptions {
  style: ExportStyle;
  /** xlsx writers can hold numbers and date cells; text forms need strings. */
  typed: boolean;
  dateStyle: DateStyle;
}

function formatNumber(n: number, f: FieldDef, o: CellOptions): Cell {
  const v = o.style.variant;
  if (o.typed && o.style.form === 'xlsx') return n;
  if (f.kind === 'area' && v % 3 === 1) return `${n}${v % 2 ? '平方米' : '㎡'}`;
  if (n >= 1000 && v % 3 === 0) return n.toLocaleString('en-US');
  if (f.kind === 'count' && f.unit === '人' && v % 5 === 2) return `${n}人`;
  return String(n);
}

export function formatCell(f: FieldDef, header: string, value: Value, o: CellOptions): Cell {
  if (value === null || value === undefined) return f.kind === 'bool' && o.style.boolStyle === 0 ? '否' : null;
  const v = o.style.variant;
  switch (f.kind) {
    case 'code':
      return o.typed && o.style.codeNumeric ? Number(value) : String(value);
    case 'period':
      return periodText(String(value), o.style.periodStyle);
    case 'date': {
      const day = (value as { date: string }).date;
      return o.typed && o.dateStyle === 'excel' ? { date: day } : dateText(day, o.dateStyle);
    }
    case 'bool': {
      if (header === '政治面貌') return value ? (v % 2 ? '中共预备党员' : '中共党员') : null;
      const [yes, no] = BOOLS[o.style.boolStyle % BOOLS.length];
      return value ? yes : no || null;
    }
    case 'enum':
      return spell(f, String(value), v);
    case 'score':
      return o.style.scoreWords ? SCORE_WORDS[value as number] : o.typed ? (value as number) : String(value);
    case 'count':
    case 'number':
    case 'area':
      return formatNumber(value as number, f, o);
    default:
      return String(value);
  }
}

export function formatTable(name: TableName, rows: Row[], o: CellOptions & { withUnits: boolean }): FormattedTable {
  const table = tableDef(name);
  const columns = chooseColumns(table, o.style, o.withUnits);
  return {
    table,
    columns,
    rows: rows.map((r) => columns.map((c) => formatCell(c.field, c.header, r[c.field.name] ?? null, o))),
  };
}
