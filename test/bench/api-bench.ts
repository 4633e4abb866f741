// `benchApi(opts)`: the overview and ranking endpoints under load (autocannon in
// its own process, 32 connections, 10 s each, gzip accepted) on a province-scale store, beside the same bytes
// served as a static file by Express in the same run; p50, p99, requests/s
// and the ratio to the static baseline; and the Arrow vs JSON size of the
// full unit x indicator matrix. Figures, not assertions.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import express from 'express';
import pino from 'pino';
import { buildBenchStore } from '../../metrics/bench.ts';
import { DEFAULT_PLAN } from '../../metrics/plans/default.ts';
import { Store } from '../../server/db/store.ts';
import { createApp } from '../../server/http/app.ts';
import type { AppContext } from '../../server/http/context.ts';
import { importPaths } from '../../server/import/importer.ts';

const run = promisify(execFile);

export interface ApiBenchOptions {
  communities?: number;
  quarters?: number;
  volunteerRows?: number;
  orgRows?: number;
  connections?: number;
  seconds?: number;
  log?: (s: string) => void;
}

export interface LoadFigures {
  url: string;
  bytes: number;
  p50_ms: number;
  p99_ms: number;
  rps: number;
  non2xx: number;
}

export interface ApiBenchResult {
  communities: number;
  /** The server's background warm-up after start: the pipeline for the default plan's latest two periods. */
  warmup_ms: number;
  warm_ms: Record<string, number>;
  endpoints: Record<string, { api: LoadFigures; static: LoadFigures; rps_ratio: number; p99_ratio: number }>;
  arrow: { rows: number; json_bytes: number; arrow_bytes: number; ratio: number };
  /**
   * One community's new roster imported (through the importer, as an upload is), then the data
   * version taken in as after an upload: the caches follow it (the plan run refreshed, the
   * reports patched) and the overview is requested. Medians of the repetitions.
   */
  refresh: {
    runs: { unit: string; import_ms: number; follow_ms: number; overview_ms: number; mode: string; reason: string | null; changed: boolean }[];
    import_ms: number;
    /** Until the caches hold the new data: refreshVersion. */
    follow_ms: number;
    /** From the import's commit to the overview's first response after it (follow + that request). */
    refresh_ms: number;
    /** The recompute it replaces: the background warm-up of the latest two periods' reports at start (warmup_ms) over refresh_ms. */
    speedup: number;
  };
  targets: { p99_under_50ms: boolean; half_static_throughput: boolean; full_ranking_p99_under_50ms: boolean; arrow_half_json: boolean; dashboard_refresh_under_200ms: boolean };
}

/**
 * autocannon in its own process (its client would otherwise share the event
 * loop with the servers it measures), sending Accept-Encoding: gzip as a
 * browser does.
 */
async function load(url: string, connections: number, seconds: number): Promise<LoadFigures & { bytes: number }> {
  const bin = join(process.cwd(), 'node_modules', '.bin', 'autocannon');
  const { stdout } = await run(bin, ['-j', '-c', String(connections), '-d', String(seconds), '-H', 'accept-encoding=gzip', url], { maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(stdout) as { latency: { p50: number; p99: number }; requests: { average: number }; non2xx: number };
  return { url, bytes: 0, p50_ms: r.latency.p50, p99_ms: r.latency.p99, rps: r.requests.average, non2xx: r.non2xx };
}

function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

export async function benchApi(opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const n = opts.communities ?? 10_000;
  const connections = opts.connections ?? 32;
  const seconds = opts.seconds ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'sanshe-api-bench-'));
  const store = await Store.open(join(dir, 'bench.duckdb'));
  const servers: { close: () => Promise<void> }[] = [];
  try {
    const t0 = performance.now();
    await buildBenchStore(store, n, opts.quarters ?? 12, opts.volunteerRows ?? 10_000_000, opts.orgRows ?? 200_000);
    log(`api bench: built a store of ${n} communities in ${(performance.now() - t0).toFixed(0)} ms`);
    // As `npm start` serves: the default plan's latest periods computed in the background after start.
    const app = createApp(store, { demo: true, logger: pino({ level: 'silent' }), warmPlan: DEFAULT_PLAN });
    const api = await listen(app);
    servers.push(api);
    const w0 = performance.now();
    await app.locals.ctx.refreshVersion();
    await app.locals.ctx.caches.warming;
    const warmup_ms = Math.round(performance.now() - w0);
    log(`api bench: background warm-up (pipeline for the latest two periods, every level) ${warmup_ms} ms`);
    const period = ((await (await fetch(`${api.url}/api/v1/periods`)).json()) as { latest: string }).latest;
    // overview: what the dashboard's overview cards and charts draw, in the one request
    // they wait for (cards, radar, and every community's ranking bar in compact columns);
    // ranking: the ranking table's first page. The targets are checked on these two.
    // Beside them: the overview summary alone, and the full ranking as columns (the
    // overview's score table asks it once the charts' response is in) and as row objects
    // (bigger than any response should be under a 50 ms p99 here: the static file of the
    // same bytes shows the floor).
    const paths: Record<string, string> = {
      overview: `/api/v1/overview/charts?period=${period}&level=community`,
      ranking: `/api/v1/scores?period=${period}&limit=100`,
      overview_summary: `/api/v1/overview?period=${period}`,
      ranking_all: `/api/v1/scores?period=${period}&shape=columns`,
      ranking_all_rows: `/api/v1/scores?period=${period}`,
    };
    // First requests (reports warm, responses not yet cached); keep the exact bytes
    // for the static baseline, which serves them gzipped, as the API does.
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir, { recursive: true });
    const staticApp = express();
    staticApp.use((_req, res, next) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      next();
    });
    staticApp.use(express.static(staticDir, { etag: true }));
    const warm_ms: Record<string, number> = {};
    const bodies: Record<string, Buffer> = {};
    for (const [k, p] of Object.entries(paths)) {
      const w0 = performance.now();
      const res = await fetch(`${api.url}${p}`);
      bodies[k] = Buffer.from(await res.arrayBuffer());
      // a failing endpoint's error body would otherwise be measured as if it were the response
      if (!res.ok) throw new Error(`api bench: ${p} answered ${res.status}: ${bodies[k].toString().slice(0, 300)}`);
      warm_ms[k] = Math.round(performance.now() - w0);
      writeFileSync(join(staticDir, `${k}.json`), gzipSync(bodies[k]));
      log(`api bench: ${k} first request ${warm_ms[k]} ms, ${bodies[k].length} bytes JSON`);
    }
    const st = await listen(staticApp);
    servers.push(st);
    const endpoints: ApiBenchResult['endpoints'] = {};
    for (const k of Object.keys(paths)) {
      const a = await load(`${api.url}${paths[k]}`, connections, seconds);
      const s = await load(`${st.url}/${k}.json`, connections, seconds);
      a.bytes = s.bytes = bodies[k].length;
      endpoints[k] = { api: a, static: s, rps_ratio: a.rps / s.rps, p99_ratio: a.p99_ms / Math.max(1, s.p99_ms) };
      log(
        `api bench: ${k} (${a.bytes} B JSON, gzip on the wire): p50 ${a.p50_ms} ms, p99 ${a.p99_ms} ms, ${Math.round(a.rps)} req/s | static p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms, ` +
          `${Math.round(s.rps)} req/s | throughput ratio ${(a.rps / s.rps).toFixed(2)} (target >= 0.5), p99 target < 50 ms`,
      );
    }
    // Arrow vs JSON: the full unit x indicator matrix of the period.
    const vurl = `${api.url}/api/v1/values?period=${period}`;
    // once more on a reset: a pooled keep-alive connection may have been closed by the server meanwhile
    const get = async (init?: RequestInit) => {
      try {
        return await fetch(vurl, init);
      } catch {
        return await fetch(vurl, init);
      }
    };
    const json = (await (await get()).json()) as { rows: unknown[] };
    const jsonBytes = Buffer.byteLength(JSON.stringify(json.rows));
    const arrowBytes = (await (await get({ headers: { Accept: 'application/vnd.apache.arrow.stream' } })).arrayBuffer()).byteLength;
    const arrow = { rows: json.rows.length, json_bytes: jsonBytes, arrow_bytes: arrowBytes, ratio: arrowBytes / jsonBytes };
    log(`api bench: values matrix ${arrow.rows} rows: JSON ${jsonBytes} B, Arrow ${arrowBytes} B, ratio ${arrow.ratio.toFixed(3)} (target <= 0.5)`);
    // the refresh is timed to the dashboard's own first request: the overview's charts as boot.js asks for them
    const refresh = await benchFollow(app.locals.ctx, api.url, '/api/v1/overview/charts', dir, period, warmup_ms, log);
    const e = [endpoints.overview, endpoints.ranking];
    return {
      communities: n,
      warmup_ms,
      warm_ms,
      endpoints,
      arrow,
      refresh,
      targets: {
        // the overview as the dashboard requests it, and a ranking page
        p99_under_50ms: e.every((x) => x.api.p99_ms < 50),
        half_static_throughput: e.every((x) => x.rps_ratio >= 0.5),
        // reported, not a target of the issue: the whole ranking in one response
        full_ranking_p99_under_50ms: endpoints.ranking_all.api.p99_ms < 50,
        arrow_half_json: arrow.ratio <= 0.5,
        // issue #3's line, on the server: the dashboard's numbers after one community's new export
        dashboard_refresh_under_200ms: refresh.refresh_ms < 200 && refresh.runs.every((r) => r.mode === 'patched' && r.changed),
      },
    };
  } finally {
    for (const s of servers) await s.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Three communities spread over the store, one after the other: a new export of its volunteer
 * roster for the latest period (a CSV of the rows it had, plus one volunteer), imported through
 * the importer behind the server's gate as an upload is; then the server takes in the new data
 * version as after an upload (the caches follow the import) and the overview is requested.
 */
async function benchFollow(ctx: AppContext, url: string, overview: string, dir: string, period: string, warmupMs: number, log: (s: string) => void): Promise<ApiBenchResult['refresh']> {
  const units = (
    await ctx.db((s) =>
      s.all<{ code: string }>(
        `SELECT code FROM (SELECT code, row_number() OVER (ORDER BY code) AS k, count(*) OVER () AS n FROM org_units WHERE level = 'community')
         WHERE k IN (n // 5, n // 2, (4 * n) // 5) ORDER BY code`,
      ),
    )
  ).map((r) => r.code);
  const runs: ApiBenchResult['refresh']['runs'] = [];
  for (const [k, unit] of units.entries()) {
    // the previous one's warm-up (landing responses, rank intervals, quality checks) finished, not timed
    await ctx.caches.warming;
    const before = (await fetch(`${url}${overview}`)).headers.get('etag');
    const rows = await ctx.db((s) =>
      s.all<{ d: string }>(`SELECT strftime(registered_on, '%Y-%m-%d') AS d FROM cur_volunteers WHERE org_unit = $u AND period = $p ORDER BY src_row`, { u: unit, p: period }),
    );
    const id = (j: number) => `1403021980${String(k).padStart(2, '0')}${String(j).padStart(6, '0')}`;
    const lines = ['单位代码,报告期,证件号码,注册日期', ...[...rows, { d: '2015-01-01' }].map((r, j) => `${unit},${period},${id(j)},${r.d}`)];
    const file = join(dir, `${unit}_${period}_志愿者_${k}.csv`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    let t0 = performance.now();
    const summary = await ctx.gate.run(() => importPaths(ctx.store, [file], { source: 'http', importedBy: 'bench' }));
    const import_ms = performance.now() - t0;
    t0 = performance.now();
    await ctx.refreshVersion(summary.batchId);
    const follow_ms = performance.now() - t0;
    const res = await fetch(`${url}${overview}`);
    await res.arrayBuffer();
    const overview_ms = performance.now() - t0;
    if (!res.ok) throw new Error(`api bench: the overview after the import answered ${res.status}`);
    const change = ctx.caches.lastChange;
    runs.push({ unit, import_ms, follow_ms, overview_ms, mode: change?.mode ?? 'none', reason: change?.reason ?? null, changed: res.headers.get('etag') !== before });
    log(
      `api bench: ${unit}'s new roster (${rows.length + 1} rows): import ${import_ms.toFixed(0)} ms, caches ${change?.mode}${change?.reason ? ` (${change.reason})` : ''} in ${follow_ms.toFixed(0)} ms ` +
        `${JSON.stringify(Object.fromEntries(Object.entries(change?.steps ?? {}).map(([k, v]) => [k, Math.round(v)])))}, ` +
        `overview answered ${overview_ms.toFixed(0)} ms after the commit`,
    );
  }
  await ctx.caches.warming;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const refresh_ms = median(runs.map((r) => r.overview_ms));
  const out = {
    runs,
    import_ms: median(runs.map((r) => r.import_ms)),
    follow_ms: median(runs.map((r) => r.follow_ms)),
    refresh_ms,
    speedup: warmupMs / refresh_ms,
  };
  log(
    `api bench: dashboard refreshed after one community's export: median ${refresh_ms.toFixed(0)} ms from the commit to the overview (caches ${out.follow_ms.toFixed(0)} ms; ` +
      `the import itself ${out.import_ms.toFixed(0)} ms) | recomputing the reports at start took ${warmupMs} ms: ${out.speedup.toFixed(0)}x | target < 200 ms`,
  );
  return out;
}

// Direct run: `npx tsx test/bench/api-bench.ts [communities] [seconds]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchApi({ communities: Number(process.argv[2] ?? 10_000), seconds: Number(process.argv[3] ?? 10) });
  console.log(JSON.stringify(r, null, 2));
}
