// The pure entry: computeReport(store, plan, { period, level }) runs the
// compiled pipeline and returns plain data for the CLI, API and UI:
// values (one per unit and indicator; rates as fractions, yes/no as 1/0),
// scores, acceptance, progress by phase and weight sensitivity.

import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../../server/db/store.ts';
import { CATALOGUE, INDICATOR_BY_ID } from '../catalogue/index.ts';
import { LEVELS, type Level, type Rollup } from '../catalogue/types.ts';
import { asOf } from '../compile/calendar.ts';
import { scoredView } from '../compile/keys.ts';
import { bind, periodProgressSql, type Run, readVariable, runPlan, unitValuesSql } from '../engine.ts';
import type { Plan } from '../plans/schema.ts';
import { type SensitivityInput, type SensitivityResult, sensitivity, sensitivityAsync } from '../score/sensitivity.ts';

export type Status = 'met' | 'on_track' | 'behind' | 'regressing' | 'no_data';

export interface ValueRow {
  org_unit: string;
  name: string | null;
  level: Level;
  indicator: string;
  indicator_zh: string;
  unit: string;
  /** How a street's or the district's value comes from its communities' (sum, mean, or the ratio of the sums). */
  rollup: Rollup;
  period: string;
  value: number | null;
  target: number | null;
  target_lo: number | null;
  target_hi: number | null;
  target_kind: 'min' | 'max' | 'range' | 'bool' | null;
  /** Per-year targets mid-year: the pro-rata target compared against. */
  target_effective_lo: number | null;
  target_effective_hi: number | null;
  attainment: number | null;
  status: Status | null;
  coverage: number | null;
  n_reporting: number;
  n_units: number;
  in_plan: boolean;
  plan_default: boolean;
  dimension: string | null;
  weight: number | null;
  veto: boolean;
  source: string;
  /** The clause of the source document the target is taken from, as the plan quotes it (null for plan defaults). */
  source_clause: string | null;
}

export interface ScoreRow {
  org_unit: string;
  name: string | null;
  level: Level;
  period: string;
  composite: number;
  dimensions: Record<string, number>;
  rating: string;
  n_no_data: number;
}

export interface AcceptanceRow {
  org_unit: string;
  name: string | null;
  level: Level;
  period: string;
  composite: number;
  accepted: boolean;
  vetoes_failed: string[];
}

export interface ProgressRow {
  org_unit: string;
  level: Level;
  indicator: string;
  phase_idx: number;
  phase: string;
  checked: boolean;
  eval_period: string;
  value: number | null;
  base: number | null;
  target_lo: number | null;
  target_hi: number | null;
  milestone_lo: number | null;
  milestone_hi: number | null;
  /** The target at the plan end (the one reaches_plan_target is judged against; 1 for a mean attainment). */
  plan_target_lo: number | null;
  plan_target_hi: number | null;
  status: Status;
  proj_phase_end: number | null;
  proj_plan_end: number | null;
  reaches_phase_target: boolean | null;
  reaches_plan_target: boolean | null;
}

export interface Report {
  plan: { id: string; name: string; source: string; start: string; end: string; plan_defaults: string[] };
  period: string;
  level: Level;
  current_phase: string;
  values: ValueRow[];
  scores: ScoreRow[];
  acceptance: AcceptanceRow[];
  progress: ProgressRow[];
  sensitivity: SensitivityResult;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The phase whose dates contain the period's as-of date (else the nearest). */
export function currentPhase(plan: Plan, period: string): number {
  const d = asOf(period);
  const k = plan.phases.findIndex((p) => p.start <= d && d <= p.end);
  if (k >= 0) return k + 1;
  return d < plan.phases[0].start ? 1 : plan.phases.length;
}

export function planDefaults(plan: Plan): string[] {
  const out: string[] = [];
  if (plan.pass_score.plan_default) out.push('pass_score');
  if (plan.rating.plan_default) out.push('rating');
  for (const d of plan.dimensions) if (d.plan_default) out.push(`dimensions.${d.id}.weight`);
  for (const i of plan.indicators) if (i.plan_default) out.push(`indicators.${i.id}.target`);
  return out;
}

export async function computeReport(store: Store, plan: Plan, opts: { period: string; level?: Level }): Promise<Report> {
  const level = opts.level ?? 'community';
  return (await computeReports(store, plan, { period: opts.period, levels: [level] }))[level] as Report;
}

/** Reports of several levels for one period from one run of the pipeline. */
export async function computeReports(store: Store, plan: Plan, opts: { period: string; levels: Level[] }): Promise<Partial<Record<Level, Report>>> {
  const run = await runPlan(store, plan, { reportPeriod: opts.period });
  try {
    const rows = (await reportRows(store, run, plan, [opts.period], opts.levels)).get(opts.period)!;
    const out: Partial<Record<Level, Report>> = {};
    for (const level of opts.levels) out[level] = assembleReport(plan, opts.period, level, rows[level]);
    return out;
  } finally {
    await run.drop();
  }
}

/** The rows of a report: one per (unit, indicator), per unit, per (unit, indicator, phase). */
export interface ReportRows {
  values: ValueRow[];
  scores: ScoreRow[];
  acceptance: AcceptanceRow[];
  progress: ProgressRow[];
}

/** The session variable reportRows's statements read their values from. */
const REPORT_VARIABLE = 'metrics_report';

/**
 * The report rows of `periods` at `levels` from a run: one query for the
 * values and one for the scores of every period and level, one for the
 * progress of each period (a run with that reportPeriod holds every phase;
 * from another, a full run holding each period's current phase, they are
 * computed for `units`). Only the rows of `units` (codes) when given: a
 * refreshed run's changed units, read from the run's tables (unitValuesSql),
 * the codes bound as parameters of IN lists, which DuckDB pushes into the
 * scans as constants. A value's status is its progress row's at the
 * period's current phase.
 */
export async function reportRows(store: Store, run: Run, plan: Plan, periods: string[], levels: Level[], units?: string[]): Promise<Map<string, Record<Level, ReportRows>>> {
  const { values, scored, scores, progress } = run.tables;
  if (!levels.every((l) => LEVELS.includes(l))) throw new Error(`unknown level in ${levels.join(', ')}`);
  // levels are our own enum, written as literals; periods and unit codes are bound
  const lv = (col: string) => `${col} IN (${levels.map((l) => `'${l}'`).join(', ')})`;
  const params: Record<string, string> = {};
  const list = (prefix: string, xs: string[]) =>
    xs
      .map((x, k) => {
        params[`${prefix}${k}`] = x;
        return `$${prefix}${k}`;
      })
      .join(', ') || 'NULL';
  const unitList = list('u', units ?? []);
  const periodList = list('p', periods);
  const only = (col: string) => (units ? ` AND ${col} IN (${unitList})` : '');
  const uidSql = `SELECT uid FROM ${run.tables.units} WHERE org_unit IN (${unitList})`;
  const uids = units ? (await store.all<{ uid: number }>(uidSql, bind(uidSql, params))).map((u) => Number(u.uid)) : [];
  // every phase of each period: a run for that report period holds them; from another (a full
  // run, each period at its current phase) they are computed for the units, every period at once
  const computed = periods.filter((p) => p !== run.reportPeriod);
  if (computed.length && !units) throw new Error(`a run for ${run.reportPeriod ?? 'every period'} gives the progress of ${computed.join(', ')} only for given units`);
  const held = run.reportPeriod !== null && periods.includes(run.reportPeriod);
  const at = computed.length ? periodProgressSql(run, computed, uids) : null;
  // the statements read their values from one struct variable (bound and planned once each, not
  // twice as a statement with parameters is: see engine.ts readVariable)
  const vars: Record<string, DuckDBValue> = { ...params, ...at?.params };
  const fields = Object.fromEntries(Object.keys(vars).map((k) => [k, k]));
  const query = (sql: string) => store.all<Record<string, unknown>>(readVariable(sql, REPORT_VARIABLE, fields));
  await store.run(`SET VARIABLE ${REPORT_VARIABLE} = {${Object.keys(vars).map((k) => `'${k}': $${k}`).join(', ')}}`, vars);
  // the units' scored rows: sc filtered on its integer key (uids read from the run's own table)
  const T = run.tables;
  const scoredOf = units ? `(${scoredView(T.sc, T.units, T.cal, T.pi, `list_contains([${uids.map((u) => String(Math.trunc(u))).join(', ')}]::INTEGER[], s.uid)`)})` : scored;
  const progressOf = (source: string) =>
    query(`SELECT * FROM ${source} WHERE report_period IN (${periodList}) AND ${lv('level')}${only('org_unit')} ORDER BY org_unit, indicator, phase_idx`);
  let rows: Record<string, unknown>[];
  let sc: Record<string, unknown>[];
  // (concatenated, not spread into a push: a full report's ~750k progress rows overflow the stack as arguments)
  let pr: Record<string, unknown>[] = [];
  try {
    rows = await query(
      `SELECT v.org_unit, u.name, v.level, v.period, v.indicator, v.value, v.n_reporting::INTEGER AS n_reporting, v.n_units::INTEGER AS n_units,
         s.t_lo, s.t_hi, s.e_lo, s.e_hi, s.is_bool, s.attainment, s.coverage, s.dimension, s.weight, s.veto, s.target_state,
         s.n_reporting::INTEGER AS s_rep, s.n_units::INTEGER AS s_units, (s.indicator IS NOT NULL) AS in_plan
       FROM ${units ? `(${unitValuesSql(run, `org_unit IN (${unitList})`)})` : values} v
       LEFT JOIN org_units u ON u.code = v.org_unit
       LEFT JOIN ${scoredOf} s ON s.org_unit = v.org_unit AND s.level = v.level AND s.period = v.period AND s.indicator = v.indicator
       WHERE v.period IN (${periodList}) AND ${lv('v.level')}${only('v.org_unit')}
       ORDER BY v.org_unit, v.indicator`,
    );
    sc = await query(
      `SELECT s.org_unit, u.name, s.level, s.period, s.composite, map_keys(s.dimensions) AS dk, map_values(s.dimensions) AS dv,
         s.rating, s.n_no_data, s.accepted, s.vetoes_failed
       FROM ${scores} s LEFT JOIN org_units u ON u.code = s.org_unit
       WHERE s.period IN (${periodList}) AND ${lv('s.level')}${only('s.org_unit')} ORDER BY s.org_unit`,
    );
    if (held) pr = await progressOf(progress);
    if (at) pr = pr.concat(await progressOf(`(${at.sql})`));
  } finally {
    await store.run(`RESET VARIABLE ${REPORT_VARIABLE}`);
  }
  const out = new Map<string, Record<Level, ReportRows>>();
  const byPlan = new Map(plan.indicators.map((i) => [i.id, i]));
  for (const period of periods) {
    const at = Object.fromEntries(LEVELS.map((l) => [l, { values: [], scores: [], acceptance: [], progress: [] } as ReportRows])) as Record<Level, ReportRows>;
    const phase = currentPhase(plan, period);
    const status = new Map<string, Status>();
    for (const r of pr) {
      if (r.report_period !== period) continue;
      const g = progressRow(r);
      at[g.level].progress.push(g);
      if (g.phase_idx === phase) status.set(`${g.org_unit}|${g.level}|${g.indicator}`, g.status);
    }
    for (const r of rows) {
      if (r.period !== period) continue;
      const v = valueRow(r, byPlan, period, status.get(`${r.org_unit}|${r.level}|${r.indicator}`) ?? null);
      if (v) at[v.level].values.push(v);
    }
    for (const l of LEVELS) at[l].values.sort(byValueOrder);
    for (const r of sc) {
      if (r.period !== period) continue;
      const level = r.level as Level;
      at[level].scores.push(scoreRow(r, period));
      at[level].acceptance.push(acceptanceRow(r, period));
    }
    out.set(period, at);
  }
  return out;
}

const CATALOGUE_ORDER = new Map(CATALOGUE.map((c, k) => [c.id, k]));

/** Values in report order: by unit, then in catalogue order. */
function byValueOrder(a: ValueRow, b: ValueRow): number {
  return a.org_unit.localeCompare(b.org_unit) || CATALOGUE_ORDER.get(a.indicator)! - CATALOGUE_ORDER.get(b.indicator)!;
}

/** One value row; null for a helper indicator outside the plan. */
function valueRow(r: Record<string, unknown>, byPlan: Map<string, Plan['indicators'][number]>, period: string, progressStatus: Status | null): ValueRow | null {
  const cat = INDICATOR_BY_ID.get(String(r.indicator))!;
  if (cat.helper && !r.in_plan) return null;
  const pi = byPlan.get(cat.id);
  const lo = num(r.t_lo);
  const hi = num(r.t_hi);
  const kind: ValueRow['target_kind'] = !r.in_plan || r.target_state === 'na' ? null : r.is_bool ? 'bool' : lo !== null && hi !== null ? 'range' : lo !== null ? 'min' : hi !== null ? 'max' : null;
  const value = num(r.value);
  return {
    org_unit: String(r.org_unit),
    name: (r.name as string | null) ?? null,
    level: r.level as Level,
    indicator: cat.id,
    indicator_zh: cat.zh,
    unit: cat.unit,
    rollup: cat.rollup,
    period,
    value,
    target: kind === 'min' || kind === 'bool' ? lo : kind === 'max' ? hi : null,
    target_lo: lo,
    target_hi: hi,
    target_kind: kind,
    target_effective_lo: num(r.e_lo),
    target_effective_hi: num(r.e_hi),
    attainment: num(r.attainment),
    status: r.in_plan ? (progressStatus ?? (r.target_state === 'na' ? null : value === null ? 'no_data' : null)) : value === null ? 'no_data' : null,
    coverage: num(r.coverage),
    n_reporting: r.in_plan && r.s_rep !== null ? Number(r.s_rep) : Number(r.n_reporting),
    n_units: r.in_plan && r.s_units !== null ? Number(r.s_units) : Number(r.n_units),
    in_plan: !!r.in_plan,
    plan_default: pi?.plan_default ?? false,
    dimension: (r.dimension as string | null) ?? null,
    weight: num(r.weight),
    veto: !!r.veto,
    source: pi?.source ?? cat.source,
    source_clause: pi && !pi.plan_default ? (pi.note ?? null) : null,
  };
}

function scoreRow(r: Record<string, unknown>, period: string): ScoreRow {
  return {
    org_unit: String(r.org_unit),
    name: (r.name as string | null) ?? null,
    level: r.level as Level,
    period,
    composite: Number(r.composite),
    dimensions: Object.fromEntries((r.dk as string[]).map((k, i) => [k, Number((r.dv as number[])[i])])),
    rating: String(r.rating),
    n_no_data: Number(r.n_no_data),
  };
}

function acceptanceRow(r: Record<string, unknown>, period: string): AcceptanceRow {
  return {
    org_unit: String(r.org_unit),
    name: (r.name as string | null) ?? null,
    level: r.level as Level,
    period,
    composite: Number(r.composite),
    accepted: !!r.accepted,
    vetoes_failed: (r.vetoes_failed as string[]) ?? [],
  };
}

function progressRow(r: Record<string, unknown>): ProgressRow {
  return {
    org_unit: String(r.org_unit),
    level: r.level as Level,
    indicator: String(r.indicator),
    phase_idx: Number(r.phase_idx),
    phase: String(r.phase),
    checked: !!r.checked,
    eval_period: String(r.eval_period),
    value: num(r.value),
    base: num(r.base),
    target_lo: num(r.target_lo),
    target_hi: num(r.target_hi),
    milestone_lo: num(r.milestone_lo),
    milestone_hi: num(r.milestone_hi),
    plan_target_lo: num(r.plan_target_lo),
    plan_target_hi: num(r.plan_target_hi),
    status: r.status as Status,
    proj_phase_end: num(r.proj_phase_end),
    proj_plan_end: num(r.proj_plan_end),
    reaches_phase_target: (r.reaches_phase_target as boolean | null) ?? null,
    reaches_plan_target: (r.reaches_plan_target as boolean | null) ?? null,
  };
}

/** A report of the level's rows; its weight sensitivity is computed when first read (or primed: primeSensitivity). */
export function assembleReport(plan: Plan, period: string, level: Level, rows: ReportRows): Report {
  const phaseIdx = currentPhase(plan, period);
  const report = {
    plan: { id: plan.id, name: plan.name, source: plan.source, start: plan.start, end: plan.end, plan_defaults: planDefaults(plan) },
    period,
    level,
    current_phase: plan.phases[phaseIdx - 1].name,
    values: rows.values,
    scores: rows.scores,
    acceptance: rows.acceptance,
    progress: rows.progress,
  } as Omit<Report, 'sensitivity'>;
  const state: SensitivityState = {
    input: {
      units: rows.scores.map((s) => ({ org_unit: s.org_unit, dimensions: s.dimensions })),
      weights: Object.fromEntries(plan.dimensions.map((d) => [d.id, d.weight])),
      ...plan.sensitivity,
    },
  };
  // An own enumerable property whose value is computed once, on first read: JSON, spreads and
  // deep equality see it as a plain field. 1,000 draws over 10,000 communities take ~3 s, which
  // a report that is only drawn from (the overview) never pays.
  Object.defineProperty(report, 'sensitivity', { enumerable: true, get: () => (state.value ??= sensitivity(state.input)) });
  SENSITIVITY.set(report, state);
  return report as Report;
}

interface SensitivityState {
  input: SensitivityInput;
  value?: SensitivityResult;
  pending?: Promise<unknown>;
}

const SENSITIVITY = new WeakMap<object, SensitivityState>();

/** Compute a report's weight sensitivity now, in slices that let a server go on answering meanwhile. */
export function primeSensitivity(report: Report): Promise<void> {
  const state = SENSITIVITY.get(report);
  if (!state || state.value) return Promise.resolve();
  state.pending ??= sensitivityAsync(state.input).then((v) => {
    state.value ??= v;
  });
  return state.pending.then(() => {});
}

/**
 * `report` with the rows of the units `fresh` was read for (`units`, codes)
 * replaced by `fresh`'s, every other row as it was (the same objects) and
 * the order kept; a new report, the old one untouched (a response may still
 * be rendering it). The weight sensitivity is computed afresh: a unit's new
 * dimension scores move the others' ranks in every draw.
 */
export function patchReport(report: Report, plan: Plan, fresh: ReportRows, units: string[]): Report {
  const codes = [...new Set(units)];
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const splice = <R extends { org_unit: string }>(rows: R[], replacement: R[], cmp: (a: string, b: string) => number): R[] => {
    const out = rows.slice();
    // each code's run of rows found afresh (binary search), replaced by its fresh rows
    for (const code of codes) {
      const lo = lowerBound(out, code, cmp);
      let hi = lo;
      while (hi < out.length && out[hi].org_unit === code) hi++;
      out.splice(lo, hi - lo, ...replacement.filter((r) => r.org_unit === code));
    }
    return out;
  };
  return assembleReport(plan, report.period, report.level, {
    values: splice(report.values, fresh.values, (a, b) => a.localeCompare(b)),
    scores: splice(report.scores, fresh.scores, binary),
    acceptance: splice(report.acceptance, fresh.acceptance, binary),
    progress: splice(report.progress, fresh.progress, binary),
  });
}

/** The first index whose org_unit is not before `code` (rows ordered by org_unit under `cmp`). */
function lowerBound(rows: { org_unit: string }[], code: string, cmp: (a: string, b: string) => number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid].org_unit, code) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
