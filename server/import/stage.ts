// Staging: a mapped sheet's data rows go, still as text, into a temporary
// DuckDB table `stg_<n>` (src_row, one VARCHAR column per mapped field).
// Row-level problems visible before parsing (formulas, cells beyond the
// header, missing required columns, unknown columns) are reported here.

import type { Store } from '../db/store.ts';
import { skipKind } from './contract/headers.ts';
import type { FieldDef } from './contract/tables.ts';
import type { Problem } from './problems.ts';
import type { MappedSheet } from './sheets.ts';

export interface StagedSheet {
  source: MappedSheet;
  /** Temporary table name (our own identifier). */
  table: string;
  /** Mapped fields present as columns `f_<name>`. */
  fields: FieldDef[];
  /** Column header as written, per field name. */
  headerOf: Map<string, string>;
  rowCount: number;
}

export function stagedColumn(f: FieldDef): string {
  return `f_${f.name}`;
}

export async function stageSheet(store: Store, sheet: MappedSheet, n: number, problems: Problem[]): Promise<StagedSheet | null> {
  const where = { file: sheet.doc.display, sheet: sheet.sheet };
  const { columns } = sheet;
  for (const u of columns.unknown) {
    problems.push({ ...where, code: 'UNKNOWN_COLUMN', severity: 'warning', row: sheet.headerIndex + 1, column: u.header, message: '未识别的列，已忽略' });
  }
  if (columns.missing.length > 0) {
    for (const f of columns.missing) {
      problems.push({
        ...where,
        code: 'MISSING_COLUMN',
        severity: 'error',
        row: sheet.headerIndex + 1,
        field: f.name,
        message: `缺少必填列「${f.label}」（可用表头：${f.headers.slice(0, 4).join('、')}），该表未导入`,
      });
    }
    return null;
  }
  const cols = [...columns.fields.entries()].sort((a, b) => a[0] - b[0]);
  const fields = cols.map(([, f]) => f);
  const headerOf = new Map(cols.map(([c, f]) => [f.name, columns.headers.get(c) ?? f.label]));
  const headerWidth = Math.max(...columns.headers.keys()) + 1;
  const table = `stg_${n}`;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${table} (src_row INTEGER, ${fields.map((f) => `${stagedColumn(f)} VARCHAR`).join(', ')})`);
  const formulaRows = new Map<number, { col: number; formula: string }[]>();
  for (const f of sheet.formulas) {
    const list = formulaRows.get(f.row) ?? [];
    list.push(f);
    formulaRows.set(f.row, list);
  }
  const appender = await store.conn.createAppender(table, 'main', 'temp');
  let rowCount = 0;
  for (let i = sheet.headerIndex + 1; i < sheet.rows.length; i++) {
    const row = sheet.rows[i] ?? [];
    const excelRow = i + 1;
    if (skipKind(row)) continue;
    for (const f of formulaRows.get(excelRow) ?? []) {
      problems.push({
        ...where,
        code: 'FORMULA',
        severity: 'error',
        row: excelRow,
        column: columns.headers.get(f.col) ?? columnLetter(f.col),
        value: f.formula.startsWith('=') ? f.formula : `=${f.formula}`,
        message: '单元格含公式，请粘贴为数值后再导入',
      });
    }
    if (sheet.strictWidth && row.length > headerWidth && row.slice(headerWidth).some((c) => c != null)) {
      problems.push({
        ...where,
        code: 'EXTRA_CELLS',
        severity: 'error',
        row: excelRow,
        value: row.slice(headerWidth).filter((c) => c != null).join(' | '),
        message: `该行有 ${row.length} 个单元格，多于表头的 ${headerWidth} 列（可能是分隔符或引号有误）`,
      });
    }
    appender.appendInteger(excelRow);
    for (const [c] of cols) {
      const v = row[c];
      if (v == null || v.trim() === '') appender.appendNull();
      else appender.appendVarchar(v);
    }
    appender.endRow();
    rowCount++;
  }
  appender.closeSync();
  return { source: sheet, table, fields, headerOf, rowCount };
}

export function columnLetter(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
