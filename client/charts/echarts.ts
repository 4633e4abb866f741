// Where ECharts is assembled, from echarts/core with only what the
// dashboard uses: here what the overview draws (bars, radar, zoom, label
// layout: overlapping bar labels hidden), in the
// chunk the landing page preloads; the other pages' charts and components
// (lines, pie, heatmap, scatter, visual map, mark lines) are registered by
// echarts-extra.ts, which App.tsx loads with every other page.

import { BarChart, RadarChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, RadarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, RadarComponent, AriaComponent, LabelLayout, CanvasRenderer]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;

export const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif';

/** Rating colours (always shown with the rating label too). */
export const RATING_COLOR: Record<string, string> = { 优秀: '#1a7f4b', 良好: '#2f6fca', 合格: '#c98a06', 不合格: '#c0392b' };
export const ratingColor = (r: string): string => RATING_COLOR[r] ?? '#7f8c8d';

export const PALETTE = ['#2f6fca', '#e07b39', '#1a7f4b', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#d35400'];
