// The read API over a real store filled by importPaths from the generated
// sample district: every route's happy path and a bad parameter, the scope of
// community and street accounts (403 for another unit on every route that
// can reveal one), exports, Arrow = JSON, ETag/304, and OpenAPI = mounted routes.

import { tableFromIPC } from 'apache-arrow';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, rankedRows } from '../../../client/lib/api.ts';
import { HEADLINE, HEADLINE_IDS, headlineCards } from '../../../metrics/catalogue/headline.ts';
import { INDICATOR_BY_ID } from '../../../metrics/catalogue/index.ts';
import { tablesRead } from '../../../metrics/compile/affected.ts';
import { loadPlan } from '../../../metrics/plans/load.ts';
import { openapiPath } from '../../../server/http/openapi.ts';
import { ROUTES } from '../../../server/http/routes/index.ts';
import { type Agent, buildFixture, type Fixture, login } from './setup.ts';

let fx: Fixture;
let leader: Agent;
let comm: Agent;
let street: Agent;
const P = '2016Q1';

beforeAll(async () => {
  fx = await buildFixture();
  leader = (await login(fx.app, 'leader1')).agent;
  comm = (await login(fx.app, 'comm1')).agent;
  street = (await login(fx.app, 'street1')).agent;
});
afterAll(() => fx?.store.close());

/** Happy-path URL and a bad-parameter URL (with the parameter it names) per GET route. */
const cases = (c: Fixture['codes']): Record<string, { ok: string; bad?: [string, string] }> => ({
  '/api/v1/health': { ok: '/api/v1/health', bad: ['/api/v1/health?x=1', 'x'] },
  '/api/v1/session': { ok: '/api/v1/session', bad: ['/api/v1/session?x=1', 'x'] },
  '/api/v1/units': { ok: '/api/v1/units', bad: ['/api/v1/units?format=pdf', 'format'] },
  '/api/v1/plans': { ok: '/api/v1/plans', bad: ['/api/v1/plans?x=1', 'x'] },
  '/api/v1/plans/:plan': { ok: '/api/v1/plans/sanshe-lab-2015', bad: ['/api/v1/plans/nope', 'plan'] },
  '/api/v1/indicators': { ok: '/api/v1/indicators', bad: ['/api/v1/indicators?format=doc', 'format'] },
  '/api/v1/periods': { ok: '/api/v1/periods', bad: ['/api/v1/periods?y=2', 'y'] },
  '/api/v1/batches': { ok: '/api/v1/batches', bad: ['/api/v1/batches?format=x', 'format'] },
  '/api/v1/values': { ok: `/api/v1/values?period=${P}`, bad: [`/api/v1/values?period=2016Q5`, 'period'] },
  '/api/v1/scores': { ok: `/api/v1/scores?period=${P}`, bad: [`/api/v1/scores?level=city`, 'level'] },
  '/api/v1/acceptance': { ok: `/api/v1/acceptance?period=${P}`, bad: [`/api/v1/acceptance?plan=nope`, 'plan'] },
  '/api/v1/overview': { ok: `/api/v1/overview?period=${P}`, bad: [`/api/v1/overview?period=16Q1`, 'period'] },
  '/api/v1/overview/charts': { ok: `/api/v1/overview/charts?period=${P}`, bad: [`/api/v1/overview/charts?level=city`, 'level'] },
  '/api/v1/progress': { ok: `/api/v1/progress?period=${P}&phase=1`, bad: [`/api/v1/progress?period=${P}&phase=0`, 'phase'] },
  '/api/v1/sensitivity': { ok: `/api/v1/sensitivity?period=${P}`, bad: [`/api/v1/sensitivity?street=12`, 'street'] },
  '/api/v1/series': { ok: `/api/v1/series?unit=${c.community}`, bad: [`/api/v1/series?unit=abc`, 'unit'] },
  '/api/v1/quality/findings': { ok: `/api/v1/quality/findings?period=${P}`, bad: [`/api/v1/quality/findings?unit=1`, 'unit'] },
  '/api/v1/quality/completeness': { ok: '/api/v1/quality/completeness', bad: ['/api/v1/quality/completeness?period=x', 'period'] },
  '/api/v1/lineage': { ok: `/api/v1/lineage?unit=${c.community}&indicator=volunteer_rate&period=${P}`, bad: [`/api/v1/lineage?unit=${c.community}&indicator=nope&period=${P}`, 'indicator'] },
  '/api/v1/openapi.json': { ok: '/api/v1/openapi.json', bad: ['/api/v1/openapi.json?x=1', 'x'] },
});

describe('read routes', () => {
  it('every GET data route answers its happy path and names a bad parameter in a 400', async () => {
    const all = cases(fx.codes);
    for (const [path, c] of Object.entries(all)) {
      const r = await leader.get(c.ok);
      expect(r.status, `${c.ok}: ${r.text.slice(0, 200)}`).toBe(200);
      expect(r.body).toBeTypeOf('object');
      if (c.bad) {
        const b = await leader.get(c.bad[0]);
        expect([400, 404], c.bad[0]).toContain(b.status);
        if (b.status === 400) {
          expect(b.body.error).toBe('BAD_PARAMETER');
          expect(b.body.param, path).toBe(c.bad[1]);
          expect(b.body.message).toContain(c.bad[1]);
          expect(b.body.message).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    }
  });

  it('shapes: tree, values, ranking, progress, series, lineage', async () => {
    const units = (await leader.get('/api/v1/units')).body;
    expect(units.tree[0].level).toBe('district');
    expect(units.tree[0].children[0].children.length).toBeGreaterThan(0);
    const values = (await leader.get(`/api/v1/values?period=${P}`)).body;
    expect(values.rows.length).toBeGreaterThan(100);
    expect(values.rows[0]).toHaveProperty('indicator_zh');
    const street = (await leader.get(`/api/v1/values?period=${P}&street=${fx.codes.street}`)).body.rows;
    expect(street.length).toBeGreaterThan(0);
    expect(street.every((v: { org_unit: string }) => v.org_unit.startsWith(fx.codes.street))).toBe(true);
    const urban = (await leader.get(`/api/v1/values?period=${P}&area_type=rural`)).body.rows;
    expect(urban.length).toBeLessThan(values.rows.length);
    const scores = (await leader.get(`/api/v1/scores?period=${P}`)).body.rows;
    expect(scores[0].rank).toBe(1);
    expect(scores[0].composite).toBeGreaterThanOrEqual(scores.at(-1).composite);
    const plan = (await leader.get('/api/v1/plans/sanshe-lab-2015')).body;
    // A value cites the clause its target is quoted from; a plan default cites none.
    const items = new Map(loadPlan('sanshe-lab-2015').indicators.map((i) => [i.id, i]));
    const inPlan = values.rows.filter((v: { in_plan: boolean }) => v.in_plan) as { indicator: string; source_clause: string | null }[];
    expect(inPlan.filter((v) => v.source_clause).length).toBeGreaterThan(5);
    for (const v of inPlan) expect(v.source_clause).toBe(items.get(v.indicator)!.plan_default ? null : (items.get(v.indicator)!.note ?? null));
    expect(inPlan.some((v) => v.source_clause === '每个社区每年至少培育4个以上社区社会组织')).toBe(true);
    expect(plan.indicators[0]).toHaveProperty('formula');
    expect(plan.indicators[0]).toHaveProperty('plan_default');
    expect(plan.phases.length).toBeGreaterThan(0);
    const series = (await leader.get(`/api/v1/series?unit=${fx.codes.community}&indicator=volunteer_rate`)).body;
    expect(new Set(series.rows.map((r: { period: string }) => r.period)).size).toBeGreaterThanOrEqual(3);
    const lin = (await leader.get(`/api/v1/lineage?unit=${fx.codes.community}&indicator=volunteer_rate&period=${P}`)).body;
    expect(lin.rows.length).toBeGreaterThan(0);
    expect(lin.rows[0]).toHaveProperty('src_row');
    // volunteer_rate reads the volunteer register and the profile (population)
    expect(new Set(lin.rows.map((r: { table: string; table_label: string }) => `${r.table}=${r.table_label}`))).toEqual(new Set(['volunteers=志愿者', 'profile=基本情况']));
  });

  it('indicators: each source document with its title and what cites it, per plan', async () => {
    const body = (await leader.get('/api/v1/indicators')).body as {
      sources: { file: string; zh: string; cited_by: { catalogue: string[]; plans: { id: string; plan: boolean; indicators: string[] }[] } }[];
    };
    const lab = loadPlan('sanshe-lab-2015');
    const doc = body.sources.find((s) => s.file === '003_2c62b06a88ff33d5.txt')!;
    expect(doc.zh).toBe('关于创建“全国社区治理和服务创新实验区”实施方案');
    const cites = doc.cited_by.plans.find((p) => p.id === 'sanshe-lab-2015')!;
    expect(cites.plan).toBe(true);
    const expected = lab.indicators.filter((i) => (i.source ?? INDICATOR_BY_ID.get(i.id)!.source).includes(doc.file)).map((i) => i.id);
    expect(expected.length).toBeGreaterThan(5);
    expect(cites.indicators).toEqual(expected);
    expect(doc.cited_by.catalogue).toContain('volunteer_leaders_new_in_year');
    // The Qinhuai plan rests on 002 and cites it itself.
    expect(body.sources.find((s) => s.file === '002_d61f4bd436e6a52f.txt')!.cited_by.plans.some((p) => p.id === 'qinhuai-deepening' && p.plan)).toBe(true);
  });

  it('quality findings: an outlier names its indicator, its z and the exports it rests on', async () => {
    const body = (await leader.get('/api/v1/quality/findings')).body;
    const outliers = body.rows.filter((f: { rule: string }) => f.rule === 'outlier_peers');
    expect(outliers.length).toBeGreaterThan(0);
    for (const f of outliers) {
      expect(f.indicator).toEqual(expect.any(String));
      // z and the median it was judged against, a rate's as a percentage
      // (a negative z with the minus sign U+2212, as the dashboard prints numbers)
      const [, z, med] = f.detail.match(/^z = (−?\d+(?:\.\d+)?)，同类社区中位数 (\d+(?:\.\d+)?%?)$/) ?? [];
      expect(Math.abs(Number(z.replace('−', '-')))).toBeGreaterThanOrEqual(3.5);
      expect(med.endsWith('%')).toBe(f.indicator.endsWith('_rate'));
      expect(f.detail_en).toBe(`z = ${z}, peers' median ${med}`);
      expect(f.sources.length).toBeGreaterThan(0);
      expect(f.sources[0]).toEqual(expect.objectContaining({ export_id: expect.any(Number), file: expect.any(String) }));
      // only the exports of the tables the indicator reads (not the quarter's surveys for a volunteer count)
      const reads = tablesRead(INDICATOR_BY_ID.get(f.indicator)!);
      for (const s of f.sources) expect(reads).toContain(s.table);
    }
    // three quarters are too few for the history test (it needs 3 earlier ones)
    expect(body.rows.filter((f: { rule: string }) => f.rule === 'outlier_history')).toEqual([]);
    expect(body.rules_en.outlier_history).toMatch(/previous 4 quarters/);
  });

  it('exports csv with a BOM and neutralised cells, and xlsx', async () => {
    const csv = await leader.get(`/api/v1/scores?period=${P}&format=csv`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(csv.status).toBe(200);
    const buf = csv.body as Buffer;
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.toString('utf8')).toContain('综合得分');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const x = await leader.get(`/api/v1/values?period=${P}&format=xlsx`);
    expect(x.status).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('Arrow stream decodes to the same rows as the JSON', async () => {
    const url = `/api/v1/values?period=${P}&street=${fx.codes.street}`;
    const json = (await leader.get(url)).body.rows as Record<string, unknown>[];
    const r = await leader
      .get(url)
      .set('Accept', 'application/vnd.apache.arrow.stream')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(r.headers['content-type']).toContain('application/vnd.apache.arrow.stream');
    const t = tableFromIPC(r.body as Buffer);
    expect(t.numRows).toBe(json.length);
    const decoded = t.toArray().map((row) => row.toJSON());
    for (let i = 0; i < json.length; i++) {
      for (const [k, v] of Object.entries(json[i])) expect(decoded[i][k], `${i}.${k}`).toEqual(v);
    }
    // Size of the full unit x indicator matrix: Arrow at most half the JSON.
    const full = `/api/v1/values?period=${P}`;
    const jsonBytes = Buffer.byteLength(JSON.stringify((await leader.get(full)).body.rows));
    const arrow = await leader.get(full).set('Accept', 'application/vnd.apache.arrow.stream').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect((arrow.body as Buffer).length).toBeLessThanOrEqual(jsonBytes / 2);
  });

  it('gzip when accepted (the same JSON), identity otherwise', async () => {
    const url = `/api/v1/scores?period=${P}`;
    const plain = await leader.get(url).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      // the first builds the gzip, the second is a cache hit
      const gz = await leader.get(url).set('Accept-Encoding', 'gzip, deflate, br').expect(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/Accept-Encoding/);
      expect(gz.body).toEqual(plain.body);
    }
  });

  it('ranking pages: limit and offset slice the ranked rows, total counts them all', async () => {
    const all = (await leader.get(`/api/v1/scores?period=${P}`).expect(200)).body;
    expect(all.total).toBe(all.rows.length);
    const page = (await leader.get(`/api/v1/scores?period=${P}&limit=5&offset=3`).expect(200)).body;
    expect(page.total).toBe(all.total);
    expect(page.offset).toBe(3);
    expect(page.rows).toEqual(all.rows.slice(3, 8));
    const bad = await leader.get(`/api/v1/scores?period=${P}&limit=0`).expect(400);
    expect(bad.body.message).toContain('limit');
    // a community account's page is cut to its scope before paging
    const own = (await comm.get(`/api/v1/scores?period=${P}&limit=50`).expect(200)).body;
    expect(own.total).toBe(1);
    expect(own.rows.map((r: { org_unit: string }) => r.org_unit)).toEqual([fx.codes.community]);
  });

  it('shape=columns carries the same ranking as the rows (rebuilt by the client), in fewer bytes', async () => {
    const rows = (await leader.get(`/api/v1/scores?period=${P}&level=community`).expect(200)).body;
    const cols = (await leader.get(`/api/v1/scores?period=${P}&level=community&shape=columns`).expect(200)).body;
    expect(cols.rows).toBeUndefined();
    expect(cols.total).toBe(rows.total);
    // the dashboard's own conversion back to row objects (client/lib/api.ts)
    const rebuilt = rankedRows(cols.columns, cols.period, cols.level);
    expect(rebuilt).toEqual(rows.rows);
    expect(JSON.stringify(cols).length).toBeLessThan(JSON.stringify(rows).length / 1.5);
    const units = (await leader.get('/api/v1/units?shape=rows').expect(200)).body;
    expect(units.tree).toBeUndefined();
    expect(units.rows.length).toBeGreaterThan(30);
    // units as columns, rebuilt by the dashboard's own conversion (client/lib/api.ts), equal the rows
    const ucols = (await leader.get('/api/v1/units?shape=columns').expect(200)).body;
    expect(ucols.rows).toBeUndefined();
    const asked: string[] = [];
    const fetchBefore = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify(ucols), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch;
    try {
      expect(await api.units()).toEqual(units.rows);
    } finally {
      globalThis.fetch = fetchBefore;
    }
    expect(asked).toEqual(['api/v1/units?shape=columns']);
    await leader.get('/api/v1/scores?shape=table').expect(400);
  });

  it('overview/charts: the district cards, the streets and the ranking as columns, equal to the table routes', async () => {
    type Row = { org_unit: string; composite: number; rating: string; rank: number; n_no_data: number; dimensions: Record<string, number> };
    const o = (await leader.get(`/api/v1/overview/charts?period=${P}`).expect(200)).body;
    expect(o.period).toBe(P);
    expect(o.prev_period).toBe('2015Q4');
    expect(o.rank_level).toBe('community');
    const rows = (await leader.get(`/api/v1/scores?period=${P}&level=community`)).body.rows as Row[];
    const c = o.ranking.columns;
    expect(o.ranking.total).toBe(rows.length);
    expect(Object.keys(c).sort()).toEqual(['composite', 'org_unit', 'rating']);
    expect(c.org_unit).toEqual(rows.map((r) => r.org_unit));
    // scores to 1e-2 point (the charts show 0.1)
    expect(c.composite).toEqual(rows.map((r) => Math.round(r.composite * 100) / 100));
    for (const [i, x] of c.composite.entries()) expect(Math.abs(x - rows[i].composite)).toBeLessThanOrEqual(0.005 + 1e-12);
    expect(c.rating.map((i: number) => o.ranking.ratings[i])).toEqual(rows.map((r) => r.rating));
    // the district cards: the district's score and its headline indicators only, this period and the previous one
    const dScores = (await leader.get(`/api/v1/scores?period=${P}&level=district`)).body.rows as Row[];
    expect(o.district.scores).toEqual([expect.objectContaining({ org_unit: dScores[0].org_unit, composite: dScores[0].composite, rating: dScores[0].rating })]);
    const values = (await leader.get(`/api/v1/values?period=${P}&level=district`)).body.rows as { org_unit: string; indicator: string; value: number | null }[];
    const headline = values.filter((v) => v.org_unit === dScores[0].org_unit && HEADLINE_IDS.has(v.indicator));
    expect(headline.length).toBeGreaterThanOrEqual(HEADLINE.length);
    expect(o.district.values).toEqual(headline);
    expect(headlineCards(o.district.values).map((v) => v.indicator)).toEqual(['district_orgs_per_10k', 'volunteer_rate', 'district_social_workers_per_community', 'district_daycare_coverage', 'participation_rate']);
    const prev = (await leader.get(`/api/v1/values?period=2015Q4&level=district`)).body.rows as { org_unit: string; indicator: string; value: number | null }[];
    expect(o.district.prev_values).toEqual(prev.filter((v) => v.org_unit === dScores[0].org_unit && HEADLINE_IDS.has(v.indicator)).map((v) => ({ org_unit: v.org_unit, indicator: v.indicator, value: v.value })));
    expect(o.district.prev_values.length).toBe(headline.length);
    expect(o.district.prev_scores.map((s: Row) => s.org_unit)).toEqual([dScores[0].org_unit]);
    const streets = (await leader.get(`/api/v1/scores?period=${P}&level=street`)).body.rows as Row[];
    expect(o.streets.map((s: Row) => s.org_unit).sort()).toEqual(streets.map((s) => s.org_unit).sort());
    expect(JSON.stringify(o.ranking).length).toBeLessThan(JSON.stringify((await leader.get(`/api/v1/scores?period=${P}&shape=columns`)).body).length);
    // without a period: the latest; level=street ranks the streets
    const latest = (await leader.get('/api/v1/periods')).body.latest;
    expect((await leader.get('/api/v1/overview/charts').expect(200)).body.period).toBe(latest);
    const st = (await leader.get(`/api/v1/overview/charts?period=${P}&level=street`).expect(200)).body;
    expect(st.rank_level).toBe('street');
    expect(st.ranking.columns.org_unit).toEqual(streets.map((s) => s.org_unit));
    // a community account: its own community, no district or streets; the street ranking is refused
    const own = (await comm.get(`/api/v1/overview/charts?period=${P}`).expect(200)).body;
    expect(own.district).toBeNull();
    expect(own.streets).toBeNull();
    expect(own.ranking.columns.org_unit).toEqual([fx.codes.community]);
    expect((await comm.get(`/api/v1/overview/charts?period=${P}&level=street`)).status).toBe(403);
  });

  it('ETag: a repeat with If-None-Match gets 304; another query another tag', async () => {
    const url = `/api/v1/scores?period=${P}`;
    const a = await leader.get(url);
    expect(a.headers.etag).toMatch(/^W\/"v\d+-/);
    const b = await leader.get(url).set('If-None-Match', a.headers.etag);
    expect(b.status).toBe(304);
    const c = await leader.get(`${url}&level=street`);
    expect(c.headers.etag).not.toBe(a.headers.etag);
  });
});

describe('scope', () => {
  it('a community account gets 403 for another community on every route that can reveal it', async () => {
    const o = fx.codes.otherCommunity;
    const urls = [
      `/api/v1/values?period=${P}&unit=${o}`,
      `/api/v1/values?period=${P}&street=${fx.codes.otherStreet}`,
      `/api/v1/values?period=${P}&level=street`,
      `/api/v1/values?period=${P}&level=district`,
      `/api/v1/scores?period=${P}&unit=${o}`,
      `/api/v1/acceptance?period=${P}&unit=${o}`,
      `/api/v1/progress?period=${P}&unit=${o}`,
      `/api/v1/sensitivity?period=${P}&unit=${o}`,
      `/api/v1/series?unit=${o}`,
      `/api/v1/quality/findings?unit=${o}`,
      `/api/v1/quality/completeness?unit=${o}`,
      `/api/v1/lineage?unit=${o}&indicator=volunteer_rate&period=${P}`,
      `/api/v1/scores?period=${P}&unit=${fx.codes.sameStreetOther}`,
    ];
    for (const u of urls) {
      const r = await comm.get(u);
      expect(r.status, u).toBe(403);
      expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const u of [`/api/v1/audit`, `/api/v1/accounts`]) expect((await comm.get(u)).status, u).toBe(403);
  });

  it('unfiltered lists are cut to the scope', async () => {
    const c = fx.codes.community;
    for (const u of [`/api/v1/values?period=${P}`, `/api/v1/scores?period=${P}`, `/api/v1/acceptance?period=${P}`, `/api/v1/progress?period=${P}`, `/api/v1/sensitivity?period=${P}`, `/api/v1/quality/findings`, `/api/v1/quality/completeness`]) {
      const rows = (await comm.get(u)).body.rows as { org_unit: string }[];
      expect(rows.every((r) => r.org_unit === c), u).toBe(true);
    }
    const units = (await comm.get('/api/v1/units')).body.rows as { code: string }[];
    expect(units.map((u) => u.code)).toEqual([c]);
    const ov = (await comm.get(`/api/v1/overview?period=${P}`)).body;
    expect(ov.units).toBe(1);
    expect(ov.district).toBeNull();
    // The scoped CSV carries only the community's rows too.
    const csv = (await comm.get(`/api/v1/scores?period=${P}&format=csv`)).text;
    expect(csv).not.toContain(fx.codes.otherCommunity);
  });

  it('a street account sees its street, not another', async () => {
    expect((await street.get(`/api/v1/values?period=${P}&level=street&unit=${fx.codes.street}`)).status).toBe(200);
    expect((await street.get(`/api/v1/values?period=${P}&street=${fx.codes.otherStreet}`)).status).toBe(403);
    expect((await street.get(`/api/v1/series?unit=${fx.codes.otherCommunity}`)).status).toBe(403);
    expect((await street.get(`/api/v1/series?unit=${fx.codes.sameStreetOther}`)).status).toBe(200);
    const rows = (await street.get(`/api/v1/scores?period=${P}`)).body.rows as { org_unit: string }[];
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.org_unit.startsWith(fx.codes.street))).toBe(true);
  });

  it('anonymous requests without demo mode get 401, never data', async () => {
    const r = await request(fx.app).get(`/api/v1/scores?period=${P}`);
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('UNAUTHENTICATED');
  });
});

describe('OpenAPI', () => {
  it('lists exactly the mounted /api/v1 routes', async () => {
    const doc = (await leader.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
    // Walk Express's own router for what is really mounted.
    const mounted = new Set<string>();
    const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
      for (const layer of stack) {
        if (layer.route && typeof layer.route.path === 'string' && layer.route.path.startsWith('/api/v1')) {
          for (const m of Object.keys(layer.route.methods)) if (m !== '_all') mounted.add(`${m} ${openapiPath(layer.route.path)}`);
        } else if (layer.handle?.stack) walk(layer.handle.stack as never);
      }
    };
    walk((fx.app as unknown as { router: { stack: never[] } }).router.stack);
    expect([...mounted].sort()).toEqual([...documented].sort());
    expect(mounted.size).toBe(ROUTES.length);
    for (const op of Object.values(doc.paths).flatMap((o) => Object.values(o)) as { parameters: unknown[] }[]) expect(Array.isArray(op.parameters)).toBe(true);
  });

  it('unknown API paths are JSON 404s; errors carry no stack', async () => {
    const r = await leader.get('/api/v1/nope');
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('NOT_FOUND');
    expect(r.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('sends the security headers', async () => {
    const r = await leader.get('/api/v1/session');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-frame-options']).toBeDefined();
    expect(r.headers['x-powered-by']).toBeUndefined();
  });
});
