// "Every number opens its lineage": a button that shows a value and, on
// click, a drawer listing the batch, file, sheet and rows it came from.

import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/fetch.ts';
import { fmtPeriod } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { punct, useT } from '../lib/i18n.ts';
import { sourceSpans, spanText } from '../lib/lineage.ts';
import { SourceRef } from '../lib/sources.tsx';
import { DataTable } from './DataTable.tsx';
import { Async } from './States.tsx';

interface Target {
  unit: string;
  indicator: string;
  label: string;
  period: string;
}

export function LineageButton({ unit, indicator, label, period, children }: Target & { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const { lang } = useT();
  return (
    <>
      <button type="button" className="linkish" onClick={() => setOpen(true)} title={lang === 'zh' ? '查看数据来源' : 'Show where this number comes from'} data-lineage={`${unit}:${indicator}`}>
        {children}
      </button>
      {open ? <LineageDrawer target={{ unit, indicator, label, period }} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function LineageDrawer({ target, onClose }: { target: Target; onClose: () => void }) {
  const g = useGlobals();
  const { t, lang } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const q = useLoad(`lineage:${g.plan.id}:${target.unit}:${target.indicator}:${target.period}`, () =>
    api.lineage({ plan: g.plan.id, unit: target.unit, indicator: target.indicator, period: target.period }),
  );
  // How the number is computed, beside where its rows come from (the plan is the methodology page's, loaded once).
  const plan = useLoad(`plan:${g.plan.id}`, () => api.plan(g.plan.id));
  const def = plan.data?.indicators.find((i) => i.id === target.indicator);
  return (
    <dialog ref={ref} className="drawer" onClose={onClose} aria-labelledby="lineage-title">
      <div className="drawer-body">
        <div className="page-head">
          <h2 id="lineage-title">
            {t('lineage')} · {target.label}
          </h2>
          <span className="spacer" />
          <button type="button" className="btn" onClick={() => ref.current?.close()}>
            ✕ {t('close')}
          </button>
        </div>
        <dl className="kv">
          <dt>{t('community')}</dt>
          <dd>{g.unitByCode.get(target.unit)?.name ?? target.unit}</dd>
          <dt>{t('period')}</dt>
          <dd>{fmtPeriod(target.period, lang)}</dd>
          {def ? (
            <>
              <dt>{t('formula')}</dt>
              <dd>
                <span className="code" id="lineage-formula">
                  {def.formula}
                </span>
              </dd>
              <dt>{t('source')}</dt>
              <dd className="small">
                <SourceRef text={def.source} lang={lang} />
              </dd>
            </>
          ) : null}
        </dl>
        <Async q={q}>
          {(rows) =>
            rows.length === 0 ? (
              <div className="notice warn">{lang === 'zh' ? '没有来源行：该期无报送数据（无数据，不计为 0）' : 'No source rows: nothing was exported for this period (no data, not zero)'}</div>
            ) : (
              <>
                <SpanList rows={rows} />
                <DataTable
                id="lineage-table"
                caption={t('lineage')}
                rows={rows}
                rowKey={(r, i) => `${r.file_id}:${r.sheet}:${r.src_row}:${i}`}
                maxHeight={600}
                exportUrl={api.lineageExport({ plan: g.plan.id, unit: target.unit, indicator: target.indicator, period: target.period })}
                columns={[
                  { key: 'batch', header: t('batch'), render: (r) => `#${r.batch_id}`, value: (r) => r.batch_id },
                  { key: 'file', header: t('file'), render: (r) => <span title={r.path}>{r.file}</span>, value: (r) => r.file },
                  { key: 'sheet', header: t('sheet'), render: (r) => r.sheet ?? '—', value: (r) => r.sheet },
                  { key: 'row', header: t('row'), render: (r) => r.src_row, value: (r) => r.src_row, align: 'right' },
                  { key: 'table', header: lang === 'zh' ? '数据表' : 'Table', render: (r) => <span title={r.table}>{lang === 'zh' ? r.table_label : r.table}</span>, value: (r) => (lang === 'zh' ? r.table_label : r.table) },
                  { key: 'unit', header: t('community'), render: (r) => g.unitByCode.get(r.org_unit)?.name ?? r.org_unit, value: (r) => r.org_unit },
                  { key: 'period', header: t('period'), render: (r) => fmtPeriod(r.period, lang), value: (r) => r.period },
                ]}
              />
              </>
            )
          }
        </Async>
      </div>
    </dialog>
  );
}

/** One line per table, file and sheet: how many rows, and which (the first eight; the table lists them all). */
function SpanList({ rows }: { rows: Parameters<typeof sourceSpans>[0] }) {
  const { lang } = useT();
  const spans = sourceSpans(rows);
  const shown = spans.slice(0, 8);
  return (
    <ul className="rule-list small lineage-summary" id="lineage-summary" data-spans={spans.length}>
      {shown.map((s) => (
        <li key={`${s.table}:${s.path}:${s.sheet}`}>
          <b>{lang === 'zh' ? s.table_label : s.table}</b>
          {punct(lang).colon}
          <span title={s.path}>{s.file}</span>
          {s.sheet ? ` / ${s.sheet}` : ''} · {spanText(s, lang)}
        </li>
      ))}
      {spans.length > shown.length ? <li className="muted">…+{spans.length - shown.length}</li> : null}
    </ul>
  );
}
