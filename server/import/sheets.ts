// Reads a document into the sheets it holds, recognises each sheet's table,
// finds its header row and maps its columns. Pure with respect to the store.

import { basename } from 'node:path';
import { type ColumnMap, findHeaderRow, isRowNumberHeader, mapColumns, recogniseTable } from './contract/headers.ts';
import type { TableDef } from './contract/tables.ts';
import { type Problem, ReadError } from './problems.ts';
import { csvToSheet, } from './read/csv.ts';
import { decodeText, sniffDelimiter } from './read/text.ts';
import type { SheetRows } from './read/types.ts';
import { readXlsx } from './read/xlsx.ts';
import { type Document, docBytes } from './sources.ts';

export interface MappedSheet {
  doc: Document;
  /** Sheet name for workbooks; undefined for text files. */
  sheet?: string;
  table: TableDef;
  /** 0-based index of the header row in `rows`. */
  headerIndex: number;
  columns: ColumnMap;
  rows: (string | null)[][];
  formulas: SheetRows['formulas'];
  encoding?: string;
  /** Text files are strict about cells beyond the header (a delimiter problem). */
  strictWidth: boolean;
}

export interface ReadOutcome {
  sheets: MappedSheet[];
  problems: Problem[];
  encoding?: string;
}

export function readDocument(doc: Document): ReadOutcome {
  const problems: Problem[] = [];
  const sheets: MappedSheet[] = [];
  const err = (e: ReadError, sheet?: string): ReadOutcome => {
    problems.push({ code: e.code, severity: 'error', file: doc.display, sheet, message: e.message });
    return { sheets, problems };
  };
  let raw: SheetRows[];
  let encoding: string | undefined;
  try {
    const data = docBytes(doc);
    if (data.length === 0) throw new ReadError('EMPTY_FILE', '文件为空');
    if (doc.format === 'xlsx') raw = readXlsx(data);
    else {
      const t = decodeText(data);
      encoding = t.encoding;
      raw = [csvToSheet(t.text, sniffDelimiter(t.text))];
    }
  } catch (e) {
    if (e instanceof ReadError) return err(e);
    throw e;
  }
  const fileName = basename(doc.display);
  for (const s of raw) {
    // A workbook's sheet is named by its sheet name, or the file name when it has one sheet.
    const table = recogniseTable(s.name) ?? (raw.length === 1 || doc.format === 'text' ? recogniseTable(fileName) : undefined);
    const sheetLabel = doc.format === 'xlsx' ? s.name : undefined;
    if (!table) {
      if (s.rows.every((r) => r.every((c) => c == null))) continue; // empty extra sheet
      if (doc.format === 'xlsx' && /说明|填表|instructions?/i.test(s.name)) continue;
      problems.push({
        code: 'UNKNOWN_TABLE',
        severity: doc.format === 'xlsx' && raw.length > 1 ? 'warning' : 'error',
        file: doc.display,
        sheet: sheetLabel,
        message: '无法从工作表名或文件名识别表类型（如 基本情况、社会组织、志愿者、社工、设施、居民参与、活动、满意度、区划），已跳过',
      });
      continue;
    }
    const headerIndex = findHeaderRow(table, s.rows);
    if (headerIndex < 0) {
      const nonEmpty = s.rows.some((r) => r.some((c) => c != null));
      problems.push({
        code: nonEmpty ? 'NO_HEADER' : 'EMPTY_FILE',
        severity: 'error',
        file: doc.display,
        sheet: sheetLabel,
        message: nonEmpty ? `在前 30 行中找不到「${table.label}」表的表头行` : '工作表为空',
      });
      continue;
    }
    const columns = mapColumns(table, s.rows[headerIndex]);
    const { rows, formulas } = dropRowNumbers(s, headerIndex);
    sheets.push({
      doc,
      sheet: sheetLabel,
      table,
      headerIndex,
      columns,
      rows,
      formulas,
      encoding,
      strictWidth: doc.format === 'text',
    });
  }
  return { sheets, problems, encoding };
}

/**
 * The 序号 (row number) column is ignored: below the header its plain numbers
 * are dropped (so a row holding nothing but a pre-filled 序号, as templates
 * numbered in advance have, is a blank row) and so are its formulas (=ROW()-2).
 * Other text there, such as 合计 in a summary row, is kept.
 */
function dropRowNumbers(s: SheetRows, headerIndex: number): Pick<SheetRows, 'rows' | 'formulas'> {
  const header = s.rows[headerIndex] ?? [];
  const cols = header.map((c, i) => (isRowNumberHeader(c) ? i : -1)).filter((i) => i >= 0);
  if (cols.length === 0) return s;
  const rows = s.rows.map((row, i) => {
    if (i <= headerIndex || !row) return row;
    let out = row;
    for (const c of cols) {
      const v = row[c];
      if (v != null && /^\s*\d+(\.0+)?\s*$/.test(v)) {
        if (out === row) out = [...row];
        out[c] = null;
      }
    }
    return out;
  });
  const formulas = s.formulas.filter((f) => !(f.row > headerIndex + 1 && cols.includes(f.col)));
  return { rows, formulas };
}
