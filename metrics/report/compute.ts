// The pure entry: computeReport(store, plan, { period, level }) runs the
// compiled pipeline and returns plain data for the CLI, API and UI:
// values (one per unit and indicator; rates as fractions, yes/no as 1/0),
// scores, acceptance, progress by phase and weight sensitivity.

import type { Store } from '../../server/db/store.ts';
import { CATALOGUE, INDICATOR_BY_ID } from '../catalogue/index.ts';
import type { Level } from '../catalogue/types.ts';
import { asOf } from '../compile/calendar.ts';
import { type Run, runPlan } from '../engine.ts';
import type { Plan } from '../plans/schema.ts';
import { sensitivity } from '../score/sensitivity.ts';

export type Status = 'met' | 'on_track' | 'behind' | 'regressing' | 'no_data';

export interface ValueRow {
  org_unit: string;
  name: string | null;
  level: Level;
  indicator: string;
  indicator_zh: string;
  unit: string;
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
  sensitivity: ReturnType<typeof sensitivity>;
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
    const out: Partial<Record<Level, Report>> = {};
    for (const level of opts.levels) out[level] = await reportOf(store, run, plan, opts.period, level);
    return out;
  } finally {
    await run.drop();
  }
}

async function reportOf(store: Store, run: Run, plan: Plan, period: string, level: Level): Promise<Report> {
  const { values, scored, scores, progress } = run.tables;
  const phaseIdx = currentPhase(plan, period);
  const p = { period, level };
  const pv = { ...p, phase: phaseIdx };
  const rows = await store.all<Record<string, unknown>>(
    `SELECT v.org_unit, u.name, v.level, v.indicator, v.value, v.n_reporting::INTEGER AS n_reporting, v.n_units::INTEGER AS n_units,
       s.t_lo, s.t_hi, s.e_lo, s.e_hi, s.is_bool, s.attainment, s.coverage, s.dimension, s.weight, s.veto, s.target_state,
       s.n_reporting::INTEGER AS s_rep, s.n_units::INTEGER AS s_units, (s.indicator IS NOT NULL) AS in_plan, g.status
     FROM ${values} v
     LEFT JOIN org_units u ON u.code = v.org_unit
     LEFT JOIN ${scored} s ON s.org_unit = v.org_unit AND s.level = v.level AND s.period = v.period AND s.indicator = v.indicator
     LEFT JOIN ${progress} g ON g.org_unit = v.org_unit AND g.level = v.level AND g.indicator = v.indicator
       AND g.report_period = v.period AND g.phase_idx = $phase
     WHERE v.period = $period AND v.level = $level
     ORDER BY v.org_unit, v.indicator`,
    pv,
  );
  const byPlan = new Map(plan.indicators.map((i) => [i.id, i]));
  const order = new Map(CATALOGUE.map((c, k) => [c.id, k]));
  const valueRows: ValueRow[] = rows
    .filter((r) => !INDICATOR_BY_ID.get(String(r.indicator))?.helper || r.in_plan)
    .map((r) => {
      const cat = INDICATOR_BY_ID.get(String(r.indicator))!;
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
        period,
        value,
        target: kind === 'min' || kind === 'bool' ? lo : kind === 'max' ? hi : null,
        target_lo: lo,
        target_hi: hi,
        target_kind: kind,
        target_effective_lo: num(r.e_lo),
        target_effective_hi: num(r.e_hi),
        attainment: num(r.attainment),
        status: r.in_plan ? ((r.status as Status | null) ?? (r.target_state === 'na' ? null : value === null ? 'no_data' : null)) : value === null ? 'no_data' : null,
        coverage: num(r.coverage),
        n_reporting: r.in_plan && r.s_rep !== null ? Number(r.s_rep) : Number(r.n_reporting),
        n_units: r.in_plan && r.s_units !== null ? Number(r.s_units) : Number(r.n_units),
        in_plan: !!r.in_plan,
        plan_default: pi?.plan_default ?? false,
        dimension: (r.dimension as string | null) ?? null,
        weight: num(r.weight),
        veto: !!r.veto,
        source: pi?.source ?? cat.source,
      };
    })
    .sort((a, b) => a.org_unit.localeCompare(b.org_unit) || order.get(a.indicator)! - order.get(b.indicator)!);

  const sc = await store.all<Record<string, unknown>>(
    `SELECT s.org_unit, u.name, s.level, s.period, s.composite, map_keys(s.dimensions) AS dk, map_values(s.dimensions) AS dv,
       s.rating, s.n_no_data, s.accepted, s.vetoes_failed
     FROM ${scores} s LEFT JOIN org_units u ON u.code = s.org_unit
     WHERE s.period = $period AND s.level = $level ORDER BY s.org_unit`,
    p,
  );
  const scoreRows: ScoreRow[] = sc.map((r) => ({
    org_unit: String(r.org_unit),
    name: (r.name as string | null) ?? null,
    level: r.level as Level,
    period,
    composite: Number(r.composite),
    dimensions: Object.fromEntries((r.dk as string[]).map((k, i) => [k, Number((r.dv as number[])[i])])),
    rating: String(r.rating),
    n_no_data: Number(r.n_no_data),
  }));
  const acceptance: AcceptanceRow[] = sc.map((r) => ({
    org_unit: String(r.org_unit),
    name: (r.name as string | null) ?? null,
    level: r.level as Level,
    period,
    composite: Number(r.composite),
    accepted: !!r.accepted,
    vetoes_failed: (r.vetoes_failed as string[]) ?? [],
  }));
  const pr = await store.all<Record<string, unknown>>(
    `SELECT * FROM ${progress} WHERE report_period = $period AND level = $level ORDER BY org_unit, indicator, phase_idx`,
    p,
  );
  const progressRows: ProgressRow[] = pr.map((r) => ({
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
    status: r.status as Status,
    proj_phase_end: num(r.proj_phase_end),
    proj_plan_end: num(r.proj_plan_end),
    reaches_phase_target: (r.reaches_phase_target as boolean | null) ?? null,
    reaches_plan_target: (r.reaches_plan_target as boolean | null) ?? null,
  }));
  return {
    plan: { id: plan.id, name: plan.name, source: plan.source, start: plan.start, end: plan.end, plan_defaults: planDefaults(plan) },
    period,
    level,
    current_phase: plan.phases[phaseIdx - 1].name,
    values: valueRows,
    scores: scoreRows,
    acceptance,
    progress: progressRows,
    sensitivity: sensitivity({
      units: scoreRows.map((s) => ({ org_unit: s.org_unit, dimensions: s.dimensions })),
      weights: Object.fromEntries(plan.dimensions.map((d) => [d.id, d.weight])),
      ...plan.sensitivity,
    }),
  };
}
