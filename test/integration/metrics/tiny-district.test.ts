// The hand-built tiny district (./tiny-district.ts), every number worked out
// by hand below and checked to 1e-9, against a real DuckDB store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../../metrics/plans/load.ts';
import { computeReport, type Report } from '../../../metrics/report/compute.ts';
import { Store } from '../../../server/db/store.ts';
import { A, B, buildTinyDistrict, C, D, S, TINY_PLAN_YAML } from './tiny-district.ts';

const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
let store: Store;
let q3: Report;
let q4: Report;
let q3s: Report;
let q4s: Report;

const near = (actual: number | null | undefined, expected: number) => {
  expect(actual, `expected ${expected}, got ${actual}`).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-9);
};
const v = (r: Report, unit: string, id: string) => {
  const row = r.values.find((x) => x.org_unit === unit && x.indicator === id);
  if (!row) throw new Error(`no value ${unit} ${id}`);
  return row;
};
const score = (r: Report, unit: string) => r.scores.find((s) => s.org_unit === unit)!;
const acc = (r: Report, unit: string) => r.acceptance.find((s) => s.org_unit === unit)!;
const prog = (r: Report, unit: string, id: string, phase = 'P1') => r.progress.find((p) => p.org_unit === unit && p.indicator === id && p.phase === phase)!;

beforeAll(async () => {
  store = await Store.open(':memory:');
  await buildTinyDistrict(store);
  q3 = await computeReport(store, plan, { period: '2016Q3' });
  q4 = await computeReport(store, plan, { period: '2016Q4' });
  q3s = await computeReport(store, plan, { period: '2016Q3', level: 'street' });
  q4s = await computeReport(store, plan, { period: '2016Q4', level: 'street' });
});
afterAll(() => store.close());

describe('indicator values', () => {
  it('counts active organisations on the as-of date (dissolved, not yet founded, founded/dissolved on the day)', () => {
    // A Q3 (as of 2016-09-30): o1 o2 o3 o4 active; o5 dissolved 2016-06-30 -> 4
    near(v(q3, A, 'orgs_active').value, 4);
    // A Q4: + o6 (2016-11-20); o7 founded 2017-01-05 is in the future -> 5
    near(v(q4, A, 'orgs_active').value, 5);
    // B Q4: p1 dissolved 2016-12-31 = as-of (not after it) -> out; p4 founded 2016-12-31 -> in: p2 p3 p4 = 3
    near(v(q4, B, 'orgs_active').value, 3);
    // A Q3 public-benefit = service o1 + public_welfare o2 + mutual_aid o3 = 3 (o4 is culture_sports)
    near(v(q3, A, 'orgs_public_benefit').value, 3);
  });

  it('per-year counts run from the plan year start (01-01 here) to the as-of date', () => {
    // A Q3: o3 (02-01), o4 (08-15) = 2; Q4: + o6 = 3 (o7 is in 2017)
    near(v(q3, A, 'orgs_new_in_year').value, 2);
    near(v(q4, A, 'orgs_new_in_year').value, 3);
    // B Q4: p2 (04-01), p3 (07-01), p4 (12-31) = 3
    near(v(q4, B, 'orgs_new_in_year').value, 3);
  });

  it('rates are fractions; registrations after the as-of date are not counted', () => {
    // A Q3: 600 registered 2016-03-01 (the 10 registered 2016-10-10 are after 09-30) / 4000 = 0.15
    near(v(q3, A, 'volunteer_rate').value, 0.15);
    // A Q4: 620 / 4000 = 0.155
    near(v(q4, A, 'volunteer_rate').value, 0.155);
    // B Q3: 540 / 6000 = 0.09; Q4: 660 / 6000 = 0.11; C Q3: 100 / 1000 = 0.1
    near(v(q3, B, 'volunteer_rate').value, 0.09);
    near(v(q4, B, 'volunteer_rate').value, 0.11);
    near(v(q3, C, 'volunteer_rate').value, 0.1);
  });

  it('certified social workers exclude people who left and the uncertified', () => {
    // A Q3: w1 (intermediate); w2 left 2016-08-31; w3 has no certificate -> 1
    near(v(q3, A, 'social_workers_certified').value, 1);
    // A Q4: w1 + w4 (senior, started 2016-10-01) -> 2
    near(v(q4, A, 'social_workers_certified').value, 2);
    // B exported an empty roster: 0, not no data
    near(v(q4, B, 'social_workers_certified').value, 0);
  });

  it('facilities not yet open or already closed do not count', () => {
    // A office (mgmt + service) = 150 + 100 = 250 both quarters
    near(v(q3, A, 'office_area_by_households').value, 250);
    // A daycare f3 opens 2016-11-01: Q3 0, Q4 1
    near(v(q3, A, 'daycare_present').value, 0);
    near(v(q4, A, 'daycare_present').value, 1);
    // A indoor Q4 = 150 + 100 + 300 = 550; per 100 households = 550 / 1200 * 100
    near(v(q4, A, 'area_per_100_households').value, (550 / 1200) * 100);
    // B Q3: g1 service 350; g2 mgmt closed 2016-06-30 -> 350. Q4: + g3 mgmt 200 (opened 12-01) -> 550
    near(v(q3, B, 'office_area_by_households').value, 350);
    near(v(q4, B, 'office_area_by_households').value, 550);
  });

  it('a missing quarter is no data, never zero', () => {
    const c = v(q4, C, 'orgs_active');
    expect(c.value).toBeNull();
    expect(c.status).toBe('no_data');
    expect(c.attainment).toBe(0);
    expect(v(q4, C, 'volunteer_rate').value).toBeNull();
  });
});

describe('targets and attainment', () => {
  it('urban/rural targets', () => {
    // A urban 10: 4/10 = 0.4 (Q3); B rural 5: 3/5 = 0.6 (Q3)
    expect(v(q3, A, 'orgs_active').target).toBe(10);
    near(v(q3, A, 'orgs_active').attainment, 0.4);
    expect(v(q3, B, 'orgs_active').target).toBe(5);
    near(v(q3, B, 'orgs_active').attainment, 0.6);
    // volunteer_rate: B Q3 0.09 against rural 0.10 -> 0.9
    near(v(q3, B, 'volunteer_rate').attainment, 0.9);
    near(v(q3, C, 'volunteer_rate').attainment, 0.1 / 0.15);
  });

  it('per-year target mid-year is pro-rata, at year end the full target', () => {
    // Q3: 3 quarters elapsed -> 4 x 3/4 = 3; A has 2 -> 2/3
    near(v(q3, A, 'orgs_new_in_year').target_effective_lo, 3);
    near(v(q3, A, 'orgs_new_in_year').attainment, 2 / 3);
    // Q4: full 4; A has 3 -> 0.75
    near(v(q4, A, 'orgs_new_in_year').target_effective_lo, 4);
    near(v(q4, A, 'orgs_new_in_year').attainment, 0.75);
  });

  it('household-band target', () => {
    // A: 1200 households -> band 1000+ -> [200, 300]; 250 inside -> 1
    expect([v(q3, A, 'office_area_by_households').target_lo, v(q3, A, 'office_area_by_households').target_hi]).toEqual([200, 300]);
    near(v(q3, A, 'office_area_by_households').attainment, 1);
    // B: 2100 households -> band 2000+ -> [300, 500]; Q4 550 above -> 500/550
    expect([v(q4, B, 'office_area_by_households').target_lo, v(q4, B, 'office_area_by_households').target_hi]).toEqual([300, 500]);
    near(v(q4, B, 'office_area_by_households').attainment, 500 / 550);
    // C: 400 households, below every band -> target does not apply
    expect(v(q3, C, 'office_area_by_households').attainment).toBeNull();
    expect(v(q3, C, 'office_area_by_households').target_kind).toBeNull();
  });
});

describe('scores, rating and acceptance', () => {
  it('A Q3', () => {
    // orgs = 100 x (0.4 + 2/3) / 2 = 53.333..; volunteers 100; social_workers 100 x 1/2 = 50;
    // platform = 100 x (office 1 + daycare 0) / 2 = 50
    // composite = (25 x 53.333.. + 15 x 100 + 20 x 50 + 20 x 50) / 80 = 4833.333.. / 80 = 60.41666..
    const s = score(q3, A);
    near(s.dimensions.orgs, (100 * (0.4 + 2 / 3)) / 2);
    near(s.dimensions.platform, 50);
    near(s.composite, (25 * ((100 * (0.4 + 2 / 3)) / 2) + 1500 + 1000 + 1000) / 80);
    expect(s.rating).toBe('合格');
    expect(acc(q3, A).accepted).toBe(true);
  });

  it('A Q4', () => {
    // orgs = 100 x (0.5 + 0.75)/2 = 62.5; volunteers 100; social workers 100; platform 100
    // composite = (25 x 62.5 + 1500 + 2000 + 2000) / 80 = 7062.5 / 80 = 88.28125
    near(score(q4, A).composite, 88.28125);
    expect(score(q4, A).rating).toBe('良好');
    expect(acc(q4, A).accepted).toBe(true);
  });

  it('B Q3 and Q4', () => {
    // Q3: orgs = 100 x (0.6 + 2/3)/2 = 63.333..; volunteers 90; social workers 0; platform 50
    // composite = (25 x 63.333.. + 15 x 90 + 0 + 20 x 50) / 80 = 3933.333.. / 80
    near(score(q3, B).composite, (25 * ((100 * (0.6 + 2 / 3)) / 2) + 1350 + 1000) / 80);
    expect(acc(q3, B).accepted).toBe(false);
    expect(acc(q3, B).vetoes_failed).toEqual(['volunteer_rate']);
    // Q4: orgs = 100 x (0.6 + 0.75)/2 = 67.5; volunteers 100; sw 0; platform 100 x (500/550 + 0)/2
    // composite = (25 x 67.5 + 1500 + 20 x 45.4545..) / 80 = 51.2073863..
    near(score(q4, B).composite, (25 * 67.5 + 1500 + 20 * ((100 * (500 / 550)) / 2)) / 80);
    expect(score(q4, B).rating).toBe('不合格');
  });

  it('a veto fails acceptance despite a high composite (C Q3)', () => {
    // orgs: 12 active >= 10 -> 1; new in year 3 (founded 2016-03-01) >= pro-rata 3 -> 1 => 100
    // volunteers: 0.1 / 0.15 = 0.666.. => 66.666..; social workers 3 >= 2 => 100
    // platform: office not applicable (400 households), daycare 1 => 100
    // composite = (2500 + 15 x 66.666.. + 2000 + 2000) / 80 = 7500 / 80 = 93.75
    near(score(q3, C).composite, 93.75);
    expect(score(q3, C).rating).toBe('优秀');
    expect(acc(q3, C).accepted).toBe(false);
    expect(acc(q3, C).vetoes_failed).toEqual(['volunteer_rate']);
  });

  it('no data scores zero (C Q4)', () => {
    near(score(q4, C).composite, 0);
    expect(acc(q4, C).accepted).toBe(false);
  });

  it('weight sensitivity: A always above B above C at Q4, so the ranking is stable', () => {
    expect(q4.sensitivity.intervals.map((i) => [i.org_unit, i.rank, i.p5, i.p95])).toEqual([
      [A, 1, 1, 1],
      [B, 2, 2, 2],
      [C, 3, 3, 3],
    ]);
    expect(q4.sensitivity.stable).toBe(true);
  });
});

describe('street and district', () => {
  it('a rate goes up as a ratio of sums; counts as sums over reporting communities', () => {
    // Q3: (600 + 540 + 100) / (4000 + 6000 + 1000) = 1240 / 11000
    near(v(q3s, S, 'volunteer_rate').value, 1240 / 11000);
    // Q4: C has no data: (620 + 660) / (4000 + 6000) = 0.128
    near(v(q4s, S, 'volunteer_rate').value, 0.128);
    // orgs_active Q4: 5 + 3 = 8, two of three communities reporting
    near(v(q4s, S, 'orgs_active').value, 8);
    expect(v(q4s, S, 'orgs_active').n_reporting).toBe(2);
    expect(v(q4s, S, 'orgs_active').n_units).toBe(3);
  });

  it('a per-community target seen from above: mean attainment beside coverage', () => {
    // orgs_active Q4: attainments A 0.5, B 0.6, C 0 (no data) -> mean 1.1/3; none meets -> coverage 0
    near(v(q4s, S, 'orgs_active').attainment, 1.1 / 3);
    near(v(q4s, S, 'orgs_active').coverage, 0);
    // volunteer_rate Q4: A 1, B 1, C 0 -> mean 2/3, coverage 2/3
    near(v(q4s, S, 'volunteer_rate').attainment, 2 / 3);
    near(v(q4s, S, 'volunteer_rate').coverage, 2 / 3);
    // social workers per community (mean rule) Q3: (1 + 0 + 3) / 3
    near(v(q3s, S, 'social_workers_certified').value, 4 / 3);
  });

  it('district values equal the street ones here (one street)', async () => {
    const d = await computeReport(store, plan, { period: '2016Q4', level: 'district' });
    near(v(d, D, 'volunteer_rate').value, 0.128);
    near(v(d, D, 'district_daycare_coverage').value, 0.5); // A 1, B 0; C no data
  });
});

describe('progress by phase', () => {
  // Baseline = value at the quarter containing 2015-12-31 or the nearest after: 2016Q3 here.
  // Stock targets without milestones are due at the end of the first phase checking them (P1, 2016-12-31);
  // the milestone line runs from the baseline on 2015-12-31 to the target on the due date.
  it('behind: A orgs_active Q3', () => {
    // base 4, target 10; milestone at 2016-09-30 = 4 + 6 x 274/366 (2016 is a leap year)
    const p = prog(q3, A, 'orgs_active');
    near(p.milestone_lo, 4 + (6 * 274) / 366);
    expect(p.status).toBe('behind');
  });

  it('A orgs_active Q4 and its projection', () => {
    // value 5 < 10 and below milestone 10, not worse than the baseline 4 -> behind
    // trend Q3 4 -> Q4 5: +1 a quarter; to phase end (2016Q4) 5, to plan end (2017Q4) 9
    const p = prog(q4, A, 'orgs_active');
    expect(p.status).toBe('behind');
    near(p.proj_phase_end, 5);
    near(p.proj_plan_end, 9);
    expect(p.reaches_plan_target).toBe(false);
    // judged against the plan's target, 10, which the row carries
    expect([p.plan_target_lo, p.plan_target_hi]).toEqual([10, null]);
  });

  it('linear milestones to plan end: A social workers met in P1 at Q4', () => {
    // base 1 (Q3); P1 target = 1 + (2 - 1) x 366/731 (2015-12-31 -> 2016-12-31 of -> 2017-12-31)
    const p = prog(q4, A, 'social_workers_certified');
    near(p.target_lo, 1 + 366 / 731);
    expect(p.status).toBe('met');
    // at Q3: 1 below milestone 1 + 274/731 -> behind
    const p3 = prog(q3, A, 'social_workers_certified');
    near(p3.milestone_lo, 1 + 274 / 731);
    expect(p3.status).toBe('behind');
  });

  it('per-year: milestone is the pro-rata target; projection the run rate', () => {
    const p = prog(q3, A, 'orgs_new_in_year');
    near(p.milestone_lo, 3);
    expect(p.status).toBe('behind');
    near(p.proj_phase_end, (2 / 3) * 4);
  });

  it('a community target seen from a street: quarters before any report are no baseline, no trend point; the projection stays an attainment', () => {
    // orgs_active, street S: mean attainment Q3 2/3, Q4 1.1/3 (A 0.5, B 0.6, C no data = 0; see above).
    // The baseline is Q3's, the first quarter reported, not the 0 of 2015Q4 when nobody had reported.
    const p3 = prog(q3s, S, 'orgs_active');
    near(p3.value, 2 / 3);
    near(p3.base, 2 / 3);
    // one quarter of data: no trend line yet (from that 0 it was +2/3 a quarter: 367 % of the target by plan end)
    expect(p3.proj_phase_end).toBeNull();
    expect(p3.proj_plan_end).toBeNull();
    const p4 = prog(q4s, S, 'orgs_active');
    near(p4.base, 2 / 3);
    // below the baseline: regressing (against a baseline of 0 it read as behind)
    expect(p4.status).toBe('regressing');
    // the line falls 0.3 a quarter: Q4 at the phase end; at plan end (4 quarters on) 1.1/3 - 1.2 < 0, so 0
    near(p4.proj_phase_end, 1.1 / 3);
    near(p4.proj_plan_end, 0);
    // a mean attainment's plan target is 1
    expect([p4.plan_target_lo, p4.plan_target_hi]).toEqual([1, null]);
    for (const r of [...q3s.progress, ...q4s.progress]) {
      for (const x of [r.proj_phase_end, r.proj_plan_end]) if (x !== null && r.org_unit === S && r.target_lo === 1) expect(x).toBeLessThanOrEqual(1);
    }
  });

  it('met, regressing and no data', () => {
    expect(prog(q3, A, 'volunteer_rate').status).toBe('met');
    expect(prog(q4, A, 'daycare_present').status).toBe('met');
    // B office 350 (Q3, baseline, inside [300, 500]) -> 550 above the range: worse than the baseline
    expect(prog(q4, B, 'office_area_by_households').status).toBe('regressing');
    expect(prog(q4, C, 'orgs_active').status).toBe('no_data');
    expect(v(q4, A, 'orgs_active').status).toBe('behind'); // the value row carries the current phase's status
  });
});
