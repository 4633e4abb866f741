// Data hooks shared by pages: reports by query, keyed so views of the same
// query share one request.
import { api, type Level, type Report, type ReportParts } from './api.ts';
import { type Loadable, useLoad } from './fetch.ts';
import { useGlobals } from './globals.tsx';

export function useReport(level: Level, period?: string | null, parts: ReportParts = {}): Loadable<Report> {
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
