// Chart options built from API data (no indicator definitions here): the
// ranking bar, radar, rating distribution, heatmap, trends and intervals.
// Large inputs switch to ECharts large mode and dataZoom.

import type { Completeness } from '../lib/api.ts';
import type { Lang } from '../lib/i18n.ts';
import { paren, punct, ratingLabel } from '../lib/i18n.ts';
import { ratingIcon } from '../lib/status.ts';
import { type EChartsOption, PALETTE, ratingColor } from './echarts.ts';

export interface RankItem {
  code: string;
  name: string;
  composite: number;
  rating: string;
}

/**
 * The ranking's bar order (ascending: the best bar is drawn at the top).
 * Items come in the server's rank order (best first), which breaks ties of
 * the rounded composites the charts receive: equal composites keep that
 * order (a stable sort of the reversed input), so the bars agree with the
 * ranks in the table. No name collation: at 0.01 point ties are common, and
 * making the Chinese collator costs tens of milliseconds while the page loads.
 */
export function rankingOrder(items: RankItem[]): RankItem[] {
  return [...items].reverse().sort((a, b) => a.composite - b.composite);
}

/**
 * Horizontal ranking bars, best at the top. Past 40 bars a dataZoom window
 * (slider and wheel) shows 40 at a time and filters the rest out before
 * layout, so 10,000 communities cost about what 40 do: one series of plain
 * numbers, each bar coloured by its rating through a lookup (no per-bar
 * objects); the slider has no data shadow (sorted bars make it one falling
 * curve, ~30 ms to draw at 10,000).
 */
export function rankingOption(items: RankItem[], lang: Lang, opts: { dark?: boolean; fontSize?: number } = {}): EChartsOption {
  const sorted = rankingOrder(items);
  const n = sorted.length;
  const zoom = n > 40;
  const fs = opts.fontSize ?? 12;
  const showFrom = zoom ? Math.max(0, 100 - (40 / n) * 100) : 0;
  const colors = sorted.map((s) => ratingColor(s.rating));
  return {
    grid: { left: 8, right: zoom ? 56 : 48, top: 10, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: unknown) => {
        const p = (ps as { dataIndex: number }[])[0];
        const it = sorted[p.dataIndex];
        return it ? `${it.name}<br/>${lang === 'zh' ? '综合得分' : 'Composite'}${punct(lang).colon}<b>${it.composite.toFixed(1)}</b><br/>${lang === 'zh' ? '等级' : 'Rating'}${punct(lang).colon}${ratingLabel(it.rating, lang)}` : '';
      },
    },
    xAxis: { type: 'value', max: 100, axisLabel: { fontSize: fs } },
    yAxis: {
      type: 'category',
      data: sorted.map((s) => s.name),
      axisLabel: { fontSize: fs, width: 120, overflow: 'truncate' },
      axisTick: { show: false },
    },
    dataZoom: zoom
      ? [
          { type: 'slider', yAxisIndex: 0, start: showFrom, end: 100, width: 16, right: 8, showDetail: false, showDataShadow: false, filterMode: 'filter' },
          { type: 'inside', yAxisIndex: 0, start: showFrom, end: 100, zoomOnMouseWheel: false, moveOnMouseWheel: true, filterMode: 'filter' },
        ]
      : undefined,
    series: [
      {
        type: 'bar',
        name: lang === 'zh' ? '综合得分' : 'Composite',
        barMaxWidth: 18,
        cursor: 'pointer',
        // dataIndex is the bar's index in `sorted` (filtering keeps raw indices).
        data: sorted.map((s) => Number(s.composite.toFixed(1))),
        itemStyle: { color: (p: { dataIndex: number }) => colors[p.dataIndex] ?? '#7f8c8d' },
        // the value and the rating's icon: the bar's colour is not the only sign of its rating
        // bars thinner than their label (36 on a 720-line projector) would print labels over each other
        labelLayout: { hideOverlap: true },
        label: { show: !zoom || n <= 60, position: 'right', fontSize: fs - 1, formatter: (p: { value: number; dataIndex: number }) => `${p.value.toFixed(1)} ${ratingIcon(sorted[p.dataIndex]?.rating ?? '')}`, color: opts.dark ? '#e5e7eb' : '#374151' },
      },
    ],
  };
}

export function ratingLegend(lang: Lang, ratings: string[]): { label: string; color: string }[] {
  return ratings.map((r) => ({ label: ratingLabel(r, lang), color: ratingColor(r) }));
}

export interface RadarSeries {
  name: string;
  values: number[];
  dashed?: boolean;
}

/**
 * Break a label at spaces into lines of at most `width` characters (a word
 * longer than that keeps its own line). Text without spaces (Chinese) stays
 * as it is.
 */
export function wrapWords(text: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

export function radarOption(dims: { name: string }[], series: RadarSeries[], opts: { dark?: boolean; fontSize?: number } = {}): EChartsOption {
  return {
    color: PALETTE,
    legend: { bottom: 0, textStyle: { fontSize: opts.fontSize ?? 12 } },
    tooltip: { trigger: 'item' },
    radar: {
      indicator: dims.map((d) => ({ name: d.name, max: 100 })),
      radius: '56%',
      center: ['50%', '46%'],
      // Long (English) dimension names wrap instead of running off the canvas
      // (radar names ignore width/overflow, so the breaks are ours).
      axisName: { fontSize: opts.fontSize ?? 12, color: opts.dark ? '#e5e7eb' : '#374151', formatter: (name?: string) => wrapWords(name ?? '', 16) },
      splitNumber: 4,
    },
    series: [
      {
        type: 'radar',
        data: series.map((s, i) => ({
          name: s.name,
          value: s.values.map((v) => Number(v.toFixed(1))),
          symbolSize: 5,
          lineStyle: { width: i === 0 ? 3 : 2, type: s.dashed ? 'dashed' : 'solid' },
          areaStyle: i === 0 ? { opacity: 0.15 } : undefined,
        })),
      },
    ],
  };
}

export function ratingDistOption(counts: { rating: string; n: number }[], lang: Lang, opts: { dark?: boolean; fontSize?: number } = {}): EChartsOption {
  const fs = opts.fontSize ?? 12;
  return {
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: counts.map((c) => ratingLabel(c.rating, lang)), axisLabel: { fontSize: fs } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: fs } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 56,
        data: counts.map((c) => ({ value: c.n, itemStyle: { color: ratingColor(c.rating) } })),
        label: { show: true, position: 'top', fontSize: fs, color: opts.dark ? '#e5e7eb' : '#374151', formatter: (p: { value: number }) => `${p.value}${lang === 'zh' ? ' 个' : ''}` },
      },
    ],
  };
}

const fmtScoreLabel = (v: number | string) => (typeof v === 'number' ? v.toFixed(1) : '—');

export function heatmapOption(rows: string[], cols: string[], cells: [number, number, number | null][], lang: Lang): EChartsOption {
  return {
    tooltip: { position: 'top' },
    grid: { left: 8, right: 16, top: 8, bottom: 70, containLabel: true },
    xAxis: { type: 'category', data: cols, splitArea: { show: true }, axisLabel: { interval: 0, fontSize: 12, formatter: (v: string) => wrapWords(v, 12) } },
    // Rows top-down in the order given (a category axis starts at the bottom).
    yAxis: { type: 'category', data: rows, inverse: true, splitArea: { show: true }, axisLabel: { fontSize: 12 } },
    // The handles carry the range's ends (and follow a drag): no second pair of end labels.
    visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 4, inRange: { color: ['#c0392b', '#f5d76e', '#1a7f4b'] }, textStyle: { fontSize: 11 } },
    series: [
      {
        type: 'heatmap',
        name: lang === 'zh' ? '维度得分' : 'Dimension score',
        data: cells.map(([x, y, v]) => [x, y, v === null ? '-' : Number(v.toFixed(1))]),
        // One decimal in every cell, as in the score tables (90.0 beside 95.8, not 90).
        label: { show: rows.length * cols.length <= 400, fontSize: 12, formatter: (p: { value: [number, number, number | string] }) => fmtScoreLabel(p.value[2]) },
        emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,.3)' } },
        progressive: 2000,
      },
    ],
  };
}

const STABLE_COLOR = '#2f6fca';
const UNSTABLE_COLOR = '#e07b39';

/**
 * Weight-sensitivity rank intervals (5th–95th percentile of the rank over
 * random weight draws) with the current rank. Stable and unstable intervals
 * are separate series, so the legend names both colours, and an unstable
 * community's label carries ⚠ as well (colour is not the only signal).
 */
export function sensitivityOption<R extends { org_unit: string; rank: number; p5: number; p95: number; stable: boolean }>(
  input: R[],
  nameOf: (r: R) => string,
  lang: Lang,
): EChartsOption {
  const zh = lang === 'zh';
  const names = {
    stable: zh ? '排名区间 5%–95%（稳定）' : 'Rank interval 5–95% (stable)',
    unstable: zh ? '⚠ 排名区间（不稳定）' : '⚠ Rank interval (unstable)',
    rank: zh ? '当前排名' : 'Rank',
  };
  const rows = [...input].sort((a, b) => b.rank - a.rank);
  const n = rows.length;
  const zoom = n > 40;
  const width = (r: R) => Math.max(0.3, r.p95 - r.p5);
  const interval = (stable: boolean, name: string, color: string) => ({
    type: 'bar' as const,
    stack: 'iv',
    name,
    itemStyle: { color },
    barMaxWidth: 12,
    data: rows.map((r) => (r.stable === stable ? width(r) : 0)),
  });
  return {
    grid: { left: 8, right: zoom ? 40 : 16, top: 30, bottom: 30, containLabel: true },
    legend: { top: 0, data: [names.stable, names.unstable, names.rank] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: unknown) => {
        const r = rows[(ps as { dataIndex: number }[])[0].dataIndex];
        return `${nameOf(r)}<br/>${zh ? '排名' : 'Rank'} ${r.rank}${paren(`${r.p5}–${r.p95}`, zh ? 'zh' : 'en')}${r.stable ? '' : zh ? ' ⚠ 不稳定' : ' ⚠ unstable'}`;
      },
    },
    xAxis: { type: 'value', min: 1, max: Math.max(1, n), name: zh ? '排名' : 'rank', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => (r.stable ? nameOf(r) : `⚠ ${nameOf(r)}`)), axisLabel: { fontSize: 11, width: 110, overflow: 'truncate' } },
    dataZoom: zoom
      ? [
          { type: 'slider', yAxisIndex: 0, start: 100 - (40 / n) * 100, end: 100, right: 8, width: 14 },
          { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true },
        ]
      : undefined,
    series: [
      // The invisible base of each interval: the bars start at the 5th percentile.
      { type: 'bar', stack: 'iv', data: rows.map((r) => r.p5), itemStyle: { color: 'transparent' }, silent: true, barMaxWidth: 12, name: '' },
      interval(true, names.stable, STABLE_COLOR),
      interval(false, names.unstable, UNSTABLE_COLOR),
      { type: 'scatter', name: names.rank, data: rows.map((r) => r.rank), symbol: 'diamond', symbolSize: 9, itemStyle: { color: '#111' } },
    ],
  };
}

/**
 * The completeness matrix (units x quarters): a cell per unit and quarter,
 * red with a ✘ where the unit sent nothing (the mark, not the colour alone,
 * says so), green where it sent something (the tooltip counts its tables).
 */
export function completenessOption(c: Completeness, u: { keep: (code: string) => boolean; nameOf: (code: string) => string }, lang: Lang): { option: EChartsOption; units: string[]; missing: number; total: number } {
  const units = [...new Set(c.rows.map((r) => r.org_unit))].filter((x) => u.keep(x)).sort();
  const idx = new Map(units.map((u, i) => [u, i]));
  const pidx = new Map(c.periods.map((p, i) => [p, i]));
  const have = new Map(c.rows.map((r) => [`${r.org_unit}|${r.period}`, r.n_tables]));
  const data: [number, number, number][] = [];
  let missing = 0;
  for (const x of units)
    for (const p of c.periods) {
      const n = have.get(`${x}|${p}`) ?? 0;
      if (n === 0) missing++;
      data.push([pidx.get(p)!, idx.get(x)!, n]);
    }
  const many = units.length > 40;
  return {
    units,
    missing,
    total: units.length * c.periods.length,
    option: {
      tooltip: {
        formatter: (p: unknown) => {
          const d = (p as { data: [number, number, number] }).data;
          return `${u.nameOf(units[d[1]])} · ${c.periods[d[0]]}<br/>${d[2] === 0 ? (lang === 'zh' ? '✘ 无报送' : '✘ no export') : `${lang === 'zh' ? '已报送表' : 'tables'}${punct(lang).colon}${d[2]} / ${c.tables.length}`}`;
        },
      },
      grid: { left: 8, right: many ? 40 : 16, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: 'category', data: c.periods, axisLabel: { fontSize: 11, rotate: 45 } },
      // Units in code order, each street after its district and before its
      // communities: the district and street names in bold mark the groups.
      yAxis: {
        type: 'category',
        data: units.map((x) => u.nameOf(x)),
        axisLabel: {
          fontSize: 11,
          width: 110,
          overflow: 'truncate',
          formatter: (name: string, i: number) => (units[i]?.length === 12 ? name : `{group|${name}}`),
          rich: { group: { fontWeight: 'bold', fontSize: 11 } },
        },
        inverse: true,
      },
      dataZoom: many ? [{ type: 'slider', yAxisIndex: 0, start: 0, end: Math.min(100, (40 / units.length) * 100), right: 8, width: 14 }, { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true }] : undefined,
      visualMap: {
        type: 'piecewise',
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        pieces: [
          { lt: 0.5, label: lang === 'zh' ? '✘ 无报送' : '✘ no export', color: '#c0392b' },
          { gte: 0.5, label: lang === 'zh' ? '✔ 已报送（悬停查看表数）' : '✔ exported (hover for tables)', color: '#5fb37f' },
        ],
      },
      series: [
        {
          type: 'heatmap',
          data,
          progressive: 5000,
          itemStyle: { borderColor: '#fff', borderWidth: units.length > 200 ? 0 : 1 },
          label: { show: true, color: '#fff', fontSize: 11, formatter: (p: { data: [number, number, number] }) => (p.data[2] === 0 ? '✘' : '') },
        },
      ],
    },
  };
}
