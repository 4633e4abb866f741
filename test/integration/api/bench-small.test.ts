// The API benchmark (`npm run bench -- --only api`) at a small scale: every
// endpoint it loads answers 200 under load, the Arrow matrix is smaller than
// its JSON, and the dashboard's refresh after a community's new roster is
// followed in place (patched) with new numbers each time. Figures are not
// checked here: they are the bench's, on the province-scale store.

import { describe, expect, it } from 'vitest';
import { benchApi } from '../../bench/api-bench.ts';

describe('api bench, small', () => {
  it('runs end to end: endpoints under load, Arrow size, the refresh after an import', async () => {
    const lines: string[] = [];
    const r = await benchApi({ communities: 100, volunteerRows: 100 * 12 * 20, orgRows: 2_000, connections: 4, seconds: 1, log: (s) => lines.push(s) });
    expect(Object.keys(r.endpoints)).toEqual(['overview', 'ranking', 'overview_summary', 'ranking_all', 'ranking_all_rows']);
    for (const [k, e] of Object.entries(r.endpoints)) {
      expect(e.api.non2xx, k).toBe(0);
      expect(e.api.rps, k).toBeGreaterThan(0);
      expect(e.api.bytes, k).toBeGreaterThan(1000);
    }
    expect(r.arrow.rows).toBeGreaterThan(0);
    expect(r.arrow.ratio).toBeLessThan(1);
    expect(r.refresh.runs).toHaveLength(3);
    for (const run of r.refresh.runs) expect(run).toMatchObject({ mode: 'patched', reason: null, changed: true });
    expect(new Set(r.refresh.runs.map((x) => x.unit)).size).toBe(3);
    expect(lines.some((l) => l.startsWith("api bench: dashboard refreshed after one community's export: median"))).toBe(true);
  }, 300_000);
});
