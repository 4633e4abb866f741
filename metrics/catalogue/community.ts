// Community indicators of the spec (../../shared/spec/indicators.md), one
// declaration each, plus a few helpers (population, households, ...) that
// other indicators, bands and quality rules read.

import type { Filter, Indicator, Measure } from './types.ts';

const S000 = '000_e0c2374e029ca582.txt';
const S001 = '001_9648e96bae6bc10e.txt';
const S002 = '002_d61f4bd436e6a52f.txt';
const S003 = '003_2c62b06a88ff33d5.txt';

const active: Filter = { active: true };
const inYear = (...cols: string[]): Filter => ({ within: { cols, window: 'year' } });
const kinds = (...values: string[]): Filter => ({ in: { col: 'kind', values } });
const field = (col: string): Measure => ({ agg: 'field', col });
const orgs = (...where: Filter[]): Measure => ({ agg: 'count', table: 'social_orgs', where: [active, ...where] });
const area = (...k: string[]): Measure => ({ agg: 'sum', table: 'facilities', col: 'area_m2', where: [active, kinds(...k)] });
const activitiesInYear = (kind: string): Measure => ({ agg: 'count', table: 'activities', where: [kinds(kind), inYear('held_on')] });
const INDOOR = ['mgmt', 'service', 'daycare', 'center'];

type Base = Omit<Indicator, 'level' | 'rollup' | 'periodicity'> & Partial<Pick<Indicator, 'rollup' | 'periodicity'>>;
const c = (i: Base): Indicator => ({ level: 'community', rollup: 'sum', periodicity: 'stock', ...i });
const profile = (id: string, zh: string, en: string, dimension: Indicator['dimension'] = 'platform'): Indicator =>
  c({ id, zh, en, dimension, unit: '人', rollup: 'mean', source: S000, kind: 'count', definition: { kind: 'measure', measure: field(id) } });

export const COMMUNITY: Indicator[] = [
  c({ id: 'orgs_active', zh: '社区社会组织数', en: 'active community social organisations', dimension: 'orgs', unit: '个', kind: 'count',
      source: '全国预设：民政部《培育发展社区社会组织专项行动方案（2021—2023年）》', definition: { kind: 'measure', measure: orgs() } }),
  c({ id: 'orgs_public_benefit', zh: '公益性社会组织数', en: 'public-benefit organisations (service, public welfare, mutual aid)', dimension: 'orgs', unit: '个', kind: 'count',
      source: S000, definition: { kind: 'measure', measure: orgs({ in: { col: 'org_type', values: ['service', 'public_welfare', 'mutual_aid'] } }) } }),
  c({ id: 'orgs_service_type', zh: '服务类社会组织数', en: 'service-type organisations', dimension: 'orgs', unit: '个', kind: 'count',
      source: S002, definition: { kind: 'measure', measure: orgs({ in: { col: 'org_type', values: ['service'] } }) } }),
  c({ id: 'orgs_new_in_year', zh: '本年新培育社会组织数', en: 'organisations founded in the plan year', dimension: 'orgs', unit: '个', kind: 'count', periodicity: 'per_year',
      source: S003, definition: { kind: 'measure', measure: { agg: 'count', table: 'social_orgs', where: [inYear('founded_on')] } } }),
  c({ id: 'orgs_per_10k', zh: '每万人社会组织数', en: 'organisations per 10,000 residents', dimension: 'orgs', unit: '个/万人', kind: 'number', rollup: 'ratio',
      source: S003, definition: { kind: 'ratio', num: orgs(), den: field('population'), scale: 10000 } }),
  c({ id: 'volunteer_rate', zh: '志愿者注册率', en: 'registered volunteers / population', dimension: 'volunteers', unit: '%', kind: 'rate', rollup: 'ratio',
      source: `${S000} (${S001}: >= 10 %)`, definition: { kind: 'ratio', num: { agg: 'count', table: 'volunteers', where: [active] }, den: field('population') } }),
  c({ id: 'volunteer_leaders_new_in_year', zh: '本年新培养志愿者带头人', en: 'volunteers who became leaders in the plan year', dimension: 'volunteers', unit: '人', kind: 'count', periodicity: 'per_year',
      source: S003, definition: { kind: 'measure', measure: { agg: 'count', table: 'volunteers', where: [{ isTrue: 'is_leader' }, inYear('leader_since', 'registered_on')] } } }),
  c({ id: 'social_workers_certified', zh: '持证社会工作者数', en: 'certified social workers', dimension: 'social_workers', unit: '人', kind: 'count', rollup: 'mean',
      source: S003, definition: { kind: 'measure', measure: { agg: 'count', table: 'social_workers', where: [active, { notIn: { col: 'cert_level', values: ['none'] } }] } } }),
  c({ id: 'participation_rate', zh: '居民参与率', en: 'distinct participating residents / population', dimension: 'participation', unit: '%', kind: 'rate', rollup: 'ratio',
      source: S003, definition: { kind: 'ratio', den: field('population'), num: { agg: 'first_of', options: [
        { agg: 'count_distinct', table: 'participation', col: 'person_key', where: [active] }, field('participants')] } } }),
  c({ id: 'area_mgmt_m2', zh: '社区管理用房面积', en: 'management rooms', dimension: 'platform', unit: '㎡', kind: 'area',
      source: S000, definition: { kind: 'measure', measure: area('mgmt') } }),
  c({ id: 'area_service_m2', zh: '社区服务用房面积', en: 'service rooms (service, daycare, centre)', dimension: 'platform', unit: '㎡', kind: 'area',
      source: S000, definition: { kind: 'measure', measure: area('service', 'daycare', 'center') } }),
  c({ id: 'area_indoor_m2', zh: '管理服务用房总面积', en: 'indoor management and service area', dimension: 'platform', unit: '㎡', kind: 'area',
      source: S000, definition: { kind: 'measure', measure: area(...INDOOR) } }),
  c({ id: 'area_per_100_households', zh: '每百户服务设施面积', en: 'indoor area per 100 households', dimension: 'platform', unit: '㎡/百户', kind: 'number', rollup: 'ratio',
      source: S003, definition: { kind: 'ratio', num: area(...INDOOR), den: field('households'), scale: 100 } }),
  c({ id: 'office_area_by_households', zh: '居委会办公活动用房面积', en: 'office and activity rooms (mgmt + service)', dimension: 'platform', unit: '㎡', kind: 'area',
      source: S002, definition: { kind: 'measure', measure: area('mgmt', 'service') } }),
  c({ id: 'daycare_present', zh: '日间照料中心', en: 'an active daycare centre exists', dimension: 'platform', unit: '是/否', kind: 'bool', rollup: 'mean',
      source: S003, definition: { kind: 'measure', measure: { agg: 'exists', table: 'facilities', where: [active, kinds('daycare')] } } }),
  c({ id: 'households_per_grid_staff', zh: '网格员人均服务户数', en: 'households per grid staff', dimension: 'platform', unit: '户/人', kind: 'number', rollup: 'ratio',
      source: S000, definition: { kind: 'ratio', num: field('households'), den: field('grid_staff') } }),
  c({ id: 'households_per_grid', zh: '网格平均户数', en: 'households per grid', dimension: 'platform', unit: '户/格', kind: 'number', rollup: 'ratio',
      source: S001, definition: { kind: 'ratio', num: field('households'), den: field('grids') } }),
  c({ id: 'informants_per_grid', zh: '每网格信息员数', en: 'grid informants per grid', dimension: 'platform', unit: '人/格', kind: 'number', rollup: 'ratio',
      source: S001, definition: { kind: 'ratio', num: field('grid_informants'), den: field('grids') } }),
  profile('party_org_members', '社区党组织成员数', 'party organisation members'),
  profile('party_workers', '专职党务工作者数', 'full-time party workers'),
  profile('committee_members', '居委会成员数', 'residents committee members'),
  profile('station_staff', '服务站专职工作者数', 'service station staff'),
  profile('zongzhi_staff', '综治办专职人员数', 'comprehensive-governance office staff'),
  c({ id: 'consultation_demo_in_year', zh: '本年协商示范点', en: 'consultation demonstration sites in the plan year', dimension: 'participation', unit: '个', kind: 'count', periodicity: 'per_year',
      source: S003, definition: { kind: 'measure', measure: activitiesInYear('consultation_demo') } }),
  c({ id: 'selfgov_brand_in_year', zh: '本年品牌自治组织', en: 'self-governance brand organisations in the plan year', dimension: 'participation', unit: '个', kind: 'count', periodicity: 'per_year',
      source: S003, definition: { kind: 'measure', measure: activitiesInYear('selfgov_brand') } }),
  c({ id: 'joint_meetings_in_quarter', zh: '本季度三社联席会议', en: 'joint (三社) meetings in the quarter', dimension: 'platform', unit: '次', kind: 'count', periodicity: 'per_quarter',
      source: `${S003}（建立“三社”联席会议制度，未规定次数）`, definition: { kind: 'measure', measure: { agg: 'count', table: 'activities', where: [kinds('joint_meeting'), { within: { cols: ['held_on'], window: 'quarter' } }] } } }),
  c({ id: 'satisfaction_rate', zh: '居民满意率', en: 'respondents scoring 4 or 5', dimension: 'participation', unit: '%', kind: 'rate', rollup: 'ratio',
      source: `${S003}（以居民满意作为根本评价标准，未规定数值）`,
      definition: { kind: 'ratio', num: { agg: 'count', table: 'surveys', where: [{ gte: { col: 'score', value: 4 } }] }, den: { agg: 'count', table: 'surveys' } } }),
  // helpers
  c({ id: 'population', zh: '常住人口', en: 'population', dimension: 'platform', unit: '人', kind: 'count', helper: true, source: '社区基本情况表', definition: { kind: 'measure', measure: field('population') } }),
  c({ id: 'households', zh: '户数', en: 'households', dimension: 'platform', unit: '户', kind: 'count', helper: true, source: '社区基本情况表', definition: { kind: 'measure', measure: field('households') } }),
  c({ id: 'volunteers_active', zh: '注册志愿者数', en: 'registered volunteers', dimension: 'volunteers', unit: '人', kind: 'count', helper: true, source: S000,
      definition: { kind: 'measure', measure: { agg: 'count', table: 'volunteers', where: [active] } } }),
  c({ id: 'orgs_brand', zh: '品牌社会组织数', en: 'brand organisations', dimension: 'orgs', unit: '个', kind: 'count', helper: true, source: S003,
      definition: { kind: 'measure', measure: orgs({ isTrue: 'is_brand' }) } }),
  c({ id: 'orgs_registered_new_in_year', zh: '本年新登记社会组织数', en: 'registered organisations founded in the plan year', dimension: 'orgs', unit: '个', kind: 'count', helper: true, periodicity: 'per_year', source: S003,
      definition: { kind: 'measure', measure: { agg: 'count', table: 'social_orgs', where: [{ in: { col: 'reg_status', values: ['registered'] } }, inYear('founded_on')] } } }),
  c({ id: 'orgs_social_worker_new_in_year', zh: '本年引入社工的社会组织数', en: 'organisations that placed a social worker in the plan year', dimension: 'social_workers', unit: '个', kind: 'count', helper: true, periodicity: 'per_year', source: S003,
      definition: { kind: 'measure', measure: { agg: 'count', table: 'social_orgs', where: [inYear('social_worker_since')] } } }),
  c({ id: 'area_center_m2', zh: '综合服务中心面积', en: 'community service centre area', dimension: 'platform', unit: '㎡', kind: 'area', helper: true, source: S003,
      definition: { kind: 'measure', measure: area('center') } }),
];
