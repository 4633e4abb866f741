// 验收 Acceptance: per community every requirement of the plan with pass or
// fail, vetoes marked, composite and rating; the units x requirements matrix
// with each requirement's pass count; links to the A4 print views.

import { useMemo, useState } from 'react';
import { ratingDistOption } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { targetText } from '../components/Cards.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { Async, Empty } from '../components/States.tsx';
import { PassBadge, RatingBadge, StatusBadge } from '../components/StatusBadge.tsx';
import { type AcceptanceRow, api, type Report, type ValueRow } from '../lib/api.ts';
import { fmtPct, fmtPeriod, fmtScore, fmtValue } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { useReport } from '../lib/hooks.ts';
import { punct, ratingLabel, useT } from '../lib/i18n.ts';
import { indicatorName } from '../lib/names.ts';
import { href } from '../lib/url.ts';
import { ratingCounts } from './Overview.tsx';

/** A requirement passes when its attainment is complete (the API's attainment, no rule of our own). */
export const passes = (v: ValueRow): boolean | null => (v.value === null ? null : v.attainment !== null && v.attainment >= 0.9999);

export interface AccUnit {
  acc: AcceptanceRow;
  rating: string;
  reqs: ValueRow[];
  passed: number;
}

export function acceptanceUnits(r: Report, keep: (c: string) => boolean): AccUnit[] {
  const byUnit = new Map<string, ValueRow[]>();
  for (const v of r.values) if (v.in_plan && v.target_kind) (byUnit.get(v.org_unit) ?? byUnit.set(v.org_unit, []).get(v.org_unit)!).push(v);
  const ratings = new Map(r.scores.map((s) => [s.org_unit, s.rating]));
  return r.acceptance
    .filter((a) => keep(a.org_unit))
    .map((acc) => {
      const reqs = byUnit.get(acc.org_unit) ?? [];
      return { acc, rating: ratings.get(acc.org_unit) ?? '', reqs, passed: reqs.filter((v) => passes(v)).length };
    });
}

export interface RequirementTally {
  req: ValueRow;
  pass: number;
  fail: number;
  noData: number;
}

/** Per requirement (in the order the units list them): how many units pass, fail, or have no data. */
export function requirementTally(units: AccUnit[]): RequirementTally[] {
  const out = new Map<string, RequirementTally>();
  for (const u of units)
    for (const v of u.reqs) {
      const t = out.get(v.indicator) ?? out.set(v.indicator, { req: v, pass: 0, fail: 0, noData: 0 }).get(v.indicator)!;
      const p = passes(v);
      if (p === null) t.noData++;
      else if (p) t.pass++;
      else t.fail++;
    }
  return [...out.values()];
}

export default function Acceptance() {
  const g = useGlobals();
  const { t, lang } = useT();
  const level = g.level === 'district' ? 'street' : g.level;
  const report = useReport(level, undefined, { values: 'plan', acceptance: true });
  const [sel, setSel] = useState<string | null>(null);
  const units = useMemo(() => (report.data ? acceptanceUnits(report.data, g.keep) : []), [report.data, g.keep]);
  const current = units.find((u) => u.acc.org_unit === sel) ?? units[0];
  const nPass = units.filter((u) => u.acc.accepted).length;
  const name = (c: string, n?: string | null) => g.unitByCode.get(c)?.name ?? n ?? c;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('acceptance')}</h1>
        <span className="sub">
          {g.plan.name} · {fmtPeriod(g.period, lang)}
        </span>
        <span className="spacer" />
        <a className="btn primary" href={href(['print', 'all'], {}, g.route.params)} id="print-all">
          {t('printAll')}
        </a>
        <a className="btn" href={href(['print', 'district'], {}, g.route.params)} id="print-district">
          {t('printDistrict')}
        </a>
      </div>
      <Async q={report} empty={() => units.length === 0}>
        {(r) => (
          <>
            <div className="cards">
              <article className="card hero" data-indicator="accepted-count">
                <div className="label">{lang === 'zh' ? '通过验收' : 'Passed'}</div>
                <div className="big" data-value={nPass}>
                  {nPass} / {units.length}
                </div>
                <div className="row">{fmtPct(units.length ? nPass / units.length : null, 0)}</div>
              </article>
              <article className="card">
                <div className="label">{t('vetoFailed')}</div>
                <div className="big">{units.filter((u) => u.acc.vetoes_failed.length > 0).length}</div>
              </article>
              <article className="card">
                <div className="label">{lang === 'zh' ? '平均综合得分' : 'Mean composite'}</div>
                <div className="big">{fmtScore(units.reduce((s, u) => s + u.acc.composite, 0) / Math.max(1, units.length))}</div>
              </article>
            </div>
            <div className="grid g-main-side">
              <DataTable
                id="acceptance-table"
                caption={lang === 'zh' ? '验收结果' : 'Acceptance results'}
                rows={units}
                rowKey={(u) => u.acc.org_unit}
                exportUrl={api.acceptanceExport(g, level)}
                maxHeight={560}
                onRowClick={(u) => setSel(u.acc.org_unit)}
                rowClass={(u) => (u.acc.org_unit === current?.acc.org_unit ? 'selected' : u.acc.accepted ? undefined : 'fail')}
                columns={[
                  {
                    key: 'name',
                    header: level === 'community' ? t('community') : t('street'),
                    render: (u) => (
                      <button type="button" className="linkish" onClick={() => setSel(u.acc.org_unit)} aria-pressed={u.acc.org_unit === current?.acc.org_unit}>
                        {name(u.acc.org_unit, u.acc.name)}
                      </button>
                    ),
                    value: (u) => name(u.acc.org_unit, u.acc.name),
                  },
                  { key: 'composite', header: t('composite'), render: (u) => <b>{fmtScore(u.acc.composite)}</b>, value: (u) => u.acc.composite, align: 'right' },
                  { key: 'rating', header: t('rating'), render: (u) => <RatingBadge rating={u.rating} label={ratingLabel(u.rating, lang)} />, value: (u) => u.rating },
                  { key: 'reqs', header: lang === 'zh' ? '达标要求' : 'Requirements met', render: (u) => `${u.passed} / ${u.reqs.length}`, value: (u) => u.passed, align: 'right' },
                  { key: 'veto', header: t('veto'), render: (u) => (u.acc.vetoes_failed.length ? <span className="badge st-regressing" style={{ color: '#c0392b', background: '#fbe5e2' }}>✘ {u.acc.vetoes_failed.length}</span> : <span className="muted">—</span>), value: (u) => u.acc.vetoes_failed.length, align: 'center' },
                  { key: 'acc', header: t('conclusion'), render: (u) => <PassBadge pass={u.acc.accepted} labels={[t('accepted'), t('notAccepted')]} />, value: (u) => (u.acc.accepted ? 1 : 0) },
                  { key: 'print', header: '', render: (u) => <a href={href(['print', u.acc.org_unit], {}, g.route.params)} onClick={(e) => e.stopPropagation()} aria-label={`${t('print')}: ${name(u.acc.org_unit, u.acc.name)}`}>{t('print')}</a> },
                ]}
              />
              <div className="stack">
                {current ? <Requirements u={current} title={name(current.acc.org_unit, current.acc.name)} /> : <Empty />}
                <Chart id="acc-rating" title={t('ratingDist')} summary={ratingCounts(r.scores).map((c) => `${ratingLabel(c.rating, lang)} ${c.n}`).join(punct(lang).comma)} option={ratingDistOption(ratingCounts(r.scores.filter((s) => g.keep(s.org_unit))), lang)} height={240} />
              </div>
            </div>
            <AcceptanceMatrix units={units} name={name} level={level} />
          </>
        )}
      </Async>
    </div>
  );
}

/**
 * Which community passes which requirement: one row per unit, one column per
 * requirement (✔ / ✘ / ∅, with the word for screen readers), each column's
 * header counting the units that pass it, so the hardest requirement shows.
 */
function AcceptanceMatrix({ units, name, level }: { units: AccUnit[]; name: (c: string, n?: string | null) => string; level: string }) {
  const { t, lang } = useT();
  const g = useGlobals();
  const reqs = useMemo(() => requirementTally(units), [units]);
  const byUnit = useMemo(() => new Map(units.map((u) => [u.acc.org_unit, new Map(u.reqs.map((v) => [v.indicator, v]))])), [units]);
  if (!units.length || !reqs.length) return null;
  const word = (p: boolean | null) => (p === null ? (lang === 'zh' ? '无数据' : 'no data') : p ? t('pass') : t('fail'));
  const cols: Column<AccUnit>[] = [
    {
      key: 'unit',
      header: level === 'community' ? t('community') : t('street'),
      render: (u) => (level === 'community' ? <a href={href(['community', u.acc.org_unit], {}, g.route.params)}>{name(u.acc.org_unit, u.acc.name)}</a> : name(u.acc.org_unit, u.acc.name)),
      value: (u) => name(u.acc.org_unit, u.acc.name),
    },
    ...reqs.map(({ req: r, pass: passing }): Column<AccUnit> => {
      const label = indicatorName(r, lang);
      return {
        key: r.indicator,
        header: (
          <span title={label} data-passing={passing}>
            {label}
            {r.veto ? <span className="tag">{t('veto')}</span> : null}
            <br />
            <span className="muted small">{lang === 'zh' ? `${passing}/${units.length} 达标` : `${passing}/${units.length} pass`}</span>
          </span>
        ),
        label,
        align: 'center',
        value: (u) => {
          const v = byUnit.get(u.acc.org_unit)?.get(r.indicator);
          return v ? word(passes(v)) : null;
        },
        render: (u) => {
          const v = byUnit.get(u.acc.org_unit)?.get(r.indicator);
          if (!v) return <span className="muted">·</span>;
          return (
            <span title={`${label}${punct(lang).colon}${fmtValue(v.value, v.unit, lang)}${punct(lang).semi}${t('target')} ${targetText(v, lang)}`}>
              <PassBadge pass={passes(v)} compact />
            </span>
          );
        },
      };
    }),
  ];
  return (
    <div className="matrix">
      <DataTable id="acceptance-matrix" caption={lang === 'zh' ? '验收矩阵（单位 × 要求）' : 'Acceptance matrix (units × requirements)'} rows={units} rowKey={(u) => u.acc.org_unit} columns={cols} maxHeight={620} />
    </div>
  );
}

function Requirements({ u, title }: { u: AccUnit; title: string }) {
  const { t, lang } = useT();
  return (
    <section className="panel" aria-labelledby="req-h">
      <div className="table-head">
        <h3 id="req-h">
          {title} · {t('requirement')}
        </h3>
        <span className="spacer" />
        <PassBadge pass={u.acc.accepted} labels={[t('accepted'), t('notAccepted')]} />
      </div>
      <table id="acceptance-requirements">
        <thead>
          <tr>
            <th>{t('requirement')}</th>
            <th style={{ textAlign: 'right' }}>{t('value')}</th>
            <th>{t('target')}</th>
            <th>{t('status')}</th>
          </tr>
        </thead>
        <tbody>
          {u.reqs.map((v) => (
            <tr key={v.indicator} className={passes(v) ? '' : 'fail'}>
              <td>
                {indicatorName(v, lang)} {v.veto ? <span className="tag">{t('veto')}</span> : null}
              </td>
              <td className="nowrap num" style={{ textAlign: 'right' }}>
                {fmtValue(v.value, v.unit, lang)}
              </td>
              <td className="nowrap">{targetText(v, lang)}</td>
              <td>{v.value === null ? <StatusBadge status="no_data" /> : <PassBadge pass={passes(v)} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
