// Names from the API in the chosen language.
import type { PlanInfo, ValueRow } from './api.ts';
import type { Lang } from './i18n.ts';

// The API's catalogue (set once the meta has loaded): English names for rows that carry only the Chinese one.
let EN = new Map<string, string>();
export function setCatalogueNames(catalogue: { id: string; en: string }[]): void {
  EN = new Map(catalogue.map((c) => [c.id, c.en]));
}

export function indicatorName(v: Pick<ValueRow, 'indicator' | 'indicator_zh'> & { indicator_en?: string }, lang: Lang): string {
  return lang === 'en' ? (v.indicator_en ?? EN.get(v.indicator) ?? v.indicator_zh ?? v.indicator) : (v.indicator_zh ?? v.indicator);
}

/** An indicator id's name from the API's catalogue (ids as they are when unknown). */
export function catalogueName(catalogue: { id: string; zh: string; en: string }[], id: string | null, lang: Lang): string {
  if (!id) return '—';
  const c = catalogue.find((x) => x.id === id);
  return c ? (lang === 'en' ? c.en : c.zh) : id;
}

export function dimensionName(plan: PlanInfo, id: string, lang: Lang): string {
  const d = plan.dimensions?.find((x) => x.id === id);
  if (!d) return id;
  return lang === 'en' ? (d.en ?? d.id) : (d.zh ?? d.id);
}

const ROLLUP: Record<ValueRow['rollup'], { zh: string; en: string }> = {
  sum: { zh: '各社区合计', en: 'sum of its communities' },
  mean: { zh: '社区平均', en: 'mean per community' },
  ratio: { zh: '按合计计算', en: 'ratio of the totals' },
};

/** How a street's or the district's value comes from its communities', for labels beside it. */
export function rollupLabel(rollup: ValueRow['rollup'], lang: Lang): string {
  return ROLLUP[rollup]?.[lang] ?? '';
}
