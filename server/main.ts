// `npm start`: open the store, import the sample district on first run
// (through the same importer as the CLI), create the first admin (its
// one-time password printed once), and serve. On 127.0.0.1 the default is
// demo mode (a read-only `leader` without login); any other address needs
// accounts and refuses demo mode. SIGINT/SIGTERM stop accepting requests,
// let imports in flight finish (or roll back), then close the store.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pino from 'pino';
import { DEFAULT_PLAN } from '../metrics/plans/default.ts';
import { appendAudit } from './audit/log.ts';
import { countActiveAccounts, ensureFirstAdmin } from './auth/accounts.ts';
import { bindProblem, isLoopback } from './auth/bind.ts';
import { flagString, parseArgs } from './cli/args.ts';
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

class Refused extends Error {}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['no-sample', 'demo', 'no-demo']);
  const host = flagString(args, 'host') ?? process.env.HOST ?? '127.0.0.1';
  const port = Number(flagString(args, 'port') ?? process.env.PORT ?? 3000);
  const demoAsked = !!args.flags.demo || process.env.SANSHE_DEMO === '1';
  const demoRefused = !!args.flags['no-demo'] || process.env.SANSHE_DEMO === '0';
  const demo = !demoRefused && (demoAsked || isLoopback(host));
  // Refuse before touching the store when the answer cannot change.
  const early = bindProblem({ host, demo, activeAccounts: 1 });
  if (early) throw new Refused(early);

  const store = await Store.open(resolveDbPath(flagString(args, 'db')), { waitMs: 10_000 });
  if (!args.flags['no-sample']) await ensureSample(store);
  const firstPassword = await ensureFirstAdmin(store);
  if (firstPassword) {
    await appendAudit(store, { actor: 'system', action: 'account_first_admin', target: 'admin', outcome: 'ok' });
    process.stdout.write(
      `\n首次运行：已创建管理员账号 admin，一次性密码（只显示这一次，请登录后立即修改）：\n\n    ${firstPassword}\n\n` +
        `(first run: created account "admin"; the one-time password above is shown only once)\n\n`,
    );
  }
  const problem = bindProblem({ host, demo, activeAccounts: await countActiveAccounts(store) });
  if (problem) {
    store.close();
    throw new Refused(problem);
  }

  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const app = createApp(store, { demo, logger, trustProxy: process.env.TRUST_PROXY ?? false, warmPlan: DEFAULT_PLAN });
  const server = app.listen(port, host, () => {
    process.stdout.write(
      `三社联动评估看板已启动：http://${host}:${port}/  (health: /health)` +
        (demo ? `\n演示模式：未登录访问者以只读「领导」身份查看 (demo mode: visitors act as a read-only leader)\n` : '\n'),
    );
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing imports in flight');
    server.close();
    server.closeIdleConnections?.();
    const force = setTimeout(() => {
      // Anything still open is abandoned; an uncommitted import is rolled back by DuckDB.
      server.closeAllConnections?.();
    }, 10_000);
    force.unref();
    const ctx = app.locals.ctx;
    ctx.caches.stop();
    ctx.jobs
      .drain()
      .then(() => ctx.gate.drain())
      .finally(() => {
        ctx.jobs.cleanup();
        store.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`启动失败 failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof Refused ? 2 : 1);
});
