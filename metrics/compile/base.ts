// Stage 1 of the compiled pipeline: every measure/ratio indicator of the
// catalogue for every org unit and every period, from the units' own rows,
// in one statement. One GROUP BY (org_unit, period) per source table, joined
// onto units x calendar, unpivoted to long rows
// (org_unit, level, period, area_type, indicator, value, num, den).
// A table the unit did not export for the period yields NULL (no data).
// Parameters: the calendar's ($first, $last, $ys_m, $ys_d) and, when scoped,
// $unit (one unit's code: the recompute after its new export; an equality, so
// the scans skip other units' row groups by their min/max).

import type { Indicator, SourceTable } from '../catalogue/types.ts';
import { CALENDAR_SQL } from './calendar.ts';
import { MeasureColumns } from './measures.ts';
import { ident, indent, num } from './sql.ts';

/**
 * Tables read from the unit's latest export of them within the last N
 * quarters (N here) when a period has none, provided the unit exported
 * something for the period (a period without any export stays no data).
 * Satisfaction surveys are taken once or twice a year, not every quarter:
 * read only from the quarter's own export, every community scored
 * satisfaction 0 (no data) in the quarters between surveys, and the
 * composite rose and fell by about 5 points a quarter with the survey
 * calendar alone.
 */
export const CARRIED: Partial<Record<SourceTable, number>> = { surveys: 3 };

/**
 * For each carried table, the export that stands for each (unit, period):
 * (org_unit, period, table_name, export_id, src_period), from the current
 * exports `exportsRel` and the calendar relation `cal` (qidx, period).
 */
export function carriedExportsSql(exportsRel: string): string {
  return Object.entries(CARRIED)
    .map(
      ([t, back]) => `SELECT e.org_unit, c.period, e.table_name, arg_max(e.export_id, s.qidx) AS export_id, arg_max(s.period, s.qidx) AS src_period
  FROM ${exportsRel} e JOIN cal s ON s.period = e.period JOIN cal c ON s.qidx BETWEEN c.qidx - ${num(back as number)} AND c.qidx
  WHERE e.superseded_by IS NULL AND e.table_name = '${t}'
  GROUP BY e.org_unit, c.period, e.table_name`,
    )
    .join('\n  UNION ALL\n  ');
}

/** The summaries' key of the plan-year start ($ys_m, $ys_d). */
export const PLAN_YEAR_KEY = '($ys_m * 100 + $ys_d)::SMALLINT';

const TABLES: SourceTable[] = ['profile', 'social_orgs', 'volunteers', 'social_workers', 'facilities', 'participation', 'activities', 'surveys'];

export interface BaseOptions {
  /** Restrict to the unit whose code is $unit. */
  scoped?: boolean;
  /**
   * Read each roster's aggregates from the per-export summary tables
   * `<exportAggs><table>` (summaries.ts: keyed by plan-year start and
   * export_id, columns named as for the whole `seed` catalogue) instead of
   * scanning the rows.
   */
  exportAggs?: string;
  /** The catalogue whose measures name the summary columns (default: the indicators compiled). */
  seed?: Indicator[];
  /**
   * Scoped, with exportAggs: exports with ids above this one may not be in
   * the summary tables yet (a refresh after the run that summarised up to
   * it); their aggregates are computed here from their rows, as the
   * summaries compute them, and only the summaries of exports up to it are
   * read.
   */
  summarisedTo?: number;
}

/**
 * The aggregate columns of each roster table the catalogue reads (not
 * activities, which span the plan year's exports), per export: every row of
 * an export has the export's period, so its as-of date (and plan year) is
 * the export's, and the aggregate of (unit, period) is the aggregate of its
 * one current export of that table. Rows `d` of the table, calendar row `c`.
 */
export function exportAggColumns(indicators: Indicator[]): { table: SourceTable; cols: string[] }[] {
  const mc = measureColumns(indicators);
  return usedTables(mc)
    .filter((t) => t !== 'activities')
    .map((t) => ({ table: t, cols: aggColumns(mc, t) }));
}

function usedTables(mc: MeasureColumns): SourceTable[] {
  return TABLES.filter((t) => mc.tables().includes(t) || t === 'profile');
}

/**
 * The per-export aggregates of table t's rows `d` whose export satisfies
 * `where` (one row per export: ys, export_id, the columns), over the
 * calendar relation `cal` (the summaries' rows, summaries.ts).
 */
export function exportAggSelect(t: SourceTable, cols: string[], where: string): string {
  return `SELECT ${PLAN_YEAR_KEY} AS ys, d.export_id,
${indent(cols.join(',\n'), 2)}
FROM ${ident(t)} d JOIN cal c ON c.period = d.period
WHERE ${where}
GROUP BY d.export_id`;
}

function aggColumns(mc: MeasureColumns, t: SourceTable): string[] {
  const cols = mc.columnsOf(t).map((c) => `${c.sql} AS ${c.name}`);
  if (t === 'profile') cols.unshift('max(d.area_type) AS area_type');
  return cols;
}

/** The measure columns of the indicators, named in the order wide() meets them. */
function measureColumns(indicators: Indicator[], mc = new MeasureColumns()): MeasureColumns {
  for (const i of indicators) {
    const d = i.definition;
    if (d.kind === 'measure') mc.expr(d.measure);
    else if (d.kind === 'ratio') {
      mc.expr(d.num);
      mc.expr(d.den);
    }
  }
  return mc;
}

/** Activities count within the plan year to date, whether a unit's quarterly
 * export carries that quarter's events or the whole log so far: the union of
 * the logs exported from the plan year's first quarter to the period, each
 * distinct event counted as often as the export listing it most often does. */
const ACT_SQL = (scope: string) => `SELECT org_unit, period, kind, held_on, title, max(n) AS n FROM (
    SELECT d.org_unit, c.period, d.kind, d.held_on, d.title, s.period AS src, count(*) AS n
    FROM cur_activities d JOIN cal s ON s.period = d.period JOIN cal c ON s.qidx BETWEEN c.ys_qidx AND c.qidx
    WHERE TRUE${scope}
    GROUP BY ALL)
  GROUP BY ALL`;

/** Stage 1 long: (org_unit, level, period, area_type, indicator, value, num, den). */
export function compileBase(indicators: Indicator[], opts: BaseOptions = {}): string {
  const { sql, unpivot, levelOf } = wide(indicators, opts);
  return `${sql}
SELECT org_unit, level, period, area_type, indicator, value, num, den
FROM w UNPIVOT INCLUDE NULLS ((value, num, den) FOR indicator IN (
${indent(unpivot.join(',\n'), 2)}
))
WHERE level = CASE indicator ${levelOf} END`;
}

/** Stage 1 wide: one row per unit x period, (v_, n_, d_) columns per own indicator, plus qidx. */
export function compileWide(indicators: Indicator[], opts: BaseOptions & { narrow?: boolean } = {}): string {
  const cols = opts.narrow ? ['org_unit', 'level', 'period', 'qidx', 'area_type', ...narrowValueColumns(indicators)].join(', ') : '*';
  return `${wide(indicators, opts).sql}
SELECT ${cols} FROM w`;
}

/** The value columns of stage 1's wide rows in order; `null`: always NULL (a measure's numerator and denominator). */
function wideColumns(indicators: Indicator[]): { name: string; null: boolean }[] {
  return indicators.flatMap((i) => {
    const id = ident(i.id);
    if (i.definition.kind === 'measure') return [{ name: `v_${id}`, null: false }, { name: `n_${id}`, null: true }, { name: `d_${id}`, null: true }];
    if (i.definition.kind === 'ratio') return ['n', 'd', 'v'].map((p) => ({ name: `${p}_${id}`, null: false }));
    return [];
  });
}

/** The value columns compileWide(..., { narrow: true }) writes, in order. */
export function narrowValueColumns(indicators: Indicator[]): string[] {
  return wideColumns(indicators).filter((c) => !c.null).map((c) => c.name);
}

/** The columns compileWide(..., { narrow: true }) leaves out (always NULL: a measure's numerator and denominator). */
export function narrowAbsent(indicators: Indicator[]): Set<string> {
  return new Set(wideColumns(indicators).filter((c) => c.null).map((c) => c.name));
}

/**
 * Stage 1's wide rows (compileWide's columns, in order) over the table of
 * compileWide(..., { narrow: true }), which leaves out the always-NULL
 * columns: writing a constant column costs as much as a real one.
 */
export function wideFromNarrow(indicators: Indicator[], narrowTable: string): string {
  const cols = wideColumns(indicators).map((c) => (c.null ? `NULL::DOUBLE AS ${c.name}` : c.name));
  return `SELECT org_unit, level, period, qidx, area_type, ${cols.join(', ')} FROM ${ident(narrowTable)}`;
}

function wide(indicators: Indicator[], opts: BaseOptions): { sql: string; unpivot: string[]; levelOf: string; mc: MeasureColumns } {
  const scope = opts.scoped ? ' AND d.org_unit = $unit' : '';
  // names from the seed catalogue (the summaries' columns); tables from the indicators compiled
  const mc = opts.seed ? measureColumns(opts.seed) : new MeasureColumns();
  const mine = measureColumns(indicators);
  const own = indicators.filter((i) => i.definition.kind === 'measure' || i.definition.kind === 'ratio');
  const wideCols: string[] = [];
  const unpivot: string[] = [];
  for (const i of own) {
    const id = ident(i.id);
    const d = i.definition;
    if (d.kind === 'measure') {
      const e = mc.expr(d.measure);
      wideCols.push(`(${e})::DOUBLE AS v_${id}`, `NULL::DOUBLE AS n_${id}`, `NULL::DOUBLE AS d_${id}`);
    } else if (d.kind === 'ratio') {
      const n = mc.expr(d.num);
      const dd = mc.expr(d.den);
      const scale = d.scale && d.scale !== 1 ? ` * ${num(d.scale)}` : '';
      wideCols.push(
        `(${n})::DOUBLE AS n_${id}`,
        `(${dd})::DOUBLE AS d_${id}`,
        `CASE WHEN d_${id} > 0 THEN n_${id} / d_${id}${scale} END AS v_${id}`,
      );
    }
    unpivot.push(`(v_${id}, n_${id}, d_${id}) AS '${id}'`);
  }
  const levelOf = own.map((i) => `WHEN '${i.id}' THEN '${i.level}'`).join(' ');
  const used = usedTables(mine);
  const X = opts.exportAggs ? ident(opts.exportAggs) : null;
  const fromExport = (t: SourceTable) => X !== null && t !== 'activities';

  const aggs = used.filter((t) => !fromExport(t)).map((t) => {
    const cols = aggColumns(mc, t);
    const from = t === 'activities' ? 'act d' : `cur_${t} d`;
    const sc = t === 'activities' ? '' : scope;
    return `a_${t} AS (\n  SELECT d.org_unit, d.period,\n${indent(cols.join(',\n'), 4)}\n  FROM ${from} JOIN cal c ON c.period = d.period\n  WHERE TRUE${sc}\n  GROUP BY d.org_unit, d.period)`;
  });
  // with per-export aggregates, pres also names the current export of each table (one per unit, period and table)
  const pres = TABLES.map(
    (t) => `bool_or(table_name = '${t}') AS has_${t}${fromExport(t) && used.includes(t) ? `, max(e.export_id) FILTER (WHERE table_name = '${t}') AS x_${t}` : ''}`,
  ).join(', ');
  // scoped: the unit's exports' summaries; those above summarisedTo computed from their rows (the
  // constant bound lets the scan skip the row groups of older exports: ids grow with the rows)
  const upTo = opts.summarisedTo === undefined ? undefined : Math.trunc(opts.summarisedTo);
  const exportsOf = (t: SourceTable, cond = '') => `SELECT export_id FROM ex WHERE table_name = '${t}'${cond}`;
  const scopedAggs = (t: SourceTable) =>
    upTo === undefined
      ? `SELECT * FROM ${X}${t} WHERE export_id IN (${exportsOf(t)})`
      : `SELECT * FROM ${X}${t} WHERE export_id IN (${exportsOf(t, ` AND export_id <= ${upTo}`)})
    UNION ALL BY NAME
    ${exportAggSelect(t, aggColumns(mc, t), `d.export_id > ${upTo} AND d.export_id IN (${exportsOf(t, ` AND export_id > ${upTo} AND superseded_by IS NULL`)})`).replace(/\n/g, '\n    ')}`;
  const uScope = opts.scoped ? ' WHERE code = $unit' : '';
  // scoped: the unit's exports, read once (every reader below would scan the whole table)
  const E = opts.scoped ? 'ex' : 'exports';
  const carried = used.filter((t) => CARRIED[t] !== undefined);
  const joins = used
    .map((t) =>
      fromExport(t)
        ? `LEFT JOIN ${opts.scoped ? `(${scopedAggs(t)})` : `${X}${t}`} a_${t}
    ON a_${t}.ys = ${PLAN_YEAR_KEY} AND a_${t}.export_id = p.x_${t}`
        : `LEFT JOIN a_${t} ON a_${t}.org_unit = u.org_unit AND a_${t}.period = ${carried.includes(t) ? `p.src_${t}` : 'c.period'}`,
    )
    .join('\n  ');
  // a carried table: present when its latest export within the window is, read from that export
  const presSql = `SELECT e.org_unit, e.period, ${pres}
  FROM ${E} e WHERE e.superseded_by IS NULL
  GROUP BY e.org_unit, e.period`;
  const presCtes = carried.length
    ? `pres0 AS (
  ${presSql}
),
cf AS (
  ${carriedExportsSql(E)}
),
pres AS (
  SELECT p.* REPLACE (${carried.map((t) => `cf_${t}.export_id IS NOT NULL AS has_${t}${fromExport(t) ? `, cf_${t}.export_id AS x_${t}` : ''}`).join(', ')}),
    ${carried.map((t) => `cf_${t}.src_period AS src_${t}`).join(', ')}
  FROM pres0 p ${carried.map((t) => `LEFT JOIN cf cf_${t} ON cf_${t}.org_unit = p.org_unit AND cf_${t}.period = p.period AND cf_${t}.table_name = '${t}'`).join(' ')}
),`
    : null;

  const sql = `WITH cal AS (
  ${CALENDAR_SQL}
),${opts.scoped ? `
ex AS MATERIALIZED (SELECT export_id, org_unit, period, table_name, superseded_by FROM exports WHERE org_unit = $unit),` : ''}
units AS (
  SELECT code AS org_unit, level, area_type FROM org_units${uScope}
  UNION ALL
  SELECT DISTINCT e.org_unit, CASE length(e.org_unit) WHEN 12 THEN 'community' WHEN 9 THEN 'street' ELSE 'district' END, NULL
  FROM ${E} e WHERE e.org_unit NOT IN (SELECT code FROM org_units)
),
${presCtes ?? `pres AS (
  ${presSql}
),`}
act AS (
  ${ACT_SQL(scope)}
),
${aggs.map((a) => `${a},`).join('\n')}
w AS (
  SELECT u.org_unit, u.level, c.period, c.qidx, coalesce(u.area_type, a_profile.area_type) AS area_type,
${indent(wideCols.join(',\n'), 4)}
  FROM units u CROSS JOIN cal c
  LEFT JOIN pres p ON p.org_unit = u.org_unit AND p.period = c.period
  ${joins}
)`;
  return { sql, unpivot, levelOf, mc };
}
