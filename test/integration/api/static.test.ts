// The built client: hashed assets gzipped for browsers that accept it (the
// same bytes once decoded), plain otherwise; the SPA fallback to index.html.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../server/db/store.ts';
import { createApp } from '../../../server/http/app.ts';
import { tempDir } from '../../helpers/fixtures.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
const js = `export const x = ${JSON.stringify('三社联动 '.repeat(400))};\n`;

beforeAll(async () => {
  const dir = tempDir('sanshe-static-');
  const client = join(dir, 'dist');
  mkdirSync(join(client, 'assets'), { recursive: true });
  writeFileSync(join(client, 'index.html'), '<!doctype html><title>看板</title><script type="module" src="/assets/main-abc123.js"></script>');
  writeFileSync(join(client, 'assets', 'main-abc123.js'), js);
  store = await Store.open(join(dir, 's.duckdb'));
  app = createApp(store, { demo: true, logger: pino({ level: 'silent' }), clientDir: client });
});
afterAll(() => store.close());

describe('static client', () => {
  it('gzips hashed assets for browsers that accept gzip, with long caching', async () => {
    const r = await request(app)
      .get('/assets/main-abc123.js')
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toContain('immutable');
    // supertest may already have inflated it; either way the bytes are the file's
    const body = r.body as Buffer;
    const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
    expect(text).toBe(js);
  });

  it('sends them plain otherwise', async () => {
    const r = await request(app).get('/assets/main-abc123.js').set('Accept-Encoding', 'identity').expect(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.text).toBe(js);
  });

  it('falls back to index.html for page routes', async () => {
    const r = await request(app).get('/overview').set('Accept', 'text/html').expect(200);
    expect(r.text).toContain('main-abc123.js');
  });
});
