// `npm start`: open the store, import the sample district on first run
// (through the same importer as the CLI), and serve on 127.0.0.1:3000.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, flagString } from './cli/args.ts';
import { resolveDbPath, Store } from './db/store.ts';
import { createApp } from './http/app.ts';
import { importPaths } from './import/importer.ts';
import { formatProblem, ImportRejected } from './import/problems.ts';

const SAMPLE_DIR = resolve('datasets/out/sample-district');

async function ensureSample(store: Store): Promise<void> {
  const b = await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM import_batches`);
  if ((b?.n ?? 0) > 0) return;
  if (!existsSync(resolve(SAMPLE_DIR, 'manifest.json'))) {
    const { generateSampleDistrict } = await import('../datasets/sample/generate.ts');
    process.stdout.write(`首次运行：生成示例区数据到 ${SAMPLE_DIR} …\n`);
    await generateSampleDistrict(SAMPLE_DIR);
  }
  process.stdout.write('首次运行：导入示例区数据 …\n');
  try {
    const s = await importPaths(store, [SAMPLE_DIR], { source: 'sample', importedBy: 'sample' });
    process.stdout.write(`示例区已导入：批次 ${s.batchId}，${s.files.length} 个文件，${s.rows} 行。\n`);
  } catch (err) {
    if (err instanceof ImportRejected) for (const p of err.problems.slice(0, 50)) process.stderr.write(`  ${formatProblem(p)}\n`);
    throw err;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['no-sample']);
  const host = flagString(args, 'host') ?? process.env.HOST ?? '127.0.0.1';
  const port = Number(flagString(args, 'port') ?? process.env.PORT ?? 3000);
  const store = await Store.open(resolveDbPath(flagString(args, 'db')), { waitMs: 10_000 });
  if (!args.flags['no-sample']) await ensureSample(store);
  const server = createApp(store).listen(port, host, () => {
    process.stdout.write(`三社联动评估看板已启动：http://${host}:${port}/  (health: /health)\n`);
  });
  const shutdown = () => {
    server.close(() => {
      store.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  process.stderr.write(`启动失败 failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
