// In-memory caches keyed by the data version: computed reports per (plan,
// period) (every level from one run of the pipeline, the most recent few
// kept), full plan runs (TEMP tables) per plan for time series, quality
// checks, and finished response bytes per ETag. A new import bumps the
// version and everything here is dropped; `warm` then recomputes what the
// dashboard's pages open on in the background, so the first visitor after an
// import does not wait for the pipeline.

import { LEVELS, type Level } from '../../metrics/catalogue/types.ts';
import { quarterIndex } from '../../metrics/compile/calendar.ts';
import type { Run } from '../../metrics/engine.ts';
import { refreshUnit, runPlan } from '../../metrics/engine.ts';
import { loadPlan } from '../../metrics/plans/load.ts';
import type { Plan } from '../../metrics/plans/schema.ts';
import { checkQuality } from '../../metrics/quality/quality.ts';
import { computeReports, patchReport, primeSensitivity, type Report, reportRows } from '../../metrics/report/compute.ts';
import type { AppContext } from './context.ts';

export interface UnitRow {
  code: string;
  name: string | null;
  level: Level;
  parent_code: string | null;
  area_type: 'urban' | 'rural' | null;
}

export interface CachedResponse {
  type: string;
  body: Buffer;
  headers?: Record<string, string>;
  /** The body gzipped, made on the first request that accepts gzip. */
  gzip?: Buffer;
}

const MAX_RESPONSES = 400;
/** (plan, period) report bundles kept: at 10,000 communities one bundle is ~0.6 M rows, about 220 MB of heap. */
const MAX_REPORT_BUNDLES = 4;

type Bundle = Partial<Record<Level, Report>>;
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/**
 * Communities one import may export to for the caches to follow it by
 * patching (each one a refresh of every cached plan run: ~170 ms at 10,000
 * communities); more, and they are recomputed.
 */
export const MAX_PATCH_UNITS = 4;

/** How the caches followed the last change of the data. */
export interface DataChange {
  version: number;
  /** patched: the cached runs refreshed and the reports patched in place; recomputed: dropped, then warmed again. */
  mode: 'patched' | 'recomputed';
  /** The communities whose exports were patched in. */
  units: string[];
  /** Why the caches were recomputed rather than patched. */
  reason: string | null;
  /** Until the patched caches (or the emptied ones) were in place. */
  ms: number;
  /** Patched: ms refreshing the runs, reading the units' report rows back, patching the reports. */
  steps?: { refresh: number; rows: number; patch: number };
}

/** The promise's value if it has already settled with one, else null (pending or rejected). */
async function settled<T>(p: Promise<T>): Promise<T | null> {
  const pending = Symbol('pending');
  // of two settled promises, race takes the first listed
  const v = await Promise.race([p, Promise.resolve(pending)]).catch(() => pending);
  return v === pending ? null : (v as T);
}

export class Caches {
  private plans = new Map<string, Plan>();
  private reports = new Map<string, Promise<Bundle>>();
  private runs = new Map<string, Promise<Run>>();
  private quality = new Map<string, ReturnType<typeof checkQuality>>();
  private periodList: Promise<string[]> | null = null;
  private unitList: Promise<UnitRow[]> | null = null;
  private responses = new Map<string, CachedResponse>();
  private responseBytes = 0;

  constructor(private readonly ctx: AppContext) {}

  plan(id: string): Plan {
    let p = this.plans.get(id);
    if (!p) {
      p = loadPlan(id);
      this.plans.set(id, p);
    }
    return p;
  }

  /** Periods with current exports, ascending. */
  periods(): Promise<string[]> {
    this.periodList ??= this.ctx
      .db((s) => s.all<{ period: string }>(`SELECT DISTINCT period FROM exports WHERE superseded_by IS NULL ORDER BY period`))
      .then((r) => r.map((x) => x.period));
    return this.periodList;
  }

  /** Every org unit, by code. */
  units(): Promise<UnitRow[]> {
    this.unitList ??= this.ctx.db((s) =>
      s.all<UnitRow>(`SELECT code, name, level, parent_code, area_type FROM org_units ORDER BY code`),
    );
    return this.unitList;
  }

  /** The (plan, period, level) report; the three levels are computed together from one run. */
  async report(planId: string, period: string, level: Level): Promise<Report> {
    return (await this.bundle(planId, period))[level] as Report;
  }

  private bundle(planId: string, period: string): Promise<Bundle> {
    const key = `${this.ctx.version}|${planId}|${period}`;
    let r = this.reports.get(key);
    if (r) {
      // LRU: move to the end.
      this.reports.delete(key);
      this.reports.set(key, r);
      return r;
    }
    const plan = this.plan(planId);
    r = this.ctx.db((s) => (this.stopped ? Promise.reject(new Error('shutting down')) : computeReports(s, plan, { period, levels: [...LEVELS] })));
    r.catch(() => this.reports.delete(key));
    this.reports.set(key, r);
    while (this.reports.size > MAX_REPORT_BUNDLES) this.reports.delete(this.reports.keys().next().value as string);
    return r;
  }

  /**
   * Compute in the background what the dashboard opens on: first the plan's
   * reports for the latest period and the one before (the overview and its
   * change since last quarter) and the landing page's responses, then the full run of every period (the time
   * series of the phase and community pages) and the quality checks (the
   * data-quality page: the latest period's findings, the completeness of
   * all). Errors are logged, never thrown: a request for the same thing
   * computes it again.
   */
  warm(planId: string): Promise<void> {
    const version = this.ctx.version;
    const t0 = performance.now();
    this.warming = (async () => {
      const periods = await this.periods();
      const steps: (() => Promise<unknown>)[] = [
        ...periods.slice(-2).reverse().map((period) => () => this.bundle(planId, period)),
        async () => this.landing?.(),
        // the rank intervals of the latest reports (the ranking table's), in slices
        ...(periods.length ? [async () => Promise.all(Object.values(await this.bundle(planId, periods[periods.length - 1])).map((r) => primeSensitivity(r)))] : []),
        () => this.run(planId),
        ...(periods.length ? [() => this.qualityOf(planId, periods[periods.length - 1])] : []),
        () => this.qualityOf(planId, undefined),
      ];
      for (const step of steps) {
        if (this.ctx.version !== version || this.stopped) return;
        await step();
      }
      if (this.ctx.version === version) this.warmed = true;
      this.ctx.log.info({ plan: planId, version, ms: Math.round(performance.now() - t0) }, 'caches warmed');
    })().catch((err) => {
      if (!this.stopped) this.ctx.log.error({ err, plan: planId }, 'cache warm-up failed');
    });
    return this.warming;
  }

  /** Whether the (plan, period) reports of the current data version are computed or being computed. */
  isWarm(planId: string, period: string): boolean {
    return this.reports.has(`${this.ctx.version}|${planId}|${period}`);
  }

  /** Whether the plan's full run of the current data version is computed or being computed. */
  hasRun(planId: string): boolean {
    return this.runs.has(`${this.ctx.version}|${planId}`);
  }

  /** Whether the quality checks of a period (undefined: all periods) are computed or being computed. */
  hasQuality(planId: string, period: string | undefined): boolean {
    return this.quality.has(this.qualityKey(planId, period));
  }

  /** The plan year's first day (month, day): the plan's start date's. */
  private yearStart(planId: string): { m: number; d: number } {
    const [, m, d] = this.plan(planId).start.split('-').map(Number);
    return { m, d };
  }

  /** Findings depend on the data, the plan-year start (per-year indicators) and the period. */
  private qualityKey(planId: string, period: string | undefined): string {
    const { m, d } = this.yearStart(planId);
    return `${this.ctx.version}|${m}-${d}|${period ?? ''}`;
  }

  /**
   * Set by the app: build the responses of the landing page's requests (the
   * overview's, after its reports), so that the first visitor gets cached bytes.
   */
  landing?: () => Promise<void>;

  /** Finished responses held (for tests). */
  get responseCount(): number {
    return this.responses.size;
  }

  /** The warm-up in progress (or finished), for tests, benchmarks and the health page. */
  warming: Promise<void> = Promise.resolve();
  /** The warm-up of the current data version has finished. */
  warmed = false;
  private stopped = false;

  /** Shutting down: no new pipeline runs (a queued warm-up is skipped, not waited for). */
  stop(): void {
    this.stopped = true;
  }

  /** A full run of the plan (every period), kept as TEMP tables until the data changes. */
  run(planId: string): Promise<Run> {
    const key = `${this.ctx.version}|${planId}`;
    let r = this.runs.get(key);
    if (!r) {
      const plan = this.plan(planId);
      r = this.ctx.db((s) => runPlan(s, plan));
      r.catch(() => this.runs.delete(key));
      this.runs.set(key, r);
    }
    return r;
  }

  /** Findings as read beside plan `planId`: its per-year indicators count from its plan-year start. */
  qualityOf(planId: string, period: string | undefined): ReturnType<typeof checkQuality> {
    const key = this.qualityKey(planId, period);
    let q = this.quality.get(key);
    if (!q) {
      q = this.ctx.db((s) => checkQuality(s, { ...(period ? { period } : {}), yearStart: this.yearStart(planId) }));
      q.catch(() => this.quality.delete(key));
      this.quality.set(key, q);
    }
    return q;
  }

  private building = new Map<string, Promise<unknown>>();

  /**
   * Build the response of `etag` once: a request (or the warm-up) asking for
   * one already being built waits for that build instead of computing it
   * again (after an import, the landing page's visitors and the warm-up all
   * ask for the same overview at once).
   */
  buildOnce<T>(etag: string, build: () => Promise<T>): Promise<T> {
    const pending = this.building.get(etag) as Promise<T> | undefined;
    if (pending) return pending;
    const p = build().finally(() => this.building.delete(etag));
    this.building.set(etag, p);
    return p;
  }

  getResponse(etag: string): CachedResponse | undefined {
    const r = this.responses.get(etag);
    if (r) {
      // LRU: move to the end.
      this.responses.delete(etag);
      this.responses.set(etag, r);
    }
    return r;
  }

  putResponse(etag: string, r: CachedResponse): void {
    if (r.body.length > MAX_RESPONSE_BYTES / 4) return;
    this.responses.set(etag, r);
    this.responseBytes += r.body.length;
    while (this.responses.size > MAX_RESPONSES || this.responseBytes > MAX_RESPONSE_BYTES) {
      const [k, v] = this.responses.entries().next().value as [string, CachedResponse];
      this.responses.delete(k);
      this.responseBytes -= v.body.length;
    }
  }

  /** How the caches followed the last change of the data (null before the first). */
  lastChange: DataChange | null = null;

  /**
   * Follow one committed import (batch `batchId`, data version `from` to
   * `to`) without recomputing, when it exported to a few known communities
   * of periods the store already had: every cached plan run is refreshed
   * for each of them (refreshUnit: the community's, its street's and its
   * district's rows), and every cached report of those plans is patched
   * with those units' rows read back from the run (patchReport; their rank
   * intervals recomputed when read or primed). The finished responses and
   * quality checks are dropped (the warm-up rebuilds the landing page's
   * first). On success the caches and ctx.version move to `to` together and
   * null is returned; otherwise the reason, with nothing moved (the caller
   * invalidates: a refresh that failed half-way leaves only runs that are
   * about to be dropped).
   */
  async follow(from: number, to: number, batchId: number): Promise<string | null> {
    const t0 = performance.now();
    const old = `${from}|`;
    const runs = new Map<string, Run>();
    for (const [key, p] of this.runs) {
      if (!key.startsWith(old)) continue;
      const run = await settled(p);
      if (!run) return 'a plan run is being computed';
      runs.set(key.slice(old.length), run);
    }
    if (runs.size === 0) return 'no plan run to refresh';
    const bundles: [planId: string, period: string, Bundle][] = [];
    for (const [key, p] of this.reports) {
      const [v, planId, period] = key.split('|');
      const b = v === String(from) && runs.has(planId) ? await settled(p) : null;
      if (b) bundles.push([planId, period, b]);
    }
    const periods = this.periodList ? await settled(this.periodList) : null;
    if (!periods) return 'the periods are not known yet';
    const out = await this.ctx.db(async (s) => {
      if ((await s.dataVersion()) !== to) return 'the data changed again';
      const ex = await s.all<{ org_unit: string; period: string; table_name: string; level: string | null }>(
        `SELECT DISTINCT e.org_unit, e.period, e.table_name, u.level FROM exports e LEFT JOIN org_units u ON u.code = e.org_unit WHERE e.batch_id = $b`,
        { b: batchId },
      );
      const units = [...new Set(ex.map((e) => e.org_unit))].sort();
      if (units.length === 0) return 'the import exported nothing';
      if (ex.some((e) => e.level !== 'community')) return 'a street or district export';
      if (units.length > MAX_PATCH_UNITS) return `${units.length} communities (more than ${MAX_PATCH_UNITS})`;
      if (ex.some((e) => !periods.includes(e.period))) return 'a period new to the store';
      const added = await s.all<{ code: string }>(`SELECT code FROM org_units WHERE batch_id = $b`, { b: batchId });
      if (added.some((u) => !units.includes(u.code))) return 'org units registered or added';
      const steps = { refresh: 0, rows: 0, patch: 0 };
      let t = performance.now();
      for (const run of runs.values()) for (const u of units) await refreshUnit(s, run, u);
      steps.refresh = performance.now() - t;
      // each community's, street's and district's rows, at every level the report has
      const codes = [...new Set(units.flatMap((u) => [u, u.slice(0, 9), u.slice(0, 6)]))];
      const patched: [string, Bundle][] = [];
      for (const [planId, run] of runs) {
        // the plan's reports within its run's calendar (another is dropped, computed again when asked)
        const mine = bundles.filter(([p, period]) => p === planId && quarterIndex(period) >= run.first && quarterIndex(period) <= run.last);
        if (mine.length === 0) continue;
        const levels = [...new Set(mine.flatMap(([, , b]) => Object.keys(b) as Level[]))];
        t = performance.now();
        const rows = await reportRows(s, run, run.plan, [...new Set(mine.map(([, period]) => period))], levels, codes);
        steps.rows += performance.now() - t;
        t = performance.now();
        for (const [, period, b] of mine) {
          const at = rows.get(period)!;
          const ls = Object.keys(b) as Level[];
          patched.push([`${to}|${planId}|${period}`, Object.fromEntries(ls.map((l) => [l, patchReport(b[l]!, run.plan, at[l], codes)]))]);
        }
        steps.patch += performance.now() - t;
      }
      return { units, patched, steps, profiles: ex.some((e) => e.table_name === 'profile') || added.length > 0 };
    });
    if (typeof out === 'string') return out;
    // runs started meanwhile for the old version are dropped
    const stale = [...this.runs].filter(([k]) => !(k.startsWith(old) && runs.has(k.slice(old.length))));
    this.runs = new Map([...runs].map(([planId, run]) => [`${to}|${planId}`, Promise.resolve(run)]));
    this.reports = new Map(out.patched.map(([k, b]) => [k, Promise.resolve(b)]));
    this.quality.clear();
    // a profile may have filled a community's name or area type, or added it
    if (out.profiles) this.unitList = null;
    this.responses.clear();
    this.responseBytes = 0;
    this.warmed = false;
    this.ctx.version = to;
    this.lastChange = { version: to, mode: 'patched', units: out.units, reason: null, ms: performance.now() - t0, steps: out.steps };
    await this.dropRuns(stale.map(([, r]) => r));
    return null;
  }

  private async dropRuns(runs: Promise<Run>[]): Promise<void> {
    for (const r of runs) {
      const run = await r.catch(() => null);
      if (run) await this.ctx.db(() => run.drop()).catch(() => {});
    }
  }

  /** Drop everything computed for older data; TEMP tables of old runs are dropped behind the gate. */
  async invalidate(): Promise<void> {
    const runs = [...this.runs.values()];
    this.runs.clear();
    this.reports.clear();
    this.warmed = false;
    this.quality.clear();
    this.periodList = null;
    this.unitList = null;
    this.responses.clear();
    this.responseBytes = 0;
    await this.dropRuns(runs);
  }
}
