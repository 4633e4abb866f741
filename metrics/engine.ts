// Runs the compiled pipeline for one plan over the whole store: calendar,
// stage-1 values of every unit and period, rollups, scored indicators,
// scores and progress, each a TEMP table of the store's connection (nothing
// is written to the store's own tables). Callers read the tables, then drop().

import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../server/db/store.ts';
import { CATALOGUE } from './catalogue/index.ts';
import type { Indicator } from './catalogue/types.ts';
import { compileExportAggs, compileWide } from './compile/base.ts';
import { CALENDAR_SQL, periodOfDate, quarterIndex } from './compile/calendar.ts';
import { compileValuesWide, valueEntries, valuesLong, valuesWideView } from './compile/wide.ts';
import { type PlanParams, planParams } from './plans/params.ts';
import type { Plan } from './plans/schema.ts';
import { compileProgress } from './progress/progress.ts';
import { compileScoredAgg, compileScoredOwn, compileScores } from './score/scored.ts';

let counter = 0;
/** Run.tables entries that are views (dropped first: they read the tables). */
const VIEWS = ['values', 'pv', 'valw'] as const;

export interface Run {
  plan: Plan;
  params: PlanParams;
  /**
   * valr: the street/district wide values (a table); valw: the wide values
   * view (stage-1 community rows + valr); values: long view over it (every
   * indicator); pv: the plan's indicators, long (a view); pfx: the covered
   * code prefixes when the plan does not cover every unit.
   */
  tables: { cal: string; base: string; valr: string; pfx: string; valw: string; values: string; pv: string; scored: string; scores: string; progress: string };
  first: number;
  last: number;
  timings: Record<string, number>;
  catalogue: Indicator[];
  /** Prefix of the per-export aggregate TEMP tables (`<prefix>_<table>`). */
  exportAggs: string;
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

/** The plan's indicators as long value rows, each with its band field's value. */
function planEntries(cat: Indicator[], plan: Plan) {
  const ids = new Set(plan.indicators.map((i) => i.id));
  const band = new Map(plan.indicators.map((i) => [i.id, i.target.by_band?.field ?? null]));
  return { entries: valueEntries(cat).filter((e) => ids.has(e.id)), band };
}

function baseParams(run: { first: number; last: number; plan: Plan }, pp: PlanParams, reportPeriod?: string): Record<string, DuckDBValue> {
  const [, ysm, ysd] = run.plan.start.split('-').map(Number);
  return { first: run.first, last: run.last, ys_m: ysm, ys_d: ysd, ...pp, report_qidx: reportPeriod ? quarterIndex(reportPeriod) : null };
}

export async function runPlan(store: Store, plan: Plan, opts: RunOptions = {}): Promise<Run> {
  const n = ++counter;
  const t = (s: string) => `mx${n}_${s}`;
  const tables = {
    cal: t('cal'),
    base: t('base'),
    valr: t('valr'),
    pfx: t('pfx'),
    valw: t('valw'),
    values: t('values'),
    pv: t('pv'),
    scored: t('scored'),
    scores: t('scores'),
    progress: t('progress'),
  };
  const { first, last } = await calendarRange(store, plan, opts.reportPeriod ? [opts.reportPeriod] : []);
  const pp = planParams(plan);
  const params = baseParams({ first, last, plan }, pp, opts.reportPeriod);
  const cat = opts.catalogue ?? CATALOGUE;
  const { entries, band } = planEntries(cat, plan);
  // per-export roster aggregates (TEMP tables `mx<n>_x_<table>`), read by stage 1 and replaced per unit by refreshUnit
  const xaggs = compileExportAggs(cat).map((x) => [`${t('x')}_${x.table}`, x.sql] as [string, string]);
  const allUnits = plan.units === 'all';
  const steps: [string, string, string?][] = [
    [tables.cal, CALENDAR_SQL],
    ...xaggs,
    [tables.base, compileWide(cat, { exportAggs: t('x') })],
    [tables.valr, compileValuesWide(cat, tables.base)],
    ...(allUnits ? [] : [[tables.pfx, `SELECT unnest(from_json($prefixes::JSON, '["VARCHAR"]')) AS p`] as [string, string]]),
    [tables.valw, valuesWideView(cat, tables.base, tables.valr, allUnits ? null : tables.pfx), 'VIEW'],
    [tables.values, valuesLong(tables.valw, valueEntries(cat)), 'VIEW'],
    [tables.pv, valuesLong(tables.valw, entries, band), 'VIEW'],
    [tables.scored, compileScoredOwn(tables.pv, tables.cal)],
    [tables.scored, compileScoredAgg(tables.scored, tables.pv), 'INSERT'],
    [tables.scores, compileScores(tables.scored)],
    [tables.progress, compileProgress(tables.scored, tables.cal)],
  ];
  const timings: Record<string, number> = {};
  for (const [name, sql, kind] of steps) {
    const t0 = performance.now();
    if (kind === 'INSERT') await store.run(`INSERT INTO ${name} ${sql}`, bind(sql, params));
    else await store.run(`CREATE OR REPLACE TEMP ${kind ?? 'TABLE'} ${name} AS ${sql}`, bind(sql, params));
    const key = name.replace(/^mx\d+_/, '').replace(/^x_.*/, 'export_aggs') + (kind === 'INSERT' ? '_agg' : '');
    timings[key] = (timings[key] ?? 0) + performance.now() - t0;
  }
  const xTables = xaggs.map(([name]) => name);
  return {
    plan,
    params: pp,
    tables,
    first,
    last,
    timings,
    catalogue: cat,
    exportAggs: t('x'),
    async drop() {
      for (const name of VIEWS.map((k) => tables[k])) await store.run(`DROP VIEW IF EXISTS ${name}`);
      for (const [k, name] of Object.entries(tables)) if (!(VIEWS as readonly string[]).includes(k)) await store.run(`DROP TABLE IF EXISTS ${name}`);
      for (const name of xTables) await store.run(`DROP TABLE IF EXISTS ${name}`);
    },
  };
}

/**
 * Recompute after one community's new export: its wide stage-1 rows, then
 * only the rows that depend on them: its street's and district's wide values
 * (the rollups re-read the district's communities' wide rows, one per
 * community and period; the community's own values are its stage-1 rows),
 * scored rows (the street and district aggregates from the stored community
 * rows), scores and progress. Every other unit's rows stay as they are.
 */
export async function refreshUnit(store: Store, run: Run, orgUnit: string, opts: RunOptions = {}): Promise<number> {
  if (!/^\d{12}$/.test(orgUnit)) throw new Error(`refreshUnit needs a 12-digit community code, got ${orgUnit}`);
  const t0 = performance.now();
  const params: Record<string, DuckDBValue> = {
    ...baseParams(run, run.params, opts.reportPeriod),
    unit: orgUnit,
    street: orgUnit.slice(0, 9),
    district: orgUnit.slice(0, 6),
  };
  const cat = opts.catalogue ?? run.catalogue;
  const { base, valr, valw, scored, scores, progress, cal } = run.tables;
  const { entries, band } = planEntries(cat, run.plan);
  // views cannot take parameters: the codes are checked digits, safe as literals
  const [u, st, di] = [orgUnit, orgUnit.slice(0, 9), orgUnit.slice(0, 6)].map((c) => `'${c}'`);
  const mine = `org_unit IN (${u}, ${st}, ${di})`;
  const exec = (sql: string) => store.run(sql, bind(sql, params));
  // stage 1: the unit's per-export aggregates (only its rows are rescanned), then its own wide rows
  for (const x of compileExportAggs(cat, { scoped: true })) {
    const X = `${run.exportAggs}_${x.table}`;
    await exec(`DELETE FROM ${X} WHERE export_id IN (SELECT export_id FROM exports WHERE org_unit = $unit)`);
    await exec(`INSERT INTO ${X} ${x.sql}`);
  }
  await exec(`DELETE FROM ${base} WHERE org_unit = $unit`);
  await exec(`INSERT INTO ${base} ${compileWide(cat, { scoped: true, exportAggs: run.exportAggs })}`);
  // stage 2: the street's wide values from its communities, the district's from the district's
  for (const [code, lv] of [
    [st, 'street'],
    [di, 'district'],
  ] as const) {
    await exec(`CREATE OR REPLACE TEMP VIEW ${base}_d AS SELECT * FROM ${base} WHERE org_unit = ${code} OR (level = 'community' AND starts_with(org_unit, ${code}))`);
    await exec(`DELETE FROM ${valr} WHERE org_unit = ${code}`);
    await exec(`INSERT INTO ${valr} SELECT * FROM (${compileValuesWide(cat, `${base}_d`, [lv])}) WHERE org_unit = ${code}`);
  }
  await store.run(`DROP VIEW IF EXISTS ${base}_d`);
  // plan values of the three units (long, from the wide view)
  await exec(`CREATE OR REPLACE TEMP VIEW ${valw}_d AS SELECT * FROM ${valw} WHERE ${mine}`);
  const pvMine = `(${valuesLong(`${valw}_d`, entries, band)})`;
  // scored: the three units' own rows (a street/district's own indicators include aliases and
  // band counts of its communities), then the street's and district's aggregates
  await exec(`DELETE FROM ${scored} WHERE ${mine}`);
  await exec(`INSERT INTO ${scored} ${compileScoredOwn(pvMine, cal)}`);
  await exec(
    `INSERT INTO ${scored} SELECT * FROM (${compileScoredAgg(`(SELECT * FROM ${scored} WHERE starts_with(org_unit, $district))`, pvMine)}) WHERE org_unit IN ($street, $district)`,
  );
  await store.run(`DROP VIEW IF EXISTS ${valw}_d`);
  // scores and progress of the three units
  await exec(`CREATE OR REPLACE TEMP VIEW ${scored}_d AS SELECT * FROM ${scored} WHERE ${mine}`);
  for (const [table, sql] of [
    [scores, compileScores(`${scored}_d`)],
    [progress, compileProgress(`${scored}_d`, cal)],
  ] as const) {
    await exec(`DELETE FROM ${table} WHERE ${mine}`);
    await exec(`INSERT INTO ${table} ${sql}`);
  }
  await store.run(`DROP VIEW IF EXISTS ${scored}_d`);
  return performance.now() - t0;
}
