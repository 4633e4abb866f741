// 阶段进度 Phase progress: the plan's phases on a timeline with the report
// period's position; the units x indicators status matrix (icons + labels)
// for the chosen phase; projections to the plan end as dashed lines against
// the target, and the district outlook (every district indicator's value,
// phase target, status and projections with their verdicts: will the plan's
// end targets be met?).

import { useMemo } from 'react';
import { Chart } from '../charts/Chart.tsx';
import type { EChartsOption } from '../charts/echarts.ts';
import { projectionOption } from '../charts/projection.ts';
import { targetText } from '../components/Cards.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { Async, Empty } from '../components/States.tsx';
import { StatusBadge, StatusLegend, Verdict } from '../components/StatusBadge.tsx';
import { api, type ProgressRow, type SeriesResponse } from '../lib/api.ts';
import { type Loadable, useLoad } from '../lib/fetch.ts';
import { fmtPeriod, fmtValue } from '../lib/format.ts';
import { aggregated, type Globals, useGlobals } from '../lib/globals.tsx';
import { paren, punct, useT } from '../lib/i18n.ts';
import { indicatorName } from '../lib/names.ts';
import { planEndTally } from '../lib/outlook.ts';
import { isLagging, STATUS, STATUS_ORDER } from '../lib/status.ts';
import { href, navigate, setParams } from '../lib/url.ts';

const quarterEnd = (p: string) => {
  const y = Number(p.slice(0, 4));
  const q = Number(p.slice(5));
  return `${y}-${String(q * 3).padStart(2, '0')}-${q === 1 || q === 4 ? '31' : '30'}`;
};
const days = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

function Timeline({ g, current }: { g: Globals; current: string }) {
  const { t, lang } = useT();
  const phases = g.plan.phases;
  if (!phases.length) return <Empty />;
  const a = days(phases[0].start);
  const b = days(phases[phases.length - 1].end);
  const now = days(quarterEnd(g.period));
  const pos = (d: number) => `${Math.min(100, Math.max(0, ((d - a) / (b - a)) * 100))}%`;
  return (
    <section className="panel" aria-labelledby="tl-h">
      <div className="table-head">
        <h3 id="tl-h">{t('timeline')}</h3>
        <span className="muted small">
          {t('today')}
          {punct(lang).colon}
          {fmtPeriod(g.period, lang)}
          {paren(quarterEnd(g.period), lang)} · {lang === 'zh' ? '当前阶段' : 'Current phase'}
          {punct(lang).colon}
          <b>{current}</b>
        </span>
      </div>
      <ol className="timeline" aria-label={t('timeline')}>
        {phases.map((p, i) => {
          const done = days(p.end) < now;
          const active = days(p.start) <= now && now <= days(p.end);
          return (
            <li
              key={p.name}
              className={`tl-phase ${active ? 'active' : done ? 'done' : ''}`}
              style={{ left: pos(days(p.start)), width: `calc(${pos(days(p.end))} - ${pos(days(p.start))})` }}
              title={`${p.name} ${p.start} – ${p.end}`}
            >
              <b>
                {i + 1}. {p.name}
              </b>
              <span>
                {p.start} – {p.end}
              </span>
              <span className="tl-state">{active ? (lang === 'zh' ? '● 进行中' : '● in progress') : done ? (lang === 'zh' ? '✔ 已结束' : '✔ ended') : lang === 'zh' ? '○ 未开始' : '○ not started'}</span>
            </li>
          );
        })}
        <li className={`tl-now ${(now - a) / (b - a) > 0.85 ? 'flip' : ''}`} style={{ left: pos(now) }}>
          <span>▼ {t('today')} {g.period}</span>
        </li>
      </ol>
    </section>
  );
}


export default function Phase() {
  const g = useGlobals();
  const { t, lang } = useT();
  const level = g.level;
  const phaseSel = Number(g.route.params.get('phase')) || null;
  // The district's progress is small and names the current phase; the units' is asked for one phase only.
  const districtProg = useLoad(`progress:${g.plan.id}:${g.period}:district`, () => api.progress({ ...g.query, level: 'district' }));
  const districtCode = g.units.find((u) => u.level === 'district')?.code ?? null;
  const cur = districtProg.data ? g.plan.phases.findIndex((p) => p.name === districtProg.data!.current_phase) + 1 : 0;
  const phase = phaseSel ?? (cur || 1);
  const progress = useLoad(districtProg.data || phaseSel ? `progress:${g.plan.id}:${g.period}:${level}:${phase}` : null, () => api.progress({ ...g.query, level, phase }));

  // Names and units from the API's catalogue.
  const names = useMemo(() => new Map(g.catalogue.map((c) => [c.id, { zh: c.zh, en: c.en, unit: c.unit }])), [g.catalogue]);
  const nameOf = (id: string) => {
    const n = names.get(id);
    return n ? indicatorName({ indicator: id, indicator_zh: n.zh, indicator_en: n.en }, lang) : id;
  };

  const dProgRows = districtProg.data?.rows.filter((r) => r.phase_idx === phase) ?? [];
  const projInd = g.route.params.get('ind') && dProgRows.some((r) => r.indicator === g.route.params.get('ind')) ? g.route.params.get('ind')! : (dProgRows[0]?.indicator ?? null);
  const dSeries: Loadable<SeriesResponse> = useLoad(districtCode && projInd ? `series:${g.plan.id}:${districtCode}:${projInd}` : null, () => api.series({ plan: g.plan.id, unit: districtCode!, indicator: projInd! }));

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('phase')}</h1>
        <span className="sub">{g.plan.name}</span>
        <span className="spacer" />
        <label>
          <span className="muted">{t('phaseSel')} </span>
          <select id="phase-pick" value={phase} onChange={(e) => setParams(g.route, { phase: e.target.value })}>
            {g.plan.phases.map((p, i) => (
              <option key={p.name} value={i + 1}>
                {i + 1}. {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Async q={districtProg}>{(p) => <Timeline g={g} current={p.current_phase} />}</Async>
      <div className="grid g2">
        <Async q={districtProg} empty={() => dProgRows.length === 0}>
          {() => (
            <div className="stack">
              <div className="panel" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
                <label>
                  <span className="muted">{t('selectIndicator')} </span>
                  <select id="proj-indicator" value={projInd ?? ''} onChange={(e) => setParams(g.route, { ind: e.target.value }, true)}>
                    {dProgRows.map((r) => (
                      <option key={r.indicator} value={r.indicator}>
                        {nameOf(r.indicator)}
                      </option>
                    ))}
                  </select>
                </label>
                {(() => {
                  const r = dProgRows.find((x) => x.indicator === projInd);
                  if (!r) return null;
                  const u = aggregated(g, r.indicator, 'district') ? '%' : (names.get(r.indicator)?.unit ?? '');
                  if (r.proj_phase_end === null && r.proj_plan_end === null && r.value !== null)
                    return (
                      <span className="muted small" id="projection-note">
                        {lang === 'zh' ? '趋势外推需至少两个季度的数据' : 'A projection needs at least two quarters of data'}
                      </span>
                    );
                  return (
                    <span className="muted small" id="projection-note">
                      {t('phaseEnd')} {fmtValue(r.proj_phase_end, u, lang)} {r.reaches_phase_target === null ? '' : r.reaches_phase_target ? `✔ ${t('reaches')}` : `✘ ${t('notReaches')}`} · {t('planEnd')} {fmtValue(r.proj_plan_end, u, lang)}{' '}
                      {r.reaches_plan_target === null ? '' : r.reaches_plan_target ? `✔ ${t('reaches')}` : `✘ ${t('notReaches')}`}
                    </span>
                  );
                })()}
              </div>
              <Async q={dSeries} empty={(s) => s.rows.length === 0}>
                {(s) => {
                  const r = dProgRows.find((x) => x.indicator === projInd)!;
                  const nm = nameOf(r.indicator);
                  const agg = aggregated(g, r.indicator, 'district');
                  return <Chart id="projection" title={`${t('projection')} · ${nm}`} summary={`${nm}${punct(lang).colon}${lang === 'zh' ? '实际值、外推到方案末的虚线与目标线' : 'actual values, dashed projection to plan end, target'}`} option={projectionOption({ rows: s.rows, phases: g.plan.phases, period: g.period, progress: r, unit: names.get(r.indicator)?.unit ?? '', name: agg ? `${nm}${paren(lang === 'zh' ? '社区平均达成度' : 'mean attainment', lang)}` : nm, lang, aggregated: agg })} height={340} />;
                }}
              </Async>
            </div>
          )}
        </Async>
        <Async q={districtProg} empty={(p) => p.rows.length === 0}>
          {(p) => <StatusSummary rows={p.rows.filter((r) => r.phase_idx === phase)} />}
        </Async>
      </div>
      <Async q={districtProg} empty={() => dProgRows.length === 0}>
        {() => <Outlook g={g} rows={dProgRows} phase={phase} nameOf={nameOf} unitOf={(id) => names.get(id)?.unit ?? ''} selected={projInd} />}
      </Async>
      <Async q={progress} empty={(p) => p.rows.length === 0}>
        {(p) => <Matrix g={g} rows={p.rows.filter((r) => r.phase_idx === phase && g.keep(r.org_unit))} nameOf={nameOf} unitOf={(id) => names.get(id)?.unit ?? ''} phase={phase} />}
      </Async>
    </div>
  );
}

/**
 * Will the district make it? Every district indicator of the phase: where it
 * stands, its status, and where its trend leads by the phase end and the plan
 * end against the target. A row picks the indicator of the projection chart.
 */
/** A progress target's bounds as ≥ lo, ≤ hi or lo – hi. */
const boundKind = (lo: number | null, hi: number | null): 'min' | 'max' | 'range' | null => (lo !== null ? (hi !== null ? 'range' : 'min') : hi !== null ? 'max' : null);

function Outlook({ g, rows, phase, nameOf, unitOf, selected }: { g: Globals; rows: ProgressRow[]; phase: number; nameOf: (id: string) => string; unitOf: (id: string) => string; selected: string | null }) {
  const { t, lang } = useT();
  const zh = lang === 'zh';
  const unit = (r: ProgressRow) => (aggregated(g, r.indicator, r.level) ? '%' : unitOf(r.indicator));
  const projected = (key: string, header: string, at: (r: ProgressRow) => [number | null, boolean | null]): Column<ProgressRow> => ({
    key,
    header,
    align: 'right',
    render: (r) => (
      <span>
        {fmtValue(at(r)[0], unit(r), lang)} <Verdict reaches={at(r)[1]} />
      </span>
    ),
    value: (r) => at(r)[0],
  });
  const { reaching, judged } = planEndTally(rows);
  const cols: Column<ProgressRow>[] = [
    {
      key: 'indicator',
      header: t('indicator'),
      render: (r) => (
        <span>
          {nameOf(r.indicator)}
          {aggregated(g, r.indicator, r.level) ? <span className="muted small">{paren(zh ? '社区平均达成度' : 'mean attainment', lang)}</span> : null}
        </span>
      ),
      value: (r) => nameOf(r.indicator),
    },
    { key: 'value', header: zh ? '当前值' : 'Current', align: 'right', render: (r) => fmtValue(r.value, unit(r), lang), value: (r) => r.value },
    { key: 'target', header: zh ? '阶段目标' : 'Phase target', align: 'right', render: (r) => targetText({ target_kind: boundKind(r.target_lo, r.target_hi), target_lo: r.target_lo, target_hi: r.target_hi, unit: unit(r) }, lang), value: (r) => r.target_lo ?? r.target_hi },
    { key: 'status', header: t('status'), render: (r) => <StatusBadge status={r.status} />, value: (r) => STATUS_ORDER.indexOf(r.status) },
    projected('phase_end', zh ? '阶段末预计' : 'Phase end (projected)', (r) => [r.proj_phase_end, r.reaches_phase_target]),
    projected('plan_end', zh ? '方案末预计' : 'Plan end (projected)', (r) => [r.proj_plan_end, r.reaches_plan_target]),
    {
      key: 'plan_target',
      header: zh ? '方案目标' : 'Plan target',
      align: 'right',
      render: (r) => targetText({ target_kind: boundKind(r.plan_target_lo, r.plan_target_hi), target_lo: r.plan_target_lo, target_hi: r.plan_target_hi, unit: unit(r) }, lang),
      value: (r) => r.plan_target_lo ?? r.plan_target_hi,
    },
  ];
  return (
    <DataTable
      id="outlook-table"
      caption={`${zh ? '全区指标展望（按趋势外推）' : 'District outlook (trend projection)'} · ${g.plan.phases[phase - 1]?.name ?? ''}`}
      rows={rows}
      rowKey={(r) => r.indicator}
      columns={cols}
      exportUrl={api.progressExport(g, 'district', phase)}
      onRowClick={(r) => setParams(g.route, { ind: r.indicator }, true)}
      rowClass={(r) => (r.indicator === selected ? 'selected' : '')}
      toolbar={
        <span className="outlook-sum" id="outlook-summary" data-reaching={reaching} data-judged={judged}>
          {zh ? `方案末预计达标 ${reaching} / ${judged} 项` : `${reaching} of ${judged} projected to meet the plan-end target`}
        </span>
      }
    />
  );
}

function StatusSummary({ rows }: { rows: ProgressRow[] }) {
  const { lang } = useT();
  const counts = STATUS_ORDER.map((s) => ({ s, n: rows.filter((r) => r.status === s).length }));
  const option: EChartsOption = {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['45%', '70%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{c}', fontSize: 12 },
        data: counts.filter((c) => c.n > 0).map((c) => ({ name: `${STATUS[c.s].icon} ${STATUS[c.s][lang]}`, value: c.n, itemStyle: { color: STATUS[c.s].color } })),
      },
    ],
  };
  return <Chart id="status-pie" title={lang === 'zh' ? '全区指标进度状态' : 'District indicator status'} summary={counts.map((c) => `${STATUS[c.s][lang]} ${c.n}`).join(punct(lang).comma)} option={option} height={400} />;
}

function Matrix({ g, rows, nameOf, phase, unitOf }: { g: Globals; rows: ProgressRow[]; nameOf: (id: string) => string; phase: number; unitOf: (id: string) => string }) {
  const { t, lang } = useT();
  const inds = [...new Set(rows.map((r) => r.indicator))];
  const byUnit = new Map<string, Map<string, ProgressRow>>();
  for (const r of rows) (byUnit.get(r.org_unit) ?? byUnit.set(r.org_unit, new Map()).get(r.org_unit)!).set(r.indicator, r);
  // Who is behind: the units with the most targets behind or regressing first.
  const lagging = (u: string) => [...(byUnit.get(u)?.values() ?? [])].filter((r) => isLagging(r.status));
  const units = [...byUnit.keys()].map((u, i) => ({ u, i, n: lagging(u).length })).sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.u);
  if (!units.length) return <Empty />;
  type U = string;
  const cols: Column<U>[] = [
    {
      key: 'unit',
      header: t('unitName'),
      render: (u) =>
        g.level === 'community' ? (
          <a href={href(['community', u], {}, g.route.params)} onClick={(e) => e.stopPropagation()}>
            {g.unitByCode.get(u)?.name ?? u}
          </a>
        ) : (
          (g.unitByCode.get(u)?.name ?? u)
        ),
      value: (u) => g.unitByCode.get(u)?.name ?? u,
      width: 140,
    },
    {
      key: 'lagging',
      header: lang === 'zh' ? '滞后/倒退' : 'Behind',
      label: lang === 'zh' ? '滞后或倒退的指标数' : 'targets behind or regressing',
      align: 'center' as const,
      value: (u: U) => lagging(u).length,
      render: (u: U) => {
        const l = lagging(u);
        return l.length ? (
          <b className="lagging" title={l.map((r) => nameOf(r.indicator)).join(punct(lang).comma)}>
            ⚠ {l.length}
          </b>
        ) : (
          <span className="muted">0</span>
        );
      },
    },
    ...inds.map((id) => ({
      key: id,
      header: <span title={nameOf(id)}>{nameOf(id)}</span>,
      label: nameOf(id),
      align: 'center' as const,
      value: (u: U) => {
        const r = byUnit.get(u)?.get(id);
        return r ? STATUS_ORDER.indexOf(r.status) : null;
      },
      render: (u: U) => {
        const r = byUnit.get(u)?.get(id);
        if (!r) return <span className="muted">·</span>;
        return (
          <span title={`${nameOf(id)}${punct(lang).colon}${fmtValue(r.value, aggregated(g, id, r.level) ? '%' : unitOf(id), lang)}${punct(lang).semi}${lang === 'zh' ? '阶段目标' : 'milestone'} ${fmtValue(r.milestone_lo ?? r.milestone_hi, aggregated(g, id, r.level) ? '%' : unitOf(id), lang)}`}>
            <StatusBadge status={r.status} compact />
          </span>
        );
      },
    })),
  ];
  return (
    <div className="matrix">
      <DataTable
        id="progress-matrix"
        caption={`${t('matrix')} · ${g.plan.phases[phase - 1]?.name ?? ''}`}
        rows={units}
        rowKey={(u) => u}
        columns={cols}
        exportUrl={api.progressExport(g, g.level, phase)}
        maxHeight={560}
        onRowClick={g.level === 'community' ? (u) => navigate(href(['community', u], {}, g.route.params)) : undefined}
        toolbar={<StatusLegend />}
      />
    </div>
  );
}
