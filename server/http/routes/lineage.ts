// Lineage of one value: the batch, file, sheet and Excel row of every stored
// row behind (unit, indicator, period). Views are audited.

import { z } from 'zod';
import { lineage } from '../../../metrics/lineage/lineage.ts';
import { TABLE_BY_NAME, type TableName } from '../../import/contract/tables.ts';
import { format, indicator, period, plan, unitCode } from '../params.ts';
import { route } from '../route.ts';
import { checkScope } from './common.ts';

export const lineageRoutes = [
  route({
    method: 'get',
    path: '/api/v1/lineage',
    tag: 'values',
    summary: '数据溯源 Lineage of one value: source batch, file, sheet and row',
    perm: 'read',
    cache: false,
    query: z.object({ plan, unit: unitCode, indicator, period, format }).strict(),
    returns: '{ unit, indicator, period, rows: {table, table_label (Chinese name of the register), batch_id, file_id, file, path, sheet, src_row, org_unit, period}[] }',
    async handler({ app, principal, query, req }) {
      checkScope(principal, { unit: query.unit });
      const p = app.caches.plan(query.plan);
      const found = await app.db((s) => lineage(s, { org_unit: query.unit, indicator: query.indicator, period: query.period, planStart: p.start }));
      // The register's name as communities know it (社会组织名录), beside the store's table name.
      const rows = found.map((r) => ({ ...r, table_label: TABLE_BY_NAME.get(r.table as TableName)?.label ?? r.table }));
      await app.audit({
        actor: principal.username,
        role: principal.role,
        action: 'lineage_view',
        target: `${query.unit}/${query.indicator}/${query.period}`,
        outcome: 'ok',
        ip: req.ip,
        detail: { rows: rows.length },
      });
      return {
        body: { unit: query.unit, indicator: query.indicator, period: query.period, rows },
        table: {
          name: `lineage-${query.unit}-${query.indicator}-${query.period}`,
          columns: [
            { key: 'table_label', zh: '数据表' },
            { key: 'table', zh: '表名' },
            { key: 'batch_id', zh: '批次' },
            { key: 'file', zh: '文件' },
            { key: 'path', zh: '路径' },
            { key: 'sheet', zh: '工作表' },
            { key: 'src_row', zh: '行号' },
            { key: 'org_unit', zh: '区划代码' },
            { key: 'period', zh: '报告期' },
          ],
          rows: rows as unknown as Record<string, unknown>[],
        },
      };
    },
  }),
];
