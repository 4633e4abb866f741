// Indicator values of every unit for a (plan, period, level) with the
// street / unit / area-type filters; JSON, csv, xlsx or an Arrow IPC stream.

import { z } from 'zod';
import { indicator, tableQuery } from '../params.ts';
import { route } from '../route.ts';
import type { Column } from '../table.ts';
import { reportFor, stem, unitFilter } from './common.ts';

export const VALUE_COLUMNS: Column[] = [
  { key: 'org_unit', zh: '区划代码' },
  { key: 'name', zh: '名称' },
  { key: 'level', zh: '层级' },
  { key: 'period', zh: '报告期' },
  { key: 'indicator', zh: '指标代码' },
  { key: 'indicator_zh', zh: '指标' },
  { key: 'unit', zh: '单位' },
  { key: 'rollup', zh: '汇总方式' },
  { key: 'value', zh: '值' },
  { key: 'target', zh: '目标' },
  { key: 'target_lo', zh: '目标下限' },
  { key: 'target_hi', zh: '目标上限' },
  { key: 'target_kind', zh: '目标类型' },
  { key: 'target_effective_lo', zh: '当期目标下限(按进度折算)' },
  { key: 'target_effective_hi', zh: '当期目标上限(按进度折算)' },
  { key: 'attainment', zh: '达成度' },
  { key: 'status', zh: '状态' },
  { key: 'coverage', zh: '达标社区占比' },
  { key: 'n_reporting', zh: '填报单位数' },
  { key: 'n_units', zh: '单位总数' },
  { key: 'in_plan', zh: '计划指标' },
  { key: 'plan_default', zh: '计划默认值(非文件来源)' },
  { key: 'dimension', zh: '维度' },
  { key: 'weight', zh: '权重' },
  { key: 'veto', zh: '一票否决' },
  { key: 'source', zh: '来源' },
  { key: 'source_clause', zh: '依据条文' },
];

export const valuesRoutes = [
  route({
    method: 'get',
    path: '/api/v1/values',
    tag: 'values',
    summary: '指标值 Indicator values of every unit (plan, period, level, filters)',
    perm: 'read',
    cache: true,
    arrow: true,
    query: z.object({ ...tableQuery, indicator: indicator.optional(), in_plan: z.enum(['true', 'false']).optional().describe('只看计划指标 only plan indicators') }).strict(),
    returns: '{ plan, period, level, current_phase, rows: ValueRow[] }; Arrow stream of rows when Accept: application/vnd.apache.arrow.stream',
    async handler({ app, principal, query }) {
      const r = await reportFor(app, principal, query);
      const keep = await unitFilter(app, principal, query);
      const rows = r.values.filter(
        (v) => keep(v.org_unit) && (!query.indicator || v.indicator === query.indicator) && (!query.in_plan || String(v.in_plan) === query.in_plan),
      );
      return {
        body: { plan: r.plan, period: r.period, level: r.level, current_phase: r.current_phase, rows },
        table: { name: stem('values', r.plan.id, r.period, r.level), columns: VALUE_COLUMNS, rows: rows as unknown as Record<string, unknown>[] },
      };
    },
  }),
];
