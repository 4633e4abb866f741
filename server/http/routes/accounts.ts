// Accounts (admin only): list, create, change password, disable/enable; and
// changing one's own password. Every change is audited.

import { z } from 'zod';
import { AccountError, authenticate, createAccount, listAccounts, setDisabled, setPassword } from '../../auth/accounts.ts';
import { ROLES } from '../../auth/roles.ts';
import type { AppContext } from '../context.ts';
import { ApiError, unauthenticated } from '../errors.ts';
import { route } from '../route.ts';

function asApi(err: unknown): never {
  if (err instanceof AccountError) throw new ApiError(err.code === 'NO_SUCH_ACCOUNT' ? 404 : err.code === 'EXISTS' ? 409 : 400, err.code, err.message);
  throw err;
}

const username = z.string().min(1).max(40).describe('用户名 username');

export const accountsRoutes = [
  route({
    method: 'get',
    path: '/api/v1/accounts',
    tag: 'accounts',
    summary: '账号列表 Accounts (admin)',
    perm: 'accounts',
    query: z.object({}).strict(),
    returns: '{ rows: {username, role, scope, disabled, must_change, created_at, updated_at}[] }',
    async handler({ app }) {
      return { body: { rows: await app.db((s) => listAccounts(s)) } };
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/accounts',
    tag: 'accounts',
    summary: '新建账号 Create an account (admin)',
    perm: 'accounts',
    body: z.object({ username, role: z.enum(ROLES), scope: z.string().nullable().optional(), password: z.string().min(1).max(200) }).strict(),
    returns: '201 { account }',
    async handler({ app, principal, body, req }) {
      const account = await app.db((s) => createAccount(s, body)).catch(asApi);
      await app.audit({ actor: principal.username, role: principal.role, action: 'account_create', target: body.username, outcome: 'ok', ip: req.ip, detail: { role: body.role, scope: body.scope ?? null } });
      return { status: 201, body: { account } };
    },
  }),
  route({
    method: 'patch',
    path: '/api/v1/accounts/:username',
    tag: 'accounts',
    summary: '修改账号 Set password and/or disable an account (admin)',
    perm: 'accounts',
    params: z.object({ username }),
    body: z.object({ password: z.string().min(1).max(200).optional(), disabled: z.boolean().optional() }).strict(),
    returns: '{ ok: true }',
    async handler({ app, principal, params, body, req }) {
      if (body.password !== undefined) {
        await app.db((s) => setPassword(s, params.username, body.password!, true)).catch(asApi);
        app.sessions.forgetUser(params.username);
        await app.audit({ actor: principal.username, role: principal.role, action: 'account_passwd', target: params.username, outcome: 'ok', ip: req.ip });
      }
      if (body.disabled !== undefined) {
        await app.db((s) => setDisabled(s, params.username, body.disabled!)).catch(asApi);
        if (body.disabled) app.sessions.forgetUser(params.username);
        await app.audit({ actor: principal.username, role: principal.role, action: body.disabled ? 'account_disable' : 'account_enable', target: params.username, outcome: 'ok', ip: req.ip });
      }
      return { body: { ok: true } };
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/session/password',
    tag: 'session',
    summary: '修改本人密码 Change my password (ends my other sessions)',
    perm: 'public',
    body: z.object({ old_password: z.string().min(1).max(200), new_password: z.string().min(1).max(200) }).strict(),
    returns: '{ ok: true } (log in again)',
    async handler({ app, req, body }) {
      const p = req.session?.principal;
      if (!p) throw unauthenticated();
      const ok = await (app as AppContext).db((s) => authenticate(s, p.username, body.old_password));
      if (!ok) throw new ApiError(403, 'BAD_CREDENTIALS', '原密码错误 (old password is wrong)');
      await app.db((s) => setPassword(s, p.username, body.new_password, false)).catch(asApi);
      app.sessions.forgetUser(p.username);
      await app.audit({ actor: p.username, role: p.role, action: 'account_passwd', target: p.username, outcome: 'ok', ip: req.ip });
      return { body: { ok: true } };
    },
  }),
];
