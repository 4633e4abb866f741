// The Express application: routes mounted on a store. No listening here, so
// tests drive it directly.

import express, { type ErrorRequestHandler } from 'express';
import type { Store } from '../db/store.ts';
import { healthRouter } from './health.ts';

export function createApp(store: Store): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  app.use(healthRouter(store));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    // No stack traces to clients.
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    res.status(500).json({ error: 'internal_error', message: '服务器内部错误' });
  };
  app.use(onError);
  return app;
}
