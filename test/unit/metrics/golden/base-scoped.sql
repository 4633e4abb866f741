WITH cal AS (
  SELECT period, qidx, q_start, as_of, year_start,
    (year(year_start) * 4 + (month(year_start) - 1) // 3)::INTEGER AS ys_qidx,
    least(4, greatest(1, ceil(date_diff('month', year_start, as_of + INTERVAL 1 DAY) / 3)))::INTEGER AS q_elapsed
  FROM (
    SELECT period, qidx, q_start, as_of,
      CASE WHEN make_date(year(as_of), $ys_m, $ys_d) <= as_of THEN make_date(year(as_of), $ys_m, $ys_d)
           ELSE make_date(year(as_of) - 1, $ys_m, $ys_d) END AS year_start
    FROM (
      SELECT printf('%dQ%d', qidx // 4, qidx % 4 + 1) AS period, qidx::INTEGER AS qidx,
        make_date((qidx // 4)::INTEGER, (3 * (qidx % 4) + 1)::INTEGER, 1) AS q_start,
        (make_date((qidx // 4)::INTEGER, (3 * (qidx % 4) + 1)::INTEGER, 1) + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS as_of
      FROM range($first, $last + 1) r(qidx)
    )
  )
),
ex AS MATERIALIZED (SELECT export_id, org_unit, period, table_name, superseded_by FROM exports WHERE org_unit = $unit),
units AS (
  SELECT code AS org_unit, level, area_type FROM org_units WHERE code = $unit
  UNION ALL
  SELECT DISTINCT e.org_unit, CASE length(e.org_unit) WHEN 12 THEN 'community' WHEN 9 THEN 'street' ELSE 'district' END, NULL
  FROM ex e WHERE e.org_unit NOT IN (SELECT code FROM org_units)
),
pres AS (
  SELECT e.org_unit, e.period, bool_or(table_name = 'profile') AS has_profile, bool_or(table_name = 'social_orgs') AS has_social_orgs, bool_or(table_name = 'volunteers') AS has_volunteers, bool_or(table_name = 'social_workers') AS has_social_workers, bool_or(table_name = 'facilities') AS has_facilities, bool_or(table_name = 'participation') AS has_participation, bool_or(table_name = 'activities') AS has_activities, bool_or(table_name = 'surveys') AS has_surveys
  FROM ex e WHERE e.superseded_by IS NULL
  GROUP BY e.org_unit, e.period
),
act AS (
  SELECT org_unit, period, kind, held_on, title, max(n) AS n FROM (
    SELECT d.org_unit, c.period, d.kind, d.held_on, d.title, s.period AS src, count(*) AS n
    FROM cur_activities d JOIN cal s ON s.period = d.period JOIN cal c ON s.qidx BETWEEN c.ys_qidx AND c.qidx
    WHERE TRUE AND d.org_unit = $unit
    GROUP BY ALL)
  GROUP BY ALL
),
a_profile AS (
  SELECT d.org_unit, d.period,
    max(d.area_type) AS area_type
  FROM cur_profile d JOIN cal c ON c.period = d.period
  WHERE TRUE AND d.org_unit = $unit
  GROUP BY d.org_unit, d.period),
a_social_workers AS (
  SELECT d.org_unit, d.period,
    count(*) FILTER (WHERE (d.started_on <= c.as_of AND (d.left_on IS NULL OR d.left_on > c.as_of)) AND (d.cert_level IS NOT NULL AND d.cert_level NOT IN ('none'))) AS m1
  FROM cur_social_workers d JOIN cal c ON c.period = d.period
  WHERE TRUE AND d.org_unit = $unit
  GROUP BY d.org_unit, d.period),
w AS (
  SELECT u.org_unit, u.level, c.period, c.qidx, coalesce(u.area_type, a_profile.area_type) AS area_type,
    (CASE WHEN p.has_social_workers THEN coalesce(a_social_workers.m1, 0) END)::DOUBLE AS v_social_workers_certified,
    NULL::DOUBLE AS n_social_workers_certified,
    NULL::DOUBLE AS d_social_workers_certified
  FROM units u CROSS JOIN cal c
  LEFT JOIN pres p ON p.org_unit = u.org_unit AND p.period = c.period
  LEFT JOIN a_profile ON a_profile.org_unit = u.org_unit AND a_profile.period = c.period
  LEFT JOIN a_social_workers ON a_social_workers.org_unit = u.org_unit AND a_social_workers.period = c.period
)
SELECT org_unit, level, period, area_type, indicator, value, num, den
FROM w UNPIVOT INCLUDE NULLS ((value, num, den) FOR indicator IN (
  (v_social_workers_certified, n_social_workers_certified, d_social_workers_certified) AS 'social_workers_certified'
))
WHERE level = CASE indicator WHEN 'social_workers_certified' THEN 'community' END