// Stage 2, wide: the same values as rollup.ts (covered communities, their
// street/district rollups by each indicator's rule, street/district
// indicators of their own rows, aliases, band counts) kept one row per
// (org unit, level, period) with a column group per indicator until the
// consumers need long rows. The rollup is one GROUP BY over the covered
// communities' wide rows per street, then one over the street rows per
// district, instead of one per indicator over long rows. Only
// the street/district rows are a table; the community rows are read from
// stage 1 through a view (writing ~130k rows x ~200 columns costs more than
// reading them).
//
// Column groups: v_<id> value, n_<id> numerator, d_<id> denominator,
// r_<id> reporting communities, u_<id> communities, s_<id> sum of the
// values of a mean-rolled indicator (rollup rows only).
// Row flags: has_own (the unit's own stage-1 row: community values, a
// street/district's own indicators), has_agg (a rollup row exists).
// Parameters: $all_units (BOOLEAN), $prefixes (JSON list of code prefixes).

import type { Indicator, Level } from '../catalogue/types.ts';
import { narrowAbsent } from './base.ts';
import { ident, indent, num, str } from './sql.ts';

const OWN_KINDS = new Set(['measure', 'ratio']);

interface Entry {
  id: string;
  level: Level;
  src: 'own' | 'agg';
  /** the column group it reads (an alias reads its source's rollup) */
  col: string;
}

/** Every (indicator, level) row the long values relation has, and where it comes from. */
export function valueEntries(indicators: Indicator[]): Entry[] {
  const out: Entry[] = [];
  const comm = indicators.filter((i) => i.level === 'community');
  for (const i of comm) out.push({ id: i.id, level: 'community', src: 'own', col: ident(i.id) });
  for (const lv of ['street', 'district'] as const) {
    for (const i of indicators) {
      const d = i.definition;
      if (i.level === 'community' && OWN_KINDS.has(d.kind)) out.push({ id: i.id, level: lv, src: 'agg', col: ident(i.id) });
    }
    for (const i of indicators) {
      if (i.level !== lv) continue;
      const d = i.definition;
      if (OWN_KINDS.has(d.kind)) out.push({ id: i.id, level: lv, src: 'own', col: ident(i.id) });
      else if (d.kind === 'alias') out.push({ id: i.id, level: lv, src: 'agg', col: ident(d.of) });
      else if (d.kind === 'count_units') out.push({ id: i.id, level: lv, src: 'agg', col: ident(i.id) });
    }
  }
  return out;
}

/** Column lists of the wide values relation. */
function wideColumns(indicators: Indicator[]) {
  const comm = indicators.filter((i) => i.level === 'community' && OWN_KINDS.has(i.definition.kind));
  const higher = indicators.filter((i) => i.level !== 'community' && OWN_KINDS.has(i.definition.kind));
  const bands = indicators.filter((i) => i.definition.kind === 'count_units');
  return { comm, higher, bands };
}

/**
 * The rollup column expressions of the street rows (over community rows)
 * and of the district rows (over street rollup rows), in valr's order.
 * The full run groups only the rows rolled up; a refresh (compileRollupRows)
 * groups the unit's own row with them, so it passes `star`, the count of
 * the rolled-up rows (count(*) here), and `some`, which makes a count NULL
 * when no row is rolled up (as the full run's missing rollup row is).
 */
function rollupColumns(
  indicators: Indicator[],
  { star, some }: { star: string; some: (count: string) => string } = { star: 'count(*)', some: (c) => c },
): { stCols: string[]; diCols: string[] } {
  const { comm, bands } = wideColumns(indicators);
  const stCols: string[] = [];
  const diCols: string[] = [];
  for (const i of comm) {
    const d = i.definition;
    const id = ident(i.id);
    // a measure's numerator and denominator are always NULL (stage 1): so are their sums,
    // written as constants (a sum over NULLs is one more aggregate in the wide GROUP BY)
    const nd = d.kind !== 'measure';
    // Sums over reporting communities as CASE, not FILTER: ~90 distinct
    // aggregate filters made the one GROUP BY about 1.6x slower.
    const rep = (c: string) => (nd ? `sum(CASE WHEN v_${id} IS NOT NULL THEN ${c}_${id} END)` : 'NULL');
    const scale = d.kind === 'ratio' && d.scale ? d.scale : 1;
    const ratio = (n: string, dd: string) => (nd ? `${n} / nullif(${dd}, 0) * ${num(scale)}` : 'NULL');
    const v = i.rollup === 'sum' ? `sum(v_${id})` : i.rollup === 'mean' ? `avg(v_${id})` : ratio(rep('n'), rep('d'));
    stCols.push(`(${v})::DOUBLE AS v_${id}`, `(${rep('n')})::DOUBLE AS n_${id}`, `(${rep('d')})::DOUBLE AS d_${id}`);
    stCols.push(`${some(`count(v_${id})`)}::INTEGER AS r_${id}`, `${some(star)}::INTEGER AS u_${id}`, `(${i.rollup === 'mean' ? `sum(v_${id})` : 'NULL'})::DOUBLE AS s_${id}`);
    const dv = i.rollup === 'sum' ? `sum(v_${id})` : i.rollup === 'mean' ? `sum(s_${id}) / nullif(sum(r_${id}), 0)` : ratio(`sum(n_${id})`, `sum(d_${id})`);
    const dsum = (c: string) => (nd ? `sum(${c}_${id})` : 'NULL');
    diCols.push(`(${dv})::DOUBLE AS v_${id}`, `${dsum('n')}::DOUBLE AS n_${id}`, `${dsum('d')}::DOUBLE AS d_${id}`);
    diCols.push(`sum(r_${id})::INTEGER AS r_${id}`, `sum(u_${id})::INTEGER AS u_${id}`, `${i.rollup === 'mean' ? `sum(s_${id})` : 'NULL'}::DOUBLE AS s_${id}`);
  }
  for (const i of bands) {
    const d = i.definition;
    if (d.kind !== 'count_units') continue;
    const id = ident(i.id);
    const of = `v_${ident(d.of)}`;
    const conds = [d.from !== undefined ? `${of} >= ${num(d.from)}` : '', d.below !== undefined ? `${of} < ${num(d.below)}` : ''].filter(Boolean).join(' AND ');
    stCols.push(
      `(CASE WHEN count(${of}) > 0 THEN ${star} FILTER (WHERE ${conds || 'TRUE'}) END)::DOUBLE AS v_${id}`,
      `NULL::DOUBLE AS n_${id}`,
      `NULL::DOUBLE AS d_${id}`,
      `${some(`count(${of})`)}::INTEGER AS r_${id}`,
      `${some(star)}::INTEGER AS u_${id}`,
      `NULL::DOUBLE AS s_${id}`,
    );
    diCols.push(
      `(CASE WHEN sum(r_${id}) > 0 THEN coalesce(sum(v_${id}), 0) END)::DOUBLE AS v_${id}`,
      `NULL::DOUBLE AS n_${id}`,
      `NULL::DOUBLE AS d_${id}`,
      `sum(r_${id})::INTEGER AS r_${id}`,
      `sum(u_${id})::INTEGER AS u_${id}`,
      `NULL::DOUBLE AS s_${id}`,
    );
  }
  return { stCols, diCols };
}

/** The rollup value columns (v/n/d/r/u/s of each community indicator and band count) compileRollupRows writes. */
export function rollupValueColumns(indicators: Indicator[]): string[] {
  return rollupColumns(indicators).stCols.map((c) => c.slice(c.lastIndexOf(' AS ') + 4));
}

/**
 * The street/district rows of the wide values relation (the rollups of the
 * covered communities beside the units' own rows), from the wide stage-1
 * table. The community rows are the stage-1 rows themselves: see
 * valuesWideView. Two levels: a street rolls up its communities, a district
 * its streets' rollups (sums of sums, ratios of summed numerators and
 * denominators, means as summed s_ sums over summed counts, band counts
 * summed), so a refresh recomputes one street from its communities and the
 * district from its streets. `levels`: the rollup levels to compute;
 * `streets`: the street rollup rows the district level reads (default: the
 * ones computed here; a refresh passes the stored ones).
 */
export function compileValuesWide(
  indicators: Indicator[],
  baseWide: string,
  levels: ('street' | 'district')[] = ['street', 'district'],
  streets?: string,
): string {
  const B = ident(baseWide);
  const { comm, higher, bands } = wideColumns(indicators);
  const commCols = comm.flatMap((i) => [`v_${ident(i.id)}`, `n_${i.id}`, `d_${i.id}`]);
  const { stCols, diCols } = rollupColumns(indicators);
  const ownHigher = higher.flatMap((i) => [`o.v_${ident(i.id)}`, `o.n_${i.id}`, `o.d_${i.id}`]);
  const aggNames = [...comm, ...bands].flatMap((i) => ['v', 'n', 'd', 'r', 'u', 's'].map((p) => `a.${p}_${ident(i.id)}`));
  const streetRows = streets ? ident(streets) : 'st';
  const parts = [
    levels.includes('street') || !streets ? `st AS (
  SELECT left(org_unit, 9) AS org_unit, 'street' AS level, period, any_value(qidx) AS qidx,
${indent(stCols.join(',\n'), 4)}
  FROM cov GROUP BY 1, 2, 3
)` : '',
    levels.includes('district') ? `di AS (
  SELECT left(org_unit, 6) AS org_unit, 'district' AS level, period, any_value(qidx) AS qidx,
${indent(diCols.join(',\n'), 4)}
  FROM ${streetRows} GROUP BY 1, 2, 3
)` : '',
  ].filter(Boolean);
  const agg = [levels.includes('street') ? 'SELECT * FROM st' : '', levels.includes('district') ? 'SELECT * FROM di' : ''].filter(Boolean).join(' UNION ALL ');
  return `WITH pfx AS (SELECT unnest(from_json($prefixes::JSON, '["VARCHAR"]')) AS p),
cov AS (
  SELECT ${['org_unit', 'period', 'qidx', ...commCols].join(', ')} FROM ${B} b
  WHERE b.level = 'community' AND ($all_units OR EXISTS (SELECT 1 FROM pfx WHERE starts_with(b.org_unit, pfx.p)))
),
${parts.join(',\n')},
agg AS (${agg}),
own AS (
  SELECT b.* FROM ${B} b
  WHERE b.level <> 'community' AND ($all_units OR b.org_unit IN (SELECT org_unit FROM agg) OR EXISTS (SELECT 1 FROM pfx WHERE starts_with(b.org_unit, pfx.p)))
)
SELECT coalesce(o.org_unit, a.org_unit) AS org_unit, coalesce(o.level, a.level) AS level, coalesce(o.period, a.period) AS period,
  coalesce(o.qidx, a.qidx) AS qidx, o.area_type, o.org_unit IS NOT NULL AS has_own, a.org_unit IS NOT NULL AS has_agg,
  ${[...ownHigher, ...aggNames].join(', ')}
FROM own o FULL JOIN agg a ON a.org_unit = o.org_unit AND a.level = o.level AND a.period = o.period`;
}

/**
 * One street's or district's rows of the wide values table (valr), as
 * compileValuesWide computes them, for a refresh: the unit's own stage-1 rows
 * and the rows it rolls up (a street: its covered communities' stage-1 rows;
 * a district: its streets' stored rollup rows in `valr`) in one UNION ALL
 * grouped by quarter, so the few rows pass through one wide GROUP BY (a FULL
 * JOIN of the own and rollup rows, each ~250 columns wide, cost several
 * times as much: per-operator costs grow with the width, not the few rows).
 * The rollup columns are compileValuesWide's expressions counting only the
 * rolled-up rows (`ch`); the own columns are the own row's (max over one
 * row). `baseNarrow`: stage 1's narrow table (compileWide's narrow rows,
 * read directly: binding the wide view over it costs more than the rows).
 * `prefixTable`: the covered code prefixes (column p), null when the
 * plan covers every unit. Parameter: $code (the street or district).
 */
export function compileRollupRows(indicators: Indicator[], level: 'street' | 'district', baseNarrow: string, valr: string, prefixTable: string | null): string {
  const [B, R] = [ident(baseNarrow), ident(valr)];
  const { comm, higher, bands } = wideColumns(indicators);
  const { stCols, diCols } = rollupColumns(indicators, { star: 'count(ch)', some: (c) => `CASE WHEN count(ch) > 0 THEN ${c} END` });
  // the narrow stage-1 table lacks the always-NULL columns
  const absent = narrowAbsent(indicators);
  const read = (c: string) => (absent.has(c) ? `NULL::DOUBLE AS ${c}` : c);
  const ownCols = higher.flatMap((i) => ['v', 'n', 'd'].map((p) => `${p}_${ident(i.id)}`));
  // a plan covering every unit has no condition (an OR with a subquery costs a join over the wide rows)
  const pfx = prefixTable ? ident(prefixTable) : null;
  const covered = (c: string) => (pfx ? `EXISTS (SELECT 1 FROM ${pfx} p WHERE starts_with(${c}, p.p))` : 'TRUE');
  // only the columns the rollup expressions read (rollupColumns: a measure's n/d and a
  // non-mean's s are constants; a band's value is counted from its source's)
  const used = (i: Indicator, p: string) => {
    if (p === 'n' || p === 'd') return i.definition.kind === 'ratio';
    if (p === 's') return i.definition.kind !== 'count_units' && i.rollup === 'mean';
    return true;
  };
  const children =
    level === 'street'
      ? `SELECT qidx, period, FALSE AS own, 1 AS ch, ${comm.flatMap((i) => ['v', 'n', 'd'].filter((p) => used(i, p)).map((p) => read(`${p}_${ident(i.id)}`))).join(', ')}
  FROM ${B} b WHERE b.level = 'community' AND starts_with(b.org_unit, $code) AND ${covered('b.org_unit')}`
      : `SELECT qidx, period, FALSE AS own, 1 AS ch, ${[...comm, ...bands].flatMap((i) => ['v', 'n', 'd', 'r', 'u', 's'].filter((p) => used(i, p)).map((p) => `${p}_${ident(i.id)}`)).join(', ')}
  FROM ${R} r WHERE r.level = 'street' AND r.has_agg AND starts_with(r.org_unit, $code)`;
  // the own row counts when the plan covers the unit or the unit rolls up a covered row
  const anyChild =
    level === 'street'
      ? `SELECT 1 FROM ${B} c WHERE c.level = 'community' AND starts_with(c.org_unit, $code) AND ${covered('c.org_unit')}`
      : `SELECT 1 FROM ${R} c WHERE c.level = 'street' AND c.has_agg AND starts_with(c.org_unit, $code)`;
  return `WITH x AS (
  SELECT qidx, period, TRUE AS own, area_type${ownCols.map((c) => `, ${read(c)}`).join('')}
  FROM ${B} b WHERE b.org_unit = $code AND b.level = ${str(level)}${pfx ? ` AND (${covered('b.org_unit')} OR EXISTS (${anyChild}))` : ''}
  UNION ALL BY NAME
  ${children}
)
SELECT $code AS org_unit, ${str(level)} AS level, any_value(period) AS period, qidx, max(area_type) AS area_type,
  bool_or(own) AS has_own, count(ch) > 0 AS has_agg,
${indent([...ownCols.map((c) => `max(${c}) AS ${c}`), ...(level === 'street' ? stCols : diCols)].join(',\n'), 2)}
FROM x GROUP BY qidx`;
}

/**
 * The wide values relation (a view): one row per (org unit, level, period)
 * with a column group per indicator. Community rows are the covered
 * communities' stage-1 rows, read in place (not copied); street/district
 * rows come from `higherTable` (compileValuesWide). `prefixTable`: a table
 * of covered code prefixes (column p) when the plan does not cover every unit.
 */
export function valuesWideView(indicators: Indicator[], baseWide: string, higherTable: string, prefixTable: string | null): string {
  const B = ident(baseWide);
  const { comm, higher, bands } = wideColumns(indicators);
  const commRU = comm.flatMap((i) => [`NULL::INTEGER AS r_${ident(i.id)}`, `NULL::INTEGER AS u_${i.id}`]);
  const nullHigher = higher.flatMap((i) => ['v', 'n', 'd'].map((p) => `NULL::DOUBLE AS ${p}_${ident(i.id)}`));
  const nullBands = bands.flatMap((i) => ['v', 'n', 'd'].map((p) => `NULL::DOUBLE AS ${p}_${ident(i.id)}`).concat([`NULL::INTEGER AS r_${i.id}`, `NULL::INTEGER AS u_${i.id}`]));
  const covered = prefixTable ? ` AND EXISTS (SELECT 1 FROM ${ident(prefixTable)} pfx WHERE starts_with(b.org_unit, pfx.p))` : '';
  return `SELECT org_unit, level, period, qidx, area_type, TRUE AS has_own, FALSE AS has_agg,
  ${[...comm.flatMap((i) => [`v_${i.id}`, `n_${i.id}`, `d_${i.id}`]), ...commRU, ...nullHigher, ...nullBands].join(', ')}
FROM ${B} b WHERE b.level = 'community'${covered}
UNION ALL BY NAME
SELECT * FROM ${ident(higherTable)}`;
}

/**
 * A wide relation valuesLong reads at one level: a table, `consts` (SQL
 * constants, from our own code, standing for columns it lacks: a refresh's
 * uid, the row flags), `absent` (columns it lacks, read as NULL: the narrow
 * stage-1 table's always-NULL ones), `where` (an extra condition).
 */
export interface WideSource {
  table: string;
  consts?: Record<string, string>;
  absent?: Set<string>;
  where?: string;
}

/**
 * Long rows from the wide values table: (org_unit, level, period, area_type,
 * indicator, value, num, den, n_reporting, n_units[, band_value]) for the
 * given (indicator, level) entries. One UNPIVOT per (level, source), each
 * reading only its rows, so filters on period/level reach the wide table.
 * `band` names, per indicator id, the column group read as band_value;
 * `keys`: extra columns of the wide relation carried first (e.g. uid, qidx).
 * `wideTable` may name a relation per level (community rows from stage 1,
 * street/district rows from valr: see compile/keys.ts). `where`: an extra
 * condition on the wide rows read (e.g. a refresh's units).
 */
export function valuesLong(
  wideTable: string | Partial<Record<Level, string | WideSource>>,
  entries: Entry[],
  band?: Map<string, string | null>,
  keys: string[] = [],
  where?: string,
): string {
  const sourceOf = (level: Level): WideSource => {
    const t = typeof wideTable === 'string' ? wideTable : (wideTable[level] ?? '');
    return typeof t === 'string' ? { table: t } : t;
  };
  const parts: string[] = [];
  for (const level of ['community', 'street', 'district'] as const) {
    const source = sourceOf(level);
    const consts = source.consts ?? {};
    // a column of the relation: a constant, NULL when the table lacks it, else the column
    const colOf = (c: string) => (consts[c] !== undefined ? `${consts[c]} AS ${ident(c)}` : source.absent?.has(c) ? `NULL::DOUBLE AS ${ident(c)}` : ident(c));
    const extra = keys.map((k) => `${colOf(k)}, `).join('');
    const outer = keys.map((k) => `${ident(k)}, `).join('');
    const conds = [where, source.where].filter(Boolean).map((w) => ` AND ${w}`).join('');
    for (const src of ['own', 'agg'] as const) {
      const es = entries.filter((e) => e.level === level && e.src === src);
      if (!es.length) continue;
      const own = src === 'own';
      const flag = own ? 'has_own' : 'has_agg';
      const cols = (e: Entry) => {
        const c = e.col;
        const b = band ? (band.get(e.id) ? `v_${ident(band.get(e.id) as string)}` : 'nul_d') : undefined;
        return `(v_${c}, n_${c}, d_${c}${own ? '' : `, r_${c}, u_${c}`}${b ? `, ${b}` : ''}) AS ${str(e.id)}`;
      };
      const names = `value, num, den${own ? '' : ', n_reporting, n_units'}${band ? ', band_value' : ''}`;
      // only the columns the UNPIVOT reads (the wide relation has hundreds)
      const read = new Set<string>();
      for (const e of es) {
        for (const p of own ? ['v', 'n', 'd'] : ['v', 'n', 'd', 'r', 'u']) read.add(`${p}_${e.col}`);
        const bf = band?.get(e.id);
        if (bf) read.add(`v_${ident(bf)}`);
      }
      parts.push(`SELECT ${outer}org_unit, level, period, ${own ? 'area_type' : 'NULL::VARCHAR AS area_type'}, indicator, value, num, den,
  ${own ? '(value IS NOT NULL)::INTEGER AS n_reporting, 1 AS n_units' : 'n_reporting, n_units'}${band ? ', band_value' : ''}
FROM (SELECT ${extra}org_unit, level, period, ${own ? 'area_type, ' : ''}${[...read].map(colOf).join(', ')}, NULL::DOUBLE AS nul_d
  FROM ${ident(source.table)} WHERE level = ${str(level)} AND ${consts[flag] ?? flag}${conds})
UNPIVOT INCLUDE NULLS ((${names}) FOR indicator IN (
${indent(es.map(cols).join(',\n'), 2)}
))`);
    }
  }
  return parts.join('\nUNION ALL\n');
}
