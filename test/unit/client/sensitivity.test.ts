// The weight-sensitivity chart: intervals drawn from the 5th to the 95th
// percentile, stable and unstable intervals as separate (legend) series, and
// unstable communities marked with ⚠ in their labels, not only by colour.

import { describe, expect, it } from 'vitest';
import { sensitivityOption } from '../../../client/charts/builders.ts';

const rows = [
  { org_unit: 'a', name: '甲社区', rank: 1, p5: 1, p95: 1, stable: true },
  { org_unit: 'b', name: '乙社区', rank: 2, p5: 2, p95: 6, stable: false },
  { org_unit: 'c', name: '丙社区', rank: 3, p5: 2, p95: 4, stable: true },
];

type Bar = { name: string; data: number[]; itemStyle: { color: string } };

describe('sensitivityOption', () => {
  const o = sensitivityOption(rows, (r) => r.name, 'zh');
  const series = o.series as Bar[];

  it('lists the worst rank first (bottom of the axis is rank 1 last) and marks unstable labels', () => {
    expect((o.yAxis as { data: string[] }).data).toEqual(['丙社区', '⚠ 乙社区', '甲社区']);
  });

  it('stacks an invisible base at p5 under stable or unstable intervals, one of them per row', () => {
    expect(series[0].data).toEqual([2, 2, 1]);
    expect(series[0].itemStyle.color).toBe('transparent');
    // widths p95 - p5, at least 0.3 so a fixed rank still shows
    expect(series[1].data).toEqual([2, 0, 0.3]);
    expect(series[2].data).toEqual([0, 4, 0]);
    expect(series[1].itemStyle.color).not.toBe(series[2].itemStyle.color);
    expect((series[3] as unknown as { data: number[] }).data).toEqual([3, 2, 1]);
  });

  it('names both interval colours in the legend, in the chosen language', () => {
    const legend = (o.legend as { data: string[] }).data;
    expect(legend).toEqual([series[1].name, series[2].name, (series[3] as unknown as { name: string }).name]);
    expect(legend[1]).toContain('不稳定');
    const en = (sensitivityOption(rows, (r) => r.org_unit, 'en').legend as { data: string[] }).data;
    expect(en).toEqual(['Rank interval 5–95% (stable)', '⚠ Rank interval (unstable)', 'Rank']);
  });
});
