// Invariants of the engine, checked with fast-check over small random
// districts in a real DuckDB store. The random districts are written straight
// into the canonical tables (./fixture.ts, fake lineage): going through files
// and the importer costs about a second per store on this machine and these
// properties build ~100 stores. The permutation property, where the file
// route matters (row order in the files, Excel/CSV row numbers), runs
// through written CSV files and importPaths as well (./files.ts).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../metrics/plans/load.ts';
import { computeReport, type Report } from '../../../metrics/report/compute.ts';
import { Store } from '../../../server/db/store.ts';
import { groupExports, importFiles } from './files.ts';
import { type ExportRows, type UnitRow, writeExports, writeUnits } from './fixture.ts';
import { TINY_PLAN_YAML } from './tiny-district.ts';

const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
const P = '2016Q4';
const S = '140302001';
const ORG_INDICATORS = ['orgs_active', 'orgs_public_benefit', 'orgs_service_type', 'orgs_per_10k', 'orgs_brand'];

interface Comm {
  rural: boolean;
  population: number;
  orgs: { type: string; foundedDaysAgo: number; dissolvedDaysAgo: number | null }[];
  volunteers: number;
}

const commArb: fc.Arbitrary<Comm> = fc.record({
  rural: fc.boolean(),
  population: fc.integer({ min: 200, max: 5000 }),
  orgs: fc.array(
    fc.record({
      type: fc.constantFrom('service', 'public_welfare', 'culture_sports', 'other'),
      foundedDaysAgo: fc.integer({ min: -30, max: 900 }),
      dissolvedDaysAgo: fc.option(fc.integer({ min: -30, max: 400 }), { nil: null }),
    }),
    { maxLength: 8 },
  ),
  volunteers: fc.integer({ min: 0, max: 60 }),
});

const day = (ago: number) => new Date(Date.UTC(2016, 11, 31) - ago * 86400000).toISOString().slice(0, 10);

function exportsOf(comms: Comm[], permute: (n: number) => number[] = (n) => [...Array(n).keys()]): ExportRows[] {
  return comms.flatMap((c, i) => {
    const unit = `${S}${String(i + 1).padStart(3, '0')}`;
    const orgs = c.orgs.map((o, k) => ({
      org_name: `o${k}`, org_type: o.type, founded_on: day(o.foundedDaysAgo), dissolved_on: o.dissolvedDaysAgo === null ? null : day(o.dissolvedDaysAgo),
    }));
    const vols = Array.from({ length: c.volunteers }, (_, k) => ({ person_key: `${unit}-${k}`, registered_on: day(k % 50) }));
    const order = (rows: ExportRows['rows']) => permute(rows.length).map((k) => rows[k]);
    return [
      { unit, period: P, table: 'profile', rows: [{ area_type: c.rural ? 'rural' : 'urban', population: c.population, households: Math.floor(c.population / 3) }] },
      { unit, period: P, table: 'social_orgs', rows: order(orgs) },
      { unit, period: P, table: 'volunteers', rows: order(vols) },
    ] satisfies ExportRows[];
  });
}

async function report(comms: Comm[], level: 'community' | 'street' = 'community', permute?: (n: number) => number[], via: 'rows' | 'files' = 'rows'): Promise<Report> {
  const store = await Store.open(':memory:');
  try {
    const units: UnitRow[] = [
      { code: '140302', name: 'D', level: 'district' },
      { code: S, name: 'S', level: 'street', parent_code: '140302' },
      ...comms.map((c, i) => ({ code: `${S}${String(i + 1).padStart(3, '0')}`, name: `c${i}`, level: 'community' as const, parent_code: S, area_type: (c.rural ? 'rural' : 'urban') as 'rural' | 'urban' })),
    ];
    if (via === 'files') {
      const nameOf = (code: string) => units.find((u) => u.code === code)!.name;
      await importFiles(store, units, groupExports(exportsOf(comms, permute), (code) => `社区${nameOf(code)}`, () => 'csv-folder'));
    } else {
      await writeUnits(store, units);
      await writeExports(store, exportsOf(comms, permute));
    }
    return await computeReport(store, plan, { period: P, level });
  } finally {
    store.close();
  }
}

const strip = (r: Report) => ({ values: r.values, scores: r.scores, acceptance: r.acceptance, progress: r.progress });
const RUNS = { numRuns: 8 };

describe('properties', () => {
  it('scores stay in [0, 100], attainment in [0, 1]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commArb, { minLength: 1, maxLength: 4 }), async (comms) => {
        const r = await report(comms);
        for (const s of r.scores) {
          expect(s.composite).toBeGreaterThanOrEqual(0);
          expect(s.composite).toBeLessThanOrEqual(100 + 1e-9);
          for (const d of Object.values(s.dimensions)) {
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThanOrEqual(100 + 1e-9);
          }
        }
        for (const v of r.values) {
          if (v.attainment === null) continue;
          expect(v.attainment).toBeGreaterThanOrEqual(0);
          expect(v.attainment).toBeLessThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });

  it('adding an active organisation never lowers any organisation indicator or score', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commArb, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom('service', 'public_welfare', 'other'), async (comms, pick, type) => {
        const i = pick % comms.length;
        const more = comms.map((c, k) => (k === i ? { ...c, orgs: [...c.orgs, { type, foundedDaysAgo: 100, dissolvedDaysAgo: null }] } : c));
        const [a, b] = [await report(comms), await report(more)];
        for (const id of ORG_INDICATORS) {
          for (const va of a.values.filter((x) => x.indicator === id)) {
            const vb = b.values.find((x) => x.indicator === id && x.org_unit === va.org_unit)!;
            expect(vb.value ?? 0).toBeGreaterThanOrEqual((va.value ?? 0) - 1e-9);
            if (va.attainment !== null) expect(vb.attainment!).toBeGreaterThanOrEqual(va.attainment - 1e-9);
          }
        }
        for (const sa of a.scores) expect(b.scores.find((x) => x.org_unit === sa.org_unit)!.composite).toBeGreaterThanOrEqual(sa.composite - 1e-9);
      }),
      RUNS,
    );
  });

  it('a rate aggregated upward equals the ratio of sums', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commArb, { minLength: 1, maxLength: 4 }), async (comms) => {
        const r = await report(comms, 'street');
        const vr = r.values.find((x) => x.org_unit === S && x.indicator === 'volunteer_rate')!;
        const active = comms.reduce((s, c) => s + c.volunteers, 0); // every registration is on or before the as-of date
        const pop = comms.reduce((s, c) => s + c.population, 0);
        expect(Math.abs(vr.value! - active / pop)).toBeLessThan(1e-9);
      }),
      RUNS,
    );
  });

  it('permuting the input rows changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commArb, { minLength: 1, maxLength: 3 }), fc.integer(), async (comms, seed) => {
        const shuffle = (n: number) => {
          const a = [...Array(n).keys()];
          let s = seed >>> 0;
          for (let k = n - 1; k > 0; k--) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            const j = s % (k + 1);
            [a[k], a[j]] = [a[j], a[k]];
          }
          return a;
        };
        const direct = strip(await report(comms));
        expect(strip(await report(comms, 'community', shuffle))).toEqual(direct);
        // the same rows, shuffled, as CSV files through the importer
        expect(strip(await report(comms, 'community', shuffle, 'files'))).toEqual(direct);
      }),
      RUNS,
    );
  }, 240_000); // eight imports of written files: slow on a loaded 2-core machine
});
