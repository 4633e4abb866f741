// UI strings, Chinese first with an English switch (?lang=en). Indicator
// names, units, targets and sources are NOT here: they come from the API.

import { useRoute } from './url.ts';

export type Lang = 'zh' | 'en';

const S = {
  appTitle: ['三社联动评估看板', 'Sanshe evaluation dashboard'],
  overview: ['总览', 'Overview'],
  phase: ['阶段进度', 'Phase progress'],
  community: ['社区', 'Community'],
  streets: ['街道对比', 'Streets'],
  acceptance: ['验收', 'Acceptance'],
  quality: ['数据质量', 'Data quality'],
  import: ['数据导入', 'Import'],
  methodology: ['方法说明', 'Methodology'],
  present: ['大屏', 'Presentation'],
  plan: ['方案', 'Plan'],
  period: ['期次', 'Period'],
  level: ['层级', 'Level'],
  street: ['街道', 'Street'],
  area: ['城乡', 'Urban/rural'],
  all: ['全部', 'All'],
  urban: ['城市', 'Urban'],
  rural: ['农村', 'Rural'],
  district: ['区县', 'District'],
  lvl_community: ['社区', 'Community'],
  lvl_street: ['街道', 'Street'],
  lvl_district: ['区县', 'District'],
  loading: ['正在加载…', 'Loading…'],
  empty: ['暂无数据', 'No data'],
  error: ['加载失败', 'Failed to load'],
  retry: ['重试', 'Retry'],
  composite: ['综合得分', 'Composite'],
  rating: ['等级', 'Rating'],
  target: ['目标', 'Target'],
  value: ['当前值', 'Value'],
  gap: ['差距', 'Gap'],
  attainment: ['达成度', 'Attainment'],
  status: ['状态', 'Status'],
  change: ['环比', 'Change'],
  vsLast: ['较上季度', 'vs last quarter'],
  indicator: ['指标', 'Indicator'],
  unitName: ['单位', 'Unit'],
  ranking: ['社区综合得分排名', 'Community composite ranking'],
  rankingHint: ['点击柱条查看社区详情', 'Click a bar to open the community'],
  radar: ['维度雷达：全区 vs 最好/最弱街道', 'Dimensions: district vs best / weakest street'],
  ratingDist: ['等级分布', 'Rating distribution'],
  headline: ['全区核心指标', 'District headline indicators'],
  exportPng: ['导出图片', 'PNG'],
  exportCsv: ['导出 CSV', 'CSV'],
  exportXlsx: ['导出 Excel', 'Excel'],
  lineage: ['数据溯源', 'Lineage'],
  batch: ['批次', 'Batch'],
  file: ['文件', 'File'],
  sheet: ['工作表', 'Sheet'],
  row: ['行', 'Row'],
  rows: ['行号', 'Rows'],
  column: ['列', 'Column'],
  reason: ['原因', 'Reason'],
  close: ['关闭', 'Close'],
  findings: ['数据质量问题', 'Data-quality findings'],
  noFindings: ['未发现数据质量问题', 'No data-quality findings'],
  trends: ['季度趋势（虚线为目标）', 'Quarterly trends (dashed: target)'],
  radarVsDistrict: ['维度雷达：本社区 vs 全区', 'Dimensions: community vs district'],
  pickCommunity: ['选择社区', 'Choose a community'],
  accepted: ['通过', 'Passed'],
  notAccepted: ['未通过', 'Failed'],
  veto: ['一票否决', 'Veto'],
  vetoFailed: ['否决项未达标', 'Veto failed'],
  print: ['打印报告', 'Print report'],
  printDistrict: ['打印全区报告', 'Print district report'],
  printAll: ['打印全部社区', 'Print all communities'],
  signature: ['验收组签字', 'Inspection team signatures'],
  leader: ['组长', 'Team leader'],
  members: ['成员', 'Members'],
  date: ['日期', 'Date'],
  requirement: ['验收要求', 'Requirement'],
  pass: ['达标', 'Pass'],
  fail: ['未达标', 'Fail'],
  conclusion: ['验收结论', 'Conclusion'],
  dropHere: ['将文件或 zip 拖到此处，或点击选择', 'Drop files or a zip here, or click to choose'],
  dryRun: ['预检', 'Dry run'],
  commit: ['确认导入', 'Commit'],
  problems: ['问题列表', 'Problems'],
  history: ['导入历史', 'Import history'],
  importing: ['正在导入…', 'Importing…'],
  checking: ['正在预检…', 'Checking…'],
  noProblems: ['预检通过，未发现问题', 'Dry run passed, no problems'],
  imported: ['导入成功', 'Imported'],
  completeness: ['报送完整性（单位 × 季度）', 'Completeness (units × quarters)'],
  rules: ['规则校验与异常值', 'Rule violations and outliers'],
  source: ['依据文件', 'Source document'],
  dataSource: ['数据来源', 'Data source'],
  definition: ['定义', 'Definition'],
  formula: ['计算公式', 'Formula'],
  weight: ['权重', 'Weight'],
  dimension: ['维度', 'Dimension'],
  planDefault: ['方案默认值', 'Plan default'],
  planDefaultNote: ['非来源文件规定，由方案设定', 'not from a source document; set by the plan'],
  sensitivity: ['权重敏感性：排名区间（5%–95%）', 'Weight sensitivity: rank intervals (5th–95th pct)'],
  stable: ['排名稳定', 'Ranking stable'],
  unstable: ['排名对权重敏感，次序不稳定', 'Ranking is sensitive to the weights; the order is not stable'],
  timeline: ['阶段时间轴', 'Phase timeline'],
  today: ['当前', 'Now'],
  matrix: ['进度矩阵（单位 × 指标）', 'Progress matrix (units × indicators)'],
  projection: ['趋势外推（虚线）与目标', 'Projections (dashed) vs target'],
  phaseSel: ['阶段', 'Phase'],
  heatmap: ['维度得分热力图', 'Dimension-score heatmap'],
  sideBySide: ['街道各维度对比', 'Streets by dimension'],
  search: ['搜索', 'Search'],
  count: ['数量', 'Count'],
  lang: ['English', '中文'],
  exitPresent: ['退出大屏', 'Exit'],
  fullscreen: ['全屏', 'Full screen'],
  communities: ['个社区', 'communities'],
  n_no_data: ['无数据指标', 'No-data indicators'],
  reportTitle: ['三社联动试点验收报告', 'Sanshe pilot acceptance report'],
  districtReportTitle: ['三社联动试点全区验收汇总', 'Sanshe pilot district acceptance summary'],
  notFound: ['页面不存在', 'Page not found'],
  selectIndicator: ['指标', 'Indicator'],
  phaseEnd: ['阶段末', 'Phase end'],
  planEnd: ['方案末', 'Plan end'],
  reaches: ['可达标', 'reaches target'],
  notReaches: ['难达标', 'misses target'],
} as const satisfies Record<string, readonly [string, string]>;

export type Key = keyof typeof S;

export function t(key: Key, lang: Lang): string {
  return S[key][lang === 'zh' ? 0 : 1];
}

export function useT(): { t: (k: Key) => string; lang: Lang } {
  const { params } = useRoute();
  const lang: Lang = params.get('lang') === 'en' ? 'en' : 'zh';
  return { t: (k: Key) => t(k, lang), lang };
}

/** Punctuation of the page's language: full-width in Chinese, ASCII with its spaces in English. */
const PUNCT = {
  zh: { colon: '：', semi: '；', comma: '，', open: '（', close: '）' },
  en: { colon: ': ', semi: '; ', comma: ', ', open: ' (', close: ')' },
} as const;

export function punct(lang: Lang): (typeof PUNCT)[Lang] {
  return PUNCT[lang];
}

/** `s` in brackets: （s） or  (s). */
export function paren(s: string | number, lang: Lang): string {
  return `${PUNCT[lang].open}${s}${PUNCT[lang].close}`;
}

const RATING_EN: Record<string, string> = { 优秀: 'Excellent', 良好: 'Good', 合格: 'Pass', 不合格: 'Fail' };
export function ratingLabel(r: string, lang: Lang): string {
  return lang === 'zh' ? r : (RATING_EN[r] ?? r);
}
