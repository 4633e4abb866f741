// Progress statuses and projections per phase, and the weight sensitivity.

import { z } from 'zod';
import { primeSensitivity } from '../../../metrics/report/compute.ts';
import { indicator, tableQuery } from '../params.ts';
import { route } from '../route.ts';
import { reportFor, stem, unitFilter } from './common.ts';

export const progressRoutes = [
  route({
    method: 'get',
    path: '/api/v1/progress',
    tag: 'progress',
    summary: '进度 Progress status and projections per phase',
    perm: 'read',
    cache: true,
    query: z
      .object({
        ...tableQuery,
        indicator: indicator.optional(),
        phase: z.coerce.number({ message: '应为阶段序号 1、2… (phase number)' }).int('应为整数 (integer)').min(1, '最小为 1 (at least 1)').optional().describe('阶段序号 phase number (1-based)'),
      })
      .strict(),
    returns: '{ plan, period, level, current_phase, phases: {idx, name, start, end}[], rows: ProgressRow[] }',
    async handler({ app, principal, query }) {
      const r = await reportFor(app, principal, query);
      const keep = await unitFilter(app, principal, query);
      const plan = app.caches.plan(query.plan);
      const rows = r.progress.filter(
        (p) => keep(p.org_unit) && (!query.indicator || p.indicator === query.indicator) && (!query.phase || p.phase_idx === query.phase),
      );
      return {
        body: {
          plan: r.plan,
          period: r.period,
          level: r.level,
          current_phase: r.current_phase,
          phases: plan.phases.map((p, i) => ({ idx: i + 1, name: p.name, start: p.start, end: p.end })),
          rows,
        },
        table: {
          name: stem('progress', r.plan.id, r.period, r.level),
          columns: [
            { key: 'org_unit', zh: '区划代码' },
            { key: 'indicator', zh: '指标代码' },
            { key: 'phase_idx', zh: '阶段序号' },
            { key: 'phase', zh: '阶段' },
            { key: 'eval_period', zh: '评估期' },
            { key: 'value', zh: '值' },
            { key: 'base', zh: '基线' },
            { key: 'target_lo', zh: '阶段目标下限' },
            { key: 'target_hi', zh: '阶段目标上限' },
            { key: 'milestone_lo', zh: '本季里程碑下限' },
            { key: 'milestone_hi', zh: '本季里程碑上限' },
            { key: 'plan_target_lo', zh: '方案目标下限' },
            { key: 'plan_target_hi', zh: '方案目标上限' },
            { key: 'status', zh: '状态' },
            { key: 'proj_phase_end', zh: '阶段末预测' },
            { key: 'proj_plan_end', zh: '方案末预测' },
            { key: 'reaches_phase_target', zh: '预计达到阶段目标' },
            { key: 'reaches_plan_target', zh: '预计达到方案目标' },
          ],
          rows: rows as unknown as Record<string, unknown>[],
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/sensitivity',
    tag: 'scores',
    summary: '权重敏感性 Weight sensitivity: rank intervals under random weight draws',
    perm: 'read',
    cache: true,
    query: z.object(tableQuery).strict(),
    returns: '{ plan, period, level, draws, seed, stable, weights, rows: {org_unit, name, rank, p5, p95, stable}[] }',
    async handler({ app, principal, query }) {
      const r = await reportFor(app, principal, query);
      await primeSensitivity(r);
      const keep = await unitFilter(app, principal, query);
      const names = new Map(r.scores.map((s) => [s.org_unit, s.name]));
      const rows = r.sensitivity.intervals.filter((i) => keep(i.org_unit)).map((i) => ({ ...i, name: names.get(i.org_unit) ?? null }));
      const plan = app.caches.plan(query.plan);
      return {
        body: {
          plan: r.plan,
          period: r.period,
          level: r.level,
          draws: r.sensitivity.draws,
          seed: r.sensitivity.seed,
          stable: r.sensitivity.stable,
          weights: Object.fromEntries(plan.dimensions.map((d) => [d.id, d.weight])),
          rows,
        },
        table: {
          name: stem('sensitivity', r.plan.id, r.period, r.level),
          columns: [
            { key: 'org_unit', zh: '区划代码' },
            { key: 'name', zh: '名称' },
            { key: 'rank', zh: '排名' },
            { key: 'p5', zh: '排名区间下限(5%)' },
            { key: 'p95', zh: '排名区间上限(95%)' },
            { key: 'stable', zh: '排名稳定' },
          ],
          rows,
        },
      };
    },
  }),
];
