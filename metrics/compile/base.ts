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

const TABLES: SourceTable[] = ['profile', 'social_orgs', 'volunteers', 'social_workers', 'facilities', 'participation', 'activities', 'surveys'];

export interface BaseOptions {
  /** Restrict to the unit whose code is $unit. */
  scoped?: boolean;
  /**
   * Read each roster's aggregates from per-export TEMP tables
   * `<exportAggs>_<table>` (see compileExportAggs) instead of scanning the
   * rows: a refresh then rescans only the new export's unit's rows.
   */
  exportAggs?: string;
}

/**
 * Per-export aggregates of every roster table the catalogue reads (not
 * activities, which span the plan year's exports): one row per current
 * export, keyed by export_id, with the same measure columns as stage 1.
 * Every row of an export has the export's period, so its as-of date (and
 * plan year) is the export's: the aggregate of (unit, period) is the
 * aggregate of its one current export of that table. Scoped: the exports of
 * $unit only (the refresh replaces those rows).
 */
export function compileExportAggs(indicators: Indicator[], opts: { scoped?: boolean } = {}): { table: SourceTable; sql: string }[] {
  const { mc } = wide(indicators, {});
  const scope = opts.scoped ? ' AND d.org_unit = $unit' : '';
  return usedTables(mc)
    .filter((t) => t !== 'activities')
    .map((t) => ({
      table: t,
      sql: `WITH cal AS (
  ${CALENDAR_SQL}
)
SELECT d.export_id,
${indent(aggColumns(mc, t).join(',\n'), 2)}
FROM cur_${t} d JOIN cal c ON c.period = d.period
WHERE TRUE${scope}
GROUP BY d.export_id`,
    }));
}

function usedTables(mc: MeasureColumns): SourceTable[] {
  return TABLES.filter((t) => mc.tables().includes(t) || t === 'profile');
}

function aggColumns(mc: MeasureColumns, t: SourceTable): string[] {
  const cols = mc.columnsOf(t).map((c) => `${c.sql} AS ${c.name}`);
  if (t === 'profile') cols.unshift('max(d.area_type) AS area_type');
  return cols;
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
export function compileWide(indicators: Indicator[], opts: BaseOptions = {}): string {
  return `${wide(indicators, opts).sql}
SELECT * FROM w`;
}

function wide(indicators: Indicator[], opts: BaseOptions): { sql: string; unpivot: string[]; levelOf: string; mc: MeasureColumns } {
  const scope = opts.scoped ? ' AND d.org_unit = $unit' : '';
  const mc = new MeasureColumns();
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
  const used = usedTables(mc);
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
  const joins = used
    .map((t) =>
      fromExport(t)
        ? `LEFT JOIN ${X}_${t} a_${t} ON a_${t}.export_id = p.x_${t}`
        : `LEFT JOIN a_${t} ON a_${t}.org_unit = u.org_unit AND a_${t}.period = c.period`,
    )
    .join('\n  ');
  const uScope = opts.scoped ? ' WHERE code = $unit' : '';
  const eScope = opts.scoped ? ' AND e.org_unit = $unit' : '';

  const sql = `WITH cal AS (
  ${CALENDAR_SQL}
),
units AS (
  SELECT code AS org_unit, level, area_type FROM org_units${uScope}
  UNION ALL
  SELECT DISTINCT e.org_unit, CASE length(e.org_unit) WHEN 12 THEN 'community' WHEN 9 THEN 'street' ELSE 'district' END, NULL
  FROM exports e WHERE e.org_unit NOT IN (SELECT code FROM org_units)${eScope}
),
pres AS (
  SELECT e.org_unit, e.period, ${pres}
  FROM exports e WHERE e.superseded_by IS NULL${eScope}
  GROUP BY e.org_unit, e.period
),
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
