// Loading typed sheets into the store, inside the batch's transaction: org
// units from registries and profiles, the checks that need the whole batch
// (unit known, period found, duplicate keys, two files for one export), then
// exports, canonical rows with lineage, and supersession of older exports.

import type { Store } from '../db/store.ts';
import { storedFields, type TableDef } from './contract/tables.ts';
import type { Problem } from './problems.ts';
import { maskIdentifier, PROBLEM_LIST_LIMIT, storedValueSql, type TypedSheet } from './typing.ts';

export interface FileRecord {
  fileId: number;
}

function whereOf(t: TypedSheet) {
  return { file: t.staged.source.doc.display, sheet: t.staged.source.sheet };
}

/** Registry rows upsert org units; level and parent are inferred from the code when absent. */
export async function loadRegistry(store: Store, t: TypedSheet, batchId: number): Promise<void> {
  await store.run(
    `INSERT OR REPLACE INTO org_units (code, name, level, parent_code, area_type, batch_id)
     SELECT code, name,
       coalesce(level, CASE length(code) WHEN 6 THEN 'district' WHEN 9 THEN 'street' ELSE 'community' END),
       coalesce(parent_code, CASE length(code) WHEN 12 THEN code[1:9] WHEN 9 THEN code[1:6] END),
       area_type, $batch
     FROM ${t.table} WHERE code IS NOT NULL`,
    { batch: batchId },
  );
}

/**
 * Profiles name communities: create the ones not yet known, with their street
 * (code prefix, name from the profile) and district; fill a missing area type.
 */
export async function loadUnitsFromProfiles(store: Store, profiles: TypedSheet[], batchId: number): Promise<void> {
  if (profiles.length === 0) return;
  const union = profiles.map((p) => `SELECT org_unit, community_name, street_name, area_type FROM ${p.table}`).join(' UNION ALL ');
  await store.run(`CREATE OR REPLACE TEMP TABLE prof_units AS
    SELECT org_unit AS code, any_value(community_name) AS name, any_value(street_name) AS street_name, any_value(area_type) AS area_type
    FROM (${union}) WHERE org_unit IS NOT NULL GROUP BY org_unit`);
  await store.run(
    `INSERT INTO org_units SELECT DISTINCT code[1:6], NULL, 'district', NULL, NULL, $b FROM prof_units
       WHERE length(code) >= 6 AND code[1:6] NOT IN (SELECT code FROM org_units)`,
    { b: batchId },
  );
  await store.run(
    `INSERT INTO org_units SELECT code[1:9], any_value(street_name), 'street', code[1:6], NULL, $b FROM prof_units
       WHERE length(code) = 12 AND code[1:9] NOT IN (SELECT code FROM org_units) GROUP BY code[1:9], code[1:6]`,
    { b: batchId },
  );
  await store.run(
    `INSERT INTO org_units SELECT code, name, 'community', code[1:9], area_type, $b FROM prof_units
       WHERE length(code) = 12 AND code NOT IN (SELECT code FROM org_units)`,
    { b: batchId },
  );
  await store.run(`UPDATE org_units o SET area_type = p.area_type FROM prof_units p WHERE o.code = p.code AND o.area_type IS NULL`);
  await store.run(`UPDATE org_units o SET name = p.name FROM prof_units p WHERE o.code = p.code AND o.name IS NULL`);
}

/** Checks that need the typed rows and the batch's units. */
export async function checkTyped(store: Store, t: TypedSheet, problems: Problem[]): Promise<void> {
  const where = whereOf(t);
  const codeCol = t.staged.headerOf.get('community_code');
  const missing = await store.one<{ no_unit: number; no_period: number; first_unit: number; first_period: number }>(
    `SELECT count(*) FILTER (WHERE org_unit IS NULL)::INTEGER AS no_unit, count(*) FILTER (WHERE period IS NULL)::INTEGER AS no_period,
            min(src_row) FILTER (WHERE org_unit IS NULL) AS first_unit, min(src_row) FILTER (WHERE period IS NULL) AS first_period
     FROM ${t.keys}`,
  );
  if (missing && missing.no_unit > 0) {
    problems.push({
      ...where,
      code: 'NO_UNIT',
      severity: 'error',
      row: missing.first_unit,
      field: 'community_code',
      message: `有 ${missing.no_unit} 行无法确定所属社区：表中没有社区代码列，同一导出中也没有基本情况表，文件名中也找不到已知的社区名称`,
    });
  }
  if (missing && missing.no_period > 0) {
    problems.push({
      ...where,
      code: 'NO_PERIOD',
      severity: 'error',
      row: missing.first_period,
      field: 'report_period',
      message: `有 ${missing.no_period} 行无法确定报告期：表中没有报告期列，基本情况表和文件名中也找不到（可用 2016Q4、2016年第四季度、2016-12）`,
    });
  }
  const unknown = await store.all<{ src_row: number; org_unit: string }>(
    `SELECT src_row, org_unit FROM ${t.keys} WHERE org_unit IS NOT NULL AND org_unit NOT IN (SELECT code FROM org_units)
     ORDER BY src_row LIMIT ${PROBLEM_LIST_LIMIT}`,
  );
  for (const u of unknown) {
    problems.push({
      ...where,
      code: 'UNKNOWN_UNIT',
      severity: 'error',
      row: u.src_row,
      column: codeCol,
      field: 'community_code',
      value: u.org_unit,
      message: '社区代码未在区划表或任何基本情况表中登记',
    });
  }
  const key = t.staged.source.table.uniqueKey;
  if (key && t.staged.fields.some((f) => f.name === key)) {
    // Find duplicate keys by hash aggregation first; list rows only for those.
    const dups = await store.all<{ rows: number[]; raw: string }>(
      `WITH d AS (SELECT org_unit, period, _dupkey FROM ${t.keys}
                  WHERE _dupkey IS NOT NULL AND org_unit IS NOT NULL
                  GROUP BY org_unit, period, _dupkey HAVING count(*) > 1 LIMIT ${PROBLEM_LIST_LIMIT})
       SELECT list(t.src_row ORDER BY t.src_row) AS rows, any_value(t._dupkey) AS raw
       FROM ${t.keys} t JOIN d USING (org_unit, period, _dupkey)
       GROUP BY t.org_unit, t.period, t._dupkey ORDER BY min(t.src_row)`,
    );
    const f = t.staged.source.table.fields.find((x) => x.name === key)!;
    for (const d of dups) {
      problems.push({
        ...where,
        code: 'DUPLICATE_KEY',
        severity: 'error',
        row: d.rows[1],
        column: t.staged.headerOf.get(key),
        field: key,
        // Never echo a clear identifier: mask it.
        value: f.kind === 'secret' ? maskIdentifier(d.raw) : d.raw,
        message: `同一名册中「${f.label}」重复（第 ${d.rows.join('、')} 行）`,
      });
    }
  }
}

export interface PendingExport {
  typed: TypedSheet;
  fileId: number;
}

/**
 * Create the exports of the batch (one per sheet x unit x period; an empty
 * roster with a known unit and period is an export of zero rows), refuse two
 * sheets of the batch for the same (unit, period, table), load the rows and
 * mark older exports superseded.
 */
export async function loadExports(
  store: Store,
  batchId: number,
  pending: PendingExport[],
  emptyExports: { fileId: number; sheet?: string; table: TableDef; unit: string; period: string; file: string }[],
  problems: Problem[],
): Promise<number> {
  let rows = 0;
  for (const p of pending) {
    const t = p.typed;
    const tableName = t.staged.source.table.name;
    await store.run(
      `INSERT INTO exports
       SELECT (SELECT coalesce(max(export_id), 0) FROM exports) + row_number() OVER (ORDER BY org_unit, period),
              $batch, $file, $sheet, $table, org_unit, period, count(*), NULL
       FROM ${t.keys} GROUP BY org_unit, period`,
      { batch: batchId, file: p.fileId, sheet: t.staged.source.sheet ?? null, table: tableName },
    );
  }
  for (const e of emptyExports) {
    await store.run(
      `INSERT INTO exports SELECT (SELECT coalesce(max(export_id), 0) FROM exports) + 1, $batch, $file, $sheet, $table, $unit, $period, 0, NULL`,
      { batch: batchId, file: e.fileId, sheet: e.sheet ?? null, table: e.table.name, unit: e.unit, period: e.period },
    );
  }
  const conflicts = await store.all<{ table_name: string; org_unit: string; period: string; files: string[] }>(
    `SELECT e.table_name, e.org_unit, e.period, list(DISTINCT f.name || coalesce(' / ' || e.sheet, '')) AS files
     FROM exports e JOIN import_files f USING (file_id) WHERE e.batch_id = $batch
     GROUP BY e.table_name, e.org_unit, e.period HAVING count(*) > 1`,
    { batch: batchId },
  );
  for (const c of conflicts) {
    problems.push({
      code: 'CONFLICT',
      severity: 'error',
      file: c.files.join('；'),
      value: `${c.org_unit} ${c.period} ${c.table_name}`,
      message: `同一批次中有多个文件提供了同一社区、同一报告期的同一张表，无法判断以哪个为准`,
    });
  }
  if (conflicts.length > 0) return 0;
  for (const p of pending) {
    const t = p.typed;
    const def = t.staged.source.table;
    const cols = storedFields(def).map((f) => f.name);
    const res = await store.conn.run(
      `INSERT INTO ${def.name} (export_id, batch_id, file_id, sheet, src_row, org_unit, period, ${cols.join(', ')})
       SELECT e.export_id, $batch, $file, $sheet, t.src_row, t.org_unit, t.period, ${cols.map((c) => storedValueSql(t, c)).join(', ')}
       FROM ${t.table} t CROSS JOIN ${t.ctx} c JOIN exports e ON e.batch_id = $batch AND e.file_id = $file AND e.sheet IS NOT DISTINCT FROM $sheet
         AND e.table_name = $table AND e.org_unit = t.org_unit AND e.period = t.period`,
      { batch: batchId, file: p.fileId, sheet: t.staged.source.sheet ?? null, table: def.name },
    );
    rows += Number(res.rowsChanged);
  }
  await store.run(
    `UPDATE exports o SET superseded_by = n.export_id FROM exports n
     WHERE n.batch_id = $batch AND o.batch_id < $batch AND o.superseded_by IS NULL
       AND o.org_unit = n.org_unit AND o.period = n.period AND o.table_name = n.table_name`,
    { batch: batchId },
  );
  return rows;
}
