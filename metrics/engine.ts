// Runs the compiled pipeline for one plan over the whole store: calendar,
// stage-1 values of every unit and period, rollups, scored indicators,
// scores and progress, each a TEMP table of the store's connection (nothing
// is written to the store's own tables). Callers read the tables, then drop().

import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../server/db/store.ts';
import { CATALOGUE } from './catalogue/index.ts';
import type { Indicator } from './catalogue/types.ts';
import { compileBase } from './compile/base.ts';
import { CALENDAR_SQL, periodOfDate, quarterIndex } from './compile/calendar.ts';
import { compileRollup } from './compile/rollup.ts';
import { type PlanParams, planParams } from './plans/params.ts';
import type { Plan } from './plans/schema.ts';
import { compileProgress } from './progress/progress.ts';
import { compileScored, compileScores } from './score/scored.ts';

let counter = 0;

export interface Run {
  plan: Plan;
  params: PlanParams;
  tables: { cal: string; base: string; values: string; scored: string; scores: string; progress: string };
  first: number;
  last: number;
  timings: Record<string, number>;
  drop(): Promise<void>;
}

/** Bind only the parameters a statement names. */
export function bind(sql: string, all: Record<string, DuckDBValue>): Record<string, DuckDBValue> {
  const out: Record<string, DuckDBValue> = {};
  for (const m of sql.matchAll(/\$([a-z_]+)/g)) if (m[1] in all) out[m[1]] = all[m[1]];
  return out;
}

export async function calendarRange(store: Store, plan: Plan, extra: string[] = []): Promise<{ first: number; last: number }> {
  const r = await store.one<{ lo: string | null; hi: string | null }>(`SELECT min(period) AS lo, max(period) AS hi FROM exports`);
  const qs = [quarterIndex(periodOfDate(plan.start)) - 1, quarterIndex(periodOfDate(plan.end)), ...extra.map(quarterIndex)];
  if (r?.lo) qs.push(quarterIndex(r.lo));
  if (r?.hi) qs.push(quarterIndex(r.hi));
  return { first: Math.min(...qs), last: Math.max(...qs) };
}

export interface RunOptions {
  /** Progress only for this period (default: every period). */
  reportPeriod?: string;
  catalogue?: Indicator[];
}

export async function runPlan(store: Store, plan: Plan, opts: RunOptions = {}): Promise<Run> {
  const n = ++counter;
  const t = (s: string) => `mx${n}_${s}`;
  const tables = { cal: t('cal'), base: t('base'), values: t('values'), scored: t('scored'), scores: t('scores'), progress: t('progress') };
  const { first, last } = await calendarRange(store, plan, opts.reportPeriod ? [opts.reportPeriod] : []);
  const pp = planParams(plan);
  const [, ysm, ysd] = plan.start.split('-').map(Number);
  const params: Record<string, DuckDBValue> = {
    first,
    last,
    ys_m: ysm,
    ys_d: ysd,
    ...pp,
    report_qidx: opts.reportPeriod ? quarterIndex(opts.reportPeriod) : null,
  };
  const cat = opts.catalogue ?? CATALOGUE;
  const steps: [string, string][] = [
    [tables.cal, CALENDAR_SQL],
    [tables.base, compileBase(cat)],
    [tables.values, compileRollup(cat, tables.base)],
    [tables.scored, compileScored(tables.values, tables.cal)],
    [tables.scores, compileScores(tables.scored)],
    [tables.progress, compileProgress(tables.scored, tables.cal)],
  ];
  const timings: Record<string, number> = {};
  for (const [name, sql] of steps) {
    const t0 = performance.now();
    await store.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${sql}`, bind(sql, params));
    timings[name.replace(/^mx\d+_/, '')] = performance.now() - t0;
  }
  return {
    plan,
    params: pp,
    tables,
    first,
    last,
    timings,
    async drop() {
      for (const name of Object.values(tables)) await store.run(`DROP TABLE IF EXISTS ${name}`);
    },
  };
}

/**
 * Recompute after one community's new export: stage 1 for that community
 * only, then stages 2-5 for its district (views restricted to the district,
 * the same compiled SQL), replacing those rows in the run's tables.
 */
export async function refreshUnit(store: Store, run: Run, orgUnit: string, opts: RunOptions = {}): Promise<number> {
  if (!/^\d{12}$/.test(orgUnit)) throw new Error(`refreshUnit needs a 12-digit community code, got ${orgUnit}`);
  const district = orgUnit.slice(0, 6); // validated digits: safe as a literal
  const t0 = performance.now();
  const [, ysm, ysd] = run.plan.start.split('-').map(Number);
  const params: Record<string, DuckDBValue> = {
    first: run.first,
    last: run.last,
    ys_m: ysm,
    ys_d: ysd,
    ...run.params,
    report_qidx: opts.reportPeriod ? quarterIndex(opts.reportPeriod) : null,
    unit: orgUnit,
  };
  const cat = opts.catalogue ?? CATALOGUE;
  const { base, values, scored, scores, progress, cal } = run.tables;
  const scoped = compileBase(cat, { scoped: true });
  await store.run(`DELETE FROM ${base} WHERE org_unit = $unit`, { unit: orgUnit });
  await store.run(`INSERT INTO ${base} ${scoped}`, bind(scoped, params));
  const view = (t: string) => `${t}_d`;
  const steps: [string, string][] = [
    [values, compileRollup(cat, view(base))],
    [scored, compileScored(view(values), cal)],
    [scores, compileScores(view(scored))],
    [progress, compileProgress(view(scored), cal)],
  ];
  for (const t of [base, values, scored]) {
    await store.run(`CREATE OR REPLACE TEMP VIEW ${view(t)} AS SELECT * FROM ${t} WHERE starts_with(org_unit, '${district}')`);
  }
  for (const [table, sql] of steps) {
    await store.run(`DELETE FROM ${table} WHERE starts_with(org_unit, '${district}')`);
    await store.run(`INSERT INTO ${table} ${sql}`, bind(sql, params));
  }
  for (const t of [base, values, scored]) await store.run(`DROP VIEW IF EXISTS ${view(t)}`);
  return performance.now() - t0;
}
