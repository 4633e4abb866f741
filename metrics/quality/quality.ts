// Data quality over the whole store, set-based: the completeness matrix
// (which units exported which tables for which periods), the spec's rules
// and the robust-z outlier test. Every finding names the org unit, the
// period, the rule (and indicator) and the source rows it rests on.

import type { Store } from '../../server/db/store.ts';
import { type TableName, tableDef } from '../../server/import/contract/tables.ts';
import { CATALOGUE } from '../catalogue/index.ts';
import { tablesRead } from '../compile/affected.ts';
import { CARRIED, carriedExportsSql, compileBase } from '../compile/base.ts';
import { CALENDAR_SQL, quarterIndex } from '../compile/calendar.ts';
import { bind } from '../engine.ts';

export interface Finding {
  rule: string;
  org_unit: string;
  period: string;
  indicator: string | null;
  value: number | null;
  /** What was found, in Chinese (numbers, dates, field names). */
  detail: string;
  detail_en: string;
  /** Source rows (src_row NULL: the whole export the value was computed from; trace it with lineage()). */
  sources: { table: string; export_id: number; file: string | null; sheet: string | null; src_row: number | null }[];
}

export interface CompletenessCell {
  org_unit: string;
  period: string;
  tables: string[];
}

/** Quarters before a value that form its history. */
export const HISTORY_QUARTERS = 4;
/** Fewest of those quarters with a value before the history test applies. */
export const HISTORY_MIN = 3;
/** Fewest communities of one area type (urban, rural) that make a peer group. */
export const PEERS_MIN = 5;
/** Robust z beyond which a value is an outlier (Iglewicz and Hoaglin's cut-off). */
export const Z_CUTOFF = 3.5;
/** Least scale of a robust z, as a share of the median. */
export const SCALE_FLOOR_SHARE = 0.1;
/** Population change since last quarter, as a share, that is flagged. */
export const POPULATION_JUMP_SHARE = 0.3;

const pct = (share: number) => Math.round(share * 100);

const RULE_ZH: Record<string, string> = {
  missing_export: '本期无任何报送数据',
  volunteers_above_population: '注册志愿者多于常住人口',
  participants_above_population: '参与居民多于常住人口',
  households_above_population: '户数多于常住人口',
  area_part_above_indoor: '管理或服务用房面积大于用房总面积',
  date_in_future: '日期晚于报告期末',
  uscc_in_two_communities: '同一统一社会信用代码出现在两个社区',
  person_in_two_communities: '同一人员出现在两个社区',
  population_jump: `常住人口较上季度变化超过${pct(POPULATION_JUMP_SHARE)}%`,
  outlier_peers: `与同期同类社区相比异常（同为城市或农村社区，至少${PEERS_MIN}个；稳健z分数>${Z_CUTOFF}；尺度不低于中位数的${pct(SCALE_FLOOR_SHARE)}%，计数不低于1）`,
  outlier_history: `与本社区前${HISTORY_QUARTERS}个季度相比异常且较上季度突变（其中至少${HISTORY_MIN}个季度有值；按年累计的指标比较每季新增；稳健z分数>${Z_CUTOFF}；尺度不低于中位数的${pct(SCALE_FLOOR_SHARE)}%，计数不低于1）`,
};
export const QUALITY_RULES = RULE_ZH;

/** The same rules in English, for the dashboard's English switch. */
export const QUALITY_RULES_EN: Record<string, string> = {
  missing_export: 'Nothing exported for this period',
  volunteers_above_population: 'More registered volunteers than residents',
  participants_above_population: 'More participating residents than residents',
  households_above_population: 'More households than residents',
  area_part_above_indoor: 'Management or service rooms larger than the indoor total',
  date_in_future: 'Date after the end of the report period',
  uscc_in_two_communities: 'One credit code (USCC) in two communities',
  person_in_two_communities: 'One person in two communities',
  population_jump: `Population changed by more than ${pct(POPULATION_JUMP_SHARE)} % since last quarter`,
  outlier_peers: `Outlier against communities of the same area type this period (urban or rural, at least ${PEERS_MIN}; robust z > ${Z_CUTOFF}; scale at least ${pct(SCALE_FLOOR_SHARE)} % of the median, at least 1 for counts)`,
  outlier_history: `Outlier against the community's previous ${HISTORY_QUARTERS} quarters, reached by a jump since last quarter (at least ${HISTORY_MIN} of them with a value; per-year counts by each quarter's increase; robust z > ${Z_CUTOFF}; scale at least ${pct(SCALE_FLOOR_SHARE)} % of the median, at least 1 for counts)`,
};

/** How the outlier rules judge a value, from the same constants as their SQL (the methodology page shows it). */
export const QUALITY_METHOD = {
  zh:
    `稳健z分数 = (x − 中位数) / 尺度；尺度为 MAD/0.6745（MAD 为 0 时取 1.2533 × 平均绝对偏差），且不低于中位数的${pct(SCALE_FLOOR_SHARE)}%，计数类指标不低于1。` +
    `|z| > ${Z_CUTOFF} 记为异常（Iglewicz 与 Hoaglin）。同类社区至少${PEERS_MIN}个才比较；本社区历史取前${HISTORY_QUARTERS}个季度，至少${HISTORY_MIN}个季度有值；按年累计的指标（如本年新培育社会组织数）比较每季新增，年内首季即为其值。`,
  en:
    `Robust z = (x − median) / scale; the scale is MAD/0.6745 (1.2533 × the mean absolute deviation when the MAD is 0), at least ${pct(SCALE_FLOOR_SHARE)} % of the median and at least 1 for counts. ` +
    `|z| > ${Z_CUTOFF} is an outlier (Iglewicz and Hoaglin). Peers are compared in groups of ${PEERS_MIN} or more; a community's history is its previous ${HISTORY_QUARTERS} quarters, at least ${HISTORY_MIN} of them with a value; per-year counts (organisations founded in the plan year, say) are compared by each quarter's increase, the value itself in a year's first quarter.`,
};

const DATE_COLS: Record<string, string[]> = {
  social_orgs: ['founded_on', 'dissolved_on', 'brand_since', 'social_worker_since'],
  volunteers: ['registered_on', 'leader_since'],
  social_workers: ['started_on', 'left_on'],
  facilities: ['opened_on', 'closed_on'],
  participation: ['joined_on'],
  activities: ['held_on'],
  surveys: ['surveyed_on'],
};

const src = (table: string) =>
  `list({'table': '${table}', 'export_id': d.export_id, 'file': f.name, 'sheet': d.sheet, 'src_row': d.src_row})`;

/**
 * Robust z of x against a reference group `g` (columns med, mad, meanad):
 * (x - median) / scale. The scale is MAD / 0.6745, so that z is the modified
 * z-score 0.6745 (x - median) / MAD of Iglewicz and Hoaglin; when more than
 * half of the group shares one value (MAD = 0) it is their fallback, 1.253314
 * times the mean absolute deviation. Either way it is at least 10 % of the
 * median and at least `res`, the data's resolution (1 for counts): without
 * that floor a community whose households per grid worker sat at exactly 300
 * for four quarters would get a z in the fifties for 310, and one whose
 * peers all held one joint meeting this quarter would be an outlier for
 * holding none or two. (The spec names only the z test; the floor is our
 * addition, stated in the rule's description.) NULL only when the median and
 * `res` are 0 and the group has no spread.
 */
export function robustZ(x: string, g: string, res = '0'): string {
  return `((${x} - ${g}.med) / ${robustScale(g, res)})`;
}

/** The scale of `robustZ`; NULL when it is 0. */
export function robustScale(g: string, res = '0'): string {
  const spread = `(CASE WHEN ${g}.mad > 0 THEN ${g}.mad / 0.6745 ELSE 1.253314 * ${g}.meanad END)`;
  return `nullif(greatest(${spread}, ${SCALE_FLOOR_SHARE} * abs(${g}.med), ${res}), 0)`;
}

/** |z| > Z_CUTOFF, z as `robustZ`. */
export function isOutlier(x: string, g: string, res = '0'): string {
  return `coalesce(abs(${robustZ(x, g, res)}) > ${Z_CUTOFF}, false)`;
}

/** Units whose values are whole counts: their resolution is 1. */
const COUNT_UNITS = ['个', '人', '户', '次'];

const nameOf = (id: string) => {
  const i = CATALOGUE.find((x) => x.id === id);
  if (!i) throw new Error(`quality: unknown indicator ${id}`);
  return i;
};

/** A register's column as the contract names it in Chinese (名录·成立日期). */
function fieldLabel(table: string, column: string): string {
  const def = tableDef(table as TableName);
  return `${def.label}·${def.fields.find((f) => f.name === column)?.label ?? column}`;
}

/** A number as text without a trailing .0 (1200, 12.5). */
// A negative number reads with the minus sign (U+2212), as the dashboard prints numbers.
const num = (x: string) => `replace(regexp_replace(round(${x}, 2)::VARCHAR, '\\.0$', ''), '-', '−')`;

/** Every finding as one UNION ALL over the base table and the canonical tables. */
export function qualitySql(baseTable: string): string {
  const futures = Object.entries(DATE_COLS).flatMap(([t, cols]) =>
    cols.map(
      (c) => `SELECT 'date_in_future', d.org_unit, d.period, NULL, NULL::DOUBLE,
    '${fieldLabel(t, c)} ' || strftime(d.${c}, '%Y-%m-%d') || ' 晚于 ' || strftime(c.as_of, '%Y-%m-%d'),
    '${t}.${c} ' || strftime(d.${c}, '%Y-%m-%d') || ' > ' || strftime(c.as_of, '%Y-%m-%d'),
    [{'table': '${t}', 'export_id': d.export_id, 'file': f.name, 'sheet': d.sheet, 'src_row': d.src_row}]
  FROM cur_${t} d JOIN cal c ON c.period = d.period LEFT JOIN import_files f ON f.file_id = d.file_id WHERE d.${c} > c.as_of`,
    ),
  );
  const pair = (a: string, b: string, rule: string) => `SELECT '${rule}', x.org_unit, x.period, '${a}', x.value,
    '${nameOf(a).zh} ' || ${num('x.value')} || ' > ${nameOf(b).zh} ' || ${num('y.value')},
    '${nameOf(a).en} ' || ${num('x.value')} || ' > ${nameOf(b).en} ' || ${num('y.value')}, ps.sources
  FROM ${baseTable} x JOIN ${baseTable} y ON y.org_unit = x.org_unit AND y.period = x.period AND y.indicator = '${b}'
  LEFT JOIN psrc ps ON ps.org_unit = x.org_unit AND ps.period = x.period
  WHERE x.indicator = '${a}' AND x.value > y.value`;
  const counts = CATALOGUE.filter((i) => COUNT_UNITS.includes(i.unit)).map((i) => `'${i.id}'`).join(', ');
  const rates = CATALOGUE.filter((i) => i.unit === '%').map((i) => `'${i.id}'`).join(', ');
  // a median as the dashboard shows the indicator: rates as percentages
  const shown = (x: string) => `CASE WHEN o.indicator IN (${rates}) THEN ${num(`100 * ${x}`)} || '%' ELSE ${num(x)} END`;
  // yes/no indicators have no spread to speak of: a 0 among 1s is a gap, not an outlier
  const peerInds = CATALOGUE.filter((i) => i.level === 'community' && !i.helper && i.unit !== '是/否');
  const peers = peerInds.map((i) => `'${i.id}'`).join(', ');
  const perYear = ["''", ...peerInds.filter((i) => i.periodicity === 'per_year').map((i) => `'${i.id}'`)].join(', ');
  // identifiers from our own catalogue only
  const indicatorTables = peerInds.flatMap((i) => [...new Set(tablesRead(i))].map((t) => `('${i.id}', '${t}')`)).join(', ');
  // an export as a finding's source (exports e, import_files f)
  const EXPORT_SRC = `{'table': e.table_name, 'export_id': e.export_id, 'file': f.name, 'sheet': e.sheet, 'src_row': NULL::INTEGER}`;
  const carriedList = Object.keys(CARRIED).map((t) => `'${t}'`).join(', ');
  return `WITH cal AS (${CALENDAR_SQL}),
psrc AS (
  SELECT d.org_unit, d.period, ${src('profile')} AS sources
  FROM cur_profile d LEFT JOIN import_files f ON f.file_id = d.file_id GROUP BY d.org_unit, d.period
),
esrc AS (
  SELECT e.org_unit, e.period, e.table_name, ${EXPORT_SRC} AS src
  FROM exports e LEFT JOIN import_files f ON f.file_id = e.file_id WHERE e.superseded_by IS NULL AND e.table_name NOT IN (${carriedList})
  UNION ALL
  -- a carried table (a survey): the export standing for the period, perhaps an earlier quarter's
  SELECT cf.org_unit, cf.period, cf.table_name, ${EXPORT_SRC}
  FROM (${carriedExportsSql('exports')}) cf JOIN exports e ON e.export_id = cf.export_id LEFT JOIN import_files f ON f.file_id = e.file_id
),
itab AS (SELECT * FROM (VALUES ${indicatorTables}) t(indicator, table_name)),
comm AS (SELECT b.org_unit, b.indicator, b.period, k.qidx, coalesce(b.area_type, '') AS area_type, b.value,
    CASE WHEN b.indicator IN (${counts}) THEN 1 ELSE 0 END AS res,
    CASE WHEN b.indicator IN (${perYear}) THEN k.ys_qidx END AS ys_qidx
  FROM ${baseTable} b JOIN cal k ON k.period = b.period
  WHERE b.level = 'community' AND b.indicator IN (${peers}) AND b.value IS NOT NULL),
outliers AS (${outlierSql('comm')}),
pop AS (
  SELECT org_unit, period, value, lag(value) OVER (PARTITION BY org_unit ORDER BY period) AS prev
  FROM ${baseTable} WHERE indicator = 'population'
)
SELECT 'missing_export' AS rule, u.org_unit, c.period, NULL AS indicator, NULL::DOUBLE AS value, '' AS detail, '' AS detail_en, [] AS sources
FROM (SELECT DISTINCT org_unit FROM ${baseTable} WHERE level = 'community') u CROSS JOIN cal c
WHERE c.qidx BETWEEN $lo AND $hi AND NOT EXISTS (
  SELECT 1 FROM exports e WHERE e.org_unit = u.org_unit AND e.period = c.period AND e.superseded_by IS NULL)
UNION ALL ${pair('volunteers_active', 'population', 'volunteers_above_population')}
UNION ALL ${pair('households', 'population', 'households_above_population')}
UNION ALL SELECT 'participants_above_population', x.org_unit, x.period, 'participation_rate', x.num / x.den,
    '参与居民 ' || ${num('x.num')} || ' > 常住人口 ' || ${num('x.den')}, 'participants ' || ${num('x.num')} || ' > residents ' || ${num('x.den')}, ps.sources
  FROM ${baseTable} x LEFT JOIN psrc ps ON ps.org_unit = x.org_unit AND ps.period = x.period
  WHERE x.indicator = 'participation_rate' AND x.num > x.den
UNION ALL ${pair('area_mgmt_m2', 'area_indoor_m2', 'area_part_above_indoor')}
UNION ALL ${pair('area_service_m2', 'area_indoor_m2', 'area_part_above_indoor')}
UNION ALL ${futures.join('\nUNION ALL ')}
UNION ALL SELECT 'uscc_in_two_communities', d.org_unit, d.period, NULL, NULL, d.uscc, d.uscc, [{'table': 'social_orgs', 'export_id': d.export_id, 'file': f.name, 'sheet': d.sheet, 'src_row': d.src_row}]
  FROM cur_social_orgs d LEFT JOIN import_files f ON f.file_id = d.file_id
  WHERE d.uscc IS NOT NULL AND (d.period, d.uscc) IN (
    SELECT (period, uscc) FROM cur_social_orgs WHERE uscc IS NOT NULL GROUP BY period, uscc HAVING count(DISTINCT org_unit) > 1)
UNION ALL SELECT 'person_in_two_communities', d.org_unit, d.period, NULL, NULL, '志愿者名册', 'volunteer register', [{'table': 'volunteers', 'export_id': d.export_id, 'file': f.name, 'sheet': d.sheet, 'src_row': d.src_row}]
  FROM cur_volunteers d LEFT JOIN import_files f ON f.file_id = d.file_id
  WHERE (d.period, d.person_key) IN (
    SELECT (period, person_key) FROM cur_volunteers GROUP BY period, person_key HAVING count(DISTINCT org_unit) > 1)
UNION ALL SELECT 'population_jump', p.org_unit, p.period, 'population', p.value,
    '常住人口 ' || ${num('p.prev')} || ' → ' || ${num('p.value')}, 'residents ' || ${num('p.prev')} || ' → ' || ${num('p.value')}, ps.sources
  FROM pop p LEFT JOIN psrc ps ON ps.org_unit = p.org_unit AND ps.period = p.period
  WHERE p.prev > 0 AND abs(p.value - p.prev) / p.prev > ${POPULATION_JUMP_SHARE}
UNION ALL SELECT o.rule, o.org_unit, o.period, o.indicator, o.value,
    'z = ' || ${num('o.z')} || CASE WHEN o.rule = 'outlier_peers' THEN '，同类社区中位数 '
      WHEN o.added IS NOT NULL THEN '，本季新增 ' || ${num('o.added')} || '，前${HISTORY_QUARTERS}季新增中位数 ' ELSE '，前${HISTORY_QUARTERS}季中位数 ' END || ${shown('o.med')},
    'z = ' || ${num('o.z')} || CASE WHEN o.rule = 'outlier_peers' THEN ', peers'' median '
      WHEN o.added IS NOT NULL THEN ', ' || ${num('o.added')} || ' added this quarter, median added in the previous ${HISTORY_QUARTERS} quarters '
      ELSE ', median of the previous ${HISTORY_QUARTERS} quarters ' END || ${shown('o.med')},
    os.sources
  FROM outliers o LEFT JOIN (
    -- an outlier rests on the exports of the tables its indicator reads, not every table of the quarter
    SELECT x.org_unit, x.period, x.indicator, list(es.src ORDER BY es.table_name, es.src.export_id) AS sources
    FROM (SELECT DISTINCT org_unit, period, indicator FROM outliers) x JOIN itab USING (indicator)
      JOIN esrc es ON es.org_unit = x.org_unit AND es.period = x.period AND es.table_name = itab.table_name
    GROUP BY x.org_unit, x.period, x.indicator
  ) os ON os.org_unit = o.org_unit AND os.period = o.period AND os.indicator = o.indicator`;
}

/**
 * Both outlier tests over `comm` (org_unit, indicator, period, qidx,
 * area_type, value, res, ys_qidx): rows (rule, org_unit, indicator, period,
 * value, z, med: the median it was judged against, added: the quarter's
 * increase when that was judged).
 *
 * - outlier_peers: against the communities of the same area type (urban or
 *   rural: their targets differ) in the same period, when there are at least
 *   PEERS_MIN of them.
 * - outlier_history: against the community's own previous HISTORY_QUARTERS
 *   quarters (at least HISTORY_MIN with a value), never later ones, so a
 *   quarter's findings do not change when the next quarter is imported; and
 *   only where the value also moved that far from the quarter before. A new
 *   service centre that triples the floor space is one finding, in the
 *   quarter it appears, not one per quarter until the history catches up.
 *   A per-year count (ys_qidx: the quarter its year starts; NULL for other
 *   indicators) grows through the year and starts again: its history is the
 *   quarter's increase (the value itself in a year's first quarter, none
 *   after a missing quarter), so the year's last quarter is not an outlier
 *   for being the year's total.
 */
export function outlierSql(comm: string): string {
  return `WITH peer AS (
  SELECT indicator, period, area_type, median(value) AS med, median(abs(value - med0)) AS mad, avg(abs(value - med0)) AS meanad, count(*) AS n FROM (
    SELECT *, median(value) OVER (PARTITION BY indicator, period, area_type) AS med0 FROM ${comm}) GROUP BY indicator, period, area_type
),
flow AS (
  SELECT *, CASE WHEN ys_qidx IS NULL OR qidx = ys_qidx THEN value
      WHEN lag(qidx) OVER w = qidx - 1 THEN value - lag(value) OVER w END AS hv
  FROM ${comm} WINDOW w AS (PARTITION BY org_unit, indicator ORDER BY qidx)
),
hist AS (
  SELECT org_unit, indicator, period, med, n, prev,
    list_median(list_transform(prior, v -> abs(v - med))) AS mad, list_avg(list_transform(prior, v -> abs(v - med))) AS meanad
  FROM (SELECT *, list_median(prior) AS med, len(prior) AS n FROM (
    SELECT org_unit, indicator, period, lag(hv) OVER (PARTITION BY org_unit, indicator ORDER BY qidx) AS prev,
      list_filter(list(hv) OVER (PARTITION BY org_unit, indicator ORDER BY qidx RANGE BETWEEN ${HISTORY_QUARTERS} PRECEDING AND 1 PRECEDING), v -> v IS NOT NULL) AS prior
    FROM flow))
)
SELECT 'outlier_peers' AS rule, c.org_unit, c.indicator, c.period, c.value, ${robustZ('c.value', 'p', 'c.res')} AS z, p.med, NULL::DOUBLE AS added
  FROM ${comm} c JOIN peer p ON p.indicator = c.indicator AND p.period = c.period AND p.area_type = c.area_type
  WHERE p.n >= ${PEERS_MIN} AND ${isOutlier('c.value', 'p', 'c.res')}
UNION ALL SELECT 'outlier_history', c.org_unit, c.indicator, c.period, c.value, ${robustZ('c.hv', 'h', 'c.res')}, h.med,
    CASE WHEN c.ys_qidx IS NOT NULL THEN c.hv END
  FROM flow c JOIN hist h ON h.org_unit = c.org_unit AND h.indicator = c.indicator AND h.period = c.period
  WHERE h.n >= ${HISTORY_MIN} AND ${isOutlier('c.hv', 'h', 'c.res')}
    AND coalesce(abs(c.hv - h.prev) / ${robustScale('h', 'c.res')} > ${Z_CUTOFF}, false)`;
}

/**
 * Every finding (of one period, or all) and the completeness matrix.
 * `yearStart`: the plan year's first day (month, day) that per-year
 * indicators count from, as in the plan the findings are read beside (its
 * start date); a calendar year without one.
 */
export async function checkQuality(store: Store, opts: { period?: string; yearStart?: { m: number; d: number } } = {}): Promise<{ completeness: CompletenessCell[]; findings: (Finding & { rule_zh: string; rule_en: string })[] }> {
  const r = await store.one<{ lo: string | null; hi: string | null }>(`SELECT min(period) AS lo, max(period) AS hi FROM exports`);
  if (!r?.lo || !r.hi) return { completeness: [], findings: [] };
  const lo = quarterIndex(r.lo);
  const hi = quarterIndex(opts.period ?? r.hi);
  const params = { first: lo, last: Math.max(hi, quarterIndex(r.hi)), ys_m: opts.yearStart?.m ?? 1, ys_d: opts.yearStart?.d ?? 1, lo, hi };
  const base = `mxq_base_${Date.now() % 1e9}`;
  const bsql = compileBase(CATALOGUE);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${base} AS ${bsql}`, bind(bsql, params));
  try {
    const sql = qualitySql(base);
    const rows = await store.all<Record<string, unknown>>(
      `SELECT * FROM (${sql}) q WHERE ${opts.period ? 'period = $period' : 'TRUE'} ORDER BY rule, org_unit, period`,
      { ...bind(sql, params), ...(opts.period ? { period: opts.period } : {}) },
    );
    const completeness = await store.all<Record<string, unknown>>(
      `SELECT e.org_unit, e.period, list(DISTINCT e.table_name ORDER BY e.table_name) AS tables FROM exports e
       WHERE e.superseded_by IS NULL GROUP BY e.org_unit, e.period ORDER BY e.org_unit, e.period`,
    );
    return {
      completeness: completeness.map((c) => ({ org_unit: String(c.org_unit), period: String(c.period), tables: c.tables as string[] })),
      findings: rows.map((f) => ({
        rule: String(f.rule),
        rule_zh: RULE_ZH[String(f.rule)] ?? String(f.rule),
        rule_en: QUALITY_RULES_EN[String(f.rule)] ?? String(f.rule),
        org_unit: String(f.org_unit),
        period: String(f.period),
        indicator: (f.indicator as string | null) ?? null,
        value: f.value === null ? null : Number(f.value),
        detail: String(f.detail ?? ''),
        detail_en: String(f.detail_en ?? ''),
        sources: ((f.sources as Record<string, unknown>[] | null) ?? []).map((s) => ({
          table: String(s.table),
          export_id: Number(s.export_id),
          file: (s.file as string | null) ?? null,
          sheet: (s.sheet as string | null) ?? null,
          src_row: s.src_row === null ? null : Number(s.src_row),
        })),
      })),
    };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${base}`);
  }
}
