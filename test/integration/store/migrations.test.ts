// The store's versioned migrations: a fresh store is at the newest version,
// an older store is upgraded in place with its data kept, a newer store is
// refused, and the generated schema of migration 1 is pinned.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../server/db/migrations.ts';
import { Store } from '../../../server/db/store.ts';
import { loadOrCreateSecret } from '../../../server/import/secret.ts';
import { expectedPersonKey, importOk, personHmacHex, profileRows, writeText, YANHAI } from '../../helpers/fixtures.ts';

const dirs: string[] = [];
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'sanshe-store-'));
  dirs.push(d);
  return join(d, 'store.duckdb');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('store migrations', () => {
  it('creates a fresh store at the newest version with every canonical table and current view', async () => {
    const store = await Store.open(tempDb());
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    const tables = (await store.all<{ n: string }>(`SELECT table_name AS n FROM duckdb_tables() ORDER BY 1`)).map((r) => r.n);
    for (const t of ['import_batches', 'import_files', 'exports', 'org_units', 'profile', 'volunteers', 'social_orgs', 'social_workers', 'facilities', 'participation', 'activities', 'surveys']) {
      expect(tables).toContain(t);
    }
    const views = (await store.all<{ n: string }>(`SELECT view_name AS n FROM duckdb_views() WHERE NOT internal`)).map((r) => r.n);
    expect(views).toContain('cur_volunteers');
    store.close();
  });

  it('upgrades an older store in place and keeps its data', async () => {
    const path = tempDb();
    const v1 = MIGRATIONS.filter((m) => m.version === 1);
    let store = await Store.open(path, { migrations: v1 });
    await store.run(`INSERT INTO org_units VALUES ('140302', '城区', 'district', NULL, NULL, 1)`);
    store.close();
    const v2 = { version: 2, description: 'test: add a column', sql: ['ALTER TABLE org_units ADD COLUMN note VARCHAR'] };
    store = await Store.open(path, { migrations: [...v1, v2] });
    expect(await store.schemaVersion()).toBe(2);
    expect(await store.all(`SELECT code, name, note FROM org_units`)).toEqual([{ code: '140302', name: '城区', note: null }]);
    const applied = await store.all<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
    expect(applied.map((r) => r.version)).toEqual([1, 2]);
    store.close();
    // Reopening with the same migrations applies nothing again.
    store = await Store.open(path, { migrations: [...v1, v2] });
    expect((await store.all(`SELECT * FROM schema_migrations`)).length).toBe(2);
    store.close();
  });

  it('refuses a store written by a newer program', async () => {
    const path = tempDb();
    const v2 = { version: 2, description: 'future', sql: ['CREATE TABLE future (x INTEGER)'] };
    const store = await Store.open(path, { migrations: [...MIGRATIONS.filter((m) => m.version === 1), v2] });
    store.close();
    await expect(Store.open(path, { migrations: MIGRATIONS.filter((m) => m.version === 1) })).rejects.toThrow(/比本程序支持的 1 新/);
  });

  it('a failing migration leaves the store at its old version', async () => {
    const path = tempDb();
    const v1 = MIGRATIONS.filter((m) => m.version === 1);
    (await Store.open(path, { migrations: v1 })).close();
    const bad = { version: 2, description: 'broken', sql: ['ALTER TABLE org_units ADD COLUMN ok VARCHAR', 'SELECT * FROM no_such_table'] };
    await expect(Store.open(path, { migrations: [...v1, bad] })).rejects.toThrow();
    const store = await Store.open(path, { migrations: v1 });
    expect(await store.schemaVersion()).toBe(1);
    const cols = await store.all<{ n: string }>(`SELECT column_name AS n FROM duckdb_columns() WHERE table_name = 'org_units'`);
    expect(cols.map((c) => c.n)).not.toContain('ok');
    store.close();
  });

  it('migration 4 turns stored hex HMAC person keys into the 128-bit keys the importer writes now', async () => {
    const path = tempDb();
    loadOrCreateSecret(path);
    const id = '11010519491231002X';
    let store = await Store.open(path, { migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    const lineage = `1, 1, 1, NULL, 2, '${YANHAI.code}', '2016Q3'`;
    // A key as the importer wrote it before, one a benchmark wrote (not hex), and a blank one.
    await store.run(`INSERT INTO volunteers (export_id, batch_id, file_id, sheet, src_row, org_unit, period, person_key) VALUES (${lineage}, $k), (${lineage}, 'p1-2'), (${lineage}, NULL)`, {
      k: personHmacHex(path, id),
    });
    await store.run(`INSERT INTO social_workers (export_id, batch_id, file_id, sheet, src_row, org_unit, period, person_key) VALUES (${lineage}, $k)`, { k: personHmacHex(path, id) });
    store.close();

    store = await Store.open(path);
    try {
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
      const types = await store.all<{ t: string; c: string; type: string }>(
        `SELECT table_name AS t, column_name AS c, data_type AS type FROM duckdb_columns() WHERE column_name IN ('person_key', 'respondent_key') ORDER BY 1, 2`,
      );
      expect(types.filter((r) => !r.t.startsWith('cur_')).map((r) => [r.t, r.type])).toEqual([
        ['participation', 'UHUGEINT'],
        ['social_workers', 'UHUGEINT'],
        ['surveys', 'UHUGEINT'],
        ['volunteers', 'UHUGEINT'],
      ]);
      const keys = await store.all<{ k: string | null }>(`SELECT CAST(person_key AS VARCHAR) AS k FROM volunteers ORDER BY person_key NULLS LAST`);
      expect(keys).toHaveLength(3);
      expect(keys.map((r) => r.k)).toContain(expectedPersonKey(path, id));
      expect(keys.filter((r) => r.k !== null)).toHaveLength(2);
      expect(await store.one(`SELECT CAST(person_key AS VARCHAR) AS k FROM social_workers`)).toEqual({ k: expectedPersonKey(path, id) });

      // The same person imported after the upgrade gets the same key (lower-case check letter too).
      const folder = join(path, '..', '盐海社区_2016Q4');
      writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
      writeText(join(folder, '志愿者.csv'), [['身份证号', '姓名', '注册日期'], [id.toLowerCase(), '欧阳娜娜', '2016-01-01']]);
      await importOk(store, [folder]);
      expect(await store.one(`SELECT count(*)::INTEGER AS n, count(DISTINCT person_key)::INTEGER AS k FROM volunteers WHERE period IN ('2016Q3', '2016Q4') AND person_key = $k::UHUGEINT`, { k: expectedPersonKey(path, id) })).toEqual({ n: 2, k: 1 });
    } finally {
      store.close();
    }
  });

  it('pins the SQL of migration 1 (a change to the contract needs a new migration)', () => {
    expect(MIGRATIONS[0].sql.join(';\n')).toMatchSnapshot();
  });
});
