// One chart: a labelled figure (title, aria-label, text summary for screen
// readers) around echarts-for-react, with PNG export. Marks itself
// data-rendered="1" once ECharts has finished drawing (tests and the bench
// wait on it).
//
// The wrapper gets the same option object and the same event handlers until
// the option's content really changes: echarts-for-react sets an option that
// is not deep-equal to the last one again, and re-creates the instance when
// its handlers change, so a parent's re-render with an equal option (new
// object and closures, same content) would lay a 10,000-bar ranking out again.

import EChartsCoreMod from 'echarts-for-react/lib/core.js';
import { type ComponentType, type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { useT } from '../lib/i18n.ts';
import { usePrinting } from '../lib/printing.ts';
import { type EChartsOption, echarts, FONT } from './echarts.ts';

// The CommonJS default export, whichever way the bundler interops it.
const ReactECharts = ((EChartsCoreMod as unknown as { default?: unknown }).default ?? EChartsCoreMod) as ComponentType<Record<string, unknown>>;

type ClickParams = { name?: string; dataIndex?: number; data?: unknown; seriesName?: string; value?: unknown };

interface Props {
  id: string;
  title: string;
  /** Plain-text description of what the chart shows (its aria-label). */
  summary: string;
  option: EChartsOption;
  height?: number | string;
  onClick?: (p: ClickParams) => void;
  actions?: ReactNode;
  dark?: boolean;
  hint?: string;
  exportName?: string;
}

/** Structural equality of two options; functions compare by their source (a re-render makes new closures of the same code). */
export function sameOption(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'function' && typeof b === 'function') return a.toString() === b.toString();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameOption(a[i], y[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameOption((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** The option as given until its content changes (keeps the reference across re-renders). */
function useStableOption(option: EChartsOption): EChartsOption {
  const last = useRef(option);
  if (last.current !== option && !sameOption(last.current, option)) last.current = option;
  return last.current;
}

export function Chart({ id, title, summary, option, height = 360, onClick, actions, dark, hint, exportName }: Props) {
  const { t } = useT();
  const ref = useRef<{ getEchartsInstance: () => echarts.ECharts } | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const [rendered, setRendered] = useState(false);
  const stable = useStableOption(option);
  const full = useMemo<EChartsOption>(
    () => ({
      textStyle: { fontFamily: FONT },
      aria: { enabled: true, label: { description: summary } },
      // Drawn at once (the numbers matter, not the motion); the projector view animates.
      animation: !!dark,
      animationDuration: 300,
      ...stable,
    }),
    [stable, summary, dark],
  );
  // Stable handlers: the click goes to the latest onClick through a ref.
  const hasClick = !!onClick;
  const events = useMemo(
    () => ({
      finished: () => setRendered(true),
      ...(hasClick ? { click: (p: ClickParams) => click.current?.(p) } : {}),
    }),
    [hasClick],
  );

  const png = useCallback(() => {
    const c = ref.current?.getEchartsInstance();
    if (!c) return;
    const url = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: dark ? '#0b1526' : '#ffffff' });
    const a = document.createElement('a');
    a.href = url;
    a.download = `${exportName ?? title}.png`;
    a.click();
  }, [dark, exportName, title]);

  // On paper the drawing is a picture at twice the screen's resolution, all
  // layers merged, that the print stylesheet fits to the page.
  const printing = usePrinting() !== null;
  const paper = printing && rendered ? printImage(ref.current?.getEchartsInstance(), dark) : null;

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
      {paper ? <img className="print-img" src={paper.url} alt={`${title}。${summary}`} style={{ maxWidth: `min(100%, ${paper.width}px)` }} /> : null}
    </figure>
  );
}

function printImage(c: echarts.ECharts | undefined, dark?: boolean): { url: string; width: number } | null {
  if (!c || c.isDisposed()) return null;
  return { url: c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: dark ? '#0b1526' : '#ffffff' }), width: c.getWidth() };
}
