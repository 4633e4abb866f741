// Uploads: multipart files or zips through the importer, as a dry run (the
// problems table, nothing stored) or a commit (all or nothing); progress by
// polling or server-sent events; a dry run can then be committed as is.

import { z } from 'zod';
import type { Principal } from '../../auth/roles.ts';
import { ApiError, forbidden, notFound } from '../errors.ts';
import { route } from '../route.ts';
import { DONE, HTTP_STATUS, type Job } from '../upload/jobs.ts';
import { receive } from '../upload/receive.ts';

const bool = (name: string) => z.enum(['true', 'false', '1', '0'], { message: '应为 true 或 false (true or false)' }).optional().describe(name);
const on = (v: string | undefined) => v === 'true' || v === '1';

function visible(p: Principal, j: Job): boolean {
  return j.owner === p.username || (p.scope === null && p.role === 'staff');
}

const jobParams = z.object({ id: z.string().uuid('应为上传任务编号 (job id)') });

export const uploadsRoutes = [
  route({
    method: 'post',
    path: '/api/v1/uploads',
    tag: 'imports',
    summary: '上传导入 Upload files or zips (multipart field "files"): dry run or commit, all or nothing',
    perm: 'import',
    query: z.object({ dry_run: bool('只校验不导入 validate only'), wait: bool('等待完成后返回结果 wait for the outcome') }).strict(),
    returns:
      '202 Job (poll GET /api/v1/uploads/{id} or GET …/events); with wait=true the final Job with 200 (dry_run, committed, unchanged), 422 (rejected, see problems), 403 (outside scope) or 413 (too large). ' +
      'A job is `committed` once the dashboard has taken the new data in; its `dashboard` says how: { mode: patched (at once, incremental) | recomputed (in the background), ms, reason }',
    async handler({ req, app, principal, query }) {
      const received = await receive(req, app.upload);
      const { job, done } = app.jobs.start(principal, received, on(query.dry_run), req.ip);
      if (!on(query.wait)) return { status: 202, body: job };
      const final = await done;
      return { status: HTTP_STATUS[final.status], body: final };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/uploads/:id',
    tag: 'imports',
    summary: '上传任务状态 Upload job status, progress, summary and problems',
    perm: 'import',
    params: jobParams,
    returns: 'Job',
    async handler({ app, principal, params }) {
      const j = app.jobs.get(params.id);
      if (!j) throw notFound('上传任务');
      if (!visible(principal, j)) throw forbidden('不是本账号的上传任务', 'not your upload');
      return { body: j };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/uploads/:id/events',
    tag: 'imports',
    summary: '上传进度事件 Server-sent events: one `job` event per change until the job is done',
    perm: 'import',
    params: jobParams,
    returns: 'text/event-stream of `event: job` with the Job as data',
    async handler({ req, res, app, principal, params }) {
      const j = app.jobs.get(params.id);
      if (!j) throw notFound('上传任务');
      if (!visible(principal, j)) throw forbidden('不是本账号的上传任务', 'not your upload');
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      const send = (job: Job) => {
        res.write(`event: job\ndata: ${JSON.stringify(job)}\n\n`);
        if (DONE.includes(job.status)) {
          app.jobs.events.off(params.id, send);
          res.end();
        }
      };
      app.jobs.events.on(params.id, send);
      req.on('close', () => app.jobs.events.off(params.id, send));
      send(app.jobs.get(params.id)!);
      return undefined;
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/uploads/:id/commit',
    tag: 'imports',
    summary: '提交已校验的上传 Commit a finished dry run (same files)',
    perm: 'import',
    params: jobParams,
    query: z.object({ wait: bool('等待完成 wait for the outcome') }).strict(),
    returns: 'as POST /api/v1/uploads',
    async handler({ req, app, principal, params, query }) {
      const j = app.jobs.get(params.id);
      if (!j) throw notFound('上传任务');
      if (!visible(principal, j)) throw forbidden('不是本账号的上传任务', 'not your upload');
      const started = app.jobs.commit(params.id, principal, req.ip);
      if (!started) throw new ApiError(409, 'NOT_COMMITTABLE', `只有校验通过的试导入可以提交，当前状态 ${j.status} (only a finished dry run can be committed)`);
      if (!on(query.wait)) return { status: 202, body: started.job };
      const final = await started.done;
      return { status: HTTP_STATUS[final.status], body: final };
    },
  }),
];
