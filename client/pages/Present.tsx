// 大屏 Presentation mode: full screen, dark, large type, auto-cycling the
// overview, the ranking and the phase progress for a meeting-room projector.
// Space pauses, ←/→ step, Esc leaves. ?interval=seconds (default 15).

import { useEffect, useState } from 'react';
import { headlineCards } from '../../metrics/catalogue/headline.ts';
import { rankingOption } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { ratingColor } from '../charts/echarts.ts';
import { Async } from '../components/States.tsx';
import { api, type Report } from '../lib/api.ts';
import { useLoad } from '../lib/fetch.ts';
import { fmtPct, fmtPeriod, fmtScore, fmtValue } from '../lib/format.ts';
import { aggregated, useGlobals } from '../lib/globals.tsx';
import { all, useReport } from '../lib/hooks.ts';
import { ratingLabel, useT } from '../lib/i18n.ts';
import { indicatorName } from '../lib/names.ts';
import { currentPhaseRows, planEndTally } from '../lib/outlook.ts';
import { ratingIcon, STATUS, STATUS_ORDER } from '../lib/status.ts';
import { href, navigate } from '../lib/url.ts';
import { RATING_ORDER, rankingItems } from './Overview.tsx';
import './present.css';

const SLIDES = ['overview', 'ranking', 'phase'] as const;

export default function Present() {
  const g = useGlobals();
  const { t, lang } = useT();
  const interval = Math.max(2, Number(g.route.params.get('interval')) || 15) * 1000;
  const [i, setI] = useState(0);
  const [paused, setPaused] = useState(false);
  const district = useReport('district', undefined, { values: 'all' });
  const community = useReport('community');
  const progress = useLoad(`progress:${g.plan.id}:${g.period}:district`, () => api.progress({ ...g.query, level: 'district' }));

  // biome-ignore lint/correctness/useExhaustiveDependencies: the timer restarts on every slide change (i)
  useEffect(() => {
    if (paused) return;
    const h = setTimeout(() => setI((x) => (x + 1) % SLIDES.length), interval);
    return () => clearTimeout(h);
  }, [i, paused, interval]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === ' ') {
        e.preventDefault();
        setPaused((p) => !p);
      } else if (e.key === 'ArrowRight') setI((x) => (x + 1) % SLIDES.length);
      else if (e.key === 'ArrowLeft') setI((x) => (x + SLIDES.length - 1) % SLIDES.length);
      else if (e.key === 'Escape' && !document.fullscreenElement) navigate(href('overview', {}, g.route.params));
    };
    window.addEventListener('keydown', onKey);
    document.body.classList.add('present-mode');
    return () => {
      window.removeEventListener('keydown', onKey);
      document.body.classList.remove('present-mode');
    };
  }, [g.route.params]);

  const slide = SLIDES[i];
  const zh = lang === 'zh';
  return (
    <div className="present" data-slide={slide} data-slide-index={i}>
      <header className="p-head">
        <span className="p-logo">三社</span>
        <h1>{t('appTitle')}</h1>
        <span className="p-sub" title={`${g.plan.name} · ${fmtPeriod(g.period, lang)}`}>
          {g.plan.name} · {fmtPeriod(g.period, lang)}
        </span>
        <span className="spacer" />
        <nav className="p-dots" aria-label={zh ? '幻灯片' : 'Slides'}>
          {SLIDES.map((s, k) => (
            <button key={s} type="button" aria-current={k === i ? 'true' : undefined} onClick={() => setI(k)} aria-label={s}>
              {k + 1}
            </button>
          ))}
        </nav>
        <button type="button" className="p-btn" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? '▶' : '❚❚'}
        </button>
        <button type="button" className="p-btn" onClick={() => document.documentElement.requestFullscreen?.().catch(() => {})}>
          {t('fullscreen')}
        </button>
        <a className="p-btn" href={href('overview', {}, g.route.params)}>
          ✕ {t('exitPresent')}
        </a>
      </header>
      <main className="p-body" aria-live="polite">
        {slide === 'overview' ? (
          <Async q={district}>
            {(d) => {
              const s = d.scores[0];
              const cards = headlineCards(s ? d.values.filter((v) => v.org_unit === s.org_unit) : d.values);
              return (
                <div className="p-overview">
                  <div className="p-hero" style={{ borderColor: s ? ratingColor(s.rating) : undefined }}>
                    <div className="p-k">{zh ? '全区综合得分' : 'District composite'}</div>
                    <div className="p-v" data-value={s?.composite ?? ''}>
                      {fmtScore(s?.composite)}
                    </div>
                    <div className="p-rating" style={{ background: s ? ratingColor(s.rating) : '#555' }}>
                      {s ? ratingLabel(s.rating, lang) : '—'}
                    </div>
                  </div>
                  <div className="p-cards">
                    {cards.map((v) => (
                      <div className="p-card" key={v.indicator}>
                        <div className="p-k">{indicatorName(v, lang)}</div>
                        <div className="p-v2">{fmtValue(v.value, v.unit, lang)}</div>
                        <div className="p-k">
                          {t('attainment')} {fmtPct(v.attainment, 0)} {v.status ? `· ${STATUS[v.status].icon} ${STATUS[v.status][lang]}` : ''}
                        </div>
                      </div>
                    ))}
                  </div>
                </div>
              );
            }}
          </Async>
        ) : slide === 'ranking' ? (
          <Async q={community}>
            {(r) => {
              const items = rankingItems(g, r.scores);
              return (
                <div className="p-chart">
                  <Chart id="present-ranking" title={t('ranking')} summary={`${items.length}`} option={{ ...rankingOption(items, lang, { dark: true, fontSize: 16 }), backgroundColor: 'transparent' }} height="calc(100vh - 270px)" dark />
                  <div className="p-legend">
                    {RATING_ORDER.map((x) => (
                      <span key={x}>
                        <i style={{ background: ratingColor(x) }} /> {ratingIcon(x)} {ratingLabel(x, lang)}
                      </span>
                    ))}
                  </div>
                </div>
              );
            }}
          </Async>
        ) : (
          <Async q={all<[Report, Awaited<ReturnType<typeof api.progress>>]>(district, progress)}>
            {([d, p]) => {
              const cur = g.plan.phases.findIndex((x) => x.name === p.current_phase) + 1;
              const rows = currentPhaseRows(p);
              const { reaching, judged } = planEndTally(rows);
              const nm = new Map(d.values.map((v) => [v.indicator, v]));
              return (
                <div className="p-phase">
                  <div className="p-phases">
                    {g.plan.phases.map((ph, k) => (
                      <div key={ph.name} className={`p-ph ${k + 1 === cur ? 'on' : k + 1 < cur ? 'done' : ''}`}>
                        <b>
                          {k + 1 < cur ? '✔ ' : k + 1 === cur ? '● ' : '○ '}
                          {ph.name}
                        </b>
                        <span>
                          {ph.start} – {ph.end}
                        </span>
                      </div>
                    ))}
                  </div>
                  <div className="p-status">
                    {rows.map((r) => {
                      const v = nm.get(r.indicator);
                      const st = STATUS[r.status];
                      return (
                        <div className="p-st" key={r.indicator} style={{ borderLeftColor: st.color }}>
                          <span className="p-k">
                            {v ? indicatorName(v, lang) : r.indicator}
                            {aggregated(g, r.indicator, 'district') ? (zh ? '（社区平均达成度）' : ' (mean attainment)') : ''}
                          </span>
                          <span className="p-v3">{aggregated(g, r.indicator, 'district') ? `${fmtPct(r.value, 0)}` : fmtValue(r.value, v?.unit ?? '', lang)}</span>
                          <span className="p-badge" style={{ color: st.color }}>
                            {st.icon} {st[lang]}
                          </span>
                        </div>
                      );
                    })}
                  </div>
                  <div className="p-legend">
                    {judged ? <b id="present-outlook">{zh ? `方案末预计达标 ${reaching} / ${judged} 项` : `${reaching} of ${judged} projected to meet the plan-end target`}</b> : null}
                    {STATUS_ORDER.map((s) => (
                      <span key={s} style={{ color: STATUS[s].color }}>
                        {STATUS[s].icon} {STATUS[s][lang]}
                      </span>
                    ))}
                  </div>
                </div>
              );
            }}
          </Async>
        )}
      </main>
      <div className="p-progress" aria-hidden="true">
        <span key={`${i}-${paused}`} style={{ animationDuration: `${interval}ms`, animationPlayState: paused ? 'paused' : 'running' }} />
      </div>
    </div>
  );
}
