// Which indicators a community's new export can change, from the source
// tables it wrote: the community indicators that read one of them (a
// first_of reads every option's table, a profile field reads `profile`),
// then, to a fixed point, the aliases and band counts over those and the
// plan indicators whose target band is one of them (their targets move
// with it). A refresh recomputes only these columns and rows (engine.ts
// refreshUnit); every other indicator's stay as the run computed them.

import type { Indicator, Measure, SourceTable } from '../catalogue/types.ts';
import { tableOf } from './measures.ts';

function measureTables(m: Measure): SourceTable[] {
  return m.agg === 'first_of' ? m.options.flatMap(measureTables) : [tableOf(m)];
}

/** The source tables an indicator's own rows are computed from (none for aliases and band counts). */
export function tablesRead(i: Pick<Indicator, 'definition'>): SourceTable[] {
  const d = i.definition;
  if (d.kind === 'measure') return measureTables(d.measure);
  if (d.kind === 'ratio') return [...measureTables(d.num), ...measureTables(d.den)];
  return [];
}

/**
 * Ids of the indicators whose values or targets can change when a community
 * exports `tables`; `bandOf`: a plan indicator's target band field (an
 * indicator id) or null.
 */
export function affectedIndicators(cat: Indicator[], tables: Iterable<SourceTable>, bandOf: Map<string, string | null>): Set<string> {
  const ts = new Set(tables);
  const out = new Set(cat.filter((i) => i.level === 'community' && tablesRead(i).some((t) => ts.has(t))).map((i) => i.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of cat) {
      if (out.has(i.id)) continue;
      const d = i.definition;
      const deps = [d.kind === 'alias' || d.kind === 'count_units' ? d.of : null, bandOf.get(i.id) ?? null];
      if (deps.some((x) => x !== null && out.has(x))) {
        out.add(i.id);
        grew = true;
      }
    }
  }
  return out;
}
