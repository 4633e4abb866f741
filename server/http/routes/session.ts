// Login, logout and the session probe. Every login issues a new session id
// (fixation-proof); failures are rate limited per address and per username
// and audited.

import { z } from 'zod';
import { authenticate as checkPassword } from '../../auth/accounts.ts';
import { ensureCsrfCookie, SESSION_COOKIE, setSessionCookie } from '../../auth/middleware.ts';
import { ROLE_ZH } from '../../auth/roles.ts';
import { ApiError } from '../errors.ts';
import { route } from '../route.ts';

export const sessionRoutes = [
  route({
    method: 'get',
    path: '/api/v1/session',
    tag: 'session',
    summary: '当前会话 Who am I: user, role, scope, demo flag and the CSRF token',
    perm: 'public',
    query: z.object({}).strict(),
    returns: '{ authenticated, demo, user: {username, role, role_zh, scope, permissions} | null, csrf_token, login_required }',
    async handler({ req, res, principal }) {
      const csrfToken = req.session ? req.session.csrf : ensureCsrfCookie(req, res);
      const { can } = await import('../../auth/roles.ts');
      return {
        body: {
          authenticated: !!req.session,
          demo: !!principal?.demo,
          user: principal
            ? {
                username: principal.username,
                role: principal.role,
                role_zh: principal.demo ? `${ROLE_ZH[principal.role]}（演示，只读）` : ROLE_ZH[principal.role],
                scope: principal.scope,
                permissions: (['read', 'import', 'accounts', 'audit'] as const).filter((p) => can(principal, p)),
              }
            : null,
          csrf_token: csrfToken,
          login_required: !principal,
        },
      };
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/session',
    tag: 'session',
    summary: '登录 Login (JSON {username, password}); sets a new session cookie',
    perm: 'public',
    body: z.object({ username: z.string().min(1, '必填 (required)').max(100), password: z.string().min(1, '必填 (required)').max(200) }).strict(),
    returns: '{ user, csrf_token, must_change }',
    async handler({ req, res, app, body }) {
      const keys = [`ip:${req.ip}`, `user:${body.username.toLowerCase()}`];
      const wait = app.limiter.blockedFor(keys);
      if (wait > 0) {
        res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
        await app.audit({ actor: body.username, action: 'login', outcome: 'denied', ip: req.ip, detail: { reason: 'rate_limited' } });
        throw new ApiError(429, 'RATE_LIMITED', `登录失败次数过多，请 ${Math.ceil(wait / 60000)} 分钟后再试 (too many login attempts)`);
      }
      const principal = await app.db((s) => checkPassword(s, body.username, body.password));
      if (!principal) {
        app.limiter.fail(keys);
        await app.audit({ actor: body.username, action: 'login', outcome: 'failed', ip: req.ip });
        throw new ApiError(401, 'BAD_CREDENTIALS', '用户名或密码错误，或账号已停用 (wrong username or password, or account disabled)');
      }
      app.limiter.reset([`user:${body.username.toLowerCase()}`]);
      // Never reuse an incoming session id: end it and issue a fresh one.
      if (req.sessionToken) await app.sessions.destroy(req.sessionToken);
      const { token, session } = await app.sessions.create(principal);
      setSessionCookie(req, res, token, app.sessions.ttlMs);
      const acct = await app.db((s) => s.one<{ must_change: boolean }>(`SELECT must_change FROM accounts WHERE username = $u`, { u: principal.username }));
      await app.audit({ actor: principal.username, role: principal.role, action: 'login', outcome: 'ok', ip: req.ip });
      return {
        body: {
          user: { username: principal.username, role: principal.role, role_zh: ROLE_ZH[principal.role], scope: principal.scope },
          csrf_token: session.csrf,
          must_change: !!acct?.must_change,
        },
      };
    },
  }),
  route({
    method: 'delete',
    path: '/api/v1/session',
    tag: 'session',
    summary: '退出 Logout',
    perm: 'public',
    returns: '{ ok: true }',
    async handler({ req, res, app }) {
      if (req.sessionToken) {
        await app.sessions.destroy(req.sessionToken);
        await app.audit({ actor: req.principal?.username ?? '?', role: req.principal?.role, action: 'logout', outcome: 'ok', ip: req.ip });
      }
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return { body: { ok: true } };
    },
  }),
];
