// 社区 Community detail: one unit's indicators (value, target, gap,
// attainment, status; every value opens its lineage), quarterly trends with
// the target, its radar against the district and its data-quality findings.

import { useMemo } from 'react';
import { radarOption } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { trendOption, trendProRata } from '../charts/trend.ts';
import { effectiveTargetText, targetText } from '../components/Cards.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { LineageButton } from '../components/Lineage.tsx';
import { Async, Empty } from '../components/States.tsx';
import { PassBadge, RatingBadge, StatusBadge, Verdict } from '../components/StatusBadge.tsx';
import { api, type Report, type UnitInfo, type ValueRow } from '../lib/api.ts';
import { findCommunity } from '../lib/community.ts';
import { useLoad } from '../lib/fetch.ts';
import { findingDetail, findingValue, ruleName, ruleText } from '../lib/findings.ts';
import { fmtDelta, fmtPct, fmtPeriod, fmtScore, fmtValue } from '../lib/format.ts';
import { type Globals, unitName, useGlobals } from '../lib/globals.tsx';
import { all, useReport } from '../lib/hooks.ts';
import { paren, punct, ratingLabel, useT } from '../lib/i18n.ts';
import { catalogueName, dimensionName, indicatorName } from '../lib/names.ts';
import { currentPhaseRows } from '../lib/outlook.ts';
import { SourceRef, sourceText } from '../lib/sources.tsx';
import { isLagging } from '../lib/status.ts';
import { href, navigate, setParams } from '../lib/url.ts';

export function gapOf(v: ValueRow): number | null {
  if (v.value === null) return null;
  const lo = v.target_effective_lo ?? v.target_lo;
  const hi = v.target_effective_hi ?? v.target_hi;
  if (v.target_kind === 'min' || v.target_kind === 'bool') return lo === null ? null : Math.min(0, v.value - lo);
  if (v.target_kind === 'max') return hi === null ? null : Math.max(0, v.value - hi);
  if (v.target_kind === 'range') {
    if (lo !== null && v.value < lo) return v.value - lo;
    if (hi !== null && v.value > hi) return v.value - hi;
    return 0;
  }
  return null;
}

/**
 * The community list. With `missing`, the route named no one community: no
 * such code or name, or a name two streets share (`candidates`, then listed
 * with their streets).
 */
function Picker({ g, missing, candidates = [] }: { g: Globals; missing?: string; candidates?: UnitInfo[] }) {
  const { t, lang } = useT();
  const zh = lang === 'zh';
  const list = candidates.length > 0 ? candidates : g.units.filter((u) => u.level === 'community' && g.keep(u.code));
  const label = (u: UnitInfo) => (candidates.length > 0 ? `${u.name}${paren(unitName(g, u.parent_code ?? '', '—'), lang)}` : u.name);
  return (
    <div className="panel stack">
      <h1>{t('pickCommunity')}</h1>
      {missing !== undefined ? (
        <div className="notice warn" id="community-not-found" role="status">
          ⚠{' '}
          {candidates.length > 0
            ? zh
              ? `有 ${candidates.length} 个社区名为「${missing}」，请选择其一`
              : `${candidates.length} communities are named "${missing}"; choose one`
            : zh
              ? `未找到社区「${missing}」（按区划代码或名称查找），请从下列社区中选择`
              : `No community "${missing}" (looked up by code and name); choose one below`}
        </div>
      ) : null}
      {list.length === 0 ? (
        <Empty />
      ) : (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {list.slice(0, 400).map((u) => (
            <a key={u.code} className="btn" href={href(['community', u.code], {}, g.route.params)}>
              {label(u)}
            </a>
          ))}
        </div>
      )}
    </div>
  );
}

export default function Community() {
  const g = useGlobals();
  const key = g.route.path[1];
  if (!key) return <Picker g={g} />;
  const found = findCommunity(g.units, key);
  if ('candidates' in found) return <Picker g={g} missing={key} candidates={found.candidates} />;
  return <CommunityView code={found.unit.code} />;
}

function CommunityView({ code }: { code: string }) {
  const g = useGlobals();
  const { t, lang } = useT();
  const unit = g.unitByCode.get(code);
  const report = useReport('community', undefined, { values: 'all', acceptance: true, unit: code });
  const district = useReport('district');
  const quality = useLoad(`findings:${g.plan.id}:${code}`, () => api.findings({ plan: g.plan.id, unit: code }));
  // This community's progress in the current phase: each target's projection to the plan end
  const progress = useLoad(`progress:${g.plan.id}:${g.period}:community:${code}`, () => api.progress({ plan: g.plan.id, period: g.period, level: 'community', unit: code }));
  const projOf = useMemo(() => new Map((progress.data ? currentPhaseRows(progress.data) : []).filter((r) => r.org_unit === code).map((r) => [r.indicator, r])), [progress.data, code]);
  const siblings = g.units.filter((u) => u.level === 'community' && g.keep(u.code));
  const selInd = g.route.params.get('ind');

  const mine = useMemo(() => {
    if (!report.data) return null;
    return {
      values: report.data.values.filter((v) => v.org_unit === code),
      score: report.data.ranked.find((s) => s.org_unit === code) ?? null,
      acc: report.data.acceptance.find((a) => a.org_unit === code) ?? null,
    };
  }, [report.data, code]);
  const planVals = mine?.values.filter((v) => v.in_plan) ?? [];
  // The trend shows the indicator asked for, else the first one behind or regressing, else the first.
  const trendInd =
    planVals.find((v) => v.indicator === selInd)?.indicator ?? planVals.find((v) => isLagging(v.status))?.indicator ?? planVals[0]?.indicator ?? null;
  const series = useLoad(trendInd ? `series:${g.plan.id}:${code}:${trendInd}` : null, () => api.series({ plan: g.plan.id, unit: code, indicator: trendInd! }));
  const streetCode = unit?.parent_code ?? null;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{unit?.name ?? mine?.score?.name ?? code}</h1>
        <span className="sub">
          {streetCode ? `${g.unitByCode.get(streetCode)?.name ?? streetCode} · ` : ''}
          {unit?.area_type ? `${unit.area_type === 'rural' ? t('rural') : t('urban')} · ` : ''}
          {code} · {fmtPeriod(g.period, lang)}
        </span>
        <span className="spacer" />
        <label>
          <span className="sr-only">{t('pickCommunity')}</span>
          <select id="community-pick" value={code} onChange={(e) => navigate(href(['community', e.target.value], {}, g.route.params))}>
            {siblings.slice(0, 2000).map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <a className="btn" href={href(['print', code], {}, g.route.params)}>
          {t('print')}
        </a>
      </div>
      <Async q={report} empty={() => !mine || mine.values.length === 0}>
        {() => (
          <>
            {planVals.length > 0 && planVals.every((v) => v.value === null) ? (
              // A quarter without any export scores 0: say so, a 0.0 is not the community's work.
              <div className="notice warn" id="community-no-export" role="status">
                ⚠{' '}
                {lang === 'zh'
                  ? `${fmtPeriod(g.period, lang)}${unit?.name ?? code}没有报送任何数据：各指标记为「无数据」，按 0 计分，综合得分与验收结论不反映实际工作。请核实是否漏报（见下方数据质量问题）。`
                  : `${unit?.name ?? code} reported no data for ${fmtPeriod(g.period, lang)}: every indicator is "no data" and scores 0, so the composite and the acceptance do not reflect its work. Check for a missing export (see data quality below).`}
              </div>
            ) : null}
            <div className="cards">
              <article className="card hero" data-indicator="composite">
                <div className="label">{t('composite')}</div>
                <div className="big" data-value={mine?.score?.composite ?? ''}>
                  {fmtScore(mine?.score?.composite)}
                </div>
                <div className="row">{mine?.score ? <RatingBadge rating={mine.score.rating} label={ratingLabel(mine.score.rating, lang)} /> : null}</div>
              </article>
              {mine?.score?.rank ? (
                // Where it stands among the communities, and how far the rank moves when the dimension weights do.
                <article className="card" data-indicator="rank">
                  <div className="label">{lang === 'zh' ? '综合得分排名' : 'Composite rank'}</div>
                  <div className="big" data-value={mine.score.rank}>
                    {mine.score.rank}
                    <span className="unit">/ {mine.score.of}</span>
                  </div>
                  <div className="row" id="rank-interval">
                    {mine.score.rank_p5 === null || mine.score.rank_p95 === null ? null : mine.score.rank_p5 === mine.score.rank_p95 ? (
                      <span>✔ {lang === 'zh' ? '权重变化时排名不变' : 'the same rank whatever the weights'}</span>
                    ) : (
                      <span title={lang === 'zh' ? '随机抽取维度权重，排名的 5%–95% 区间（见方法说明）' : '5th–95th percentile of the rank over random dimension weights (see Methodology)'}>
                        ⚠ {lang === 'zh' ? `随权重在第 ${mine.score.rank_p5}–${mine.score.rank_p95} 名之间` : `rank ${mine.score.rank_p5}–${mine.score.rank_p95} as the weights vary`}
                      </span>
                    )}
                  </div>
                </article>
              ) : null}
              <article className="card">
                <div className="label">{t('acceptance')}</div>
                <div className="big">{mine?.acc ? <PassBadge pass={mine.acc.accepted} labels={[t('accepted'), t('notAccepted')]} /> : '—'}</div>
                <div className="row">
                  {mine?.acc?.vetoes_failed.length ? (
                    <span>
                      {t('vetoFailed')}
                      {punct(lang).colon}
                      {mine.acc.vetoes_failed.length}
                    </span>
                  ) : null}
                </div>
              </article>
              <article className="card">
                <div className="label">{t('n_no_data')}</div>
                <div className="big">{mine?.score?.n_no_data ?? '—'}</div>
              </article>
            </div>
            <DataTable
              id="community-values"
              caption={lang === 'zh' ? '指标明细（点击数值查看来源，点击行查看趋势）' : 'Indicators (click a value for its sources, a row for its trend)'}
              rows={planVals.length ? planVals : (mine?.values ?? [])}
              rowKey={(v) => v.indicator}
              exportUrl={api.valuesExport(g, 'community', code)}
              maxHeight={640}
              rowClass={(v) => [isLagging(v.status) ? 'fail' : '', v.indicator === trendInd ? 'selected' : ''].join(' ')}
              onRowClick={(v) => (v.in_plan ? setParams(g.route, { ind: v.indicator }, true) : undefined)}
              columns={[
                { key: 'name', header: t('indicator'), render: (v) => <span title={v.indicator}>{indicatorName(v, lang)}</span>, value: (v) => indicatorName(v, lang) },
                { key: 'dim', header: t('dimension'), render: (v) => (v.dimension ? dimensionName(g.plan, v.dimension, lang) : '—'), value: (v) => v.dimension },
                {
                  key: 'value',
                  header: t('value'),
                  align: 'right',
                  value: (v) => v.value,
                  render: (v) => (
                    <LineageButton unit={code} indicator={v.indicator} label={indicatorName(v, lang)} period={g.period}>
                      {fmtValue(v.value, v.unit, lang)}
                    </LineageButton>
                  ),
                },
                {
                  key: 'target',
                  header: t('target'),
                  value: (v) => v.target_lo ?? v.target_hi,
                  render: (v) => (
                    <span>
                      {targetText(v, lang)}
                      {effectiveTargetText(v, lang) ? <span className="muted small">{paren(`${lang === 'zh' ? '本期' : 'now'} ${effectiveTargetText(v, lang)}`, lang)}</span> : null}
                      {v.plan_default ? (
                        <>
                          {' '}
                          <span className="tag">{t('planDefault')}</span>
                        </>
                      ) : null}
                      {v.veto ? (
                        <>
                          {' '}
                          <span className="tag">{t('veto')}</span>
                        </>
                      ) : null}
                    </span>
                  ),
                },
                // A rate's gap is in percentage points, not a percentage of the target.
                {
                  key: 'gap',
                  header: t('gap'),
                  align: 'right',
                  value: gapOf,
                  render: (v) => {
                    const d = gapOf(v);
                    if (d === null) return '—';
                    if (d === 0) return '0';
                    return v.unit === '%' ? fmtDelta(d, v.unit, lang) : `${d > 0 ? '+' : '−'}${fmtValue(Math.abs(d), v.unit, lang)}`;
                  },
                },
                { key: 'att', header: t('attainment'), align: 'right', value: (v) => v.attainment, render: (v) => fmtPct(v.attainment, 0) },
                { key: 'status', header: t('status'), value: (v) => v.status, render: (v) => <StatusBadge status={v.status} /> },
                {
                  key: 'proj',
                  header: lang === 'zh' ? '方案末预计' : 'Plan end',
                  // the verdict in the cell, the projected value in its tooltip (the table keeps its width at 1280 px)
                  value: (v) => projOf.get(v.indicator)?.proj_plan_end ?? null,
                  render: (v) => {
                    const r = projOf.get(v.indicator);
                    if (!r || r.proj_plan_end === null) return <span className="muted">—</span>;
                    return (
                      <span title={`${lang === 'zh' ? '按趋势外推，方案末' : 'Trend projected to the plan end'}${punct(lang).colon}${fmtValue(r.proj_plan_end, v.unit, lang)}`}>
                        <Verdict reaches={r.reaches_plan_target} />
                      </span>
                    );
                  },
                },
                {
                  key: 'src',
                  header: t('source'),
                  value: (v) => `${sourceText(v.source, lang)} ${v.source_clause ?? ''}`,
                  render: (v) => (
                    <span className="muted small source-cell">
                      <SourceRef text={v.source} lang={lang} short />
                      {v.source_clause ? <span className="source-clause">「{v.source_clause}」</span> : null}
                    </span>
                  ),
                },
              ]}
            />
          </>
        )}
      </Async>
      <div className="grid g2">
        <div className="stack">
          {planVals.length ? (
            <div className="panel">
              <label>
                <span className="muted">{t('selectIndicator')} </span>
                <select id="trend-indicator" value={trendInd ?? ''} onChange={(e) => setParams(g.route, { ind: e.target.value }, true)}>
                  {planVals.map((v) => (
                    <option key={v.indicator} value={v.indicator}>
                      {indicatorName(v, lang)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          ) : null}
          <Async q={series} empty={(r) => r.rows.length === 0}>
            {({ rows: s }) => {
              const v = planVals.find((x) => x.indicator === trendInd)!;
              const name = indicatorName(v, lang);
              const proRata = trendProRata(s)
                ? lang === 'zh'
                  ? '；虚线为按进度折算的当期应达目标，点线为全年目标'
                  : '; dashed: the part of the annual target due by the quarter, dotted: the annual target'
                : '';
              return <Chart id="trend" title={`${t('trends')} · ${name}`} summary={`${name}${punct(lang).comma}${s.length} ${lang === 'zh' ? '个季度' : 'quarters'}${proRata}`} option={trendOption(s, v.unit, name, lang)} height={320} />;
            }}
          </Async>
        </div>
        <Async q={all<[Report, Report]>(report, district)} empty={([r]) => !r.scores.some((s) => s.org_unit === code)}>
          {([r, d]) => {
            const me = r.scores.find((s) => s.org_unit === code)!;
            const dd = d.scores[0];
            const dims = g.plan.dimensions.map((x) => x.id);
            const series = [{ name: unit?.name ?? code, values: dims.map((k) => me.dimensions[k] ?? 0) }];
            if (dd) series.push({ name: lang === 'zh' ? '全区' : 'District', values: dims.map((k) => dd.dimensions[k] ?? 0) });
            return <Chart id="community-radar" title={t('radarVsDistrict')} summary={series.map((s) => s.name).join(' / ')} option={radarOption(dims.map((k) => ({ name: dimensionName(g.plan, k, lang) })), series)} height={380} />;
          }}
        </Async>
      </div>
      <Async q={quality}>
        {(q) => {
          const mineF = q.rows;
          if (mineF.length === 0) return <div className="notice ok">✔ {t('noFindings')}</div>;
          return (
            <DataTable
              id="community-findings"
              caption={t('findings')}
              rows={mineF}
              exportUrl={api.findingsExport({ plan: g.plan.id, unit: code })}
              rowKey={(f, i) => `${f.rule}:${f.period}:${f.indicator}:${i}`}
              maxHeight={360}
              columns={[
                { key: 'rule', header: lang === 'zh' ? '规则' : 'Rule', render: (f) => <span title={ruleText(f, lang)}>⚠ {ruleName(ruleText(f, lang))}</span>, value: (f) => f.rule },
                { key: 'period', header: t('period'), render: (f) => f.period, value: (f) => f.period },
                { key: 'ind', header: t('indicator'), render: (f) => catalogueName(g.catalogue, f.indicator, lang), value: (f) => f.indicator },
                { key: 'value', header: t('value'), render: (f) => findingValue(f, g.catalogue, lang), value: (f) => f.value, align: 'right' },
                { key: 'detail', header: lang === 'zh' ? '说明' : 'Detail', render: (f) => findingDetail(f, lang), value: (f) => findingDetail(f, lang) },
                { key: 'src', header: t('dataSource'), render: (f) => f.sources.slice(0, 3).map((s) => `${s.file ?? '?'}${s.sheet ? ` / ${s.sheet}` : ''}${s.src_row ? ` #${s.src_row}` : ''}`).join(punct(lang).semi), value: (f) => f.sources.map((s) => `${s.file}:${s.sheet}:${s.src_row}`).join(' ') },
              ]}
            />
          );
        }}
      </Async>
    </div>
  );
}
