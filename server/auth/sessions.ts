// Server-side sessions: a random token in an HttpOnly cookie, only its
// SHA-256 kept (in the store, and in memory so a request costs no query).
// Each login gets a fresh token (no fixation); sessions end at an absolute
// expiry or after being idle; a password change or disable ends them all.

import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../db/store.ts';
import type { Principal, Role } from './roles.ts';

export interface Session {
  principal: Principal;
  csrf: string;
  expiresAt: number;
  lastSeen: number;
}

export interface SessionOptions {
  /** Absolute lifetime (default 12 h). */
  ttlMs?: number;
  /** Idle timeout (default 2 h). */
  idleMs?: number;
}

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export class Sessions {
  private readonly mem = new Map<string, Session>();
  readonly ttlMs: number;
  readonly idleMs: number;

  constructor(
    private readonly store: Store,
    private readonly exec: <T>(fn: () => Promise<T>) => Promise<T>,
    opts: SessionOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 12 * 3600_000;
    this.idleMs = opts.idleMs ?? 2 * 3600_000;
  }

  async create(principal: Principal): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const now = Date.now();
    const session: Session = { principal, csrf: newToken(), expiresAt: now + this.ttlMs, lastSeen: now };
    await this.exec(() =>
      this.store.run(`INSERT INTO sessions VALUES ($h, $u, $c, CAST($now AS TIMESTAMP), CAST($exp AS TIMESTAMP))`, {
        h: sha(token),
        u: principal.username,
        c: session.csrf,
        now: new Date(now).toISOString(),
        exp: new Date(session.expiresAt).toISOString(),
      }),
    );
    this.mem.set(sha(token), session);
    return { token, session };
  }

  /** The live session of a token, or null (unknown, expired, idle, or the account disabled). */
  async lookup(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    const h = sha(token);
    let s = this.mem.get(h);
    if (!s) {
      const row = await this.exec(() =>
        this.store.one<{ username: string; csrf: string; exp: number; role: Role; scope: string | null; disabled: boolean }>(
          `SELECT s.username, s.csrf, epoch_ms(s.expires_at) AS exp, a.role, a.scope, a.disabled
           FROM sessions s JOIN accounts a ON a.username = s.username WHERE s.id_hash = $h`,
          { h },
        ),
      );
      if (!row || row.disabled) return null;
      s = { principal: { username: row.username, role: row.role, scope: row.scope, demo: false }, csrf: row.csrf, expiresAt: Number(row.exp), lastSeen: Date.now() };
      this.mem.set(h, s);
    }
    const now = Date.now();
    if (now >= s.expiresAt || now - s.lastSeen >= this.idleMs) {
      await this.destroy(token);
      return null;
    }
    s.lastSeen = now;
    return s;
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    const h = sha(token);
    this.mem.delete(h);
    await this.exec(() => this.store.run(`DELETE FROM sessions WHERE id_hash = $h`, { h }));
  }

  /** Forget every in-memory session of a user (the store rows are deleted by accounts.ts). */
  forgetUser(username: string): void {
    for (const [h, s] of this.mem) if (s.principal.username === username) this.mem.delete(h);
  }

  /** Test hook: age every session by `ms`. */
  age(ms: number): void {
    for (const s of this.mem.values()) {
      s.expiresAt -= ms;
      s.lastSeen -= ms;
    }
  }
}
