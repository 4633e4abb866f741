// 验收 print view: a clean A4 report per community (one page each, page
// breaks between, CJK fonts, a signature block for the inspection team),
// or the district summary. #/print/<code> | #/print/all | #/print/district

import { useEffect } from 'react';
import { targetText } from '../components/Cards.tsx';
import { Async } from '../components/States.tsx';
import { api, type Finding, type Report } from '../lib/api.ts';
import { findCommunity } from '../lib/community.ts';
import { useLoad } from '../lib/fetch.ts';
import { findingDetail, findingValue, ruleName, ruleText } from '../lib/findings.ts';
import { fmtPct, fmtPeriod, fmtScore, fmtValue } from '../lib/format.ts';
import { type Globals, useGlobals } from '../lib/globals.tsx';
import { all, useReport } from '../lib/hooks.ts';
import { punct, ratingLabel, useT } from '../lib/i18n.ts';
import { catalogueName, dimensionName, indicatorName } from '../lib/names.ts';
import { sourceText } from '../lib/sources.tsx';
import { href } from '../lib/url.ts';
import { type AccUnit, acceptanceUnits, passes, requirementTally } from './Acceptance.tsx';
import './print.css';

function Mark({ pass }: { pass: boolean | null }) {
  const { t } = useT();
  if (pass === null) return <span className="pm nd">∅ {t('empty')}</span>;
  return <span className={`pm ${pass ? 'ok' : 'no'}`}>{pass ? `✔ ${t('pass')}` : `✘ ${t('fail')}`}</span>;
}

function Signature() {
  const { t, lang } = useT();
  const c = punct(lang).colon;
  return (
    <div className="sign">
      <div className="sign-title">{t('signature')}</div>
      <div className="sign-grid">
        <div>
          {t('leader')}
          {c}
          <span className="line" />
        </div>
        <div>
          {t('members')}
          {c}
          <span className="line long" />
        </div>
        <div>
          {t('date')}
          {c}
          <span className="line" />
        </div>
        <div className="seal">{lang === 'zh' ? '（盖章）' : '(seal)'}</div>
      </div>
    </div>
  );
}

/** Findings listed on a sheet; the rest are counted (the sheet stays one A4 page). */
const FINDINGS_ON_SHEET = 5;

/** The data-quality findings of this community and period: the caveats the inspection team signs under. */
function QualityNotes({ g, findings }: { g: Globals; findings: Finding[] }) {
  const { lang } = useT();
  const zh = lang === 'zh';
  return (
    <div className="sheet-quality" data-findings={findings.length}>
      <b>{zh ? `数据质量提示（本期 ${findings.length} 条）` : `Data-quality findings (${findings.length} this period)`}</b>
      {findings.length === 0 ? (
        <span>{zh ? '：无。' : ': none.'}</span>
      ) : (
        <ul>
          {findings.slice(0, FINDINGS_ON_SHEET).map((f) => (
            <li key={`${f.rule}:${f.indicator}:${f.sources.map((s) => `${s.export_id}#${s.src_row}`).join(',')}`}>
              ⚠ {ruleName(ruleText(f, lang))}
              {f.indicator ? `${zh ? '：' : ': '}${catalogueName(g.catalogue, f.indicator, lang)} ${findingValue(f, g.catalogue, lang)}` : ''}
              {f.detail ? (zh ? `（${findingDetail(f, lang)}）` : ` (${findingDetail(f, lang)})`) : ''}
            </li>
          ))}
          {findings.length > FINDINGS_ON_SHEET ? (
            <li className="more">{zh ? `另有 ${findings.length - FINDINGS_ON_SHEET} 条，见“数据质量”页` : `${findings.length - FINDINGS_ON_SHEET} more on the data-quality page`}</li>
          ) : null}
        </ul>
      )}
    </div>
  );
}

function UnitSheet({ g, u, report, district, findings }: { g: Globals; u: AccUnit; report: Report; district?: Report; findings: Finding[] }) {
  const { t, lang } = useT();
  const unit = g.unitByCode.get(u.acc.org_unit);
  const street = unit?.parent_code ? g.unitByCode.get(unit.parent_code)?.name : null;
  const score = report.scores.find((s) => s.org_unit === u.acc.org_unit);
  const dist = district?.scores[0];
  return (
    <section className="sheet" data-unit={u.acc.org_unit}>
      <header className="sheet-head">
        <div className="sheet-kicker">{g.plan.name}</div>
        <h1>{t('reportTitle')}</h1>
        <div className="sheet-meta">
          <span>
            {t('community')}
            {punct(lang).colon}
            <b>{unit?.name ?? u.acc.name ?? u.acc.org_unit}</b>
          </span>
          {street ? (
            <span>
              {t('street')}
              {punct(lang).colon}
              {street}
            </span>
          ) : null}
          <span>
            {lang === 'zh' ? '区划代码' : 'Code'}
            {punct(lang).colon}
            {u.acc.org_unit}
          </span>
          <span>
            {t('period')}
            {punct(lang).colon}
            {fmtPeriod(g.period, lang)}
          </span>
        </div>
      </header>
      <div className="sheet-summary">
        <div>
          <div className="k">{t('composite')}</div>
          <div className="v">{fmtScore(u.acc.composite)}</div>
        </div>
        <div>
          <div className="k">{t('rating')}</div>
          <div className="v">{ratingLabel(u.rating, lang)}</div>
        </div>
        <div>
          <div className="k">{lang === 'zh' ? '达标要求' : 'Requirements met'}</div>
          <div className="v">
            {u.passed} / {u.reqs.length}
          </div>
        </div>
        <div>
          <div className="k">{t('conclusion')}</div>
          <div className={`v ${u.acc.accepted ? 'ok' : 'no'}`}>{u.acc.accepted ? `✔ ${t('accepted')}` : `✘ ${t('notAccepted')}`}</div>
        </div>
      </div>
      <table className="sheet-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('requirement')}</th>
            <th className="r">{t('value')}</th>
            <th>{t('target')}</th>
            <th className="r">{t('attainment')}</th>
            <th>{t('status')}</th>
          </tr>
        </thead>
        <tbody>
          {u.reqs.map((v, i) => (
            <tr key={v.indicator}>
              <td>{i + 1}</td>
              <td>
                {indicatorName(v, lang)}
                {v.veto ? <span className="veto"> ★{t('veto')}</span> : null}
                {v.plan_default ? <span className="pd"> ※</span> : null}
                {v.source_clause ? <div className="clause">「{v.source_clause}」</div> : null}
              </td>
              <td className="r">{fmtValue(v.value, v.unit, lang)}</td>
              <td>{targetText(v, lang)}</td>
              <td className="r">{fmtPct(v.attainment, 0)}</td>
              <td>
                <Mark pass={passes(v)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {score ? (
        <table className="sheet-table dims">
          <thead>
            <tr>
              <th>{t('dimension')}</th>
              {g.plan.dimensions.map((d) => (
                <th key={d.id} className="r">
                  {dimensionName(g.plan, d.id, lang)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{lang === 'zh' ? '本社区' : 'Community'}</td>
              {g.plan.dimensions.map((d) => (
                <td key={d.id} className="r">
                  {fmtScore(score.dimensions[d.id])}
                </td>
              ))}
            </tr>
            {dist ? (
              <tr>
                <td>{lang === 'zh' ? '全区' : 'District'}</td>
                {g.plan.dimensions.map((d) => (
                  <td key={d.id} className="r">
                    {fmtScore(dist.dimensions[d.id])}
                  </td>
                ))}
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
      <p className="notes">
        {u.reqs.length > 0 && u.reqs.every((v) => v.value === null) ? (
          <b className="no-export">{lang === 'zh' ? '本期该社区未报送任何数据，以上各项均按「无数据」计 0 分，请核实是否漏报。' : 'This community reported no data for the period: every requirement counts as "no data" (0); check for a missing export. '}</b>
        ) : null}
        {u.acc.vetoes_failed.length ? (
          <>
            <b>
              {t('vetoFailed')}
              {punct(lang).colon}
            </b>
            {u.acc.vetoes_failed.map((id) => indicatorName(u.reqs.find((r) => r.indicator === id) ?? { indicator: id, indicator_zh: id }, lang)).join('、')}。
          </>
        ) : null}
        {lang === 'zh'
          ? `★ 一票否决项；※ 方案默认值（非来源文件规定）；「」内为目标所依据的来源文件原文，来源文件：${sourceText(g.plan.source, lang)}。验收标准：综合得分 ≥ ${g.plan.pass_score?.value ?? 60} 且否决项全部达标。`
          : `★ veto; ※ plan default (not from a source document); 「」 quotes the source document the target comes from: ${sourceText(g.plan.source, lang)}. Pass: composite ≥ ${g.plan.pass_score?.value ?? 60} and every veto met.`}
      </p>
      <QualityNotes g={g} findings={findings} />
      <Signature />
    </section>
  );
}

function DistrictSheet({ g, units, district }: { g: Globals; units: AccUnit[]; district: Report }) {
  const { t, lang } = useT();
  const d = district.scores[0];
  const n = units.length;
  const pass = units.filter((u) => u.acc.accepted).length;
  const sorted = [...units].sort((a, b) => b.acc.composite - a.acc.composite);
  return (
    <section className="sheet district" data-unit="district">
      <header className="sheet-head">
        <div className="sheet-kicker">{g.plan.name}</div>
        <h1>{t('districtReportTitle')}</h1>
        <div className="sheet-meta">
          <span>
            {t('period')}
            {punct(lang).colon}
            {fmtPeriod(g.period, lang)}
          </span>
          <span>
            {n} {t('communities')}
          </span>
        </div>
      </header>
      <div className="sheet-summary">
        <div>
          <div className="k">{lang === 'zh' ? '全区综合得分' : 'District composite'}</div>
          <div className="v">{fmtScore(d?.composite)}</div>
        </div>
        <div>
          <div className="k">{t('rating')}</div>
          <div className="v">{d ? ratingLabel(d.rating, lang) : '—'}</div>
        </div>
        <div>
          <div className="k">{lang === 'zh' ? '通过验收' : 'Passed'}</div>
          <div className="v">
            {pass} / {n}
          </div>
        </div>
        <div>
          <div className="k">{lang === 'zh' ? '通过率' : 'Pass rate'}</div>
          <div className="v">{fmtPct(n ? pass / n : null, 0)}</div>
        </div>
      </div>
      <table className="sheet-table compact" id="district-requirements">
        <caption className="sheet-caption">{lang === 'zh' ? '各项验收要求达标情况' : 'Requirements met, by requirement'}</caption>
        <thead>
          <tr>
            <th>{t('requirement')}</th>
            <th className="r">{lang === 'zh' ? '达标' : 'Met'}</th>
            <th className="r">{lang === 'zh' ? '未达标' : 'Not met'}</th>
            <th className="r">{lang === 'zh' ? '无数据' : 'No data'}</th>
            <th className="r">{lang === 'zh' ? '达标率' : 'Share met'}</th>
          </tr>
        </thead>
        <tbody>
          {requirementTally(units).map((r) => (
            <tr key={r.req.indicator} data-indicator={r.req.indicator}>
              <td>
                {indicatorName(r.req, lang)}
                {r.req.veto ? <span className="veto"> ★{t('veto')}</span> : null}
              </td>
              <td className="r">{r.pass}</td>
              <td className="r">{r.fail}</td>
              <td className="r">{r.noData}</td>
              <td className="r">{fmtPct(n ? r.pass / n : null, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="sheet-table compact">
        <caption className="sheet-caption">{lang === 'zh' ? '各社区验收结果' : 'Acceptance by community'}</caption>
        <thead>
          <tr>
            <th>#</th>
            <th>{t('community')}</th>
            <th className="r">{t('composite')}</th>
            <th>{t('rating')}</th>
            <th className="r">{lang === 'zh' ? '达标要求' : 'Met'}</th>
            <th>{t('veto')}</th>
            <th>{t('conclusion')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((u, i) => (
            <tr key={u.acc.org_unit}>
              <td>{i + 1}</td>
              <td>{g.unitByCode.get(u.acc.org_unit)?.name ?? u.acc.name}</td>
              <td className="r">{fmtScore(u.acc.composite)}</td>
              <td>{ratingLabel(u.rating, lang)}</td>
              <td className="r">
                {u.passed}/{u.reqs.length}
              </td>
              <td>{u.acc.vetoes_failed.length ? `✘ ${u.acc.vetoes_failed.length}` : '—'}</td>
              <td>
                <Mark pass={u.acc.accepted} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Signature />
    </section>
  );
}

/** #/print/all, #/print/district, or one community by code or name. */
export default function AcceptancePrint() {
  const g = useGlobals();
  const { lang } = useT();
  const key = g.route.path[1] ?? 'all';
  if (key === 'all' || key === 'district') return <PrintView which={key} />;
  const found = findCommunity(g.units, key);
  if ('unit' in found) return <PrintView which={found.unit.code} />;
  return (
    <div className="print-root">
      <div className="print-bar no-print">
        <a className="btn" href={href('acceptance', {}, g.route.params)}>
          ← {lang === 'zh' ? '返回验收' : 'Back to acceptance'}
        </a>
      </div>
      <div className="notice warn" id="print-not-found" role="status" style={{ margin: 16 }}>
        ⚠{' '}
        {lang === 'zh'
          ? `未找到社区「${key}」${found.candidates.length > 1 ? `（有 ${found.candidates.length} 个同名社区，请用区划代码）` : ''}`
          : `No community "${key}"${found.candidates.length > 1 ? ` (${found.candidates.length} share the name; use the code)` : ''}`}
      </div>
    </div>
  );
}

function PrintView({ which }: { which: string }) {
  const g = useGlobals();
  const { t, lang } = useT();
  const report = useReport('community', undefined, { values: 'plan', acceptance: true, unit: which === 'all' || which === 'district' ? undefined : which });
  const district = useReport('district');
  const one = which === 'all' || which === 'district' ? undefined : which;
  const findings = useLoad(`print-findings:${g.plan.id}:${g.period}:${one ?? 'all'}`, () => api.findings({ plan: g.plan.id, period: g.period, unit: one }));
  const q = all<[Report, Report, { rows: Finding[] }]>(report, district, findings);
  useEffect(() => {
    document.body.classList.add('print-mode');
    return () => document.body.classList.remove('print-mode');
  }, []);
  return (
    <div className="print-root">
      <div className="print-bar no-print">
        <a className="btn" href={href(which === 'all' || which === 'district' ? 'acceptance' : ['community', which], {}, g.route.params)}>
          ← {lang === 'zh' ? '返回' : 'Back'}
        </a>
        <button type="button" className="btn primary" onClick={() => window.print()}>
          {t('print')}
        </button>
        <span className="muted small">{lang === 'zh' ? 'A4 纵向，每个社区一页' : 'A4 portrait, one page per community'}</span>
      </div>
      <Async q={q}>
        {([r, d, f]) => {
          const units = acceptanceUnits(r, g.keep);
          if (which === 'district') return <DistrictSheet g={g} units={units} district={d} />;
          const chosen = which === 'all' ? units : units.filter((u) => u.acc.org_unit === which);
          return (
            <div data-ready="1" data-pages={chosen.length}>
              {chosen.map((u) => (
                <UnitSheet key={u.acc.org_unit} g={g} u={u} report={r} district={d} findings={f.rows.filter((x) => x.org_unit === u.acc.org_unit)} />
              ))}
            </div>
          );
        }}
      </Async>
    </div>
  );
}
