// Upload jobs: each runs the CLI's importer (all or nothing) behind the
// store gate, with progress for polling or server-sent events. A dry run
// keeps its files so the same upload can then be committed. Scoped accounts
// (community) may only load their own unit: checked inside the import's
// transaction, so a violation rolls everything back.

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import type { Principal } from '../../auth/roles.ts';
import type { Store } from '../../db/store.ts';
import { type ImportProgress, type ImportSummary, importPaths } from '../../import/importer.ts';
import { ImportRejected, type Problem } from '../../import/problems.ts';
import type { AppContext } from '../context.ts';
import type { Received } from './receive.ts';

export type JobStatus = 'queued' | 'running' | 'dry_run' | 'committed' | 'unchanged' | 'rejected' | 'forbidden' | 'too_large' | 'failed';

export interface Job {
  id: string;
  owner: string;
  scope: string | null;
  dry_run: boolean;
  status: JobStatus;
  files: { name: string; bytes: number }[];
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  problems: Problem[];
  message: string | null;
  created_at: string;
  finished_at: string | null;
  /** After a commit: how the dashboard's computed numbers took it in (patched in place, or being recomputed). */
  dashboard: { mode: 'patched' | 'recomputed'; ms: number; reason: string | null } | null;
}

export const DONE: JobStatus[] = ['dry_run', 'committed', 'unchanged', 'rejected', 'forbidden', 'too_large', 'failed'];

export const HTTP_STATUS: Record<JobStatus, number> = {
  queued: 202,
  running: 202,
  dry_run: 200,
  committed: 200,
  unchanged: 200,
  rejected: 422,
  forbidden: 403,
  too_large: 413,
  failed: 500,
};

class ScopeViolation extends Error {
  constructor(readonly units: string[]) {
    super('scope');
  }
}

/** Every unit of the batch being loaded (the store's latest) must lie inside the scope. */
function scopeCheck(scope: string): (store: Store) => Promise<void> {
  return async (store) => {
    const bad = await store.all<{ u: string }>(
      `WITH b AS (SELECT max(batch_id) AS id FROM import_batches)
       SELECT DISTINCT org_unit AS u FROM exports, b WHERE batch_id = b.id AND NOT starts_with(org_unit, $s)
       UNION SELECT DISTINCT code FROM org_units, b WHERE batch_id = b.id AND NOT starts_with(code, $s)`,
      { s: scope },
    );
    if (bad.length) throw new ScopeViolation(bad.map((r) => r.u));
  };
}

export class Jobs {
  private readonly jobs = new Map<string, Job & { dir: string }>();
  readonly events = new EventEmitter();
  private running = new Set<Promise<unknown>>();

  constructor(private readonly app: AppContext) {
    this.events.setMaxListeners(0);
  }

  get(id: string): Job | undefined {
    const j = this.jobs.get(id);
    return j ? publicJob(j) : undefined;
  }

  /** Start importing received files; resolves when done. */
  start(p: Principal, received: Received, dryRun: boolean, ip?: string): { job: Job; done: Promise<Job> } {
    const job: Job & { dir: string } = {
      id: randomUUID(),
      owner: p.username,
      scope: p.scope,
      dry_run: dryRun,
      status: 'queued',
      files: received.files.map((f) => ({ name: f.name, bytes: f.bytes })),
      progress: null,
      summary: null,
      problems: [],
      message: null,
      created_at: new Date().toISOString(),
      finished_at: null,
      dashboard: null,
      dir: received.dir,
    };
    this.jobs.set(job.id, job);
    const done = this.run(job, p, ip);
    return { job: publicJob(job), done };
  }

  /** Commit a finished dry run's files. */
  commit(id: string, p: Principal, ip?: string): { job: Job; done: Promise<Job> } | null {
    const old = this.jobs.get(id);
    if (!old || old.status !== 'dry_run') return null;
    this.jobs.delete(id);
    return this.start(p, { dir: old.dir, files: old.files.map((f) => ({ ...f, path: '' })) }, false, ip);
  }

  private run(job: Job & { dir: string }, p: Principal, ip?: string): Promise<Job> {
    const emit = () => this.events.emit(job.id, publicJob(job));
    let committed = false;
    const work = this.app.gate.run(async () => {
      job.status = 'running';
      emit();
      try {
        const summary = await importPaths(this.app.store, [job.dir], {
          beforeCommit: p.scope ? scopeCheck(p.scope) : undefined,
          dryRun: job.dry_run,
          source: 'http',
          importedBy: p.username,
          limits: { maxFileBytes: this.app.upload.maxFileBytes, maxZipBytes: this.app.upload.maxZipBytes },
          onProgress: (pr) => {
            job.progress = pr;
            emit();
          },
        });
        job.summary = summary;
        job.problems = summary.problems;
        // a commit is reported once the dashboard's caches have taken it in (below): a client
        // that reloads on `committed` then gets the new numbers, not the cached old ones
        if (summary.status === 'committed') committed = true;
        else job.status = summary.status;
      } catch (err) {
        if (err instanceof ImportRejected) {
          job.problems = err.problems;
          const big = err.problems.find((x) => x.severity === 'error' && (x.code === 'ZIP_TOO_LARGE' || x.code === 'FILE_TOO_LARGE'));
          job.status = big ? 'too_large' : 'rejected';
          job.message = big ? `上传过大：${big.message} (too large)` : err.message;
        } else if (err instanceof ScopeViolation) {
          job.status = 'forbidden';
          job.message = `无权导入：本账号只能导入 ${p.scope} 的数据，上传包含 ${err.units.slice(0, 5).join('、')} (forbidden: outside scope)`;
        } else {
          job.status = 'failed';
          job.message = '导入失败，数据库未作任何更改 (import failed; nothing was stored)';
          this.app.log.error({ err }, 'import failed');
        }
      }
    });
    const finish = work.then(async () => {
      job.finished_at = new Date().toISOString();
      if (job.status !== 'dry_run') rmSync(job.dir, { recursive: true, force: true });
      if (committed) {
        try {
          await this.app.refreshVersion(job.summary?.batchId);
          const c = this.app.caches.lastChange;
          job.dashboard = c ? { mode: c.mode, ms: Math.round(c.ms), reason: c.reason } : null;
        } catch (err) {
          this.app.log.error({ err }, 'taking in the new data version failed');
        }
        job.status = 'committed';
      }
      await this.app.audit({
        actor: p.username,
        role: p.role,
        action: job.dry_run ? 'import_dry_run' : 'import',
        target: job.files.map((f) => f.name).join(', ').slice(0, 500),
        outcome: job.status === 'committed' || job.status === 'dry_run' || job.status === 'unchanged' ? 'ok' : job.status === 'forbidden' ? 'denied' : 'rejected',
        ip,
        detail: { job: job.id, status: job.status, batch: job.summary?.batchId ?? null, rows: job.summary?.rows ?? 0, errors: job.problems.filter((x) => x.severity === 'error').length },
      });
      emit();
      return publicJob(job);
    });
    this.running.add(finish);
    finish.finally(() => this.running.delete(finish)).catch(() => {});
    return finish;
  }

  /** For graceful shutdown: wait for imports in flight to finish (commit or roll back). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Remove kept dry-run folders. */
  cleanup(): void {
    for (const j of this.jobs.values()) if (j.status === 'dry_run') rmSync(j.dir, { recursive: true, force: true });
  }
}

function publicJob(j: Job & { dir?: string }): Job {
  const { dir: _dir, ...rest } = j;
  return { ...rest, files: [...rest.files], problems: rest.problems };
}
