// One chart: a labelled figure (title, aria-label, text summary for screen
// readers) around echarts-for-react, with PNG export. Marks itself
// data-rendered="1" once ECharts has finished drawing (tests and the bench
// wait on it).

import EChartsCoreMod from 'echarts-for-react/lib/core.js';
import { type ComponentType, type ReactNode, useCallback, useRef, useState } from 'react';
import { useT } from '../lib/i18n.ts';
import { type EChartsOption, echarts, FONT } from './echarts.ts';

// The CommonJS default export, whichever way the bundler interops it.
const ReactECharts = ((EChartsCoreMod as unknown as { default?: unknown }).default ?? EChartsCoreMod) as ComponentType<Record<string, unknown>>;

interface Props {
  id: string;
  title: string;
  /** Plain-text description of what the chart shows (its aria-label). */
  summary: string;
  option: EChartsOption;
  height?: number | string;
  onClick?: (p: { name?: string; dataIndex?: number; data?: unknown; seriesName?: string; value?: unknown }) => void;
  actions?: ReactNode;
  dark?: boolean;
  hint?: string;
  exportName?: string;
}

export function Chart({ id, title, summary, option, height = 360, onClick, actions, dark, hint, exportName }: Props) {
  const { t } = useT();
  const ref = useRef<{ getEchartsInstance: () => echarts.ECharts } | null>(null);
  const [rendered, setRendered] = useState(false);
  const events = {
    finished: () => setRendered(true),
    ...(onClick ? { click: onClick } : {}),
  };
  const png = useCallback(() => {
    const inst = ref.current?.getEchartsInstance();
    if (!inst) return;
    const url = inst.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: dark ? '#0b1526' : '#ffffff' });
    const a = document.createElement('a');
    a.href = url;
    a.download = `${exportName ?? title}.png`;
    a.click();
  }, [dark, exportName, title]);
  const full: EChartsOption = {
    textStyle: { fontFamily: FONT },
    aria: { enabled: true, label: { description: summary } },
    // Drawn at once (the numbers matter, not the motion); the projector view animates.
    animation: !!dark,
    animationDuration: 300,
    ...option,
  };
  return (
    <figure className="chart" aria-labelledby={`${id}-title`} data-chart={id} data-rendered={rendered ? '1' : '0'}>
      <figcaption className="chart-head">
        <h3 id={`${id}-title`}>{title}</h3>
        {hint ? <span className="hint">{hint}</span> : null}
        <span className="spacer" />
        {actions}
        <button type="button" className="btn small ghost" onClick={png} aria-label={`${t('exportPng')}: ${title}`}>
          ⤓ {t('exportPng')}
        </button>
      </figcaption>
      <div role="img" aria-label={`${title}。${summary}`} style={{ height }}>
        <ReactECharts
          ref={ref}
          echarts={echarts}
          option={full}
          notMerge
          lazyUpdate
          style={{ height: '100%', width: '100%' }}
          theme={dark ? 'dark' : undefined}
          onEvents={events}
          opts={{ renderer: 'canvas' }}
        />
      </div>
    </figure>
  );
}
