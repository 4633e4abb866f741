// Runs the compiled pipeline for one plan over the whole store: calendar,
// stage-1 values of every unit and period, rollups, scored indicators,
// scores and progress, each a TEMP table or view of the store's connection.
// The only store tables written are the per-export roster summaries
// (summaries.ts: derived, brought up to date at the start of each run).
// Callers read the tables, then drop().

import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../server/db/store.ts';
import { CATALOGUE } from './catalogue/index.ts';
import type { Indicator, SourceTable } from './catalogue/types.ts';
import { affectedIndicators } from './compile/affected.ts';
import { compileWide, narrowAbsent, narrowValueColumns, wideFromNarrow } from './compile/base.ts';
import { asOf, CALENDAR_SQL, periodOf, periodOfDate, quarterIndex } from './compile/calendar.ts';
import { compileNewUnits, compilePlanPhases, compileUnitParents, compileUnits, keyedCommunityView, keyedHigherView, PLAN_INDICATORS_SQL, progressView, scoredView } from './compile/keys.ts';
import { compileRollupRows, compileValuesWide, rollupValueColumns, valueEntries, valuesLong, valuesWideView, type WideSource } from './compile/wide.ts';
import { type PlanParams, planParams } from './plans/params.ts';
import type { Plan } from './plans/schema.ts';
import { compileProgress } from './progress/progress.ts';
import { compileScoredAgg, compileScoredOwn, compileScores, compileStreetPartials, compileUnitScores } from './score/scored.ts';
import { SUMMARY_PREFIX, type SummaryUpdate, updateSummaries } from './summaries.ts';

let counter = 0;
/** Run.tables entries that are views (dropped first: they read the tables). */
const VIEWS = ['values', 'pv', 'valw', 'kc', 'kh', 'scored', 'progress', 'base'] as const;

export interface Run {
  plan: Plan;
  params: PlanParams;
  /**
   * basen: stage 1's wide rows without the always-NULL columns (a table),
   * base: all of them (a view); valr: the street/district wide values (a table); valw: the wide values
   * view (stage-1 community rows + valr); values: long view over it (every
   * indicator); pv: the plan's indicators, long (a view); pfx: the covered
   * code prefixes when the plan does not cover every unit. units, pi, ph:
   * the integer keys (compile/keys.ts); kc, kh: the community and the
   * street/district wide rows with the unit's uid (views); sc and
   * pg: the narrow scored and progress rows, read through the scored and
   * progress views; sp: the street partials of the street/district
   * aggregates in sc (score/scored.ts).
   */
  tables: {
    cal: string;
    basen: string;
    base: string;
    valr: string;
    pfx: string;
    valw: string;
    values: string;
    pv: string;
    units: string;
    pi: string;
    ph: string;
    kc: string;
    kh: string;
    sc: string;
    sp: string;
    scored: string;
    scores: string;
    pg: string;
    progress: string;
  };
  first: number;
  last: number;
  /** The one report period of the run's progress (every phase), or null: every period, each at its current phase. */
  reportPeriod: string | null;
  /** The highest export id the run read, every current export up to it summarised: exports above it are new to it (refreshUnit). */
  exportMark: number;
  timings: Record<string, number>;
  catalogue: Indicator[];
  /** What the run did to the persisted per-export summaries (summaries.ts). */
  summaries: SummaryUpdate;
  drop(): Promise<void>;
}

/** Bind only the parameters a statement names. */
export function bind(sql: string, all: Record<string, DuckDBValue>): Record<string, DuckDBValue> {
  const out: Record<string, DuckDBValue> = {};
  for (const m of sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)) if (m[1] in all) out[m[1]] = all[m[1]];
  return out;
}

/** The session variable (a struct) a refresh's values are read from: see refreshUnit. */
export const REFRESH_VARIABLE = 'metrics_refresh';

/**
 * `sql` with each parameter `$p` named in `fields` read from the struct
 * variable `variable` instead (`getvariable(...).field`). DuckDB reads a
 * variable while binding, as a constant (filters on it still reach the
 * scans), so the statement is bound and planned once; a statement with
 * parameters is bound twice (prepared without their values, which for a plan
 * over tables stops before optimising, then bound and planned again when
 * executed with them). `fields` are names from the code, never user text.
 */
export function readVariable(sql: string, variable: string, fields: Record<string, string>): string {
  return sql.replace(/\$([a-z_][a-z0-9_]*)/g, (m, p: string) => (p in fields ? `getvariable('${variable}').${fields[p]}` : m));
}

export async function calendarRange(store: Store, plan: Plan, extra: string[] = []): Promise<{ first: number; last: number; exportMark: number }> {
  const r = await store.one<{ lo: string | null; hi: string | null; mark: number | null }>(
    `SELECT min(period) AS lo, max(period) AS hi, max(export_id)::BIGINT AS mark FROM exports`,
  );
  const qs = [quarterIndex(periodOfDate(plan.start)) - 1, quarterIndex(periodOfDate(plan.end)), ...extra.map(quarterIndex)];
  if (r?.lo) qs.push(quarterIndex(r.lo));
  if (r?.hi) qs.push(quarterIndex(r.hi));
  return { first: Math.min(...qs), last: Math.max(...qs), exportMark: Number(r?.mark ?? -1) };
}

/**
 * Whether progress has (report period, phase) pairs evaluated at an earlier
 * quarter than the report period: always for one report period; in a full
 * run, a period after the end of its current phase (the rule of
 * progress.ts's cp: the phase containing the as-of date, else the first
 * before plan start, else the last).
 */
export function hasLaterPairs(plan: Plan, first: number, last: number, reportPeriod?: string): boolean {
  if (reportPeriod || plan.phases.length === 0) return true;
  const starts = plan.phases.map((p) => p.start).sort();
  for (let q = first; q <= last; q++) {
    const d = asOf(periodOf(q));
    let k = plan.phases.findIndex((p) => p.start <= d && d <= p.end);
    if (k < 0) k = d < starts[0] ? 0 : plan.phases.length - 1;
    if (quarterIndex(periodOfDate(plan.phases[k].end)) < q) return true;
  }
  return false;
}

/**
 * The intermediate tables are sets (every reader orders or joins): writing
 * them without keeping the insertion order lets DuckDB's threads append in
 * parallel (about a third off each CREATE TABLE AS). Returns the undo.
 */
async function unordered(store: Store): Promise<() => Promise<void>> {
  const r = await store.one<{ v: boolean }>(`SELECT current_setting('preserve_insertion_order') AS v`);
  if (r?.v === false) return async () => {};
  await store.run(`SET preserve_insertion_order = false`);
  return () => store.run(`SET preserve_insertion_order = true`);
}

/** The quarters in which the plan's phases but the last end (progress's prev_end_qidx values, plans/params.ts). */
function phaseEnds(plan: Plan): number[] {
  return plan.phases.slice(0, -1).map((p) => quarterIndex(periodOfDate(p.end)));
}

/** Number of distinct dimensions of the plan's indicators (the scores' column groups). */
function planDims(pp: PlanParams): number {
  return new Set((JSON.parse(pp.pi) as { dimension: string }[]).map((p) => p.dimension)).size;
}

export interface RunOptions {
  /** Progress only for this period (default: every period). */
  reportPeriod?: string;
  catalogue?: Indicator[];
}

/** The plan's indicators as long value rows, each with its band field's value. */
function planEntries(cat: Indicator[], plan: Plan) {
  const ids = new Set(plan.indicators.map((i) => i.id));
  const band = new Map(plan.indicators.map((i) => [i.id, i.target.by_band?.field ?? null]));
  return { entries: valueEntries(cat).filter((e) => ids.has(e.id)), band };
}

function baseParams(run: { first: number; last: number; plan: Plan }, pp: PlanParams, reportPeriod?: string): Record<string, DuckDBValue> {
  const [, ysm, ysd] = run.plan.start.split('-').map(Number);
  return { first: run.first, last: run.last, ys_m: ysm, ys_d: ysd, ...pp, report_qidx: reportPeriod ? quarterIndex(reportPeriod) : null };
}

export async function runPlan(store: Store, plan: Plan, opts: RunOptions = {}): Promise<Run> {
  const n = ++counter;
  const t = (s: string) => `mx${n}_${s}`;
  const tables = {
    cal: t('cal'),
    basen: t('basen'),
    base: t('base'),
    valr: t('valr'),
    pfx: t('pfx'),
    valw: t('valw'),
    values: t('values'),
    pv: t('pv'),
    units: t('units'),
    pi: t('pi'),
    ph: t('ph'),
    kc: t('kc'),
    kh: t('kh'),
    sc: t('sc'),
    sp: t('sp'),
    scored: t('scored'),
    scores: t('scores'),
    pg: t('pg'),
    progress: t('progress'),
  };
  const { first, last, exportMark } = await calendarRange(store, plan, opts.reportPeriod ? [opts.reportPeriod] : []);
  const pp = planParams(plan);
  const params = baseParams({ first, last, plan }, pp, opts.reportPeriod);
  const cat = opts.catalogue ?? CATALOGUE;
  const { entries, band } = planEntries(cat, plan);
  const T = tables;
  const keys = { units: T.units, pi: T.pi, cal: T.cal, ph: T.ph };
  const allUnits = plan.units === 'all';
  const steps: [string, string, string?][] = [
    [T.basen, compileWide(cat, { exportAggs: SUMMARY_PREFIX, seed: cat, narrow: true })],
    [T.base, wideFromNarrow(cat, T.basen), 'VIEW'],
    [T.valr, compileValuesWide(cat, T.base)],
    ...(allUnits ? [] : [[T.pfx, `SELECT unnest(from_json($prefixes::JSON, '["VARCHAR"]')) AS p`] as [string, string]]),
    [T.valw, valuesWideView(cat, T.base, T.valr, allUnits ? null : T.pfx), 'VIEW'],
    [T.values, valuesLong(T.valw, valueEntries(cat)), 'VIEW'],
    [T.pv, valuesLong(T.valw, entries, band), 'VIEW'],
    [T.units, compileUnits(T.base, T.valr, allUnits ? null : T.pfx)],
    [T.pi, PLAN_INDICATORS_SQL],
    [T.ph, compilePlanPhases(T.pi)],
    [T.kc, keyedCommunityView(T.base, T.units), 'VIEW'],
    [T.kh, keyedHigherView(T.valr, T.units), 'VIEW'],
    [T.sc, compileScoredOwn(`(${valuesLong({ community: T.kc, street: T.kh, district: T.kh }, entries, band, ['uid', 'qidx'])})`, keys)],
    [T.sp, compileStreetPartials(T.sc, keys)],
    [T.sc, compileScoredAgg(T.sp, rollupValues(T, cat, entries)), 'INSERT'],
    [T.scored, scoredView(T.sc, T.units, T.cal, T.pi), 'VIEW'],
    [T.scores, compileScores(T.sc, keys, planDims(pp))],
    [T.pg, compileProgress(T.sc, keys, { laterPairs: hasLaterPairs(plan, first, last, opts.reportPeriod), phaseEnds: phaseEnds(plan) })],
    [T.progress, progressView(T.pg, T.units, T.cal, T.pi, T.ph), 'VIEW'],
  ];
  const timings: Record<string, number> = {};
  const restore = await unordered(store);
  let summaries: SummaryUpdate;
  try {
    let t0 = performance.now();
    await store.run(`CREATE OR REPLACE TEMP TABLE ${T.cal} AS ${CALENDAR_SQL}`, bind(CALENDAR_SQL, params));
    timings.cal = performance.now() - t0;
    // the per-export roster summaries stage 1 reads (persisted; only exports not yet summarised are aggregated)
    summaries = await updateSummaries(store, cat, params);
    timings.summaries = summaries.ms;
    for (const [name, sql, kind] of steps) {
      t0 = performance.now();
      if (kind === 'INSERT') await store.run(`INSERT INTO ${name} ${sql}`, bind(sql, params));
      else await store.run(`CREATE OR REPLACE TEMP ${kind ?? 'TABLE'} ${name} AS ${sql}`, bind(sql, params));
      const key = name.replace(/^mx\d+_/, '') + (kind === 'INSERT' ? '_agg' : '');
      timings[key] = (timings[key] ?? 0) + performance.now() - t0;
    }
  } finally {
    await restore();
  }
  return {
    plan,
    params: pp,
    tables,
    first,
    last,
    reportPeriod: opts.reportPeriod ?? null,
    exportMark,
    timings,
    catalogue: cat,
    summaries,
    async drop() {
      for (const name of VIEWS.map((k) => tables[k])) await store.run(`DROP VIEW IF EXISTS ${name}`);
      for (const [k, name] of Object.entries(tables)) if (!(VIEWS as readonly string[]).includes(k)) await store.run(`DROP TABLE IF EXISTS ${name}`);
    },
  };
}

/**
 * The long values (the `values` view's columns) of the units whose org_unit
 * satisfies `where` (SQL over our own parameters), read from the run's
 * tables: the community rows from basen, the street/district rows from
 * valr. The `values` view reads the same rows through the wide view, whose
 * UNION BY NAME of ~700 columns costs ~100 ms to bind at every statement.
 */
export function unitValuesSql(run: Run, where: string): string {
  const T = run.tables;
  const cat = run.catalogue;
  const covered = run.plan.units === 'all' ? '' : ` AND EXISTS (SELECT 1 FROM ${T.pfx} pfx WHERE starts_with(org_unit, pfx.p))`;
  const community: WideSource = { table: T.basen, absent: narrowAbsent(cat), consts: { has_own: 'TRUE', has_agg: 'FALSE' }, where: `${where}${covered}` };
  return valuesLong({ community, street: { table: T.valr, where }, district: { table: T.valr, where } }, valueEntries(cat));
}

/**
 * The progress rows of the report periods `periods` at every phase, of the
 * units with uids `uids` (the progress view's columns), computed from the
 * run's scored rows in one statement: what a run with such a reportPeriod
 * holds, for a run that does not (a full run holds each period's current
 * phase only). The SQL and its parameters; the uids and quarter indexes are
 * integers from the run's own tables and the calendar.
 */
export function periodProgressSql(run: Run, periods: string[], uids: number[]): { sql: string; params: Record<string, DuckDBValue> } {
  const T = run.tables;
  const pg = `${T.pg}_at`;
  const scope = `list_contains([${uids.map((u) => String(Math.trunc(u))).join(', ')}]::INTEGER[], s.uid)`;
  const opts = { laterPairs: true, phaseEnds: phaseEnds(run.plan), scope, reportQidxs: periods.map(quarterIndex) };
  const sql = `WITH ${pg} AS (${compileProgress(T.sc, { units: T.units, pi: T.pi, cal: T.cal, ph: T.ph }, opts)})
${progressView(pg, T.units, T.cal, T.pi, T.ph)}`;
  return { sql, params: bind(sql, baseParams(run, run.params)) };
}

/**
 * The street/district rollup values of the plan's community indicators,
 * (uid, qidx, ix, value), from valr alone (a few thousand rows), optionally
 * only its rows satisfying `where`.
 */
function rollupValues(
  T: Run['tables'],
  cat: Indicator[],
  entries: ReturnType<typeof planEntries>['entries'],
  sources?: { street: WideSource; district: WideSource },
): string {
  const comm = new Set(cat.filter((i) => i.level === 'community').map((i) => i.id));
  const es = entries.filter((e) => e.level !== 'community' && e.src === 'agg' && comm.has(e.id));
  const P = `JOIN ${T.pi} p ON p.indicator = v.indicator AND p.level = 'community'`;
  // a refresh's sources carry the uid (no join with units)
  if (sources) return `(SELECT v.uid, v.qidx, p.ix, v.value FROM (${valuesLong(sources, es, undefined, ['uid', 'qidx'])}) v ${P})`;
  return `(SELECT u.uid, v.qidx, p.ix, v.value FROM (${valuesLong(T.valr, es, undefined, ['qidx'])}) v
  JOIN ${T.units} u ON u.org_unit = v.org_unit AND u.level = v.level ${P})`;
}

/**
 * Recompute after one community's new export: its wide stage-1 rows, then
 * only the rows that depend on them: its street's and district's wide values
 * (one statement each: the street from its communities' stage-1 rows, the
 * district from its streets' stored rollup rows; compileRollupRows), scored
 * rows (the three units' own rows, the street's partials from its
 * communities' stored rows, the street's and district's aggregates from the
 * partials), scores and progress. Every other unit's rows stay as they are.
 * Narrow when it can be: the unit's exports new to the run (ids above
 * run.exportMark) name the source tables they wrote, and only the indicators
 * those can change (compile/affected.ts) are recomputed: their columns of
 * the three units' wide rows updated in place, their scored and progress
 * rows replaced (a roster export rescored 2 of the plan's indicators, not
 * all: statements about a quarter as wide, the refresh ~40% faster); the
 * whole path otherwise (a profile export, a unit new to the run). The
 * unit's new exports are aggregated from their rows in its stage-1
 * statement, not added to the store's summaries: the refresh writes only
 * the run's TEMP tables (the next full run summarises them). One
 * transaction: a failure leaves the run as it was. No DDL: a few small
 * set-based statements. The codes (and the run's values) are bound as
 * parameters of one SET VARIABLE and the statements read them from that
 * variable (readVariable: bound and planned once each, not twice); the
 * integer uids, read from the units table, are inlined. The caller must not
 * hold a transaction open.
 */
export async function refreshUnit(store: Store, run: Run, orgUnit: string, opts: RunOptions & { timings?: Record<string, number> } = {}): Promise<number> {
  if (!/^\d{12}$/.test(orgUnit)) throw new Error(`refreshUnit needs a 12-digit community code, got ${orgUnit}`);
  const t0 = performance.now();
  // Its statements are small and planned once each: two optimizer passes that look for
  // repeated expressions and subplans cost more than they save here (same-run A/B at
  // province scale, 20 alternating refreshes: median 347 -> 317 ms on a loaded store).
  await store.run(`SET disabled_optimizers = 'common_subexpressions,common_subplan'`);
  try {
    await store.inTransaction(() => refreshBody(store, run, orgUnit, opts));
  } finally {
    await store.run(`RESET VARIABLE ${REFRESH_VARIABLE}`);
    await store.run('RESET disabled_optimizers');
  }
  return performance.now() - t0;
}

async function refreshBody(store: Store, run: Run, orgUnit: string, opts: RunOptions & { timings?: Record<string, number> }): Promise<void> {
  const params: Record<string, DuckDBValue> = {
    ...baseParams(run, run.params, opts.reportPeriod),
    unit: orgUnit,
    street: orgUnit.slice(0, 9),
    district: orgUnit.slice(0, 6),
  };
  const cat = opts.catalogue ?? run.catalogue;
  const T = run.tables;
  const keys = { units: T.units, pi: T.pi, cal: T.cal, ph: T.ph };
  const { entries, band } = planEntries(cat, run.plan);
  // opts.timings: ms per statement, keyed by its verb and table (a repeated key gets #2, #3)
  const timed = async <R>(label: string, f: () => Promise<R>): Promise<R> => {
    const t = performance.now();
    const out = await f();
    if (opts.timings) {
      let key = label;
      for (let k = 2; key in opts.timings; k++) key = `${label}#${k}`;
      opts.timings[key] = performance.now() - t;
    }
    return out;
  };
  const labelOf = (sql: string) => {
    const m = /^(DELETE FROM|INSERT INTO|UPDATE) (?:mx\d+_)?(\w+)/.exec(sql);
    return m ? `${m[1].split(' ')[0].toLowerCase()} ${m[2]}` : 'other';
  };
  // the statements read the values from one struct variable, set once with them bound as
  // parameters (readVariable: each statement is then bound and planned once, not twice);
  // `alias` maps a statement's own parameter name to a field (the rollups' $code)
  const fields = Object.fromEntries(Object.keys(params).map((k) => [k, k]));
  const exec = (sql: string, alias: Record<string, string> = {}) =>
    timed(labelOf(sql), () => store.run(readVariable(sql, REFRESH_VARIABLE, { ...fields, ...alias })));
  const codes = '$unit, $street, $district';
  const sqlInt = (v: number | null | undefined) => (v === null || v === undefined ? 'NULL' : String(Math.trunc(Number(v))));
  await timed('variable', () => store.run(`SET VARIABLE ${REFRESH_VARIABLE} = {${Object.keys(params).map((k) => `'${k}': $${k}`).join(', ')}}`, params));
  type U = { uid: number; level: string; st_uid: number | null; di_uid: number | null };
  // what the unit's exports new to the run wrote, and whether the run holds every row a narrow refresh updates
  const nq = run.last - run.first + 1;
  const scope = await timed('scope', () =>
    store.one<{ tables: SourceTable[] | null; own: number; st: number; di: number; units: U[] | null; peers: number[] | null }>(
      readVariable(
        `SELECT (SELECT list(DISTINCT table_name) FROM exports WHERE org_unit = $unit AND export_id > ${sqlInt(run.exportMark)}) AS tables,
  (SELECT count(*) FROM ${T.basen} WHERE org_unit = $unit AND level = 'community')::INTEGER AS own,
  h.st, h.di, k.units, k.peers
FROM (SELECT count(*) FILTER (WHERE org_unit = $street AND level = 'street')::INTEGER AS st,
    count(*) FILTER (WHERE org_unit = $district AND level = 'district')::INTEGER AS di
  FROM ${T.valr} WHERE org_unit IN ($street, $district)) h,
  (SELECT list({'uid': u.uid, 'level': u.level, 'st_uid': u.st_uid, 'di_uid': u.di_uid}) FILTER (WHERE u.org_unit IN (${codes})) AS units,
    list(u.uid) FILTER (WHERE c.uid IS NOT NULL AND u.level = 'community' AND u.st_uid IS NOT DISTINCT FROM c.st_uid AND u.di_uid IS NOT DISTINCT FROM c.di_uid) AS peers
  FROM ${T.units} u LEFT JOIN (SELECT uid, st_uid, di_uid FROM ${T.units} WHERE org_unit = $unit AND level = 'community') c ON TRUE) k`,
        REFRESH_VARIABLE,
        fields,
      ),
    ),
  );
  const changed = scope?.tables ?? [];
  // narrow: only the indicators those tables can change (compile/affected.ts), updated in place,
  // when the run holds all the rows to update and the profile is not among the tables (it also
  // gives the unit's area type, which every by-area target reads: the whole path recomputes those)
  const complete = scope?.own === nq && scope.st === nq && scope.di === nq && scope.units?.length === 3;
  const affected = changed.length > 0 && !changed.includes('profile') && complete ? affectedIndicators(cat, changed, band) : null;
  const pfx = run.plan.units === 'all' ? null : T.pfx;
  // stage 1 of the unit: its exports' summaries as the run read them, and those of its exports new to
  // the run aggregated from their rows in the same statement (not written to the store's summary
  // tables: the refresh writes no persisted table, so its commit writes nothing to the WAL; the next
  // full run summarises them)
  const unitWide = { scoped: true, exportAggs: SUMMARY_PREFIX, seed: cat, narrow: true, summarisedTo: run.exportMark };
  if (affected) {
    // stage 1: the unit's rows, the affected columns only
    const subW = cat.filter((i) => affected.has(i.id) && i.level === 'community');
    const wcols = narrowValueColumns(subW);
    // `table`'s columns `cols` set from the rows of `rows` with the same `keys`
    const update = (table: string, cols: string[], rows: string, keys: string[], alias: Record<string, string> = {}) =>
      exec(`UPDATE ${table} SET ${cols.map((c) => `${c} = s.${c}`).join(', ')}
FROM (${rows}) s
WHERE ${keys.map((k) => `${table}.${k} = s.${k}`).join(' AND ')}`, alias);
    if (wcols.length) await update(T.basen, wcols, compileWide(subW, unitWide), ['org_unit', 'qidx']);
    // stage 2: the street's and then the district's rollups of those (and the band counts over them)
    const subR = cat.filter((i) => affected.has(i.id) && (i.level === 'community' || i.definition.kind === 'count_units'));
    const rcols = rollupValueColumns(subR);
    for (const level of rcols.length ? (['street', 'district'] as const) : []) {
      await update(T.valr, rcols, compileRollupRows(subR, level, T.basen, T.valr, pfx), ['org_unit', 'level', 'qidx'], { code: level });
    }
  } else {
    await exec(`DELETE FROM ${T.basen} WHERE org_unit = $unit`);
    await exec(`INSERT INTO ${T.basen} ${compileWide(cat, unitWide)}`);
    // stage 2: the street's wide values from its communities, then the district's from its streets
    await exec(`DELETE FROM ${T.valr} WHERE org_unit IN ($street, $district)`);
    await exec(`INSERT INTO ${T.valr} BY NAME ${compileRollupRows(cat, 'street', T.basen, T.valr, pfx)}`, { code: 'street' });
    await exec(`INSERT INTO ${T.valr} BY NAME ${compileRollupRows(cat, 'district', T.basen, T.valr, pfx)}`, { code: 'district' });
  }
  // the plan's indicators to rescore: the affected ones (their plan ix), else all
  const planned = affected ? entries.filter((e) => affected.has(e.id)) : entries;
  if (planned.length === 0) return;
  const ixs = affected ? (JSON.parse(run.params.pi) as { ix: number; indicator: string }[]).filter((p) => affected.has(p.indicator)).map((p) => sqlInt(p.ix)) : null;
  const ixIn = (p: string) => (ixs ? ` AND ${p}ix IN (${ixs.join(', ') || 'NULL'})` : '');
  // the three units (read with the scope); a unit new to the run gets a uid (and the communities
  // their street's and district's), and they are read again
  let units = scope?.units ?? [];
  const known = units.length === 3;
  if (!known) {
    const sql = `INSERT INTO ${T.units} ${compileNewUnits(T.valw, T.units, codes)}`;
    if ((await store.exec(sql, bind(sql, params))) > 0) await store.run(compileUnitParents(T.units));
    units = await timed('units', () => store.all<U>(`SELECT uid, level, st_uid, di_uid FROM ${T.units} WHERE org_unit IN (${codes})`, bind(codes, params)));
  }
  const unitAt = (level: string) => units.find((r) => r.level === level);
  // the three units' rows: their uids lie far apart (a district's first, its community's among
  // the last), and DuckDB reads an IN list's min..max range in full before filtering, whereas a
  // list_contains is tested on the uid column alone (about half the time on sc and pg)
  const mine = (p = '') => `list_contains([${units.map((r) => sqlInt(r.uid)).join(', ')}]::INTEGER[], ${p}uid)`;
  // scored: the three units' own rows (a street/district's own indicators include aliases and
  // band counts of its communities), the partials of the community's street, then the
  // street's and district's aggregates from the partials
  await exec(`DELETE FROM ${T.sc} WHERE ${mine()}${ixIn('')}`);
  // the three units' wide rows read from the tables (not the kc/kh views: binding their hundreds of
  // columns, once per UNPIVOT, cost more than the rows), each with its uid as a constant
  const src = (table: string, level: string, code: string, absent?: Set<string>): WideSource => {
    const u = unitAt(level);
    return { table, absent, consts: { uid: sqlInt(u?.uid) }, where: u ? `org_unit = ${code}` : 'FALSE' };
  };
  const flags = { has_own: 'TRUE', has_agg: 'FALSE' };
  const community = src(T.basen, 'community', '$unit', narrowAbsent(cat));
  community.consts = { ...community.consts, ...flags };
  const higher = { street: src(T.valr, 'street', '$street'), district: src(T.valr, 'district', '$district') };
  const pvMine = valuesLong({ community, ...higher }, planned, band, ['uid', 'qidx']);
  await exec(`INSERT INTO ${T.sc} ${compileScoredOwn(`(${pvMine})`, keys)}`);
  const c = unitAt('community');
  if (c) {
    const group = (p: string) => `${p}st_uid IS NOT DISTINCT FROM ${sqlInt(c.st_uid)} AND ${p}di_uid IS NOT DISTINCT FROM ${sqlInt(c.di_uid)}`;
    await exec(`DELETE FROM ${T.sp} WHERE ${group('')}${ixIn('')}`);
    // the street's communities by uid too (contiguous in code order: the scan reads their range, not all of sc)
    const peers = known && scope?.peers?.length ? ` AND s.uid IN (${scope.peers.map(sqlInt).join(', ')})` : '';
    await exec(`INSERT INTO ${T.sp} ${compileStreetPartials(T.sc, keys, group('u.') + ixIn('s.') + peers)}`);
  }
  const aggScope = { street: `st_uid = ${sqlInt(unitAt('street')?.uid)}${ixIn('')}`, district: `di_uid = ${sqlInt(unitAt('district')?.uid)}${ixIn('')}` };
  await exec(`INSERT INTO ${T.sc} ${compileScoredAgg(T.sp, rollupValues(T, cat, planned, higher), aggScope)}`);
  // scores (every indicator's rows) and progress (the rescored indicators') of the three units
  await exec(`DELETE FROM ${T.scores} WHERE org_unit IN (${codes})`);
  await exec(`INSERT INTO ${T.scores} ${compileUnitScores(T.sc, keys, mine('s.'))}`);
  await exec(`DELETE FROM ${T.pg} WHERE ${mine()}${ixIn('')}`);
  await exec(`INSERT INTO ${T.pg} ${compileProgress(T.sc, keys, {
      laterPairs: hasLaterPairs(run.plan, run.first, run.last, opts.reportPeriod),
      phaseEnds: phaseEnds(run.plan),
      scope: mine('s.') + ixIn('s.'),
    })}`);
}
