// Plans (phases, dimensions, rating), the indicator catalogue and each plan's
// methodology: definition, formula, target, source document, weight and the
// plan_default flag on every number not taken from a source document.

import { z } from 'zod';
import { CATALOGUE, DIMENSIONS, INDICATOR_BY_ID } from '../../../metrics/catalogue/index.ts';
import { PRESETS } from '../../../metrics/plans/load.ts';
import type { Plan } from '../../../metrics/plans/schema.ts';
import { PROGRESS_METHOD } from '../../../metrics/progress/progress.ts';
import { QUALITY_METHOD, QUALITY_RULES, QUALITY_RULES_EN } from '../../../metrics/quality/quality.ts';
import { planDefaults } from '../../../metrics/report/compute.ts';
import { citedFiles, SOURCE_DOCUMENTS } from '../../../metrics/sources.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { format } from '../params.ts';
import { route } from '../route.ts';
import { formulaText } from './methodology.ts';

function planSummary(p: Plan) {
  return {
    id: p.id,
    name: p.name,
    source: p.source,
    start: p.start,
    end: p.end,
    units: p.units,
    pass_score: p.pass_score,
    rating: p.rating,
    dimensions: p.dimensions.map((d) => ({ ...d, zh: DIMENSIONS[d.id].zh, en: DIMENSIONS[d.id].en })),
    phases: p.phases.map((ph, i) => ({ idx: i + 1, ...ph })),
    plan_defaults: planDefaults(p),
  };
}

function catalogueRow(id: string) {
  const c = INDICATOR_BY_ID.get(id)!;
  return {
    id: c.id,
    zh: c.zh,
    en: c.en,
    dimension: c.dimension,
    level: c.level,
    unit: c.unit,
    kind: c.kind ?? 'number',
    periodicity: c.periodicity,
    rollup: c.rollup,
    helper: !!c.helper,
    source: c.source,
    definition: c.definition,
    formula: formulaText(c.definition),
  };
}

function methodology(p: Plan) {
  return p.indicators.map((pi) => {
    const c = catalogueRow(pi.id);
    return {
      ...c,
      dimension: pi.dimension ?? c.dimension,
      target: pi.target,
      milestones: pi.milestones ?? null,
      weight: pi.weight,
      veto: pi.veto,
      source: pi.source ?? c.source,
      plan_default: pi.plan_default,
      note: pi.note ?? null,
    };
  });
}

/**
 * Each source document with what cites it: catalogue indicators (their
 * default source) and, per preset plan, the plan itself and its indicators'
 * targets.
 */
function sourceCitations(plans: Plan[]) {
  // Each plan indicator's source as its methodology row states it.
  const rows = plans.map((p) => ({ p, rows: methodology(p) }));
  return SOURCE_DOCUMENTS.map((d) => ({
    ...d,
    cited_by: {
      catalogue: CATALOGUE.filter((c) => citedFiles(c.source).includes(d.file)).map((c) => c.id),
      plans: rows
        .map(({ p, rows }) => ({
          id: p.id,
          plan: citedFiles(p.source).includes(d.file),
          indicators: rows.filter((r) => citedFiles(r.source).includes(d.file)).map((r) => r.id),
        }))
        .filter((c) => c.plan || c.indicators.length > 0),
    },
  }));
}

const planParam = z.object({ plan: z.enum(PRESETS, { message: `应为预设计划之一 (one of ${PRESETS.join(', ')})` }) });

export const plansRoutes = [
  route({
    method: 'get',
    path: '/api/v1/plans',
    tag: 'plans',
    summary: '计划列表 Plans with phases, dimensions and rating',
    perm: 'read',
    query: z.object({}).strict(),
    returns: '{ rows: PlanSummary[] }',
    async handler({ app }) {
      return { body: { rows: PRESETS.map((id) => planSummary((app as AppContext).caches.plan(id))) } };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/plans/:plan',
    tag: 'plans',
    summary: '计划与方法 One plan with its indicator methodology',
    perm: 'read',
    params: planParam,
    query: z.object({ format }).strict(),
    returns: '{ ...PlanSummary, indicators: Methodology[] }',
    async handler({ app, params }) {
      let p: Plan;
      try {
        p = app.caches.plan(params.plan);
      } catch {
        throw notFound(`计划 ${params.plan}`);
      }
      const indicators = methodology(p);
      return {
        body: { ...planSummary(p), indicators },
        table: {
          name: `methodology-${p.id}`,
          columns: [
            { key: 'id', zh: '指标代码' },
            { key: 'zh', zh: '指标' },
            { key: 'dimension', zh: '维度' },
            { key: 'level', zh: '层级' },
            { key: 'unit', zh: '单位' },
            { key: 'formula', zh: '计算方法' },
            { key: 'target_text', zh: '目标' },
            { key: 'weight', zh: '权重' },
            { key: 'veto', zh: '一票否决' },
            { key: 'source', zh: '来源文件' },
            { key: 'plan_default', zh: '计划默认值(非文件来源)' },
          ],
          rows: indicators.map((i) => ({ ...i, target_text: JSON.stringify(i.target) })),
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/indicators',
    tag: 'plans',
    summary: '指标目录 The indicator catalogue with definitions and formulas',
    perm: 'read',
    query: z.object({ format }).strict(),
    returns:
      '{ dimensions: {id: {zh, en}}, quality_rules: {id: {zh, en}}, quality_method: {zh, en}, progress_method: {term: {zh, en}, zh, en}[], sources: SourceDocument & {cited_by}[], rows: CatalogueRow[] }',
    async handler({ app }) {
      const rows = CATALOGUE.map((c) => catalogueRow(c.id));
      const quality_rules = Object.fromEntries(Object.entries(QUALITY_RULES).map(([id, zh]) => [id, { zh, en: QUALITY_RULES_EN[id] }]));
      const plans = PRESETS.map((id) => (app as AppContext).caches.plan(id));
      return {
        body: { dimensions: DIMENSIONS, quality_rules, quality_method: QUALITY_METHOD, progress_method: PROGRESS_METHOD, sources: sourceCitations(plans), rows },
        table: {
          name: 'indicators',
          columns: [
            { key: 'id', zh: '指标代码' },
            { key: 'zh', zh: '指标' },
            { key: 'en', zh: 'English' },
            { key: 'dimension', zh: '维度' },
            { key: 'level', zh: '层级' },
            { key: 'unit', zh: '单位' },
            { key: 'periodicity', zh: '口径' },
            { key: 'rollup', zh: '汇总方式' },
            { key: 'formula', zh: '计算方法' },
            { key: 'source', zh: '来源' },
          ],
          rows,
        },
      };
    },
  }),
];
