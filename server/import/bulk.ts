// The bulk path for large text files: DuckDB's own CSV reader stages the rows
// (multi-threaded, no JavaScript per row), after the header row, table and
// columns were found in JavaScript on the file's first lines. GBK and UTF-16
// files are transcoded to a temporary UTF-8 file first, streaming. Excel row
// numbers stay exact: the path is taken only when every record is one line
// (checked against the file's line count), else the caller reads the file
// in JavaScript as usual.

import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBBlobValue } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import type { Store } from '../db/store.ts';
import { findHeaderRow, isRowNumberHeader, mapColumns, recogniseTable } from './contract/headers.ts';
import { type Pads, personKeyExpr, usesNativeKeys } from './personKey.ts';
import type { Problem } from './problems.ts';
import { parseCsv } from './read/csv.ts';
import { decodeText, sniffDelimiter } from './read/text.ts';
import { normaliseIdentifierSql } from './secret.ts';
import type { MappedSheet } from './sheets.ts';
import { BULK_MIN_BYTES, type Document, docFacts } from './sources.ts';
import { checkColumns, hashedColumn, headerMap, type StagedRelation, stagedColumn, stagedFields } from './stage.ts';

export { BULK_MIN_BYTES };

const PREFIX_BYTES = 256 * 1024;

export function bulkEligible(doc: Document): boolean {
  return doc.format === 'text' && !!doc.diskPath && !!doc.large;
}

function readPrefix(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(PREFIX_BYTES);
    const n = readSync(fd, buf, 0, PREFIX_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export interface BulkResult {
  staged: StagedRelation | null;
  /** Temporary file to delete after the import. */
  tempDir?: string;
  encoding: string;
}

/**
 * Stage a large text file with read_csv. Returns null when the file does not
 * suit the bulk path (the caller then reads it in JavaScript).
 */
export async function stageBulk(
  store: Store,
  doc: Document,
  n: number,
  sheetId: number,
  pads: Pads,
  problems: Problem[],
): Promise<BulkResult | null> {
  const prefix = readPrefix(doc.diskPath!);
  // UTF-16 files are rare at this size; the JavaScript reader takes them.
  if ((prefix[0] === 0xff && prefix[1] === 0xfe) || (prefix[0] === 0xfe && prefix[1] === 0xff)) return null;
  const cut = prefix.lastIndexOf(10);
  if (cut <= 0) return null;
  const { text, encoding } = decodeText(prefix.subarray(0, cut + 1));
  const table = recogniseTable(basename(doc.display));
  if (!table) return null;
  const delimiter = sniffDelimiter(text);
  // One record per line in the prefix, so line index = Excel row index.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows = lines.slice(0, 40).map((l) => parseCsv(l, delimiter)[0] ?? []);
  const headerIndex = findHeaderRow(table, rows);
  if (headerIndex < 0) return null;
  const columns = mapColumns(table, rows[headerIndex]);
  const width = rows[headerIndex].length;

  let path = doc.diskPath!;
  let tempDir: string | undefined;
  if (encoding !== 'utf-8' && encoding !== 'utf-8-bom') {
    tempDir = mkdtempSync(join(tmpdir(), 'sanshe-bulk-'));
    path = join(tempDir, 'utf8.csv');
    await pipeline(createReadStream(doc.diskPath!), iconv.decodeStream(encoding), iconv.encodeStream('utf-8'), createWriteStream(path));
  }
  const sheet: MappedSheet = {
    doc,
    table,
    headerIndex,
    columns,
    rows: rows.slice(0, headerIndex + 1),
    formulas: [],
    encoding,
    strictWidth: true,
  };
  const where = { file: doc.display };
  if (!checkColumns(sheet, problems)) return { staged: null, tempDir, encoding };
  // Names and phones (drop fields) are never read into the store's memory.
  const cols = [...columns.fields.entries()].filter(([, f]) => f.kind !== 'drop').sort((a, b) => a[0] - b[0]);
  const colDefs = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const raw = `raw_${n}`;
  const rej = `rej_${n}`;
  const all = Array.from({ length: width }, (_, i) => `c${i}`);
  // Empty CSV fields read as NULL, so the first filled cell is a coalesce;
  // the filled-cell count is computed only for the rare candidate rows.
  const first = `coalesce(${all.join(', ')})`;
  const filled = all.map((c) => `(nullif(trim(${c}), '') IS NOT NULL)::INTEGER`).join(' + ');
  // A row holding nothing but a pre-filled 序号 is blank too.
  const seqCols = new Set(rows[headerIndex].map((c, i) => (isRowNumberHeader(c) ? i : -1)).filter((i) => i >= 0));
  const dataCols = all.filter((_, i) => !seqCols.has(i));
  const onlySeq = seqCols.size > 0 && dataCols.length > 0 ? `coalesce(${dataCols.join(', ')}) IS NULL OR ` : '';
  // A first cell that starts with a printable ASCII character (a code, a
  // number such as a 序号) cannot start such a row: two byte-wise
  // comparisons spare most rows the regular expression.
  const skip = `${onlySeq}CASE WHEN ${first} >= '!' AND ${first} < '~' THEN false
    WHEN regexp_matches(${first}, '^\\s*(合计|总计|小计|说明|填表说明|注|备注)')
    THEN regexp_matches(${first}, '^\\s*(合计|总计|小计)') OR (${filled}) = 1 ELSE false END`;
  // Only mapped columns are kept: names and phones are never materialised.
  // Identifiers are hashed here, in the same parallel pass as the reading.
  const secrets = cols.filter(([, f]) => f.kind === 'secret');
  const hashes = secrets.map(([c, f]) => `${personKeyExpr(store, normaliseIdentifierSql(cellSql(c)), { ipad: '$ipad', opad: '$opad' })} AS ${hashedColumn(f)}`);
  const padParams: Record<string, DuckDBBlobValue> = secrets.length > 0 && !usesNativeKeys(store) ? { ipad: new DuckDBBlobValue(pads.ipad), opad: new DuckDBBlobValue(pads.opad) } : {};
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT
       ${cols.map(([c, f]) => `${cellSql(c)} AS ${stagedColumn(f)}`).join(', ')},
       ${hashes.map((h) => `${h},`).join(' ')}
       ${skip} AS _skip,
       ${all.map((c) => `starts_with(${c}, '=')`).join(' OR ')} AS _formula
     FROM read_csv($path, header = false, skip = $skip, auto_detect = false, delim = $delim, quote = '"', escape = '"',
                   all_varchar = true, columns = {${colDefs}}, store_rejects = true,
                   rejects_table = '${rej}', rejects_scan = '${rej}_scan')`,
    { path, skip: headerIndex + 1, delim: delimiter, ...padParams },
  );
  const count = await store.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${raw}`);
  const rejects = await store.all<{ line: number; error_type: string; csv_line: string; msg: string }>(
    `SELECT line::BIGINT AS line, error_type::VARCHAR AS error_type, csv_line, error_message AS msg FROM ${rej} ORDER BY line LIMIT 200`,
  );
  // Row numbers are exact only when no record spans lines and no blank line
  // hides between records; otherwise fall back to the JavaScript reader. The
  // line statistics come from the streaming read that hashes the file, which
  // ran while DuckDB read it.
  await docFacts(doc);
  const stats = doc.lineStats!;
  const recordLines = stats.lines - (headerIndex + 1);
  if (stats.blankInside || Number(count?.n ?? 0) + (await rejectCount(store, rej)) !== recordLines) {
    // A quoted newline shifted the numbering: not for the bulk path.
    await store.run(`DROP TABLE ${raw}`);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    return null;
  }
  for (const r of rejects) {
    problems.push({
      ...where,
      code: 'EXTRA_CELLS',
      severity: 'error',
      row: Number(r.line),
      value: r.csv_line,
      message: r.error_type === 'TOO MANY COLUMNS' ? `该行的单元格多于表头的 ${width} 列（可能是分隔符或引号有误）` : `该行无法按 CSV 解析（${r.msg}）`,
    });
  }
  // After a rejected line rowid no longer matches the row: report the
  // rejects alone for this file.
  if (rejects.length > 0) return { staged: null, tempDir, encoding };
  // rowid follows file order in a freshly created table, contiguous from a
  // base that is large inside a transaction: the row is rowid - base. The
  // base is read once and written into the SQL as a number (a scalar
  // subquery per row is planned as a cross product over every row).
  const base = await store.one<{ b: bigint | number | null }>(`SELECT min(rowid) AS b FROM ${raw}`);
  const offset = BigInt(headerIndex + 2) - BigInt(base?.b ?? 0);
  const srcRow = `(rowid + ${offset.toString()})::INTEGER`;
  const formulas = await store.all<{ src_row: number }>(`SELECT ${srcRow} AS src_row FROM ${raw} WHERE _formula ORDER BY rowid LIMIT 200`);
  for (const f of formulas) {
    problems.push({ ...where, code: 'FORMULA', severity: 'error', row: f.src_row, message: '单元格含公式（以 = 开头），请粘贴为数值后再导入' });
  }
  const stg = `stg_${n}`;
  const mapped = new Set(cols.map(([, f]) => f.name));
  const fields = stagedFields(table);
  await store.run(
    `CREATE OR REPLACE TEMP VIEW ${stg} AS SELECT ${sheetId} AS sheet_id, ${srcRow} AS src_row,
       ${fields.map((f) => (mapped.has(f.name) ? stagedColumn(f) : `CAST(NULL AS VARCHAR) AS ${stagedColumn(f)}`)).join(', ')}
       ${secrets.map(([, f]) => `, ${hashedColumn(f)}`).join('')}
     FROM ${raw} WHERE NOT _skip`,
  );
  const rowCount = Number((await store.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${stg}`))?.n ?? 0);
  return {
    staged: {
      table: stg,
      def: table,
      fields,
      sheets: [{ id: sheetId, source: sheet, headerOf: headerMap(sheet), rowCount }],
      hashed: new Set(secrets.map(([, f]) => f.name)),
      absent: new Set(fields.filter((f) => !mapped.has(f.name)).map((f) => f.name)),
    },
    tempDir,
    encoding,
  };
}

/**
 * Column c's cell as staged: trimmed, NULL when blank. DuckDB's trim strips
 * Unicode space separators (category Zs: the ASCII space, no-break and
 * ideographic spaces...) and decodes every character to find them; only the
 * cells that start or end with one pay for it. In an all-ASCII cell (byte
 * length = character length: codes, numbers, dates) the only Zs is the
 * ASCII space, so two byte-wise tests decide; the rest (Chinese text) take
 * the regular expression, which stops at once on most cells. The same
 * result as trimming every cell, at about a quarter of the cost.
 */
function cellSql(c: number): string {
  const v = `c${c}`;
  return `nullif(CASE WHEN strlen(${v}) = length(${v}) THEN (CASE WHEN starts_with(${v}, ' ') OR ends_with(${v}, ' ') THEN trim(${v}) ELSE ${v} END)
    WHEN regexp_matches(${v}, '^\\p{Zs}|\\p{Zs}$') THEN trim(${v}) ELSE ${v} END, '')`;
}

async function rejectCount(store: Store, rej: string): Promise<number> {
  const r = await store.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${rej}`);
  return Number(r?.n ?? 0);
}

