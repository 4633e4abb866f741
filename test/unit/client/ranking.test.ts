// The ranking chart's bar order: ascending (best bar drawn at the top), ties of
// the rounded composites kept in the server's rank order (the input's).

import { describe, expect, it } from 'vitest';
import { rankingOption, rankingOrder } from '../../../client/charts/builders.ts';

const item = (code: string, composite: number, name = code) => ({ code, name, composite, rating: '良好' });

describe('ranking chart order', () => {
  it('puts the best bar last (top of the axis) and keeps tied composites in the input rank order', () => {
    // rank order from the server: b and c tie at 0.01 point, b ranked first; names would sort them the other way
    const items = [item('a', 91.5), item('b', 80, '乙'), item('c', 80, '甲'), item('d', 72.25)];
    expect(rankingOrder(items).map((i) => i.code)).toEqual(['d', 'c', 'b', 'a']);
    // an input not in rank order is sorted; ties keep their relative input order, reversed
    expect(rankingOrder([item('x', 50), item('y', 60), item('z', 50)]).map((i) => i.code)).toEqual(['z', 'x', 'y']);
  });

  it('draws the bars and names in that order, one value each, zoomed past 40 bars', () => {
    const items = Array.from({ length: 100 }, (_, i) => item(`u${i}`, 100 - Math.floor(i / 3)));
    const o = rankingOption(items, 'zh') as { yAxis: { data: string[] }; series: { data: number[] }[]; dataZoom?: unknown[] };
    expect(o.yAxis.data.at(-1)).toBe('u0');
    expect(o.yAxis.data.slice(-3)).toEqual(['u2', 'u1', 'u0']);
    expect(o.series[0].data.at(-1)).toBe(100);
    expect(o.series[0].data).toHaveLength(100);
    expect(o.dataZoom).toHaveLength(2);
  });

  it('labels each bar with its value and its rating icon, not by colour alone', () => {
    const items = [{ ...item('a', 95.04), rating: '优秀' }, item('b', 80), { ...item('c', 61.26), rating: '合格' }, { ...item('d', 40), rating: '不合格' }];
    const o = rankingOption(items, 'zh') as unknown as { series: { data: number[]; label: { formatter: (p: { value: number; dataIndex: number }) => string } }[] };
    const s = o.series[0];
    expect(s.data.map((value, dataIndex) => s.label.formatter({ value, dataIndex }))).toEqual(['40.0 ✘', '61.3 ●', '80.0 ▲', '95.0 ★']);
  });
});
