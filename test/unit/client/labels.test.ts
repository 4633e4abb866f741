// Chart labels: long English dimension names wrap at spaces; Chinese stays whole.

import { describe, expect, it } from 'vitest';
import { heatmapOption, radarOption, wrapWords } from '../../../client/charts/builders.ts';

describe('wrapWords', () => {
  it('breaks at spaces into lines of at most the width', () => {
    expect(wrapWords('participation and satisfaction', 16)).toBe('participation\nand satisfaction');
    expect(wrapWords('social workers', 16)).toBe('social workers');
    expect(wrapWords('  community   platform ', 16)).toBe('community\nplatform');
  });

  it('keeps a word longer than the width, and text without spaces, on one line', () => {
    expect(wrapWords('internationalisation now', 8)).toBe('internationalisation\nnow');
    expect(wrapWords('居民参与和满意度', 4)).toBe('居民参与和满意度');
    expect(wrapWords('', 16)).toBe('');
  });
});

describe('radarOption', () => {
  it('formats every axis name through the wrapping', () => {
    const o = radarOption([{ name: 'participation and satisfaction' }, { name: '社区平台' }], [{ name: 'District', values: [80, 90] }]);
    const radar = o.radar as { indicator: { name: string }[]; axisName: { formatter: (n: string) => string } };
    expect(radar.indicator.map((i) => radar.axisName.formatter(i.name))).toEqual(['participation\nand satisfaction', '社区平台']);
  });
});

describe('heatmapOption', () => {
  it('wraps long column names (English dimensions) so neighbouring labels do not run together', () => {
    const o = heatmapOption(['大洋街道'], ['community platform', 'social organisations', '社区平台'], [[0, 0, 80]], 'en');
    const x = o.xAxis as { data: string[]; axisLabel: { interval: number; formatter: (v: string) => string } };
    expect(x.axisLabel.interval).toBe(0);
    expect(x.data.map(x.axisLabel.formatter)).toEqual(['community\nplatform', 'social\norganisations', '社区平台']);
  });

  it('lists rows top-down in the given order, labels cells with one decimal, and names the scale ends once', () => {
    const o = heatmapOption(['大洋街道', '五星街道'], ['社区平台'], [[0, 0, 90], [0, 1, null]], 'zh');
    expect((o.yAxis as { inverse: boolean; data: string[] }).inverse).toBe(true);
    const series = (o.series as { data: [number, number, number | string][]; label: { formatter: (p: { value: unknown }) => string } }[])[0];
    expect(series.data.map((value) => series.label.formatter({ value }))).toEqual(['90.0', '—']);
    const vm = o.visualMap as { calculable: boolean; text?: string[] };
    expect(vm.calculable).toBe(true);
    expect(vm.text).toBeUndefined();
  });
});
