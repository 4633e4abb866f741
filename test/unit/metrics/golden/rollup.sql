WITH pfx AS (SELECT unnest(from_json($prefixes::JSON, '["VARCHAR"]')) AS p),
cov AS (
  SELECT b.* FROM mx_base b
  WHERE b.level = 'community' AND ($all_units OR EXISTS (SELECT 1 FROM pfx WHERE starts_with(b.org_unit, pfx.p)))
),
rules(indicator, rollup, scale) AS (VALUES
    ('orgs_per_10k', 'ratio', 10000),
    ('social_workers_certified', 'mean', 1),
    ('area_indoor_m2', 'sum', 1)
),
up AS (
  SELECT left(v.org_unit, 9) AS org_unit, 'street' AS level, v.period, v.indicator, v.value, v.num, v.den FROM cov v
  UNION ALL
  SELECT left(v.org_unit, 6), 'district', v.period, v.indicator, v.value, v.num, v.den FROM cov v
),
agg AS (
  SELECT u.org_unit, u.level, u.period, u.indicator,
    CASE any_value(r.rollup)
      WHEN 'sum' THEN sum(u.value)
      WHEN 'mean' THEN avg(u.value)
      ELSE sum(u.num) FILTER (WHERE u.value IS NOT NULL) / nullif(sum(u.den) FILTER (WHERE u.value IS NOT NULL), 0) * any_value(r.scale)
    END AS value,
    sum(u.num) FILTER (WHERE u.value IS NOT NULL) AS num,
    sum(u.den) FILTER (WHERE u.value IS NOT NULL) AS den,
    count(u.value)::INTEGER AS n_reporting, count(*)::INTEGER AS n_units
  FROM up u JOIN rules r ON r.indicator = u.indicator
  GROUP BY u.org_unit, u.level, u.period, u.indicator
)
SELECT org_unit, level, period, area_type, indicator, value, num, den, (value IS NOT NULL)::INTEGER AS n_reporting, 1 AS n_units FROM cov
UNION ALL
SELECT org_unit, level, period, NULL AS area_type, indicator, value, num, den, n_reporting, n_units FROM agg
UNION ALL
SELECT b.org_unit, b.level, b.period, b.area_type, b.indicator, b.value, b.num, b.den, (b.value IS NOT NULL)::INTEGER, 1
  FROM mx_base b WHERE b.level <> 'community' AND ($all_units OR b.org_unit IN (SELECT org_unit FROM agg) OR EXISTS (SELECT 1 FROM pfx WHERE starts_with(b.org_unit, pfx.p)))
UNION ALL
SELECT org_unit, level, period, NULL, 'district_orgs_per_10k', value, num, den, n_reporting, n_units
  FROM agg WHERE indicator = 'orgs_per_10k' AND level = 'district'
UNION ALL
SELECT left(org_unit, 6), 'district', period, NULL, 'district_communities_under_200m2',
    CASE WHEN count(value) > 0 THEN count(*) FILTER (WHERE value < 200) END::DOUBLE, NULL, NULL, count(value), count(*)
  FROM cov WHERE indicator = 'area_indoor_m2' GROUP BY 1, 3