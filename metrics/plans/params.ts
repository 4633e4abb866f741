// A validated plan as bound-parameter rows for the compiled scoring SQL:
// indicator rows, resolved target rows (by area type / band), phase paths,
// dimension weights and rating bands, each a JSON list with a fixed schema.

import { indicator } from '../catalogue/index.ts';
import { periodOfDate, quarterIndex } from '../compile/calendar.ts';
import type { Plan, SimpleTargetT } from './schema.ts';

export interface TargetRow {
  indicator: string;
  area_type: string | null;
  band_from: number | null;
  band_below: number | null;
  lo: number | null;
  hi: number | null;
  is_bool: boolean;
}

function simple(t: SimpleTargetT): Pick<TargetRow, 'lo' | 'hi' | 'is_bool'> {
  if (t.min !== undefined) return { lo: t.min, hi: null, is_bool: false };
  if (t.max !== undefined) return { lo: null, hi: t.max, is_bool: false };
  if (t.range) return { lo: t.range[0], hi: t.range[1], is_bool: false };
  return { lo: 1, hi: null, is_bool: true };
}

const dayBefore = (iso: string): string => new Date(Date.parse(`${iso}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);

export function planParams(plan: Plan) {
  const pi = plan.indicators.map((p, k) => {
    const cat = indicator(p.id);
    return {
      ix: k + 1,
      indicator: p.id,
      level: cat.level,
      dimension: p.dimension ?? cat.dimension,
      weight: p.weight,
      veto: p.veto,
      per_year: cat.periodicity === 'per_year',
      /** A share of a whole (a rate in %): never above 1. */
      share: cat.unit === '%',
      band_field: p.target.by_band?.field ?? null,
      by_area: !!p.target.by_area_type,
    };
  });
  const tg: TargetRow[] = [];
  for (const p of plan.indicators) {
    const t = p.target;
    const base = { indicator: p.id, area_type: null, band_from: null, band_below: null };
    if (t.by_area_type) {
      tg.push({ ...base, area_type: 'urban', ...simple(t.by_area_type.urban) });
      tg.push({ ...base, area_type: 'rural', ...simple(t.by_area_type.rural) });
    } else if (t.by_band) {
      t.by_band.bands.forEach((b, k) => {
        const next = t.by_band?.bands[k + 1];
        tg.push({ ...base, band_from: b.from, band_below: b.below ?? next?.from ?? null, ...simple(b.target) });
      });
    } else tg.push({ ...base, ...simple(t as SimpleTargetT) });
  }
  // Phase paths: a milestone line from (a_date, start value) to (b_date, end value).
  // Explicit milestones chain from phase to phase; otherwise the line runs from
  // the baseline at plan start to the final target on its due date: plan end
  // for 'linear', else the end of the first phase that checks the indicator.
  const ph = plan.indicators.flatMap((p) => {
    const checking = plan.phases.find((x) => x.checks === 'all' || x.checks.includes(p.id));
    const due = p.milestones === 'linear' || !checking ? plan.end : checking.end;
    const explicit = p.milestones && p.milestones !== 'linear' ? p.milestones : undefined;
    return plan.phases.map((x, k) => {
      const prev = plan.phases[k - 1];
      const own = explicit?.[x.name];
      const prevVal = prev ? explicit?.[prev.name] : undefined;
      const chained = own !== undefined;
      return {
        indicator: p.id,
        phase_idx: k + 1,
        phase: x.name,
        phase_start: x.start,
        phase_end: x.end,
        end_qidx: quarterIndex(periodOfDate(x.end)),
        prev_end_qidx: prev ? quarterIndex(periodOfDate(prev.end)) : null,
        checked: x.checks === 'all' || x.checks.includes(p.id),
        a_date: chained && prev ? prev.end : dayBefore(plan.start),
        a_value: chained ? (prevVal ?? null) : null,
        b_date: chained ? x.end : due,
        b_value: chained ? own : null,
      };
    });
  });
  return {
    all_units: plan.units === 'all',
    prefixes: JSON.stringify(plan.units === 'all' ? [] : plan.units),
    pi: JSON.stringify(pi),
    tg: JSON.stringify(tg),
    ph: JSON.stringify(ph),
    dm: JSON.stringify(plan.dimensions.map((d) => ({ dimension: d.id, weight: d.weight }))),
    rt: JSON.stringify(plan.rating.bands),
    pass: plan.pass_score.value,
    base_qidx: quarterIndex(periodOfDate(dayBefore(plan.start))),
    plan_end_qidx: quarterIndex(periodOfDate(plan.end)),
  };
}

export type PlanParams = ReturnType<typeof planParams>;

export const JSON_SCHEMAS = {
  pi: `[{"ix":"INTEGER","indicator":"VARCHAR","level":"VARCHAR","dimension":"VARCHAR","weight":"DOUBLE","veto":"BOOLEAN","per_year":"BOOLEAN","share":"BOOLEAN","band_field":"VARCHAR","by_area":"BOOLEAN"}]`,
  tg: `[{"indicator":"VARCHAR","area_type":"VARCHAR","band_from":"DOUBLE","band_below":"DOUBLE","lo":"DOUBLE","hi":"DOUBLE","is_bool":"BOOLEAN"}]`,
  ph: `[{"indicator":"VARCHAR","phase_idx":"INTEGER","phase":"VARCHAR","phase_start":"DATE","phase_end":"DATE","end_qidx":"INTEGER","prev_end_qidx":"INTEGER","checked":"BOOLEAN","a_date":"DATE","a_value":"DOUBLE","b_date":"DATE","b_value":"DOUBLE"}]`,
  dm: `[{"dimension":"VARCHAR","weight":"DOUBLE"}]`,
  rt: `[{"min":"DOUBLE","label":"VARCHAR"}]`,
} as const;

/** SQL reading one JSON parameter as a relation. */
export function jsonRows(param: keyof typeof JSON_SCHEMAS): string {
  return `(SELECT unnest(j, recursive := true) FROM (SELECT from_json($${param}::JSON, '${JSON_SCHEMAS[param]}') AS j))`;
}
