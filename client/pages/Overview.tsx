// 总览 Overview: district headline cards, the composite ranking (click a bar
// to open the community), the dimension radar of the district against its
// best and weakest street, and the rating distribution. One request
// (overviewData.ts) brings what the cards and charts draw; the ranking
// arrives as columns and the page keeps it so (row indexes), drawing each
// chart once per response. The score table under the charts (ranks,
// dimension scores) asks /scores?shape=columns once that response is in.

import { useMemo } from 'react';
import { headlineCards } from '../../metrics/catalogue/headline.ts';
import { radarOption, rankingOption, rankingOrder, ratingDistOption } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { ratingColor } from '../charts/echarts.ts';
import { IndicatorCard } from '../components/Cards.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Async, Empty } from '../components/States.tsx';
import { RatingBadge } from '../components/StatusBadge.tsx';
import { api, type ScoreRow } from '../lib/api.ts';
import { useLoad } from '../lib/fetch.ts';
import { fmtPeriod, fmtScore } from '../lib/format.ts';
import { type Globals, useGlobals } from '../lib/globals.tsx';
import { useIdleAfter } from '../lib/hooks.ts';
import { punct, ratingLabel, useT } from '../lib/i18n.ts';
import { dimensionName, indicatorName } from '../lib/names.ts';
import { currentPhaseRows, planEndTally } from '../lib/outlook.ts';
import { ratingIcon } from '../lib/status.ts';
import { href, navigate } from '../lib/url.ts';
import { loadOverview, rankLevel } from './overviewData.ts';

export const RATING_ORDER = ['优秀', '良好', '合格', '不合格'];

export function rankingItems(g: Globals, scores: ScoreRow[]) {
  return scores.filter((s) => g.keep(s.org_unit)).map((s) => ({ code: s.org_unit, name: g.unitByCode.get(s.org_unit)?.name ?? s.name ?? s.org_unit, composite: s.composite, rating: s.rating }));
}

/** Indexes of the codes passing the street and urban/rural filters, in their order. */
function keptRows(g: Globals, codes: string[] | undefined): number[] {
  const out: number[] = [];
  if (codes) for (let i = 0; i < codes.length; i++) if (g.keep(codes[i])) out.push(i);
  return out;
}

export function ratingCounts(scores: { rating: string }[]) {
  const m = new Map<string, number>();
  for (const s of scores) m.set(s.rating, (m.get(s.rating) ?? 0) + 1);
  const known = RATING_ORDER.map((r) => ({ rating: r, n: m.get(r) ?? 0 }));
  const extra = [...m.entries()].filter(([r]) => !RATING_ORDER.includes(r)).map(([rating, n]) => ({ rating, n }));
  return [...known, ...extra];
}

export function radarSeries(g: Globals, d: ScoreRow | undefined, streets: ScoreRow[], lang: 'zh' | 'en') {
  const dims = g.plan.dimensions.map((x) => x.id);
  const ss = streets.filter((s) => g.keep(s.org_unit)).sort((a, b) => b.composite - a.composite);
  const series = [];
  if (d) series.push({ name: lang === 'zh' ? `全区（${fmtScore(d.composite)}）` : `District (${fmtScore(d.composite)})`, values: dims.map((k) => d.dimensions[k] ?? 0) });
  const best = ss[0];
  const worst = ss[ss.length - 1];
  if (best) series.push({ name: `${lang === 'zh' ? '最好：' : 'Best: '}${g.unitByCode.get(best.org_unit)?.name ?? best.name}`, values: dims.map((k) => best.dimensions[k] ?? 0) });
  if (worst && worst !== best) series.push({ name: `${lang === 'zh' ? '最弱：' : 'Weakest: '}${g.unitByCode.get(worst.org_unit)?.name ?? worst.name}`, values: dims.map((k) => worst.dimensions[k] ?? 0), dashed: true });
  return { dims: dims.map((k) => ({ name: dimensionName(g.plan, k, lang) })), series };
}

export default function Overview() {
  const g = useGlobals();
  const { t, lang } = useT();
  const q = useLoad(`overview:${g.plan.id}:${g.period}:${g.level}`, () => loadOverview({ params: g.route.params, plan: g.plan, period: g.period, level: g.level }));
  const lv = rankLevel(g);
  const rk = q.data?.ranking;
  const col = rk?.columns;
  // Derived once per response (and filter or language), not on every re-render.
  /** Ranking rows passing the street and urban/rural filters, as indexes into the columns, in rank order. */
  const rows = useMemo(() => keptRows(g, col?.org_unit), [g, col]);
  const items = useMemo(
    () => (rk ? rows.map((i) => ({ code: rk.columns.org_unit[i], name: g.unitByCode.get(rk.columns.org_unit[i])?.name ?? rk.columns.org_unit[i], composite: rk.columns.composite[i], rating: rk.ratings[rk.columns.rating[i]] })) : []),
    [g, rk, rows],
  );
  const rankOpt = useMemo(() => rankingOption(items, lang), [items, lang]);
  const counts = useMemo(() => ratingCounts(items), [items]);
  const distOpt = useMemo(() => ratingDistOption(counts, lang), [counts, lang]);
  const district = q.data?.district;
  const streets = q.data?.streets;
  const radar = useMemo(() => {
    if (!district) return null;
    const { dims, series } = radarSeries(g, district.scores[0], streets ?? [], lang);
    return { option: radarOption(dims, series), summary: series.map((x) => x.name).join('、') };
  }, [g, district, streets, lang]);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('overview')}</h1>
        <span className="sub">
          {g.plan.name} · {fmtPeriod(g.period, lang)}
        </span>
      </div>
      <section aria-labelledby="headline-h">
        <h2 id="headline-h" className="sr-only">
          {t('headline')}
        </h2>
        <Async q={q} empty={(o) => !o.district || (o.district.values.length === 0 && o.district.scores.length === 0)}>
          {(o) => {
            const d = o.district!;
            const score = d.scores[0];
            const prevScore = d.prev_scores[0];
            const prevById = new Map(d.prev_values.map((v) => [v.indicator, v]));
            const cards = headlineCards(d.values);
            const delta = score && prevScore ? score.composite - prevScore.composite : null;
            return (
              <div className="cards">
                {score ? (
                  <article className="card hero" aria-label={t('composite')} data-indicator="composite">
                    <div className="label">
                      {lang === 'zh' ? '全区' : 'District'} {t('composite')}
                    </div>
                    <div className="big" data-value={score.composite}>
                      {fmtScore(score.composite)}
                    </div>
                    <div className="row">
                      {t('rating')} <RatingBadge rating={score.rating} label={ratingLabel(score.rating, lang)} />
                    </div>
                    <div className="bar" aria-hidden="true">
                      <span style={{ width: `${score.composite}%`, background: ratingColor(score.rating) }} />
                    </div>
                    <div className="row">
                      {t('vsLast')} <ScoreDelta d={delta} />
                    </div>
                  </article>
                ) : null}
                {cards.map((v) => (
                  <IndicatorCard key={v.indicator} v={v} prev={prevById.get(v.indicator)} name={indicatorName(v, lang)} />
                ))}
                <OutlookCard ready={!!score} />
              </div>
            );
          }}
        </Async>
      </section>
      <div className="grid g-main-side">
        <Async q={q}>
          {() => {
            if (items.length === 0) return <Empty />;
            return (
              <Chart
                id="ranking"
                title={lv === 'community' ? t('ranking') : lang === 'zh' ? '街道综合得分排名' : 'Street composite ranking'}
                hint={lv === 'community' ? t('rankingHint') : undefined}
                summary={`${items.length} ${lang === 'zh' ? '个单位按综合得分排序，颜色表示等级' : 'units ranked by composite, coloured by rating'}`}
                option={rankOpt}
                height={Math.min(640, Math.max(360, items.length * 16 + 60))}
                onClick={(p) => {
                  const c = p.dataIndex !== undefined ? rankingOrder(items)[p.dataIndex]?.code : undefined;
                  if (c && lv === 'community') navigate(href(['community', c], {}, g.route.params));
                }}
                actions={<RatingKey />}
              />
            );
          }}
        </Async>
        <div className="stack">
          <Async q={q} empty={(o) => !o.district || o.district.scores.length === 0}>
            {() => (radar ? <Chart id="radar" title={t('radar')} summary={radar.summary} option={radar.option} height={340} /> : null)}
          </Async>
          <Async q={q}>
            {() => (
              <Chart
                id="rating-dist"
                title={t('ratingDist')}
                summary={counts.map((c) => `${ratingLabel(c.rating, lang)} ${c.n}`).join(punct(lang).comma)}
                option={distOpt}
                height={260}
              />
            )}
          </Async>
        </div>
      </div>
      <ScoreTable ready={q.data !== null} />
    </div>
  );
}

/**
 * The ranking as a table: rank, composite, rating, each dimension's score and
 * the no-data count (/scores?shape=columns, full precision), asked once the
 * charts' response is in and the browser is idle (the charts drawn), so that
 * it never delays them. Row indexes into the
 * columns, filtered by street and urban/rural like the charts.
 */
function ScoreTable({ ready }: { ready: boolean }) {
  const g = useGlobals();
  const { t, lang } = useT();
  const lv = rankLevel(g);
  const idle = useIdleAfter(ready);
  const q = useLoad(idle ? `score-table:${g.plan.id}:${g.period}:${lv}` : null, () => api.scoreColumns({ ...g.query, level: lv }));
  // The quarter before, for each unit's change of composite and rank (who moved since the last review).
  const prevPeriod = g.periods[g.periods.indexOf(g.period) - 1] ?? null;
  const qPrev = useLoad(idle && prevPeriod ? `score-table:${g.plan.id}:${prevPeriod}:${lv}` : null, () => api.scoreColumns({ ...g.query, period: prevPeriod!, level: lv }));
  const prev = useMemo(() => {
    const p = qPrev.data?.columns;
    return new Map(p ? p.org_unit.map((u, i) => [u, { composite: p.composite[i], rank: p.rank[i] }]) : []);
  }, [qPrev.data]);
  const c = q.data?.columns;
  const deltaOf = (i: number) => {
    const before = c ? prev.get(c.org_unit[i]) : undefined;
    return c && before ? c.composite[i] - before.composite : null;
  };
  const rows = useMemo(() => keptRows(g, c?.org_unit), [g, c]);
  const code = (i: number) => c?.org_unit[i] ?? '';
  const name = (i: number) => (c ? (g.unitByCode.get(c.org_unit[i])?.name ?? c.name[i] ?? c.org_unit[i]) : '');
  return (
    <Async q={q}>
      {({ columns: c }) => (
        <DataTable
          id="ranking-table"
          caption={lang === 'zh' ? '综合得分与维度得分' : 'Composite and dimension scores'}
          rows={rows}
          rowKey={code}
          exportUrl={api.scoresExport(g, lv)}
          maxHeight={420}
          onRowClick={lv === 'community' ? (i) => navigate(href(['community', code(i)], {}, g.route.params)) : undefined}
          columns={[
            { key: 'rank', header: '#', render: (i) => c.rank[i], width: 48 },
            {
              key: 'name',
              header: lv === 'community' ? t('community') : t('street'),
              render: (i) =>
                lv === 'community' ? (
                  <a href={href(['community', code(i)], {}, g.route.params)} onClick={(e) => e.stopPropagation()}>
                    {name(i)}
                  </a>
                ) : (
                  name(i)
                ),
              value: name,
            },
            { key: 'composite', header: t('composite'), render: (i) => <b>{fmtScore(c.composite[i])}</b>, value: (i) => c.composite[i], align: 'right' },
            {
              key: 'delta',
              header: t('vsLast'),
              render: (i) => {
                const before = prev.get(c.org_unit[i]);
                const moved = before ? before.rank - c.rank[i] : 0;
                return (
                  <span title={before ? (lang === 'zh' ? `上季度第 ${before.rank} 名，${fmtScore(before.composite)} 分` : `last quarter #${before.rank}, ${fmtScore(before.composite)}`) : undefined}>
                    <ScoreDelta d={deltaOf(i)} />
                    {moved !== 0 ? <span className="muted small"> {moved > 0 ? `↑${moved}` : `↓${-moved}`}</span> : null}
                  </span>
                );
              },
              value: deltaOf,
              align: 'right',
            },
            {
              key: 'rating',
              header: t('rating'),
              render: (i) => <RatingBadge rating={c.rating[i]} label={ratingLabel(c.rating[i], lang)} />,
              value: (i) => c.rating[i],
            },
            ...g.plan.dimensions.map((d) => ({
              key: `d-${d.id}`,
              header: dimensionName(g.plan, d.id, lang),
              render: (i: number) => fmtScore(c.dimensions[d.id]?.[i]),
              value: (i: number) => c.dimensions[d.id]?.[i] ?? null,
              align: 'right' as const,
            })),
            { key: 'nd', header: t('n_no_data'), render: (i) => c.n_no_data[i], value: (i) => c.n_no_data[i], align: 'right' },
          ]}
        />
      )}
    </Async>
  );
}

/**
 * Will the district meet the plan's end targets? How many district
 * indicators of the current phase are projected to, linking to the phase
 * page's outlook. Asked once the page's own data is drawn (the phase page
 * shares the request).
 */
function OutlookCard({ ready }: { ready: boolean }) {
  const g = useGlobals();
  const { lang } = useT();
  const idle = useIdleAfter(ready);
  const p = useLoad(idle ? `progress:${g.plan.id}:${g.period}:district` : null, () => api.progress({ ...g.query, level: 'district' }));
  if (!p.data) return null;
  const rows = currentPhaseRows(p.data);
  const { reaching, judged } = planEndTally(rows);
  if (judged === 0) return null;
  const zh = lang === 'zh';
  return (
    <article className="card" data-indicator="outlook" data-reaching={reaching} data-judged={judged}>
      <div className="label">{zh ? '方案末预计达标（按趋势外推）' : 'Projected to meet the plan-end target'}</div>
      <div className="big">
        {reaching} / {judged}
        <span className="unit">{zh ? '项' : 'indicators'}</span>
      </div>
      <div className="row">
        {zh ? `阶段：${p.data.current_phase}` : `Phase: ${p.data.current_phase}`}
        <a href={href('phase', {}, g.route.params)}>{zh ? '查看阶段进度 →' : 'Phase progress →'}</a>
      </div>
    </article>
  );
}

export function RatingKey() {
  const { lang } = useT();
  return (
    <span className="legend">
      {RATING_ORDER.map((r) => (
        <span key={r}>
          <span aria-hidden="true" style={{ display: 'inline-block', width: 10, height: 10, background: ratingColor(r), borderRadius: 2, marginRight: 4 }} />
          {ratingIcon(r)} {ratingLabel(r, lang)}
        </span>
      ))}
    </span>
  );
}

/** A composite's change: ▲ +1.7, ▼ −2.3 or ■ ±0.0, the arrow beside the colour. */
function ScoreDelta({ d }: { d: number | null }) {
  return <b className={d === null ? '' : d > 0 ? 'up' : d < 0 ? 'down' : ''}>{d === null ? '—' : `${d > 0 ? '▲ +' : d < 0 ? '▼ −' : '■ ±'}${Math.abs(d).toFixed(1)}`}</b>;
}
