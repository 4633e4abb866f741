// The completeness matrix: one cell per kept unit and quarter; a quarter a
// unit sent nothing is counted missing and marked ✘ in its cell (not by its
// red alone); the tooltip names the unit and counts its tables.

import { describe, expect, it } from 'vitest';
import { completenessOption } from '../../../client/charts/builders.ts';
import type { Completeness } from '../../../client/lib/api.ts';

const c: Completeness = {
  periods: ['2017Q1', '2017Q2'],
  tables: ['profile', 'volunteers', 'surveys'],
  rows: [
    { org_unit: '140302001001', name: '盐海社区', period: '2017Q1', tables: ['profile', 'volunteers'], n_tables: 2 },
    { org_unit: '140302001001', name: '盐海社区', period: '2017Q2', tables: ['profile'], n_tables: 1 },
    { org_unit: '140302001002', name: '渔港社区', period: '2017Q2', tables: ['profile'], n_tables: 1 },
    { org_unit: '140302002001', name: '苑北社区', period: '2017Q1', tables: ['profile'], n_tables: 1 },
  ],
};
const names = new Map(c.rows.map((r) => [r.org_unit, r.name]));

type Cell = [number, number, number];
interface Opt {
  series: { data: Cell[]; label: { show: boolean; formatter: (p: { data: Cell }) => string } }[];
  tooltip: { formatter: (p: { data: Cell }) => string };
  yAxis: { data: string[] };
}

describe('completeness matrix', () => {
  it('counts and marks the quarters a kept unit sent nothing', () => {
    const r = completenessOption(c, { keep: (u) => u.startsWith('140302001'), nameOf: (u) => names.get(u) ?? u }, 'zh');
    expect(r.units).toEqual(['140302001001', '140302001002']);
    expect([r.missing, r.total]).toEqual([1, 4]);
    const o = r.option as unknown as Opt;
    expect(o.yAxis.data).toEqual(['盐海社区', '渔港社区']);
    const s = o.series[0];
    expect(s.label.show).toBe(true);
    const marks = s.data.map((d) => [o.yAxis.data[d[1]], c.periods[d[0]], s.label.formatter({ data: d })]);
    expect(marks).toEqual([
      ['盐海社区', '2017Q1', ''],
      ['盐海社区', '2017Q2', ''],
      ['渔港社区', '2017Q1', '✘'],
      ['渔港社区', '2017Q2', ''],
    ]);
    expect(o.tooltip.formatter({ data: s.data[2] })).toBe('渔港社区 · 2017Q1<br/>✘ 无报送');
    expect(o.tooltip.formatter({ data: s.data[0] })).toBe('盐海社区 · 2017Q1<br/>已报送表：2 / 3');
  });

  it('sets the district and street names in bold above their communities', () => {
    const rows = [
      ...c.rows,
      { org_unit: '140302', name: '城区', period: '2017Q1', tables: ['profile'], n_tables: 1 },
      { org_unit: '140302001', name: '大洋街道', period: '2017Q1', tables: ['profile'], n_tables: 1 },
    ];
    const all = new Map(rows.map((r) => [r.org_unit, r.name]));
    const r = completenessOption({ ...c, rows }, { keep: () => true, nameOf: (u) => all.get(u) ?? u }, 'zh');
    const axis = (r.option as unknown as { yAxis: { data: string[]; axisLabel: { formatter: (v: string, i: number) => string } } }).yAxis;
    expect(axis.data.map((name, i) => axis.axisLabel.formatter(name, i))).toEqual(['{group|城区}', '{group|大洋街道}', '盐海社区', '渔港社区', '苑北社区']);
  });
});
