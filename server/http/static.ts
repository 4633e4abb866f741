// Serves the built dashboard (client/dist) when it exists: hashed assets
// with long caching, every other non-API GET falls back to index.html (SPA).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

export function staticClient(dir = resolve('client/dist')): Router | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const r = express.Router();
  r.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: true }),
  );
  r.use(express.static(dir, { index: false, maxAge: 0 }));
  r.get(/^\/(?!api\/|health$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
