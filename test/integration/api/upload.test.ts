// Uploads through the importer: a bad file gets 422 with the problems table
// and leaves the store unchanged; a good one commits, bumps the data version
// (new ETags); dry run then commit; polling; size and zip-bomb limits (413);
// a community account cannot load another community's export (403, nothing stored).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.ts';
import { zipBytes } from '../../helpers/fixtures.ts';
import { anonCsrf, buildFixture, type Fixture, login, PASSWORD } from './setup.ts';

let fx: Fixture;
const Q = '2015Q4';

beforeAll(async () => {
  fx = await buildFixture({ periods: ['2015Q3'] });
});
afterAll(() => fx?.store.close());

/** The single-file (xlsx or zip) 2015Q4 export of a community, by code. */
async function exportOf(code: string): Promise<{ name: string; data: Buffer } | null> {
  const u = await fx.store.one<{ name: string }>(`SELECT name FROM org_units WHERE code = $c`, { c: code });
  const dir = join(fx.sampleDir, Q);
  const f = readdirSync(dir).find((n) => n.startsWith(u!.name) && statSync(join(dir, n)).isFile() && /\.(xlsx|zip)$/.test(n));
  return f ? { name: f, data: readFileSync(join(dir, f)) } : null;
}

async function singleFileCommunity(exclude: string[] = []): Promise<{ code: string; file: { name: string; data: Buffer } }> {
  const cs = await fx.store.all<{ code: string }>(`SELECT code FROM org_units WHERE level = 'community' ORDER BY code`);
  for (const c of cs) {
    if (exclude.includes(c.code)) continue;
    const f = await exportOf(c.code);
    if (f) return { code: c.code, file: f };
  }
  throw new Error('no single-file export');
}

async function storeState() {
  return fx.store.one(`SELECT (SELECT count(*) FROM import_batches)::INT AS b, (SELECT count(*) FROM exports)::INT AS e,
    (SELECT count(*) FROM import_files)::INT AS f, (SELECT value FROM meta WHERE key = 'data_version') AS v`);
}

describe('uploads', () => {
  it('a bad file: 422 with the problems table, store unchanged', async () => {
    const { agent, csrf } = await login(fx.app, 'staff1');
    const before = await storeState();
    for (const dry of ['true', 'false']) {
      const r = await agent
        .post(`/api/v1/uploads?wait=true&dry_run=${dry}`)
        .set('X-CSRF-Token', csrf)
        .attach('files', Buffer.from('社区名称,志愿者人数\n盐海社区,很多\n'), '未知社区_2015Q4_志愿者.csv');
      expect(r.status).toBe(422);
      expect(r.body.status).toBe('rejected');
      expect(r.body.problems.length).toBeGreaterThan(0);
      expect(r.body.problems[0]).toHaveProperty('file');
      expect(r.body.problems[0].message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await storeState()).toEqual(before);
  });

  it('a good file commits, bumps the version and the ETags; a repeat is unchanged', async () => {
    const { agent, csrf } = await login(fx.app, 'staff1');
    const { file } = await singleFileCommunity();
    const etag1 = (await agent.get('/api/v1/periods')).headers.etag;
    const v1 = fx.app.locals.ctx.version;
    const dry = await agent.post('/api/v1/uploads?wait=true&dry_run=true').set('X-CSRF-Token', csrf).attach('files', file.data, file.name);
    expect(dry.status).toBe(200);
    expect(dry.body.status).toBe('dry_run');
    expect(fx.app.locals.ctx.version).toBe(v1);
    const commit = await agent.post(`/api/v1/uploads/${dry.body.id}/commit?wait=true`).set('X-CSRF-Token', csrf);
    expect(commit.status).toBe(200);
    expect(commit.body.status).toBe('committed');
    expect(fx.app.locals.ctx.version).toBe(v1 + 1);
    const after = await agent.get('/api/v1/periods').set('If-None-Match', etag1);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag1);
    expect(after.body.rows.map((r: { period: string }) => r.period)).toContain(Q);
    const again = await agent.post('/api/v1/uploads?wait=true').set('X-CSRF-Token', csrf).attach('files', file.data, file.name);
    expect(again.body.status).toBe('unchanged');
  });

  it('progress by polling until done', async () => {
    const { agent, csrf } = await login(fx.app, 'staff1');
    const r = await agent.post('/api/v1/uploads?dry_run=true').set('X-CSRF-Token', csrf).attach('files', Buffer.from('x'), 'a.csv');
    expect(r.status).toBe(202);
    let job = r.body;
    for (let i = 0; i < 100 && !['dry_run', 'rejected', 'failed'].includes(job.status); i++) {
      await new Promise((res) => setTimeout(res, 100));
      job = (await agent.get(`/api/v1/uploads/${r.body.id}`)).body;
    }
    expect(job.status).toBe('rejected');
    const other = await login(fx.app, 'comm1');
    expect((await other.agent.get(`/api/v1/uploads/${r.body.id}`)).status).toBe(403);
    const sse = await agent.get(`/api/v1/uploads/${r.body.id}/events`);
    expect(sse.headers['content-type']).toContain('text/event-stream');
    expect(sse.text).toContain('event: job');
  });

  it("a community account cannot import another community's export (403, nothing stored), but can its own", async () => {
    const { agent, csrf } = await login(fx.app, 'comm1');
    const own = await exportOf(fx.codes.community);
    const other = await singleFileCommunity([fx.codes.community]);
    const before = await storeState();
    const r = await agent.post('/api/v1/uploads?wait=true').set('X-CSRF-Token', csrf).attach('files', other.file.data, other.file.name);
    if (other.code !== fx.codes.community) {
      expect(r.status).toBe(403);
      expect(r.body.status).toBe('forbidden');
      expect(r.body.message).toMatch(/无权导入/);
      expect(await storeState()).toEqual(before);
    }
    const dry = await agent.post('/api/v1/uploads?wait=true&dry_run=true').set('X-CSRF-Token', csrf).attach('files', other.file.data, other.file.name);
    expect(dry.status).toBe(403);
    if (own) {
      const ok = await agent.post('/api/v1/uploads?wait=true').set('X-CSRF-Token', csrf).attach('files', own.data, own.name);
      expect(ok.status).toBe(200);
    }
    // Roles that import nothing.
    for (const u of ['leader1', 'eval1', 'street1', 'admin1']) {
      const a = await login(fx.app, u);
      expect((await a.agent.post('/api/v1/uploads').set('X-CSRF-Token', a.csrf).attach('files', Buffer.from('x'), 'a.csv')).status, u).toBe(403);
    }
  });

  it('413 for a file over the limit, too many bytes, and a zip bomb; nothing stored', async () => {
    const app = createApp(fx.store, { logger: pino({ level: 'silent' }), upload: { maxFileBytes: 64 * 1024, maxTotalBytes: 200 * 1024, maxFiles: 3, maxZipBytes: 256 * 1024 } });
    const agent = request.agent(app);
    const csrf0 = await anonCsrf(agent);
    const lr = await agent.post('/api/v1/session').set('X-CSRF-Token', csrf0).send({ username: 'staff1', password: PASSWORD });
    const csrf = lr.body.csrf_token;
    const before = await storeState();
    const big = await agent.post('/api/v1/uploads?wait=true').set('X-CSRF-Token', csrf).attach('files', Buffer.alloc(100 * 1024, 65), 'big.csv');
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/上传过大/);
    const many = await agent
      .post('/api/v1/uploads?wait=true')
      .set('X-CSRF-Token', csrf)
      .attach('files', Buffer.from('a'), '1.csv')
      .attach('files', Buffer.from('a'), '2.csv')
      .attach('files', Buffer.from('a'), '3.csv')
      .attach('files', Buffer.from('a'), '4.csv');
    expect(many.status).toBe(413);
    // 1 MiB of zeros compresses to ~1 KiB: a small upload that expands past the limit.
    const bomb = zipBytes([{ name: '盐海社区_2015Q4_志愿者.csv', data: Buffer.alloc(1024 * 1024, 48) }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const z = await agent.post('/api/v1/uploads?wait=true').set('X-CSRF-Token', csrf).attach('files', bomb, 'bomb.zip');
    expect(z.status).toBe(413);
    expect(z.body.message).toMatch(/上传过大/);
    expect(await storeState()).toEqual(before);
  });
});
