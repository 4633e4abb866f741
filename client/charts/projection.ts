// The phase page's projection chart: an indicator's actual values by quarter,
// the dashed projection from the report period to the phase end and the plan
// end, and the target. A community indicator seen from the district is
// tracked as the communities' mean attainment (in %).

import { periodOf, periodOfDate, quarterIndex } from '../../metrics/compile/calendar.ts';
import type { ProgressRow, SeriesRow } from '../lib/api.ts';
import { fmtBare } from '../lib/format.ts';
import { type Lang, paren } from '../lib/i18n.ts';
import type { EChartsOption } from './echarts.ts';

export interface ProjectionInput {
  /** One indicator's series for the unit, in period order. */
  rows: SeriesRow[];
  /** The plan's phases (ISO end dates), in order. */
  phases: { end: string }[];
  /** The report period ('2018Q2'). */
  period: string;
  progress: Pick<ProgressRow, 'phase_idx' | 'value' | 'proj_phase_end' | 'proj_plan_end' | 'target_lo' | 'target_hi'>;
  unit: string;
  name: string;
  lang: Lang;
  /** Plot mean attainment instead of the value. */
  aggregated: boolean;
}

export function projectionOption({ rows, phases, period, progress, unit, name, lang, aggregated }: ProjectionInput): EChartsOption {
  const zh = lang === 'zh';
  const end = phases[phases.length - 1].end;
  const phaseEnd = phases[progress.phase_idx - 1]?.end ?? end;
  // A period without data is a gap, never a zero (the calendar's baseline
  // quarter before the plan starts has none); the axis starts at the first data.
  const shown = (r: SeriesRow) => (r.no_data ? null : aggregated ? (r.attainment ?? null) : r.value);
  const periods: string[] = [];
  const first = rows.find((r) => shown(r) !== null)?.period ?? period;
  for (let q = quarterIndex(first); q <= quarterIndex(periodOfDate(end)); q++) periods.push(periodOf(q));
  const s = unit === '%' || aggregated ? 100 : 1;
  const shownUnit = aggregated ? '%' : unit;
  const sc = (v: number | null | undefined) => (v === null || v === undefined ? null : v * s);
  const byP = new Map(rows.map((r) => [r.period, shown(r)]));
  const actual = periods.map((p) => (p <= period ? sc(byP.get(p)) : null));
  const proj = periods.map(() => null as number | null);
  const iNow = periods.indexOf(period);
  const iPh = periods.indexOf(periodOfDate(phaseEnd));
  const iEnd = periods.length - 1;
  const cur = sc(byP.get(period) ?? progress.value);
  // No line yet (fewer than two quarters): no projection series, the actual point stays visible.
  if (iNow >= 0 && cur !== null && (progress.proj_phase_end !== null || progress.proj_plan_end !== null)) {
    proj[iNow] = cur;
    if (iPh > iNow && progress.proj_phase_end !== null) proj[iPh] = sc(progress.proj_phase_end);
    if (progress.proj_plan_end !== null) proj[iEnd] = sc(progress.proj_plan_end);
  }
  const tgt = sc(progress.target_lo ?? progress.target_hi);
  return {
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? (shownUnit === '%' ? `${v.toFixed(1)}%` : fmtBare(v, shownUnit, lang)) : '—') },
    xAxis: { type: 'category', data: periods, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { formatter: shownUnit === '%' ? '{value}%' : '{value}', fontSize: 11 } },
    series: [
      { type: 'line', name: `${name}${paren(zh ? '实际' : 'actual', zh ? 'zh' : 'en')}`, data: actual, lineStyle: { width: 3 }, itemStyle: { color: '#2f6fca' }, symbolSize: 6 },
      { type: 'line', name: zh ? '趋势外推' : 'Projection', data: proj, connectNulls: true, lineStyle: { type: 'dashed', width: 2 }, itemStyle: { color: '#8e44ad' }, symbol: 'circle', symbolSize: 7 },
      {
        type: 'line',
        name: zh ? '目标' : 'Target',
        data: periods.map(() => tgt),
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 2 },
        itemStyle: { color: '#c0392b' },
        markLine: { silent: true, symbol: 'none', label: { formatter: zh ? '阶段末' : 'phase end', fontSize: 11 }, lineStyle: { type: 'dotted', color: '#999' }, data: iPh >= 0 ? [{ xAxis: periods[iPh] }] : [] },
      },
    ],
  };
}
