// refreshUnit after one community's new export (written as a file and
// imported) gives exactly the tables of a full recompute; the per-export
// summaries kept up to date run after run equal ones rebuilt from the rows.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Run, refreshUnit, runPlan } from '../../../metrics/engine.ts';
import { parsePlan } from '../../../metrics/plans/load.ts';
import { Store } from '../../../server/db/store.ts';
import { groupExports, importFiles } from './files.ts';
import { B, buildTinyDistrict, TINY_PLAN_YAML, UNITS } from './tiny-district.ts';

const plan = parsePlan(TINY_PLAN_YAML, 'tiny-2016.yaml');
let store: Store;
let refreshed: Run;
let full: Run;

beforeAll(async () => {
  store = await Store.open(':memory:');
  await buildTinyDistrict(store);
  refreshed = await runPlan(store, plan);
  // B's new 2016Q4 export: 700 volunteers (was 660) and one more organisation (a second batch, superseding the first)
  const vols = Array.from({ length: 700 }, (_, k) => ({ person_key: `v${k}`, registered_on: '2015-06-01' }));
  const orgs = [
    { org_name: 'p2', org_type: 'service', founded_on: '2016-04-01' },
    { org_name: 'p3', org_type: 'rights', founded_on: '2016-07-01' },
    { org_name: 'p4', org_type: 'service', founded_on: '2016-12-31' },
    { org_name: 'p5', org_type: 'public_welfare', founded_on: '2016-10-01' },
  ];
  const nameOf = (code: string) => UNITS.find((u) => u.code === code)!.name;
  const summary = await importFiles(
    store,
    UNITS,
    groupExports(
      [
        { unit: B, period: '2016Q4', table: 'volunteers', rows: vols },
        { unit: B, period: '2016Q4', table: 'social_orgs', rows: orgs },
      ],
      (code) => `${nameOf(code)}_更正`,
      () => 'csv-folder',
    ),
  );
  expect(summary.status).toBe('committed');
  await refreshUnit(store, refreshed, B);
  full = await runPlan(store, plan);
});
afterAll(async () => {
  await refreshed.drop();
  await full.drop();
  store.close();
});

const KEYS = ['base', 'valw', 'pv', 'scored', 'scores', 'progress'] as const;

describe('refresh after one export', () => {
  it('the persisted summaries, kept up to date, equal a rebuild from the rows', async () => {
    const tables = (await store.all<{ t: string }>(`SELECT table_name AS t FROM metric_summaries`)).map((r) => r.t);
    expect(tables).toContain('metric_export_volunteers');
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of tables) out[t] = await store.all(`SELECT * EXCLUDE (ys) FROM ${t} WHERE ys = 101 ORDER BY export_id`);
      return out;
    };
    const kept = await snapshot();
    for (const t of tables) await store.run(`DROP TABLE ${t}`);
    await store.run(`DELETE FROM metric_summaries`);
    const rebuilt = await runPlan(store, plan);
    try {
      expect(rebuilt.summaries.rebuilt.length).toBe(tables.length);
      expect(await snapshot()).toEqual(kept);
      const diff = await store.one<{ n: number }>(
        `SELECT (SELECT count(*) FROM (SELECT * FROM ${rebuilt.tables.base} EXCEPT ALL SELECT * FROM ${full.tables.base})) AS n`,
      );
      expect(Number(diff?.n)).toBe(0);
    } finally {
      await rebuilt.drop();
    }
  });

  it('the new export is read', async () => {
    const r = await store.one<{ v: number }>(`SELECT value AS v FROM ${refreshed.tables.pv} WHERE org_unit = $u AND period = '2016Q4' AND indicator = 'volunteer_rate'`, { u: B });
    expect(Math.abs((r?.v ?? 0) - 700 / 6000)).toBeLessThan(1e-12);
  });

  it.each(KEYS)('%s equals the full recompute', async (k) => {
    const a = refreshed.tables[k];
    const b = full.tables[k];
    const diff = await store.one<{ n: number }>(
      `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) + (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS n`,
    );
    expect(Number(diff?.n)).toBe(0);
    expect(Number((await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${a}`))?.n)).toBeGreaterThan(0);
  });
});
