// The import benchmark (`npm run bench -- --only import`) at a small scale,
// still above the bulk threshold so the importer takes the path the province
// file takes: it stores every row, times both baselines, measures the CPU
// each side used, in every round, and reports the medians and ratios it
// promises. Figures are not checked: they are the bench's, on the
// province-scale file.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BULK_MIN_BYTES } from '../../../server/import/bulk.ts';
import { nativeKeys } from '../../../server/import/personKey.ts';
import { benchImport, importBenchLines } from '../../bench/import-bench.ts';
import { tempDir } from '../../helpers/fixtures.ts';

describe('import bench, small', () => {
  it('imports the generated roster and reports wall and CPU ratios', async () => {
    const dir = tempDir('sanshe-bench-');
    const rows = 220_000;
    const r = await benchImport(dir, 100, rows, 2);
    expect(statSync(join(dir, `province-100-${rows}`, '全省_2016Q4_志愿者.csv')).size).toBeGreaterThan(BULK_MIN_BYTES);
    expect(r.rows).toBe(rows);
    expect(r.rounds).toHaveLength(2);
    for (const round of r.rounds) {
      for (const k of ['rawSeconds', 'hmacSeconds', 'keySeconds', 'importerSeconds', 'rawCpuSeconds', 'keyCpuSeconds', 'importerCpuSeconds'] as const) {
        expect(round[k], k).toBeGreaterThan(0);
      }
    }
    // Medians of two rounds: their means; ratios are each round's own, then the median.
    const [a, b] = r.rounds;
    const mid = (f: (x: typeof a) => number) => (f(a) + f(b)) / 2;
    expect(r.importerSeconds).toBeCloseTo(mid((x) => x.importerSeconds), 10);
    expect(r.keyCpuSeconds).toBeCloseTo(mid((x) => x.keyCpuSeconds), 10);
    expect(r.ratio).toBeCloseTo(mid((x) => x.importerSeconds / x.rawSeconds), 10);
    expect(r.ratioRange).toEqual([a, b].map((x) => x.importerSeconds / x.rawSeconds).sort((p, q) => p - q));
    expect(r.ratioToKey).toBeCloseTo(mid((x) => x.importerSeconds / x.keySeconds), 10);
    expect(r.keyCpuRatio).toBeCloseTo(mid((x) => x.keyCpuSeconds / x.rawCpuSeconds), 10);
    expect(r.cores).toBeGreaterThanOrEqual(1);
    expect(r.native).toBe(nativeKeys !== null);
    if (nativeKeys) {
      for (const round of r.rounds) expect(round.importerSqlKeysSeconds).toBeGreaterThan(0);
      expect(r.nativeSpeedup).toBeCloseTo(mid((x) => (x.importerSqlKeysSeconds ?? 0) / x.importerSeconds), 10);
    } else {
      expect(r.importerSqlKeysSeconds).toBeNull();
    }
    const lines = importBenchLines(r, 100);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(nativeKeys ? 'native addon (importer above)' : 'native addon not built or refused');
    expect(lines[0]).toContain(
      `median of 2 rounds: DuckDB read_csv ${r.rawSeconds.toFixed(2)} s, importer ${r.importerSeconds.toFixed(2)} s, ` +
        `ratio ${r.ratio.toFixed(2)}x, per round ${r.ratioRange[0].toFixed(2)}-${r.ratioRange[1].toFixed(2)}x (target <= 1.5x)`,
    );
    expect(lines[2]).toContain(`read_csv + HMAC key ${r.keyCpuSeconds.toFixed(1)} s (${r.keyCpuRatio.toFixed(2)}x read_csv's CPU`);
  }, 300_000);
});
