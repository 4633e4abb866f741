// 总览 Overview: district headline cards, the composite ranking (click a bar
// to open the community), the dimension radar of the district against its
// best and weakest street, and the rating distribution.

import { Chart } from '../charts/Chart.tsx';
import { radarOption, rankingOption, rankingOrder, ratingDistOption } from '../charts/builders.ts';
import { ratingColor } from '../charts/echarts.ts';
import { IndicatorCard } from '../components/Cards.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Async, Empty } from '../components/States.tsx';
import { RatingBadge } from '../components/StatusBadge.tsx';
import { api, type RankedScore, type Report, type ScoreRow } from '../lib/api.ts';
import { type Globals, useGlobals } from '../lib/globals.tsx';
import { all, useReport } from '../lib/hooks.ts';
import { fmtPeriod, fmtScore } from '../lib/format.ts';
import { ratingLabel, useT } from '../lib/i18n.ts';
import { dimensionName, indicatorName } from '../lib/names.ts';
import { href, navigate } from '../lib/url.ts';
import { overviewReports, rankLevel } from './overviewData.ts';

/** Which district indicators headline the page (the choice, not the definitions). */
export const HEADLINE = [
  ['district_orgs_per_10k', 'orgs_per_10k'],
  ['volunteer_rate'],
  ['district_social_workers_per_community', 'social_workers_certified'],
  ['district_daycare_coverage', 'daycare_present'],
  ['participation_rate'],
];

export const RATING_ORDER = ['优秀', '良好', '合格', '不合格'];


export function rankingItems(g: Globals, scores: ScoreRow[]) {
  return scores.filter((s) => g.keep(s.org_unit)).map((s) => ({ code: s.org_unit, name: g.unitByCode.get(s.org_unit)?.name ?? s.name ?? s.org_unit, composite: s.composite, rating: s.rating }));
}

export function ratingCounts(scores: ScoreRow[]) {
  const m = new Map<string, number>();
  for (const s of scores) m.set(s.rating, (m.get(s.rating) ?? 0) + 1);
  const known = RATING_ORDER.map((r) => ({ rating: r, n: m.get(r) ?? 0 }));
  const extra = [...m.entries()].filter(([r]) => !RATING_ORDER.includes(r)).map(([rating, n]) => ({ rating, n }));
  return [...known, ...extra];
}

export function radarSeries(g: Globals, district: Report, streets: Report, lang: 'zh' | 'en') {
  const dims = g.plan.dimensions.map((d) => d.id);
  const d = district.scores[0];
  const ss = [...streets.scores].filter((s) => g.keep(s.org_unit)).sort((a, b) => b.composite - a.composite);
  const series = [];
  if (d) series.push({ name: lang === 'zh' ? `全区（${fmtScore(d.composite)}）` : `District (${fmtScore(d.composite)})`, values: dims.map((k) => d.dimensions[k] ?? 0) });
  const best = ss[0];
  const worst = ss[ss.length - 1];
  if (best) series.push({ name: `${lang === 'zh' ? '最好' : 'Best'}：${g.unitByCode.get(best.org_unit)?.name ?? best.name}`, values: dims.map((k) => best.dimensions[k] ?? 0) });
  if (worst && worst !== best) series.push({ name: `${lang === 'zh' ? '最弱' : 'Weakest'}：${g.unitByCode.get(worst.org_unit)?.name ?? worst.name}`, values: dims.map((k) => worst.dimensions[k] ?? 0), dashed: true });
  return { dims: dims.map((k) => ({ name: dimensionName(g.plan, k, lang) })), series };
}

export default function Overview() {
  const g = useGlobals();
  const { t, lang } = useT();
  // the same requests the shell prefetched (overviewData.ts), found in the fetch cache
  const [d0, d1, r0, s0] = overviewReports(g);
  const district = useReport(d0.level, d0.period, d0.parts);
  const districtPrev = useReport(d1.level, d1.period, d1.parts);
  const ranked = useReport(r0.level, r0.period, r0.parts);
  const streets = useReport(s0.level, s0.period, s0.parts);
  const cardsQ = all<[Report]>(district);

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
        <Async q={cardsQ} empty={([d]) => d.values.length === 0 && d.scores.length === 0}>
          {([d]) => {
            const score = d.scores[0];
            const prevScore = districtPrev.data?.scores[0];
            const byId = new Map(d.values.map((v) => [v.indicator, v]));
            const prevById = new Map((districtPrev.data?.values ?? []).map((v) => [v.indicator, v]));
            const cards = HEADLINE.map((ids) => ids.map((id) => byId.get(id)).find((v) => v && v.in_plan) ?? ids.map((id) => byId.get(id)).find(Boolean)).filter((v) => v !== undefined);
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
                      {t('vsLast')}{' '}
                      <b className={delta === null ? '' : delta > 0 ? 'up' : delta < 0 ? 'down' : ''}>{delta === null ? '—' : `${delta > 0 ? '▲ +' : delta < 0 ? '▼ −' : '■ ±'}${Math.abs(delta).toFixed(1)}`}</b>
                    </div>
                  </article>
                ) : null}
                {cards.map((v) => (
                  <IndicatorCard key={v.indicator} v={v} prev={prevById.get(v.indicator)} name={indicatorName(v, lang)} />
                ))}
              </div>
            );
          }}
        </Async>
      </section>
      <div className="grid g-main-side">
        <Async q={ranked}>
          {(r) => {
            const items = rankingItems(g, r.scores);
            if (items.length === 0) return <Empty />;
            const lv = rankLevel(g);
            return (
              <Chart
                id="ranking"
                title={lv === 'community' ? t('ranking') : lang === 'zh' ? '街道综合得分排名' : 'Street composite ranking'}
                hint={lv === 'community' ? t('rankingHint') : undefined}
                summary={`${items.length} ${lang === 'zh' ? '个单位按综合得分排序，颜色表示等级' : 'units ranked by composite, coloured by rating'}`}
                option={rankingOption(items, lang)}
                height={Math.min(640, Math.max(360, items.length * 16 + 60))}
                onClick={(p) => {
                  const code = (p.data as { code?: string } | undefined)?.code ?? (p.dataIndex !== undefined ? rankingOrder(items)[p.dataIndex]?.code : undefined);
                  if (code && lv === 'community') navigate(href(['community', code], {}, g.route.params));
                }}
                actions={<RatingKey />}
              />
            );
          }}
        </Async>
        <div className="stack">
          <Async q={all<[Report, Report]>(district, streets)} empty={([d]) => d.scores.length === 0}>
            {([d, s]) => {
              const { dims, series } = radarSeries(g, d, s, lang);
              return <Chart id="radar" title={t('radar')} summary={series.map((x) => x.name).join('、')} option={radarOption(dims, series)} height={340} />;
            }}
          </Async>
          <Async q={ranked}>
            {(r) => {
              const counts = ratingCounts(r.scores.filter((s) => g.keep(s.org_unit)));
              return (
                <Chart
                  id="rating-dist"
                  title={t('ratingDist')}
                  summary={counts.map((c) => `${ratingLabel(c.rating, lang)} ${c.n}`).join('，')}
                  option={ratingDistOption(counts, lang)}
                  height={260}
                />
              );
            }}
          </Async>
        </div>
      </div>
      <Async q={ranked}>
        {(r) => (
          <DataTable
            id="ranking-table"
            caption={lang === 'zh' ? '综合得分与维度得分' : 'Composite and dimension scores'}
            rows={[...r.scores].filter((s) => g.keep(s.org_unit)).sort((a, b) => b.composite - a.composite)}
            rowKey={(s) => s.org_unit}
            exportUrl={api.scoresExport(g, rankLevel(g))}
            maxHeight={420}
            onRowClick={rankLevel(g) === 'community' ? (s) => navigate(href(['community', s.org_unit], {}, g.route.params)) : undefined}
            columns={[
              { key: 'rank', header: '#', render: (s) => (s as RankedScore).rank, width: 48 },
              {
                key: 'name',
                header: rankLevel(g) === 'community' ? t('community') : t('street'),
                render: (s) =>
                  rankLevel(g) === 'community' ? (
                    <a href={href(['community', s.org_unit], {}, g.route.params)} onClick={(e) => e.stopPropagation()}>
                      {g.unitByCode.get(s.org_unit)?.name ?? s.name}
                    </a>
                  ) : (
                    (g.unitByCode.get(s.org_unit)?.name ?? s.name)
                  ),
                value: (s) => g.unitByCode.get(s.org_unit)?.name ?? s.name,
              },
              { key: 'composite', header: t('composite'), render: (s) => <b>{fmtScore(s.composite)}</b>, value: (s) => s.composite, align: 'right' },
              { key: 'rating', header: t('rating'), render: (s) => <RatingBadge rating={s.rating} label={ratingLabel(s.rating, lang)} />, value: (s) => s.rating },
              ...g.plan.dimensions.map((d) => ({
                key: `d-${d.id}`,
                header: dimensionName(g.plan, d.id, lang),
                render: (s: ScoreRow) => fmtScore(s.dimensions[d.id]),
                value: (s: ScoreRow) => s.dimensions[d.id] ?? null,
                align: 'right' as const,
              })),
              { key: 'nd', header: t('n_no_data'), render: (s) => s.n_no_data, value: (s) => s.n_no_data, align: 'right' },
            ]}
          />
        )}
      </Async>
    </div>
  );
}

export function RatingKey() {
  const { lang } = useT();
  return (
    <span className="legend">
      {RATING_ORDER.map((r) => (
        <span key={r}>
          <span aria-hidden="true" style={{ display: 'inline-block', width: 10, height: 10, background: ratingColor(r), borderRadius: 2, marginRight: 4 }} />
          {ratingLabel(r, lang)}
        </span>
      ))}
    </span>
  );
}
