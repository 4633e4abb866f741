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
units AS (
  SELECT code AS org_unit, level, area_type FROM org_units
  UNION ALL
  SELECT DISTINCT e.org_unit, CASE length(e.org_unit) WHEN 12 THEN 'community' WHEN 9 THEN 'street' ELSE 'district' END, NULL
  FROM exports e WHERE e.org_unit NOT IN (SELECT code FROM org_units)
),
pres AS (
  SELECT e.org_unit, e.period, bool_or(table_name = 'profile') AS has_profile, bool_or(table_name = 'social_orgs') AS has_social_orgs, bool_or(table_name = 'volunteers') AS has_volunteers, bool_or(table_name = 'social_workers') AS has_social_workers, bool_or(table_name = 'facilities') AS has_facilities, bool_or(table_name = 'participation') AS has_participation, bool_or(table_name = 'activities') AS has_activities, bool_or(table_name = 'surveys') AS has_surveys
  FROM exports e WHERE e.superseded_by IS NULL
  GROUP BY e.org_unit, e.period
),
act AS (
  SELECT org_unit, period, kind, held_on, title, max(n) AS n FROM (
    SELECT d.org_unit, c.period, d.kind, d.held_on, d.title, s.period AS src, count(*) AS n
    FROM cur_activities d JOIN cal s ON s.period = d.period JOIN cal c ON s.qidx BETWEEN c.ys_qidx AND c.qidx
    WHERE TRUE
    GROUP BY ALL)
  GROUP BY ALL
),
a_profile AS (
  SELECT d.org_unit, d.period,
    max(d.area_type) AS area_type,
    max(d.participants) AS m2,
    max(d.population) AS m3
  FROM cur_profile d JOIN cal c ON c.period = d.period
  WHERE TRUE
  GROUP BY d.org_unit, d.period),
a_participation AS (
  SELECT d.org_unit, d.period,
    count(DISTINCT d.person_key) FILTER (WHERE ((d.joined_on IS NULL OR d.joined_on <= c.as_of))) AS m1
  FROM cur_participation d JOIN cal c ON c.period = d.period
  WHERE TRUE
  GROUP BY d.org_unit, d.period),
a_activities AS (
  SELECT d.org_unit, d.period,
    coalesce(sum(d.n) FILTER (WHERE d.kind IN ('consultation_demo') AND d.held_on BETWEEN c.year_start AND c.as_of), 0) AS m4
  FROM act d JOIN cal c ON c.period = d.period
  WHERE TRUE
  GROUP BY d.org_unit, d.period),
w AS (
  SELECT u.org_unit, u.level, c.period, c.qidx, coalesce(u.area_type, a_profile.area_type) AS area_type,
    (coalesce(CASE WHEN p.has_participation THEN coalesce(a_participation.m1, 0) END, a_profile.m2))::DOUBLE AS n_participation_rate,
    (a_profile.m3)::DOUBLE AS d_participation_rate,
    CASE WHEN d_participation_rate > 0 THEN n_participation_rate / d_participation_rate END AS v_participation_rate,
    (CASE WHEN p.has_activities THEN coalesce(a_activities.m4, 0) END)::DOUBLE AS v_consultation_demo_in_year,
    NULL::DOUBLE AS n_consultation_demo_in_year,
    NULL::DOUBLE AS d_consultation_demo_in_year
  FROM units u CROSS JOIN cal c
  LEFT JOIN pres p ON p.org_unit = u.org_unit AND p.period = c.period
  LEFT JOIN a_profile ON a_profile.org_unit = u.org_unit AND a_profile.period = c.period
  LEFT JOIN a_participation ON a_participation.org_unit = u.org_unit AND a_participation.period = c.period
  LEFT JOIN a_activities ON a_activities.org_unit = u.org_unit AND a_activities.period = c.period
)
SELECT org_unit, level, period, area_type, indicator, value, num, den
FROM w UNPIVOT INCLUDE NULLS ((value, num, den) FOR indicator IN (
  (v_participation_rate, n_participation_rate, d_participation_rate) AS 'participation_rate',
  (v_consultation_demo_in_year, n_consultation_demo_in_year, d_consultation_demo_in_year) AS 'consultation_demo_in_year'
))
WHERE level = CASE indicator WHEN 'participation_rate' THEN 'community' WHEN 'consultation_demo_in_year' THEN 'community' END