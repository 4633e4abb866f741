// 街道对比 Streets: streets side by side on every dimension, a heatmap of
// dimension scores, and the street-level indicator values.

import { heatmapOption, wrapWords } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { type EChartsOption, PALETTE } from '../charts/echarts.ts';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { Async } from '../components/States.tsx';
import { RatingBadge, StatusBadge, StatusLegend } from '../components/StatusBadge.tsx';
import { api, type ValueRow } from '../lib/api.ts';
import { fmtPeriod, fmtScore, fmtValue } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { useReport } from '../lib/hooks.ts';
import { punct, ratingLabel, useT } from '../lib/i18n.ts';
import { dimensionName, indicatorName, rollupLabel } from '../lib/names.ts';
import { href } from '../lib/url.ts';

export default function Streets() {
  const g = useGlobals();
  const { t, lang } = useT();
  const report = useReport('street', undefined, { values: 'plan' });
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('streets')}</h1>
        <span className="sub">
          {g.plan.name} · {fmtPeriod(g.period, lang)}
        </span>
      </div>
      <Async q={report} empty={(r) => r.scores.filter((s) => g.keep(s.org_unit)).length === 0}>
        {(r) => {
          const scores = r.scores.filter((s) => g.keep(s.org_unit)).sort((a, b) => b.composite - a.composite);
          const dims = g.plan.dimensions.map((d) => d.id);
          const sname = (c: string) => g.unitByCode.get(c)?.name ?? c;
          const bars: EChartsOption = {
            color: PALETTE,
            grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
            legend: { top: 0, type: 'scroll' },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'category', data: [t('composite'), ...dims.map((d) => dimensionName(g.plan, d, lang))], axisLabel: { fontSize: 12, interval: 0, formatter: (v: string) => wrapWords(v, 12) } },
            yAxis: { type: 'value', max: 100 },
            dataZoom: scores.length > 12 ? [{ type: 'inside' }] : undefined,
            series: scores.map((s) => ({ type: 'bar', name: sname(s.org_unit), data: [s.composite, ...dims.map((d) => s.dimensions[d] ?? 0)].map((v) => Number(v.toFixed(1))), barMaxWidth: 22 })),
          };
          const cells: [number, number, number | null][] = [];
          scores.forEach((s, y) => {
            dims.forEach((d, x) => {
              cells.push([x, y, s.dimensions[d] ?? null]);
            });
          });
          const vals = r.values.filter((v) => v.in_plan && g.keep(v.org_unit));
          const inds = [...new Map(vals.map((v) => [v.indicator, v])).values()];
          const byKey = new Map(vals.map((v) => [`${v.org_unit}|${v.indicator}`, v]));
          const cols: Column<ValueRow>[] = [
            {
              key: 'ind',
              header: t('indicator'),
              // A street's count is a sum or a mean of its communities': said under the name.
              render: (v) => (
                <>
                  {indicatorName(v, lang)}
                  <div className="muted small" data-rollup={v.rollup}>
                    {rollupLabel(v.rollup, lang)}
                  </div>
                </>
              ),
              value: (v) => indicatorName(v, lang),
              width: 200,
            },
            ...scores.map((s) => ({
              key: s.org_unit,
              header: sname(s.org_unit),
              align: 'right' as const,
              value: (v: ValueRow) => byKey.get(`${s.org_unit}|${v.indicator}`)?.value ?? null,
              render: (v: ValueRow) => {
                const x = byKey.get(`${s.org_unit}|${v.indicator}`);
                if (!x) return '—';
                // A community target seen from a street: the status follows its
                // communities (mean attainment), so how many of them meet it is
                // shown beside the street's own value.
                const met = x.coverage === null ? null : Math.round(x.coverage * x.n_units);
                return (
                  <>
                    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
                      {fmtValue(x.value, x.unit, lang)} <StatusBadge status={x.status} compact />
                    </span>
                    {met === null ? null : (
                      <div className="muted small" data-coverage={`${met}/${x.n_units}`}>
                        {lang === 'zh' ? `${met}/${x.n_units} 个社区达标` : `${met}/${x.n_units} communities met`}
                      </div>
                    )}
                  </>
                );
              },
            })),
          ];
          return (
            <>
              <div className="cards">
                {scores.map((s) => (
                  <article className="card" key={s.org_unit} data-unit={s.org_unit}>
                    <div className="label">{sname(s.org_unit)}</div>
                    <div className="big" data-value={s.composite}>
                      {fmtScore(s.composite)}
                    </div>
                    <div className="row">
                      <RatingBadge rating={s.rating} label={ratingLabel(s.rating, lang)} />
                      <a className="small street-communities" href={href(['overview'], { street: s.org_unit, level: null }, g.route.params)}>
                        {lang === 'zh' ? '本街道社区排名 →' : 'its communities →'}
                      </a>
                    </div>
                  </article>
                ))}
              </div>
              <div className="grid g2">
                <Chart id="streets-bars" title={t('sideBySide')} summary={scores.map((s) => `${sname(s.org_unit)} ${fmtScore(s.composite)}`).join(punct(lang).comma)} option={bars} height={400} />
                <Chart
                  id="streets-heatmap"
                  title={t('heatmap')}
                  summary={lang === 'zh' ? '街道 × 维度得分，红低绿高' : 'streets × dimension scores, red low, green high'}
                  option={heatmapOption(
                    scores.map((s) => sname(s.org_unit)),
                    dims.map((d) => dimensionName(g.plan, d, lang)),
                    cells,
                    lang,
                  )}
                  height={Math.max(400, scores.length * 28 + 120)}
                />
              </div>
              <DataTable id="streets-values" caption={lang === 'zh' ? '街道指标对比' : 'Street indicators side by side'} rows={inds} rowKey={(v) => v.indicator} columns={cols} exportUrl={api.valuesExport(g, 'street')} maxHeight={520} toolbar={<StatusLegend />} />
            </>
          );
        }}
      </Async>
    </div>
  );
}
