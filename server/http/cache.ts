// In-memory caches keyed by the data version: computed reports per (plan,
// period) (every level from one run of the pipeline, the most recent few
// kept), full plan runs (TEMP tables) per plan for time series, quality
// checks, and finished response bytes per ETag. A new import bumps the
// version and everything here is dropped; `warm` then recomputes what the
// dashboard's pages open on in the background, so the first visitor after an
// import does not wait for the pipeline.

import type { Run } from '../../metrics/engine.ts';
import { runPlan } from '../../metrics/engine.ts';
import { loadPlan } from '../../metrics/plans/load.ts';
import type { Plan } from '../../metrics/plans/schema.ts';
import { checkQuality } from '../../metrics/quality/quality.ts';
import { computeReports, type Report } from '../../metrics/report/compute.ts';
import type { Level } from '../../metrics/catalogue/types.ts';
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
const LEVELS: Level[] = ['community', 'street', 'district'];

type Bundle = Partial<Record<Level, Report>>;
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

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
    r = this.ctx.db((s) => (this.stopped ? Promise.reject(new Error('shutting down')) : computeReports(s, plan, { period, levels: LEVELS })));
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
        () => this.run(planId),
        ...(periods.length ? [() => this.qualityOf(periods[periods.length - 1])] : []),
        () => this.qualityOf(undefined),
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
  hasQuality(period: string | undefined): boolean {
    return this.quality.has(`${this.ctx.version}|${period ?? ''}`);
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

  qualityOf(period: string | undefined): ReturnType<typeof checkQuality> {
    const key = `${this.ctx.version}|${period ?? ''}`;
    let q = this.quality.get(key);
    if (!q) {
      q = this.ctx.db((s) => checkQuality(s, period ? { period } : {}));
      q.catch(() => this.quality.delete(key));
      this.quality.set(key, q);
    }
    return q;
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
    for (const r of runs) {
      const run = await r.catch(() => null);
      if (run) await this.ctx.db(() => run.drop()).catch(() => {});
    }
  }
}
