// A child process for crash and concurrency tests: opens the store, imports
// the given paths and reports progress as JSON lines on stdout
// (`{"phase":...}`), then `{"done":true,...}` (or `{"rejected":...}`).
// Usage: node --import tsx test/helpers/import-child.ts DB PATH...

import { Store } from '../../server/db/store.ts';
import { importPaths } from '../../server/import/importer.ts';
import { ImportRejected } from '../../server/import/problems.ts';

const [dbPath, ...paths] = process.argv.slice(2);
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const store = await Store.open(dbPath, { waitMs: Number(process.env.SANSHE_LOCK_WAIT_MS ?? 0) });
say({ opened: true });
try {
  const t0 = Date.now();
  const s = await importPaths(store, paths, { source: 'test', onProgress: (p) => say({ phase: p.phase, done: p.done, total: p.total }) });
  say({ done: true, status: s.status, rows: s.rows, batchId: s.batchId, ms: Date.now() - t0 });
} catch (err) {
  if (err instanceof ImportRejected) say({ rejected: err.problems });
  else throw err;
} finally {
  store.close();
}
