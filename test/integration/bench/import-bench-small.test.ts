// The import benchmark (`npm run bench -- --only import`) at a small scale,
// still above the bulk threshold so the importer takes the path the province
// file takes: it stores every row, times both baselines, measures the CPU
// each side used, and reports the ratios it promises. Figures are not
// checked: they are the bench's, on the province-scale file.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BULK_MIN_BYTES } from '../../../server/import/bulk.ts';
import { benchImport, importBenchLines } from '../../bench/import-bench.ts';
import { tempDir } from '../../helpers/fixtures.ts';

describe('import bench, small', () => {
  it('imports the generated roster and reports wall and CPU ratios', async () => {
    const dir = tempDir('sanshe-bench-');
    const rows = 220_000;
    const r = await benchImport(dir, 100, rows);
    expect(statSync(join(dir, `province-100-${rows}`, '全省_2016Q4_志愿者.csv')).size).toBeGreaterThan(BULK_MIN_BYTES);
    expect(r.rows).toBe(rows);
    for (const k of ['rawSeconds', 'hmacSeconds', 'keySeconds', 'importerSeconds', 'rawCpuSeconds', 'keyCpuSeconds', 'importerCpuSeconds'] as const) {
      expect(r[k], k).toBeGreaterThan(0);
    }
    expect(r.ratio).toBeCloseTo(r.importerSeconds / r.rawSeconds, 10);
    expect(r.ratioToKey).toBeCloseTo(r.importerSeconds / r.keySeconds, 10);
    expect(r.cores).toBeGreaterThanOrEqual(1);
    const lines = importBenchLines(r, 100);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`importer ${r.importerSeconds.toFixed(2)} s, ratio ${r.ratio.toFixed(2)}x (target <= 1.5x)`);
    expect(lines[1]).toContain(`read_csv + HMAC key ${r.keyCpuSeconds.toFixed(1)} s (${(r.keyCpuSeconds / r.rawCpuSeconds).toFixed(2)}x read_csv's CPU`);
  }, 300_000);
});
