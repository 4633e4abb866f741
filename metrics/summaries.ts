// Per-export roster summaries, persisted in the store: for every current
// export of a roster table, the aggregates stage 1 reads (the measure
// columns of compile/base.ts), one row per (plan-year start, export_id) in
// `metric_export_<table>`. Exports are immutable once imported (a newer
// export supersedes an older one, nothing is rewritten in place) and their
// ids only grow, so a summary never goes stale and a watermark per table and
// plan-year start (`metric_summary_marks`: the last export_id summarised)
// says what is new: each run aggregates only the exports above it (all of
// them the first time, one after a community's new export), and stage 1
// joins the summaries instead of scanning the rows. The importer is not
// involved: its hot path stays as it is; nor is a refresh (engine.ts
// refreshUnit aggregates its unit's new exports in its own statement,
// compileWide's summarisedTo, and leaves them to the next run).
//
// The tables are derived data, rebuilt when their definition changes: the
// registry `metric_summaries` (migration 3) keeps a signature of each
// table's compiled columns; a different catalogue drops and rebuilds it.
// An export without rows has no summary row: stage 1 reads it as zero
// counts, as it reads the rows.

import { createHash } from 'node:crypto';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../server/db/store.ts';
import type { Indicator, SourceTable } from './catalogue/types.ts';
import { exportAggColumns, exportAggSelect, PLAN_YEAR_KEY } from './compile/base.ts';
import { CALENDAR_SQL, quarterIndex } from './compile/calendar.ts';
import { ident, str } from './compile/sql.ts';

/** Prefix of the summary tables (compileWide's exportAggs). */
export const SUMMARY_PREFIX = 'metric_export_';

export interface SummaryUpdate {
  /** Exports summarised by this call, per table. */
  added: Record<string, number>;
  /** Tables (re)built from scratch because their definition changed or they did not exist. */
  rebuilt: string[];
  ms: number;
}

const summaryTable = (t: SourceTable) => ident(`${SUMMARY_PREFIX}${t}`);

/** Aggregates of the rows `d` of table t whose export satisfies `where`, over the calendar $first..$last. */
function aggSelect(t: SourceTable, cols: string[], where: string): string {
  return `WITH cal AS (
  ${CALENDAR_SQL}
)
${exportAggSelect(t, cols, where)}`;
}

/**
 * Bring the summaries of the catalogue's roster tables up to date for the
 * plan-year start ($ys_m, $ys_d in `params`): create (or rebuild) the
 * tables whose definition changed, then summarise the current exports above
 * each table's watermark.
 */
export async function updateSummaries(store: Store, cat: Indicator[], params: Record<string, DuckDBValue>): Promise<SummaryUpdate> {
  const t0 = performance.now();
  const out: SummaryUpdate = { added: {}, rebuilt: [], ms: 0 };
  const ys = { ys_m: params.ys_m, ys_d: params.ys_d };
  const defs = exportAggColumns(cat);
  // the registry, the store's tables and the watermarks, in one round trip (a refresh runs this too)
  const state = await store.all<{ k: string; name: string; v: string | null }>(
    `SELECT 'registry' AS k, table_name AS name, signature AS v FROM metric_summaries
     UNION ALL SELECT 'table', table_name, NULL FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary
     UNION ALL SELECT 'mark', table_name, last_export_id::VARCHAR FROM metric_summary_marks WHERE ys = ${PLAN_YEAR_KEY}`,
    ys,
  );
  const registry = new Map(state.filter((r) => r.k === 'registry').map((r) => [r.name, r.v]));
  const existing = new Set(state.filter((r) => r.k === 'table').map((r) => r.name));
  const marks = new Map(state.filter((r) => r.k === 'mark').map((r) => [r.name, Number(r.v)]));
  for (const { table: t, cols } of defs) {
    const S = summaryTable(t);
    const signature = createHash('sha256').update(JSON.stringify(cols)).digest('hex').slice(0, 32);
    if (registry.get(S) === signature && existing.has(S)) continue;
    await store.run(`DROP TABLE IF EXISTS ${S}`);
    await store.run(`CREATE TABLE ${S} AS ${aggSelect(t, cols, 'FALSE')}`, { first: 0, last: 0, ...ys });
    await store.run(`DELETE FROM metric_summary_marks WHERE table_name = $1`, [t]);
    await store.run(`INSERT OR REPLACE INTO metric_summaries VALUES ($1, $2, now())`, [S, signature]);
    marks.delete(t);
    out.rebuilt.push(t);
  }
  // current exports above each table's watermark (ids only grow: the scan reads the tail of exports)
  const mark = (t: string) => marks.get(t) ?? -1;
  const floor = Math.min(...defs.map((d) => mark(d.table)));
  const cases = defs.map((d) => `WHEN ${str(d.table)} THEN ${mark(d.table)}`).join(' ');
  const fresh = await store.all<{ t: SourceTable; n: number; lo: number; hi: number; plo: string; phi: string; top: number }>(
    `SELECT table_name AS t, count(*) FILTER (WHERE superseded_by IS NULL)::INTEGER AS n,
       min(export_id) FILTER (WHERE superseded_by IS NULL) AS lo, max(export_id) FILTER (WHERE superseded_by IS NULL) AS hi,
       min(period) FILTER (WHERE superseded_by IS NULL) AS plo, max(period) FILTER (WHERE superseded_by IS NULL) AS phi, max(export_id) AS top
     FROM exports WHERE export_id > $floor::INTEGER AND export_id > CASE table_name ${cases} ELSE 2147483647 END
     GROUP BY table_name`,
    { floor },
  );
  // a table without any export so far has no watermark, which would keep every later scan at
  // the start of exports (floor -1): it is marked summarised up to the last export id this scan
  // saw (it saw every export: floor -1; ids only grow), once
  const unmarked = defs.filter((d) => !marks.has(d.table) && !fresh.some((f) => f.t === d.table)).map((d) => d.table);
  const seen = Math.max(-1, ...fresh.map((f) => Number(f.top)), ...marks.values());
  if (unmarked.length && seen >= 0) {
    const rows = unmarked.map((t) => `(${str(t)}, ${PLAN_YEAR_KEY}, $seen::INTEGER)`).join(', ');
    await store.run(`INSERT OR REPLACE INTO metric_summary_marks VALUES ${rows}`, { seen, ...ys });
  }
  for (const f of fresh) {
    const S = summaryTable(f.t);
    const cols = defs.find((d) => d.table === f.t)?.cols ?? [];
    if (f.n > 0) {
      // the id range lets the scan skip the row groups of older exports
      await store.run(
        `INSERT INTO ${S} ${aggSelect(
          f.t,
          cols,
          `d.export_id BETWEEN $lo::INTEGER AND $hi::INTEGER AND d.export_id IN (SELECT export_id FROM exports WHERE export_id BETWEEN $lo::INTEGER AND $hi::INTEGER AND table_name = ${str(f.t)} AND superseded_by IS NULL)`,
        )}`,
        { first: quarterIndex(f.plo), last: quarterIndex(f.phi), lo: f.lo, hi: f.hi, ...ys },
      );
      // summaries of the exports these supersede are never read again
      await store.run(
        `DELETE FROM ${S} WHERE export_id IN (SELECT export_id FROM exports WHERE table_name = ${str(f.t)} AND superseded_by BETWEEN $lo::INTEGER AND $hi::INTEGER)`,
        { lo: f.lo, hi: f.hi },
      );
    }
    await store.run(`INSERT OR REPLACE INTO metric_summary_marks VALUES ($t, ${PLAN_YEAR_KEY}, $top::INTEGER)`, { t: f.t, top: f.top, ...ys });
    out.added[f.t] = f.n;
  }
  out.ms = performance.now() - t0;
  return out;
}
