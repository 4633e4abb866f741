// The dashboard's number formatting (client/lib/format.ts): Chinese
// conventions for 万, %, ㎡ and units, periods and deltas. Pure, no browser.

import { describe, expect, it } from 'vitest';
import { fmtDelta, fmtNumber, fmtPct, fmtPeriod, fmtValue, grouped } from '../../client/lib/format.ts';

describe('client number formatting', () => {
  it('rates are fractions shown as percentages; deltas of rates in percentage points', () => {
    expect(fmtValue(0.153, '%')).toBe('15.3%');
    expect(fmtPct(1)).toBe('100%');
    expect(fmtDelta(0.012, '%')).toBe('+1.2个百分点');
    expect(fmtDelta(-0.012, '%', 'en')).toBe('−1.2 pp');
  });
  it('large counts in 万, areas in ㎡ and 万㎡, units appended', () => {
    expect(fmtNumber(123_456)).toBe('12.3万');
    expect(fmtNumber(123_456, 'en')).toBe('123.5k');
    expect(fmtValue(1500, '㎡')).toBe('1,500㎡');
    expect(fmtValue(25_000, '㎡')).toBe('2.5万㎡');
    expect(fmtValue(12, '人')).toBe('12人');
    expect(fmtValue(30.125, '个/万人')).toBe('30.13个/万人');
    expect(fmtValue(1, '是/否')).toBe('是');
    expect(fmtValue(0, '是/否', 'en')).toBe('no');
  });
  it('yes/no above a community is the share of communities that say yes, not a rounded-down 否', () => {
    expect(fmtValue(0.5, '是/否')).toBe('50%为是');
    expect(fmtValue(2 / 3, '是/否', 'en')).toBe('67% yes');
    expect(fmtValue(0.01, '是/否')).toBe('1%为是');
  });
  it('no data is a dash, never zero', () => {
    expect(fmtValue(null, '%')).toBe('—');
    expect(fmtNumber(undefined)).toBe('—');
  });
  it('grouped() prints exactly what Intl.NumberFormat prints (zh-CN, en-GB; 0 to 2 decimals)', () => {
    const vals = [0, -0, 1.005, 2.5, -2.5, 0.05, -0.04, 1454, 12_345.678, 999.95, 99_999.95, 123_456_789.125, 9.99, -0.96, 1e-7, 1e21, 30.125, 1_000_000];
    let x = 12_345;
    for (let i = 0; i < 4000; i++) {
      x = (x * 16_807) % 2_147_483_647;
      vals.push((x / 2_147_483_647 - 0.3) * 10 ** ((x % 12) - 3), Math.round(x % 1e6) / 1000, Math.round(x % 1e4) / 200 - 25);
    }
    const wrong: string[] = [];
    for (const [lang, locale] of [['zh', 'zh-CN'], ['en', 'en-GB']] as const) {
      for (const d of [0, 1, 2]) {
        const f = new Intl.NumberFormat(locale, { maximumFractionDigits: d, minimumFractionDigits: 0 });
        for (const v of vals) if (grouped(v, d, lang) !== f.format(v)) wrong.push(`${locale} ${d} ${v}: ${grouped(v, d, lang)} != ${f.format(v)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
  it('periods', () => {
    expect(fmtPeriod('2016Q4')).toBe('2016年第4季度');
    expect(fmtPeriod('2016Q4', 'en')).toBe('2016 Q4');
  });
});
