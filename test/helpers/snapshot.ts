// A whole-store snapshot: every base table of the store (all rows, sorted),
// as plain JSON, to compare before and after an import that must change
// nothing. Takes an open Store, or a path (opened and closed here).

import { existsSync } from 'node:fs';
import { Store } from '../../server/db/store.ts';

export type StoreSnapshot = Record<string, unknown[]>;

export async function tableNames(store: Store): Promise<string[]> {
  const rows = await store.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function snapshotOpen(store: Store): Promise<StoreSnapshot> {
  const out: StoreSnapshot = {};
  for (const t of await tableNames(store)) {
    // Table names come from the catalog; quoting keeps them identifiers.
    out[t] = await store.all(`SELECT * FROM "${t.replace(/"/g, '""')}" ORDER BY ALL`);
  }
  return out;
}

/** Snapshot an open store, or the store at `dbPath` (opened and closed; none = empty). */
export async function snapshotStore(target: Store | string): Promise<StoreSnapshot> {
  if (typeof target !== 'string') return snapshotOpen(target);
  if (!existsSync(target)) return {};
  const store = await Store.open(target);
  try {
    return await snapshotOpen(store);
  } finally {
    store.close();
  }
}

/**
 * Every (table or view, column) of the main schema whose value, cast to
 * VARCHAR, contains one of `needles` (case-insensitive).
 */
export async function findInStore(store: Store, needles: string[]): Promise<{ table: string; column: string; needle: string }[]> {
  const cols = await store.all<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'
     ORDER BY table_name, column_index`,
  );
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const byTable = new Map<string, { name: string; type: string }[]>();
  for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), { name: c.column_name, type: c.data_type }]);
  const up = needles.map((n) => n.toUpperCase());
  const hits: { table: string; column: string; needle: string }[] = [];
  // Searched in SQL, one pass per table (the bulk-path tests search a roster
  // of 280,000 rows). An integer column (a 128-bit person key) holds a needle
  // when it holds the needle's number: DuckDB casts a UHUGEINT to text at
  // ~80 µs a value, so it is compared as a number, not searched as text.
  const integer = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?)$/;
  for (const [table, columns] of byTable) {
    const found = columns.flatMap((c, i) =>
      up.map((_, n) =>
        integer.test(c.type)
          ? `bool_or(${q(c.name)} = TRY_CAST($n${n} AS ${c.type})) AS h${i}_${n}`
          : `bool_or(contains(upper(CAST(${q(c.name)} AS VARCHAR)), $n${n})) AS h${i}_${n}`,
      ),
    );
    const row = await store.one<Record<string, boolean | null>>(
      `SELECT ${found.join(', ')} FROM ${q(table)}`,
      Object.fromEntries(up.map((u, n) => [`n${n}`, u])),
    );
    columns.forEach((column, i) => {
      up.forEach((_, n) => {
        if (row?.[`h${i}_${n}`]) hits.push({ table, column: column.name, needle: needles[n] });
      });
    });
  }
  return hits;
}

/**
 * Store invariants after any sequence of imports, crashes and races: every
 * batch is complete (its files, exports and rows all present and counted
 * right) and no row or export is orphaned. Returns the violations.
 */
export async function consistencyViolations(store: Store): Promise<string[]> {
  const out: string[] = [];
  const dataTables = (await store.all<{ name: string }>(`SELECT DISTINCT table_name AS name FROM exports`)).map((r) => r.name);
  const q = (sql: string) => store.all<Record<string, unknown>>(sql);
  const add = (label: string, rows: Record<string, unknown>[]) => {
    if (rows.length) out.push(`${label}: ${JSON.stringify(rows.slice(0, 5))}`);
  };
  for (const t of dataTables) {
    add(`${t} rows without export`, await q(`SELECT DISTINCT d.export_id FROM ${t} d ANTI JOIN exports e ON e.export_id = d.export_id`));
    add(
      `${t} exports whose row_count differs from their rows`,
      await q(`SELECT e.export_id, e.row_count, (SELECT count(*) FROM ${t} d WHERE d.export_id = e.export_id) AS actual
               FROM exports e WHERE e.table_name = '${t}' AND e.row_count <> (SELECT count(*) FROM ${t} d WHERE d.export_id = e.export_id)`),
    );
  }
  add('exports without file', await q(`SELECT export_id FROM exports e ANTI JOIN import_files f ON f.file_id = e.file_id`));
  add('files without batch', await q(`SELECT file_id FROM import_files f ANTI JOIN import_batches b ON b.batch_id = f.batch_id`));
  add(
    'batches whose file count differs',
    await q(`SELECT b.batch_id FROM import_batches b WHERE b.file_count <> (SELECT count(*) FROM import_files f WHERE f.batch_id = b.batch_id)`),
  );
  add(
    'batches whose row count differs',
    await q(`SELECT b.batch_id FROM import_batches b WHERE b.row_count <> (SELECT coalesce(sum(row_count), 0) FROM exports e WHERE e.batch_id = b.batch_id)`),
  );
  add('unfinished batches', await q(`SELECT batch_id FROM import_batches WHERE finished_at IS NULL OR status <> 'committed'`));
  add(
    'two current exports for one (unit, period, table)',
    await q(`SELECT org_unit, period, table_name FROM exports WHERE superseded_by IS NULL GROUP BY ALL HAVING count(*) > 1`),
  );
  return out;
}
