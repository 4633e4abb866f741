// Graceful shutdown: SIGTERM to a real server while an uploaded import is
// running lets the import finish and commit (all of it), then the process
// exits 0 and the store is consistent; nothing half-loaded.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../server/auth/accounts.ts';
import { Store } from '../../../server/db/store.ts';
import { importOk, openFreshStore, profileRows, ROOT, writeBigVolunteerCsv, writeExport, writeText, XINCUN } from '../../helpers/fixtures.ts';
import { consistencyViolations } from '../../helpers/snapshot.ts';

const ROWS = 400_000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Cookie jar of one client: name=value pairs from Set-Cookie headers. */
class Client {
  private jar = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (this.csrf) headers.set('X-CSRF-Token', this.csrf);
    const r = await fetch(`${this.base}${path}`, { ...init, headers });
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const eq = kv.indexOf('=');
      this.jar.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    return r;
  }
}

describe('graceful shutdown', () => {
  it('SIGTERM during an uploaded import: the import commits whole, then the server exits 0', async () => {
    const { dir, dbPath, store } = await openFreshStore();
    await importOk(store, [await writeExport(dir, 'xlsx', { stem: '新村社区_2016Q3', tables: { 基本情况: profileRows(XINCUN, '2016Q3') } })]);
    await createAccount(store, { username: 'staff9', role: 'staff', password: 'a-long-enough-password' });
    store.close();
    const profile = writeText(join(dir, 'up', '新村社区_2016Q4_基本情况.csv'), profileRows(XINCUN, '2016Q4'));
    const roster = writeBigVolunteerCsv(join(dir, 'up', '新村社区_2016Q4_志愿者.csv'), ROWS);

    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), '--no-sample'], {
      cwd: ROOT,
      env: { ...process.env, SANSHE_DB: dbPath, PORT: String(port), HOST: '127.0.0.1', SANSHE_DEMO: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const c = new Client(`http://127.0.0.1:${port}`);
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`server exited:\n${log}`);
        const ok = await c.fetch('/api/v1/health').then((r) => r.ok, () => false);
        if (ok) break;
        if (i > 400) throw new Error(`server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      c.csrf = ((await (await c.fetch('/api/v1/session')).json()) as { csrf_token: string }).csrf_token;
      const login = await c.fetch('/api/v1/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'staff9', password: 'a-long-enough-password' }),
      });
      expect(login.status, await login.clone().text()).toBe(200);
      c.csrf = ((await login.json()) as { csrf_token: string }).csrf_token;

      const form = new FormData();
      for (const p of [profile, roster]) form.append('files', new Blob([readFileSync(p)]), p.split('/').pop());
      const up = await c.fetch('/api/v1/uploads', { method: 'POST', body: form });
      expect(up.status, await up.clone().text()).toBe(202);
      const job = (await up.json()) as { id: string };
      let status = '';
      for (let i = 0; i < 600 && status !== 'running'; i++) {
        status = ((await (await c.fetch(`/api/v1/uploads/${job.id}`)).json()) as { status: string }).status;
        if (status !== 'running') await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe('running'); // the import is in flight when the signal arrives
      child.kill('SIGTERM');
      expect(await exited, log).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const after = await Store.open(dbPath);
    try {
      expect(await consistencyViolations(after)).toEqual([]);
      const b = await after.all<{ status: string; row_count: number }>(`SELECT status, row_count::INTEGER AS row_count FROM import_batches ORDER BY batch_id`);
      expect(b.map((x) => x.status)).toEqual(['committed', 'committed']);
      const v = await after.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM cur_volunteers WHERE org_unit = $u AND period = '2016Q4'`, { u: XINCUN.code });
      expect(v?.n).toBe(ROWS);
    } finally {
      after.close();
    }
  }, 240_000);
});
