// The community trend chart: values by quarter with the target as a dashed
// step line; the axis starts at the first quarter with a value.

import { describe, expect, it } from 'vitest';
import { trendOption } from '../../../client/charts/trend.ts';
import type { SeriesRow } from '../../../client/lib/api.ts';

const row = (period: string, value: number | null, no_data = value === null): SeriesRow => ({
  org_unit: '140302002001',
  indicator: 'volunteer_rate',
  period,
  value,
  target_lo: 0.15,
  target_hi: null,
  no_data,
});

type Line = { name: string; data: (number | null)[] };

describe('trendOption', () => {
  it('skips leading quarters without data, keeps later gaps, and scales % values', () => {
    const rows = [row('2015Q2', null), row('2015Q3', 0.1), row('2015Q4', null), row('2016Q1', 0.12)];
    const o = trendOption(rows, '%', '志愿者注册率', 'zh');
    expect((o.xAxis as { data: string[] }).data).toEqual(['2015Q3', '2015Q4', '2016Q1']);
    const [own, target] = o.series as Line[];
    expect(own.data).toEqual([10, null, 12]);
    expect(target.name).toBe('目标');
    expect(target.data).toEqual([15, 15, 15]);
  });

  it('starts at the compared series when it has data first', () => {
    const rows = [row('2015Q2', null), row('2015Q3', 3)];
    const compare = { name: '全区', rows: [row('2015Q2', 2), row('2015Q3', 4)] };
    const o = trendOption(rows, '人', 'x', 'en', compare);
    expect((o.xAxis as { data: string[] }).data).toEqual(['2015Q2', '2015Q3']);
    expect((o.series as Line[])[1].data).toEqual([2, 4]);
  });

  it('draws the part of an annual target due by each quarter dashed and the full target dotted', () => {
    // An annual target of 4 new organisations, pro rata over the plan year from July.
    const rows: SeriesRow[] = ['2015Q3', '2015Q4', '2016Q1', '2016Q2'].map((period, i) => ({
      ...row(period, i + 1),
      indicator: 'orgs_new_in_year',
      target_lo: 4,
      target_effective_lo: i + 1,
    }));
    const o = trendOption(rows, '个', '本年新培育社会组织数', 'zh');
    const lines = o.series as (Line & { lineStyle?: { type?: string } })[];
    expect(lines.map((l) => l.name)).toEqual(['本年新培育社会组织数', '当期应达（按进度折算）', '目标']);
    expect(lines[1].data).toEqual([1, 2, 3, 4]);
    expect(lines[1].lineStyle?.type).toBe('dashed');
    expect(lines[2].data).toEqual([4, 4, 4, 4]);
    expect(lines[2].lineStyle?.type).toBe('dotted');
    // Without a pro-rata target only the target is drawn, under its own name.
    const plain = trendOption(rows.map((r) => ({ ...r, target_effective_lo: 4 })), '个', 'x', 'en').series as Line[];
    expect(plain.map((l) => l.name)).toEqual(['x', 'Target']);
  });
});
