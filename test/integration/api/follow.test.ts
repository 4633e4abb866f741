// After one community's new export the server follows the import in place:
// its cached plan run refreshed (refreshUnit) and its cached reports patched
// with the community's, street's and district's rows, not recomputed. What it
// then serves equals what a server computing everything afresh over the same
// store serves, route by route; the rank intervals too. An import the caches
// cannot follow (a period new to the store) recomputes them.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PLAN } from '../../../metrics/plans/default.ts';
import { computeReports } from '../../../metrics/report/compute.ts';
import { createApp } from '../../../server/http/app.ts';
import { importPaths } from '../../../server/import/importer.ts';
import { buildFixture, type Fixture, login } from './setup.ts';

let fx: Fixture;
const UNIT = '康乐社区';
let code: string;

beforeAll(async () => {
  fx = await buildFixture({ periods: ['2015Q3', '2015Q4'], app: { demo: true, warmPlan: DEFAULT_PLAN } });
  const ctx = fx.app.locals.ctx;
  await ctx.refreshVersion();
  await ctx.caches.warming;
  code = readFileSync(join(fx.sampleDir, '2015Q4', `${UNIT}_2015Q4`, `${UNIT}_2015Q4_概况.txt`), 'utf8').split('\n')[1].split('\t')[0];
}, 120_000);

afterAll(() => fx.store.close());

/** The sample's file for the unit's 2015Q4 table, rewritten by `edit` (tab-separated lines). */
function edited(table: string, edit: (lines: string[]) => string[]): { name: string; data: Buffer } {
  const name = `${UNIT}_2015Q4_${table}.txt`;
  const lines = readFileSync(join(fx.sampleDir, '2015Q4', `${UNIT}_2015Q4`, name), 'utf8').split('\n').filter((l) => l !== '');
  return { name, data: Buffer.from(`${edit(lines).join('\n')}\n`) };
}

const ROUTES = [
  '/api/v1/overview/charts',
  `/api/v1/overview?plan=${DEFAULT_PLAN}`,
  '/api/v1/scores?period=2015Q4',
  '/api/v1/scores?period=2015Q4&level=street',
  '/api/v1/values?period=2015Q4&level=district',
  '/api/v1/acceptance?period=2015Q3',
  '/api/v1/progress?period=2015Q4',
  '/api/v1/sensitivity?period=2015Q4',
];

/** Every route's body from the server under test and from a new one that computes everything afresh. */
async function compareWithFresh(): Promise<void> {
  const fresh = createApp(fx.store, { demo: true, logger: pino({ level: 'silent' }) });
  for (const path of ROUTES) {
    const got = await request(fx.app).get(path).expect(200);
    const want = await request(fresh).get(path).expect(200);
    expect(got.body, path).toEqual(want.body);
  }
}

async function volunteerRate(): Promise<number | null> {
  const r = await request(fx.app).get(`/api/v1/values?period=2015Q4&unit=${code}`).expect(200);
  return (r.body.rows as { indicator: string; value: number | null }[]).find((v) => v.indicator === 'volunteer_rate')!.value;
}

describe('the caches follow one community’s import', () => {
  it('a roster uploaded through the API: the run refreshed and the reports patched, equal to a fresh computation', async () => {
    const ctx = fx.app.locals.ctx;
    const before = await volunteerRate();
    const { agent, csrf } = await login(fx.app, 'staff1');
    // the first 300 of its volunteers
    const file = edited('志愿者', (l) => l.slice(0, 301));
    const r = await agent.post('/api/v1/uploads?wait=true').set('X-CSRF-Token', csrf).attach('files', file.data, file.name);
    expect(r.body.status).toBe('committed');
    // the job reports how the dashboard took the commit in
    expect(r.body.dashboard).toMatchObject({ mode: 'patched', reason: null });
    expect(r.body.dashboard.ms).toBeGreaterThan(0);
    expect(ctx.caches.lastChange).toMatchObject({ mode: 'patched', units: [code], reason: null, version: ctx.version });
    expect((await request(fx.app).get('/api/v1/health').expect(200)).body.last_change).toMatchObject({ mode: 'patched', units: [code], version: ctx.version });
    // nothing recomputed: the reports of both periods are there at once
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2015Q4')).toBe(true);
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2015Q3')).toBe(true);
    expect(ctx.caches.hasRun(DEFAULT_PLAN)).toBe(true);
    const after = await volunteerRate();
    expect(after).not.toBe(before);
    expect(after).toBeCloseTo((before as number) * (300 / 767), 1);
    const plan = ctx.caches.plan(DEFAULT_PLAN);
    const want = await computeReports(fx.store, plan, { period: '2015Q4', levels: ['community', 'street', 'district'] });
    for (const level of ['community', 'street', 'district'] as const) {
      expect(await ctx.caches.report(DEFAULT_PLAN, '2015Q4', level), level).toEqual(want[level]);
    }
    await compareWithFresh();
    await ctx.caches.warming;
    expect(ctx.caches.warmed).toBe(true);
  }, 120_000);

  it('concurrent requests for a response not yet cached build it once', async () => {
    const ctx = fx.app.locals.ctx;
    await ctx.caches.warming;
    const put = vi.spyOn(ctx.caches, 'putResponse');
    try {
      const path = '/api/v1/scores?period=2015Q3&level=street&shape=columns';
      const bodies = await Promise.all([1, 2, 3, 4].map(() => request(fx.app).get(path).expect(200)));
      expect(put).toHaveBeenCalledTimes(1);
      for (const b of bodies) expect(b.body).toEqual(bodies[0].body);
    } finally {
      put.mockRestore();
    }
  });

  it('a profile (the whole path: the area type and population every rate reads) imported with a roster', async () => {
    const ctx = fx.app.locals.ctx;
    const dir = join(fx.dir, 'profile');
    mkdirSync(dir, { recursive: true });
    for (const f of [
      edited('概况', (l) => [l[0], l[1].replace(/\t7303\t/, '\t9100\t')]),
      edited('社工', (l) => l.slice(0, 2)),
    ]) {
      writeFileSync(join(dir, f.name), f.data);
    }
    const summary = await importPaths(fx.store, [dir], { source: 'test', importedBy: 'test' });
    expect(summary.status).toBe('committed');
    await ctx.refreshVersion(summary.batchId);
    expect(ctx.caches.lastChange).toMatchObject({ mode: 'patched', units: [code] });
    await compareWithFresh();
  }, 120_000);

  it('a period new to the store is recomputed, not patched', async () => {
    const ctx = fx.app.locals.ctx;
    await ctx.caches.warming;
    const summary = await importPaths(fx.store, [join(fx.sampleDir, '2016Q1', `${UNIT}_2016Q1`)], { source: 'test', importedBy: 'test' });
    await ctx.refreshVersion(summary.batchId);
    expect(ctx.caches.lastChange).toMatchObject({ mode: 'recomputed', reason: 'a period new to the store' });
    expect((await request(fx.app).get('/api/v1/health').expect(200)).body.last_change).toMatchObject({ mode: 'recomputed', units: [] });
    await ctx.caches.warming;
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2016Q1')).toBe(true);
  }, 120_000);
});
