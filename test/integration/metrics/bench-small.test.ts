// The metrics benchmark's machinery at a small scale (the figures themselves
// are `npm run bench`'s, at province scale): every figure is measured and
// finite, the refreshes took both of refreshUnit's paths, and the tables the
// refreshes left equal what the benchmark compares. No time is asserted.

import { describe, expect, it } from 'vitest';
import { benchMetrics } from '../../../metrics/bench.ts';

describe('benchMetrics at a small scale', () => {
  it('measures every figure, the narrow refresh and the whole one', async () => {
    const lines: string[] = [];
    const r = await benchMetrics({ communities: 64, volunteerRows: 20_000, orgRows: 2_000, log: (s) => lines.push(s) });
    for (const k of ['full_recompute_ms', 'headline_engine_ms', 'headline_sql_ms', 'headline_ts_ms', 'refresh_ms', 'refresh_first_ms', 'refresh_whole_ms', 'refresh_workbook_ms'] as const) {
      expect(Number.isFinite(r[k]) && r[k] > 0, k).toBe(true);
    }
    // the roster refreshes updated the affected columns in place; the profile ones took the whole path
    expect(Object.keys(r.refresh_steps)).toEqual(expect.arrayContaining(['update basen', 'update valr', 'insert scores', 'insert pg']));
    expect(lines.some((l) => /refresh after a profile export \(the whole path\): median \d+ ms of 3/.test(l))).toBe(true);
    expect(lines.some((l) => /refresh after one community's roster export: median \d+ ms of 7/.test(l))).toBe(true);
    expect(lines.some((l) => /refresh after a whole workbook \(5 registers\): median \d+ ms of 3/.test(l))).toBe(true);
    expect(Object.keys(r.targets)).toContain('refresh_under_200ms');
  }, 300_000);
});
