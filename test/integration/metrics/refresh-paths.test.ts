// refreshUnit's other paths, each compared with a full recompute on the same
// data (every table the dashboard reads, and the street partials): that it
// writes no persisted table (its new exports' summaries are computed in the
// statement and left to the next full run); two
// refreshes in a row of different communities of one run; a plan covering
// only some code prefixes (an uncovered community's export changes nothing
// above it); a community new to the run (registered and exported after the
// run was computed: it gets a uid and its street and district are rescored).

import { afterEach, describe, expect, it } from 'vitest';
import { type Run, refreshUnit, runPlan } from '../../../metrics/engine.ts';
import { parsePlan } from '../../../metrics/plans/load.ts';
import { Store } from '../../../server/db/store.ts';
import { groupExports, importFiles } from './files.ts';
import type { ExportRows, UnitRow } from './fixture.ts';
import { A, B, buildTinyDistrict, C, S, TINY_PLAN_YAML, UNITS } from './tiny-district.ts';

const KEYS = ['base', 'valw', 'pv', 'scored', 'scores', 'progress', 'sp'] as const;

let store: Store | undefined;
const runs: Run[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) await r.drop();
  store?.close();
  store = undefined;
});

async function open(): Promise<Store> {
  store = await Store.open(':memory:');
  await buildTinyDistrict(store);
  return store;
}

async function keep(r: Promise<Run>): Promise<Run> {
  const run = await r;
  runs.push(run);
  return run;
}

type Table = 'profile' | 'volunteers' | 'social_orgs';

/** The rows of a new export of `unit`: its profile, volunteers and organisations, or only the tables named. */
function exportRows(unit: string, volunteers: number, period: string, tables: Table[], households = 900): ExportRows[] {
  const vols = Array.from({ length: volunteers }, (_, k) => ({ person_key: `n${unit}-${k}`, registered_on: '2015-06-01' }));
  const orgs = [
    { org_name: `q${unit}-1`, org_type: 'service', founded_on: '2016-04-01' },
    { org_name: `q${unit}-2`, org_type: 'public_welfare', founded_on: '2016-10-01' },
  ];
  const all: ExportRows[] = [
    { unit, period, table: 'profile', rows: [{ area_type: 'urban', population: 3000, households }] },
    { unit, period, table: 'volunteers', rows: vols },
    { unit, period, table: 'social_orgs', rows: orgs },
  ];
  return all.filter((e) => (tables as string[]).includes(e.table));
}

/** New 2016Q4 exports (every table unless named), imported as files in one batch. */
async function importExports(s: Store, exports: ExportRows[], units: UnitRow[] = UNITS, tag = 'x'): Promise<void> {
  const nameOf = (code: string) => units.find((u) => u.code === code)!.name;
  const summary = await importFiles(s, units, groupExports(exports, (code) => `${nameOf(code)}_更新${tag}`, () => 'csv-folder'));
  expect(summary.status).toBe('committed');
}

/** A new 2016Q4 export of `unit` (profile, volunteers and organisations), imported as files. */
async function newExport(s: Store, unit: string, volunteers: number, units: UnitRow[] = UNITS, period = '2016Q4'): Promise<void> {
  await importExports(s, exportRows(unit, volunteers, period, ['profile', 'volunteers', 'social_orgs']), units, String(volunteers));
}

/** refreshUnit, returning which statements it ran (their timings' keys). */
async function refreshed(s: Store, run: Run, unit: string): Promise<string[]> {
  const timings: Record<string, number> = {};
  await refreshUnit(s, run, unit, { timings });
  return Object.keys(timings);
}

async function expectSame(s: Store, refreshed: Run, full: Run): Promise<void> {
  for (const k of KEYS) {
    const [a, b] = [refreshed.tables[k], full.tables[k]];
    const diff = await s.one<{ n: number }>(
      `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) + (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS n`,
    );
    expect(Number(diff?.n), k).toBe(0);
    expect(Number((await s.one<{ n: number }>(`SELECT count(*) AS n FROM ${a}`))?.n), k).toBeGreaterThan(0);
  }
}

/**
 * A run of the tiny plan, the exports imported in one batch, a refresh of each unit in turn (the
 * keys of its statements' timings), then every table compared with a full recompute.
 */
async function refreshAfter(exports: ExportRows[], units: string[], tag: string): Promise<{ s: Store; run: Run; ran: string[][] }> {
  const s = await open();
  const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
  const run = await keep(runPlan(s, plan));
  await importExports(s, exports, UNITS, tag);
  const ran: string[][] = [];
  for (const u of units) ran.push(await refreshed(s, run, u));
  await expectSame(s, run, await keep(runPlan(s, plan)));
  return { s, run, ran };
}

describe('refreshUnit paths', () => {
  it('two refreshes in a row, of different communities, equal a full recompute', async () => {
    const s = await open();
    const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
    const refreshed = await keep(runPlan(s, plan));
    await newExport(s, A, 900);
    await refreshUnit(s, refreshed, A);
    await newExport(s, C, 200);
    await refreshUnit(s, refreshed, C);
    const full = await keep(runPlan(s, plan));
    await expectSame(s, refreshed, full);
    // the second community's export is read, the first one's kept
    const v = await s.all<{ u: string; v: number }>(
      `SELECT org_unit AS u, value AS v FROM ${refreshed.tables.pv} WHERE period = '2016Q4' AND indicator = 'volunteer_rate' AND org_unit IN ($a, $c) ORDER BY u`,
      { a: A, c: C },
    );
    expect(v.map((r) => r.v)).toEqual([900 / 3000, 200 / 3000]);
  });

  it('a plan covering some code prefixes: refreshes of a covered and an uncovered community', async () => {
    const s = await open();
    const plan = parsePlan(TINY_PLAN_YAML.replace('units: all', `units: ['${A}', '${B}']`), 'tiny-2016-part.yaml');
    const refreshed = await keep(runPlan(s, plan));
    await newExport(s, B, 800);
    await refreshUnit(s, refreshed, B);
    await newExport(s, C, 300);
    await refreshUnit(s, refreshed, C);
    const full = await keep(runPlan(s, plan));
    await expectSame(s, refreshed, full);
    const c = await s.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${refreshed.tables.pv} WHERE org_unit = $c`, { c: C });
    expect(c?.n).toBe(0);
  });

  it('a refresh writes no persisted table: the summaries and their watermarks stay as they were, the next full run adds the new exports', async () => {
    const s = await open();
    const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
    const run = await keep(runPlan(s, plan));
    await newExport(s, A, 700);
    const persisted = async () => {
      const out: Record<string, unknown> = { marks: await s.all(`SELECT * FROM metric_summary_marks ORDER BY ALL`) };
      for (const { t } of await s.all<{ t: string }>(`SELECT table_name AS t FROM metric_summaries ORDER BY t`)) out[t] = await s.all(`SELECT * FROM ${t} ORDER BY ALL`);
      return JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    };
    const before = await persisted();
    await refreshUnit(s, run, A);
    expect(await persisted()).toBe(before);
    const full = await keep(runPlan(s, plan));
    expect(full.summaries.added).toMatchObject({ profile: 1, volunteers: 1, social_orgs: 1 });
    await expectSame(s, run, full);
  });

  it('one table exported: only the indicators it feeds are updated in place, and the tables equal a full recompute', async () => {
    const { s, run, ran: [ran] } = await refreshAfter(exportRows(A, 950, '2016Q4', ['volunteers']), [A], 'v');
    // the narrow path: the unit's and its street's and district's rows updated, not replaced
    expect(ran).toEqual(expect.arrayContaining(['update basen', 'update valr', 'update valr#2']));
    expect(ran).not.toContain('insert basen');
    const v = await s.one<{ v: number }>(`SELECT value AS v FROM ${run.tables.pv} WHERE period = '2016Q4' AND indicator = 'volunteer_rate' AND org_unit = $a`, { a: A });
    expect(v?.v).toBeCloseTo(950 / 4000, 12);
  });

  it('a profile export (population and households: rates and banded targets move) takes the whole path and equals a full recompute', async () => {
    const { ran: [ran] } = await refreshAfter(exportRows(B, 0, '2016Q4', ['profile'], 1900), [B], 'p');
    // the profile gives the area type too, which every by-area target reads
    expect(ran).toContain('insert basen');
  });

  it('one batch with two communities\' exports, then a refresh of each: both read, equal to a full recompute', async () => {
    // the first refresh summarises both exports; the second still finds its unit's table new to the run
    const { ran } = await refreshAfter([...exportRows(A, 700, '2016Q4', ['volunteers']), ...exportRows(C, 150, '2016Q4', ['social_orgs'])], [A, C], 'ac');
    expect(ran[0]).toContain('update basen');
    expect(ran[1]).toContain('update basen');
  });

  it('a community new to the run gets a uid; its street and district are rescored', async () => {
    const s = await open();
    const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
    const refreshed = await keep(runPlan(s, plan));
    const E = `${S}004`;
    const units: UnitRow[] = [...UNITS, { code: E, name: '丁社区', level: 'community', parent_code: S, area_type: 'urban' }];
    await newExport(s, E, 450, units);
    await refreshUnit(s, refreshed, E);
    const full = await keep(runPlan(s, plan));
    await expectSame(s, refreshed, full);
    const u = await s.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${refreshed.tables.scored} WHERE org_unit = $e`, { e: E });
    expect(u?.n).toBeGreaterThan(0);
  });
});
