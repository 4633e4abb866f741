// Data hooks shared by pages: reports by query, keyed so views of the same
// query share one request.
import { useEffect, useState } from 'react';
import { api, type Level, type RankedScore, type Report, type ReportParts } from './api.ts';
import { type Loadable, useLoad } from './fetch.ts';
import { useGlobals } from './globals.tsx';

export function useReport(level: Level, period?: string | null, parts: ReportParts = {}): Loadable<Report & { ranked: RankedScore[] }> {
  const g = useGlobals();
  const p = period === undefined ? g.period : period;
  const key = p ? `report:${g.plan.id}:${p}:${level}:${parts.values ?? ''}:${parts.acceptance ?? ''}:${parts.unit ?? ''}` : null;
  return useLoad(key, () => api.report({ plan: g.plan.id, period: p!, level }, parts));
}

/** Combine several loadables: data only when all have data. */
export function all<T extends unknown[]>(...qs: { [K in keyof T]: Loadable<T[K]> }): Loadable<T> {
  const error = qs.find((q) => q.error)?.error ?? null;
  const loading = qs.some((q) => q.loading);
  const ready = qs.every((q) => q.data !== null);
  return {
    data: ready && !error ? (qs.map((q) => q.data) as T) : null,
    error,
    loading: !error && (loading || !ready),
    reload: () => {
      for (const q of qs) q.reload();
    },
  };
}

/**
 * True once `ready` has been true and the browser was then idle (or 2 s
 * passed): for work that must not compete with a page's first charts, such
 * as a table's request below them.
 */
export function useIdleAfter(ready: boolean): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (!ready || idle) return;
    const w = window as Window & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number; cancelIdleCallback?: (h: number) => void };
    if (w.requestIdleCallback && w.cancelIdleCallback) {
      const h = w.requestIdleCallback(() => setIdle(true), { timeout: 2000 });
      return () => w.cancelIdleCallback?.(h);
    }
    const h = setTimeout(() => setIdle(true), 50);
    return () => clearTimeout(h);
  }, [ready, idle]);
  return idle;
}
