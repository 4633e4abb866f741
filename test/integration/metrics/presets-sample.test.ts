// Each preset plan loads, and a report runs against the sample district
// (generated once, imported with the importer) for every period of the
// plan's range that overlaps the data; a plan whose range has no data gives
// no_data, not a crash. Structural invariants on every report, the seeds'
// targets on the indicators they quantify, and values equal to the
// generator's truth model.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleModel } from '../../../datasets/sample/generate.ts';
import { indicator } from '../../../metrics/catalogue/index.ts';
import { periodOf, periodOfDate, quarterIndex } from '../../../metrics/compile/calendar.ts';
import { loadPlan, PRESETS } from '../../../metrics/plans/load.ts';
import { computeReport, type Report } from '../../../metrics/report/compute.ts';
import { Store } from '../../../server/db/store.ts';
import { importPaths } from '../../../server/import/importer.ts';
import { sampleDistrictDir } from '../../helpers/sample.ts';

const model = buildSampleModel();
const DATA = new Set<string>(model.quarters);
let dir: string;
let store: Store;
const reports = new Map<string, Report>();

function planPeriods(start: string, end: string): string[] {
  const out: string[] = [];
  for (let q = quarterIndex(periodOfDate(start)); q <= quarterIndex(periodOfDate(end)); q++) out.push(periodOf(q));
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sanshe-presets-'));
  store = await Store.open(join(dir, 'store.duckdb'));
  const s = await importPaths(store, [await sampleDistrictDir()], { source: 'test' });
  expect(s.status).toBe('committed');
}, 300_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const communities = model.communities.map((c) => c.spec.unit.code);
const areaOf = new Map(model.communities.map((c) => [c.spec.unit.code, c.spec.unit.areaType]));

function checkInvariants(r: Report, withData: boolean): void {
  const plan = r.values.filter((v) => v.in_plan);
  expect(plan.length).toBeGreaterThan(0);
  const planIds = new Set(plan.map((v) => v.indicator));
  for (const id of planIds) {
    const units = new Set(plan.filter((v) => v.indicator === id).map((v) => v.org_unit));
    for (const c of communities) expect(units.has(c), `${r.plan.id} ${r.period} ${id} ${c}`).toBe(true);
  }
  for (const v of r.values) {
    if (v.attainment !== null) {
      expect(v.attainment).toBeGreaterThanOrEqual(0);
      expect(v.attainment).toBeLessThanOrEqual(1);
    }
    if (v.unit === '%' && v.value !== null) {
      expect(v.value, `${v.indicator} is a fraction`).toBeGreaterThanOrEqual(0);
      expect(v.value, `${v.indicator} is a fraction`).toBeLessThanOrEqual(1);
    }
    if (!withData && v.in_plan && v.target_kind !== null) expect(v.status, `${r.period} ${v.org_unit} ${v.indicator}`).toBe('no_data');
  }
  for (const s of r.scores) {
    expect(s.composite).toBeGreaterThanOrEqual(0);
    expect(s.composite).toBeLessThanOrEqual(100 + 1e-9);
    for (const d of Object.values(s.dimensions)) {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(100 + 1e-9);
    }
  }
  for (const p of r.progress) if (!withData) expect(p.status).toBe('no_data');
}

/**
 * Projections: a phase end or the plan end the report period has reached is
 * no extrapolation, its "projection" is the value there (the trend line's
 * fitted value at the last quarter said 89 for a measured 95); a rate or a
 * mean attainment is never projected above 100 % (a coverage rate read
 * 105 %), nothing below 0.
 */
function checkProjections(r: Report, plan: ReturnType<typeof loadPlan>): void {
  const q = (date: string) => quarterIndex(periodOfDate(date));
  for (const p of r.progress) {
    const share = (p.level !== 'community' && indicator(p.indicator).level === 'community') || indicator(p.indicator).unit === '%';
    for (const x of [p.proj_phase_end, p.proj_plan_end]) {
      if (x === null) continue;
      expect(x, `${r.period} ${p.org_unit} ${p.indicator}`).toBeGreaterThanOrEqual(0);
      if (share) expect(x, `${r.period} ${p.org_unit} ${p.indicator}`).toBeLessThanOrEqual(1);
    }
    const at = quarterIndex(p.eval_period);
    const ends: [number | null, number][] = [
      [p.proj_phase_end, q(plan.phases[p.phase_idx - 1].end)],
      [p.proj_plan_end, q(plan.end)],
    ];
    for (const [proj, end] of ends) {
      if (end > at) continue;
      const where = `${r.plan.id} ${r.period} ${p.org_unit} ${p.indicator} phase ${p.phase_idx}`;
      if (p.value === null) expect(proj, where).toBeNull();
      else expect(proj, where).toBeCloseTo(p.value, 9);
    }
  }
}

describe('every preset against the sample district', () => {
  for (const id of PRESETS) {
    it(`${id}: a report for every period of its range with data (or no_data where there is none)`, async () => {
      const plan = loadPlan(id);
      const all = planPeriods(plan.start, plan.end);
      const withData = all.filter((p) => DATA.has(p));
      const periods = withData.length ? withData : [all[0], all[all.length - 1]];
      for (const period of periods) {
        const r = await computeReport(store, plan, { period });
        reports.set(`${id}/${period}`, r);
        checkInvariants(r, DATA.has(period));
        checkProjections(r, plan);
        checkProjections(await computeReport(store, plan, { period, level: 'district' }), plan);
        // street and district levels run too
        const d = await computeReport(store, plan, { period, level: 'district' });
        expect(d.values.length).toBeGreaterThan(0);
      }
    }, 600_000);
  }
});

describe('the seeds’ targets appear on the indicators they quantify', () => {
  const target = (r: Report, unit: string, id: string) => r.values.find((v) => v.org_unit === unit && v.indicator === id)?.target;
  it('harmony-pilot-2013: volunteer_rate 0.15 urban / 0.10 rural, orgs_public_benefit >= 5, area_indoor_m2 >= 1500', () => {
    const r = [...reports.entries()].find(([k]) => k.startsWith('harmony-pilot-2013/'))![1];
    for (const c of communities) {
      expect(target(r, c, 'volunteer_rate')).toBe(areaOf.get(c) === 'urban' ? 0.15 : 0.1);
      expect(target(r, c, 'orgs_public_benefit')).toBe(5);
      expect(target(r, c, 'area_indoor_m2')).toBe(1500);
    }
  });
});

describe('values equal the generator’s truth', () => {
  it('sanshe-lab-2015, every quarter: the roster counts, areas and rates of every community', () => {
    const fields: [string, (t: (typeof model.communities)[number]['truth'][number]) => number][] = [
      ['orgs_active', (t) => t.orgsActive],
      ['orgs_public_benefit', (t) => t.orgsPublicBenefit],
      ['area_indoor_m2', (t) => t.areaIndoor],
      ['volunteer_rate', (t) => t.volunteerRate],
      ['social_workers_certified', (t) => t.socialWorkersCertified],
      ['daycare_present', (t) => (t.daycare ? 1 : 0)],
    ];
    let compared = 0;
    for (const c of model.communities) {
      for (const t of c.truth) {
        const r = reports.get(`sanshe-lab-2015/${t.quarter}`)!;
        for (const [id, f] of fields) {
          const row = r.values.find((v) => v.org_unit === c.spec.unit.code && v.indicator === id);
          if (!row) continue;
          if (!t.exported) expect(row.value, `${c.spec.unit.name} ${t.quarter} ${id}`).toBeNull();
          else expect(Math.abs((row.value as number) - f(t)), `${c.spec.unit.name} ${t.quarter} ${id}: ${row.value} vs ${f(t)}`).toBeLessThan(1e-12);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(model.communities.length * model.quarters.length * 3);
  });
});
