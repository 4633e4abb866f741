// Integer keys of the big intermediate tables (stages 3 and 4) and the views
// that join the names back: units (uid <-> org unit code and level, with the
// street and district each community rolls up to), the plan's indicators
// (ix, in plan order; dx, the dimension's rank by id) and its phase paths.
// The scored and progress rows (~1.3M each at province scale) then group,
// sort and write integers instead of repeated codes and ids.
// Parameters: $pi, $dm, $ph (plans/params.ts).

import { jsonRows } from '../plans/params.ts';
import { ident } from './sql.ts';

/**
 * Every (org unit, level) of the wide values relation, numbered, with its
 * street's and district's uid: the covered communities of stage 1 (`pfx`: the
 * covered code prefixes, null when the plan covers every unit) and the
 * street/district rows of `valr` (read from the tables: see keyedCommunityView).
 */
export function compileUnits(base: string, valr: string, pfx: string | null): string {
  const covered = pfx ? ` AND EXISTS (SELECT 1 FROM ${ident(pfx)} p WHERE starts_with(b.org_unit, p.p))` : '';
  return `WITH u AS (
  SELECT row_number() OVER (ORDER BY org_unit, level)::INTEGER AS uid, org_unit, level
  FROM (SELECT DISTINCT org_unit, level FROM ${ident(base)} b WHERE b.level = 'community'${covered}
        UNION SELECT DISTINCT org_unit, level FROM ${ident(valr)})
)
SELECT u.uid, u.org_unit, u.level, s.uid AS st_uid, d.uid AS di_uid
FROM u LEFT JOIN u s ON u.level = 'community' AND s.level = 'street' AND s.org_unit = left(u.org_unit, 9)
LEFT JOIN u d ON u.level = 'community' AND d.level = 'district' AND d.org_unit = left(u.org_unit, 6)`;
}

/** Units of `valw` whose code is one of `codes` (SQL literals) and that `units` lacks, numbered after the last. */
export function compileNewUnits(valw: string, units: string, codes: string): string {
  const [W, U] = [ident(valw), ident(units)];
  return `WITH n AS (
  SELECT DISTINCT org_unit, level FROM ${W} w
  WHERE org_unit IN (${codes}) AND NOT EXISTS (SELECT 1 FROM ${U} x WHERE x.org_unit = w.org_unit AND x.level = w.level)
)
SELECT ((SELECT coalesce(max(uid), 0) FROM ${U}) + row_number() OVER (ORDER BY org_unit, level))::INTEGER AS uid, org_unit, level,
  NULL::INTEGER AS st_uid, NULL::INTEGER AS di_uid
FROM n`;
}

/** The street/district uids of every community (after new units were added). */
export function compileUnitParents(units: string): string {
  const U = ident(units);
  return `UPDATE ${U} c SET st_uid = (SELECT s.uid FROM ${U} s WHERE s.level = 'street' AND s.org_unit = left(c.org_unit, 9)),
  di_uid = (SELECT d.uid FROM ${U} d WHERE d.level = 'district' AND d.org_unit = left(c.org_unit, 6))
WHERE c.level = 'community'`;
}

/** The plan's indicators: ix, indicator, level, dimension, weight, veto, per_year, band_field, by_area, dx, dm_weight. */
export const PLAN_INDICATORS_SQL = `SELECT p.*, dense_rank() OVER (ORDER BY p.dimension)::INTEGER AS dx, dm.weight AS dm_weight
FROM ${jsonRows('pi')} p LEFT JOIN ${jsonRows('dm')} dm ON dm.dimension = p.dimension`;

/** The phase paths with the plan indicator's ix. */
export function compilePlanPhases(pi: string): string {
  return `SELECT p.ix, f.* FROM ${jsonRows('ph')} f JOIN ${ident(pi)} p ON p.indicator = f.indicator`;
}

/**
 * The covered communities' stage-1 wide rows with their uid (the units table
 * holds only covered units) and valw's row flags, for valuesLong: reading
 * the tables rather than the valw view keeps planning cheap (the view's
 * UNION BY NAME of ~700 columns costs ~200 ms to plan).
 */
export function keyedCommunityView(base: string, units: string): string {
  return `SELECT u.uid, TRUE AS has_own, FALSE AS has_agg, b.* FROM ${ident(base)} b
JOIN ${ident(units)} u ON u.org_unit = b.org_unit AND u.level = b.level WHERE b.level = 'community'`;
}

/** The street/district wide rows (valr) with their uid. */
export function keyedHigherView(valr: string, units: string): string {
  return `SELECT u.uid, r.* FROM ${ident(valr)} r JOIN ${ident(units)} u ON u.org_unit = r.org_unit AND u.level = r.level`;
}

/** The scored rows with names (the columns stage 3 always had). */
export function scoredView(sc: string, units: string, cal: string, pi: string, where?: string): string {
  return `SELECT u.org_unit, u.level, c.period, p.indicator, s.value, p.dimension, p.weight, p.veto, p.per_year, s.target_state,
  s.t_lo, s.t_hi, s.e_lo, s.e_hi, s.is_bool, s.attainment, s.no_data, s.coverage, s.n_reporting, s.n_units, s.aggregated
FROM ${ident(sc)} s JOIN ${ident(units)} u ON u.uid = s.uid JOIN ${ident(cal)} c ON c.qidx = s.qidx JOIN ${ident(pi)} p ON p.ix = s.ix${where ? `\nWHERE ${where}` : ''}`;
}

/** The progress rows with names (the columns stage 4 always had). */
export function progressView(pg: string, units: string, cal: string, pi: string, ph: string): string {
  return `SELECT u.org_unit, u.level, p.indicator, r.period AS report_period, g.phase_idx, f.phase, f.checked, e.period AS eval_period,
  g.value, g.base, g.prev_value, g.prev_phase_value, g.target_lo, g.target_hi, g.milestone_lo, g.milestone_hi, g.plan_target_lo, g.plan_target_hi, g.status, g.improving,
  g.proj_phase_end, g.proj_plan_end, g.reaches_phase_target, g.reaches_plan_target
FROM ${ident(pg)} g JOIN ${ident(units)} u ON u.uid = g.uid JOIN ${ident(pi)} p ON p.ix = g.ix
JOIN ${ident(ph)} f ON f.ix = g.ix AND f.phase_idx = g.phase_idx
JOIN ${ident(cal)} r ON r.qidx = g.r_qidx JOIN ${ident(cal)} e ON e.qidx = g.e_qidx`;
}
