// Stage 4: for every org unit, plan indicator, phase and report period, the
// status (met, on_track, behind, regressing, no_data) and the projection of
// the last four quarters' linear trend to the phase end and the plan end.
// Evaluated at t = min(report period, the phase's last quarter).
// The tracked quantity is the value against the unit's own target; for a
// community indicator seen from above it is the mean attainment against 1.
// Reads the ph table (compile/keys.ts); parameters: $base_qidx, $plan_end_qidx,
// $report_qidx (NULL = a full run: every period, each with its current phase only).
//
// One window pass over each series (unit, indicator) ordered by
// quarter and one over the whole series give every per-row quantity: the previous value, the baseline,
// the value at the previous phase's end and the last four quarters' least
// squares line (closed form over lag 1..3, the same points as a RANGE frame
// of 3 quarters: regr_slope/regr_intercept/regr_count). A full run evaluates
// each period at itself for its current phase, straight from that pass; only
// the other (report period, phase) pairs, evaluated at an earlier quarter
// (the phase's end), join back onto the series: every phase of a report
// period, and a full run's periods after the last phase (compiled only when
// the calendar has such periods: that join reads the pass three times, so
// it has to be kept).
// Rows are keyed by integers (uid, ix, quarter indexes) like the scored rows
// (keys.ts); the `progress` view joins the names back.

import { ident, num } from '../compile/sql.ts';
import type { ScoredTables } from '../score/scored.ts';

const MEETS = (x: string, lo: string, hi: string) =>
  `((${lo} IS NULL OR ${x} >= ${lo} - 1e-12) AND (${hi} IS NULL OR ${x} <= ${hi} + 1e-12))`;
/** Fraction of the way from a_date to b_date on date d, clamped to [0, 1]. */
const FRAC = (d: string) =>
  `CASE WHEN f.b_date <= f.a_date THEN 1.0 ELSE least(1.0, greatest(0.0, date_diff('day', f.a_date, ${d}) / date_diff('day', f.a_date, f.b_date))) END`;

/** The last four quarters' least squares line from the row's point and lag 1..3 (those within 3 quarters). */
function regression(): string {
  const xk = (k: number) => (k === 1 ? 'x_prev' : `x${k}`);
  const pts = [0, 1, 2, 3].map((k) =>
    k === 0
      ? { inc: '(x IS NOT NULL)', d: '0', y: 'x' }
      : { inc: `(coalesce(q${k} >= qidx - 3, FALSE) AND ${xk(k)} IS NOT NULL)`, d: `(q${k} - qidx)`, y: xk(k) },
  );
  const sum = (f: (p: (typeof pts)[number]) => string) => pts.map((p) => `CASE WHEN ${p.inc} THEN ${f(p)} ELSE 0 END`).join(' + ');
  return `SELECT *, CASE WHEN npts >= 2 THEN sxy / sxx END AS slope,
    CASE WHEN npts >= 2 THEN my - sxy / sxx * (mq + qidx) END AS icpt
  FROM (
    SELECT *, ${sum((p) => `(${p.d} - mq) * (${p.d} - mq)`)} AS sxx,
      ${sum((p) => `(${p.d} - mq) * (${p.y} - my)`)} AS sxy
    FROM (
      SELECT *, (${sum(() => '1')})::BIGINT AS npts,
        (${sum((p) => p.d)}) / nullif(${sum(() => '1')}, 0) AS mq,
        (${sum((p) => p.y)}) / nullif(${sum(() => '1')}, 0) AS my
      FROM h0
    )
  )`;
}

/**
 * The projection to quarter q: the value itself when the evaluated quarter
 * has reached q (nothing to extrapolate: the line's fitted value there is
 * not what was measured), else a per-year count's run rate, else the trend
 * line. Every tracked quantity is a count, a rate, an area or a mean
 * attainment, never below 0, and an attainment or a rate (a share of a
 * whole) never above 1: the line is clamped to what the quantity can be (a
 * mean attainment rising 9 points a quarter does not reach 130 %, nor a
 * coverage rate 105 %).
 */
const PROJECT = (q: string) => {
  const t = TREND(q);
  // greatest and least skip NULLs: no line (fewer than two points) stays NULL
  return `CASE WHEN ${q} <= p.e_qidx THEN p.x WHEN ${t} IS NULL THEN NULL WHEN p.at_most_1 THEN least(1.0, greatest(0.0, ${t})) ELSE greatest(0.0, ${t}) END`;
};
const TREND = (q: string) => `CASE WHEN p.per_year THEN p.x / p.q_elapsed * 4 WHEN p.npts >= 2 THEN p.icpt + p.slope * ${q} END`;

/** The eval-row columns of a series row. */
const EVAL = `e.qidx AS e_qidx, e.as_of, e.q_elapsed, e.x, e.x_prev, e.lo, e.hi, e.per_year, e.aggregated, e.at_most_1, e.no_data,
    e.slope, e.icpt, e.npts, (e.prev_ys_qidx = e.ys_qidx) AS same_year, e.base`;
const PHASE = `f.phase_idx, f.phase_start, f.phase_end, f.end_qidx, f.prev_end_qidx, f.a_date, f.a_value, f.b_date, f.b_value`;

/**
 * The rules above in words, for the methodology page (served with the
 * indicator catalogue): what an evaluator needs to recompute a status or a
 * projection by hand.
 */
export const PROGRESS_METHOD: { term: { zh: string; en: string }; zh: string; en: string }[] = [
  {
    term: { zh: '基线', en: 'Baseline' },
    zh: '方案开始前一日所在季度的值；该季度无数据时取此前最近一个有数据的季度，再没有则取此后最早有数据的季度。',
    en: "the value in the quarter of the day before the plan starts; without data there, the latest quarter before it with data, else the earliest after it.",
  },
  {
    term: { zh: '阶段目标与里程碑', en: 'Phase targets and milestones' },
    zh: '存量指标：从基线（方案开始前一日）到目标值的直线，到期日为方案末（标“线性里程碑”的指标）或第一个检查该指标的阶段末；方案逐阶段给出数值的，逐阶段连线。阶段目标为该线在阶段末的值，里程碑为其在本季度末的值。按年计的指标（本年新增）：阶段目标为年度目标，里程碑为年度目标 × 本方案年度已过季度 ÷ 4。',
    en: 'stock indicators: a straight line from the baseline (the day before the plan starts) to the target on its due date, the plan end for indicators marked linear milestones, else the end of the first phase that checks the indicator; where the plan gives a value per phase, the line joins them phase by phase. The phase target is the line at the phase end, the milestone the line at the quarter end. Per-year counts: the phase target is the yearly target, the milestone the yearly target × quarters elapsed in the plan year ÷ 4.',
  },
  {
    term: { zh: '状态', en: 'Status' },
    zh: '达标：当前值满足阶段目标；按进度：未达标，但不低于本季度的里程碑（上限型指标为不高于）；倒退：存量指标比上一阶段末的值或基线更差，按年计的指标低于本年上一季度；滞后：其余未达标的情况；无数据：本季度无数据或目标无法确定。',
    en: 'met: the value meets the phase target; on track: not met, but at or above the milestone of the quarter (at or below, for a maximum); regressing: a stock indicator worse than at the previous phase end or than the baseline, a per-year count lower than in the previous quarter of the same year; behind: any other value short of the target; no data: no value this quarter or no target that can be determined.',
  },
  {
    term: { zh: '趋势外推', en: 'Projection' },
    zh: '最近四个季度（至少两个季度有值）的最小二乘直线，延伸到阶段末和方案末；按年计的指标取年化速率（当前值 ÷ 已过季度 × 4）。外推值不小于 0，比率与平均达成度不超过 100%；已经到达的阶段末或方案末取实际值。外推值满足目标为“可达标”，否则为“难达标”。',
    en: 'the least-squares line of the last four quarters (at least two with a value), extended to the phase end and the plan end; per-year counts take their run rate (value ÷ quarters elapsed × 4). A projection is never below 0, and a rate or a mean attainment never above 100 %; a phase end or plan end already reached takes the value itself. A projection that meets the target reaches it, otherwise it misses it.',
  },
  {
    term: { zh: '街道、全区看社区指标', en: 'Community targets seen from a street or the district' },
    zh: '跟踪所辖社区达成度的平均值，目标为 100%；没有任何社区报送的季度不计入基线和趋势。',
    en: 'the mean attainment of its communities is tracked, against a target of 100 %; a quarter no community reported is no point of the baseline or the trend.',
  },
];

export interface ProgressOptions {
  /** Pairs evaluated at an earlier quarter exist (a report period, or a full run's periods after their phase). */
  laterPairs: boolean;
  /** An extra condition on the scored rows `s` (a refresh: its units). */
  scope?: string;
  /** Quarter indexes of the phases' ends but the last (the ph rows' prev_end_qidx values). */
  phaseEnds: number[];
  /**
   * Report periods (quarter indexes) whose every phase to evaluate, in place of $report_qidx
   * (several at once: the reports a server patches after a refresh, engine.ts periodProgressSql).
   */
  reportQidxs?: number[];
}

export function compileProgress(scoredTable: string, t: ScoredTables & { ph: string }, opts: ProgressOptions): string {
  const [S, C, P] = [ident(scoredTable), ident(t.cal), ident(t.pi)];
  // the value at the previous phase's last quarter: one filtered whole-series aggregate per
  // phase end, beside the baseline's (a RANGE frame with per-row offsets cost a third window pass)
  const ends = [...new Set(opts.phaseEnds)].map(num);
  const prevPhase = ends.length
    ? `CASE WHEN x.prev_end_qidx < x.qidx THEN CASE x.prev_end_qidx ${ends
        .map((e) => `WHEN ${e} THEN max(x.x) FILTER (WHERE x.qidx = ${e}) OVER wall`)
        .join(' ')} END END AS prev_phase_x`
    : 'NULL::DOUBLE AS prev_phase_x';
  // one report period ($report_qidx, NULL: a full run), or the given ones
  const rq = opts.reportQidxs;
  const isFull = rq ? 'FALSE' : '$report_qidx IS NULL';
  const isReport = rq ? 'TRUE' : '$report_qidx IS NOT NULL';
  const reported = (col: string) => (rq ? `${col} IN (${rq.map(num).join(', ') || 'NULL'})` : `${col} = $report_qidx`);
  const later = `
  UNION ALL
  SELECT r.uid, r.ix, r.qidx, ${PHASE}, ${EVAL},
    CASE WHEN f.prev_end_qidx < f.t_qidx THEN hp.x END
  FROM pm f JOIN h r ON r.ix = f.ix AND r.qidx = f.r_qidx
  JOIN h e ON e.uid = r.uid AND e.ix = r.ix AND e.qidx = f.t_qidx
  LEFT JOIN h hp ON hp.uid = r.uid AND hp.ix = r.ix AND hp.qidx = f.prev_end_qidx
  WHERE ${isReport} OR f.t_qidx <> f.r_qidx`;
  return `WITH ph AS (SELECT * FROM ${ident(t.ph)}),
-- each period's current phase: the one whose dates contain the as-of date, else the nearest
cp AS (
  SELECT c.qidx, coalesce(min(f.phase_idx) FILTER (WHERE f.phase_start <= c.as_of AND c.as_of <= f.phase_end),
    CASE WHEN c.as_of < min(f.phase_start) THEN 1 ELSE max(f.phase_idx) END) AS phase_idx
  FROM ${C} c, (SELECT DISTINCT phase_idx, phase_start, phase_end FROM ph) f GROUP BY c.qidx, c.as_of
),
-- (indicator, report period, phase) pairs evaluated at t_qidx: a report period: every phase; a full run: each period's current phase
pm AS (
  SELECT f.*, cp.qidx AS r_qidx, least(cp.qidx, f.end_qidx) AS t_qidx
  FROM cp JOIN ph f ON CASE WHEN ${isFull} THEN f.phase_idx = cp.phase_idx ELSE ${reported('cp.qidx')} END
),
x AS (
  SELECT s.uid, s.ix, c.qidx, c.as_of, c.q_elapsed, c.ys_qidx,
    -- a quarter none of the communities reported is no point of the series (its
    -- mean attainment, 0, would become the baseline and pull the trend)
    CASE WHEN s.aggregated THEN CASE WHEN NOT s.no_data THEN s.attainment END ELSE s.value END AS x,
    s.aggregated,
    -- a mean attainment, or a share of a whole (a rate): a projection stays at most 1
    (s.aggregated OR p.share) AS at_most_1,
    CASE WHEN s.target_state = 'unknown' THEN NULL WHEN s.aggregated THEN 1.0 ELSE s.t_lo END AS lo,
    CASE WHEN s.aggregated THEN NULL ELSE s.t_hi END AS hi,
    (p.per_year AND NOT s.aggregated) AS per_year,
    (s.no_data OR s.target_state = 'unknown') AS no_data,
    ${PHASE}
  FROM ${S} s JOIN ${C} c ON c.qidx = s.qidx JOIN ${P} p ON p.ix = s.ix
  -- a full run's period evaluated at itself: its phase rides along
  LEFT JOIN pm f ON ${isFull} AND f.ix = s.ix AND f.r_qidx = c.qidx AND f.t_qidx = c.qidx
  WHERE s.target_state <> 'na' AND ${opts.scope ?? 'TRUE'}
),
h0 AS (
  SELECT x.*,
    lag(x.x) OVER w AS x_prev, lag(x.ys_qidx) OVER w AS prev_ys_qidx,
    lag(x.x, 2) OVER w AS x2, lag(x.x, 3) OVER w AS x3,
    lag(x.qidx, 1) OVER w AS q1, lag(x.qidx, 2) OVER w AS q2, lag(x.qidx, 3) OVER w AS q3,
    arg_min(x.x, CASE WHEN x.qidx <= $base_qidx THEN $base_qidx - x.qidx ELSE 100000 + x.qidx END) FILTER (WHERE x.x IS NOT NULL) OVER wall AS base,
    ${prevPhase}
  FROM x
  WINDOW w AS (PARTITION BY x.uid, x.ix ORDER BY x.qidx),
    -- the whole series: no ORDER BY (a framed ordered aggregate costs several times as much)
    wall AS (PARTITION BY x.uid, x.ix)
),
h AS (
  ${regression()}
),
j AS (
  SELECT e.uid, e.ix, e.qidx AS r_qidx, ${PHASE.replace(/f\./g, 'e.')}, ${EVAL}, e.prev_phase_x
  FROM h e WHERE e.phase_idx IS NOT NULL${opts.laterPairs ? later : ''}
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
    ${PROJECT('p.end_qidx')} AS proj_phase_end,
    ${PROJECT('$plan_end_qidx')} AS proj_plan_end
  FROM path p
)
SELECT uid, ix, r_qidx, phase_idx, e_qidx,
  x AS value, base, x_prev AS prev_value, prev_phase_x AS prev_phase_value,
  target_lo, target_hi, milestone_lo, milestone_hi, lo AS plan_target_lo, hi AS plan_target_hi,
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
