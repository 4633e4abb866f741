// A sortable table that virtualises its rows (only the visible window is in
// the DOM, so 10,000 communities stay responsive), with CSV/xlsx export
// through the API when the table has an export URL, else CSV built here.

import { type ReactNode, useMemo, useRef, useState } from 'react';
import { withFormat } from '../lib/api.ts';
import { fmtInt } from '../lib/format.ts';
import { useT } from '../lib/i18n.ts';
import { usePrinting } from '../lib/printing.ts';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** Plain text of the header, for CSV and aria. */
  label?: string;
  render: (row: T) => ReactNode;
  /** Value for sorting and the client-side CSV. */
  value?: (row: T) => string | number | null;
  align?: 'left' | 'right' | 'center';
  width?: number | string;
}

interface Props<T> {
  id: string;
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, i: number) => string;
  /** API export: `${exportUrl}&format=csv|xlsx` (or ?format=). */
  exportUrl?: string | null;
  maxHeight?: number;
  rowHeight?: number;
  onRowClick?: (row: T) => void;
  rowClass?: (row: T) => string | undefined;
  toolbar?: ReactNode;
}

const VIRTUAL_FROM = 120;

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function DataTable<T>({ id, caption, columns, rows, rowKey, exportUrl, maxHeight = 560, rowHeight = 38, onRowClick, rowClass, toolbar }: Props<T>) {
  const { t, lang } = useT();
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLElement>(null);

  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col?.value) return rows;
    const v = col.value;
    return [...rows].sort((a, b) => {
      const x = v(a);
      const y = v(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sort.dir;
    });
  }, [rows, sort, columns]);

  // A printed table has every row: the page is read on paper, not scrolled.
  const printing = usePrinting() !== null;
  const virtual = !printing && sorted.length > VIRTUAL_FROM;
  const visible = Math.ceil(maxHeight / rowHeight) + 10;
  const start = virtual ? Math.max(0, Math.floor(scrollTop / rowHeight) - 5) : 0;
  const end = virtual ? Math.min(sorted.length, start + visible) : sorted.length;
  const slice = sorted.slice(start, end);

  const clientCsv = () => {
    const head = columns.map((c) => csvCell(c.label ?? (typeof c.header === 'string' ? c.header : c.key))).join(',');
    const body = sorted.map((r) => columns.map((c) => csvCell(c.value ? c.value(r) : '')).join(','));
    const blob = new Blob([`\ufeff${[head, ...body].join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${caption}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <section className="table-wrap" aria-labelledby={`${id}-cap`}>
      <div className="table-head">
        <h3 id={`${id}-cap`}>{caption}</h3>
        <span className="muted small">{fmtInt(sorted.length, lang)}</span>
        <span className="spacer" />
        {toolbar}
        {exportUrl ? (
          <>
            <a className="btn small ghost" href={withFormat(exportUrl, 'csv')} download>
              ⤓ {t('exportCsv')}
            </a>
            <a className="btn small ghost" href={withFormat(exportUrl, 'xlsx')} download>
              ⤓ {t('exportXlsx')}
            </a>
          </>
        ) : (
          <button type="button" className="btn small ghost" onClick={clientCsv}>
            ⤓ {t('exportCsv')}
          </button>
        )}
      </div>
      <section
        className="table-scroll"
        ref={box}
        style={{ maxHeight }}
        onScroll={virtual ? (e) => setScrollTop((e.target as HTMLElement).scrollTop) : undefined}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be keyboard reachable
        tabIndex={0}
        aria-label={caption}
      >
        <table id={id} data-rows={sorted.length}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} style={{ width: c.width, textAlign: c.align ?? 'left' }} aria-sort={sort?.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}>
                  {c.value ? (
                    <button type="button" className="th-sort" onClick={() => setSort((s) => (s?.key === c.key ? { key: c.key, dir: s.dir === 1 ? -1 : 1 } : { key: c.key, dir: -1 }))}>
                      {c.header}
                      <span className="sort-mark" aria-hidden="true">{sort?.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ' ⇅'}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {virtual && start > 0 ? (
              <tr className="spacer-row" style={{ height: start * rowHeight }}>
                <td colSpan={columns.length} />
              </tr>
            ) : null}
            {slice.map((r, i) => (
              <tr
                key={rowKey(r, start + i)}
                style={virtual ? { height: rowHeight } : undefined}
                className={[onRowClick ? 'clickable' : '', rowClass?.(r) ?? ''].join(' ')}
                onClick={onRowClick ? () => onRowClick(r) : undefined}
              >
                {columns.map((c) => (
                  <td key={c.key} style={{ textAlign: c.align ?? 'left', whiteSpace: c.align === 'right' ? 'nowrap' : undefined }}>
                    {c.render(r)}
                  </td>
                ))}
              </tr>
            ))}
            {virtual && end < sorted.length ? (
              <tr className="spacer-row" style={{ height: (sorted.length - end) * rowHeight }}>
                <td colSpan={columns.length} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
    </section>
  );
}
