// Cache warm-up: with warmPlan set (as `npm start` does), the server computes
// the default plan's reports for the latest two periods, its full run (time
// series) and the quality checks in the background after start and again
// after every import, and a request is then answered from them; the landing
// page's cached responses are built in advance.

import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../../metrics/plans/default.ts';
import { importPaths } from '../../../server/import/importer.ts';
import { buildFixture, type Fixture } from './setup.ts';

let fx: Fixture;

beforeAll(async () => {
  fx = await buildFixture({ periods: ['2015Q3', '2015Q4'], app: { demo: true, warmPlan: DEFAULT_PLAN } });
}, 120_000);

afterAll(() => fx.store.close());

describe('warm-up', () => {
  it('computes the latest two periods, the full run and the quality checks after start, and again after an import', async () => {
    const ctx = fx.app.locals.ctx;
    await ctx.refreshVersion(); // queued behind the app's own first version check
    await ctx.caches.warming;
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2015Q4')).toBe(true);
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2015Q3')).toBe(true);
    expect(ctx.caches.isWarm('harmony-pilot-2013', '2015Q4')).toBe(false);
    expect(ctx.caches.hasRun(DEFAULT_PLAN)).toBe(true);
    expect(ctx.caches.hasRun('harmony-pilot-2013')).toBe(false);
    expect(ctx.caches.lastChange).toMatchObject({ mode: 'recomputed', reason: 'first check' });
    expect(ctx.caches.hasQuality(DEFAULT_PLAN, '2015Q4')).toBe(true);
    expect(ctx.caches.hasQuality(DEFAULT_PLAN, undefined)).toBe(true);
    expect(ctx.caches.hasQuality(DEFAULT_PLAN, '2015Q3')).toBe(false);
    expect((await request(fx.app).get('/api/v1/health').expect(200)).body.warm).toBe(true);
    // The landing page's cached requests were answered in advance: served from the cache (nothing added),
    // with the bytes a live request computes (the same query spelled out is another cache entry).
    const held = ctx.caches.responseCount;
    const landing = await request(fx.app).get('/api/v1/overview/charts').expect(200);
    await request(fx.app).get('/api/v1/units?shape=columns').expect(200);
    await request(fx.app).get('/api/v1/periods').expect(200);
    expect(ctx.caches.responseCount).toBe(held);
    const live = await request(fx.app).get(`/api/v1/overview/charts?plan=${DEFAULT_PLAN}&period=2015Q4&level=community`).expect(200);
    expect(ctx.caches.responseCount).toBe(held + 1);
    expect(landing.body).toEqual(live.body);
    expect(landing.body.district.scores.length).toBe(1);
    const v0 = ctx.version;
    const warm = await request(fx.app).get(`/api/v1/overview?plan=${DEFAULT_PLAN}&period=2015Q4`).expect(200);
    expect(warm.body.units).toBeGreaterThan(0);

    await importPaths(ctx.store, [join(fx.sampleDir, '2016Q1')], { source: 'test', importedBy: 'test' });
    await ctx.refreshVersion();
    expect(ctx.version).not.toBe(v0);
    // not told which import it was: recomputed
    expect(ctx.caches.lastChange).toMatchObject({ mode: 'recomputed', reason: 'not an import' });
    expect(ctx.caches.warmed).toBe(false); // the new version's warm-up is queued behind this test's requests
    await ctx.caches.warming;
    expect(ctx.caches.warmed).toBe(true);
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2016Q1')).toBe(true);
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2015Q4')).toBe(true);
    expect(ctx.caches.isWarm(DEFAULT_PLAN, '2015Q3')).toBe(false);
    expect(ctx.caches.hasRun(DEFAULT_PLAN)).toBe(true);
    expect(ctx.caches.hasQuality(DEFAULT_PLAN, '2016Q1')).toBe(true);
    expect(ctx.caches.hasQuality(DEFAULT_PLAN, '2015Q4')).toBe(false);
    const r = await request(fx.app).get(`/api/v1/overview?plan=${DEFAULT_PLAN}`).expect(200);
    expect(r.body.period).toBe('2016Q1');
  }, 120_000);
});
