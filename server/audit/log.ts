// The audit log: append-only rows in the store (this module has no update or
// delete), readable by admin and evaluator, exportable like any table.
// Logins, imports, exports, lineage views and account changes are recorded.

import type { Store } from '../db/store.ts';
import { toUtcText, utcIsoSql } from '../db/time.ts';

export type AuditAction =
  | 'login'
  | 'logout'
  | 'import'
  | 'import_dry_run'
  | 'export'
  | 'lineage_view'
  | 'account_create'
  | 'account_passwd'
  | 'account_disable'
  | 'account_enable'
  | 'account_first_admin';

export interface AuditEntry {
  actor: string;
  role?: string | null;
  action: AuditAction;
  target?: string | null;
  outcome: 'ok' | 'denied' | 'failed' | 'rejected';
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'detail'>> {
  seq: number;
  at: string;
  detail: Record<string, unknown> | null;
}

export async function appendAudit(store: Store, e: AuditEntry): Promise<void> {
  await store.run(
    `INSERT INTO audit_log SELECT coalesce(max(seq), 0) + 1, CAST($at AS TIMESTAMP), $actor, $role, $action, $target, $outcome, $ip, $detail FROM audit_log`,
    {
      at: new Date().toISOString(),
      actor: e.actor,
      role: e.role ?? null,
      action: e.action,
      target: e.target ?? null,
      outcome: e.outcome,
      ip: e.ip ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    },
  );
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  /** A date or date-time; with Z or an offset (+08:00), else UTC. */
  since?: string;
  limit?: number;
}

export async function listAudit(store: Store, q: AuditQuery = {}): Promise<AuditRow[]> {
  const rows = await store.all<Record<string, unknown>>(
    `SELECT seq, ${utcIsoSql('ts')} AS at, actor, role, action, target, outcome, ip, CAST(detail AS VARCHAR) AS detail
     FROM audit_log
     WHERE ($action IS NULL OR action = $action) AND ($actor IS NULL OR actor = $actor)
       AND ($since IS NULL OR ts >= CAST($since AS TIMESTAMP))
     ORDER BY seq DESC LIMIT $limit`,
    { action: q.action ?? null, actor: q.actor ?? null, since: q.since ? toUtcText(q.since) : null, limit: q.limit ?? 1000 },
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: String(r.at),
    actor: String(r.actor),
    role: (r.role as string | null) ?? null,
    action: r.action as AuditAction,
    target: (r.target as string | null) ?? null,
    outcome: r.outcome as AuditEntry['outcome'],
    ip: (r.ip as string | null) ?? null,
    detail: r.detail ? (JSON.parse(String(r.detail)) as Record<string, unknown>) : null,
  }));
}
