// What every route sees: the store behind its gate, the data version, the
// caches, sessions, the rate limiter, the logger and the settings.

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { type AuditEntry, appendAudit } from '../audit/log.ts';
import { RateLimiter } from '../auth/ratelimit.ts';
import { type SessionOptions, Sessions } from '../auth/sessions.ts';
import type { Store } from '../db/store.ts';
import { Caches } from './cache.ts';
import { Gate } from './gate.ts';
import { Jobs } from './upload/jobs.ts';

export interface AppOptions {
  /** Demo mode: requests without a session act as a read-only `leader`. Only on loopback. */
  demo?: boolean;
  /** Express `trust proxy` (set when behind a TLS-terminating proxy). */
  trustProxy?: boolean | string | number;
  logger?: Logger;
  sessions?: SessionOptions;
  login?: { max?: number; windowMs?: number };
  upload?: UploadLimits;
  /** Folder of the built client (default client/dist). */
  clientDir?: string;
  /**
   * After start and after every import, compute this plan's reports for the
   * latest periods in the background (server/main.ts: the dashboard's
   * default plan). Off by default, so tests decide when the pipeline runs.
   */
  warmPlan?: string;
}

export interface UploadLimits {
  /** Bytes of one uploaded file (default 100 MiB). */
  maxFileBytes: number;
  /** Bytes of one request (default 300 MiB). */
  maxTotalBytes: number;
  /** Files per request (default 500). */
  maxFiles: number;
  /** Uncompressed bytes a zip may expand to (default 500 MiB). */
  maxZipBytes: number;
}

export const DEFAULT_UPLOAD: UploadLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxTotalBytes: 300 * 1024 * 1024,
  maxFiles: 500,
  maxZipBytes: 500 * 1024 * 1024,
};

export class AppContext {
  readonly gate = new Gate();
  readonly sessions: Sessions;
  readonly limiter: RateLimiter;
  readonly caches: Caches;
  readonly upload: UploadLimits;
  readonly jobs: Jobs;
  /** The store's data version; -1 until the first check, so a store at version 0 is warmed too. */
  version = -1;
  /** `version` events ({ version, mode }) once the caches hold a new data version (GET /api/v1/events). */
  readonly versions = new EventEmitter().setMaxListeners(0);

  constructor(
    readonly store: Store,
    readonly log: Logger,
    readonly opts: AppOptions,
  ) {
    this.sessions = new Sessions(store, (fn) => this.gate.run(fn), opts.sessions);
    this.limiter = new RateLimiter(opts.login?.max, opts.login?.windowMs);
    this.caches = new Caches(this);
    this.upload = { ...DEFAULT_UPLOAD, ...opts.upload };
    this.jobs = new Jobs(this);
  }

  get demo(): boolean {
    return !!this.opts.demo;
  }

  /** Run a store job behind the gate. */
  db<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.gate.run(() => fn(this.store));
  }

  private versionCheck: Promise<unknown> = Promise.resolve();

  /**
   * Take in the store's data version. After one committed import (`batchId`,
   * the version one up), the caches follow it in place when they can
   * (Caches.follow: a few communities' exports refreshed into the cached runs
   * and reports, 0.4-0.7 s at province scale); otherwise they are dropped. Then
   * the warm-up (re)builds what the dashboard opens on. One check at a time.
   */
  refreshVersion(batchId?: number | null): Promise<number> {
    const next = this.versionCheck.then(() => this.checkVersion(batchId ?? null));
    this.versionCheck = next.catch(() => {});
    return next;
  }

  private async checkVersion(batchId: number | null): Promise<number> {
    const t0 = performance.now();
    const v = await this.db((s) => s.dataVersion());
    if (v === this.version) return v;
    const from = this.version;
    let reason = from < 0 ? 'first check' : batchId === null ? 'not an import' : v !== from + 1 ? 'several changes' : null;
    if (reason === null) {
      try {
        reason = await this.caches.follow(from, v, batchId!);
      } catch (err) {
        this.log.error({ err }, 'patching the caches failed; recomputing');
        reason = 'the refresh failed';
      }
    }
    if (reason !== null) {
      this.version = v;
      await this.caches.invalidate();
      this.caches.lastChange = { version: v, mode: 'recomputed', units: [], reason, ms: performance.now() - t0 };
    }
    this.log.info(this.caches.lastChange, 'data version changed');
    this.versions.emit('version', { version: v, mode: this.caches.lastChange?.mode ?? 'recomputed' });
    if (this.opts.warmPlan) void this.caches.warm(this.opts.warmPlan);
    return v;
  }

  async audit(e: AuditEntry): Promise<void> {
    try {
      await this.db((s) => appendAudit(s, e));
    } catch (err) {
      this.log.error({ err }, 'audit append failed');
    }
  }
}
