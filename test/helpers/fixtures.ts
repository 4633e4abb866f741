// Fixture builders for the importer's acceptance tests: temp dirs and stores,
// text files in any encoding and delimiter, .xlsx workbooks (exceljs), zips
// (our writeZip), a community export in a chosen form from plain rows, and
// helpers to run an import that must be rejected.

import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll } from 'vitest';
import { Store } from '../../server/db/store.ts';
import { type ImportOptions, type ImportSummary, importPaths } from '../../server/import/importer.ts';
import { ImportRejected, type Problem } from '../../server/import/problems.ts';
import { writeZip } from '../../server/import/read/zip.ts';
import { secretPath } from '../../server/import/secret.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

// ---------------------------------------------------------------------------
// Temp dirs and stores

const made: string[] = [];
let cleanupRegistered = false;

/** A fresh temp dir, removed after the test file (unless KEEP_TMP is set). */
export function tempDir(prefix = 'sanshe-it-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(() => {
      if (process.env.KEEP_TMP) return;
      for (const x of made.splice(0)) rmSync(x, { recursive: true, force: true });
    });
  }
  return d;
}

/** A fresh dir with a (not yet created) store path `store.duckdb` in it. */
export function freshStorePath(): { dir: string; dbPath: string } {
  const dir = tempDir();
  return { dir, dbPath: join(dir, 'store.duckdb') };
}

export async function openFreshStore(): Promise<{ dir: string; dbPath: string; store: Store }> {
  const { dir, dbPath } = freshStorePath();
  const store = await Store.open(dbPath);
  return { dir, dbPath, store };
}

// ---------------------------------------------------------------------------
// Cells and text files

export type Cell = string | number | boolean | Date | null | undefined | { formula: string; result?: string | number };
export type Rows = Cell[][];

export type Encoding = 'utf8' | 'utf8bom' | 'gbk' | 'gb18030' | 'utf16le';

function cellText(c: Cell): string {
  if (c == null) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === 'object') return `=${c.formula}`;
  return String(c);
}

/** Delimited text, quoting cells that need it (RFC 4180). */
export function delimitedText(rows: Rows, delimiter = ',', eol = '\r\n'): string {
  const q = (s: string) => (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map((c) => q(cellText(c))).join(delimiter)).join(eol) + eol;
}

export function encodeText(text: string, encoding: Encoding = 'utf8'): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'gbk':
      return iconv.encode(text, 'gbk');
    case 'gb18030':
      return iconv.encode(text, 'gb18030');
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
  }
}

export function textBytes(rows: Rows, opts: { encoding?: Encoding; delimiter?: string } = {}): Buffer {
  return encodeText(delimitedText(rows, opts.delimiter ?? ','), opts.encoding ?? 'utf8');
}

export function writeFile(path: string, data: Buffer | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

export function writeText(path: string, rows: Rows, opts: { encoding?: Encoding; delimiter?: string } = {}): string {
  return writeFile(path, textBytes(rows, opts));
}

// ---------------------------------------------------------------------------
// Workbooks

export interface SheetSpec {
  name: string;
  rows: Rows;
  /** Merge the first row across this many columns (a title row). */
  mergeTitle?: number;
  /** Number formats per 1-based column (e.g. '0' for a code column, 'yyyy-mm-dd'). */
  numFmt?: Record<number, string>;
}

export async function xlsxBytes(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(Date.UTC(2018, 6, 1));
  wb.modified = wb.created;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((row, r) => {
      row.forEach((c, col) => {
        if (c == null) return;
        const cell = ws.getCell(r + 1, col + 1);
        if (c instanceof Date) {
          cell.value = c;
          cell.numFmt = 'yyyy-mm-dd';
        } else if (typeof c === 'object') {
          cell.value = { formula: c.formula, result: c.result } as ExcelJS.CellFormulaValue;
        } else cell.value = c;
        const fmt = s.numFmt?.[col + 1];
        if (fmt) cell.numFmt = fmt;
      });
    });
    if (s.mergeTitle && s.mergeTitle > 1) ws.mergeCells(1, 1, 1, s.mergeTitle);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function writeXlsx(path: string, sheets: SheetSpec[]): Promise<string> {
  return writeFile(path, await xlsxBytes(sheets));
}

export function zipBytes(entries: { name: string; data: Buffer }[], opts: { gbkNames?: boolean } = {}): Buffer {
  return writeZip(entries, opts);
}

// ---------------------------------------------------------------------------
// A community export

export interface Community {
  code: string;
  name: string;
  street: string;
  areaType?: string;
}

export const YANHAI: Community = { code: '140302001003', name: '盐海社区', street: '东城街道', areaType: '城市社区' };
export const HEPING: Community = { code: '140302001004', name: '和平社区', street: '东城街道', areaType: '农村社区' };
export const XINCUN: Community = { code: '140302002001', name: '新村社区', street: '西城街道', areaType: '城市社区' };

/** Profile header + one row, in the headers a community office writes. */
export function profileRows(c: Community, period: string | null, extra: { population?: Cell; households?: Cell } = {}): Rows {
  const header = ['社区代码', '社区名称', '所属街道', '城乡类型', '常住人口', '户数', '网格数'];
  const row: Cell[] = [c.code, c.name, c.street, c.areaType ?? '城市社区', extra.population ?? 5000, extra.households ?? 1800, 6];
  if (period !== null) {
    header.splice(4, 0, '报告期');
    row.splice(4, 0, period);
  }
  return [header, row];
}

export interface Person {
  id: string;
  name: string;
  phone: string;
  registered: Cell;
  party?: Cell;
  hours?: Cell;
}

export const VOLUNTEER_HEADER = ['身份证号', '姓名', '手机', '注册日期', '是否党员', '服务时长(小时)'];

export function volunteerRows(people: Person[]): Rows {
  return [VOLUNTEER_HEADER, ...people.map((p) => [p.id, p.name, p.phone, p.registered, p.party ?? '否', p.hours ?? 10])];
}

/** Valid-looking 18-character ID numbers (the last one with an X check letter). */
export function idNumber(i: number): string {
  const body = `14030219${String(800101 + (i % 90000)).padStart(6, '0')}${String(i % 1000).padStart(3, '0')}`;
  return body + (i % 7 === 0 ? 'X' : String(i % 10));
}

export const PEOPLE: Person[] = [
  { id: '14030219800101123X', name: '张伟明', phone: '13812345678', registered: '2015-07-01', party: '是', hours: 12.5 },
  { id: '140302199002023456', name: '李秀英', phone: '13987654321', registered: '2016/3/5', party: '否', hours: '20小时' },
  { id: '140302198503157890', name: '王建国', phone: '15011112222', registered: '2016年10月1日', party: '中共党员', hours: 0 },
];

export type ExportForm = 'xlsx' | 'csv-folder' | 'zip' | 'zip-gbk';

export interface ExportSpec {
  /** File or folder name stem, e.g. `盐海社区_2016Q4`. */
  stem: string;
  /** Table label (as a sheet or file name) -> rows including header (and any title rows). */
  tables: Record<string, Rows>;
  encoding?: Encoding;
  delimiter?: string;
}

/**
 * Write an export in a chosen form into `dir`: a workbook with one sheet per
 * table, a folder of CSVs (`stem/志愿者.csv`), or a zip of CSVs. Returns the
 * path to import.
 */
export async function writeExport(dir: string, form: ExportForm, spec: ExportSpec): Promise<string> {
  const entries = Object.entries(spec.tables);
  if (form === 'xlsx') return writeXlsx(join(dir, `${spec.stem}.xlsx`), entries.map(([name, rows]) => ({ name, rows })));
  const files = entries.map(([name, rows]) => ({
    name: `${spec.stem}_${name}.csv`,
    data: textBytes(rows, { encoding: spec.encoding, delimiter: spec.delimiter }),
  }));
  if (form === 'csv-folder') {
    const folder = join(dir, spec.stem);
    for (const f of files) writeFile(join(folder, f.name), f.data);
    return folder;
  }
  return writeFile(join(dir, `${spec.stem}.zip`), zipBytes(files, { gbkNames: form === 'zip-gbk' }));
}

// ---------------------------------------------------------------------------
// Importing

export async function importOk(store: Store, paths: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  try {
    return await importPaths(store, paths, { source: 'test', ...opts });
  } catch (err) {
    if (err instanceof ImportRejected) {
      throw new Error(`import unexpectedly rejected:\n${err.problems.map((p) => JSON.stringify(p)).join('\n')}`);
    }
    throw err;
  }
}

/** Run an import that must be rejected; returns its problems (errors and warnings). */
export async function importRejected(store: Store, paths: string[], opts: ImportOptions = {}): Promise<Problem[]> {
  let summary: ImportSummary;
  try {
    summary = await importPaths(store, paths, { source: 'test', ...opts });
  } catch (err) {
    if (err instanceof ImportRejected) return err.problems;
    throw err;
  }
  throw new Error(`import unexpectedly succeeded: ${JSON.stringify(summary)}`);
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** True when a message is Chinese (has CJK characters). */
export function isChinese(s: string): boolean {
  return /[\u4e00-\u9fff]/.test(s);
}

// ---------------------------------------------------------------------------
// Person keys

/** HMAC-SHA-256 (lower-case hex) of the upper-cased identifier with the secret stored beside the store. */
export function personHmacHex(dbPath: string, id: string): string {
  const secret = Buffer.from(readFileSync(secretPath(dbPath), 'utf8').trim(), 'hex');
  return createHmac('sha256', secret).update(id.trim().toUpperCase(), 'utf8').digest('hex');
}

/**
 * The stored person key: the HMAC's first 128 bits, big-endian, as the store
 * returns a UHUGEINT (a decimal string).
 */
export function expectedPersonKey(dbPath: string, id: string): string {
  return BigInt(`0x${personHmacHex(dbPath, id).slice(0, 32)}`).toString();
}

// ---------------------------------------------------------------------------
// The CLI as a child process

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawn `node --import tsx server/cli/main.ts ...args` (what `npx tsx` runs, without npx's start-up). */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return collect(spawnCli(args, env));
}

/** A large volunteer roster CSV (UTF-8) of `n` rows with distinct IDs; returns its path. */
export function writeBigVolunteerCsv(path: string, n: number, idBase = 0): string {
  const parts: string[] = ['身份证号,姓名,注册日期,是否党员,服务时长\n'];
  for (let i = 0; i < n; i++) {
    const k = idBase + i;
    parts.push(`1403021980${String(k).padStart(8, '0')},志愿者,2016-01-${String((k % 28) + 1).padStart(2, '0')},${k % 3 ? '否' : '是'},${k % 100}\n`);
  }
  return writeFile(path, parts.join(''));
}

/**
 * A fresh store file copied from a closed template store (and its secret):
 * a baseline built once serves many tests, each on its own DuckDB file.
 */
export function cloneStore(templateDbPath: string): { dir: string; dbPath: string } {
  const { dir, dbPath } = freshStorePath();
  copyFileSync(templateDbPath, dbPath);
  if (existsSync(`${templateDbPath}.wal`)) copyFileSync(`${templateDbPath}.wal`, `${dbPath}.wal`);
  copyFileSync(secretPath(templateDbPath), secretPath(dbPath));
  return { dir, dbPath };
}
