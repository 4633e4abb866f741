// Typing: parse a staged sheet's text into typed values, set-based. For each
// typed column the DISTINCT raw values are parsed once in TypeScript
// (contract/values.ts) into a dictionary table, which is joined back in SQL;
// identifiers are HMAC'd in SQL. Problems come out of SQL queries, not loops
// over rows. The typed rows land in `typ_<n>` with org_unit and period.

import { DuckDBBlobValue } from '@duckdb/node-api';
import type { Store } from '../db/store.ts';
import { columnType } from '../db/migrations.ts';
import type { FieldDef } from './contract/tables.ts';
import { parseField } from './contract/values.ts';
import type { Problem } from './problems.ts';
import { normaliseIdentifierSql } from './secret.ts';
import { type StagedSheet, stagedColumn } from './stage.ts';

/** Most problems listed per kind per sheet; the rest are counted. */
export const PROBLEM_LIST_LIMIT = 200;

const PARSED_KINDS = new Set(['code', 'count', 'number', 'area', 'date', 'bool', 'enum', 'period', 'score']);

export interface TypingContext {
  /** Unit and period when rows carry none (from the group's profile or the file name). */
  defaultUnit?: string;
  defaultPeriod?: string;
  ipad: Uint8Array;
  opad: Uint8Array;
}

export interface TypedSheet {
  staged: StagedSheet;
  /**
   * Temporary table with src_row, org_unit, period, the stored fields and
   * _dupkey. Identifier fields hold the normalised clear text here (memory
   * only); `storedValueSql` gives the HMAC that is stored.
   */
  table: string;
  /** Same as table (kept apart so checks may use a lighter relation). */
  keys: string;
  /** One-row table with the defaults and the HMAC pads. */
  ctx: string;
  /** Identifier fields, HMAC'd on the way into the store. */
  secretFields: Set<string>;
}

/** SQL for a typed column as stored: identifiers become HMAC-SHA-256 (hex). `c` is the ctx table. */
export function storedValueSql(t: TypedSheet, field: string, alias = 't'): string {
  return t.secretFields.has(field) ? `lower(sha256(c.opad || unhex(sha256(c.ipad || encode(${alias}.${field})))))` : `${alias}.${field}`;
}

function dictName(st: StagedSheet, f: FieldDef): string {
  return `${st.table.replace('stg_', 'dct_')}_${f.name}`;
}

/** Mask an identifier for messages: never echo a clear ID number. */
export function maskIdentifier(v: string): string {
  const s = v.trim();
  if (s.length <= 4) return '****';
  return `${s.slice(0, 2)}${'*'.repeat(Math.max(0, s.length - 6))}${s.slice(-4)}`;
}

async function buildDictionary(store: Store, st: StagedSheet, f: FieldDef): Promise<void> {
  const col = stagedColumn(f);
  const reader = await store.conn.runAndReadAll(`SELECT DISTINCT ${col} FROM ${st.table} WHERE ${col} IS NOT NULL`);
  // An empty roster (header only) has no values: getColumns() is then [].
  const raws = (reader.getColumns()[0] ?? []) as string[];
  const name = dictName(st, f);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${name}_txt (raw VARCHAR, val VARCHAR, code VARCHAR, reason VARCHAR)`);
  const app = await store.conn.createAppender(`${name}_txt`, 'main', 'temp');
  for (const raw of raws) {
    const p = parseField(raw, f);
    app.appendVarchar(raw);
    if (p.ok) {
      app.appendVarchar(String(p.value));
      app.appendNull();
      app.appendNull();
    } else {
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
}

/** Problems of parsing and of required fields, read from SQL. */
async function collectValueProblems(store: Store, st: StagedSheet, problems: Problem[]): Promise<void> {
  const where = { file: st.source.doc.display, sheet: st.source.sheet };
  for (const f of st.fields) {
    const col = stagedColumn(f);
    const column = st.headerOf.get(f.name);
    // Scan the rows only when the (small) dictionary holds a bad value.
    const anyBad = PARSED_KINDS.has(f.kind)
      ? await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${dictName(st, f)} WHERE code IS NOT NULL`)
      : undefined;
    if (anyBad && anyBad.n > 0) {
      const rows = await store.all<{ src_row: number; raw: string; code: string; reason: string }>(
        `SELECT s.src_row, d.raw, d.code, d.reason FROM ${st.table} s JOIN ${dictName(st, f)} d ON s.${col} = d.raw
         WHERE d.code IS NOT NULL ORDER BY s.src_row LIMIT ${PROBLEM_LIST_LIMIT + 1}`,
      );
      for (const r of rows.slice(0, PROBLEM_LIST_LIMIT)) {
        problems.push({ ...where, code: r.code as Problem['code'], severity: 'error', row: r.src_row, column, field: f.name, value: r.raw, message: r.reason });
      }
      if (rows.length > PROBLEM_LIST_LIMIT) {
        const tail = `JOIN ${dictName(st, f)} d ON s.${col} = d.raw WHERE d.code IS NOT NULL`;
        await pushMore(store, st, tail, f, column, problems, rows[0].code as Problem['code']);
      }
    }
    if (f.required) {
      const rows = await store.all<{ src_row: number }>(`SELECT src_row FROM ${st.table} s WHERE ${col} IS NULL ORDER BY src_row LIMIT ${PROBLEM_LIST_LIMIT + 1}`);
      for (const r of rows.slice(0, PROBLEM_LIST_LIMIT)) {
        problems.push({ ...where, code: 'REQUIRED', severity: 'error', row: r.src_row, column, field: f.name, value: '', message: `必填项「${f.label}」为空` });
      }
      if (rows.length > PROBLEM_LIST_LIMIT) await pushMore(store, st, `WHERE ${col} IS NULL`, f, column, problems, 'REQUIRED');
    }
  }
}

async function pushMore(
  store: Store,
  st: StagedSheet,
  tail: string,
  f: FieldDef,
  column: string | undefined,
  problems: Problem[],
  code: Problem['code'],
): Promise<void> {
  const r = await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${st.table} s ${tail}`);
  const more = (r?.n ?? 0) - PROBLEM_LIST_LIMIT;
  problems.push({
    file: st.source.doc.display,
    sheet: st.source.sheet,
    code,
    severity: 'error',
    column,
    field: f.name,
    message: `此列另有 ${more} 行同类错误未逐一列出`,
  });
}

function valueExpr(st: StagedSheet, f: FieldDef): string {
  const col = `s.${stagedColumn(f)}`;
  if (f.kind === 'secret') return normaliseIdentifierSql(col);
  if (f.kind === 'text') return `nullif(trim(${col}), '')`;
  const d = `d_${f.name}.val`;
  if (f.kind === 'bool') return `coalesce(${d}, false)`;
  if (f.kind === 'enum' && f.emptyValue) return `coalesce(${d}, '${f.emptyValue}')`;
  return d;
}

/**
 * Type one staged sheet. `outFields` are the fields of the target table in
 * order (absent ones become NULL, booleans false, enums their empty value).
 */
export async function typeSheet(
  store: Store,
  st: StagedSheet,
  outFields: FieldDef[],
  ctx: TypingContext,
  problems: Problem[],
): Promise<TypedSheet> {
  for (const f of st.fields) if (PARSED_KINDS.has(f.kind)) await buildDictionary(store, st, f);
  await collectValueProblems(store, st, problems);
  const present = new Set(st.fields.map((f) => f.name));
  const joins = st.fields
    .filter((f) => PARSED_KINDS.has(f.kind))
    .map((f) => `LEFT JOIN ${dictName(st, f)} d_${f.name} ON s.${stagedColumn(f)} = d_${f.name}.raw`)
    .join('\n');
  const unit = present.has('community_code') ? `coalesce(d_community_code.val, c.unit)` : 'c.unit';
  const period = present.has('report_period') ? `coalesce(d_report_period.val, c.period)` : 'c.period';
  const cols = outFields.map((f) => {
    if (!present.has(f.name)) {
      if (f.kind === 'bool') return `false AS ${f.name}`;
      if (f.kind === 'enum' && f.emptyValue) return `'${f.emptyValue}' AS ${f.name}`;
      return `CAST(NULL AS ${columnType(f)}) AS ${f.name}`;
    }
    return `${valueExpr(st, f)} AS ${f.name}`;
  });
  const key = st.source.table.uniqueKey;
  const keyField = key ? st.fields.find((f) => f.name === key) : undefined;
  const dupKey = keyField ? `CAST(${valueExpr(st, keyField)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  // Defaults and HMAC pads are bound as parameters into a one-row context
  // table, so nothing is pasted into SQL.
  const ctxTable = st.table.replace('stg_', 'ctx_');
  await store.run(`CREATE OR REPLACE TEMP TABLE ${ctxTable} (unit VARCHAR, period VARCHAR, ipad BLOB, opad BLOB)`);
  await store.run(`INSERT INTO ${ctxTable} VALUES ($unit, $period, $ipad, $opad)`, {
    unit: ctx.defaultUnit ?? null,
    period: ctx.defaultPeriod ?? null,
    ipad: blob(ctx.ipad),
    opad: blob(ctx.opad),
  } as never);
  // Materialised once (the dictionary joins run once); the checks scan it and
  // the final insert computes the HMAC once.
  const table = st.table.replace('stg_', 'typ_');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT s.src_row, CAST(${unit} AS VARCHAR) AS org_unit, CAST(${period} AS VARCHAR) AS period, ${cols.join(', ')},
            ${dupKey} AS _dupkey
     FROM ${st.table} s CROSS JOIN ${ctxTable} c ${joins}`,
  );
  const secretFields = new Set(outFields.filter((f) => f.kind === 'secret' && present.has(f.name)).map((f) => f.name));
  return { staged: st, table, keys: table, ctx: ctxTable, secretFields };
}

function blob(b: Uint8Array): DuckDBBlobValue {
  return new DuckDBBlobValue(b);
}
