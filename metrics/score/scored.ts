// Stage 3: each (org unit, period, plan indicator) with its resolved target
// (by area type or band of another indicator), the pro-rata target of a
// per-year indicator mid-year, attainment in [0, 1] and whether it is met.
// Community-level plan indicators are also scored at street and district:
// attainment = mean of the covered communities' attainments (no data counts
// 0; communities the target does not apply to are left out), coverage =
// share of them meeting it, value = the indicator's rollup.
//
// The scored rows are a narrow table keyed by integers (uid: the unit, see
// keys.ts; qidx: the quarter; ix: the plan indicator): ~1.3M rows at
// province scale, so no repeated strings are written, grouped or sorted.
// The `scored` view (keys.ts) joins the names back on read.
// Three statements: own rows (compileScoredOwn), the street partials of
// community indicators from them (compileStreetPartials: a small table), then
// the street/district view of those indicators from the partials
// (compileScoredAgg), so a refresh recomputes one community's own rows, its
// street's partials and its street's and district's aggregates only.
// Parameters: $tg (own rows), $rt and $pass (scores); see plans/params.ts.

import { ident } from '../compile/sql.ts';
import { jsonRows } from '../plans/params.ts';

/**
 * Sums that do not depend on the order rows arrive in (a refresh re-inserts
 * one unit's rows; its aggregates must equal a full run's bit for bit): each
 * value in fixed point (x 2^60, exact for the attainments, weights and
 * scores summed here to ~1e-18) added as HUGEINT, which is associative.
 * FX_SUM is the HUGEINT sum; FX_DOUBLE turns one back into a DOUBLE.
 */
const FX = '1152921504606846976.0';
export const FX_SUM = (x: string) => `sum((${x} * ${FX})::HUGEINT)`;
export const FX_DOUBLE = (h: string) => `(${h})::DOUBLE / ${FX}`;
const FX_ONE = (x: string) => `(${x} * ${FX})::HUGEINT`;

/** Attainment of x against [lo, hi] (either may be NULL) or a yes/no target. */
export const ATTAIN = (x: string, lo: string, hi: string, isBool: string) => `CASE
      WHEN ${isBool} THEN (${x} >= 1)::DOUBLE
      WHEN ${lo} IS NOT NULL AND ${x} < ${lo} THEN ${x} / ${lo}
      WHEN ${hi} IS NOT NULL AND ${x} > ${hi} THEN ${hi} / ${x}
      ELSE 1.0 END`;

/** Columns of the narrow scored table, in order. */
export const SCORED_COLUMNS =
  'uid, qidx, ix, aggregated, value, target_state, t_lo, t_hi, e_lo, e_hi, is_bool, attainment, no_data, coverage, n_reporting, n_units';

export interface ScoredTables {
  /** keys.ts units table (uid, org_unit, level, st_uid, di_uid) */
  units: string;
  /** keys.ts plan indicator table (ix, indicator, level, dimension, weight, ...) */
  pi: string;
  cal: string;
}

/**
 * Own rows: each plan indicator at its own level, from the long plan values
 * `pvRel` (valuesLong with keys uid, qidx; they carry the band field's value
 * as band_value).
 */
export function compileScoredOwn(pvRel: string, t: ScoredTables): string {
  const [P, C] = [ident(t.pi), ident(t.cal)];
  return `WITH tg AS (SELECT p.ix, t.* FROM ${jsonRows('tg')} t JOIN ${P} p ON p.indicator = t.indicator),
cv AS (
  SELECT v.uid, v.qidx, p.ix, v.area_type, v.value, v.n_reporting, v.n_units,
    p.band_field, p.by_area, v.band_value,
    CASE WHEN p.per_year THEN c.q_elapsed / 4.0 ELSE 1.0 END AS factor
  FROM ${pvRel} v JOIN ${P} p ON p.indicator = v.indicator AND p.level = v.level
  JOIN ${C} c ON c.qidx = v.qidx
),
-- the target row that applies (at most one): a hash join on the indicator with the
-- area/band filter as its residual condition (row_number() + a join back on it cost
-- 2-3x as much: a single-threaded window over every row)
ce AS (
  SELECT cv.*, t.lo AS t_lo, t.hi AS t_hi, coalesce(t.is_bool, FALSE) AS is_bool,
    t.lo * cv.factor AS e_lo, t.hi * cv.factor AS e_hi,
    CASE WHEN (cv.band_field IS NOT NULL AND cv.band_value IS NULL) OR (cv.by_area AND cv.area_type IS NULL) THEN 'unknown'
         WHEN t.ix IS NULL THEN 'na' ELSE 'ok' END AS target_state
  FROM cv LEFT JOIN tg t ON t.ix = cv.ix
    AND (t.area_type IS NULL OR t.area_type = cv.area_type)
    AND (t.band_from IS NULL OR (cv.band_value >= t.band_from AND (t.band_below IS NULL OR cv.band_value < t.band_below)))
)
SELECT uid, qidx, ix, FALSE AS aggregated, value, target_state, t_lo, t_hi, e_lo, e_hi, is_bool,
  CASE WHEN target_state = 'na' THEN NULL
       WHEN value IS NULL OR target_state = 'unknown' THEN 0.0
       ELSE ${ATTAIN('value', 'e_lo', 'e_hi', 'is_bool')} END AS attainment,
  (value IS NULL OR target_state = 'unknown') AS no_data, NULL::DOUBLE AS coverage,
  n_reporting::BIGINT AS n_reporting, n_units::BIGINT AS n_units
FROM ce`;
}

/** Per column of the community rows: how many are not NULL, their least and greatest. */
const SPREAD = ['t_lo', 't_hi', 'e_lo', 'e_hi'] as const;

/**
 * The street partials of community plan indicators: per (street, district,
 * quarter, plan indicator), from the scored community rows of `scoredTable`,
 * the sums that street and district aggregates are made of, all exact
 * (integers, fixed-point HUGEINT sums, least/greatest), so a district's
 * aggregate is the sum of its streets' partials whatever the order, and a
 * refresh recomputes one street's partials (`scope`: a condition on the
 * community's units row `u`) instead of regrouping the district's
 * communities. Columns: st_uid, di_uid, qidx, ix, fx (attainments summed
 * in fixed point), n_att (attainments), n_met (attainments >= 1), n_rep
 * (attainments with data), n_rows, c_/lo_/hi_ (count, least, greatest) of
 * t_lo, t_hi, e_lo, e_hi, is_bool.
 */
export function compileStreetPartials(scoredTable: string, t: ScoredTables, scope = 'TRUE'): string {
  const [S, U] = [ident(scoredTable), ident(t.units)];
  const spread = SPREAD.map((c) => `count(s.${c}) AS c_${c}, min(s.${c}) AS lo_${c}, max(s.${c}) AS hi_${c}`).join(',\n    ');
  return `SELECT u.st_uid, u.di_uid, s.qidx, s.ix,
    ${FX_SUM('s.attainment')} AS fx,
    count(s.attainment) AS n_att,
    count(*) FILTER (WHERE s.attainment >= 1) AS n_met,
    count(*) FILTER (WHERE s.attainment IS NOT NULL AND NOT s.no_data) AS n_rep,
    count(*) AS n_rows,
    ${spread},
    bool_or(s.is_bool) AS is_bool
  FROM ${S} s JOIN ${U} u ON u.uid = s.uid
  WHERE u.level = 'community' AND NOT s.aggregated AND (u.st_uid IS NOT NULL OR u.di_uid IS NOT NULL) AND ${scope}
  GROUP BY u.st_uid, u.di_uid, s.qidx, s.ix`;
}

/** All rows equal (NULL equal to NULL): what count(DISTINCT x) = 1 says, from the partials' counts and extremes. */
const UNIFORM = (c: string) => `(a.c_${c} = 0 OR (a.c_${c} = a.n_rows AND a.lo_${c} = a.hi_${c}))`;

/**
 * Community plan indicators seen from street and district: attainment = mean
 * of the communities' attainments, coverage = share meeting the target,
 * from the street partials `partials` (compileStreetPartials; a street's
 * are its own, a district's summed), the value from `valuesRel` (uid, qidx,
 * ix, value: the street/district rollups). `scope`: conditions on the
 * partials' st_uid (street rows) and di_uid (district rows).
 */
export function compileScoredAgg(
  partials: string,
  valuesRel: string,
  scope: { street: string; district: string } = { street: 'TRUE', district: 'TRUE' },
): string {
  const P = ident(partials);
  const spread = SPREAD.map((c) => `c_${c}, lo_${c}, hi_${c}`).join(', ');
  const spreadSum = SPREAD.map((c) => `sum(c_${c})::BIGINT AS c_${c}, min(lo_${c}) AS lo_${c}, max(hi_${c}) AS hi_${c}`).join(',\n    ');
  return `WITH agg AS (
  SELECT st_uid AS uid, qidx, ix, fx, n_att, n_met, n_rep, n_rows, ${spread}, is_bool
  FROM ${P} WHERE st_uid IS NOT NULL AND ${scope.street}
  UNION ALL
  SELECT di_uid, qidx, ix, sum(fx), sum(n_att)::BIGINT, sum(n_met)::BIGINT, sum(n_rep)::BIGINT, sum(n_rows)::BIGINT,
    ${spreadSum},
    bool_or(is_bool)
  FROM ${P} WHERE di_uid IS NOT NULL AND ${scope.district}
  GROUP BY di_uid, qidx, ix
)
SELECT a.uid, a.qidx, a.ix, TRUE AS aggregated, v.value, CASE WHEN a.n_att = 0 THEN 'na' ELSE 'ok' END AS target_state,
  CASE WHEN ${UNIFORM('t_lo')} AND ${UNIFORM('t_hi')} THEN a.lo_t_lo END AS t_lo,
  CASE WHEN ${UNIFORM('t_lo')} AND ${UNIFORM('t_hi')} THEN a.lo_t_hi END AS t_hi,
  CASE WHEN ${UNIFORM('e_lo')} AND ${UNIFORM('e_hi')} THEN a.lo_e_lo END AS e_lo,
  CASE WHEN ${UNIFORM('e_lo')} AND ${UNIFORM('e_hi')} THEN a.lo_e_hi END AS e_hi,
  a.is_bool, ${FX_DOUBLE('a.fx')} / a.n_att AS attainment, a.n_rep = 0 AS no_data,
  a.n_met::DOUBLE / nullif(a.n_att, 0) AS coverage, a.n_rep AS n_reporting, a.n_att AS n_units
FROM agg a LEFT JOIN ${valuesRel} v ON v.uid = a.uid AND v.qidx = a.qidx AND v.ix = a.ix`;
}

/**
 * The scores row of each (uid, qidx) of `comp` (uid, qidx, n_no_data, failed,
 * composite, dimensions): rating, vetoes and acceptance, with the unit's code
 * and the period.
 */
function scoresOf(t: ScoredTables): string {
  const [U, C] = [ident(t.units), ident(t.cal)];
  return `SELECT u.org_unit, u.level, cl.period, c.composite, c.dimensions, c.n_no_data,
  list_last(list_filter((SELECT list(rt ORDER BY rt.min) FROM rt), b -> b.min <= c.composite + 1e-9)).label AS rating,
  coalesce(list_sort(c.failed), []) AS vetoes_failed,
  (c.composite + 1e-9 >= $pass AND coalesce(len(c.failed), 0) = 0) AS accepted
FROM comp c JOIN ${U} u ON u.uid = c.uid JOIN ${C} cl ON cl.qidx = c.qidx`;
}

/**
 * Dimension scores, composite, rating and acceptance for every unit and
 * period: one GROUP BY (uid, qidx) over the scored rows with the sums of
 * each of the plan's `nDims` dimensions side by side (dx: the dimension's
 * rank by id, so the map is in id order), then plain expressions per row.
 * Dimensions the plan does not weight count neither in the composite nor in
 * n_no_data (their failed vetoes do); a unit and period without any
 * weighted dimension has no score. compileUnitScores is the same for a few
 * units.
 */
export function compileScores(scoredTable: string, t: ScoredTables, nDims: number): string {
  const [S, P] = [ident(scoredTable), ident(t.pi)];
  const ks = Array.from({ length: nDims }, (_, k) => k + 1);
  const perDim = ks.flatMap((k) => [
    `${FX_SUM('p.weight * s.attainment')} FILTER (WHERE p.dx = ${k}) AS nw_${k}`,
    `${FX_SUM('p.weight')} FILTER (WHERE p.dx = ${k}) AS w_${k}`,
    `any_value(p.dm_weight) FILTER (WHERE p.dx = ${k}) AS dw_${k}`,
  ]);
  // a dimension counts when it has rows and a plan weight
  const inDim = (k: number) => `dw_${k} IS NOT NULL`;
  const score = (k: number) => `100.0 * (nw_${k}::DOUBLE / nullif(w_${k}::DOUBLE, 0))`;
  const num = ks.map((k) => `CASE WHEN ${inDim(k)} AND s_${k} IS NOT NULL THEN ${FX_ONE(`dw_${k} * (s_${k} / 100.0)`)} ELSE 0 END`).join(' + ');
  const anyNum = ks.map((k) => `(${inDim(k)} AND s_${k} IS NOT NULL)`).join(' OR ');
  const den = ks.map((k) => `CASE WHEN ${inDim(k)} THEN ${FX_ONE(`dw_${k}`)} ELSE 0 END`).join(' + ');
  const entries = ks.map((k) => `CASE WHEN ${inDim(k)} THEN (dn[${k}], s_${k}) END`).join(', ');
  return `WITH rt AS ${jsonRows('rt')},
g AS (
  SELECT s.uid, s.qidx,
    ${perDim.join(',\n    ')},
    count(*) FILTER (WHERE s.no_data AND p.dm_weight IS NOT NULL)::INTEGER AS n_no_data,
    list(p.indicator) FILTER (WHERE p.veto AND s.attainment < 1) AS failed
  FROM ${S} s JOIN ${P} p ON p.ix = s.ix
  WHERE s.attainment IS NOT NULL
  GROUP BY s.uid, s.qidx
),
ds AS (
  SELECT g.*, ${ks.map((k) => `${score(k)} AS s_${k}`).join(', ')}
  FROM g WHERE ${ks.map(inDim).join(' OR ')}
),
comp AS (
  SELECT ds.uid, ds.qidx, ds.n_no_data, ds.failed,
    CASE WHEN ${anyNum} THEN 100.0 * ((${num})::DOUBLE / (${den})::DOUBLE) END AS composite,
    map_from_entries(list_filter([${entries}], e -> e IS NOT NULL)) AS dimensions
  FROM ds, (SELECT list(dimension ORDER BY dx) AS dn FROM (SELECT DISTINCT dx, dimension FROM ${P}))
)
${scoresOf(t)}`;
}

/**
 * compileScores for the units whose scored rows satisfy `scope` (a
 * condition on `s`; a refresh's three units): one GROUP BY (uid, qidx,
 * dimension), then one GROUP BY (uid, qidx) over those few rows, not one
 * grouping with every dimension's sums side by side. DuckDB's cost of a
 * grouping grows with its number of aggregates whatever the rows (17
 * filtered aggregates over 533 rows: ~5.7 ms; these two steps: ~1.9 ms; in
 * a refresh at province scale the statement went from ~36 to ~15 ms),
 * whereas over every unit the second grouping's 650k rows cost more than
 * the wide one (2.2 vs 0.75 s). The same sums (fixed point, exact), so the
 * same scores.
 */
export function compileUnitScores(scoredTable: string, t: ScoredTables, scope: string): string {
  const [S, P] = [ident(scoredTable), ident(t.pi)];
  const counts = 'dw IS NOT NULL AND s IS NOT NULL';
  return `WITH rt AS ${jsonRows('rt')},
gd AS (
  SELECT s.uid, s.qidx, p.dx, any_value(p.dimension) AS dimension, any_value(p.dm_weight) AS dw,
    ${FX_SUM('p.weight * s.attainment')} AS nw, ${FX_SUM('p.weight')} AS w,
    count(*) FILTER (WHERE s.no_data AND p.dm_weight IS NOT NULL)::INTEGER AS n_no_data,
    list(p.indicator) FILTER (WHERE p.veto AND s.attainment < 1) AS failed
  FROM ${S} s JOIN ${P} p ON p.ix = s.ix
  WHERE s.attainment IS NOT NULL AND ${scope}
  GROUP BY s.uid, s.qidx, p.dx
),
ds AS (SELECT gd.*, 100.0 * (nw::DOUBLE / nullif(w::DOUBLE, 0)) AS s FROM gd),
comp AS (
  SELECT uid, qidx, sum(n_no_data)::INTEGER AS n_no_data, flatten(list(failed)) AS failed,
    CASE WHEN bool_or(${counts}) THEN 100.0 * (
      sum(CASE WHEN ${counts} THEN ${FX_ONE('dw * (s / 100.0)')} ELSE 0 END)::DOUBLE
      / sum(CASE WHEN dw IS NOT NULL THEN ${FX_ONE('dw')} ELSE 0 END)::DOUBLE) END AS composite,
    map_from_entries(list((dimension, s) ORDER BY dx) FILTER (WHERE dw IS NOT NULL)) AS dimensions
  FROM ds GROUP BY uid, qidx
  HAVING bool_or(dw IS NOT NULL)
)
${scoresOf(t)}`;
}
