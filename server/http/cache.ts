// In-memory caches keyed by the data version: computed reports per (plan,
// period, level), full plan runs (TEMP tables) per plan for time series,
// quality checks, and finished response bytes per ETag. A new import bumps
// the version and everything here is dropped.

import type { Run } from '../../metrics/engine.ts';
import { runPlan } from '../../metrics/engine.ts';
import { loadPlan } from '../../metrics/plans/load.ts';
import type { Plan } from '../../metrics/plans/schema.ts';
import { checkQuality } from '../../metrics/quality/quality.ts';
import { computeReport, type Report } from '../../metrics/report/compute.ts';
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
}

const MAX_RESPONSES = 400;
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export class Caches {
  private plans = new Map<string, Plan>();
  private reports = new Map<string, Promise<Report>>();
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

  report(planId: string, period: string, level: Level): Promise<Report> {
    const key = `${this.ctx.version}|${planId}|${period}|${level}`;
    let r = this.reports.get(key);
    if (!r) {
      const plan = this.plan(planId);
      r = this.ctx.db((s) => computeReport(s, plan, { period, level }));
      r.catch(() => this.reports.delete(key));
      this.reports.set(key, r);
    }
    return r;
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
