// `sanshe batches`: the import history, newest first, with each batch's files.

import { resolveDbPath, Store } from '../db/store.ts';
import { localStamp } from '../db/time.ts';
import { listBatches } from '../import/history.ts';
import { flagString, parseArgs } from './args.ts';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json']);
  const store = await Store.open(resolveDbPath(flagString(args, 'db')), { waitMs: 10_000 });
  try {
    const batches = await listBatches(store);
    if (args.flags.json) {
      process.stdout.write(`${JSON.stringify(batches, null, 2)}\n`);
      return 0;
    }
    if (batches.length === 0) process.stdout.write('尚无导入批次。\n');
    for (const b of batches) {
      process.stdout.write(`批次 ${b.batch_id}  ${localStamp(b.started_at)}  ${b.imported_by}  ${b.source}  ${b.status}  ${b.file_count} 个文件  ${b.row_count} 行\n`);
      for (const f of b.files) process.stdout.write(`    ${f.path}  ${f.row_count} 行  sha256 ${f.sha256.slice(0, 12)}…\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}
