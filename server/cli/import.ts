// `sanshe import`: load files, folders and zips into the store, with a progress
// bar on a terminal, a line per file, `--json` for scripts and `--dry-run` to
// validate without storing. Exit status 1 when the batch is rejected.

import { resolveDbPath, Store, StoreBusyError } from '../db/store.ts';
import { type ImportProgress, type ImportSummary, importPaths } from '../import/importer.ts';
import { formatProblem, ImportRejected } from '../import/problems.ts';
import { flagString, parseArgs } from './args.ts';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json', 'dry-run']);
  const json = args.flags.json === true;
  const dryRun = args.flags['dry-run'] === true;
  if (args.positional.length === 0) {
    process.stderr.write('用法: sanshe import [--db FILE] [--dry-run] [--json] PATH...\n');
    return 2;
  }
  let store: Store;
  try {
    store = await Store.open(resolveDbPath(flagString(args, 'db')), { waitMs: Number(process.env.SANSHE_LOCK_WAIT_MS ?? 10_000) });
  } catch (err) {
    if (err instanceof StoreBusyError) {
      process.stderr.write(`${err.message}\n`);
      return 3;
    }
    throw err;
  }
  const tty = process.stderr.isTTY && !json;
  try {
    const summary = await importPaths(store, args.positional, {
      dryRun,
      source: 'cli',
      importedBy: flagString(args, 'user'),
      onProgress: tty ? progressBar : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else printSummary(summary);
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\r\x1b[K');
    if (err instanceof ImportRejected) {
      if (json) process.stdout.write(`${JSON.stringify({ status: 'rejected', problems: err.problems }, null, 2)}\n`);
      else {
        process.stderr.write(`${err.message}\n`);
        for (const p of err.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
      }
      return 1;
    }
    throw err;
  } finally {
    store.close();
  }
}

function progressBar(p: ImportProgress): void {
  const width = 30;
  const frac = p.total ? p.done / p.total : 1;
  const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
  const phase = { read: '读取', check: '校验', load: '写入', done: '完成' }[p.phase];
  process.stderr.write(`\r\x1b[K${phase} ${bar} ${p.done}/${p.total} ${p.file ?? ''}`.slice(0, process.stderr.columns ?? 120));
}

function printSummary(s: ImportSummary): void {
  for (const f of s.files) {
    const status = { loaded: '已导入', unchanged: '未变化（与已导入文件完全相同）', checked: '校验通过' }[f.status];
    process.stdout.write(`${f.file}: ${status}，${f.rows} 行${f.tables.length ? `（${f.tables.join(', ')}）` : ''}\n`);
  }
  for (const p of s.problems) process.stdout.write(`  ${formatProblem(p)}\n`);
  const head = { committed: `批次 ${s.batchId} 已提交`, unchanged: '没有新数据', dry_run: '试运行：校验通过，未写入数据库' }[s.status];
  process.stdout.write(`${head}：${s.files.length} 个文件，${s.rows} 行。\n`);
}
