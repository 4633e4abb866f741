// Data-quality findings (each with its source rows) and the completeness
// matrix (which unit exported which tables for which period).

import { z } from 'zod';
import { format, period, plan, street, unitCode } from '../params.ts';
import { route } from '../route.ts';
import { checkScope, stem, unitFilter } from './common.ts';

const q = z
  .object({ plan, period: period.optional().describe('报告期 period (default: every period)'), street: street.optional(), unit: unitCode.optional(), format })
  .strict();

export const qualityRoutes = [
  route({
    method: 'get',
    path: '/api/v1/quality/findings',
    tag: 'quality',
    summary: '数据质量问题 Data-quality findings with their source rows',
    perm: 'read',
    cache: true,
    query: q.extend({ rule: z.string().regex(/^[a-z_]+$/, '规则代码 (rule id)').optional().describe('规则 rule id') }).strict(),
    returns: '{ rules: {id: zh}, rules_en: {id: en}, rows: {rule, rule_zh, rule_en, org_unit, name, period, indicator, value, detail (Chinese), detail_en, sources: {table, export_id, file, sheet, src_row}[]}[] }',
    async handler({ app, principal, query }) {
      checkScope(principal, query);
      const [{ findings }, units, { QUALITY_RULES, QUALITY_RULES_EN }] = await Promise.all([
        app.caches.qualityOf(query.plan, query.period),
        app.caches.units(),
        import('../../../metrics/quality/quality.ts'),
      ]);
      const keep = await unitFilter(app, principal, query);
      const names = new Map(units.map((u) => [u.code, u.name]));
      const rows = findings.filter((f) => keep(f.org_unit) && (!query.rule || f.rule === query.rule)).map((f) => ({ ...f, name: names.get(f.org_unit) ?? null }));
      return {
        body: { rules: QUALITY_RULES, rules_en: QUALITY_RULES_EN, rows },
        table: {
          name: stem('quality', query.period),
          columns: [
            { key: 'rule', zh: '规则代码' },
            { key: 'rule_zh', zh: '规则' },
            { key: 'org_unit', zh: '区划代码' },
            { key: 'name', zh: '名称' },
            { key: 'period', zh: '报告期' },
            { key: 'indicator', zh: '指标' },
            { key: 'value', zh: '值' },
            { key: 'detail', zh: '说明' },
            { key: 'detail_en', zh: '说明（英文）' },
            { key: 'source_text', zh: '来源行' },
          ],
          rows: rows.map((f) => ({
            ...f,
            source_text: f.sources.map((s) => `${s.file ?? ''}${s.sheet ? `/${s.sheet}` : ''}${s.src_row ? `#${s.src_row}` : ''}`).join('; '),
          })),
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/quality/completeness',
    tag: 'quality',
    summary: '填报完整性 Completeness matrix: tables exported per unit and period',
    perm: 'read',
    cache: true,
    query: q,
    returns: '{ periods: string[], tables: string[], rows: {org_unit, name, period, tables: string[], n_tables}[] }',
    async handler({ app, principal, query }) {
      checkScope(principal, query);
      const [{ completeness }, units] = await Promise.all([app.caches.qualityOf(query.plan, query.period), app.caches.units()]);
      const keep = await unitFilter(app, principal, query);
      const names = new Map(units.map((u) => [u.code, u.name]));
      const rows = completeness
        .filter((c) => keep(c.org_unit) && (!query.period || c.period === query.period))
        .map((c) => ({ org_unit: c.org_unit, name: names.get(c.org_unit) ?? null, period: c.period, tables: c.tables, n_tables: c.tables.length }));
      return {
        body: { periods: [...new Set(rows.map((r) => r.period))].sort(), tables: [...new Set(rows.flatMap((r) => r.tables))].sort(), rows },
        table: {
          name: stem('completeness', query.period),
          columns: [
            { key: 'org_unit', zh: '区划代码' },
            { key: 'name', zh: '名称' },
            { key: 'period', zh: '报告期' },
            { key: 'n_tables', zh: '报送表数' },
            { key: 'tables', zh: '报送的表' },
          ],
          rows,
        },
      };
    },
  }),
];
