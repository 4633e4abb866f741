// A data-quality finding as the tables show it: its detail in the chosen
// language and its value in its indicator's unit (a rate as a percentage,
// an area in ㎡), as on every other page.

import type { Finding, IndicatorInfo } from './api.ts';
import { fmtNumber, fmtValue } from './format.ts';
import type { Lang } from './i18n.ts';

export function findingDetail(f: Pick<Finding, 'detail' | 'detail_en'>, lang: Lang): string {
  return (lang === 'en' ? f.detail_en : f.detail) || '—';
}

export function findingValue(f: Pick<Finding, 'indicator' | 'value'>, catalogue: Pick<IndicatorInfo, 'id' | 'unit'>[], lang: Lang): string {
  const unit = f.indicator ? catalogue.find((c) => c.id === f.indicator)?.unit : undefined;
  return unit ? fmtValue(f.value, unit, lang) : fmtNumber(f.value, lang, 2);
}

/** The rule's full text (name and method) in the chosen language. */
export function ruleText(f: Pick<Finding, 'rule_zh' | 'rule_en'>, lang: Lang): string {
  return lang === 'en' ? f.rule_en : f.rule_zh;
}

/** A rule's name without its method in brackets (the table's column; the full text is its tooltip and the filter's option). */
export function ruleName(text: string): string {
  return text.split(/（| \(/)[0];
}
