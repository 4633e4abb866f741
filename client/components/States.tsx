// Loading, empty and error states, the same on every view.
import type { ReactNode } from 'react';
import type { Loadable } from '../lib/fetch.ts';
import { useT } from '../lib/i18n.ts';

export function Loading({ label }: { label?: string }) {
  const { t } = useT();
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useT();
  return (
    <div className="state empty" role="status">
      <span aria-hidden="true">∅</span> {children ?? t('empty')}
    </div>
  );
}

export function ErrorView({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useT();
  return (
    <div className="state error" role="alert">
      <strong>⚠ {t('error')}</strong>
      <span className="msg">{error.message}</span>
      {onRetry ? (
        <button type="button" className="btn small" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}

/** Renders loading / error / empty, else the children with the data. */
export function Async<T>({ q, empty, children }: { q: Loadable<T>; empty?: (d: T) => boolean; children: (d: T) => ReactNode }) {
  if (q.error) return <ErrorView error={q.error} onRetry={q.reload} />;
  if (q.loading || q.data === null) return <Loading />;
  if (empty?.(q.data)) return <Empty />;
  return <>{children(q.data)}</>;
}
