// affectedIndicators: which indicators a community's export of some source
// tables can change (the narrow refresh recomputes only these).

import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../metrics/catalogue/index.ts';
import type { Indicator } from '../../../metrics/catalogue/types.ts';
import { affectedIndicators, tablesRead } from '../../../metrics/compile/affected.ts';

const none = new Map<string, string | null>();

describe('affectedIndicators over the catalogue', () => {
  it('a volunteers roster: the volunteer indicators, nothing of the organisations', () => {
    const a = affectedIndicators(CATALOGUE, ['volunteers'], none);
    expect([...a].sort()).toEqual(['volunteer_leaders_new_in_year', 'volunteer_rate', 'volunteers_active']);
  });

  it('a first_of reads every option’s table: participation_rate moves with the roster and with the profile’s count', () => {
    expect(tablesRead(CATALOGUE.find((i) => i.id === 'participation_rate')!).sort()).toEqual(['participation', 'profile', 'profile']);
    expect(affectedIndicators(CATALOGUE, ['participation'], none).has('participation_rate')).toBe(true);
    expect(affectedIndicators(CATALOGUE, ['profile'], none).has('participation_rate')).toBe(true);
  });

  it('aliases and band counts follow what they read, to a fixed point', () => {
    const a = affectedIndicators(CATALOGUE, ['facilities'], none);
    expect(a.has('area_indoor_m2')).toBe(true);
    // the district's band counts over area_indoor_m2 (metrics/catalogue/higher.ts)
    const bands = CATALOGUE.filter((i) => i.definition.kind === 'count_units' && i.definition.of === 'area_indoor_m2').map((i) => i.id);
    expect(bands.length).toBeGreaterThan(0);
    for (const b of bands) expect(a.has(b), b).toBe(true);
    // every alias of an affected indicator is affected; none of an unaffected one is
    for (const i of CATALOGUE) {
      if (i.definition.kind === 'alias') expect(a.has(i.id), i.id).toBe(a.has(i.definition.of));
    }
  });

  it('a target banded on a moving indicator moves with it; the band field itself does not move with the target’s own table', () => {
    const c = (id: string, table: 'social_orgs' | 'facilities'): Indicator => ({
      id,
      zh: id,
      en: id,
      dimension: 'platform',
      level: 'community',
      unit: '个',
      periodicity: 'stock',
      rollup: 'sum',
      source: 'test',
      definition: { kind: 'measure', measure: { agg: 'count', table } },
    });
    const cat = [c('x', 'social_orgs'), c('y', 'facilities')];
    const bandOf = new Map([['y', 'x']]);
    expect([...affectedIndicators(cat, ['social_orgs'], bandOf)].sort()).toEqual(['x', 'y']);
    expect([...affectedIndicators(cat, ['facilities'], bandOf)]).toEqual(['y']);
    expect([...affectedIndicators(cat, ['social_orgs'], none)]).toEqual(['x']);
  });
});
