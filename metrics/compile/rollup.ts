// Stage 2: from the stage-1 long rows (a table) to every indicator of every
// covered org unit: the covered communities' own rows, their rollups to
// street and district by each indicator's rule (sum; ratio of sums; mean per
// reporting community), the street/district indicators of their own rows,
// aliases (a community indicator as seen from above) and counts of
// communities in a band.
// Parameters: $all_units (BOOLEAN), $prefixes (JSON list of code prefixes).

import type { Indicator } from '../catalogue/types.ts';
import { ident, num, str } from './sql.ts';

export function compileRollup(indicators: Indicator[], baseTable: string): string {
  const b = ident(baseTable);
  const rolled = indicators.filter((i) => i.level === 'community');
  const rules = rolled
    .map((i) => {
      const d = i.definition;
      const scale = d.kind === 'ratio' && d.scale ? d.scale : 1;
      return `(${str(i.id)}, ${str(i.rollup)}, ${num(scale)})`;
    })
    .join(',\n    ');
  const parts: string[] = [
    `SELECT org_unit, level, period, area_type, indicator, value, num, den, (value IS NOT NULL)::INTEGER AS n_reporting, 1 AS n_units FROM cov`,
    `SELECT org_unit, level, period, NULL AS area_type, indicator, value, num, den, n_reporting, n_units FROM agg`,
    `SELECT b.org_unit, b.level, b.period, b.area_type, b.indicator, b.value, b.num, b.den, (b.value IS NOT NULL)::INTEGER, 1
  FROM ${b} b WHERE b.level <> 'community' AND ($all_units OR b.org_unit IN (SELECT org_unit FROM agg) OR EXISTS (SELECT 1 FROM pfx WHERE starts_with(b.org_unit, pfx.p)))`,
  ];
  for (const i of indicators) {
    const d = i.definition;
    if (d.kind === 'alias') {
      parts.push(`SELECT org_unit, level, period, NULL, ${str(i.id)}, value, num, den, n_reporting, n_units
  FROM agg WHERE indicator = ${str(d.of)} AND level = ${str(i.level)}`);
    } else if (d.kind === 'count_units') {
      const conds = [d.from !== undefined ? `value >= ${num(d.from)}` : '', d.below !== undefined ? `value < ${num(d.below)}` : '']
        .filter(Boolean)
        .join(' AND ');
      const len = i.level === 'street' ? 9 : 6;
      parts.push(`SELECT left(org_unit, ${len}), ${str(i.level)}, period, NULL, ${str(i.id)},
    CASE WHEN count(value) > 0 THEN count(*) FILTER (WHERE ${conds || 'TRUE'}) END::DOUBLE, NULL, NULL, count(value), count(*)
  FROM cov WHERE indicator = ${str(d.of)} GROUP BY 1, 3`);
    }
  }
  return `WITH pfx AS (SELECT unnest(from_json($prefixes::JSON, '["VARCHAR"]')) AS p),
cov AS (
  SELECT b.* FROM ${b} b
  WHERE b.level = 'community' AND ($all_units OR EXISTS (SELECT 1 FROM pfx WHERE starts_with(b.org_unit, pfx.p)))
),
rules(indicator, rollup, scale) AS (VALUES
    ${rules}
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
${parts.join('\nUNION ALL\n')}`;
}
