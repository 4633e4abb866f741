// Test helper: writes org units and exports straight into the canonical
// tables with fake lineage (one batch, one file per export, src_row from 2).
// Kept for the property tests, which build ~100 small stores: the importer
// route (./files.ts: write the files, then importPaths) costs about a second
// a store there. The tiny district goes through files and the importer.

import type { Store } from '../../../server/db/store.ts';
import { type TableName, tableDef } from '../../../server/import/contract/tables.ts';

export interface UnitRow {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  parent_code?: string | null;
  area_type?: 'urban' | 'rural' | null;
}

export interface ExportRows {
  unit: string;
  period: string;
  table: Exclude<TableName, 'org_units'>;
  rows: Record<string, string | number | boolean | null>[];
}

let nextExport = 1;

export async function writeUnits(store: Store, units: UnitRow[]): Promise<void> {
  for (const u of units) {
    await store.run(`INSERT INTO org_units VALUES ($1, $2, $3, $4, $5, 1)`, [u.code, u.name, u.level, u.parent_code ?? null, u.area_type ?? null]);
  }
}

/** Writes exports; a later export of the same (unit, period, table) supersedes the earlier. */
export async function writeExports(store: Store, exports: ExportRows[], batchId = 1): Promise<number[]> {
  const ids: number[] = [];
  for (const e of exports) {
    const id = nextExport++;
    ids.push(id);
    const name = `${e.unit}_${e.period}_${e.table}.csv`;
    await store.run(`INSERT INTO import_files VALUES ($1, $2, $3, $4, NULL, 'sha', 0, 'csv', 'utf-8', $5)`, [id, batchId, `/fixtures/${name}`, name, e.rows.length]);
    await store.run(`UPDATE exports SET superseded_by = $1 WHERE org_unit = $2 AND period = $3 AND table_name = $4 AND superseded_by IS NULL`, [id, e.unit, e.period, e.table]);
    await store.run(`INSERT INTO exports VALUES ($1, $2, $1, $3, $4, $5, $6, $7, NULL)`, [id, batchId, e.table, e.table, e.unit, e.period, e.rows.length]);
    // Rows of one export share their columns: insert them 200 at a time.
    const cols = [...new Set(e.rows.flatMap((row) => Object.keys(row)))];
    const names = ['export_id', 'batch_id', 'file_id', 'sheet', 'src_row', 'org_unit', 'period', ...cols];
    // A personal identifier is stored as a 128-bit key: the fixture's text
    // stands in for an ID number and its MD5 for the importer's HMAC.
    const keyed = new Set(tableDef(e.table).fields.filter((f) => f.kind === 'secret').map((f) => f.name));
    const place = (j: number, n: number) => (keyed.has(names[j]) ? `md5_number(CAST($${n} AS VARCHAR))` : `$${n}`);
    for (let start = 0; start < e.rows.length; start += 200) {
      const chunk = e.rows.slice(start, start + 200);
      const vals: (string | number | boolean | null)[] = [];
      const tuples = chunk.map((row, k) => {
        const rowVals = [id, batchId, id, e.table, start + k + 2, e.unit, e.period, ...cols.map((c) => row[c] ?? null)];
        const ph = rowVals.map((_, j) => place(j, vals.length + j + 1));
        vals.push(...rowVals);
        return `(${ph.join(', ')})`;
      });
      await store.run(`INSERT INTO ${e.table} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, vals);
    }
  }
  return ids;
}
