// The hand-built tiny district: one street, three communities, quarters
// 2016Q3 and 2016Q4. The rows are declared below in canonical form;
// `buildTinyDistrict` writes them as the files the offices would send (a
// registry 区划.csv, one folder of CSVs per community and quarter, and A's
// 2016Q4 export as an .xlsx workbook with one sheet per table, Chinese
// headers and values as in the data contract) and loads them with the
// importer, in one batch. Row numbers in lineage are the files' own: the
// header is row 1, the first data row is row 2.
//
//   A 140302001001 urban  pop 4000, households 1200 (band 1000-2000)
//   B 140302001002 rural  pop 6000, households 2100 (band 2000+)
//   C 140302001003 urban  pop 1000, households  400 (no band) - no 2016Q4 export at all

import type { Store } from '../../../server/db/store.ts';
import { groupExports, importFiles } from './files.ts';
import type { ExportRows, UnitRow } from './fixture.ts';

export const D = '140302';
export const S = '140302001';
export const A = '140302001001';
export const B = '140302001002';
export const C = '140302001003';
export const USCC = '52140302MJ0000001X';

type Row = ExportRows['rows'][number];
const vols = (n: number, on: string, from = 0): Row[] => Array.from({ length: n }, (_, k) => ({ person_key: `v${from + k}`, registered_on: on }));

export const UNITS: UnitRow[] = [
  { code: D, name: '城区', level: 'district' },
  { code: S, name: '义井街道', level: 'street', parent_code: D },
  { code: A, name: '甲社区', level: 'community', parent_code: S, area_type: 'urban' },
  { code: B, name: '乙村', level: 'community', parent_code: S, area_type: 'rural' },
  { code: C, name: '丙社区', level: 'community', parent_code: S, area_type: 'urban' },
];

export async function buildTinyDistrict(store: Store): Promise<void> {
  const aOrgsQ3: Row[] = [
    { org_name: 'o1', org_type: 'service', founded_on: '2014-05-01' },
    { org_name: 'o2', org_type: 'public_welfare', founded_on: '2015-03-01' },
    { org_name: 'o3', org_type: 'mutual_aid', founded_on: '2016-02-01' },
    { org_name: 'o4', org_type: 'culture_sports', founded_on: '2016-08-15', uscc: USCC },
    { org_name: 'o5', org_type: 'other', founded_on: '2015-01-01', dissolved_on: '2016-06-30' }, // dissolved
  ];
  const aWorkersQ3: Row[] = [
    { person_key: 'w1', cert_level: 'intermediate', employer_kind: 'station', started_on: '2015-01-01' },
    { person_key: 'w2', cert_level: 'assistant', employer_kind: 'community', started_on: '2016-03-01', left_on: '2016-08-31' }, // left
    { person_key: 'w3', cert_level: 'none', employer_kind: 'community', started_on: '2014-01-01' }, // not certified
  ];
  const aFacilities: Row[] = [
    { facility_name: 'f1', kind: 'mgmt', area_m2: 150, opened_on: '2010-01-01' },
    { facility_name: 'f2', kind: 'service', area_m2: 100, opened_on: '2012-01-01' },
    { facility_name: 'f3', kind: 'daycare', area_m2: 300, opened_on: '2016-11-01' }, // not open in Q3
  ];
  const bOrgsQ3: Row[] = [
    { org_name: 'p1', org_type: 'service', founded_on: '2013-01-01' },
    { org_name: 'p2', org_type: 'service', founded_on: '2016-04-01' },
    { org_name: 'p3', org_type: 'rights', founded_on: '2016-07-01', uscc: USCC }, // same uscc as A's o4
  ];
  const bFacQ3: Row[] = [
    { facility_name: 'g1', kind: 'service', area_m2: 350, opened_on: '2015-01-01' },
    { facility_name: 'g2', kind: 'mgmt', area_m2: 100, opened_on: '2010-01-01', closed_on: '2016-06-30' }, // closed
  ];
  const exports: ExportRows[] = [
    // ---- A
    { unit: A, period: '2016Q3', table: 'profile', rows: [{ area_type: 'urban', population: 4000, households: 1200 }] },
    { unit: A, period: '2016Q4', table: 'profile', rows: [{ area_type: 'urban', population: 4000, households: 1200 }] },
    { unit: A, period: '2016Q3', table: 'social_orgs', rows: aOrgsQ3 },
    {
      unit: A, period: '2016Q4', table: 'social_orgs',
      rows: [
        ...aOrgsQ3,
        { org_name: 'o6', org_type: 'service', founded_on: '2016-11-20' },
        { org_name: 'o7', org_type: 'service', founded_on: '2017-01-05' }, // future date: not yet founded
      ],
    },
    // Q3 export made late: 10 people registered after the as-of date are listed too
    { unit: A, period: '2016Q3', table: 'volunteers', rows: [...vols(600, '2016-03-01'), ...vols(10, '2016-10-10', 600)] },
    { unit: A, period: '2016Q4', table: 'volunteers', rows: [...vols(600, '2016-03-01'), ...vols(20, '2016-11-01', 600)] },
    { unit: A, period: '2016Q3', table: 'social_workers', rows: aWorkersQ3 },
    {
      unit: A, period: '2016Q4', table: 'social_workers',
      rows: [...aWorkersQ3, { person_key: 'w4', cert_level: 'senior', employer_kind: 'org', started_on: '2016-10-01' }],
    },
    { unit: A, period: '2016Q3', table: 'facilities', rows: aFacilities },
    { unit: A, period: '2016Q4', table: 'facilities', rows: aFacilities },
    // ---- B
    { unit: B, period: '2016Q3', table: 'profile', rows: [{ area_type: 'rural', population: 6000, households: 2100 }] },
    { unit: B, period: '2016Q4', table: 'profile', rows: [{ area_type: 'rural', population: 6000, households: 2100 }] },
    { unit: B, period: '2016Q3', table: 'social_orgs', rows: bOrgsQ3 },
    {
      unit: B, period: '2016Q4', table: 'social_orgs',
      rows: [
        { ...bOrgsQ3[0], dissolved_on: '2016-12-31' }, // dissolved on the as-of date: not active
        bOrgsQ3[1],
        bOrgsQ3[2],
        { org_name: 'p4', org_type: 'service', founded_on: '2016-12-31' }, // founded on the as-of date: active
      ],
    },
    { unit: B, period: '2016Q3', table: 'volunteers', rows: vols(540, '2015-06-01') },
    { unit: B, period: '2016Q4', table: 'volunteers', rows: vols(660, '2015-06-01') },
    { unit: B, period: '2016Q3', table: 'social_workers', rows: [] }, // exported, empty: zero, not no data
    { unit: B, period: '2016Q4', table: 'social_workers', rows: [] },
    { unit: B, period: '2016Q3', table: 'facilities', rows: bFacQ3 },
    { unit: B, period: '2016Q4', table: 'facilities', rows: [...bFacQ3, { facility_name: 'g3', kind: 'mgmt', area_m2: 200, opened_on: '2016-12-01' }] },
    // ---- C: 2016Q3 only
    { unit: C, period: '2016Q3', table: 'profile', rows: [{ area_type: 'urban', population: 1000, households: 400 }] },
    {
      unit: C, period: '2016Q3', table: 'social_orgs',
      rows: Array.from({ length: 12 }, (_, k) => ({ org_name: `c${k}`, org_type: 'service', founded_on: k < 3 ? '2016-03-01' : '2015-06-01' })),
    },
    { unit: C, period: '2016Q3', table: 'volunteers', rows: vols(100, '2016-01-10') },
    {
      unit: C, period: '2016Q3', table: 'social_workers',
      rows: [1, 2, 3].map((k) => ({ person_key: `cw${k}`, cert_level: 'intermediate', employer_kind: 'org', started_on: '2015-05-01' })),
    },
    { unit: C, period: '2016Q3', table: 'facilities', rows: [{ facility_name: 'h1', kind: 'daycare', area_m2: 200, opened_on: '2014-01-01' }] },
  ];
  const nameOf = (unit: string) => UNITS.find((u) => u.code === unit)!.name;
  await importFiles(store, UNITS, groupExports(exports, nameOf, (unit, period) => (unit === A && period === '2016Q4' ? 'xlsx' : 'csv-folder')));
}

/** The test plan: calendar plan years, two phases, a veto on volunteer_rate. */
export const TINY_PLAN_YAML = `
id: tiny-2016
name: 测试计划
source: test
start: 2016-01-01
end: 2017-12-31
units: all
dimensions:
  - { id: orgs, weight: 25 }
  - { id: volunteers, weight: 15 }
  - { id: social_workers, weight: 20 }
  - { id: platform, weight: 20 }
phases:
  - { name: P1, start: 2016-01-01, end: 2016-12-31 }
  - { name: P2, start: 2017-01-01, end: 2017-12-31 }
indicators:
  - { id: orgs_active, target: { by_area_type: { urban: { min: 10 }, rural: { min: 5 } } } }
  - { id: orgs_new_in_year, target: { min: 4 } }
  - { id: volunteer_rate, veto: true, target: { by_area_type: { urban: { min: 0.15 }, rural: { min: 0.10 } } } }
  - { id: social_workers_certified, target: { min: 2 }, milestones: linear }
  - id: office_area_by_households
    target: { by_band: { field: households, bands: [{ from: 1000, target: { range: [200, 300] } }, { from: 2000, target: { range: [300, 500] } }] } }
  - { id: daycare_present, target: { bool: true } }
`;
