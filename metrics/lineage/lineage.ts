// Lineage: for (org unit, indicator, period), the batch, file, sheet and row
// number of every stored row that contributed, compiled from the same
// declarations as the values (filters included), so the two cannot drift.
// A street or district sees the rows of its covered communities (code prefix).

import type { Store } from '../../server/db/store.ts';
import { indicator as lookup } from '../catalogue/index.ts';
import type { Measure } from '../catalogue/types.ts';
import { CARRIED, carriedExportsSql } from '../compile/base.ts';
import { CALENDAR_SQL, quarterIndex } from '../compile/calendar.ts';
import { tableOf, whereSql } from '../compile/measures.ts';

export interface SourceRow {
  table: string;
  batch_id: number;
  file_id: number;
  file: string;
  path: string;
  sheet: string | null;
  src_row: number;
  org_unit: string;
  period: string;
}

function leaves(m: Measure): Measure[] {
  return m.agg === 'first_of' ? m.options.flatMap(leaves) : [m];
}

/** The community-level measures behind an indicator (through aliases and band counts). */
function measuresOf(id: string): Measure[] {
  const d = lookup(id).definition;
  if (d.kind === 'measure') return leaves(d.measure);
  if (d.kind === 'ratio') return [...leaves(d.num), ...leaves(d.den)];
  return measuresOf(d.of);
}

export function lineageSql(id: string): string {
  const parts = measuresOf(id).map((m) => {
    const t = tableOf(m);
    const where = m.agg === 'field' || m.agg === 'first_of' ? 'TRUE' : whereSql(t, m.where);
    if (CARRIED[t] !== undefined) {
      // The export standing for the period (its own, or the latest within the window: compile/base.ts),
      // its rows filtered at their own as-of date as the values are; none when the unit sent nothing for the period.
      return `SELECT '${t}' AS tbl, d.batch_id, d.file_id, d.sheet, d.src_row, d.org_unit, d.period
  FROM cur_${t} d JOIN cal c ON c.period = d.period JOIN cf ON cf.export_id = d.export_id
  WHERE cf.period = $period AND cf.table_name = '${t}' AND starts_with(d.org_unit, $unit)
    AND EXISTS (SELECT 1 FROM exports x WHERE x.org_unit = d.org_unit AND x.period = $period AND x.superseded_by IS NULL) AND ${where}`;
    }
    // Activities: the plan year's logs up to the period (see compile/base.ts).
    const periodCond = t === 'activities' ? 's.qidx BETWEEN c.ys_qidx AND c.qidx' : 'd.period = c.period';
    return `SELECT '${t}' AS tbl, d.batch_id, d.file_id, d.sheet, d.src_row, d.org_unit, d.period
  FROM cur_${t} d JOIN cal s ON s.period = d.period, cal c
  WHERE c.period = $period AND ${periodCond} AND starts_with(d.org_unit, $unit) AND ${where}`;
  });
  return `WITH cal AS (${CALENDAR_SQL}),
cf AS (${carriedExportsSql('exports')}),
src AS (
${parts.join('\nUNION\n')}
)
SELECT src.tbl AS "table", src.batch_id, src.file_id, f.name AS file, f.path, src.sheet, src.src_row, src.org_unit, src.period
FROM src LEFT JOIN import_files f ON f.file_id = src.file_id
ORDER BY src.org_unit, src.tbl, src.file_id, src.src_row`;
}

export async function lineage(
  store: Store,
  q: { org_unit: string; indicator: string; period: string; planStart?: string },
): Promise<SourceRow[]> {
  const [, m, d] = (q.planStart ?? '2000-01-01').split('-').map(Number);
  const qi = quarterIndex(q.period);
  const rows = await store.all<Record<string, unknown>>(lineageSql(q.indicator), {
    first: qi - 4,
    last: qi,
    ys_m: m,
    ys_d: d,
    period: q.period,
    unit: q.org_unit,
  });
  return rows.map((r) => ({
    table: String(r.table),
    batch_id: Number(r.batch_id),
    file_id: Number(r.file_id),
    file: String(r.file ?? ''),
    path: String(r.path ?? ''),
    sheet: (r.sheet as string | null) ?? null,
    src_row: Number(r.src_row),
    org_unit: String(r.org_unit),
    period: String(r.period),
  }));
}
