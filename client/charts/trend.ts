// Quarter-by-quarter trend of one indicator with its target as a dashed line.
import type { SeriesRow } from '../lib/api.ts';
import { fmtBare } from '../lib/format.ts';
import type { Lang } from '../lib/i18n.ts';
import type { EChartsOption } from './echarts.ts';

export function trendOption(rows: SeriesRow[], unit: string, name: string, lang: Lang, compare?: { name: string; rows: SeriesRow[] }): EChartsOption {
  const all = [...new Set([...rows.map((r) => r.period), ...(compare?.rows.map((r) => r.period) ?? [])])].sort();
  // The axis starts at the first quarter with a value (the calendar's baseline
  // quarter before the plan has none); later gaps stay gaps.
  const has = new Set([...rows, ...(compare?.rows ?? [])].filter((r) => r.value !== null && !r.no_data).map((r) => r.period));
  const from = all.findIndex((p) => has.has(p));
  const periods = from < 0 ? all : all.slice(from);
  const at = (rs: SeriesRow[]) => {
    const m = new Map(rs.map((r) => [r.period, r]));
    return periods.map((p) => m.get(p));
  };
  const own = at(rows);
  const tgt = (k: 'target_lo' | 'target_hi') => own.map((r) => (r && r[k] !== null ? r[k] : null));
  const lo = tgt('target_lo');
  const hi = tgt('target_hi');
  const scale = (v: number | null | undefined) => (v === null || v === undefined ? null : unit === '%' ? v * 100 : v);
  const series: EChartsOption[] = [
    {
      type: 'line',
      name,
      data: own.map((r) => scale(r?.value)),
      connectNulls: false,
      symbolSize: 6,
      lineStyle: { width: 3 },
      itemStyle: { color: '#2f6fca' },
    },
  ];
  if (compare) series.push({ type: 'line', name: compare.name, data: at(compare.rows).map((r) => scale(r?.value)), symbolSize: 4, lineStyle: { width: 2 }, itemStyle: { color: '#9ca3af' } });
  if (lo.some((v) => v !== null)) series.push({ type: 'line', name: `${lang === 'zh' ? '目标' : 'Target'}${hi.some((v) => v !== null) ? (lang === 'zh' ? '下限' : ' (low)') : ''}`, data: lo.map(scale), step: 'end', symbol: 'none', lineStyle: { type: 'dashed', width: 2 }, itemStyle: { color: '#c0392b' } });
  if (hi.some((v) => v !== null)) series.push({ type: 'line', name: `${lang === 'zh' ? '目标' : 'Target'}${lo.some((v) => v !== null) ? (lang === 'zh' ? '上限' : ' (high)') : ''}`, data: hi.map(scale), step: 'end', symbol: 'none', lineStyle: { type: 'dashed', width: 2 }, itemStyle: { color: '#e07b39' } });
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? (unit === '%' ? `${v.toFixed(1)}%` : fmtBare(v, unit, lang)) : '—') },
    xAxis: { type: 'category', data: periods, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 11, formatter: unit === '%' ? '{value}%' : '{value}' }, name: unit === '%' ? '' : unit, nameTextStyle: { fontSize: 11 } },
    series,
  };
}
