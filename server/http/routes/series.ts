// Time series of one unit over every period, from the plan's full run (kept
// as TEMP tables per data version): each indicator's value, target and
// attainment, and the composite score.

import { z } from 'zod';
import { INDICATOR_BY_ID } from '../../../metrics/catalogue/index.ts';
import { inScope } from '../../auth/roles.ts';
import { ApiError, forbidden } from '../errors.ts';
import { format, indicator, plan, unitCode } from '../params.ts';
import { route } from '../route.ts';

export const seriesRoutes = [
  route({
    method: 'get',
    path: '/api/v1/series',
    tag: 'values',
    summary: '时间序列 Time series of one unit (every period)',
    perm: 'read',
    cache: true,
    query: z.object({ plan, unit: unitCode, indicator: indicator.optional(), format }).strict(),
    returns: '{ plan, unit: {code, name, level}, rows: {period, indicator, value, target_lo, target_hi, attainment, no_data}[], scores: {period, composite, rating, accepted}[] }',
    async handler({ app, principal, query }) {
      if (!inScope(principal, query.unit)) throw forbidden(`单位 ${query.unit} 不在本账号的范围 ${principal.scope} 内`, `unit outside scope`);
      const unit = (await app.caches.units()).find((u) => u.code === query.unit);
      if (!unit) throw new ApiError(404, 'NOT_FOUND', `未找到单位 ${query.unit} (unknown org unit)`);
      const run = await app.caches.run(query.plan);
      const { values, scored, scores } = run.tables;
      const [rows, sc] = await app.db(async (s) => [
        await s.all<Record<string, unknown>>(
          `SELECT v.period, v.indicator, v.value, s.t_lo AS target_lo, s.t_hi AS target_hi, s.e_lo AS target_effective_lo,
             s.e_hi AS target_effective_hi, s.attainment, coalesce(s.no_data, v.value IS NULL) AS no_data, (s.indicator IS NOT NULL) AS in_plan
           FROM ${values} v LEFT JOIN ${scored} s USING (org_unit, level, period, indicator)
           WHERE v.org_unit = $u AND v.level = $lvl AND ($ind IS NULL OR v.indicator = $ind)
           ORDER BY v.indicator, v.period`,
          { u: query.unit, lvl: unit.level, ind: query.indicator ?? null },
        ),
        await s.all<Record<string, unknown>>(
          `SELECT period, composite, rating, accepted FROM ${scores} WHERE org_unit = $u AND level = $lvl ORDER BY period`,
          { u: query.unit, lvl: unit.level },
        ),
      ]);
      const out = rows
        .filter((r) => !INDICATOR_BY_ID.get(String(r.indicator))?.helper || r.in_plan)
        .map((r) => ({ ...r, indicator_zh: INDICATOR_BY_ID.get(String(r.indicator))?.zh ?? null }));
      return {
        body: { plan: { id: run.plan.id, name: run.plan.name }, unit: { code: unit.code, name: unit.name, level: unit.level }, rows: out, scores: sc },
        table: {
          name: `series-${run.plan.id}-${unit.code}`,
          columns: [
            { key: 'period', zh: '报告期' },
            { key: 'indicator', zh: '指标代码' },
            { key: 'indicator_zh', zh: '指标' },
            { key: 'value', zh: '值' },
            { key: 'target_lo', zh: '目标下限' },
            { key: 'target_hi', zh: '目标上限' },
            { key: 'attainment', zh: '达成度' },
            { key: 'no_data', zh: '无数据' },
          ],
          rows: out,
        },
      };
    },
  }),
];
