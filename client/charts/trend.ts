// Quarter-by-quarter trend of one indicator with its target as a dashed line
// (the part of an annual target due by each quarter, the full target dotted).
import type { SeriesRow } from '../lib/api.ts';
import { fmtBare } from '../lib/format.ts';
import type { Lang } from '../lib/i18n.ts';
import type { EChartsOption } from './echarts.ts';

/** Whether some quarter is judged against less than the full target (an annual target pro rata). */
export function trendProRata(rows: SeriesRow[]): boolean {
  return rows.some(
    (r) => (r.target_effective_lo !== undefined && r.target_effective_lo !== r.target_lo) || (r.target_effective_hi !== undefined && r.target_effective_hi !== r.target_hi),
  );
}

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
  // The target each quarter is judged against: an annual target counts pro
  // rata within its plan year (attainment and status use it). Where that
  // differs from the full target, both are drawn: the one due by the quarter
  // dashed, the full one dotted and thin.
  const due = (k: 'target_lo' | 'target_hi') => own.map((r) => (r ? (r[k === 'target_lo' ? 'target_effective_lo' : 'target_effective_hi'] ?? r[k]) : null));
  const full = { lo: tgt('target_lo'), hi: tgt('target_hi') };
  const lo = due('target_lo');
  const hi = due('target_hi');
  const proRata = trendProRata(own.filter((r): r is SeriesRow => !!r));
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
  const both = lo.some((v) => v !== null) && hi.some((v) => v !== null);
  const targetName = (bound: 'lo' | 'hi', dueNow: boolean) =>
    (lang === 'zh' ? (dueNow ? '当期应达（按进度折算）' : '目标') : dueNow ? 'Due this quarter (pro rata)' : 'Target') +
    (both ? (lang === 'zh' ? (bound === 'lo' ? '下限' : '上限') : bound === 'lo' ? ' (low)' : ' (high)') : '');
  const colour = { lo: '#c0392b', hi: '#e07b39' };
  for (const bound of ['lo', 'hi'] as const) {
    const data = bound === 'lo' ? lo : hi;
    if (!data.some((v) => v !== null)) continue;
    series.push({ type: 'line', name: targetName(bound, proRata), data: data.map(scale), step: 'end', symbol: 'none', lineStyle: { type: 'dashed', width: 2 }, itemStyle: { color: colour[bound] } });
    if (proRata) series.push({ type: 'line', name: targetName(bound, false), data: full[bound].map(scale), step: 'end', symbol: 'none', lineStyle: { type: 'dotted', width: 1 }, itemStyle: { color: colour[bound] } });
  }
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? (unit === '%' ? `${v.toFixed(1)}%` : fmtBare(v, unit, lang)) : '—') },
    xAxis: { type: 'category', data: periods, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 11, formatter: unit === '%' ? '{value}%' : '{value}' }, name: unit === '%' ? '' : unit, nameTextStyle: { fontSize: 11 } },
    series,
  };
}
