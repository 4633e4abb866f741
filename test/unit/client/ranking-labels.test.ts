// The ranking's bar labels on a screen too short for all of them (36 bars on
// a 720-line projector): overlapping labels are hidden instead of printed over
// each other (the option's labelLayout). Drawn with ECharts' own server-side
// SVG renderer, labels counted in the SVG. (In the browser bundle the
// LabelLayout feature must also be registered, charts/echarts.ts; under Node
// ECharts hides them without it, so this test cannot tell.)

import { SVGRenderer } from 'echarts/renderers';
import { describe, expect, it } from 'vitest';
import { rankingOption } from '../../../client/charts/builders.ts';
import { echarts } from '../../../client/charts/echarts.ts';

echarts.use([SVGRenderer]);

function labels(n: number, height: number): string[] {
  const items = Array.from({ length: n }, (_, i) => ({ code: `c${i}`, name: `社区${i}`, composite: 99 - i, rating: i < 9 ? '优秀' : '良好' }));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 1200, height });
  chart.setOption({ animation: false, ...rankingOption(items, 'zh', { fontSize: 16 }) });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return [...svg.matchAll(/>(\d+\.\d [★▲●✘])</g)].map((m) => m[1]);
}

describe('ranking bar labels', () => {
  it('every bar is labelled with its value and rating icon when there is room', () => {
    const l = labels(12, 600);
    expect(l).toHaveLength(12);
    expect(l).toContain('99.0 ★');
    expect(l).toContain('88.0 ▲');
  });

  it('labels that would overlap are hidden, not drawn over each other', () => {
    const l = labels(36, 450);
    expect(l.length).toBeGreaterThan(5);
    expect(l.length).toBeLessThan(36);
  });
});
