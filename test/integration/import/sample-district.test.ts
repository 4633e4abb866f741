// End to end: the generated sample district goes through the importer (every
// form at once: xlsx with title rows, GBK zips, UTF-8 folders, the registry)
// and the store says what the generator intended, quarter by quarter.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterEnd, quarterStart } from '../../../datasets/sample/dates.ts';
import { buildSampleModel } from '../../../datasets/sample/generate.ts';
import { Store } from '../../../server/db/store.ts';
import { type ImportSummary, importPaths } from '../../../server/import/importer.ts';
import { sampleDistrictDir } from '../../helpers/sample.ts';

let dir: string;
let sample: string;
let store: Store;
let summary: ImportSummary;
const model = buildSampleModel();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sanshe-sample-test-'));
  sample = await sampleDistrictDir();
  store = await Store.open(join(dir, 'store.duckdb'));
  summary = await importPaths(store, [sample], { source: 'test' });
}, 240_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sample district through the importer', () => {
  it('loads as one committed batch with no errors', () => {
    expect(summary.status).toBe('committed');
    expect(summary.batchId).toBe(1);
    expect(summary.problems.filter((p) => p.code !== 'UNSUPPORTED_FILE')).toEqual([]);
  });

  it('knows every unit of the registry with its level, parent and area type', async () => {
    const units = await store.all<{ code: string; name: string; level: string; parent_code: string | null; area_type: string | null }>(
      `SELECT code, name, level, parent_code, area_type FROM org_units ORDER BY code`,
    );
    expect(units.length).toBe(model.units.length);
    for (const c of model.communities) {
      const u = units.find((x) => x.code === c.spec.unit.code);
      expect(u, c.spec.unit.name).toMatchObject({ name: c.spec.unit.name, level: 'community', parent_code: c.spec.unit.parentCode, area_type: c.spec.unit.areaType });
    }
  });

  it('has a profile for every exported (community, quarter) and none for the missing one', async () => {
    const rows = await store.all<{ org_unit: string; period: string; population: number; households: number; grid_staff: number }>(
      `SELECT org_unit, period, population, households, grid_staff FROM cur_profile`,
    );
    const got = new Map(rows.map((r) => [`${r.org_unit}/${r.period}`, r]));
    let expected = 0;
    for (const c of model.communities) {
      for (const t of c.truth) {
        const r = got.get(`${c.spec.unit.code}/${t.quarter}`);
        if (!t.exported) {
          expect(r, `${c.spec.unit.name} ${t.quarter} should be missing`).toBeUndefined();
          continue;
        }
        expected++;
        expect(r, `${c.spec.unit.name} ${t.quarter}`).toMatchObject({ population: t.population, households: t.households, grid_staff: t.gridStaff });
      }
    }
    expect(rows.length).toBe(expected);
  });

  it('every unit, the district too, reports every quarter except the one designated missing', async () => {
    const rows = await store.all<{ org_unit: string; period: string; n: number }>(
      `SELECT org_unit, period, sum(row_count)::INTEGER AS n FROM exports WHERE superseded_by IS NULL GROUP BY org_unit, period`,
    );
    const have = new Map(rows.map((r) => [`${r.org_unit}/${r.period}`, r.n]));
    const absent = model.units.flatMap((u) => model.quarters.filter((q) => !have.has(`${u.code}/${q}`)).map((q) => `${u.code}/${q}`));
    expect(absent).toEqual([`${model.missing.code}/${model.missing.quarter}`]);
    // A quarter without a leadership meeting is an empty district log: an export of zero rows.
    const quiet = model.quarters.filter((q) => !model.districtLog.activities.some((a) => a.date >= quarterStart(q) && a.date <= quarterEnd(q)));
    expect(quiet.length).toBeGreaterThan(0);
    for (const q of quiet) expect(have.get(`${model.district.code}/${q}`), q).toBe(0);
  });

  it('stores every roster row the generator listed', async () => {
    const counts = await store.all<{ org_unit: string; period: string; volunteers: number; orgs: number; workers: number }>(
      `SELECT p.org_unit, p.period,
         (SELECT count(*) FROM cur_volunteers v WHERE v.org_unit = p.org_unit AND v.period = p.period)::INTEGER AS volunteers,
         (SELECT count(*) FROM cur_social_orgs o WHERE o.org_unit = p.org_unit AND o.period = p.period)::INTEGER AS orgs,
         (SELECT count(*) FROM cur_social_workers w WHERE w.org_unit = p.org_unit AND w.period = p.period)::INTEGER AS workers
       FROM cur_profile p`,
    );
    const got = new Map(counts.map((r) => [`${r.org_unit}/${r.period}`, r]));
    for (const c of model.communities) {
      for (const t of c.truth.filter((x) => x.exported)) {
        expect(got.get(`${c.spec.unit.code}/${t.quarter}`), `${c.spec.unit.name} ${t.quarter}`).toMatchObject({
          volunteers: t.volunteers,
          orgs: t.orgsListed,
          workers: t.socialWorkersListed,
        });
      }
    }
  });

  it('re-importing the same folder changes nothing', async () => {
    const before = await store.dataVersion();
    const again = await importPaths(store, [sample], { source: 'test' });
    expect(again.status).toBe('unchanged');
    expect(await store.dataVersion()).toBe(before);
  });
});
