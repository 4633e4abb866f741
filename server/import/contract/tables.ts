// The data contract (../shared/spec/data-contract.md) as plain data: every
// table a community export may carry, how it is recognised, and every field
// with its header synonyms, value kind and constraints. The importer, the
// fill-in template and the schema are all driven from this one declaration.

/** How a cell's text is parsed (see ./values.ts). */
export type FieldKind =
  | 'code' // statistical division code, 6/9/12 digits, kept as text
  | 'text'
  | 'count' // non-negative integer
  | 'number' // non-negative decimal (hours)
  | 'area' // positive decimal, m2
  | 'date'
  | 'bool'
  | 'enum'
  | 'period' // report period -> 'YYYYQn'
  | 'secret' // personal identifier: HMAC at import, never stored in clear
  | 'drop' // personal data dropped at import (names, phones)
  | 'score'; // satisfaction 1..5 or its words

export interface FieldDef {
  /** Canonical (English) name; also the store column. */
  name: string;
  /** Chinese label used in messages and the template. */
  label: string;
  /** Header synonyms as real files carry them (normalised before matching). */
  headers: string[];
  kind: FieldKind;
  required?: boolean;
  /** For counts and areas: zero is not allowed. */
  positive?: boolean;
  /** For kind 'enum': canonical value -> accepted spellings. */
  values?: Record<string, string[]>;
  /** Value used for an empty enum cell. */
  emptyValue?: string;
  /** Unit shown in the template header. */
  unit?: string;
}

export type TableName =
  | 'org_units'
  | 'profile'
  | 'social_orgs'
  | 'volunteers'
  | 'social_workers'
  | 'facilities'
  | 'participation'
  | 'activities'
  | 'surveys';

export interface TableDef {
  name: TableName;
  label: string;
  /** Sheet or file names containing one of these name the table. */
  names: string[];
  /** One row per person/organisation/event (roster) or one row per unit (profile). */
  shape: 'registry' | 'profile' | 'roster';
  fields: FieldDef[];
  /** Field that must be unique within one (org unit, period) of a roster. */
  uniqueKey?: string;
}

const AREA_TYPES: Record<string, string[]> = {
  urban: ['城市', '城市社区', '城镇', '城', 'urban'],
  rural: ['农村', '农村社区', '村', '乡村', 'rural'],
};

/** Fields every table may carry: the unit and period of the row. */
const unitField = (required = false): FieldDef => ({
  name: 'community_code',
  label: '社区代码',
  headers: ['社区代码', '社区编码', '区划代码', '代码', '统计用区划代码', '单位代码'],
  kind: 'code',
  required,
});
const periodField: FieldDef = {
  name: 'report_period',
  label: '报告期',
  headers: ['报告期', '统计期', '填报期', '期别'],
  kind: 'period',
};

export const TABLES: TableDef[] = [
  {
    name: 'org_units',
    label: '区划',
    names: ['区划', '组织机构', 'org_units'],
    shape: 'registry',
    fields: [
      { name: 'code', label: '区划代码', headers: ['区划代码', '代码', '编码', '社区代码', '统计用区划代码'], kind: 'code', required: true },
      { name: 'name', label: '名称', headers: ['名称', '单位名称', '社区名称'], kind: 'text', required: true },
      {
        name: 'level',
        label: '层级',
        headers: ['层级', '级别'],
        kind: 'enum',
        values: {
          district: ['区', '县', '区/县', '区县', '市辖区', 'district'],
          street: ['街道', '乡镇', '乡', '镇', '街道/乡镇', 'street'],
          community: ['社区', '村', '居委会', '村委会', '社区/村', 'community'],
        },
      },
      { name: 'parent_code', label: '上级代码', headers: ['上级代码', '上级区划代码'], kind: 'code' },
      { name: 'area_type', label: '城乡类型', headers: ['城乡类型', '类型'], kind: 'enum', values: AREA_TYPES },
    ],
  },
  {
    name: 'profile',
    label: '基本情况',
    names: ['社区基本情况', '基本情况', '基本信息', '概况', 'profile'],
    shape: 'profile',
    fields: [
      unitField(true),
      { name: 'community_name', label: '社区名称', headers: ['社区名称', '社区', '村(社区)名称', '名称'], kind: 'text' },
      { name: 'street_name', label: '所属街道', headers: ['所属街道', '街道', '街道(乡镇)', '乡镇'], kind: 'text' },
      { name: 'area_type', label: '城乡类型', headers: ['城乡类型', '社区类型', '类型'], kind: 'enum', values: AREA_TYPES },
      periodField,
      { name: 'population', label: '常住人口', headers: ['常住人口', '人口', '居民人数', '常住人口数'], kind: 'count', positive: true, unit: '人' },
      { name: 'households', label: '户数', headers: ['户数', '常住户数', '居民户数'], kind: 'count', positive: true, unit: '户' },
      { name: 'grids', label: '网格数', headers: ['网格数', '网格数量'], kind: 'count', unit: '个' },
      { name: 'grid_staff', label: '网格员数', headers: ['网格员数', '网格管理员数', '网格员', '网格综合协理员'], kind: 'count', unit: '人' },
      { name: 'grid_informants', label: '网格信息员数', headers: ['网格信息员数', '网格信息员'], kind: 'count', unit: '人' },
      { name: 'party_org_members', label: '党组织成员数', headers: ['党组织成员数', '社区党组织成员数', '党组织成员'], kind: 'count', unit: '人' },
      { name: 'party_workers', label: '专职党务工作者', headers: ['专职党务工作者', '专职党务工作者数'], kind: 'count', unit: '人' },
      { name: 'committee_members', label: '居委会成员数', headers: ['居委会成员数', '居(村)委会成员数', '居委会成员'], kind: 'count', unit: '人' },
      { name: 'station_staff', label: '服务站工作人员', headers: ['服务站工作人员', '服务站专职工作者', '服务站人数'], kind: 'count', unit: '人' },
      { name: 'zongzhi_staff', label: '综治办人员', headers: ['综治办人员', '综治办专职人员'], kind: 'count', unit: '人' },
      { name: 'participants', label: '参与社区组织居民数', headers: ['参与社区组织居民数', '参与居民数'], kind: 'count', unit: '人' },
    ],
  },
  {
    name: 'social_orgs',
    label: '社会组织',
    names: ['社会组织名录', '社区社会组织', '社会组织', '民间组织', 'social_orgs'],
    shape: 'roster',
    uniqueKey: 'org_name',
    fields: [
      unitField(),
      periodField,
      { name: 'org_name', label: '组织名称', headers: ['组织名称', '社会组织名称', '名称'], kind: 'text', required: true },
      { name: 'uscc', label: '统一社会信用代码', headers: ['统一社会信用代码', '信用代码'], kind: 'text' },
      {
        name: 'org_type',
        label: '组织类型',
        headers: ['类型', '组织类型', '服务类别', '类别'],
        kind: 'enum',
        emptyValue: 'other',
        values: {
          service: ['服务类', '服务性', '服务'],
          public_welfare: ['公益类', '公益性', '慈善类', '公益'],
          mutual_aid: ['互助类', '互助性', '互助'],
          culture_sports: ['文体类', '文体娱乐类', '娱乐类', '文体'],
          rights: ['维权类', '维权'],
          other: ['其他', '其它'],
        },
      },
      {
        name: 'reg_status',
        label: '登记状态',
        headers: ['登记状态', '登记备案', '登记/备案', '管理方式'],
        kind: 'enum',
        values: { registered: ['登记', '已登记', '民政登记'], filed: ['备案', '已备案'] },
      },
      { name: 'founded_on', label: '成立日期', headers: ['成立日期', '成立时间', '登记日期', '备案日期'], kind: 'date', required: true },
      { name: 'dissolved_on', label: '注销日期', headers: ['注销日期', '撤销日期', '解散日期'], kind: 'date' },
      { name: 'is_brand', label: '是否品牌组织', headers: ['是否品牌', '品牌组织', '是否品牌组织'], kind: 'bool' },
      { name: 'brand_since', label: '品牌认定日期', headers: ['品牌认定日期'], kind: 'date' },
      { name: 'social_worker_since', label: '引入社工日期', headers: ['引入社工日期', '社工入驻日期'], kind: 'date' },
      { name: 'members', label: '成员数', headers: ['成员数', '会员数'], kind: 'count', unit: '人' },
    ],
  },
  {
    name: 'volunteers',
    label: '志愿者',
    names: ['志愿者名册', '注册志愿者', '志愿者', 'volunteers'],
    shape: 'roster',
    uniqueKey: 'person_key',
    fields: [
      unitField(),
      periodField,
      { name: 'person_key', label: '身份证号', headers: ['身份证号', '证件号码', '公民身份号码', '志愿者编号'], kind: 'secret', required: true },
      { name: 'name', label: '姓名', headers: ['姓名'], kind: 'drop' },
      { name: 'phone', label: '手机', headers: ['手机', '手机号', '联系电话'], kind: 'drop' },
      { name: 'registered_on', label: '注册日期', headers: ['注册日期', '注册时间'], kind: 'date', required: true },
      { name: 'party_member', label: '是否党员', headers: ['是否党员', '政治面貌'], kind: 'bool' },
      { name: 'civil_servant', label: '是否公务员', headers: ['是否公务员', '公务员'], kind: 'bool' },
      { name: 'is_leader', label: '是否带头人', headers: ['是否带头人', '志愿者带头人', '骨干'], kind: 'bool' },
      { name: 'leader_since', label: '带头人认定日期', headers: ['带头人认定日期', '认定日期'], kind: 'date' },
      { name: 'service_hours', label: '服务时长', headers: ['服务时长', '累计服务时长', '志愿服务时长'], kind: 'number', unit: '小时' },
    ],
  },
  {
    name: 'social_workers',
    label: '社会工作者',
    names: ['社会工作者', '社工人才', '专业社工', '社工', 'social_workers'],
    shape: 'roster',
    uniqueKey: 'person_key',
    fields: [
      unitField(),
      periodField,
      { name: 'person_key', label: '身份证号', headers: ['身份证号', '证件号码', '编号'], kind: 'secret', required: true },
      { name: 'name', label: '姓名', headers: ['姓名'], kind: 'drop' },
      {
        name: 'cert_level',
        label: '职业水平',
        headers: ['职业水平', '证书等级', '资格等级', '持证情况'],
        kind: 'enum',
        emptyValue: 'none',
        values: {
          assistant: ['助理社会工作师', '初级', '助理'],
          intermediate: ['社会工作师', '中级'],
          senior: ['高级社会工作师', '高级'],
          none: ['无', '未持证', '否'],
        },
      },
      {
        name: 'employer_kind',
        label: '所在单位类型',
        headers: ['所在单位类型', '单位类型', '工作单位'],
        kind: 'enum',
        values: {
          community: ['社区', '居委会', '村委会', '社区居委会'],
          station: ['服务站', '社区服务站', '管理服务站'],
          org: ['社会组织', '社工机构', '社会工作服务机构'],
        },
      },
      { name: 'employer_org', label: '所在组织', headers: ['所在组织', '所在单位名称'], kind: 'text' },
      { name: 'started_on', label: '入职日期', headers: ['入职日期', '到岗日期', '聘用日期'], kind: 'date', required: true },
      { name: 'left_on', label: '离职日期', headers: ['离职日期'], kind: 'date' },
    ],
  },
  {
    name: 'facilities',
    label: '服务设施',
    names: ['服务设施', '设施', '用房', '阵地', 'facilities'],
    shape: 'roster',
    fields: [
      unitField(),
      periodField,
      { name: 'facility_name', label: '设施名称', headers: ['名称', '设施名称'], kind: 'text' },
      {
        name: 'kind',
        label: '设施类型',
        headers: ['用途', '类型', '设施类型'],
        kind: 'enum',
        emptyValue: 'other',
        values: {
          mgmt: ['管理用房', '办公用房'],
          service: ['服务用房', '活动用房'],
          daycare: ['日间照料中心', '老年人日间照料中心', '居家养老服务中心'],
          outdoor: ['户外活动场地', '广场', '室外健身场地'],
          center: ['综合服务中心', '邻里中心', '社区服务中心'],
          other: ['其他', '其它'],
        },
      },
      { name: 'area_m2', label: '面积', headers: ['面积', '建筑面积', '使用面积'], kind: 'area', positive: true, required: true, unit: '㎡' },
      { name: 'opened_on', label: '启用日期', headers: ['启用日期', '建成日期', '投用日期'], kind: 'date' },
      { name: 'closed_on', label: '停用日期', headers: ['停用日期'], kind: 'date' },
    ],
  },
  {
    name: 'participation',
    label: '居民参与',
    names: ['居民参与', '参与名册', 'participation'],
    shape: 'roster',
    fields: [
      unitField(),
      periodField,
      { name: 'person_key', label: '身份证号', headers: ['身份证号', '证件号码', '居民编号'], kind: 'secret', required: true },
      { name: 'name', label: '姓名', headers: ['姓名'], kind: 'drop' },
      { name: 'org_name', label: '组织名称', headers: ['组织名称', '参与组织'], kind: 'text' },
      { name: 'joined_on', label: '加入日期', headers: ['加入日期', '参与日期'], kind: 'date' },
    ],
  },
  {
    name: 'activities',
    label: '活动台账',
    names: ['活动台账', '工作台账', '活动', '会议', 'activities'],
    shape: 'roster',
    fields: [
      unitField(),
      periodField,
      {
        name: 'kind',
        label: '活动类型',
        headers: ['类型', '活动类型', '事项'],
        kind: 'enum',
        required: true,
        values: {
          joint_meeting: ['三社联席会议', '联席会议'],
          consultation: ['协商议事', '议事协商'],
          consultation_demo: ['协商示范点'],
          selfgov_brand: ['自治品牌组织', '品牌自治组织'],
          selfgov_demo_community: ['自治示范社区'],
          consultation_demo_community: ['协商示范社区'],
          governance_reform: ['一委一居一站', '治理架构改革', '一委一居一站一办'],
          leadership_meeting: ['领导小组会议', '创建工作会议'],
          volunteer_activity: ['志愿服务活动'],
          training: ['培训'],
        },
      },
      { name: 'held_on', label: '活动日期', headers: ['日期', '活动日期', '时间'], kind: 'date', required: true },
      { name: 'title', label: '活动名称', headers: ['名称', '活动名称', '主题'], kind: 'text' },
      { name: 'participants', label: '参与人数', headers: ['参与人数', '人数'], kind: 'count', unit: '人' },
    ],
  },
  {
    name: 'surveys',
    label: '满意度调查',
    names: ['满意度调查', '满意度', '测评', 'surveys'],
    shape: 'roster',
    uniqueKey: 'respondent_key',
    fields: [
      unitField(),
      periodField,
      { name: 'respondent_key', label: '问卷编号', headers: ['编号', '问卷编号'], kind: 'secret', required: true },
      { name: 'surveyed_on', label: '调查日期', headers: ['调查日期', '日期'], kind: 'date' },
      { name: 'score', label: '满意度', headers: ['满意度', '评分', '总体评价'], kind: 'score', required: true },
    ],
  },
];

export const TABLE_BY_NAME = new Map(TABLES.map((t) => [t.name, t]));

export function tableDef(name: TableName): TableDef {
  const t = TABLE_BY_NAME.get(name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}

/** Fields stored in the canonical table (drop fields never are). */
export function storedFields(t: TableDef): FieldDef[] {
  return t.fields.filter((f) => f.kind !== 'drop' && f.name !== 'community_code' && f.name !== 'report_period');
}
