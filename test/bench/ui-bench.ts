// UI benchmark: time from navigation to the overview's charts rendered, beside
// a blank page's load in the same browser session, and the gzipped size of
// the initial JavaScript. Figures, not assertions.
//
// Times are read from the page's own clock (performance.now(), from the
// navigation's start): the moment every overview chart has drawn, noted by a
// mutation observer (no polling interval in the figure), and the moment
// nothing is loading any more (the score table under the charts included),
// reported beside it. The blank page's figure is its load event's end.
//
// Each load runs in a fresh browser context (no HTTP cache, no cookies), in a
// window that has finished its own start-up: a new Chromium window loads the
// omnibox's WebUI (several hundred modules) in its first seconds, which on
// two cores takes a third of the CPU away from the page and delays its
// requests. A user's browser window is already open when they follow a link
// to the dashboard, so the figures are taken after the window settled on
// about:blank; loads in a just-opened window are reported beside them.
//
//   benchUi()                       the sample district (prepared like the browser tests)
//   benchUi({ db: 'province.duckdb' })  a province-scale store, used as it is

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chartsInked, HAS_CHROMIUM, launch, ROOT, SKIP_MESSAGE, startServer } from '../browser/harness.ts';

export interface UiBenchOptions {
  /** Store to serve as it is; default: a copy of the prepared sample district. */
  db?: string;
  /** Label for the printed lines. */
  label?: string;
  /** Warm runs after the first (cold) one. */
  runs?: number;
  log?: (line: string) => void;
  /** How long each new window is left on about:blank before a timed navigation (default 3,000 ms; tests shorten it). */
  settleMs?: number;
  /** Give up on one overview load after this many ms (default 300,000). */
  timeoutMs?: number;
}

export interface UiBenchResult {
  label: string;
  /** Blank page (/health) load in the same browser: median ms. */
  blankMs: number;
  /** The server's background warm-up (reports of the latest periods), waited for before measuring. */
  serverWarmupMs: number;
  /** Overview, first visit (fresh browser, responses not yet cached by the server): navigation to every chart rendered, ms. */
  overviewColdMs: number;
  /** Overview, server caches warm (fresh browser context each run): median ms. */
  overviewWarmMs: number;
  /** Later visits: navigation until nothing is loading any more (the score table under the charts included): median ms. */
  overviewSettledMs: number;
  /** The same as overviewWarmMs, but navigating as soon as the window opened (its own start-up not finished): median ms. */
  overviewFreshWindowMs: number;
  ratioWarm: number;
  /** index.html's entry script and its modulepreloads, gzipped. */
  initialJsGzipBytes: number;
  /** Every script the overview loaded, gzipped. */
  overviewJsGzipBytes: number;
  communities: number;
}

/** The overview's charts: each must be on the page with ink on its canvas for a load to count. */
const OVERVIEW_CHARTS = ['ranking', 'radar', 'rating-dist'];

const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'not within the timeout');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** How long a new window is left on about:blank to finish its own start-up before a timed navigation. */
const SETTLE_MS = 3000;

/**
 * Installed in the page before its scripts: records, in the page's own clock
 * (ms since the navigation started), when every overview chart has finished
 * drawing (`charts`: the figure) and when, in addition, nothing on the page
 * is loading any more (`settled`: the score table under the charts, which
 * asks for its rows once the browser is idle after the charts). A mutation
 * observer notes the moment itself, so the figure has no polling interval in it.
 */
const MARK_TIMES = `(() => {
  const marks = {};
  const check = () => {
    const figs = document.querySelectorAll('figure[data-chart]');
    if (figs.length < ${OVERVIEW_CHARTS.length}) return;
    for (const f of figs) if (f.getAttribute('data-rendered') !== '1') return;
    if (marks.charts === undefined) marks.charts = performance.now();
    if (!document.querySelector('.state.loading') && document.querySelector('#main')) {
      marks.settled = performance.now();
      window.__benchMarks = marks;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-rendered', 'class'] });
})();`;

function gz(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

/** The entry script and the modules index.html preloads. */
export function initialJs(dist = join(ROOT, 'client', 'dist')): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1].replace(/^\.?\//, ''));
  return { files, gzipBytes: files.reduce((s, f) => s + gz(join(dist, f)), 0) };
}

export async function benchUi(opts: UiBenchOptions = {}): Promise<UiBenchResult | null> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const label = opts.label ?? (opts.db ? 'store' : 'sample district');
  if (!HAS_CHROMIUM) {
    log(`ui: ${SKIP_MESSAGE}`);
    return null;
  }
  const runs = opts.runs ?? 5;
  const server = await startServer(`bench-${process.pid}`, { db: opts.db });
  const browser = await launch();
  try {
    // The server computes the default plan's latest reports in the background after start
    // (as `npm start` does); the figures below are taken once that has finished.
    const w0 = performance.now();
    for (;;) {
      const h = await server.api<{ warm: boolean }>('/api/v1/health');
      if (h.warm) break;
      if (performance.now() - w0 > (opts.timeoutMs ?? 300_000)) throw new Error('server warm-up did not finish');
      await new Promise((r) => setTimeout(r, 250));
    }
    const serverWarmupMs = performance.now() - w0;
    log(`ui (${label}): server warm-up finished ${Math.round(serverWarmupMs)} ms after it answered`);
    const units = await server.api<{ rows: { level: string }[] }>('/api/v1/units');
    const communities = units.rows.filter((u) => u.level === 'community').length;
    const timeout = opts.timeoutMs ?? 300_000;
    const newPage = async (settle: boolean, viewport?: { width: number; height: number }) => {
      const ctx = await browser.newContext(viewport ? { viewport } : {});
      const page = await ctx.newPage();
      if (settle) {
        await page.goto('about:blank');
        await page.waitForTimeout(opts.settleMs ?? SETTLE_MS);
      }
      return { ctx, page };
    };
    const loadOverview = async (settle = true) => {
      const { ctx, page } = await newPage(settle, { width: 1920, height: 1080 });
      const js = new Map<string, number>();
      page.on('response', async (r) => {
        if (r.url().endsWith('.js')) js.set(r.url(), 0);
      });
      await page.addInitScript(MARK_TIMES);
      await page.goto(`${server.url}/#/overview`);
      let ms = Number.POSITIVE_INFINITY;
      let settledMs = Number.POSITIVE_INFINITY;
      try {
        // MARK_TIMES publishes its marks once both are taken
        type Marks = { charts: number; settled: number };
        const handle = await page.waitForFunction(() => (window as unknown as { __benchMarks?: Marks }).__benchMarks as Marks, undefined, { timeout, polling: 50 });
        const marks = await handle.jsonValue();
        const inked = await chartsInked(page, timeout);
        ms = marks.charts;
        settledMs = marks.settled;
        // Counted only when every chart of the overview is there and has drawn something (non-blank canvas).
        const blank = OVERVIEW_CHARTS.filter((c) => !inked[c]);
        if (blank.length) {
          log(`ui (${label}): overview charts missing or blank: ${blank.join(', ')} (${JSON.stringify(inked)})`);
          ms = Number.POSITIVE_INFINITY;
        }
      } catch {
        log(`ui (${label}): overview charts not rendered within ${timeout / 1000} s (server still computing?)`);
      }
      await ctx.close();
      return { ms, settledMs, js: [...js.keys()] };
    };
    const loadBlank = async () => {
      const { ctx, page } = await newPage(true);
      await page.goto(`${server.url}/health`, { waitUntil: 'load' });
      // the page's own clock, as for the overview: navigation start to the end of its load event
      const ms = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
      await ctx.close();
      return ms;
    };
    await loadBlank(); // the browser's own first-use costs out of the figures
    const cold = await loadOverview();
    const warm: number[] = [];
    const blank: number[] = [await loadBlank()];
    const fresh: number[] = [];
    const settled: number[] = [];
    for (let i = 0; i < (Number.isFinite(cold.ms) ? runs : 0); i++) {
      blank.push(await loadBlank());
      const w = await loadOverview();
      warm.push(w.ms);
      settled.push(w.settledMs);
      fresh.push((await loadOverview(false)).ms);
    }
    const dist = join(ROOT, 'client', 'dist');
    const init = initialJs(dist);
    const overviewJs = cold.js
      .map((u) => new URL(u).pathname.replace(/^\//, ''))
      .filter((f) => existsSync(join(dist, f)))
      .reduce((s, f) => s + gz(join(dist, f)), 0);
    const r: UiBenchResult = {
      label,
      serverWarmupMs,
      blankMs: median(blank),
      overviewColdMs: cold.ms,
      overviewWarmMs: warm.length ? median(warm) : Number.POSITIVE_INFINITY,
      overviewSettledMs: settled.length ? median(settled) : Number.POSITIVE_INFINITY,
      overviewFreshWindowMs: fresh.length ? median(fresh) : Number.POSITIVE_INFINITY,
      ratioWarm: warm.length ? median(warm) / Math.max(1, median(blank)) : Number.POSITIVE_INFINITY,
      initialJsGzipBytes: init.gzipBytes,
      overviewJsGzipBytes: overviewJs,
      communities,
    };
    log(
      `ui (${label}, ${communities} communities): overview charts rendered on the first visit ${ms(r.overviewColdMs)}, on later visits ${ms(r.overviewWarmMs)}; ` +
        `blank page ${Math.round(r.blankMs)} ms; ratio warm/blank ${r.ratioWarm.toFixed(1)}x (target: charts within 1500 ms at province scale)`,
    );
    log(`ui (${label}): later visits until nothing is loading (the score table under the charts too): ${ms(r.overviewSettledMs)}`);
    log(`ui (${label}): the same navigation in a just-opened window (its own start-up still running): ${ms(r.overviewFreshWindowMs)}`);
    log(`ui: initial JS ${(r.initialJsGzipBytes / 1024).toFixed(1)} KB gzipped (entry + preloads); all JS the overview loads ${(r.overviewJsGzipBytes / 1024).toFixed(1)} KB gzipped (target <= 400 KB)`);
    return r;
  } finally {
    await browser.close();
    await server.stop();
  }
}

// `npx tsx test/bench/ui-bench.ts [STORE.duckdb]`
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchUi({ db: process.argv[2] });
}
