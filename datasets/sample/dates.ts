// Calendar helpers on plain 'YYYY-MM-DD' strings (UTC, no clock), and the
// quarters of the plan period.

export type Day = string; // 'YYYY-MM-DD'

export const QUARTERS = [
  '2015Q3', '2015Q4', '2016Q1', '2016Q2', '2016Q3', '2016Q4',
  '2017Q1', '2017Q2', '2017Q3', '2017Q4', '2018Q1', '2018Q2',
] as const;
export type Quarter = (typeof QUARTERS)[number];

export const PLAN_START: Day = '2015-07-01';
export const PLAN_END: Day = '2018-06-30';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function dayFromUtc(ms: number): Day {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
export function utc(day: Day): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}
export function addDays(day: Day, n: number): Day {
  return dayFromUtc(utc(day) + n * 86_400_000);
}
export function daysBetween(a: Day, b: Day): number {
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

export function quarterParts(q: string): { year: number; q: number } {
  return { year: Number(q.slice(0, 4)), q: Number(q.slice(5)) };
}
export function quarterStart(q: string): Day {
  const { year, q: n } = quarterParts(q);
  return `${year}-${pad((n - 1) * 3 + 1)}-01`;
}
export function quarterEnd(q: string): Day {
  const { year, q: n } = quarterParts(q);
  return addDays(n === 4 ? `${year + 1}-01-01` : `${year}-${pad(n * 3 + 1)}-01`, -1);
}
/** Index of the plan year (0, 1, 2) the quarter belongs to (plan years start 07-01). */
export function planYear(q: string): number {
  return Math.floor(QUARTERS.indexOf(q as Quarter) / 4);
}
export function planYearStart(q: string): Day {
  return `${2015 + planYear(q)}-07-01`;
}

const CN_Q = ['一', '二', '三', '四'];
/** Report period in one of the spellings the contract accepts. */
export function periodText(q: string, style: number): string {
  const { year, q: n } = quarterParts(q);
  switch (style % 5) {
    case 0: return `${year}Q${n}`;
    case 1: return `${year}年第${CN_Q[n - 1]}季度`;
    case 2: return `${year}-Q${n}`;
    case 3: return `${year}年${n}季度`;
    default: return `${year}年${n * 3}月`;
  }
}
/** Title form, e.g. 2016年第四季度. */
export function periodTitle(q: string): string {
  const { year, q: n } = quarterParts(q);
  return `${year}年第${CN_Q[n - 1]}季度`;
}

export type DateStyle = 'excel' | 'iso' | 'slash' | 'cn' | 'compact' | 'dot';
/** A date as text in one of the accepted forms ('excel' gives iso; the xlsx writer makes a date cell). */
export function dateText(day: Day, style: DateStyle): string {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  switch (style) {
    case 'slash': return `${y}/${m}/${d}`;
    case 'cn': return `${y}年${m}月${d}日`;
    case 'compact': return day.replace(/-/g, '');
    case 'dot': return day.replace(/-/g, '.');
    default: return day;
  }
}
