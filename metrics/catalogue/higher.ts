// Street and district indicators of the spec: either the unit's own rows
// (activities, the street's service centre) or a community indicator seen
// from above (alias of its rollup, or a count of communities in a band).

import type { Indicator } from './types.ts';

const S002 = '002_d61f4bd436e6a52f.txt';
const S003 = '003_2c62b06a88ff33d5.txt';

type Base = Omit<Indicator, 'rollup' | 'periodicity' | 'source'> & Partial<Pick<Indicator, 'rollup' | 'periodicity' | 'source'>>;
const h = (i: Base): Indicator => ({ rollup: 'sum', periodicity: 'stock', source: S003, ...i });
const own = (kind: string) => ({ kind: 'measure' as const, measure: { agg: 'count' as const, table: 'activities' as const,
  where: [{ in: { col: 'kind', values: [kind] } }, { within: { cols: ['held_on'], window: 'year' as const } }] } });
const band = (id: string, zh: string, en: string, from?: number, below?: number, of = 'area_indoor_m2'): Indicator =>
  h({ id, zh, en, level: 'district', dimension: 'platform', unit: '个', kind: 'count', definition: { kind: 'count_units', of, from, below } });

export const STREET: Indicator[] = [
  h({ id: 'street_orgs_registered_new_in_year', zh: '街道本年新培育登记类社会组织', en: 'registered organisations founded in the plan year in the street', level: 'street', dimension: 'orgs', unit: '个', kind: 'count', periodicity: 'per_year',
      definition: { kind: 'alias', of: 'orgs_registered_new_in_year' } }),
  h({ id: 'street_orgs_social_worker_new_in_year', zh: '街道本年引入社工的社会组织', en: 'organisations that placed a social worker in the plan year', level: 'street', dimension: 'social_workers', unit: '个', kind: 'count', periodicity: 'per_year',
      definition: { kind: 'alias', of: 'orgs_social_worker_new_in_year' } }),
  h({ id: 'street_selfgov_demo_communities_in_year', zh: '街道本年自治示范社区', en: 'self-governance demonstration communities in the plan year', level: 'street', dimension: 'participation', unit: '个', kind: 'count', periodicity: 'per_year',
      definition: own('selfgov_demo_community') }),
  h({ id: 'street_consultation_demo_communities_in_year', zh: '街道本年协商示范社区', en: 'consultation demonstration communities in the plan year', level: 'street', dimension: 'participation', unit: '个', kind: 'count', periodicity: 'per_year',
      definition: own('consultation_demo_community') }),
  h({ id: 'street_governance_reform_in_year', zh: '街道本年一委一居一站改革社区', en: 'communities that set up the 一委一居一站 structure in the plan year', level: 'street', dimension: 'platform', unit: '个', kind: 'count', periodicity: 'per_year',
      definition: own('governance_reform') }),
  h({ id: 'street_service_center_m2', zh: '街道社区服务中心面积', en: "the street's own service centre", level: 'street', dimension: 'platform', unit: '㎡', kind: 'area', source: S002,
      definition: { kind: 'measure', measure: { agg: 'sum', table: 'facilities', col: 'area_m2', where: [{ active: true }, { in: { col: 'kind', values: ['center'] } }] } } }),
];

export const DISTRICT: Indicator[] = [
  h({ id: 'district_orgs_per_10k', zh: '全区每万人社会组织数', en: 'organisations per 10,000 residents (district)', level: 'district', dimension: 'orgs', unit: '个/万人', kind: 'number', rollup: 'ratio',
      definition: { kind: 'alias', of: 'orgs_per_10k' } }),
  h({ id: 'district_brand_orgs', zh: '全区品牌社会组织数', en: 'brand organisations (district)', level: 'district', dimension: 'orgs', unit: '个', kind: 'count',
      definition: { kind: 'alias', of: 'orgs_brand' } }),
  h({ id: 'district_daycare_coverage', zh: '日间照料中心覆盖率', en: 'share of communities with a daycare centre', level: 'district', dimension: 'platform', unit: '%', kind: 'rate', rollup: 'mean',
      definition: { kind: 'alias', of: 'daycare_present' } }),
  h({ id: 'district_social_workers_per_community', zh: '社区平均社工人才数', en: 'certified social workers per community', level: 'district', dimension: 'social_workers', unit: '人/社区', kind: 'number', rollup: 'mean',
      definition: { kind: 'alias', of: 'social_workers_certified' } }),
  h({ id: 'district_leadership_meetings_in_year', zh: '本年创建工作会议', en: 'leadership-group meetings in the plan year', level: 'district', dimension: 'platform', unit: '次', kind: 'count', periodicity: 'per_year',
      definition: own('leadership_meeting') }),
  band('district_communities_under_200m2', '用房200㎡以下社区数', 'communities with indoor area under 200 m2', undefined, 200),
  band('district_communities_200_500m2', '用房200-500㎡社区数', 'communities with indoor area 200-500 m2', 200, 500),
  band('district_communities_500_2000m2', '用房500-2000㎡社区数', 'communities with indoor area 500-2000 m2', 500, 2000),
  band('district_communities_2000m2_plus', '用房2000㎡以上社区数', 'communities with indoor area of 2000 m2 or more', 2000),
  band('district_centers_5000m2_plus', '5000㎡以上综合服务中心数', 'communities with a service centre of 5000 m2 or more', 5000, undefined, 'area_center_m2'),
];
