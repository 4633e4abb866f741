// Every number on the dashboard is formatted here: Chinese conventions
// (万 for large counts, % for fractions, ㎡ for areas, 人/个/次 units), the
// English variant when the language is switched. Units come from the API.

import type { Lang } from './i18n.ts';

/** One Intl formatter per (digits, language), made only for numbers `grouped` leaves to it. */
const formatters = new Map<string, Intl.NumberFormat>();
function intl(digits: number, lang: Lang): Intl.NumberFormat {
  const key = `${digits}|${lang}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    formatters.set(key, f);
  }
  return f;
}

/**
 * What Intl.NumberFormat('zh-CN' or 'en-GB', { maximumFractionDigits: digits })
 * prints, without making one (the first costs tens of milliseconds while the
 * page loads): the shortest decimal form of the number rounded half away
 * from zero, ',' between thousands, '.' before decimals in both languages.
 * Numbers printed in exponent form go to Intl itself.
 */
export function grouped(v: number, digits: number, lang: Lang = 'zh'): string {
  const s = String(Math.abs(v));
  if (s.includes('e')) return intl(digits, lang).format(v);
  const dot = s.indexOf('.');
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  let ds = (dot < 0 ? s : s.slice(0, dot)) + frac.slice(0, digits).padEnd(digits, '0');
  if (frac.length > digits && frac.charCodeAt(digits) >= 53) {
    // round up: add one at the last kept digit, carrying through nines
    const a = ds.split('');
    let k = a.length - 1;
    while (k >= 0 && a[k] === '9') a[k--] = '0';
    if (k < 0) a.unshift('1');
    else a[k] = String(Number(a[k]) + 1);
    ds = a.join('');
  }
  const int = ds.slice(0, ds.length - digits).replace(/^0+(?=\d)/, '');
  const dec = ds.slice(ds.length - digits).replace(/0+$/, '');
  return `${v < 0 || Object.is(v, -0) ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${dec ? `.${dec}` : ''}`;
}

const nf = (digits: number, lang: Lang) => ({ format: (v: number) => grouped(v, digits, lang) });

/** A plain number with a sensible precision; 万 above 100,000 in Chinese. */
export function fmtNumber(v: number | null | undefined, lang: Lang = 'zh', digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 100_000) return lang === 'zh' ? `${nf(1, lang).format(v / 10_000)}万` : `${nf(1, lang).format(v / 1000)}k`;
  if (Number.isInteger(v)) return nf(0, lang).format(v);
  return nf(a >= 100 ? 0 : digits, lang).format(v);
}

/** A fraction as a percentage: 0.153 -> "15.3%". */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}

export function isRateUnit(unit: string): boolean {
  return unit === '%';
}

const UNIT_EN: Record<string, string> = {
  个: '', 人: '', 户: '', 次: '', '个/万人': '/10k', '㎡/百户': '㎡/100 hh', '人/社区': '/community', '户/人': 'hh/staff', '户/格': 'hh/grid', '人/格': '/grid',
};

/** A value in the indicator's unit (from the API): '%' values are fractions, '是/否' are 1/0 (a share above a community). */
export function fmtValue(v: number | null | undefined, unit: string, lang: Lang = 'zh'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === '%') return fmtPct(v);
  if (unit === '是/否') {
    if (v >= 1) return lang === 'zh' ? '是' : 'yes';
    if (v <= 0) return lang === 'zh' ? '否' : 'no';
    // a street's or the district's mean over its communities: the share that say yes
    return lang === 'zh' ? `${fmtPct(v, 0)}为是` : `${fmtPct(v, 0)} yes`;
  }
  if (unit === '㎡') {
    if (Math.abs(v) >= 10_000 && lang === 'zh') return `${nf(2, lang).format(v / 10_000)}万㎡`;
    return `${nf(0, lang).format(v)}㎡`;
  }
  const u = lang === 'zh' ? unit : (UNIT_EN[unit] ?? unit);
  const sep = u && !u.startsWith('/') && lang === 'en' ? ' ' : '';
  return `${fmtNumber(v, lang, 2)}${sep}${u}`;
}

/** The unit as shown after a bare number ('' for % and yes/no, which carry their own). */
export function unitLabel(unit: string, lang: Lang = 'zh'): string {
  if (unit === '%' || unit === '是/否') return '';
  if (lang === 'zh') return unit;
  return UNIT_EN[unit] ?? unit;
}

/** The bare number part (for axis labels and compact cells). */
export function fmtBare(v: number | null | undefined, unit: string, lang: Lang = 'zh'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === '%') return fmtPct(v);
  if (unit === '是/否') return fmtValue(v, unit, lang);
  return fmtNumber(v, lang, 2);
}

export function fmtScore(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(1);
}

/** Signed change, in the unit's terms (percentage points for rates). */
export function fmtDelta(d: number | null | undefined, unit: string, lang: Lang = 'zh'): string {
  if (d === null || d === undefined || !Number.isFinite(d)) return '—';
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (unit === '%') return `${sign}${(a * 100).toFixed(1)}${lang === 'zh' ? '个百分点' : ' pp'}`;
  if (unit === 'score') return `${sign}${a.toFixed(1)}`;
  return `${sign}${fmtBare(a, unit, lang)}`;
}

export function fmtInt(v: number | null | undefined, lang: Lang = 'zh'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return nf(0, lang).format(v);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function fmtDateTime(s: string | null | undefined, lang: Lang = 'zh'): string {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

/** "2016Q4" -> "2016年第4季度" / "2016 Q4". */
export function fmtPeriod(p: string | null | undefined, lang: Lang = 'zh'): string {
  if (!p) return '—';
  const m = /^(\d{4})Q([1-4])$/.exec(p);
  if (!m) return p;
  return lang === 'zh' ? `${m[1]}年第${m[2]}季度` : `${m[1]} Q${m[2]}`;
}

