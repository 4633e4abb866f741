// 数据导入 Import: drag and drop files or a zip, dry run with the problems
// table (file, sheet, row, column, value, reason), then commit; progress
// while it runs; the import history.

import { useRef, useState } from 'react';
import { DataTable } from '../components/DataTable.tsx';
import { Login } from '../components/Login.tsx';
import { Async } from '../components/States.tsx';
import { api, type Batch, JOB_DONE, type Job, type Problem } from '../lib/api.ts';
import { clearCache, useLoad } from '../lib/fetch.ts';
import { fmtBytes, fmtDateTime, fmtInt } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { useT } from '../lib/i18n.ts';

/** The file as the user named it (the server's upload folder prefix dropped). */
const shownFile = (f: string) => f.replace(/^sanshe-upload-[^/]+\//, '');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilDone(job: Job, onJob: (j: Job) => void): Promise<Job> {
  let j = job;
  onJob(j);
  while (!JOB_DONE.includes(j.status)) {
    await sleep(300);
    j = await api.uploadJob(j.id);
    onJob(j);
  }
  return j;
}

export default function Import() {
  const g = useGlobals();
  const { t, lang } = useT();
  const zh = lang === 'zh';
  // Who we are, and the CSRF token of that session: the app's (the header shows the same).
  const session = g.session;
  const csrf = session?.csrf_token ?? null;
  const [files, setFiles] = useState<File[]>([]);
  const [over, setOver] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState<null | 'check' | 'commit'>(null);
  const [err, setErr] = useState<string | null>(null);
  const [histKey, setHistKey] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const history = useLoad(`batches:${histKey}`, () => api.batches());

  const canImport = !!session?.user?.permissions?.includes('import');
  const pick = (list: FileList | null) => {
    if (!list) return;
    setFiles([...list]);
    setJob(null);
    setErr(null);
  };
  const run = async (kind: 'check' | 'commit') => {
    setBusy(kind);
    setErr(null);
    try {
      const start = kind === 'check' ? await api.upload(files, true, csrf) : await api.commitUpload(job!.id, csrf);
      const done = await untilDone(start, setJob);
      if (kind === 'commit' && (done.status === 'committed' || done.status === 'unchanged')) {
        clearCache();
        setHistKey((k) => k + 1);
      }
    } catch (x) {
      setErr(x instanceof Error ? x.message : String(x));
    } finally {
      setBusy(null);
    }
  };

  const problems: Problem[] = job ? (job.problems.length ? job.problems : (job.summary?.problems ?? [])) : [];
  const pct = job?.progress && job.progress.total > 0 ? Math.round((job.progress.done / job.progress.total) * 100) : null;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('import')}</h1>
        <span className="sub">{zh ? '全部成功才入库（一次导入 = 一个批次）；先预检，再确认导入。' : 'All or nothing (one import = one batch); dry run first, then commit.'}</span>
      </div>
      {!canImport ? (
        <Login session={session} onDone={() => g.refreshSession()} />
      ) : (
        <section className="panel stack" aria-labelledby="upload-h">
          <div className="table-head">
            <h2 id="upload-h">{zh ? '上传文件' : 'Upload'}</h2>
            <span className="muted small">
              {session?.user ? `${session.user.username}（${zh ? session.user.role_zh : session.user.role}）` : ''}
            </span>
          </div>
          {/* biome-ignore lint/a11y/useSemanticElements: a drop zone that is also a button */}
          <div
            className={`drop ${over ? 'over' : ''}`}
            role="button"
            tabIndex={0}
            id="dropzone"
            aria-label={t('dropHere')}
            onClick={() => input.current?.click()}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                input.current?.click();
              }
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(false);
              pick(e.dataTransfer.files);
            }}
          >
            <div style={{ fontSize: 32 }} aria-hidden="true">
              ⇪
            </div>
            <div>{t('dropHere')}</div>
            <div className="muted small">xlsx · csv (UTF-8 / GBK / UTF-16) · zip</div>
            <input ref={input} id="file-input" type="file" multiple accept=".xlsx,.csv,.txt,.zip" hidden onChange={(e) => pick(e.target.files)} />
          </div>
          {files.length ? (
            <ul className="muted small" id="chosen-files" style={{ margin: 0 }}>
              {files.map((f) => (
                <li key={f.name}>
                  {f.name} · {fmtBytes(f.size)}
                </li>
              ))}
            </ul>
          ) : null}
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <button type="button" className="btn" id="btn-dry-run" disabled={!files.length || !!busy} onClick={() => run('check')}>
              {t('dryRun')}
            </button>
            <button type="button" className="btn primary" id="btn-commit" disabled={!job || job.status !== 'dry_run' || !!busy} onClick={() => run('commit')}>
              ✔ {t('commit')}
            </button>
            {busy ? <span className="muted">{busy === 'check' ? t('checking') : t('importing')}</span> : null}
          </div>
          {busy || (job && !JOB_DONE.includes(job.status)) ? (
            <div role="progressbar" aria-label={t('importing')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} className={`progress ${pct === null ? 'indeterminate' : ''}`}>
              <span style={pct === null ? undefined : { width: `${pct}%` }} />
            </div>
          ) : null}
          {job?.progress && busy ? (
            <div className="muted small">
              {job.progress.phase} · {job.progress.done}/{job.progress.total} {job.progress.file ?? ''}
            </div>
          ) : null}
          {err ? (
            <div className="notice bad" role="alert">
              ⚠ {err}
            </div>
          ) : null}
          {job && JOB_DONE.includes(job.status) ? <Outcome job={job} /> : null}
          {problems.length ? (
            <DataTable
              id="problems-table"
              caption={t('problems')}
              rows={problems}
              rowKey={(p, i) => `${p.file}:${p.sheet}:${p.row}:${p.column}:${i}`}
              maxHeight={420}
              columns={[
                { key: 'sev', header: zh ? '级别' : 'Severity', render: (p) => (p.severity === 'error' ? <span className="badge" style={{ color: '#c0392b', background: '#fbe5e2' }}>✘ {zh ? '错误' : 'error'}</span> : <span className="badge" style={{ color: '#b7791f', background: '#fdf3dc' }}>⚠ {zh ? '警告' : 'warning'}</span>), value: (p) => p.severity },
                { key: 'file', header: t('file'), render: (p) => shownFile(p.file), value: (p) => shownFile(p.file) },
                { key: 'sheet', header: t('sheet'), render: (p) => p.sheet ?? '—', value: (p) => p.sheet ?? null },
                { key: 'row', header: t('row'), render: (p) => p.row ?? '—', value: (p) => p.row ?? null, align: 'right' },
                { key: 'col', header: t('column'), render: (p) => (p.column ? `${p.column}${p.field ? ` (${p.field})` : ''}` : '—'), value: (p) => p.column ?? null },
                { key: 'value', header: t('value'), render: (p) => (p.value === undefined ? '—' : <code>{p.value}</code>), value: (p) => p.value ?? null },
                { key: 'reason', header: t('reason'), render: (p) => p.message, value: (p) => p.message },
              ]}
            />
          ) : null}
        </section>
      )}
      <Async q={history}>
        {(rows) => <History rows={rows} />}
      </Async>
    </div>
  );
}

function Outcome({ job }: { job: Job }) {
  const { t, lang } = useT();
  const zh = lang === 'zh';
  const s = job.summary;
  switch (job.status) {
    case 'dry_run':
      return (
        <div className="notice ok" id="outcome" data-status={job.status}>
          ✔ {t('noProblems')} · {fmtInt(s?.rows ?? 0)} {zh ? '行' : 'rows'} · {s?.files.length ?? job.files.length} {zh ? '个文件' : 'files'}
        </div>
      );
    case 'committed':
      return (
        <div className="notice ok" id="outcome" data-status={job.status} data-batch={s?.batchId ?? ''} data-dashboard={job.dashboard?.mode ?? ''}>
          ✔ {t('imported')} · {t('batch')} #{s?.batchId} · {fmtInt(s?.rows ?? 0)} {zh ? '行' : 'rows'}
          {job.dashboard ? <DashboardLine d={job.dashboard} zh={zh} /> : null}
        </div>
      );
    case 'unchanged':
      return (
        <div className="notice warn" id="outcome" data-status={job.status}>
          ● {zh ? '文件与已导入的完全相同，未产生新批次' : 'Identical to what is already stored; no new batch'}
        </div>
      );
    default:
      return (
        <div className="notice bad" id="outcome" data-status={job.status} role="alert">
          ✘ {zh ? '预检未通过，未导入任何数据' : 'Rejected; nothing was stored'}
          {job.message ? ` · ${job.message}` : ''}
        </div>
      );
  }
}

/** How the dashboard took the commit in: at once (patched), or recomputing in the background. */
function DashboardLine({ d, zh }: { d: NonNullable<Job['dashboard']>; zh: boolean }) {
  const s = (d.ms / 1000).toLocaleString(zh ? 'zh-CN' : 'en', { maximumFractionDigits: 1 });
  return d.mode === 'patched' ? (
    <div className="small">{zh ? `↻ 仪表盘已即时更新（增量计算，${s} 秒）` : `↻ Dashboard updated at once (incremental, ${s} s)`}</div>
  ) : (
    <div className="small">{zh ? '⏳ 仪表盘正在后台重新计算，稍后刷新页面即可看到新数据' : '⏳ Dashboard recomputing in the background; reload shortly for the new numbers'}</div>
  );
}

/** How a batch arrived, in words (the stored code stays for sorting and exports). */
const SOURCES: Record<string, [string, string]> = {
  sample: ['示例数据', 'Sample data'],
  cli: ['命令行', 'Command line'],
  http: ['网页上传', 'Web upload'],
};

function sourceLabel(source: string | null, zh: boolean): string {
  const l = source ? SOURCES[source] : undefined;
  return l ? l[zh ? 0 : 1] : (source ?? '—');
}

/** A stored batch is committed (a failed import stores nothing); other codes show as they are. */
function statusLabel(status: string, zh: boolean): string {
  return status === 'committed' ? (zh ? '✔ 已入库' : '✔ Committed') : status;
}

function History({ rows }: { rows: Batch[] }) {
  const { t, lang } = useT();
  const zh = lang === 'zh';
  return (
    <DataTable
      id="history-table"
      caption={t('history')}
      rows={[...rows].sort((a, b) => b.batch_id - a.batch_id)}
      rowKey={(b) => String(b.batch_id)}
      exportUrl={api.batchesExport()}
      maxHeight={420}
      columns={[
        { key: 'id', header: t('batch'), render: (b) => <b>#{b.batch_id}</b>, value: (b) => b.batch_id },
        { key: 'at', header: zh ? '导入时间' : 'Imported at', render: (b) => fmtDateTime(b.finished_at ?? b.started_at, lang), value: (b) => b.finished_at ?? b.started_at },
        { key: 'by', header: zh ? '导入人' : 'By', render: (b) => b.imported_by ?? '—', value: (b) => b.imported_by },
        { key: 'src', header: zh ? '来源' : 'Source', render: (b) => sourceLabel(b.source, zh), value: (b) => b.source },
        { key: 'status', header: t('status'), render: (b) => <span data-status={b.status}>{statusLabel(b.status, zh)}</span>, value: (b) => b.status },
        { key: 'files', header: zh ? '文件数' : 'Files', render: (b) => fmtInt(b.file_count), value: (b) => b.file_count, align: 'right' },
        { key: 'rows', header: zh ? '行数' : 'Rows', render: (b) => fmtInt(b.row_count), value: (b) => b.row_count, align: 'right' },
        { key: 'names', header: t('file'), render: (b) => <span className="muted small">{b.files.slice(0, 3).map((f) => f.path.split('/').pop()).join('、')}{b.files.length > 3 ? ` …+${b.files.length - 3}` : ''}</span> },
      ]}
    />
  );
}
