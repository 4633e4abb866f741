// The phase page's projection chart: actual values (gaps where no data, never
// zero), the dashed projection to phase and plan end, and the target.

import { describe, expect, it } from 'vitest';
import { projectionOption } from '../../../client/charts/projection.ts';
import type { SeriesRow } from '../../../client/lib/api.ts';

const row = (period: string, value: number | null, attainment: number | null, no_data = false): SeriesRow => ({
  org_unit: '140302',
  indicator: 'area_per_100_households',
  period,
  value,
  target_lo: 50,
  target_hi: null,
  attainment,
  no_data,
});

// The calendar's baseline quarter (2015Q2) has no data: attainment 0 by the scoring rule.
const rows = [row('2015Q2', null, 0, true), row('2015Q3', 76, 0.8), row('2015Q4', null, 0, true), row('2016Q1', 82, 0.9)];
const phases = [{ end: '2016-06-30' }, { end: '2016-12-31' }];
const progress = { phase_idx: 1, value: 82, proj_phase_end: 90, proj_plan_end: 110, target_lo: 50, target_hi: null };

type Line = { name: string; data: (number | null)[] };

describe('projectionOption', () => {
  it('plots mean attainment in %, with gaps (not zeros) where there is no data, from the first quarter with data', () => {
    // seen from the district: progress in mean attainment, target 1
    const agg = { phase_idx: 1, value: 0.9, proj_phase_end: 0.95, proj_plan_end: 1.1, target_lo: 1, target_hi: null };
    const o = projectionOption({ rows, phases, period: '2016Q1', progress: agg, unit: 'm²/百户', name: '每百户服务设施面积', lang: 'zh', aggregated: true });
    expect((o.xAxis as { data: string[] }).data).toEqual(['2015Q3', '2015Q4', '2016Q1', '2016Q2', '2016Q3', '2016Q4']);
    const [actual, proj, target] = o.series as Line[];
    expect(actual.data).toEqual([80, null, 90, null, null, null]);
    // from now (2016Q1) to the phase end (2016Q2) and the plan end (2016Q4)
    expect(proj.data.map((v) => (v === null ? null : Math.round(v * 1e9) / 1e9))).toEqual([null, null, 90, 95, null, 110]);
    expect(target.data.every((v) => v === 100)).toBe(true);
  });

  it('plots the value itself in its own unit when not aggregated', () => {
    const o = projectionOption({ rows, phases, period: '2016Q1', progress, unit: 'm²/百户', name: 'x', lang: 'en', aggregated: false });
    const [actual, proj, target] = o.series as Line[];
    expect(actual.data).toEqual([76, null, 82, null, null, null]);
    expect(proj.data).toEqual([null, null, 82, 90, null, 110]);
    expect(target.data[0]).toBe(50);
    expect(proj.name).toBe('Projection');
  });

  it('draws no projection before there is a line (one quarter of data): the actual point is not covered', () => {
    const one = { phase_idx: 1, value: 0.8, proj_phase_end: null, proj_plan_end: null, target_lo: 1, target_hi: null };
    const o = projectionOption({ rows: rows.slice(0, 2), phases, period: '2015Q3', progress: one, unit: 'm²/百户', name: 'x', lang: 'zh', aggregated: true });
    const [actual, proj] = o.series as Line[];
    expect(actual.data[0]).toBe(80);
    expect(proj.data.every((v) => v === null)).toBe(true);
  });
});
