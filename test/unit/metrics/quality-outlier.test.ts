// The robust-z outlier test: modified z on the MAD, the mean-absolute-deviation
// fallback when the MAD is 0, and the scale's floor (10 % of the median, 1 for
// counts) that keeps near-constant histories from flagging a small change with
// a z in the fifties. Then both outlier rules on a small table: peers of the
// same area type, and the previous quarters of the community's own history.

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  HISTORY_MIN,
  HISTORY_QUARTERS,
  isOutlier,
  outlierSql,
  PEERS_MIN,
  POPULATION_JUMP_SHARE,
  QUALITY_METHOD,
  QUALITY_RULES,
  QUALITY_RULES_EN,
  robustZ,
  Z_CUTOFF,
} from '../../../metrics/quality/quality.ts';

async function judge(values: number[], x: number, res = 0): Promise<{ z: number | null; outlier: boolean | null }> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const list = `[${values.join(', ')}]::DOUBLE[]`;
    const r = await c.runAndReadAll(`WITH v AS (SELECT unnest(${list}) AS value),
      m AS (SELECT median(value) AS med0 FROM v),
      g AS (SELECT median(value) AS med, median(abs(value - med0)) AS mad, avg(abs(value - med0)) AS meanad FROM v, m)
      SELECT ${robustZ(`${x}::DOUBLE`, 'g', String(res))} AS z, ${isOutlier(`${x}::DOUBLE`, 'g', String(res))} AS outlier FROM g`);
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

  it('a small change in a near-constant history is not an outlier: the scale is at least 10 % of the median', async () => {
    // 300, 300, 300, 301, 310: median 300, MAD 0, 1.253314 x mean |dev| 2.2 = 2.76 < 30: z(310) = 10 / 30
    const r = await judge([300, 300, 300, 301, 310], 310);
    expect(r.z).toBeCloseTo(1 / 3, 4);
    expect(r.outlier).toBe(false);
    // 500 is 200 / 30 = 6.7 scales away: still an outlier
    expect((await judge([300, 300, 300, 301, 310], 500)).outlier).toBe(true);
  });

  it('counts: a scale of at least 1, so one meeting fewer than every peer is not an outlier', async () => {
    // 1 x5, 0: median 1, MAD 0, 1.253314 x mean |dev| (1/6) = 0.209: z(0) = -4.79 without the count floor, -1 with it
    expect((await judge([1, 1, 1, 1, 1, 0], 0)).z).toBeCloseTo(-4.787, 3);
    const r = await judge([1, 1, 1, 1, 1, 0], 0, 1);
    expect(r.z).toBeCloseTo(-1, 6);
    expect(r.outlier).toBe(false);
    expect((await judge([1, 1, 1, 1, 1, 0], 6, 1)).outlier).toBe(true);
  });

  it('no spread at all: z is 0 on the median, NULL only when the median and the floor are 0', async () => {
    expect(await judge([5, 5, 5, 5], 5)).toEqual({ z: 0, outlier: false });
    expect(await judge([0, 0, 0, 0], 0)).toEqual({ z: null, outlier: false });
  });
});

interface Cell {
  org_unit: string;
  indicator?: string;
  qidx: number;
  area_type?: string;
  value: number;
  res?: number;
  /** The quarter a per-year count's year starts (none: not a per-year count). */
  ys?: number;
}

/** outlierSql over a small `comm` table: the findings as `rule unit quarter`. */
async function outliers(cells: Cell[]): Promise<string[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    await c.run(`CREATE TABLE comm (org_unit VARCHAR, indicator VARCHAR, period VARCHAR, qidx INTEGER, area_type VARCHAR, value DOUBLE, res INTEGER, ys_qidx INTEGER)`);
    const app = await c.createAppender('comm');
    for (const x of cells) {
      app.appendVarchar(x.org_unit);
      app.appendVarchar(x.indicator ?? 'area');
      app.appendVarchar(`q${x.qidx}`);
      app.appendInteger(x.qidx);
      app.appendVarchar(x.area_type ?? 'urban');
      app.appendDouble(x.value);
      app.appendInteger(x.res ?? 0);
      if (x.ys === undefined) app.appendNull();
      else app.appendInteger(x.ys);
      app.endRow();
    }
    app.closeSync();
    const r = await c.runAndReadAll(`SELECT rule, org_unit, qidx FROM (${outlierSql('comm')}) o JOIN comm USING (org_unit, indicator, period) ORDER BY ALL`);
    return r.getRows().map(([rule, unit, q]) => `${rule} ${unit} ${q}`);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

const series = (unit: string, values: number[], extra: Partial<Cell> = {}): Cell[] => values.map((value, i) => ({ org_unit: unit, qidx: i + 1, value, ...extra }));

describe('outlier rules', () => {
  it("history: a step up is one finding, in the quarter it happens; the quarters before it are not judged by later ones", async () => {
    // a new centre triples the floor space in quarter 5 and it stays: only quarter 5 (against 70, 70, 70, 71 and from 71)
    expect(await outliers(series('A', [70, 70, 70, 71, 220, 221, 222, 222, 223]))).toEqual(['outlier_history A 5']);
  });

  it('history: a one-quarter spike is one finding; the return to the usual level is not', async () => {
    expect(await outliers(series('A', [100, 101, 99, 100, 1000, 100, 101, 100]))).toEqual(['outlier_history A 5']);
  });

  it("history: a quarter's findings do not change when later quarters arrive", async () => {
    const early = [100, 101, 99, 100, 1000, 102];
    const before = await outliers(series('A', early));
    const after = await outliers(series('A', [...early, 5000, 5000, 5000, 5000]));
    expect(before).toEqual(['outlier_history A 5']);
    expect(after.filter((f) => Number(f.split(' ')[2]) <= early.length)).toEqual(before);
  });

  it('history: steady growth is not an outlier, and fewer than 3 earlier quarters are no history', async () => {
    expect(await outliers(series('A', [10, 12, 14, 16, 18, 20, 22, 24]))).toEqual([]);
    expect(await outliers(series('A', [10, 10, 100]))).toEqual([]);
  });

  it('history: a per-year count is judged by its quarterly increase, so a recurring year-end push is an outlier once, not every year', async () => {
    // the year starts in quarters 1, 5, 9; most new leaders each year come in its last quarter
    const perYear = (values: number[]) => values.map((value, i) => ({ org_unit: 'A', qidx: i + 1, value, res: 1, ys: i - (i % 4) + 1 }));
    // the first push stands out against one a quarter; once it is in the history, the next ones do not
    expect(await outliers(perYear([1, 2, 3, 13, 1, 2, 3, 13, 1, 2, 3, 13]))).toEqual(['outlier_history A 4']);
    // judged as totals (no year start) the same numbers are flagged every year-end
    expect(await outliers(perYear([1, 2, 3, 13, 1, 2, 3, 13, 1, 2, 3, 13]).map(({ ys: _, ...c }) => c))).toEqual(['outlier_history A 4', 'outlier_history A 8', 'outlier_history A 12']);
    // thirty in one quarter where one a quarter is usual is one finding, in that quarter
    expect(await outliers(perYear([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 32, 33]))).toEqual(['outlier_history A 11']);
  });

  it('peers: communities are compared within their area type, in groups of at least 5', async () => {
    // urban rates near 15 %, rural near 5 %: nobody is an outlier within its own kind
    const urban = [0.15, 0.16, 0.14, 0.15, 0.155, 0.145].map((value, i) => ({ org_unit: `U${i}`, qidx: 1, value, area_type: 'urban' }));
    const rural = [0.05, 0.052, 0.048, 0.05, 0.051].map((value, i) => ({ org_unit: `R${i}`, qidx: 1, value, area_type: 'rural' }));
    expect(await outliers([...urban, ...rural])).toEqual([]);
    // a village at the towns' rate stands out among villages
    expect(await outliers([...urban, ...rural, { org_unit: 'R9', qidx: 1, value: 0.15, area_type: 'rural' }])).toEqual(['outlier_peers R9 1']);
    // four villages are too few to judge one another
    expect(await outliers([...urban, ...rural.slice(0, 3), { org_unit: 'R9', qidx: 1, value: 0.15, area_type: 'rural' }])).toEqual([]);
  });

  it('peers: counts have a resolution of 1 (none among ones is not an outlier, ten is)', async () => {
    const meetings = (last: number) => [1, 1, 1, 1, 1, 1, last].map((value, i) => ({ org_unit: `U${i}`, qidx: 1, value, res: 1 }));
    expect(await outliers(meetings(0))).toEqual([]);
    expect(await outliers(meetings(10))).toEqual(['outlier_peers U6 1']);
  });
});

describe('rule texts', () => {
  it('state the thresholds the SQL uses, in both languages, from the same constants', () => {
    for (const text of [QUALITY_RULES.outlier_history, QUALITY_METHOD.zh]) {
      expect(text).toContain(`前${HISTORY_QUARTERS}个季度`);
      expect(text).toContain(`至少${HISTORY_MIN}个季度有值`);
      expect(text).toContain(`${Z_CUTOFF}`);
    }
    expect(QUALITY_RULES.outlier_peers).toContain(`至少${PEERS_MIN}个`);
    expect(QUALITY_RULES_EN.outlier_peers).toContain(`at least ${PEERS_MIN};`);
    expect(QUALITY_RULES_EN.outlier_history).toContain(`previous ${HISTORY_QUARTERS} quarters, reached by a jump since last quarter (at least ${HISTORY_MIN} of them with a value;`);
    expect(QUALITY_METHOD.en).toContain(`groups of ${PEERS_MIN} or more`);
    expect(QUALITY_METHOD.en).toContain(`|z| > ${Z_CUTOFF}`);
    expect(QUALITY_RULES.population_jump).toBe(`常住人口较上季度变化超过${Math.round(POPULATION_JUMP_SHARE * 100)}%`);
    // The SQL carries the same cut-off.
    expect(isOutlier('x', 'g')).toContain(`> ${Z_CUTOFF}`);
  });
});
