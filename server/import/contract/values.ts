// Cell value parsers for every form the data contract lists. Each returns a
// value or a problem code with a Chinese reason. The importer applies them to
// the DISTINCT raw values of a column (a dictionary) and joins the results
// back in SQL, so one TypeScript implementation serves every file size.

import type { ProblemCode } from '../problems.ts';
import { toHalfWidth } from './headers.ts';
import type { FieldDef } from './tables.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ProblemCode; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (code: ProblemCode, reason: string): Parsed<never> => ({ ok: false, code, reason });

function clean(raw: string): string {
  return toHalfWidth(raw).replace(/[\s\u00a0]+/g, ' ').trim();
}

const NUMBER_UNITS = /(人|户|个|名|次|家|间|处|小时|时|h|㎡|m2|m²|平方米|平米|元)$/i;

/**
 * Numbers: `1,234`, full-width, padded, `1234人`, `1500㎡`, `15%` (a fraction
 * for rates). Returns the number; sign checks are the caller's (see parseField).
 */
export function parseNumber(raw: string, opts: { rate?: boolean } = {}): Parsed<number> {
  let s = clean(raw).replace(/[,，]/g, '').replace(/\s/g, '');
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1);
  } else s = s.replace(NUMBER_UNITS, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return bad('BAD_NUMBER', '不是有效的数字');
  let n = Number(s);
  if (!Number.isFinite(n)) return bad('BAD_NUMBER', '不是有效的数字');
  if (percent) {
    if (!opts.rate) return bad('BAD_NUMBER', '此列不接受百分比');
    n = n / 100;
  }
  return ok(n);
}

const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);

function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Dates: ISO from the xlsx reader (`2015-07-01`, optionally with a time),
 * `2015/7/1`, `2015.07.01`, `2015年7月1日`, `2015年7月` (the 1st), `20150701`,
 * and Excel serial numbers. Returns `YYYY-MM-DD`.
 */
export function parseDate(raw: string): Parsed<string> {
  const s = clean(raw);
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*(?:月)?(?:[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.exec(s);
  if (m) {
    const hasDay = m[3] !== undefined;
    // `2015-07` without a day is only accepted in the Chinese form `2015年7月`.
    if (!hasDay && !/年.*月$/.test(s)) return bad('BAD_DATE', '不是有效的日期（缺少日）');
    const d = isoDate(Number(m[1]), Number(m[2]), hasDay ? Number(m[3]) : 1);
    return d ? ok(d) : bad('BAD_DATE', '日期不存在（月或日超出范围）');
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const d = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? ok(d) : bad('BAD_DATE', '日期不存在（月或日超出范围）');
  }
  // Excel serial numbers between 1950 and 2100.
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const serial = Math.floor(Number(s));
    if (serial >= 18264 && serial <= 73051) {
      const t = new Date(EXCEL_EPOCH_UTC + serial * 86_400_000);
      return ok(t.toISOString().slice(0, 10));
    }
  }
  return bad('BAD_DATE', '不是可识别的日期（可用 2015-07-01、2015/7/1、2015年7月1日、20150701）');
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '有', '中共党员', '中共预备党员', '党员', '预备党员']);
const FALSE_WORDS = new Set([
  '否', 'n', 'no', 'false', '0', '×', '✗', 'x', '无', '不是', '没有', '群众', '共青团员', '团员', '民主党派', '无党派人士', '其他',
]);

/** Booleans: 是/否, Y/N, yes/no, true/false, 1/0, √/×, 有/无; empty = no (handled by the caller). */
export function parseBool(raw: string): Parsed<boolean> {
  const s = clean(raw).toLowerCase();
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  return bad('BAD_BOOL', '不是可识别的是/否值（可用 是/否、Y/N、√/×、1/0）');
}

export function parseEnum(raw: string, f: FieldDef): Parsed<string> {
  const s = clean(raw).replace(/\s/g, '').toLowerCase();
  for (const [canon, words] of Object.entries(f.values ?? {})) {
    if (s === canon.toLowerCase() || words.some((w) => w.toLowerCase() === s)) return ok(canon);
  }
  const allowed = Object.values(f.values ?? {})
    .map((w) => w[0])
    .join('、');
  return bad('BAD_ENUM', `不是可选值之一（可选：${allowed}）`);
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/**
 * Report periods: `2016Q4`, `2016-Q4`, `2016年第四季度`, `2016年四季度`,
 * `2016年4季度`, or a month/date inside the quarter. Returns `YYYYQn`.
 */
export function parsePeriod(raw: string): Parsed<string> {
  const s = clean(raw).replace(/\s/g, '').toUpperCase();
  let m = /^(\d{4})[-_ ]?Q([1-4])$/.exec(s);
  if (m) return ok(`${m[1]}Q${m[2]}`);
  m = /^(\d{4})年?第?([一二三四1-4])季度?$/.exec(s);
  if (m) return ok(`${m[1]}Q${CN_DIGITS[m[2]]}`);
  m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s);
  if (m) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return ok(`${m[1]}Q${Math.ceil(month / 3)}`);
  }
  const d = parseDate(raw);
  if (d.ok) return ok(`${d.value.slice(0, 4)}Q${Math.ceil(Number(d.value.slice(5, 7)) / 3)}`);
  return bad('BAD_PERIOD', '不是可识别的报告期（可用 2016Q4、2016年第四季度、2016-12）');
}

/** Find a period inside a file name such as `盐海社区_2016Q4_志愿者.csv`. */
export function periodFromName(name: string): string | undefined {
  const s = toHalfWidth(name).toUpperCase();
  const pats = [/(\d{4})[-_ ]?Q([1-4])/, /(\d{4})年第?([一二三四1-4])季度/];
  for (const p of pats) {
    const m = p.exec(s);
    if (m) return `${m[1]}Q${CN_DIGITS[m[2]]}`;
  }
  // A month (or a date) inside the quarter: `2016年12月`, `2016-12`, `2016.12`, `2016-12-31`.
  const months = [/(\d{4})年(\d{1,2})月/, /(?<!\d)(\d{4})[-.](\d{1,2})(?!\d)/];
  for (const p of months) {
    const m = p.exec(s);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${m[1]}Q${Math.ceil(Number(m[2]) / 3)}`;
  }
  return undefined;
}

/**
 * Division codes: 6, 9 or 12 digits kept as text. A number Excel stored
 * (`140302001003`, `1.40302001003E+11`) is recovered when exactly integral;
 * a rounded scientific form (`1.40302E+11`) is rejected.
 */
export function parseCode(raw: string): Parsed<string> {
  const s = clean(raw).replace(/\s/g, '').replace(/^'/, '');
  if (/^\d{6}$|^\d{9}$|^\d{12}$/.test(s)) return ok(s);
  if (/^\d+(\.0+)?$/.test(s)) {
    const digits = s.replace(/\.0+$/, '');
    if (/^\d{6}$|^\d{9}$|^\d{12}$/.test(digits)) return ok(digits);
  }
  const sci = /^(\d)(?:\.(\d+))?E\+?(\d+)$/i.exec(s);
  if (sci) {
    const exp = Number(sci[3]);
    const frac = sci[2] ?? '';
    if (frac.length <= exp) {
      const digits = sci[1] + frac.padEnd(exp, '0');
      // Exact only when every digit was written out (no rounding by Excel).
      if (frac.length === exp && /^\d{12}$|^\d{9}$|^\d{6}$/.test(digits)) return ok(digits);
      return bad('BAD_CODE', '代码被 Excel 以科学计数法截断，无法恢复全部 12 位，请将该列设为文本后重新导出');
    }
  }
  return bad('BAD_CODE', '不是有效的区划代码（应为 6、9 或 12 位数字）');
}

const SCORE_WORDS: Record<string, number> = { 非常满意: 5, 满意: 4, 基本满意: 3, 比较满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1 };

export function parseScore(raw: string): Parsed<number> {
  const s = clean(raw).replace(/\s/g, '');
  if (s in SCORE_WORDS) return ok(SCORE_WORDS[s]);
  const n = parseNumber(s);
  if (n.ok && Number.isInteger(n.value) && n.value >= 1 && n.value <= 5) return ok(n.value);
  return bad('BAD_SCORE', '满意度应为 1 至 5 分，或 非常满意/满意/基本满意/不满意/非常不满意');
}

/** Parse one cell for a field; null for an empty cell is handled before. */
export function parseField(raw: string, f: FieldDef): Parsed<string | number | boolean> {
  switch (f.kind) {
    case 'count':
    case 'number':
    case 'area': {
      const n = parseNumber(raw);
      if (!n.ok) return n;
      if (n.value < 0) return bad('NEGATIVE', f.kind === 'area' ? '面积不能为负数' : '数量不能为负数');
      if (f.positive && n.value === 0) return bad('NOT_POSITIVE', '应大于 0');
      if (f.kind === 'count' && !Number.isInteger(n.value)) return bad('BAD_NUMBER', '应为整数');
      return n;
    }
    case 'date':
      return parseDate(raw);
    case 'bool':
      return parseBool(raw);
    case 'enum':
      return parseEnum(raw, f);
    case 'period':
      return parsePeriod(raw);
    case 'code':
      return parseCode(raw);
    case 'score':
      return parseScore(raw);
    default:
      return ok(clean(raw));
  }
}
