// Loading typed relations into the store, inside the batch's transaction:
// org units from registries and profiles, the checks that need the whole
// batch (unit known, period found, duplicate keys, two files for one export),
// then exports, canonical rows with lineage, and supersession of older
// exports. Every step is a set-based statement per table.

import type { Store } from '../db/store.ts';
import { storedFields } from './contract/tables.ts';
import type { Problem } from './problems.ts';
import { maskIdentifier, PROBLEM_LIST_LIMIT, type TypedRelation, whereOf } from './typing.ts';

/** Registry rows upsert org units; level and parent are inferred from the code when absent. */
export async function loadRegistry(store: Store, t: TypedRelation, batchId: number): Promise<void> {
  await store.run(
    `INSERT OR REPLACE INTO org_units (code, name, level, parent_code, area_type, batch_id)
     SELECT code, any_value(name),
       coalesce(any_value(level), CASE length(code) WHEN 6 THEN 'district' WHEN 9 THEN 'street' ELSE 'community' END),
       coalesce(any_value(parent_code), CASE length(code) WHEN 12 THEN code[1:9] WHEN 9 THEN code[1:6] END),
       any_value(area_type), $batch
     FROM ${t.table} WHERE code IS NOT NULL GROUP BY code`,
    { batch: batchId },
  );
}

/**
 * Profiles name communities: create the ones not yet known, with their street
 * (code prefix, name from the profile) and district; fill a missing area type.
 */
export async function loadUnitsFromProfiles(store: Store, t: TypedRelation, batchId: number): Promise<void> {
  await store.run(`CREATE OR REPLACE TEMP TABLE prof_units AS
    SELECT org_unit AS code, any_value(community_name) AS name, any_value(street_name) AS street_name, any_value(area_type) AS area_type
    FROM ${t.table} WHERE org_unit IS NOT NULL GROUP BY org_unit`);
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
export async function checkTyped(store: Store, t: TypedRelation, problems: Problem[]): Promise<void> {
  const rel = t.staged;
  const missing = await store.all<{ sheet_id: number; no_unit: number; no_period: number; first_unit: number; first_period: number }>(
    `SELECT sheet_id, sum(n) FILTER (WHERE org_unit IS NULL)::INTEGER AS no_unit, sum(n) FILTER (WHERE period IS NULL)::INTEGER AS no_period,
            min(first_row) FILTER (WHERE org_unit IS NULL) AS first_unit, min(first_row) FILTER (WHERE period IS NULL) AS first_period
     FROM ${t.groups} GROUP BY sheet_id HAVING no_unit > 0 OR no_period > 0 ORDER BY sheet_id`,
  );
  for (const m of missing) {
    const w = whereOf(rel, m.sheet_id);
    if (m.no_unit > 0) {
      problems.push({
        file: w.file,
        sheet: w.sheet,
        code: 'NO_UNIT',
        severity: 'error',
        row: m.first_unit,
        field: 'community_code',
        message: `有 ${m.no_unit} 行无法确定所属社区：表中没有社区代码列，同一导出中也没有基本情况表，文件名中也找不到已知的社区名称`,
      });
    }
    if (m.no_period > 0) {
      problems.push({
        file: w.file,
        sheet: w.sheet,
        code: 'NO_PERIOD',
        severity: 'error',
        row: m.first_period,
        field: 'report_period',
        message: `有 ${m.no_period} 行无法确定报告期：表中没有报告期列，基本情况表和文件名中也找不到（可用 2016Q4、2016年第四季度、2016-12）`,
      });
    }
  }
  const unknown = await store.all<{ sheet_id: number; org_unit: string; rows: number; first_row: number }>(
    `SELECT sheet_id, org_unit, sum(n)::INTEGER AS rows, min(first_row) AS first_row FROM ${t.groups} g
     WHERE org_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.code = g.org_unit)
     GROUP BY sheet_id, org_unit ORDER BY sheet_id, first_row LIMIT ${PROBLEM_LIST_LIMIT}`,
  );
  for (const u of unknown) {
    const w = whereOf(rel, u.sheet_id);
    problems.push({
      file: w.file,
      sheet: w.sheet,
      code: 'UNKNOWN_UNIT',
      severity: 'error',
      row: u.first_row,
      column: w.info?.headerOf.get('community_code'),
      field: 'community_code',
      value: u.org_unit,
      message: u.rows > 1 ? `社区代码未在区划表或任何基本情况表中登记（共 ${u.rows} 行，首次出现在此行）` : '社区代码未在区划表或任何基本情况表中登记',
    });
  }
  const key = rel.def.uniqueKey;
  if (key && t.dupSource) {
    // Candidates by a 64-bit hash of (sheet, key) over the staged rows (no
    // join; on the bulk path the key's HMAC from the read pass, not
    // normalised again); only when there are any, the real comparison, with
    // each row's unit and period, on the candidates alone. A repeated hash is
    // found by sorting the hashes and comparing neighbours: on 10 million
    // keys, nearly all distinct, that costs about a third of the CPU of
    // grouping them (a hash table as large as the roster).
    await store.run(
      `CREATE OR REPLACE TEMP TABLE dup_candidates AS
       SELECT DISTINCT h FROM (SELECT h, lead(h) OVER (ORDER BY h) AS next FROM (SELECT hash(sheet_id, dh) AS h FROM ${t.dupSource} WHERE dh IS NOT NULL))
       WHERE h = next`,
    );
    const candidates = Number((await store.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM dup_candidates`))?.n ?? 0);
    const dups =
      candidates === 0
        ? []
        : await store.all<{ sheet_id: number; rows: number[]; raw: string }>(
            `WITH r AS MATERIALIZED (SELECT * FROM ${t.dupSource} d WHERE d.dh IS NOT NULL AND hash(d.sheet_id, d.dh) IN (SELECT h FROM dup_candidates))
             SELECT r.sheet_id, list(r.src_row ORDER BY r.src_row) AS rows, any_value(r.dk) AS raw
             FROM r JOIN ${t.rawGroups} g ON g.sheet_id = r.sheet_id AND g.raw_unit = r.raw_unit AND g.raw_period = r.raw_period
             WHERE g.org_unit IS NOT NULL
             GROUP BY r.sheet_id, g.org_unit, g.period, r.dk HAVING count(*) > 1
             ORDER BY r.sheet_id, min(r.src_row) LIMIT ${PROBLEM_LIST_LIMIT}`,
          );
    const f = rel.def.fields.find((x) => x.name === key)!;
    for (const d of dups) {
      const w = whereOf(rel, d.sheet_id);
      problems.push({
        file: w.file,
        sheet: w.sheet,
        code: 'DUPLICATE_KEY',
        severity: 'error',
        row: d.rows[1],
        column: w.info?.headerOf.get(key),
        field: key,
        // Never echo a clear identifier: mask it.
        value: f.kind === 'secret' ? maskIdentifier(d.raw) : d.raw,
        message: `同一名册中「${f.label}」重复（第 ${d.rows.join('、')} 行）`,
      });
    }
  }
}

/**
 * Create the exports of the batch: one per sheet x unit x period, and one of
 * zero rows for an empty roster whose unit and period are known.
 */
export async function createExports(store: Store, batchId: number, t: TypedRelation): Promise<void> {
  await store.run(
    `INSERT INTO exports
     WITH parts AS (
       SELECT g.sheet_id, g.org_unit, g.period, g.n FROM ${t.groups} g
       UNION ALL
       SELECT x.sheet_id, x.unit, x.period, 0 FROM ${t.sheetTable} x
       WHERE x.unit IS NOT NULL AND x.period IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${t.groups} g WHERE g.sheet_id = x.sheet_id))
     SELECT (SELECT coalesce(max(export_id), 0) FROM exports) + row_number() OVER (ORDER BY p.sheet_id, p.org_unit, p.period),
            $batch, x.file_id, x.sheet, $table, p.org_unit, p.period, p.n, NULL
     FROM parts p JOIN ${t.sheetTable} x USING (sheet_id)`,
    { batch: batchId, table: t.staged.def.name },
  );
}

/** Two sheets of one batch for the same (unit, period, table) cannot both be current. */
export async function checkConflicts(store: Store, batchId: number, problems: Problem[]): Promise<void> {
  const conflicts = await store.all<{ table_name: string; org_unit: string; period: string; files: string[] }>(
    `SELECT e.table_name, e.org_unit, e.period, list(DISTINCT f.path || coalesce(' › ' || e.sheet, '')) AS files
     FROM exports e JOIN import_files f USING (file_id) WHERE e.batch_id = $batch
     GROUP BY e.table_name, e.org_unit, e.period HAVING count(*) > 1 ORDER BY e.org_unit, e.period`,
    { batch: batchId },
  );
  for (const c of conflicts) {
    problems.push({
      code: 'CONFLICT',
      severity: 'error',
      file: c.files.join('；'),
      value: `${c.org_unit} ${c.period} ${c.table_name}`,
      message: '同一批次中有多个文件提供了同一社区、同一报告期的同一张表，无法判断以哪个为准',
    });
  }
}

/** Insert the typed rows with lineage; returns the number of rows. */
export async function loadRows(store: Store, batchId: number, t: TypedRelation): Promise<number> {
  const def = t.staged.def;
  const cols = storedFields(def).map((f) => f.name);
  // Export of each (sheet, raw unit text, raw period text), from the small
  // group table, so the big insert joins once, on plain equalities, with no
  // unit or period dictionary.
  const exportOf = t.groups.replace(/^grp_/, 'exm_');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${exportOf} AS
     SELECT g.sheet_id, g.raw_unit, g.raw_period, g.org_unit, g.period, x.file_id, x.sheet, e.export_id
     FROM ${t.rawGroups} g JOIN ${t.sheetTable} x ON x.sheet_id = g.sheet_id
       JOIN exports e ON e.batch_id = $batch AND e.file_id = x.file_id AND e.sheet IS NOT DISTINCT FROM x.sheet
         AND e.table_name = $table AND e.org_unit = g.org_unit AND e.period = g.period`,
    { batch: batchId, table: def.name },
  );
  return store.exec(
    `INSERT INTO ${def.name} (export_id, batch_id, file_id, sheet, src_row, org_unit, period, ${cols.join(', ')})
     SELECT m.export_id, $batch, m.file_id, m.sheet, s.src_row, m.org_unit, m.period, ${t.loadSelect}
     FROM ${t.loadFrom}
       JOIN ${exportOf} m ON m.sheet_id = s.sheet_id AND m.raw_unit = ${t.rawUnit} AND m.raw_period = ${t.rawPeriod}
       CROSS JOIN hmac_key k`,
    { batch: batchId },
  );
}

/** Older exports of the same (unit, period, table) are superseded, not deleted. */
export async function supersede(store: Store, batchId: number): Promise<void> {
  await store.run(
    `UPDATE exports o SET superseded_by = n.export_id FROM exports n
     WHERE n.batch_id = $batch AND o.batch_id < $batch AND o.superseded_by IS NULL
       AND o.org_unit = n.org_unit AND o.period = n.period AND o.table_name = n.table_name`,
    { batch: batchId },
  );
}
