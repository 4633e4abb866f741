// Stage 3: each (org unit, period, plan indicator) with its resolved target
// (by area type or band of another indicator), the pro-rata target of a
// per-year indicator mid-year, attainment in [0, 1] and whether it is met.
// Community-level plan indicators are also scored at street and district:
// attainment = mean of the covered communities' attainments (no data counts
// 0; communities the target does not apply to are left out), coverage =
// share of them meeting it, value = the indicator's rollup.
// Parameters: $pi, $tg (see plans/params.ts).
// Two statements: own rows (compileScoredOwn), then the street/district view
// of community indicators (compileScoredAgg) from the stored own rows, so a
// refresh recomputes one community's own rows and its street's and
// district's aggregates only.

import { jsonRows } from '../plans/params.ts';
import { ident } from '../compile/sql.ts';

// Sums of sorted values: the same bits whatever order the rows arrive in (a
// refresh re-inserts one unit's rows; its scores must equal a full run's).
const SUM = (x: string) => `list_sum(list_sort(list(${x})))`;

/** Attainment of x against [lo, hi] (either may be NULL) or a yes/no target. */
export const ATTAIN = (x: string, lo: string, hi: string, isBool: string) => `CASE
      WHEN ${isBool} THEN (${x} >= 1)::DOUBLE
      WHEN ${lo} IS NOT NULL AND ${x} < ${lo} THEN ${x} / ${lo}
      WHEN ${hi} IS NOT NULL AND ${x} > ${hi} THEN ${hi} / ${x}
      ELSE 1.0 END`;

/**
 * Own rows: each plan indicator at its own level, from the long plan values
 * `pv` (which carry the band field's value as band_value).
 */
export function compileScoredOwn(pvRel: string, calTable: string): string {
  const V = pvRel;
  const C = ident(calTable);
  return `WITH pi AS ${jsonRows('pi')},
tg AS ${jsonRows('tg')},
cv AS (
  SELECT v.org_unit, v.level, v.period, v.area_type, v.indicator, v.value, v.n_reporting, v.n_units,
    p.dimension, p.weight, p.veto, p.per_year, p.band_field, p.by_area, v.band_value,
    CASE WHEN p.per_year THEN c.q_elapsed / 4.0 ELSE 1.0 END AS factor
  FROM ${V} v JOIN pi p ON p.indicator = v.indicator AND p.level = v.level
  JOIN ${C} c ON c.period = v.period
),
-- the target row that applies (at most one): a hash join on the indicator with the
-- area/band filter as its residual condition (row_number() + a join back on it cost
-- 2-3x as much: a single-threaded window over every row)
ct AS (
  SELECT cv.*, t.lo AS t_lo, t.hi AS t_hi, coalesce(t.is_bool, FALSE) AS is_bool,
    t.lo * cv.factor AS e_lo, t.hi * cv.factor AS e_hi,
    CASE WHEN (cv.band_field IS NOT NULL AND cv.band_value IS NULL) OR (cv.by_area AND cv.area_type IS NULL) THEN 'unknown'
         WHEN t.indicator IS NULL THEN 'na' ELSE 'ok' END AS target_state
  FROM cv LEFT JOIN tg t ON t.indicator = cv.indicator
    AND (t.area_type IS NULL OR t.area_type = cv.area_type)
    AND (t.band_from IS NULL OR (cv.band_value >= t.band_from AND (t.band_below IS NULL OR cv.band_value < t.band_below)))
),
own AS (
  SELECT org_unit, level, period, indicator, value, dimension, weight, veto, per_year, target_state,
    t_lo, t_hi, e_lo, e_hi, is_bool, n_reporting, n_units,
    CASE WHEN target_state = 'na' THEN NULL
         WHEN value IS NULL OR target_state = 'unknown' THEN 0.0
         ELSE ${ATTAIN('value', 'e_lo', 'e_hi', 'is_bool')} END AS attainment,
    (value IS NULL OR target_state = 'unknown') AS no_data
  FROM ct
)
SELECT o.org_unit, o.level, o.period, o.indicator, o.value, o.dimension, o.weight, o.veto, o.per_year, o.target_state,
  o.t_lo, o.t_hi, o.e_lo, o.e_hi, o.is_bool, o.attainment, o.no_data, NULL::DOUBLE AS coverage,
  o.n_reporting::BIGINT AS n_reporting, o.n_units::BIGINT AS n_units, FALSE AS aggregated
FROM own o`;
}

/**
 * Community plan indicators seen from street and district: from the scored
 * community rows `ownRel` (level = 'community'), the value from `pvRel`.
 */
export function compileScoredAgg(ownRel: string, pvRel: string): string {
  return `WITH own AS (SELECT * FROM ${ownRel} WHERE level = 'community' AND NOT aggregated),
up AS (
  SELECT left(o.org_unit, 9) AS org_unit, 'street' AS level, o.* EXCLUDE (org_unit, level) FROM own o
  UNION ALL
  SELECT left(o.org_unit, 6), 'district', o.* EXCLUDE (org_unit, level) FROM own o
),
agg AS (
  SELECT u.org_unit, u.level, u.period, u.indicator, any_value(u.dimension) AS dimension, any_value(u.weight) AS weight,
    any_value(u.veto) AS veto, any_value(u.per_year) AS per_year,
    ${SUM('u.attainment')} / count(u.attainment) AS attainment,
    avg((u.attainment >= 1)::DOUBLE) FILTER (WHERE u.attainment IS NOT NULL) AS coverage,
    count(*) FILTER (WHERE u.attainment IS NOT NULL AND NOT u.no_data) AS n_reporting,
    count(*) FILTER (WHERE u.attainment IS NOT NULL) AS n_units,
    CASE WHEN count(DISTINCT (u.t_lo, u.t_hi)) = 1 THEN any_value(u.t_lo) END AS t_lo,
    CASE WHEN count(DISTINCT (u.t_lo, u.t_hi)) = 1 THEN any_value(u.t_hi) END AS t_hi,
    CASE WHEN count(DISTINCT (u.e_lo, u.e_hi)) = 1 THEN any_value(u.e_lo) END AS e_lo,
    CASE WHEN count(DISTINCT (u.e_lo, u.e_hi)) = 1 THEN any_value(u.e_hi) END AS e_hi,
    bool_or(u.is_bool) AS is_bool
  FROM up u GROUP BY u.org_unit, u.level, u.period, u.indicator
)
SELECT a.org_unit, a.level, a.period, a.indicator, v.value, a.dimension, a.weight, a.veto, a.per_year,
  CASE WHEN a.n_units = 0 THEN 'na' ELSE 'ok' END AS target_state, a.t_lo, a.t_hi, a.e_lo, a.e_hi, a.is_bool,
  a.attainment, a.n_reporting = 0 AS no_data, a.coverage, a.n_reporting, a.n_units, TRUE AS aggregated
FROM agg a LEFT JOIN ${pvRel} v ON v.org_unit = a.org_unit AND v.level = a.level AND v.period = a.period AND v.indicator = a.indicator`;
}

/**
 * Dimension scores, composite, rating and acceptance for every unit and
 * period. Parameters: $dm, $rt, $pass. One pass over the scored rows per
 * (unit, period, dimension) also collects the failed vetoes, a second over
 * those few rows per unit and period; the rating is the last band (by min)
 * the composite reaches.
 */

export function compileScores(scoredTable: string): string {
  const S = ident(scoredTable);
  return `WITH dm AS ${jsonRows('dm')},
rt AS ${jsonRows('rt')},
ds AS (
  SELECT org_unit, level, period, dimension,
    100.0 * ${SUM('weight * attainment')} / nullif(${SUM('weight')}, 0) AS score,
    count(*) FILTER (WHERE no_data) AS n_no_data,
    list(indicator) FILTER (WHERE veto AND attainment < 1) AS failed
  FROM ${S} WHERE attainment IS NOT NULL GROUP BY org_unit, level, period, dimension
),
comp AS (
  SELECT ds.org_unit, ds.level, ds.period,
    ${SUM('dm.weight * ds.score')} / ${SUM('dm.weight')} AS composite,
    map_from_entries(list((ds.dimension, ds.score) ORDER BY ds.dimension) FILTER (WHERE dm.dimension IS NOT NULL)) AS dimensions,
    (sum(ds.n_no_data) FILTER (WHERE dm.dimension IS NOT NULL))::INTEGER AS n_no_data,
    list_sort(flatten(list(ds.failed) FILTER (WHERE ds.failed IS NOT NULL))) AS failed
  FROM ds LEFT JOIN dm ON dm.dimension = ds.dimension
  GROUP BY ds.org_unit, ds.level, ds.period
  HAVING count(dm.dimension) > 0
)
SELECT c.org_unit, c.level, c.period, c.composite, c.dimensions, c.n_no_data,
  list_last(list_filter((SELECT list(rt ORDER BY rt.min) FROM rt), b -> b.min <= c.composite + 1e-9)).label AS rating,
  coalesce(c.failed, []) AS vetoes_failed,
  (c.composite + 1e-9 >= $pass AND coalesce(len(c.failed), 0) = 0) AS accepted
FROM comp c`;
}
