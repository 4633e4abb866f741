// Golden tests of generated SQL: a change to the compiler shows up as a
// readable diff of the files in ./golden (update with `vitest -u`).

import { describe, expect, it } from 'vitest';
import { indicator } from '../../../metrics/catalogue/index.ts';
import { compileBase } from '../../../metrics/compile/base.ts';
import { compileRollup } from '../../../metrics/compile/rollup.ts';

const pick = (...ids: string[]) => ids.map(indicator);

describe('golden SQL', () => {
  it('stage 1: organisations, volunteer rate, a per-year count', async () => {
    await expect(compileBase(pick('orgs_active', 'volunteer_rate', 'orgs_new_in_year'))).toMatchFileSnapshot('golden/base-orgs-volunteers.sql');
  });
  it('stage 1: participation falls back to the profile count; activities year to date', async () => {
    await expect(compileBase(pick('participation_rate', 'consultation_demo_in_year'))).toMatchFileSnapshot('golden/base-participation-activities.sql');
  });
  it('stage 1 scoped to one unit (refresh after one export)', async () => {
    await expect(compileBase(pick('social_workers_certified'), { scoped: true })).toMatchFileSnapshot('golden/base-scoped.sql');
  });
  it('stage 2: rollups, an alias and a band count', async () => {
    await expect(
      compileRollup(pick('orgs_per_10k', 'social_workers_certified', 'area_indoor_m2', 'district_orgs_per_10k', 'district_communities_under_200m2'), 'mx_base'),
    ).toMatchFileSnapshot('golden/rollup.sql');
  });
  it('no user text reaches SQL: unknown columns are refused', () => {
    expect(() =>
      compileBase([{ ...indicator('orgs_active'), definition: { kind: 'measure', measure: { agg: 'count', table: 'social_orgs', where: [{ isTrue: "x'; DROP TABLE exports; --" }] } } }]),
    ).toThrow(/unknown column/);
  });
});
