// The robust-z outlier test: modified z on the MAD, the mean-absolute-deviation
// fallback when the MAD is 0, and the 10 % floor that keeps near-constant
// histories from flagging a small change with a z in the fifties.

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { isOutlier, robustZ } from '../../../metrics/quality/quality.ts';

async function judge(values: number[], x: number): Promise<{ z: number | null; outlier: boolean | null }> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const list = `[${values.join(', ')}]::DOUBLE[]`;
    const r = await c.runAndReadAll(`WITH v AS (SELECT unnest(${list}) AS value),
      m AS (SELECT median(value) AS med0 FROM v),
      g AS (SELECT median(value) AS med, median(abs(value - med0)) AS mad, avg(abs(value - med0)) AS meanad FROM v, m)
      SELECT ${robustZ(`${x}::DOUBLE`, 'g')} AS z, ${isOutlier(`${x}::DOUBLE`, 'g')} AS outlier FROM g`);
    const [z, outlier] = r.getRows()[0] as [number | null, boolean | null];
    return { z, outlier };
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

describe('robust-z outliers', () => {
  it('a far value among spread peers is flagged (0.6745 (x - med) / MAD)', async () => {
    // median 13, deviations 5 3 1 1 3 27 so MAD 3: z(40) = 0.6745 * 27 / 3 = 6.0705
    const r = await judge([8, 10, 12, 14, 16, 40], 40);
    expect(r.z).toBeCloseTo(6.0705, 4);
    expect(r.outlier).toBe(true);
    expect((await judge([8, 10, 12, 14, 16, 40], 15)).outlier).toBe(false);
  });

  it('MAD 0: the mean absolute deviation stands in, and a far value is still flagged', async () => {
    // 300 x5, 600: median 300, MAD 0, mean |dev| = 50: z(600) = 300 / (1.253314 * 50) = 4.787
    const r = await judge([300, 300, 300, 300, 300, 600], 600);
    expect(r.z).toBeCloseTo(4.787, 3);
    expect(r.outlier).toBe(true);
  });

  it('a small change in a near-constant history is not an outlier, whatever its z', async () => {
    // 300, 300, 300, 301, 310: median 300, MAD 0, mean |dev| 2.2, z(310) = 3.63 but only 3 % off the median
    const r = await judge([300, 300, 300, 301, 310], 310);
    expect(r.z!).toBeGreaterThan(3.5);
    expect(r.outlier).toBe(false);
  });

  it('no spread at all: no z, no finding', async () => {
    const r = await judge([5, 5, 5, 5], 5);
    expect(r.z).toBeNull();
    expect(r.outlier).toBeFalsy();
  });
});
