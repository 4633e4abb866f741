// The methodology as readable text, rendered from the catalogue's
// declarations (never a second copy): what is counted, from which table,
// with which filters.

import type { Definition, Filter, Measure } from '../../../metrics/catalogue/types.ts';
import { tablesRead } from '../../../metrics/compile/affected.ts';
import { CARRIED } from '../../../metrics/compile/base.ts';

function filterText(f: Filter): string {
  if ('active' in f) return '报告期末仍有效 (active at the as-of date)';
  if ('in' in f) return `${f.in.col} ∈ {${f.in.values.join(', ')}}`;
  if ('notIn' in f) return `${f.notIn.col} ∉ {${f.notIn.values.join(', ')}}`;
  if ('isTrue' in f) return `${f.isTrue} = 是`;
  if ('gte' in f) return `${f.gte.col} ≥ ${f.gte.value}`;
  return `${f.within.cols.join(' 或 ')} 在${f.within.window === 'year' ? '计划年度内 (plan year to date)' : '本季度内 (the quarter)'}`;
}

export function measureText(m: Measure): string {
  const where = 'where' in m && m.where?.length ? ` [${m.where.map(filterText).join('; ')}]` : '';
  switch (m.agg) {
    case 'count':
      return `count(${m.table})${where}`;
    case 'count_distinct':
      return `count_distinct(${m.table}.${m.col})${where}`;
    case 'sum':
      return `sum(${m.table}.${m.col})${where}`;
    case 'exists':
      return `exists(${m.table})${where}`;
    case 'field':
      return `profile.${m.col}`;
    case 'first_of':
      return `first_of(${m.options.map(measureText).join(' | ')})`;
  }
}

/** The formula, then once per carried table it reads which export stands for a quarter without one. */
export function formulaText(d: Definition): string {
  const carried = [...new Set(tablesRead({ definition: d }))].filter((t) => CARRIED[t] !== undefined);
  const notes = carried.map((t) => `; ${t}: 本季无此表时取前 ${CARRIED[t]} 季内最近一期 (else the latest export of the previous ${CARRIED[t]} quarters)`);
  return formulaBody(d) + notes.join('');
}

function formulaBody(d: Definition): string {
  switch (d.kind) {
    case 'measure':
      return measureText(d.measure);
    case 'ratio':
      return `${measureText(d.num)} / ${measureText(d.den)}${d.scale ? ` × ${d.scale}` : ''}`;
    case 'alias':
      return `= ${d.of} (汇总 rollup)`;
    case 'count_units':
      return `count(communities where ${d.from ?? '-∞'} ≤ ${d.of} < ${d.below ?? '∞'})`;
  }
}
