// Per request: the principal from the session cookie (or the read-only demo
// leader in demo mode), and CSRF protection on every state-changing request:
// a logged-in session must send its own token in X-CSRF-Token; an anonymous
// request (login) must echo the `sanshe_csrf` cookie (double submit).

import type { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import type { Principal } from './roles.ts';
import { newToken, type Session } from './sessions.ts';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
      session?: Session;
      sessionToken?: string;
    }
  }
}

export const SESSION_COOKIE = 'sanshe_sid';
export const CSRF_COOKIE = 'sanshe_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const DEMO_PRINCIPAL: Principal = { username: 'demo', role: 'leader', scope: null, demo: true };

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export function cookieOptions(req: Request, httpOnly = true) {
  return { httpOnly, sameSite: 'strict' as const, secure: req.secure, path: '/' };
}

export function setSessionCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req), maxAge: maxAgeMs });
}

/** The anonymous CSRF cookie (readable by the page so it can echo it). */
export function ensureCsrfCookie(req: Request, res: Response): string {
  const existing = parseCookies(req.headers.cookie)[CSRF_COOKIE];
  if (existing && /^[\w-]{20,100}$/.test(existing)) return existing;
  const t = newToken();
  res.cookie(CSRF_COOKIE, t, cookieOptions(req, false));
  return t;
}

export function authenticate(app: AppContext): RequestHandler {
  return async (req, _res, next) => {
    try {
      const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const session = token ? await app.sessions.lookup(token) : null;
      if (session) {
        req.session = session;
        req.sessionToken = token;
        req.principal = session.principal;
      } else if (app.demo) {
        req.principal = DEMO_PRINCIPAL;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrf(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const sent = req.headers[CSRF_HEADER];
    const expected = req.session ? req.session.csrf : parseCookies(req.headers.cookie)[CSRF_COOKIE];
    if (typeof sent !== 'string' || !expected || sent !== expected) {
      return next(new ApiError(403, 'CSRF', '缺少或无效的 CSRF 令牌，请刷新页面后重试 (missing or invalid CSRF token)'));
    }
    next();
  };
}
