// 方法说明 Methodology: every indicator of the plan with its definition,
// formula, target, source document, weight and dimension, plan defaults
// marked; the scoring rules; the weight-sensitivity rank intervals; the
// data-quality rules the findings come from.

import { Fragment } from 'react';
import { sensitivityOption } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Async } from '../components/States.tsx';
import { api, type CitedSource, type MethodologyRow, type PlanInfo } from '../lib/api.ts';
import { useLoad } from '../lib/fetch.ts';
import { fmtValue } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { all } from '../lib/hooks.ts';
import { paren, punct, ratingLabel, useT } from '../lib/i18n.ts';
import { dimensionName } from '../lib/names.ts';
import { docTitle, SourceRef, sourceText } from '../lib/sources.tsx';

type Simple = { min?: number; max?: number; range?: [number, number]; bool?: true };
type Target = Simple & { by_area_type?: { urban: Simple; rural: Simple }; by_band?: { field: string; bands: { from: number; below?: number; target: Simple }[] } };

function simpleText(t: Simple, unit: string, lang: 'zh' | 'en'): string {
  if (t.min !== undefined) return `≥ ${fmtValue(t.min, unit, lang)}`;
  if (t.max !== undefined) return `≤ ${fmtValue(t.max, unit, lang)}`;
  if (t.range) return `${fmtValue(t.range[0], unit, lang)} – ${fmtValue(t.range[1], unit, lang)}`;
  if (t.bool) return lang === 'zh' ? '是' : 'yes';
  return '—';
}

export function planTargetText(raw: unknown, unit: string, lang: 'zh' | 'en'): string {
  const t = (raw ?? {}) as Target;
  if (t.by_area_type) return `${lang === 'zh' ? '城市' : 'urban'} ${simpleText(t.by_area_type.urban, unit, lang)}${punct(lang).semi}${lang === 'zh' ? '农村' : 'rural'} ${simpleText(t.by_area_type.rural, unit, lang)}`;
  if (t.by_band)
    return t.by_band.bands
      .map((b) => `${t.by_band!.field} ${b.from}${b.below !== undefined ? `–${b.below}` : '+'}: ${simpleText(b.target, unit, lang)}`)
      .join(punct(lang).semi);
  return simpleText(t, unit, lang);
}

export default function Methodology() {
  const g = useGlobals();
  const { t, lang } = useT();
  const plan = useLoad(`plan:${g.plan.id}`, () => api.plan(g.plan.id));
  const sens = useLoad(`sens:${g.plan.id}:${g.period}`, () => api.sensitivity({ ...g.query, level: 'community' }));
  const rules = useLoad('method-rules', () => api.methodRules());
  const zh = lang === 'zh';
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('methodology')}</h1>
        <span className="sub">{g.plan.name}</span>
      </div>
      <section className="panel stack" aria-labelledby="rules-h">
        <h2 id="rules-h">{zh ? '评分规则' : 'Scoring'}</h2>
        <dl className="kv">
          <dt>{t('source')}</dt>
          <dd>
            <SourceRef text={g.plan.source} lang={lang} />
          </dd>
          <dt>{zh ? '实施期' : 'Period'}</dt>
          <dd>
            {g.plan.start} – {g.plan.end}
            {punct(lang).semi}
            {g.plan.phases.map((p) => `${p.name}${paren(`${p.start} – ${p.end}`, lang)}`).join(punct(lang).comma)}
          </dd>
          <dt>{zh ? '维度权重' : 'Dimension weights'}</dt>
          <dd>
            {g.plan.dimensions.map((d) => (
              <span key={d.id} style={{ marginRight: 12, whiteSpace: 'nowrap' }}>
                {dimensionName(g.plan, d.id, lang)} {d.weight}
                {d.plan_default ? <span className="tag">{t('planDefault')}</span> : null}
              </span>
            ))}
          </dd>
          <dt>{zh ? '等级' : 'Rating'}</dt>
          <dd>
            {g.plan.rating.bands.map((b) => `${ratingLabel(b.label, lang)} ≥ ${b.min}`).join(punct(lang).comma)} {g.plan.rating.plan_default ? <span className="tag">{t('planDefault')}</span> : null}
          </dd>
          <dt>{zh ? '验收' : 'Acceptance'}</dt>
          <dd>
            {zh ? `综合得分 ≥ ${g.plan.pass_score.value} 且一票否决项全部达标` : `composite ≥ ${g.plan.pass_score.value} and every veto met`} {g.plan.pass_score.plan_default ? <span className="tag">{t('planDefault')}</span> : null}
          </dd>
          <dt>{t('attainment')}</dt>
          <dd>{zh ? '不低于 T：min(x/T, 1)；不高于 T：x ≤ T 为 1，否则 T/x；区间 [L, H]：区间内为 1，低于 x/L，高于 H/x；是否：0 或 1；无数据计 0 并标注。' : 'at least T: min(x/T, 1); at most T: 1 if x ≤ T else T/x; range [L, H]: 1 inside, x/L below, H/x above; yes/no: 0 or 1; no data: 0, marked.'}</dd>
        </dl>
        <div className="notice warn">
          <span className="tag">{t('planDefault')}</span> {t('planDefaultNote')}
        </div>
      </section>
      <Async q={plan} empty={(p) => p.indicators.length === 0}>
        {(p) => (
          <DataTable
            id="methodology-table"
            caption={zh ? '指标定义' : 'Indicator definitions'}
            rows={p.indicators}
            rowKey={(r) => r.id}
            exportUrl={api.planExport(g.plan.id)}
            maxHeight={900}
            rowHeight={64}
            columns={[
              { key: 'name', header: t('indicator'), render: (r: MethodologyRow) => (<span><b>{zh ? r.zh : r.en}</b><br /><span className="muted small">{r.id}</span></span>), value: (r) => r.id, width: 200 },
              {
                key: 'def',
                header: t('definition'),
                // The plan's quotation of its source document where it has one; the catalogue's
                // description in the page's language otherwise (the name column already shows the zh name).
                render: (r) =>
                  zh ? (
                    r.note ? <span>「{r.note}」</span> : <span className="muted">{r.zh}</span>
                  ) : (
                    <span>
                      {r.en}
                      {r.note ? (
                        <>
                          <br />
                          <span className="muted small">「{r.note}」</span>
                        </>
                      ) : null}
                    </span>
                  ),
                value: (r) => (zh ? (r.note ?? r.zh) : r.en),
              },
              { key: 'formula', header: t('formula'), render: (r) => <span className="code">{r.formula}</span>, value: (r) => r.formula },
              { key: 'target', header: t('target'), render: (r) => (<span>{planTargetText(r.target, r.unit, lang)}{r.milestones === 'linear' ? <span className="muted small">{paren(zh ? '线性里程碑' : 'linear milestones', lang)}</span> : null}{r.plan_default ? <> <span className="tag">{t('planDefault')}</span></> : null}{r.veto ? <> <span className="tag">{t('veto')}</span></> : null}</span>), value: (r) => planTargetText(r.target, r.unit, lang) },
              { key: 'unit', header: zh ? '计量' : 'Unit', render: (r) => <span className="nowrap">{r.unit}</span>, value: (r) => r.unit },
              { key: 'level', header: t('level'), render: (r) => t(`lvl_${r.level}` as 'lvl_community'), value: (r) => r.level },
              { key: 'dim', header: t('dimension'), render: (r) => <span className="nowrap">{dimensionName(g.plan, r.dimension, lang)}</span>, value: (r) => r.dimension },
              { key: 'weight', header: t('weight'), render: (r) => r.weight ?? '—', value: (r) => r.weight, align: 'right' },
              { key: 'src', header: t('source'), render: (r) => <span className="small"><SourceRef text={r.source} lang={lang} short /></span>, value: (r) => sourceText(r.source, lang) },
            ]}
          />
        )}
      </Async>
      <Async q={all(plan, rules)}>
        {([p, r]) => <SourceDocuments plan={p} sources={r.sources} />}
      </Async>
      <Async q={rules}>
        {(f) => (
          <section className="panel stack" aria-labelledby="progress-rules-h">
            <h2 id="progress-rules-h">{zh ? '进度判定与趋势外推' : 'Progress statuses and projections'}</h2>
            <dl className="kv" id="progress-method">
              {f.progress.map((r) => (
                <Fragment key={r.term.en}>
                  <dt>{zh ? r.term.zh : r.term.en}</dt>
                  <dd>{zh ? r.zh : r.en}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
        )}
      </Async>
      <Async q={sens} empty={(s) => s.rows.length === 0}>
        {(s) => (
          <div className="stack">
            <div className={`notice ${s.stable ? 'ok' : 'warn'}`} id="sensitivity-verdict">
              {s.stable ? `✔ ${t('stable')}` : `⚠ ${t('unstable')}`} · {zh ? `${s.draws} 次随机权重抽样（种子 ${s.seed}）` : `${s.draws} weight draws (seed ${s.seed})`}
            </div>
            <Chart id="sensitivity" title={t('sensitivity')} summary={`${s.rows.length} ${zh ? '个社区的排名区间' : 'rank intervals'}${punct(lang).semi}${s.stable ? t('stable') : t('unstable')}`} option={sensitivityOption(s.rows, (r) => g.unitByCode.get(r.org_unit)?.name ?? r.name ?? r.org_unit, lang)} height={Math.min(720, Math.max(360, s.rows.length * 16 + 80))} />
          </div>
        )}
      </Async>
      <Async q={rules}>
        {(f) => (
          <section className="panel stack" aria-labelledby="quality-rules-h">
            <h2 id="quality-rules-h">{zh ? '数据质量规则' : 'Data-quality rules'}</h2>
            <ul id="quality-rules" className="rule-list">
              {Object.entries(f.rules).map(([id, text]) => (
                <li key={id} data-rule={id}>
                  ⚠ {zh ? text.zh : text.en}
                </li>
              ))}
            </ul>
            <p className="muted small" id="quality-method">
              {zh ? f.method.zh : f.method.en}
            </p>
          </section>
        )}
      </Async>
    </div>
  );
}

/**
 * The source documents: each seed file with its title, origin and year, and
 * how much of this plan rests on it (the plan itself, its indicators' targets),
 * as /indicators counts it.
 */
function SourceDocuments({ plan, sources }: { plan: PlanInfo & { indicators: MethodologyRow[] }; sources: CitedSource[] }) {
  const { lang } = useT();
  const zh = lang === 'zh';
  const names = new Map(plan.indicators.map((r) => [r.id, zh ? r.zh : r.en]));
  return (
    <section className="panel stack" aria-labelledby="source-docs-h">
      <h2 id="source-docs-h">{zh ? '依据文件' : 'Source documents'}</h2>
      <p className="muted small">
        {zh
          ? '目标与口径所依据的政策文件，按文件名引用；原文见 shared/seeds 目录下同名文件。'
          : 'The policy documents the targets and definitions come from, cited by file name; the text is the file of that name in shared/seeds.'}
      </p>
      <div className="table-scroll">
        <table id="source-documents">
          <thead>
            <tr>
              <th scope="col">{zh ? '文件' : 'File'}</th>
              <th scope="col">{zh ? '标题' : 'Title'}</th>
              <th scope="col">{zh ? '来源' : 'Origin'}</th>
              <th scope="col">{zh ? '年份' : 'Year'}</th>
              <th scope="col">{zh ? '本方案引用' : 'Cited by this plan'}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((d) => {
              const mine = d.cited_by.plans.find((c) => c.id === plan.id);
              const used = mine?.indicators ?? [];
              const cited = !!mine;
              return (
                <tr key={d.file} data-file={d.file} data-cited={used.length}>
                  <td className="code small nowrap">{d.file}</td>
                  <td>
                    {docTitle(d, lang)}
                    {d.note ? <div className="muted small">{zh ? d.note.zh : d.note.en}</div> : null}
                  </td>
                  <td className="small">{zh ? d.origin.zh : d.origin.en}</td>
                  <td>{d.year ?? '—'}</td>
                  <td className="small" title={used.map((id) => names.get(id) ?? id).join(zh ? '、' : ', ')}>
                    {cited ? '✔ ' : '— '}
                    {mine?.plan ? (zh ? '方案本身；' : 'the plan; ') : null}
                    {zh ? `${used.length} 项指标` : `${used.length} indicator${used.length === 1 ? '' : 's'}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
