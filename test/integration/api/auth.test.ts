// Accounts and sessions: CSRF on every state-changing request, session
// fixation, expiry and idle timeout, the login rate limit, roles on the
// account routes, demo mode, the audit log; and the refusal to bind a
// non-loopback address in demo mode.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindProblem } from '../../../server/auth/bind.ts';
import { createApp } from '../../../server/http/app.ts';
import { ROOT } from '../../helpers/fixtures.ts';
import { anonCsrf, buildFixture, type Fixture, login, PASSWORD } from './setup.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture({ periods: ['2015Q3'], app: { login: { max: 3, windowMs: 60_000 } } });
});
afterAll(() => fx?.store.close());

describe('CSRF', () => {
  it('a state-changing request without the token gets 403, with it passes', async () => {
    const { agent, csrf } = await login(fx.app, 'admin1');
    const body = { username: 'newstaff', role: 'staff', password: 'a-long-enough-pw' };
    const no = await agent.post('/api/v1/accounts').send(body);
    expect(no.status).toBe(403);
    expect(no.body.error).toBe('CSRF');
    const wrong = await agent.post('/api/v1/accounts').set('X-CSRF-Token', 'x'.repeat(43)).send(body);
    expect(wrong.status).toBe(403);
    const ok = await agent.post('/api/v1/accounts').set('X-CSRF-Token', csrf).send(body);
    expect(ok.status).toBe(201);
    for (const [m, url] of [['delete', '/api/v1/session'], ['patch', '/api/v1/accounts/newstaff'], ['post', '/api/v1/uploads']] as const) {
      expect((await agent[m](url).send({})).status, url).toBe(403);
    }
    // Login itself needs the anonymous double-submit token.
    const anon = request.agent(fx.app);
    expect((await anon.post('/api/v1/session').send({ username: 'leader1', password: PASSWORD })).status).toBe(403);
  });
});

describe('sessions', () => {
  it('login issues a fresh session id: a planted cookie is never adopted (fixation)', async () => {
    const agent = request.agent(fx.app);
    const csrf = await anonCsrf(agent);
    const planted = 'attacker-chosen-session-id-0123456789abcdef';
    agent.jar.setCookie(`sanshe_sid=${planted}; Path=/`);
    const r = await agent.post('/api/v1/session').set('X-CSRF-Token', csrf).send({ username: 'leader1', password: PASSWORD });
    expect(r.status).toBe(200);
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(/sanshe_sid=/);
    expect(setCookie).not.toContain(planted);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const attacker = await request(fx.app).get('/api/v1/session').set('Cookie', `sanshe_sid=${planted}`);
    expect(attacker.body.authenticated).toBe(false);
    // Logging in again replaces the session: the old id stops working.
    const first = /sanshe_sid=([^;]+)/.exec(setCookie)![1];
    const again = await agent.post('/api/v1/session').set('X-CSRF-Token', r.body.csrf_token).send({ username: 'leader1', password: PASSWORD });
    expect(again.status).toBe(200);
    expect((await request(fx.app).get('/api/v1/session').set('Cookie', `sanshe_sid=${first}`)).body.authenticated).toBe(false);
  });

  it('expired and idle sessions end; logout ends the session', async () => {
    const { agent, csrf } = await login(fx.app, 'eval1');
    expect((await agent.get('/api/v1/session')).body.authenticated).toBe(true);
    fx.app.locals.ctx.sessions.age(13 * 3600_000);
    expect((await agent.get('/api/v1/session')).body.authenticated).toBe(false);
    expect((await agent.get('/api/v1/units')).status).toBe(401);
    const b = await login(fx.app, 'eval1');
    expect((await b.agent.delete('/api/v1/session').set('X-CSRF-Token', b.csrf)).status).toBe(200);
    expect((await b.agent.get('/api/v1/units')).status).toBe(401);
    expect(csrf).not.toBe(b.csrf);
  });

  it('rate-limits failed logins with 429 and Retry-After', async () => {
    const agent = request.agent(fx.app);
    const csrf = await anonCsrf(agent);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await agent.post('/api/v1/session').set('X-CSRF-Token', csrf).send({ username: 'staff1', password: 'wrong-password' })).status);
    expect(codes).toEqual([401, 401, 401, 429]);
    const r = await agent.post('/api/v1/session').set('X-CSRF-Token', csrf).send({ username: 'staff1', password: PASSWORD });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    fx.app.locals.ctx.limiter.reset([`ip:${'::ffff:127.0.0.1'}`, 'ip:127.0.0.1', 'ip:::1', 'user:staff1']);
  });

  it('a disabled account cannot log in and its sessions end', async () => {
    const admin = await login(fx.app, 'admin1');
    const victim = await login(fx.app, 'street1');
    expect((await admin.agent.patch('/api/v1/accounts/street1').set('X-CSRF-Token', admin.csrf).send({ disabled: true })).status).toBe(200);
    expect((await victim.agent.get('/api/v1/units')).status).toBe(401);
    await expect(login(fx.app, 'street1')).rejects.toThrow(/401/);
    await admin.agent.patch('/api/v1/accounts/street1').set('X-CSRF-Token', admin.csrf).send({ disabled: false });
  });
});

describe('roles on accounts and audit', () => {
  it('only admin manages accounts; admin and evaluator read the audit log', async () => {
    for (const u of ['leader1', 'staff1', 'eval1', 'comm1']) {
      const { agent, csrf } = await login(fx.app, u);
      expect((await agent.get('/api/v1/accounts')).status, u).toBe(403);
      expect((await agent.post('/api/v1/accounts').set('X-CSRF-Token', csrf).send({ username: 'x1', role: 'leader', password: 'a-long-enough-pw' })).status, u).toBe(403);
    }
    const admin = await login(fx.app, 'admin1');
    expect((await admin.agent.post('/api/v1/accounts').set('X-CSRF-Token', admin.csrf).send({ username: 'c2', role: 'community', scope: '1', password: 'a-long-enough-pw' })).status).toBe(400);
    expect((await admin.agent.post('/api/v1/accounts').set('X-CSRF-Token', admin.csrf).send({ username: 'c2', role: 'leader', password: 'short' })).status).toBe(400);
    const ev = await login(fx.app, 'eval1');
    await ev.agent.get(`/api/v1/lineage?unit=${fx.codes.community}&indicator=volunteer_rate&period=2015Q3`).expect(200);
    await ev.agent.get(`/api/v1/units?format=csv`).expect(200);
    const log = (await ev.agent.get('/api/v1/audit')).body.rows as { action: string; outcome: string; actor: string }[];
    const actions = new Set(log.map((r) => `${r.action}:${r.outcome}`));
    for (const a of ['login:ok', 'login:failed', 'login:denied', 'account_create:ok', 'account_disable:ok', 'lineage_view:ok', 'export:ok']) expect(actions, a).toContain(a);
    const csv = await admin.agent.get('/api/v1/audit?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('操作人');
    expect((await admin.agent.get('/api/v1/audit?limit=0')).body.param).toBe('limit');
    // Times are UTC with a Z; `since` honours an offset (Beijing time here).
    const all = (await admin.agent.get('/api/v1/audit')).body.rows as { at: string }[];
    expect(all.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(r.at))).toBe(true);
    const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 16)}+08:00`;
    const oldest = Math.min(...all.map((r) => Date.parse(r.at)));
    const since = async (v: string) => (await admin.agent.get(`/api/v1/audit?since=${encodeURIComponent(v)}`)).body.rows as { at: string }[];
    expect((await since(beijing(oldest - 60_000))).length).toBeGreaterThanOrEqual(all.length);
    expect(await since(beijing(Date.now() + 120_000))).toEqual([]);
    expect((await admin.agent.get('/api/v1/audit?since=yesterday')).body.param).toBe('since');
  });
});

describe('demo mode', () => {
  it('answers as a read-only leader, says so, and refuses writes', async () => {
    const app = createApp(fx.store, { demo: true, logger: pino({ level: 'silent' }) });
    const agent = request.agent(app);
    const s = (await agent.get('/api/v1/session')).body;
    expect(s.demo).toBe(true);
    expect(s.user.role).toBe('leader');
    expect(s.user.role_zh).toContain('演示');
    expect(s.user.permissions).toEqual(['read']);
    expect((await agent.get('/api/v1/units')).status).toBe(200);
    const up = await agent.post('/api/v1/uploads').set('X-CSRF-Token', s.csrf_token).attach('files', Buffer.from('a,b\n'), 'x.csv');
    expect(up.status).toBe(403);
    expect((await agent.get('/api/v1/accounts')).status).toBe(403);
  });
});

describe('binding', () => {
  it('demo mode only on loopback; other addresses need accounts', () => {
    expect(bindProblem({ host: '127.0.0.1', demo: true, activeAccounts: 0 })).toBeNull();
    expect(bindProblem({ host: '0.0.0.0', demo: true, activeAccounts: 3 })).toMatch(/拒绝启动.*演示模式/);
    expect(bindProblem({ host: '192.168.1.5', demo: false, activeAccounts: 0 })).toMatch(/需要至少一个启用的账号/);
    expect(bindProblem({ host: '0.0.0.0', demo: false, activeAccounts: 1 })).toBeNull();
  });

  it('`npm start --host 0.0.0.0 --demo` refuses to start and says why', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts'), '--host', '0.0.0.0', '--demo', '--no-sample', '--db', join(fx.dir, 'other.duckdb')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('拒绝启动');
    expect(r.stderr).toContain('demo mode is only allowed on 127.0.0.1');
  });
});
