// Data quality findings and lineage on the tiny district.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineage } from '../../../metrics/lineage/lineage.ts';
import { checkQuality } from '../../../metrics/quality/quality.ts';
import { Store } from '../../../server/db/store.ts';
import { A, B, buildTinyDistrict, C, S, USCC } from './tiny-district.ts';

let store: Store;
let q: Awaited<ReturnType<typeof checkQuality>>;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await buildTinyDistrict(store);
  q = await checkQuality(store);
});
afterAll(() => store.close());

describe('data quality', () => {
  it('completeness: C has no export for 2016Q4', () => {
    expect(q.completeness.filter((c) => c.org_unit === C).map((c) => c.period)).toEqual(['2016Q3']);
    expect(q.findings.filter((f) => f.rule === 'missing_export').map((f) => [f.org_unit, f.period])).toEqual([[C, '2016Q4']]);
  });

  it('dates after the period end, each naming its source row', () => {
    const f = q.findings.filter((x) => x.rule === 'date_in_future');
    // A Q3: 10 late volunteer registrations (rows 602..611) and the daycare opening 2016-11-01 (row 4); A Q4: o7 (row 8)
    expect(f.length).toBe(12);
    const o7 = f.find((x) => x.period === '2016Q4')!;
    expect(o7.org_unit).toBe(A);
    // A's 2016Q4 export is the workbook: o7 is on Excel row 8 of its sheet 社会组织名录 (header on row 1)
    expect(o7.sources).toEqual([{ table: 'social_orgs', export_id: expect.any(Number), file: '甲社区_2016Q4.xlsx', sheet: '社会组织名录', src_row: 8 }]);
    // the late registrations: lines 602..611 of A's 2016Q3 volunteer CSV (no sheet)
    const late = f.filter((x) => x.org_unit === A && x.period === '2016Q3' && x.sources[0].table === 'volunteers').flatMap((x) => x.sources);
    late.sort((a, b) => (a.src_row ?? 0) - (b.src_row ?? 0));
    expect(late.map((s) => [s.file, s.sheet, s.src_row])).toEqual(Array.from({ length: 10 }, (_, k) => ['甲社区_2016Q3_志愿者名册.csv', null, 602 + k]));
  });

  it('details read in Chinese and in English, with the contract\'s field names and no trailing .0', () => {
    const late = q.findings.find((x) => x.rule === 'date_in_future' && x.period === '2016Q4')!;
    expect(late.detail).toMatch(/^社会组织·\S+ \d{4}-\d{2}-\d{2} 晚于 2016-12-31$/);
    expect(late.detail_en).toMatch(/^social_orgs\.[a-z_]+ \d{4}-\d{2}-\d{2} > 2016-12-31$/);
    const twice = q.findings.find((x) => x.rule === 'person_in_two_communities')!;
    expect([twice.detail, twice.detail_en]).toEqual(['志愿者名册', 'volunteer register']);
    for (const f of q.findings) {
      expect(f.detail).not.toMatch(/[a-z]{3,}/);
      expect(`${f.detail} ${f.detail_en}`).not.toMatch(/\d\.0\b/);
    }
  });

  it('the same uscc in two communities', () => {
    const f = q.findings.filter((x) => x.rule === 'uscc_in_two_communities' && x.period === '2016Q3');
    expect(f.map((x) => [x.org_unit, x.detail]).sort()).toEqual([[A, USCC], [B, USCC]]);
  });

  it('the same person in two communities (volunteer keys v0.. are reused across A, B and C)', () => {
    expect(q.findings.some((x) => x.rule === 'person_in_two_communities' && x.org_unit === C)).toBe(true);
  });

  it('no robust-z outliers: three communities are too few to be peers, two quarters too few to be a history', () => {
    // (C has far fewer active organisations than A and B in 2016Q3: a finding only if there were 5 peers)
    expect(q.findings.filter((x) => x.rule.startsWith('outlier_'))).toEqual([]);
  });

  it('every finding reads in Chinese and in English, and every rule has both', async () => {
    const { QUALITY_RULES, QUALITY_RULES_EN } = await import('../../../metrics/quality/quality.ts');
    expect(Object.keys(QUALITY_RULES_EN).sort()).toEqual(Object.keys(QUALITY_RULES).sort());
    expect(q.findings.length).toBeGreaterThan(0);
    for (const f of q.findings) {
      expect(f.rule_zh).toBe(QUALITY_RULES[f.rule]);
      expect(f.rule_en).toBe(QUALITY_RULES_EN[f.rule]);
    }
  });

  it('no rule fires on consistent data', () => {
    expect(q.findings.filter((x) => ['volunteers_above_population', 'households_above_population', 'population_jump'].includes(x.rule))).toEqual([]);
  });
});

describe('lineage', () => {
  it('orgs_active of A at 2016Q4: the active organisations only', async () => {
    const rows = await lineage(store, { org_unit: A, indicator: 'orgs_active', period: '2016Q4' });
    // Excel rows 2..7 of the workbook's 社会组织名录 are o1..o6; o5 (row 6) dissolved, o7 (row 8) not yet founded
    expect(rows.map((r) => r.src_row)).toEqual([2, 3, 4, 5, 7]);
    expect(rows[0]).toMatchObject({ table: 'social_orgs', batch_id: 1, file: '甲社区_2016Q4.xlsx', sheet: '社会组织名录' });
    expect(new Set(rows.map((r) => r.file))).toEqual(new Set(['甲社区_2016Q4.xlsx']));
  });

  it('a rate: numerator and denominator rows', async () => {
    const rows = await lineage(store, { org_unit: B, indicator: 'volunteer_rate', period: '2016Q4' });
    expect(rows.filter((r) => r.table === 'volunteers').length).toBe(660);
    expect(rows.filter((r) => r.table === 'profile').length).toBe(1);
  });

  it('a street value: the rows of its communities', async () => {
    const rows = await lineage(store, { org_unit: S, indicator: 'volunteer_rate', period: '2016Q4' });
    // A 620 + B 660 volunteers, two profile rows (C has no 2016Q4 export)
    expect(rows.length).toBe(620 + 660 + 2);
  });
});
