// GET /api/v1/events: a server-sent event stream of the data version, sent at
// once and again each time the server's numbers move to a new version (after
// an import is taken in), so an open dashboard reloads its data by itself.

import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../server/import/importer.ts';
import { buildFixture, type Fixture } from './setup.ts';

let fx: Fixture;

beforeAll(async () => {
  fx = await buildFixture({ periods: ['2015Q3'], app: { demo: true } });
  await fx.app.locals.ctx.refreshVersion();
}, 120_000);

afterAll(() => fx.store.close());

/** The `version` events of the stream as they arrive. */
function subscribe(url: string): { events: { version: number; mode: string | null }[]; next: (n: number) => Promise<void>; close: () => void; status: Promise<number> } {
  const events: { version: number; mode: string | null }[] = [];
  const waiters: [number, () => void][] = [];
  let buf = '';
  let close = () => {};
  const status = new Promise<number>((resolve) => {
    const req = get(url, (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let cut = buf.indexOf('\n\n');
        while (cut >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (/^event: version$/m.test(block) && data) events.push(JSON.parse(data.slice(6)));
          for (const [n, w] of waiters.splice(0)) if (events.length >= n) w();
          cut = buf.indexOf('\n\n');
        }
      });
    });
    close = () => req.destroy();
  });
  const next = (n: number) => new Promise<void>((resolve) => (events.length >= n ? resolve() : waiters.push([n, resolve])));
  return { events, next, close: () => close(), status };
}

describe('data version events', () => {
  it('sends the version at once and again after an import is taken in', async () => {
    const ctx = fx.app.locals.ctx;
    const server = fx.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const s = subscribe(`http://127.0.0.1:${port}/api/v1/events`);
    try {
      expect(await s.status).toBe(200);
      await s.next(1);
      expect(s.events[0]).toEqual({ version: ctx.version, mode: null });
      const summary = await importPaths(fx.store, [join(fx.sampleDir, '2015Q4')], { source: 'test', importedBy: 'test' });
      await ctx.refreshVersion(summary.batchId);
      await s.next(2);
      expect(s.events[1]).toEqual({ version: ctx.version, mode: 'recomputed' });
      expect(s.events[1].version).toBe(s.events[0].version + 1);
      // the listener goes with the connection
      s.close();
      await new Promise((r) => setTimeout(r, 200));
      expect(ctx.versions.listenerCount('version')).toBe(0);
    } finally {
      s.close();
      server.closeAllConnections();
      server.close();
    }
  }, 120_000);

  it('names a bad parameter in a 400', async () => {
    const r = await request(fx.app).get('/api/v1/events?x=1').expect(400);
    expect(r.body.param).toBe('x');
  });
});
