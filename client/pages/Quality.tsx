// 数据质量 Data quality: the completeness matrix (units x quarters), rule
// violations and outliers, each with its source rows (file, sheet, row) or,
// for computed values, the lineage of the value.

import { useState } from 'react';
import { completenessOption } from '../charts/builders.ts';
import { Chart } from '../charts/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { LineageButton } from '../components/Lineage.tsx';
import { Async } from '../components/States.tsx';
import { api, type Finding, withFormat } from '../lib/api.ts';
import { useLoad } from '../lib/fetch.ts';
import { findingDetail, findingValue, ruleName, ruleText } from '../lib/findings.ts';
import { fmtNumber, fmtPct } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { punct, useT } from '../lib/i18n.ts';
import { catalogueName } from '../lib/names.ts';
import { href } from '../lib/url.ts';

function Sources({ f }: { f: Finding }) {
  const g = useGlobals();
  const { lang } = useT();
  const rows = f.sources.filter((s) => s.src_row !== null);
  if (f.indicator && rows.length === 0)
    return (
      <LineageButton unit={f.org_unit} indicator={f.indicator} period={f.period} label={catalogueName(g.catalogue, f.indicator, lang)}>
        {lang === 'zh' ? '查看来源行' : 'source rows'} →
      </LineageButton>
    );
  const list = rows.length ? rows : f.sources;
  return (
    <span className="small">
      {list.slice(0, 3).map((s) => (
        <span key={`${s.export_id}:${s.src_row}`} style={{ display: 'block' }} title={s.table}>
          {s.file ?? '?'}
          {s.sheet ? ` / ${s.sheet}` : ''}
          {s.src_row !== null ? ` / ${lang === 'zh' ? '第' : 'row '}${s.src_row}${lang === 'zh' ? '行' : ''}` : ''}
        </span>
      ))}
      {list.length > 3 ? <span className="muted">…+{list.length - 3}</span> : null}
    </span>
  );
}

export default function Quality() {
  const g = useGlobals();
  const { t, lang } = useT();
  const [onlyPeriod, setOnlyPeriod] = useState(true);
  const comp = useLoad(`completeness:${g.plan.id}`, () => api.completeness({ plan: g.plan.id }));
  const findings = useLoad(`findings:${g.plan.id}:${onlyPeriod ? g.period : 'all'}`, () => api.findings({ plan: g.plan.id, ...(onlyPeriod ? { period: g.period } : {}) }));
  const [rule, setRule] = useState('');
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('quality')}</h1>
      </div>
      <Async q={comp} empty={(c) => c.rows.length === 0}>
        {(c) => {
          const { option, units, missing, total } = completenessOption(c, { keep: g.keep, nameOf: (u) => g.unitByCode.get(u)?.name ?? u }, lang);
          return (
            <>
              <div className="cards">
                <article className="card hero" data-indicator="completeness">
                  <div className="label">{lang === 'zh' ? '报送完整率' : 'Completeness'}</div>
                  <div className="big">{fmtPct(total ? 1 - missing / total : null)}</div>
                  <div className="row">
                    {units.length} × {c.periods.length}
                  </div>
                </article>
                <article className="card">
                  <div className="label">{lang === 'zh' ? '缺报（单位·季度）' : 'Missing (unit·quarter)'}</div>
                  <div className="big" data-value={missing}>
                    {fmtNumber(missing)}
                  </div>
                </article>
              </div>
              <Chart id="completeness" title={t('completeness')} summary={`${units.length} × ${c.periods.length}${punct(lang).comma}${lang === 'zh' ? '缺报' : 'missing'} ${missing}`} option={option} height={Math.min(720, Math.max(320, units.length * 18 + 110))} exportName="completeness" actions={<a className="btn small ghost" href={withFormat(api.completenessExport({ plan: g.plan.id, street: g.street }), 'xlsx')} download>⤓ {t('exportXlsx')}</a>} />
            </>
          );
        }}
      </Async>
      <Async q={findings}>
        {(f) => {
          const rows = f.rows.filter((x) => g.keep(x.org_unit) && (!rule || x.rule === rule));
          return (
            <DataTable
              id="findings-table"
              caption={t('rules')}
              rows={rows}
              rowKey={(x, i) => `${x.rule}:${x.org_unit}:${x.period}:${x.indicator}:${i}`}
              exportUrl={api.findingsExport({ plan: g.plan.id, period: onlyPeriod ? g.period : undefined, street: g.street })}
              maxHeight={560}
              rowHeight={44}
              toolbar={
                <>
                  <label className="small">
                    <input type="checkbox" checked={onlyPeriod} onChange={(e) => setOnlyPeriod(e.target.checked)} /> {lang === 'zh' ? `仅 ${g.period}` : `only ${g.period}`}
                  </label>
                  <select value={rule} onChange={(e) => setRule(e.target.value)} aria-label={lang === 'zh' ? '规则' : 'Rule'}>
                    <option value="">{t('all')}</option>
                    {Object.entries(f.rules).map(([id, zh]) => (
                      <option key={id} value={id}>
                        {lang === 'zh' ? zh : (f.rules_en[id] ?? id)}
                      </option>
                    ))}
                  </select>
                </>
              }
              columns={[
                { key: 'rule', header: lang === 'zh' ? '规则' : 'Rule', render: (x) => <span title={ruleText(x, lang)}>⚠ {ruleName(ruleText(x, lang))}</span>, value: (x) => x.rule },
                { key: 'unit', header: t('unitName'), render: (x) => <a href={href(['community', x.org_unit], {}, g.route.params)}>{x.name ?? g.unitByCode.get(x.org_unit)?.name ?? x.org_unit}</a>, value: (x) => x.org_unit },
                { key: 'period', header: t('period'), render: (x) => x.period, value: (x) => x.period },
                { key: 'ind', header: t('indicator'), render: (x) => <span title={x.indicator ?? ''}>{catalogueName(g.catalogue, x.indicator, lang)}</span>, value: (x) => x.indicator },
                { key: 'value', header: t('value'), render: (x) => findingValue(x, g.catalogue, lang), value: (x) => x.value, align: 'right' },
                { key: 'detail', header: lang === 'zh' ? '说明' : 'Detail', render: (x) => findingDetail(x, lang), value: (x) => findingDetail(x, lang) },
                { key: 'src', header: t('dataSource'), render: (x) => <Sources f={x} /> },
              ]}
            />
          );
        }}
      </Async>
    </div>
  );
}
