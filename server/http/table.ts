// A table as the API hands it out: named columns (with Chinese headers) and
// plain rows. The same value renders as JSON, CSV (UTF-8 with BOM, formula-
// looking text neutralised, the CLI's rules), xlsx, or an Arrow IPC stream.

import { Table as ArrowTable, Bool, Dictionary, Float64, Int32, tableToIPC, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { neutralise } from '../../metrics/report/render.ts';

export interface Column {
  key: string;
  zh: string;
}

export interface TableOut {
  /** File name stem for exports, e.g. `values-2016Q4-community`. */
  name: string;
  columns: Column[];
  rows: Record<string, unknown>[];
}

function cellValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join('、');
  return JSON.stringify(v);
}

function csvCell(v: unknown): string {
  const x = cellValue(v);
  if (x === null) return '';
  if (typeof x === 'number') return String(x);
  if (typeof x === 'boolean') return x ? '是' : '否';
  const s = neutralise(x);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: TableOut): Buffer {
  const lines = [t.columns.map((c) => csvCell(c.zh)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvCell(r[c.key])).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(t: TableOut): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.name.slice(0, 31));
  ws.addRow(t.columns.map((c) => c.zh)).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of t.rows) {
    ws.addRow(
      t.columns.map((c) => {
        const x = cellValue(r[c.key]);
        return typeof x === 'string' ? neutralise(x) : typeof x === 'boolean' ? (x ? '是' : '否') : x;
      }),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Arrow IPC stream of the table's columns: numbers as Float64, booleans as
 * Bool, text dictionary-encoded (codes, names and indicator ids repeat).
 */
export function toArrow(t: TableOut): Buffer {
  const cols: Record<string, Vector> = {};
  for (const c of t.columns) {
    const vals = t.rows.map((r) => cellValue(r[c.key]));
    const kind = vals.find((v) => v !== null);
    if (typeof kind === 'number') cols[c.key] = vectorFromArray(vals as (number | null)[], new Float64());
    else if (typeof kind === 'boolean') cols[c.key] = vectorFromArray(vals as (boolean | null)[], new Bool());
    else cols[c.key] = vectorFromArray(vals.map((v) => (v === null ? null : String(v))), new Dictionary(new Utf8(), new Int32()));
  }
  return Buffer.from(tableToIPC(new ArrowTable(cols), 'stream'));
}

export const ARROW_TYPE = 'application/vnd.apache.arrow.stream';
