// Measures and filters -> SQL. Every measure of the catalogue becomes one
// aggregate column of its table's GROUP BY (org_unit, period); identical
// measures share a column. Activities are read through `act`, the de-duplicated
// union of the plan year's logs (see values.ts), whose rows carry a weight n.

import type { Filter, Measure, SourceTable } from '../catalogue/types.ts';
import { col, num, str } from './sql.ts';

/** When a roster row is alive on the as-of date `c.as_of`. */
const ACTIVE: Record<SourceTable, string> = {
  profile: 'TRUE',
  social_orgs: 'd.founded_on <= c.as_of AND (d.dissolved_on IS NULL OR d.dissolved_on > c.as_of)',
  volunteers: 'd.registered_on <= c.as_of',
  social_workers: 'd.started_on <= c.as_of AND (d.left_on IS NULL OR d.left_on > c.as_of)',
  facilities: '(d.opened_on IS NULL OR d.opened_on <= c.as_of) AND (d.closed_on IS NULL OR d.closed_on > c.as_of)',
  participation: '(d.joined_on IS NULL OR d.joined_on <= c.as_of)',
  activities: 'd.held_on <= c.as_of',
  surveys: '(d.surveyed_on IS NULL OR d.surveyed_on <= c.as_of)',
};

export function filterSql(table: SourceTable, f: Filter): string {
  if ('active' in f) return `(${ACTIVE[table]})`;
  if ('in' in f) return `d.${col(table, f.in.col)} IN (${f.in.values.map(str).join(', ')})`;
  if ('notIn' in f) return `(d.${col(table, f.notIn.col)} IS NOT NULL AND d.${f.notIn.col} NOT IN (${f.notIn.values.map(str).join(', ')}))`;
  if ('isTrue' in f) return `d.${col(table, f.isTrue)} IS TRUE`;
  if ('gte' in f) return `d.${col(table, f.gte.col)} >= ${num(f.gte.value)}`;
  const cols = f.within.cols.map((x) => `d.${col(table, x)}`);
  const v = cols.length === 1 ? cols[0] : `coalesce(${cols.join(', ')})`;
  const from = f.within.window === 'year' ? 'c.year_start' : 'c.q_start';
  return `${v} BETWEEN ${from} AND c.as_of`;
}

export function whereSql(table: SourceTable, where: Filter[] | undefined): string {
  return where?.length ? where.map((f) => filterSql(table, f)).join(' AND ') : 'TRUE';
}

/** The aggregate expression of a (non-field, non-first_of) measure over its table's rows `d`. */
export function aggregateSql(m: Measure): string {
  if (m.agg === 'field') return `max(d.${col('profile', m.col)})`;
  if (m.agg === 'first_of') throw new Error('first_of is not an aggregate');
  const w = whereSql(m.table, m.where);
  switch (m.agg) {
    case 'count':
      return m.table === 'activities' ? `coalesce(sum(d.n) FILTER (WHERE ${w}), 0)` : `count(*) FILTER (WHERE ${w})`;
    case 'count_distinct':
      return `count(DISTINCT d.${col(m.table, m.col)}) FILTER (WHERE ${w})`;
    case 'sum':
      return `coalesce(sum(d.${col(m.table, m.col)}) FILTER (WHERE ${w}), 0)`;
    case 'exists':
      return `(count(*) FILTER (WHERE ${w}) > 0)::INTEGER`;
  }
}

export function tableOf(m: Measure): SourceTable {
  if (m.agg === 'field') return 'profile';
  if (m.agg === 'first_of') throw new Error('first_of has no single table');
  return m.table;
}

/** Assigns each distinct leaf measure a column `m<k>` of its table's aggregate. */
export class MeasureColumns {
  readonly byKey = new Map<string, { name: string; table: SourceTable; sql: string }>();

  leaf(m: Measure): string {
    const key = JSON.stringify(m);
    let e = this.byKey.get(key);
    if (!e) {
      e = { name: `m${this.byKey.size + 1}`, table: tableOf(m), sql: aggregateSql(m) };
      this.byKey.set(key, e);
    }
    return e.name;
  }

  /** The wide-row expression of a measure: NULL when its table was not exported for the period. */
  expr(m: Measure): string {
    if (m.agg === 'first_of') return `coalesce(${m.options.map((o) => this.expr(o)).join(', ')})`;
    const name = this.leaf(m);
    const t = tableOf(m);
    if (m.agg === 'field') return `a_profile.${name}`;
    return `CASE WHEN p.has_${t} THEN coalesce(a_${t}.${name}, 0) END`;
  }

  tables(): SourceTable[] {
    return [...new Set([...this.byKey.values()].map((e) => e.table))];
  }

  columnsOf(t: SourceTable): { name: string; sql: string }[] {
    return [...this.byKey.values()].filter((e) => e.table === t);
  }
}
