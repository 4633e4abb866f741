// Stage 4: for every org unit, plan indicator, phase and report period, the
// status (met, on_track, behind, regressing, no_data) and the projection of
// the last four quarters' linear trend to the phase end and the plan end.
// Evaluated at t = min(report period, the phase's last quarter).
// The tracked quantity is the value against the unit's own target; for a
// community indicator seen from above it is the mean attainment against 1.
// Parameters: $ph (plans/params.ts), $base_qidx, $plan_end_qidx, $report_qidx
// (NULL = a full run: every period, each with its current phase only).

import { ident } from '../compile/sql.ts';
import { jsonRows } from '../plans/params.ts';

const MEETS = (x: string, lo: string, hi: string) =>
  `((${lo} IS NULL OR ${x} >= ${lo} - 1e-12) AND (${hi} IS NULL OR ${x} <= ${hi} + 1e-12))`;
/** Fraction of the way from a_date to b_date on date d, clamped to [0, 1]. */
const FRAC = (d: string) =>
  `CASE WHEN f.b_date <= f.a_date THEN 1.0 ELSE least(1.0, greatest(0.0, date_diff('day', f.a_date, ${d}) / date_diff('day', f.a_date, f.b_date))) END`;

export function compileProgress(scoredTable: string, calTable: string): string {
  const S = ident(scoredTable);
  const C = ident(calTable);
  return `WITH ph AS ${jsonRows('ph')},
x AS (
  SELECT s.org_unit, s.level, s.indicator, c.qidx, s.period, c.as_of, c.q_elapsed, c.ys_qidx,
    CASE WHEN s.aggregated THEN s.attainment ELSE s.value END AS x,
    CASE WHEN s.target_state = 'unknown' THEN NULL WHEN s.aggregated THEN 1.0 ELSE s.t_lo END AS lo,
    CASE WHEN s.aggregated THEN NULL ELSE s.t_hi END AS hi,
    (s.per_year AND NOT s.aggregated) AS per_year,
    (s.no_data OR s.target_state = 'unknown') AS no_data
  FROM ${S} s JOIN ${C} c ON c.period = s.period
  WHERE s.target_state <> 'na'
),
h AS (
  SELECT x.*,
    lag(x.x) OVER w1 AS x_prev, lag(x.ys_qidx) OVER w1 AS prev_ys_qidx,
    regr_slope(x.x, x.qidx) OVER w4 AS slope, regr_intercept(x.x, x.qidx) OVER w4 AS icpt,
    regr_count(x.x, x.qidx) OVER w4 AS npts
  FROM x
  WINDOW w1 AS (PARTITION BY x.org_unit, x.level, x.indicator ORDER BY x.qidx),
         w4 AS (PARTITION BY x.org_unit, x.level, x.indicator ORDER BY x.qidx RANGE BETWEEN 3 PRECEDING AND CURRENT ROW)
),
b AS (
  SELECT org_unit, level, indicator,
    arg_min(x, CASE WHEN qidx <= $base_qidx THEN $base_qidx - qidx ELSE 100000 + qidx END) AS base
  FROM x WHERE x IS NOT NULL GROUP BY org_unit, level, indicator
),
-- each period's current phase: the one whose dates contain the as-of date, else the nearest
cp AS (
  SELECT c.qidx, coalesce(min(f.phase_idx) FILTER (WHERE f.phase_start <= c.as_of AND c.as_of <= f.phase_end),
    CASE WHEN c.as_of < min(f.phase_start) THEN 1 ELSE max(f.phase_idx) END) AS phase_idx
  FROM ${C} c, (SELECT DISTINCT phase_idx, phase_start, phase_end FROM ph) f GROUP BY c.qidx, c.as_of
),
-- a report period: every phase; a full run: each period's current phase
pp AS (
  SELECT r.org_unit, r.level, r.indicator, r.period AS report_period, f.*, least(r.qidx, f.end_qidx) AS t_qidx
  FROM x r JOIN cp ON cp.qidx = r.qidx JOIN ph f ON f.indicator = r.indicator
  WHERE CASE WHEN $report_qidx IS NULL THEN f.phase_idx = cp.phase_idx ELSE r.qidx = $report_qidx END
),
j AS (
  SELECT pp.*, h.period AS eval_period, h.as_of, h.q_elapsed, h.x, h.x_prev, h.lo, h.hi, h.per_year, h.no_data,
    h.slope, h.icpt, h.npts, (h.prev_ys_qidx = h.ys_qidx) AS same_year, b.base,
    CASE WHEN pp.prev_end_qidx < pp.t_qidx THEN hp.x END AS prev_phase_x
  FROM pp
  JOIN h ON h.org_unit = pp.org_unit AND h.level = pp.level AND h.indicator = pp.indicator AND h.qidx = pp.t_qidx
  LEFT JOIN b ON b.org_unit = pp.org_unit AND b.level = pp.level AND b.indicator = pp.indicator
  LEFT JOIN h hp ON hp.org_unit = pp.org_unit AND hp.level = pp.level AND hp.indicator = pp.indicator AND hp.qidx = pp.prev_end_qidx
),
path AS (
  SELECT f.*,
    CASE WHEN f.lo IS NOT NULL THEN coalesce(f.b_value, f.lo) END AS w_lo,
    CASE WHEN f.hi IS NOT NULL THEN coalesce(f.b_value, f.hi) END AS w_hi,
    ${FRAC('f.phase_end')} AS frac_end, ${FRAC('f.as_of')} AS frac_t
  FROM j f
),
m AS (
  SELECT p.*,
    CASE WHEN p.per_year THEN p.lo ELSE coalesce(p.a_value, p.base, p.w_lo) + (p.w_lo - coalesce(p.a_value, p.base, p.w_lo)) * p.frac_end END AS target_lo,
    CASE WHEN p.per_year THEN p.hi ELSE coalesce(p.a_value, p.base, p.w_hi) + (p.w_hi - coalesce(p.a_value, p.base, p.w_hi)) * p.frac_end END AS target_hi,
    CASE WHEN p.per_year THEN p.lo * p.q_elapsed / 4.0 ELSE coalesce(p.a_value, p.base, p.w_lo) + (p.w_lo - coalesce(p.a_value, p.base, p.w_lo)) * p.frac_t END AS milestone_lo,
    CASE WHEN p.per_year THEN p.hi * p.q_elapsed / 4.0 ELSE coalesce(p.a_value, p.base, p.w_hi) + (p.w_hi - coalesce(p.a_value, p.base, p.w_hi)) * p.frac_t END AS milestone_hi,
    CASE WHEN p.per_year THEN p.x / p.q_elapsed * 4 WHEN p.npts >= 2 THEN p.icpt + p.slope * p.end_qidx END AS proj_phase_end,
    CASE WHEN p.per_year THEN p.x / p.q_elapsed * 4 WHEN p.npts >= 2 THEN p.icpt + p.slope * $plan_end_qidx END AS proj_plan_end
  FROM path p
)
SELECT org_unit, level, indicator, report_period, phase_idx, phase, checked, eval_period,
  x AS value, base, x_prev AS prev_value, prev_phase_x AS prev_phase_value,
  target_lo, target_hi, milestone_lo, milestone_hi,
  CASE
    WHEN no_data OR x IS NULL THEN 'no_data'
    WHEN ${MEETS('x', 'target_lo', 'target_hi')} THEN 'met'
    WHEN CASE WHEN target_lo IS NOT NULL AND x < target_lo THEN x >= milestone_lo - 1e-12
              WHEN target_hi IS NOT NULL AND x > target_hi THEN x <= milestone_hi + 1e-12 ELSE TRUE END THEN 'on_track'
    WHEN per_year AND same_year AND x < x_prev THEN 'regressing'
    WHEN NOT per_year AND CASE WHEN target_lo IS NOT NULL AND x < target_lo THEN x < prev_phase_x OR x < base
                               WHEN target_hi IS NOT NULL AND x > target_hi THEN x > prev_phase_x OR x > base ELSE FALSE END THEN 'regressing'
    ELSE 'behind' END AS status,
  (x > x_prev AND (target_lo IS NOT NULL AND x < target_lo)) OR (x < x_prev AND (target_hi IS NOT NULL AND x > target_hi)) AS improving,
  proj_phase_end, proj_plan_end,
  ${MEETS('proj_phase_end', 'target_lo', 'target_hi')} AS reaches_phase_target,
  ${MEETS('proj_plan_end', 'lo', 'hi')} AS reaches_plan_target
FROM m`;
}
