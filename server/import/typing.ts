// Typing: parse a staged relation's text into typed values, set-based. For
// each typed column the DISTINCT raw values are parsed once in TypeScript
// (contract/values.ts) into a dictionary table joined back in SQL. Problems
// come out of SQL queries, never loops over rows. Typed rows land in
// `typ_<n>` with org_unit and period (from the row, else the sheet's
// defaults); identifiers stay normalised clear text there (memory only) and
// become keys on the way into the store (personKey.ts: the first 128 bits
// of their HMAC-SHA-256).

import { columnType } from '../db/migrations.ts';
import type { Store } from '../db/store.ts';
import type { FieldDef } from './contract/tables.ts';
import { parseField } from './contract/values.ts';
import { personKeyExpr } from './personKey.ts';
import type { Problem } from './problems.ts';
import { normaliseIdentifierSql } from './secret.ts';
import { hashedColumn, type SheetInfo, type StagedRelation, stagedColumn } from './stage.ts';

/** Most problems listed per kind per field of a relation; the rest are counted. */
export const PROBLEM_LIST_LIMIT = 200;

const PARSED_KINDS = new Set(['code', 'count', 'number', 'area', 'date', 'bool', 'enum', 'period', 'score']);

/** Per sheet: the unit and period when rows carry none (profile of the export, file name). */
export interface SheetDefaults {
  unit?: string;
  period?: string;
}

export interface TypedRelation {
  staged: StagedRelation;
  /** Temporary view: sheet_id, src_row, org_unit, period, stored fields (identifiers still clear; small tables only). */
  table: string;
  /**
   * Temporary table: sheet_id, raw_unit, raw_period (the staged text, '' for
   * none), org_unit, period, n, first_row. Rows reach their unit, period and
   * export through this small table, joined on the raw text: the big row set
   * is never joined with the unit and period dictionaries.
   */
  rawGroups: string;
  /** Temporary table: sheet_id, org_unit, period, n, first_row. */
  groups: string;
  /**
   * Subquery: sheet_id, src_row, raw_unit, raw_period, dk (the unique key as
   * compared) and dh (what candidates are grouped by: the staged HMAC when
   * the bulk path computed one, else dk); null without a key.
   */
  dupSource: string | null;
  /** For the final insert: staged rows `s` with the value dictionaries other than unit and period joined. */
  loadFrom: string;
  /** Select list of the stored fields over `loadFrom` (identifiers HMAC'd with key table `k`). */
  loadSelect: string;
  /** Temporary table: sheet_id, file_id, sheet, unit, period. */
  sheetTable: string;
  /** Expressions over staged rows `s`: the raw unit and period text as in `rawGroups`. */
  rawUnit: string;
  rawPeriod: string;
}

export function whereOf(rel: StagedRelation, sheetId: number): { file: string; sheet?: string; info?: SheetInfo } {
  const info = rel.sheets.find((s) => s.id === sheetId);
  return { file: info?.source.doc.display ?? '?', sheet: info?.source.sheet, info };
}

/** Mask an identifier for messages: never echo a clear ID number. */
export function maskIdentifier(v: string): string {
  const s = v.trim();
  if (s.length <= 4) return '****';
  return `${s.slice(0, 2)}${'*'.repeat(Math.max(0, s.length - 6))}${s.slice(-4)}`;
}

function dictName(rel: StagedRelation, f: FieldDef): string {
  return `${rel.table.replace(/^stg_/, 'dct_')}_${f.name}`;
}

async function buildDictionary(store: Store, rel: StagedRelation, f: FieldDef): Promise<number> {
  const col = stagedColumn(f);
  const reader = await store.conn.runAndReadAll(`SELECT DISTINCT ${col} FROM ${rel.table} WHERE ${col} IS NOT NULL`);
  const raws = (reader.getColumns()[0] ?? []) as string[];
  const name = dictName(rel, f);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${name}_txt (raw VARCHAR, val VARCHAR, code VARCHAR, reason VARCHAR)`);
  const app = await store.conn.createAppender(`${name}_txt`, 'main', 'temp');
  let bad = 0;
  for (const raw of raws) {
    const p = parseField(raw, f);
    app.appendVarchar(raw);
    if (p.ok) {
      app.appendVarchar(String(p.value));
      app.appendNull();
      app.appendNull();
    } else {
      bad++;
      app.appendNull();
      app.appendVarchar(p.code);
      app.appendVarchar(p.reason);
    }
    app.endRow();
  }
  app.closeSync();
  const type = f.name === 'community_code' || f.name === 'report_period' ? 'VARCHAR' : columnType(f);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT raw, CAST(val AS ${type}) AS val, code, reason FROM ${name}_txt`);
  await store.run(`DROP TABLE ${name}_txt`);
  return bad;
}

async function listProblems(
  store: Store,
  rel: StagedRelation,
  f: FieldDef,
  from: string,
  problems: Problem[],
  toProblem: (r: { sheet_id: number; src_row: number; raw: string | null; code: string | null; reason: string | null }) => Partial<Problem>,
): Promise<void> {
  const rows = await store.all<{ sheet_id: number; src_row: number; raw: string | null; code: string | null; reason: string | null }>(
    `SELECT * FROM (${from}) ORDER BY sheet_id, src_row LIMIT ${PROBLEM_LIST_LIMIT + 1}`,
  );
  for (const r of rows.slice(0, PROBLEM_LIST_LIMIT)) {
    const w = whereOf(rel, r.sheet_id);
    problems.push({
      file: w.file,
      sheet: w.sheet,
      row: r.src_row,
      column: w.info?.headerOf.get(f.name),
      field: f.name,
      severity: 'error',
      ...toProblem(r),
    } as Problem);
  }
  if (rows.length > PROBLEM_LIST_LIMIT) {
    const n = await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${from})`);
    const first = toProblem(rows[0]);
    problems.push({
      file: `${rel.def.label}表`,
      field: f.name,
      severity: 'error',
      code: first.code ?? 'BAD_NUMBER',
      message: `「${f.label}」列另有 ${(n?.n ?? 0) - PROBLEM_LIST_LIMIT} 行同类错误未逐一列出`,
    });
  }
}

async function collectValueProblems(
  store: Store,
  rel: StagedRelation,
  fields: FieldDef[],
  badCounts: Map<string, number>,
  problems: Problem[],
): Promise<void> {
  for (const f of fields) {
    const col = stagedColumn(f);
    if ((badCounts.get(f.name) ?? 0) > 0) {
      await listProblems(
        store,
        rel,
        f,
        `SELECT s.sheet_id, s.src_row, d.raw, d.code, d.reason FROM ${rel.table} s JOIN ${dictName(rel, f)} d ON s.${col} = d.raw WHERE d.code IS NOT NULL`,
        problems,
        (r) => ({ code: r.code as Problem['code'], value: r.raw ?? '', message: r.reason ?? '' }),
      );
    }
    if (f.required) {
      await listProblems(
        store,
        rel,
        f,
        `SELECT sheet_id, src_row, NULL AS raw, NULL AS code, NULL AS reason FROM ${rel.table} WHERE ${col} IS NULL`,
        problems,
        () => ({ code: 'REQUIRED', value: '', message: `必填项「${f.label}」为空` }),
      );
    }
  }
}

/** What valueExpr gives for a blank cell: the value of a field the file has no column for. */
function emptyExpr(f: FieldDef): string {
  if (f.kind === 'bool') return 'false';
  if (f.kind === 'enum' && f.emptyValue) return `CAST('${f.emptyValue}' AS ${columnType(f)})`;
  return `CAST(NULL AS ${columnType(f)})`;
}

function valueExpr(f: FieldDef): string {
  const col = `s.${stagedColumn(f)}`;
  if (f.kind === 'secret') return normaliseIdentifierSql(col);
  if (f.kind === 'text') return `nullif(trim(${col}), '')`;
  const d = `d_${f.name}.val`;
  if (f.kind === 'bool') return `coalesce(${d}, false)`;
  if (f.kind === 'enum' && f.emptyValue) return `coalesce(${d}, '${f.emptyValue}')`;
  return d;
}

/**
 * Type one staged relation. `outFields` are the target table's fields in
 * order; `defaults` give each sheet's unit and period, `fileIds` its file.
 */
export async function typeRelation(
  store: Store,
  rel: StagedRelation,
  outFields: FieldDef[],
  defaults: Map<number, SheetDefaults>,
  fileIds: Map<number, number>,
  problems: Problem[],
): Promise<TypedRelation> {
  // Fields without a column in any sheet take their empty value: no
  // dictionary, no join over the rows.
  const fields = rel.fields.filter((f) => !rel.absent?.has(f.name));
  const absent = new Set(rel.fields.filter((f) => rel.absent?.has(f.name)).map((f) => f.name));
  const badCounts = new Map<string, number>();
  for (const f of fields) if (PARSED_KINDS.has(f.kind)) badCounts.set(f.name, await buildDictionary(store, rel, f));
  await collectValueProblems(store, rel, fields, badCounts, problems);

  const sheetTable = rel.table.replace(/^stg_/, 'sht_');
  await store.run(`CREATE OR REPLACE TEMP TABLE ${sheetTable} (sheet_id INTEGER, file_id INTEGER, sheet VARCHAR, unit VARCHAR, period VARCHAR)`);
  const app = await store.conn.createAppender(sheetTable, 'main', 'temp');
  for (const s of rel.sheets) {
    const d = defaults.get(s.id) ?? {};
    app.appendInteger(s.id);
    app.appendInteger(fileIds.get(s.id)!);
    for (const v of [s.source.sheet, d.unit, d.period]) {
      if (v == null) app.appendNull();
      else app.appendVarchar(v);
    }
    app.endRow();
  }
  app.closeSync();

  const byName = new Set(fields.map((f) => f.name));
  const dictJoin = (f: FieldDef) => `LEFT JOIN ${dictName(rel, f)} d_${f.name} ON s.${stagedColumn(f)} = d_${f.name}.raw`;
  const parsed = fields.filter((f) => PARSED_KINDS.has(f.kind));
  const cols = outFields.map((f) =>
    byName.has(f.name) ? `${valueExpr(f)} AS ${f.name}` : `${absent.has(f.name) ? emptyExpr(f) : `CAST(NULL AS ${columnType(f)})`} AS ${f.name}`,
  );
  const keyField = rel.def.uniqueKey ? fields.find((f) => f.name === rel.def.uniqueKey) : undefined;
  const dupKey = keyField ? `CAST(${valueExpr(keyField)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  const unit = byName.has('community_code') ? 'coalesce(d_community_code.val, x.unit)' : 'x.unit';
  const period = byName.has('report_period') ? 'coalesce(d_report_period.val, x.period)' : 'x.period';
  const rawText = (name: string) => {
    const f = fields.find((x) => x.name === name);
    return f ? `coalesce(s.${stagedColumn(f)}, '')` : `''`;
  };
  const rawUnit = rawText('community_code');
  const rawPeriod = rawText('report_period');
  const table = rel.table.replace(/^stg_/, 'typ_');
  // The full typed view, for the small tables (registries, profiles) read
  // as typed rows.
  await store.run(
    `CREATE OR REPLACE TEMP VIEW ${table} AS
     SELECT s.sheet_id, s.src_row, CAST(${unit} AS VARCHAR) AS org_unit, CAST(${period} AS VARCHAR) AS period, ${cols.join(', ')}
     FROM ${rel.table} s JOIN ${sheetTable} x ON x.sheet_id = s.sheet_id ${parsed.map(dictJoin).join('\n')}`,
  );
  // One pass over the rows: how many per (sheet, raw unit text, raw period
  // text); the dictionaries and sheet defaults then give each small group
  // its unit and period.
  const rawGroups = rel.table.replace(/^stg_/, 'rgp_');
  const unitParsed = parsed.filter((f) => f.name === 'community_code' || f.name === 'report_period');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${rawGroups} AS
     WITH g AS (SELECT s.sheet_id, ${rawUnit} AS raw_unit, ${rawPeriod} AS raw_period, count(*) AS n, min(s.src_row) AS first_row
                FROM ${rel.table} s GROUP BY ALL)
     SELECT g.sheet_id, g.raw_unit, g.raw_period, CAST(${unit} AS VARCHAR) AS org_unit, CAST(${period} AS VARCHAR) AS period, g.n, g.first_row
     FROM g JOIN ${sheetTable} x ON x.sheet_id = g.sheet_id
     ${unitParsed.map((f) => `LEFT JOIN ${dictName(rel, f)} d_${f.name} ON nullif(g.raw_${f.name === 'community_code' ? 'unit' : 'period'}, '') = d_${f.name}.raw`).join('\n')}`,
  );
  const groups = rel.table.replace(/^stg_/, 'grp_');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${groups} AS
     SELECT sheet_id, org_unit, period, sum(n)::BIGINT AS n, min(first_row) AS first_row FROM ${rawGroups} GROUP BY ALL`,
  );
  const keyJoin = keyField && PARSED_KINDS.has(keyField.kind) ? dictJoin(keyField) : '';
  const dupSource = keyField
    ? `(SELECT s.sheet_id, s.src_row, ${rawUnit} AS raw_unit, ${rawPeriod} AS raw_period, ${dupKey} AS dk,
          ${rel.hashed?.has(keyField.name) ? `s.${hashedColumn(keyField)}` : dupKey} AS dh FROM ${rel.table} s ${keyJoin})`
    : null;
  const secretFields = new Set(outFields.filter((f) => f.kind === 'secret' && byName.has(f.name)).map((f) => f.name));
  const loadFrom = `${rel.table} s ${parsed.filter((f) => !unitParsed.includes(f)).map(dictJoin).join('\n')}`;
  const loadSelect = outFields
    .map((f) => {
      if (!byName.has(f.name)) return absent.has(f.name) ? emptyExpr(f) : `CAST(NULL AS ${columnType(f)})`;
      if (!secretFields.has(f.name)) return valueExpr(f);
      // The bulk path hashed the identifier while reading the file.
      return rel.hashed?.has(f.name) ? `s.${hashedColumn(f)}` : personKeyExpr(store, valueExpr(f));
    })
    .join(', ');
  return { staged: rel, table, rawGroups, groups, dupSource, loadFrom, loadSelect, sheetTable, rawUnit, rawPeriod };
}
