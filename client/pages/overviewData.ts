// What the overview loads: one request (/overview/charts) with the district
// cards, the street scores for the radar and the ranking as columns. Its URL
// carries only the plan, period and level the address names (the server
// resolves the default plan and the latest period), so client/public/boot.js
// can start the same request before the dashboard's code has loaded, and
// the page then finds it (lib/fetch.ts). A link whose plan or period the
// dashboard corrects (unknown plan, period without data) is asked again with
// the corrected ones.

import type { Level, OverviewCharts } from '../lib/api.ts';
import { getJson } from '../lib/fetch.ts';

export function rankLevel(g: { level: Level }): 'community' | 'street' {
  return g.level === 'community' ? 'community' : 'street';
}

/** The overview request for these parameters (each only when given); boot.js builds the same string. */
export function overviewUrl(p: { plan?: string | null; period?: string | null; level?: string | null }): string {
  const q = new URLSearchParams();
  if (p.plan) q.set('plan', p.plan);
  if (p.period) q.set('period', p.period);
  if (p.level === 'street' || p.level === 'district') q.set('level', p.level);
  const s = q.toString();
  return `api/v1/overview/charts${s ? `?${s}` : ''}`;
}

/** What the overview's data depends on: the address's own parameters and what the dashboard resolved them to. */
export interface OverviewQuery {
  params: URLSearchParams;
  plan: { id: string };
  period: string;
  level: Level;
}

export async function loadOverview(g: OverviewQuery): Promise<OverviewCharts> {
  const raw = overviewUrl({ plan: g.params.get('plan'), period: g.params.get('period'), level: g.params.get('level') });
  const exact = overviewUrl({ plan: g.plan.id, period: g.period, level: g.level });
  if (raw === exact) return getJson<OverviewCharts>(exact);
  try {
    const r = await getJson<OverviewCharts>(raw);
    if (r.plan.id === g.plan.id && r.period === g.period && r.level === g.level) return r;
  } catch {
    // an address the dashboard corrects: ask with the corrected parameters
  }
  return getJson<OverviewCharts>(exact);
}
