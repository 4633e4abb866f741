// `npm run bench [-- --only import,xlsx,metrics] [--rows N] [--communities N] [--rounds N]`:
// every benchmark beside its baseline in the same run, printed with ratios.
// Figures, not assertions: nothing here fails on a slow machine.

import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { flagString, parseArgs } from '../../server/cli/args.ts';
import { benchImport, fmt, importBenchLines } from './import-bench.ts';
import { benchXlsx } from './read-bench.ts';

const args = parseArgs(process.argv.slice(2));
const only = new Set((flagString(args, 'only') ?? 'import,xlsx,metrics,api,ui').split(','));
const rows = Number(flagString(args, 'rows') ?? 10_000_000);
const communities = Number(flagString(args, 'communities') ?? 10_000);
/** Rounds of the import bench (each side once per round; medians reported). */
const rounds = Number(flagString(args, 'rounds') ?? 3);
const dir = resolve('bench-out');
mkdirSync(dir, { recursive: true });

if (only.has('xlsx')) {
  const x = await benchXlsx(50_000);
  console.log(`xlsx reader: ${x.rows} rows in ${fmt(x.seconds)} s = ${Math.round(x.rowsPerSecond)} rows/s (target >= 30000; ratio ${fmt(x.rowsPerSecond / 30_000)}x of target)`);
}

if (only.has('import')) {
  const r = await benchImport(dir, communities, rows, rounds);
  for (const line of importBenchLines(r, communities)) console.log(line);
}

if (only.has('metrics')) {
  const path = resolve('metrics/bench.ts');
  if (existsSync(path)) {
    const m = await import('../../metrics/bench.ts');
    const out = await m.benchMetrics({ communities, volunteerRows: rows, log: (line: string) => console.log(`  metrics: ${line}`) });
    console.log(`metrics: ${JSON.stringify(out, null, 2)}`);
  } else console.log('metrics: no metrics/bench.ts yet');
}

if (only.has('api')) {
  const { benchApi } = await import('./api-bench.ts');
  const out = await benchApi({ communities, log: (line: string) => console.log(`  api: ${line}`) });
  console.log(`api: ${JSON.stringify(out, null, 2)}`);
}

if (only.has('ui')) {
  const m = await import('./ui-bench.ts');
  const out = await m.benchUi({ log: (line: string) => console.log(`  ui: ${line}`) });
  console.log(`ui: ${JSON.stringify(out, null, 2)}`);
  // Province scale: the metrics benchmark's store (communities x 12 quarters) written to a file and served as it is.
  const { buildBenchStore } = await import('../../metrics/bench.ts');
  const { Store } = await import('../../server/db/store.ts');
  const db = resolve(dir, `province-ui-${communities}.duckdb`);
  if (!existsSync(db)) {
    const store = await Store.open(db);
    await buildBenchStore(store, communities, 12, rows, 200_000);
    store.close();
  }
  const big = await m.benchUi({ db, label: `province ${communities}`, log: (line: string) => console.log(`  ui: ${line}`) });
  console.log(`ui (province): ${JSON.stringify(big, null, 2)}`);
}
