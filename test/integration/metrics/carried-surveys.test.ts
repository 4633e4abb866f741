// Satisfaction surveys are taken once or twice a year: a quarter without a
// survey export reads the unit's latest survey of the previous three
// quarters (compile/base.ts CARRIED), if the unit sent anything for the
// quarter. Values, lineage and quality sources agree on which export that is.
//
//   A: surveys in 2016Q2 only (8 of 10 satisfied); profiles every quarter 2016Q2..2017Q2
//   B: surveys in 2016Q2 (5 of 10) and 2016Q3 (9 of 10); profiles 2016Q2..2016Q4
//   C: surveys in 2016Q3 (3 of 4); a profile in 2016Q3 only (nothing sent for 2016Q4)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshUnit, runPlan } from '../../../metrics/engine.ts';
import { lineage } from '../../../metrics/lineage/lineage.ts';
import { parsePlan } from '../../../metrics/plans/load.ts';
import { computeReport, type Report } from '../../../metrics/report/compute.ts';
import { Store } from '../../../server/db/store.ts';
import { groupExports, importFiles } from './files.ts';
import type { ExportRows, UnitRow } from './fixture.ts';

const D = '140302';
const S = '140302001';
const A = '140302001001';
const B = '140302001002';
const C = '140302001003';
const UNITS: UnitRow[] = [
  { code: D, name: '城区', level: 'district' },
  { code: S, name: '义井街道', level: 'street', parent_code: D },
  { code: A, name: '甲社区', level: 'community', parent_code: S, area_type: 'urban' },
  { code: B, name: '乙社区', level: 'community', parent_code: S, area_type: 'urban' },
  { code: C, name: '丙社区', level: 'community', parent_code: S, area_type: 'urban' },
];

const PLAN = parsePlan(
  `
id: carried
name: 测试
source: test
start: 2016-04-01
end: 2017-12-31
units: all
dimensions:
  - { id: participation, weight: 20 }
phases:
  - { name: P1, start: 2016-04-01, end: 2017-12-31 }
indicators:
  - { id: satisfaction_rate, target: { min: 0.8 } }
`,
  'carried.yaml',
);

const answers = (unit: string, period: string, happy: number, n: number, day: string): ExportRows => ({
  unit,
  period,
  table: 'surveys',
  rows: Array.from({ length: n }, (_, k) => ({ respondent_key: `${unit}-${period}-${k}`, surveyed_on: day, score: k < happy ? 5 : 2 })),
});
const profile = (unit: string, period: string): ExportRows => ({ unit, period, table: 'profile', rows: [{ area_type: 'urban', population: 1000, households: 300 }] });

let store: Store;
const reports = new Map<string, Report>();
const sat = (period: string, unit: string) => reports.get(period)!.values.find((v) => v.org_unit === unit && v.indicator === 'satisfaction_rate')!;

beforeAll(async () => {
  store = await Store.open(':memory:');
  const exports: ExportRows[] = [
    ...['2016Q2', '2016Q3', '2016Q4', '2017Q1', '2017Q2'].map((p) => profile(A, p)),
    answers(A, '2016Q2', 8, 10, '2016-05-10'),
    ...['2016Q2', '2016Q3', '2016Q4'].map((p) => profile(B, p)),
    answers(B, '2016Q2', 5, 10, '2016-05-12'),
    answers(B, '2016Q3', 9, 10, '2016-08-12'),
    profile(C, '2016Q3'),
    answers(C, '2016Q3', 3, 4, '2016-09-01'),
  ];
  const nameOf = (u: string) => UNITS.find((x) => x.code === u)!.name;
  await importFiles(store, UNITS, groupExports(exports, nameOf, () => 'csv-folder'));
  for (const p of ['2016Q2', '2016Q3', '2016Q4', '2017Q1', '2017Q2']) {
    for (const level of ['community', 'street'] as const) reports.set(level === 'street' ? `${p}s` : p, await computeReport(store, PLAN, { period: p, level }));
  }
});
afterAll(() => store.close());

describe('a quarter without a survey reads the latest survey of the previous three quarters', () => {
  it('carries A 2016Q2 (0.8) through 2017Q1, not to 2017Q2 (four quarters on)', () => {
    for (const p of ['2016Q2', '2016Q3', '2016Q4', '2017Q1']) expect(sat(p, A).value, p).toBeCloseTo(0.8, 12);
    expect(sat('2017Q2', A).value).toBeNull();
    expect(sat('2017Q2', A).status).toBe('no_data');
  });

  it('a newer survey replaces the older: B 0.5 in 2016Q2, 0.9 from 2016Q3 on', () => {
    expect(sat('2016Q2', B).value).toBeCloseTo(0.5, 12);
    expect(sat('2016Q3', B).value).toBeCloseTo(0.9, 12);
    expect(sat('2016Q4', B).value).toBeCloseTo(0.9, 12);
  });

  it('a quarter the unit sent nothing for stays no data: C 2016Q4', () => {
    expect(sat('2016Q3', C).value).toBeCloseTo(0.75, 12);
    expect(sat('2016Q4', C).value).toBeNull();
  });

  it('the street is the ratio of the sums of what its communities stand on', () => {
    // 2016Q4: A 8/10 (2016Q2), B 9/10 (2016Q3), C nothing sent -> 17/20
    expect(reports.get('2016Q4s')!.values.find((v) => v.org_unit === S && v.indicator === 'satisfaction_rate')!.value).toBeCloseTo(17 / 20, 12);
  });

  it('lineage lists the rows of the export the value stands on', async () => {
    const rows = await lineage(store, { org_unit: A, indicator: 'satisfaction_rate', period: '2016Q4', planStart: '2016-04-01' });
    expect(rows.length).toBe(10);
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set(['2016Q2']));
    expect(new Set(rows.map((r) => r.file))).toEqual(new Set(['甲社区_2016Q2_满意度调查.csv']));
    expect((await lineage(store, { org_unit: B, indicator: 'satisfaction_rate', period: '2016Q4', planStart: '2016-04-01' })).every((r) => r.period === '2016Q3')).toBe(true);
    expect(await lineage(store, { org_unit: A, indicator: 'satisfaction_rate', period: '2017Q2', planStart: '2016-04-01' })).toEqual([]);
    expect(await lineage(store, { org_unit: C, indicator: 'satisfaction_rate', period: '2016Q4', planStart: '2016-04-01' })).toEqual([]);
  });

  it('a refresh after a new survey export equals a full recompute (the export counts for the next three quarters)', async () => {
    const run = await runPlan(store, PLAN);
    const full: Awaited<ReturnType<typeof runPlan>>[] = [];
    try {
      // A surveys again in 2016Q3 (2 of 10): 2016Q3..2017Q2 now stand on it, the profiles unchanged
      const nameOf = (u: string) => `${UNITS.find((x) => x.code === u)!.name}_补报`;
      await importFiles(store, UNITS, groupExports([answers(A, '2016Q3', 2, 10, '2016-08-20')], nameOf, () => 'csv-folder'));
      await refreshUnit(store, run, A);
      full.push(await runPlan(store, PLAN));
      for (const k of ['base', 'scored', 'scores', 'progress'] as const) {
        const [a, b] = [run.tables[k], full[0].tables[k]];
        const diff = await store.one<{ n: number }>(
          `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) + (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS n`,
        );
        expect(Number(diff?.n), k).toBe(0);
      }
      const after = await computeReport(store, PLAN, { period: '2017Q2' });
      expect(after.values.find((v) => v.org_unit === A && v.indicator === 'satisfaction_rate')!.value).toBeCloseTo(0.2, 12);
    } finally {
      await run.drop();
      for (const r of full) await r.drop();
    }
  });
});
