// Health: a JSON status and a plain HTML page listing the loaded import batches.

import { Router } from 'express';
import { z } from 'zod';
import type { Store } from '../db/store.ts';
import { listBatches } from '../import/history.ts';
import type { AppContext } from './context.ts';
import { route } from './route.ts';

const escapeHtml = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function status(store: Store) {
  const batches = await listBatches(store);
  const counts = await store.one<{ communities: number; periods: number; exports: number }>(
    `SELECT (SELECT count(*) FROM org_units WHERE level = 'community')::INTEGER AS communities,
            (SELECT count(DISTINCT period) FROM exports WHERE superseded_by IS NULL)::INTEGER AS periods,
            (SELECT count(*) FROM exports WHERE superseded_by IS NULL)::INTEGER AS exports`,
  );
  return {
    ok: true,
    dataVersion: await store.dataVersion(),
    schemaVersion: await store.schemaVersion(),
    communities: counts?.communities ?? 0,
    periods: counts?.periods ?? 0,
    exports: counts?.exports ?? 0,
    batches,
  };
}

export const healthRoutes = [
  route({
    method: 'get',
    path: '/api/v1/health',
    tag: 'health',
    summary: '运行状态 Health: data version, counts and import batches',
    perm: 'public',
    query: z.object({}).strict(),
    returns:
      '{ ok, dataVersion, schemaVersion, communities, periods, exports, warm (the background warm-up of this data version has finished), ' +
      'last_change: { version, mode: patched|recomputed, units, reason, ms } | null (how the computed reports followed the last data change: patched in place after one import of a few communities, else recomputed), batches? (logged-in readers only) }',
    async handler({ app, principal }) {
      const s = { ...(await app.db(status)), warm: app.caches.warmed, last_change: lastChange(app) };
      // Batches name files of every community: only for unscoped readers.
      const full = principal && principal.scope === null;
      return { body: full ? s : { ...s, batches: undefined } };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/events',
    tag: 'health',
    summary: '数据版本事件 Server-sent events: the data version now and at every change',
    perm: 'read',
    query: z.object({}).strict(),
    returns:
      'text/event-stream: `event: version` with { version, mode } at once and each time the computed numbers move to a new data version (mode patched: followed in place; recomputed: being recomputed, the warm-up rebuilds the pages), a comment line every 25 s',
    async handler({ req, res, app }) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      const send = (e: { version: number; mode: string | null }) => res.write(`event: version\ndata: ${JSON.stringify(e)}\n\n`);
      const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
      app.versions.on('version', send);
      req.on('close', () => {
        clearInterval(ping);
        app.versions.off('version', send);
      });
      res.write('retry: 5000\n\n');
      send({ version: app.version, mode: null });
      return undefined;
    },
  }),
];

function lastChange(app: AppContext) {
  const c = app.caches.lastChange;
  return c ? { version: c.version, mode: c.mode, units: c.units, reason: c.reason, ms: Math.round(c.ms) } : null;
}

function changeLine(c: ReturnType<typeof lastChange>): string {
  if (!c) return '';
  const how = c.mode === 'patched' ? `增量更新 patched in place (${c.units.map(escapeHtml).join('、')})` : `重新计算 recomputed (${escapeHtml(c.reason)})`;
  return `<p>最近一次数据变更 last data change: 版本 version ${c.version} · ${how} · ${c.ms.toLocaleString('zh-CN')} ms</p>`;
}

/** The HTML page for a person at the console (loopback or logged in). */
export function healthPage(app: AppContext): Router {
  const r = Router();
  r.get('/health', async (req, res) => {
    if (!req.principal || req.principal.scope !== null) {
      res.status(401).type('text/plain; charset=utf-8').send('请先登录 (login required)');
      return;
    }
    const s = await app.db(status);
    const rows = s.batches
      .map(
        (b) =>
          `<tr><td>${b.batch_id}</td><td>${escapeHtml(b.started_at)}</td><td>${escapeHtml(b.imported_by)}</td><td>${escapeHtml(b.source)}</td>` +
          `<td>${escapeHtml(b.status)}</td><td>${b.file_count}</td><td>${b.row_count.toLocaleString('zh-CN')}</td></tr>`,
      )
      .join('\n');
    res.type('html').send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>三社联动评估 · 运行状态</title>
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1f2937}table{border-collapse:collapse}
td,th{border:1px solid #d1d5db;padding:.3rem .6rem;text-align:left}th{background:#f3f4f6}</style></head><body>
<h1>运行状态 Health</h1>
<p>数据版本 data version: <b>${s.dataVersion}</b> · 社区 communities: <b>${s.communities}</b> · 报告期 periods: <b>${s.periods}</b> · 当前导出 exports: <b>${s.exports}</b></p>
${changeLine(lastChange(app))}
<h2>导入批次 Import batches</h2>
<table><thead><tr><th>批次</th><th>时间 (UTC)</th><th>导入人</th><th>来源</th><th>状态</th><th>文件数</th><th>行数</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7">尚无导入批次</td></tr>'}</tbody></table></body></html>`);
  });
  return r;
}
