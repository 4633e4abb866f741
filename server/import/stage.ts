// Staging: the data rows of all sheets of one table go, still as text, into
// one temporary table `stg_<n>` (sheet_id, src_row, one VARCHAR column per
// field), so everything after this is a handful of set-based statements per
// table, however many files a batch holds. Problems visible before parsing
// (formulas, cells beyond the header, missing required columns, unknown
// columns) are reported here.

import type { Store } from '../db/store.ts';
import { skipKind } from './contract/headers.ts';
import type { FieldDef, TableDef } from './contract/tables.ts';
import type { Problem } from './problems.ts';
import type { MappedSheet } from './sheets.ts';

/** One sheet (or text file) inside a staged relation. */
export interface SheetInfo {
  id: number;
  source: MappedSheet;
  /** Column header as written, per field name. */
  headerOf: Map<string, string>;
  rowCount: number;
}

/** All staged rows of one table of the batch (or of one bulk file). */
export interface StagedRelation {
  /** Temporary table or view name (our own identifier). */
  table: string;
  def: TableDef;
  /** Fields present as columns `f_<name>` (every non-dropped field of def). */
  fields: FieldDef[];
  sheets: SheetInfo[];
  /** Identifier fields whose HMAC was computed while staging, as `h_<name>`. */
  hashed?: Set<string>;
  /**
   * Fields no sheet of the relation has a column for (NULL in every row):
   * typing gives them their empty value without a dictionary or a join.
   */
  absent?: Set<string>;
}

export function stagedColumn(f: FieldDef): string {
  return `f_${f.name}`;
}

/** The staged HMAC of an identifier field (bulk path). */
export function hashedColumn(f: FieldDef): string {
  return `h_${f.name}`;
}

export function stagedFields(def: TableDef): FieldDef[] {
  return def.fields.filter((f) => f.kind !== 'drop');
}

/** Check the column map of a sheet; false when a required column is missing. */
export function checkColumns(sheet: MappedSheet, problems: Problem[]): boolean {
  const where = { file: sheet.doc.display, sheet: sheet.sheet };
  for (const u of sheet.columns.unknown) {
    problems.push({ ...where, code: 'UNKNOWN_COLUMN', severity: 'warning', row: sheet.headerIndex + 1, column: u.header, message: '未识别的列，已忽略' });
  }
  for (const f of sheet.columns.missing) {
    problems.push({
      ...where,
      code: 'MISSING_COLUMN',
      severity: 'error',
      row: sheet.headerIndex + 1,
      field: f.name,
      message: `缺少必填列「${f.label}」（可用表头：${f.headers.slice(0, 4).join('、')}），该表未导入`,
    });
  }
  return sheet.columns.missing.length === 0;
}

export function headerMap(sheet: MappedSheet): Map<string, string> {
  return new Map([...sheet.columns.fields.entries()].map(([c, f]) => [f.name, sheet.columns.headers.get(c) ?? f.label]));
}

/** Stage every sheet of one table into one temporary table. */
export async function stageSheets(
  store: Store,
  def: TableDef,
  sheets: MappedSheet[],
  name: string,
  nextSheetId: () => number,
  problems: Problem[],
): Promise<StagedRelation> {
  const fields = stagedFields(def);
  const pos = new Map(fields.map((f, i) => [f.name, i]));
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${name} (sheet_id INTEGER, src_row INTEGER, ${fields.map((f) => `${stagedColumn(f)} VARCHAR`).join(', ')})`,
  );
  const appender = await store.conn.createAppender(name, 'main', 'temp');
  const infos: SheetInfo[] = [];
  const cells: (string | null)[] = new Array(fields.length);
  for (const sheet of sheets) {
    if (!checkColumns(sheet, problems)) continue;
    const id = nextSheetId();
    const where = { file: sheet.doc.display, sheet: sheet.sheet };
    const cols = [...sheet.columns.fields.entries()].map(([c, f]) => [c, pos.get(f.name)!] as const);
    const headerWidth = Math.max(...sheet.columns.headers.keys()) + 1;
    const formulaRows = new Map<number, { col: number; formula: string }[]>();
    for (const f of sheet.formulas) formulaRows.set(f.row, [...(formulaRows.get(f.row) ?? []), f]);
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
          column: sheet.columns.headers.get(f.col) ?? columnLetter(f.col),
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
      cells.fill(null);
      for (const [c, p] of cols) {
        const v = row[c];
        if (v != null && v.trim() !== '') cells[p] = v;
      }
      appender.appendInteger(id);
      appender.appendInteger(excelRow);
      for (const v of cells) {
        if (v == null) appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.endRow();
      rowCount++;
    }
    infos.push({ id, source: sheet, headerOf: headerMap(sheet), rowCount });
  }
  appender.closeSync();
  const mapped = new Set(infos.flatMap((i) => [...i.source.columns.fields.values()].map((f) => f.name)));
  return { table: name, def, fields, sheets: infos, absent: new Set(fields.filter((f) => !mapped.has(f.name)).map((f) => f.name)) };
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
