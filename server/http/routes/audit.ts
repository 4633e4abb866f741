// The audit log, newest first (admin and evaluator), exportable.

import { z } from 'zod';
import { listAudit } from '../../audit/log.ts';
import { toUtcText } from '../../db/time.ts';
import { format } from '../params.ts';
import { route } from '../route.ts';

export const auditRoutes = [
  route({
    method: 'get',
    path: '/api/v1/audit',
    tag: 'audit',
    summary: '审计日志 Audit log (admin, evaluator)',
    perm: 'audit',
    query: z
      .object({
        action: z.string().regex(/^[a-z_]+$/, '动作代码 (action id)').optional(),
        actor: z.string().max(100).optional(),
        since: z
          .string()
          .refine((v) => toUtcText(v) !== null, '应为日期 YYYY-MM-DD 或带时区的时间 2026-01-31T08:00+08:00 (date or date-time)')
          .optional(),
        limit: z.coerce.number().int().min(1, '最小为 1').max(100000, '最大 100000').default(1000),
        format,
      })
      .strict(),
    returns: '{ rows: {seq, at, actor, role, action, target, outcome, ip, detail}[] }',
    async handler({ app, query }) {
      const rows = await app.db((s) => listAudit(s, query));
      return {
        body: { rows },
        table: {
          name: 'audit',
          columns: [
            { key: 'seq', zh: '序号' },
            { key: 'at', zh: '时间 (UTC)' },
            { key: 'actor', zh: '操作人' },
            { key: 'role', zh: '角色' },
            { key: 'action', zh: '操作' },
            { key: 'target', zh: '对象' },
            { key: 'outcome', zh: '结果' },
            { key: 'ip', zh: '地址' },
            { key: 'detail', zh: '详情' },
          ],
          rows: rows as unknown as Record<string, unknown>[],
        },
      };
    },
  }),
];
