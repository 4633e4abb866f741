// Serves the built dashboard (client/dist) when it exists: hashed assets
// with long caching (gzipped once at start for browsers that accept it:
// ECharts alone is 700 KB of JavaScript, about a third of that gzipped),
// every other non-API GET falls back to index.html (SPA).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import express, { type Router } from 'express';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/** The gzip of every compressible asset, by file name. */
function gzipAssets(dir: string): Map<string, { type: string; gz: Buffer }> {
  const out = new Map<string, { type: string; gz: Buffer }>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    if (body.length < 1024) continue;
    out.set(name, { type, gz: gzipSync(body, { level: 9 }) });
  }
  return out;
}

export function staticClient(dir = resolve('client/dist')): Router | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const r = express.Router();
  const gz = gzipAssets(join(dir, 'assets'));
  r.get('/assets/:name', (req, res, next) => {
    const a = gz.get(req.params.name);
    if (!a || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return next();
    res.setHeader('Content-Type', a.type);
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.end(a.gz);
  });
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
