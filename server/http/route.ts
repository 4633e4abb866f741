// Route declarations as data: method, path, permission, zod schemas for the
// query, path parameters and body, and a handler. The same declarations are
// mounted on Express (validation, permission, ETag/304, response cache,
// export formats, Arrow) and emitted as the OpenAPI document.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type express from 'express';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Permission, Principal } from '../auth/roles.ts';
import { can } from '../auth/roles.ts';
import type { CachedResponse } from './cache.ts';
import type { AppContext } from './context.ts';
import { ApiError, forbidden, unauthenticated } from './errors.ts';
import { ARROW_TYPE, type TableOut, toArrow, toCsv, toXlsx } from './table.ts';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface Handle<Q, P, B> {
  req: Request;
  res: Response;
  app: AppContext;
  principal: Principal;
  query: Q;
  params: P;
  body: B;
}

/** What a handler returns: a JSON body, optionally the table it shows (for csv/xlsx/Arrow). Undefined: it answered itself. */
export interface Reply {
  status?: number;
  body: unknown;
  table?: TableOut;
}

export interface RouteDef<Q extends AnyObject = AnyObject, P extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  /** 'public': no login needed (login itself, the session probe, health, OpenAPI). */
  perm: Permission | 'public';
  query?: Q;
  params?: P;
  body?: B;
  /** Data responses: ETag from (data version, route, query, scope); 304; response cache. */
  cache?: boolean;
  /** The table may be sent as an Arrow IPC stream. */
  arrow?: boolean;
  /** Response description for the OpenAPI document. */
  returns: string;
  handler: (h: Handle<z.output<Q>, z.output<P>, z.output<B>>) => Promise<Reply | undefined>;
}

export function route<Q extends AnyObject = AnyObject, P extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType>(
  def: RouteDef<Q, P, B>,
): RouteDef {
  return def as unknown as RouteDef;
}

function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || where;
  const msg = issue.code === 'unrecognized_keys' ? '不支持的参数 (unknown parameter)' : issue.message;
  throw new ApiError(400, 'BAD_PARAMETER', `参数「${name}」无效：${msg} (invalid ${where} parameter ${name})`, { param: name, in: where });
}

function etagOf(h: { app: AppContext; principal: Principal; req: Request }, kind: string): string {
  const q = Object.entries(h.req.query as Record<string, unknown>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
  const hash = createHash('sha1').update(`${h.req.path}?${q}|${h.principal.scope ?? '*'}|${kind}`).digest('base64url').slice(0, 20);
  return `W/"v${h.app.version}-${hash}"`;
}

/** Bodies below this are sent as they are. */
const GZIP_MIN_BYTES = 1024;

function acceptsGzip(req: Request): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/**
 * Send a cacheable response, gzipped when the client accepts it. The gzip of
 * a cached body is made once and kept beside it (a 10,000-community ranking:
 * 3.5 MB of JSON, about a tenth of that gzipped), so a warm hit costs a
 * lookup and a write.
 */
function sendCached(req: Request, res: Response, out: CachedResponse, status = 200): void {
  for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
  res.status(status).type(out.type);
  if (out.body.length >= GZIP_MIN_BYTES && acceptsGzip(req)) {
    out.gzip ??= gzipSync(out.body);
    res.setHeader('Content-Encoding', 'gzip');
    res.end(out.gzip);
    return;
  }
  res.end(out.body);
}

/** A data response's validators: revalidate every time (304 when unchanged). */
function cacheHeaders(res: Response, etag: string): void {
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept, Accept-Encoding, Cookie');
  res.setHeader('Cache-Control', 'private, no-cache');
}

function wantsArrow(req: Request): boolean {
  return (req.headers.accept ?? '').includes(ARROW_TYPE);
}

async function render(def: RouteDef, h: Handle<Record<string, unknown>, unknown, unknown>, reply: Reply) {
  const fmt = (h.query.format as string | undefined) ?? 'json';
  if (fmt !== 'json' && reply.table) {
    const t = reply.table;
    await h.app.audit({ actor: h.principal.username, role: h.principal.role, action: 'export', target: `${t.name}.${fmt}`, outcome: 'ok', ip: h.req.ip, detail: { path: h.req.originalUrl, rows: t.rows.length } });
    const file = encodeURIComponent(`${t.name}.${fmt}`);
    const headers = { 'Content-Disposition': `attachment; filename*=UTF-8''${file}` };
    if (fmt === 'csv') return { type: 'text/csv; charset=utf-8', body: toCsv(t), headers };
    return { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: await toXlsx(t), headers };
  }
  if (def.arrow && reply.table && wantsArrow(h.req)) return { type: ARROW_TYPE, body: toArrow(reply.table) };
  return { type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(reply.body)) };
}

export function mount(router: express.Router, app: AppContext, defs: RouteDef[]): void {
  for (const def of defs) {
    router[def.method](def.path, async (req, res) => {
      const principal = req.principal;
      if (def.perm !== 'public') {
        if (!principal) throw unauthenticated();
        if (!can(principal, def.perm)) throw forbidden(`角色「${principal.role}」${principal.demo ? '（演示模式，只读）' : ''}不能执行此操作`, `role ${principal.role} lacks ${def.perm}`);
      }
      // A repeat of a cached response is answered before validation: only a valid query's
      // 200 was ever cached, under a tag of its raw query, scope and data version.
      if (def.cache && principal && (req.query as { format?: unknown }).format === undefined) {
        const kind = def.arrow && wantsArrow(req) ? 'arrow' : 'json';
        const etag = etagOf({ app, principal, req }, kind);
        const fresh = req.headers['if-none-match'] === etag;
        const hit = !fresh && kind === 'json' ? app.caches.getResponse(etag) : undefined;
        if (fresh || hit) {
          cacheHeaders(res, etag);
          if (hit) sendCached(req, res, hit);
          else res.status(304).end();
          return;
        }
      }
      const query = def.query ? parseOr400(def.query, req.query, 'query') : {};
      const params = def.params ? parseOr400(def.params, req.params, 'path') : {};
      const body = def.body ? parseOr400(def.body, req.body, 'body') : undefined;
      const h = { req, res, app, principal: principal!, query: query as Record<string, unknown>, params, body };
      const fmt = (query as { format?: string }).format ?? 'json';
      if (def.cache && principal) {
        const kind = fmt !== 'json' ? fmt : def.arrow && wantsArrow(req) ? 'arrow' : 'json';
        const etag = etagOf(h, kind);
        cacheHeaders(res, etag);
        if (req.headers['if-none-match'] === etag) {
          res.status(304).end();
          return;
        }
        const hit = fmt === 'json' ? app.caches.getResponse(etag) : undefined;
        if (hit) {
          sendCached(req, res, hit);
          return;
        }
        const build = async () => {
          const reply = await def.handler(h as never);
          if (!reply) return null;
          const out: CachedResponse = await render(def, h, reply);
          if (fmt === 'json' && (reply.status ?? 200) === 200) app.caches.putResponse(etag, out);
          return { out, status: reply.status ?? 200 };
        };
        // the same response being built (by another request or the warm-up) is waited for, not built twice
        const done = fmt === 'json' ? await app.caches.buildOnce(etag, build) : await build();
        if (!done) return;
        sendCached(req, res, done.out, done.status);
        return;
      }
      const reply = await def.handler(h as never);
      if (!reply) return;
      const out = await render(def, h, reply);
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      res.status(reply.status ?? 200).type(out.type).send(out.body);
    });
  }
}

/**
 * Build and cache a GET route's JSON response as a request for `path?query`
 * by an account of this principal's scope would, without a request: the
 * warm-up does this for the requests the dashboard's landing page makes, so
 * the first visitor after a start or an import is answered from the cache.
 * Only cacheable routes whose handler needs nothing of the request but its
 * query (checked by the caller's list); a non-200 reply is not kept.
 */
export async function prebuildResponse(app: AppContext, defs: RouteDef[], principal: Principal, path: string, query: Record<string, string>): Promise<void> {
  const def = defs.find((d) => d.method === 'get' && d.path === path && d.cache);
  if (!def) throw new Error(`no cacheable GET route ${path}`);
  const req = { path, query, headers: {} } as unknown as Request;
  const etag = etagOf({ app, principal, req }, 'json');
  if (app.caches.getResponse(etag)) return;
  const parsed = def.query ? parseOr400(def.query, query, 'query') : {};
  const h = { req, res: undefined as unknown as Response, app, principal, query: parsed as Record<string, unknown>, params: {}, body: undefined };
  await app.caches.buildOnce(etag, async () => {
    const reply = await def.handler(h as never);
    if (!reply || (reply.status ?? 200) !== 200) return null;
    const out: CachedResponse = await render(def, h, reply);
    if (out.body.length >= GZIP_MIN_BYTES) out.gzip = gzipSync(out.body);
    app.caches.putResponse(etag, out);
    return { out, status: 200 };
  });
}
