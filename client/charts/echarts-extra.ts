// The charts and components of every page but the overview, registered on
// the ECharts of echarts.ts when App.tsx loads such a page (the overview's
// chunk stays without them).

import { HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { MarkLineComponent, VisualMapComponent } from 'echarts/components';
import { echarts } from './echarts.ts';

echarts.use([LineChart, PieChart, HeatmapChart, ScatterChart, MarkLineComponent, VisualMapComponent]);
