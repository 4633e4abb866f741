// Import benchmark: a province-scale volunteer roster (10,000 communities,
// 10 million rows by default) imported through the importer, against DuckDB's
// own read_csv of the same file into a table of a fresh database, in the
// same run. The registry of units is imported first and not timed.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Store } from '../../server/db/store.ts';
import { importPaths } from '../../server/import/importer.ts';
import { writeProvinceRoster } from './province.ts';

export interface ImportBench {
  rows: number;
  megabytes: number;
  rawSeconds: number;
  importerSeconds: number;
  ratio: number;
}

function freshDb(path: string): void {
  for (const suffix of ['', '.wal', '.secret']) rmSync(`${path}${suffix}`, { force: true });
  rmSync(path.replace(/\.duckdb$/, '.secret'), { force: true });
}

export async function benchImport(dir: string, communities = 10_000, rows = 10_000_000): Promise<ImportBench> {
  const files = await writeProvinceRoster(join(dir, `province-${communities}-${rows}`), communities, rows);

  const rawPath = join(dir, 'raw.duckdb');
  freshDb(rawPath);
  const inst = await DuckDBInstance.create(rawPath);
  const conn = await inst.connect();
  let t0 = performance.now();
  await conn.run(`CREATE TABLE volunteers AS SELECT * FROM read_csv($path, header = true)`, { path: files.roster });
  await conn.run('CHECKPOINT');
  const rawSeconds = (performance.now() - t0) / 1000;
  conn.closeSync();
  inst.closeSync();

  const storePath = join(dir, 'importer.duckdb');
  freshDb(storePath);
  const store = await Store.open(storePath);
  await importPaths(store, [files.registry], { source: 'test' });
  t0 = performance.now();
  const summary = await importPaths(store, [files.roster], { source: 'test' });
  await store.run('CHECKPOINT');
  const importerSeconds = (performance.now() - t0) / 1000;
  store.close();
  if (summary.rows !== rows) throw new Error(`importer stored ${summary.rows} rows, expected ${rows}`);
  return { rows, megabytes: files.bytes / 1048576, rawSeconds, importerSeconds, ratio: importerSeconds / rawSeconds };
}
