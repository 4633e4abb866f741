// What the overview loads, apart from the page itself: the shell starts these
// requests as soon as the plan and period are known, while the page's code
// (ECharts included) is still loading, and the page's own hooks then find
// them in the fetch cache (same URLs).

import { api, type ReportParts } from '../lib/api.ts';
import { prevPeriod } from '../lib/format.ts';
import type { Level } from '../lib/api.ts';

/** What the overview's requests depend on (the globals, or what the shell knows before them). */
export interface OverviewQuery {
  plan: { id: string } | undefined;
  period: string;
  periods: string[];
  level: Level;
}

export function rankLevel(g: { level: Level }): 'community' | 'street' {
  return g.level === 'community' ? 'community' : 'street';
}

/** (level, period, parts) of every report the overview shows; period null = none. */
export function overviewReports(g: OverviewQuery): { level: Level; period: string | null; parts: ReportParts }[] {
  const prev = prevPeriod(g.period);
  const hasPrev = prev !== null && g.periods.includes(prev);
  return [
    { level: 'district', period: g.period, parts: { values: 'all' } },
    { level: 'district', period: hasPrev ? prev : null, parts: { values: 'all' } },
    { level: rankLevel(g), period: g.period, parts: {} },
    { level: 'street', period: g.period, parts: {} },
  ];
}

export function prefetchOverview(g: OverviewQuery): void {
  if (!g.plan || !g.period) return;
  for (const r of overviewReports(g)) {
    if (r.period) api.report({ plan: g.plan.id, period: r.period, level: r.level }, r.parts).catch(() => {});
  }
}
