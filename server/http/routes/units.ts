// Org units as a tree (district > street > community), limited to the scope.

import { z } from 'zod';
import { inScope } from '../../auth/roles.ts';
import type { UnitRow } from '../cache.ts';
import { format } from '../params.ts';
import { route } from '../route.ts';

export interface UnitNode extends UnitRow {
  children: UnitNode[];
}

export function buildTree(units: UnitRow[]): UnitNode[] {
  const nodes = new Map(units.map((u) => [u.code, { ...u, children: [] as UnitNode[] }]));
  const roots: UnitNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parent_code ? nodes.get(n.parent_code) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

export const unitsRoutes = [
  route({
    method: 'get',
    path: '/api/v1/units',
    tag: 'units',
    summary: '单位树 Org units as a tree (district > street > community)',
    perm: 'read',
    cache: true,
    query: z
      .object({
        format,
        shape: z
          .enum(['tree', 'rows', 'columns'], { message: '应为 tree、rows 或 columns (tree, rows or columns)' })
          .optional()
          .describe('只要树 tree、只要行 rows 或按列 columns (default tree and rows)'),
      })
      .strict(),
    returns:
      '{ tree: UnitNode[] (code, name, level, parent_code, area_type, children), rows: UnitRow[] } (shape=tree: tree only; shape=rows: rows only; shape=columns: { columns: { code[], name[], level[], parent_code[], area_type[] } }, the rows one array per field, half the bytes at 10,000 communities)',
    async handler({ app, principal, query }) {
      const rows = (await app.caches.units()).filter((u) => inScope(principal, u.code));
      const col = <K extends keyof UnitRow>(k: K) => rows.map((u) => u[k]);
      return {
        body:
          query.shape === 'columns'
            ? { columns: { code: col('code'), name: col('name'), level: col('level'), parent_code: col('parent_code'), area_type: col('area_type') } }
            : { ...(query.shape !== 'rows' ? { tree: buildTree(rows) } : {}), ...(query.shape !== 'tree' ? { rows } : {}) },
        table: {
          name: 'units',
          columns: [
            { key: 'code', zh: '区划代码' },
            { key: 'name', zh: '名称' },
            { key: 'level', zh: '层级' },
            { key: 'parent_code', zh: '上级代码' },
            { key: 'area_type', zh: '城乡类型' },
          ],
          rows: rows as unknown as Record<string, unknown>[],
        },
      };
    },
  }),
];
