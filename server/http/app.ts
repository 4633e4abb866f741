// The Express application over one store: security headers, request logging,
// sessions and CSRF, the /api/v1 routes (declared in routes/), the health
// page, the built client, and one error handler (no stack traces out).
// No listening here, so tests drive it directly.

import express from 'express';
import helmet from 'helmet';
import pino, { type Logger } from 'pino';
import { authenticate, csrf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import type { Store } from '../db/store.ts';
import { AppContext, type AppOptions } from './context.ts';
import { ApiError, errorHandler } from './errors.ts';
import { healthPage } from './health.ts';
import { mount, prebuildResponse } from './route.ts';
import { ROUTES } from './routes/index.ts';
import { staticClient } from './static.ts';

export type { AppOptions } from './context.ts';

function requestLog(log: Logger): express.RequestHandler {
  return (req, res, next) => {
    const t0 = performance.now();
    res.on('finish', () => {
      log.info(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(performance.now() - t0), user: req.principal?.username ?? null },
        'request',
      );
    });
    next();
  };
}

/**
 * The requests the dashboard's landing page (the overview, as `client/public/boot.js`
 * starts them) makes that are cached, as an account that sees everything makes them.
 */
const LANDING: [path: string, query: Record<string, string>][] = [
  ['/api/v1/overview/charts', {}],
  ['/api/v1/units', { shape: 'columns' }],
  ['/api/v1/periods', {}],
];

async function prebuildLanding(ctx: AppContext): Promise<void> {
  const everything: Principal = { username: 'warm-up', role: 'leader', scope: null, demo: false };
  for (const [path, query] of LANDING) {
    try {
      await prebuildResponse(ctx, ROUTES, everything, path, query);
    } catch (err) {
      // the first request builds it instead
      ctx.log.warn({ err, path }, 'landing response not prebuilt');
    }
  }
}

export function createApp(store: Store, opts: AppOptions = {}): express.Express & { locals: { ctx: AppContext } } {
  const log = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const ctx = new AppContext(store, log, opts);
  ctx.caches.landing = () => prebuildLanding(ctx);
  const ready = ctx.refreshVersion();
  ready.catch(() => {});
  const app = express();
  app.locals.ctx = ctx;
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? false);
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      hsts: false,
    }),
  );
  app.use(requestLog(log));
  app.use(express.json({ limit: '100kb' }));
  app.use(async (_req, _res, next) => {
    try {
      await ready;
      next();
    } catch (err) {
      next(err);
    }
  });
  app.use(authenticate(ctx));
  app.use('/api', csrf());
  const api = express.Router();
  mount(api, ctx, ROUTES);
  app.use(api);
  app.use('/api', (req, _res, next) => next(new ApiError(404, 'NOT_FOUND', `没有这个接口 ${req.method} ${req.path} (no such endpoint)`)));
  app.use(healthPage(ctx));
  const client = staticClient(opts.clientDir);
  if (client) app.use(client);
  app.use(errorHandler(log));
  return app as express.Express & { locals: { ctx: AppContext } };
}
