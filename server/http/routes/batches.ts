// Import batches with their files (SHA-256), newest first, and periods with data.

import { z } from 'zod';
import { listBatches } from '../../import/history.ts';
import { format } from '../params.ts';
import { route } from '../route.ts';

export const batchesRoutes = [
  route({
    method: 'get',
    path: '/api/v1/batches',
    tag: 'imports',
    summary: '导入批次 Import batches with their files',
    perm: 'read',
    cache: true,
    query: z.object({ format }).strict(),
    returns: '{ rows: {batch_id, started_at (ISO 8601 UTC), finished_at, imported_by, source, status, file_count, row_count, files: {file_id, path, sha256, bytes, format, encoding, row_count}[]}[] }',
    async handler({ app, principal }) {
      let rows = await app.db((s) => listBatches(s));
      if (principal.scope !== null) {
        // A scoped account sees only the batches it imported itself: file names reveal other units.
        rows = rows.filter((b) => b.imported_by === principal.username);
      }
      return {
        body: { rows },
        table: {
          name: 'batches',
          columns: [
            { key: 'batch_id', zh: '批次' },
            { key: 'started_at', zh: '开始时间 (UTC)' },
            { key: 'finished_at', zh: '完成时间 (UTC)' },
            { key: 'imported_by', zh: '导入人' },
            { key: 'source', zh: '来源' },
            { key: 'status', zh: '状态' },
            { key: 'file_count', zh: '文件数' },
            { key: 'row_count', zh: '行数' },
          ],
          rows: rows as unknown as Record<string, unknown>[],
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/periods',
    tag: 'units',
    summary: '有数据的报告期 Periods with data',
    perm: 'read',
    cache: true,
    query: z.object({}).strict(),
    returns: '{ latest: string|null, rows: {period, communities, exports}[] }',
    async handler({ app, principal }) {
      const rows = await app.db((s) =>
        s.all<{ period: string; communities: number; exports: number }>(
          `SELECT period, count(DISTINCT org_unit)::INTEGER AS communities, count(*)::INTEGER AS exports
           FROM exports WHERE superseded_by IS NULL AND ($scope IS NULL OR starts_with(org_unit, $scope))
           GROUP BY period ORDER BY period`,
          { scope: principal.scope },
        ),
      );
      return { body: { latest: rows.at(-1)?.period ?? null, rows } };
    },
  }),
];
