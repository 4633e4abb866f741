// Identifier keys: the native addon (native/person_key.c) and the SQL
// fallback give the same 128-bit key, the first half of HMAC-SHA-256 as
// Node's crypto computes it, for every kind of text (inline and pointer
// strings, Chinese, longer than one SHA-256 block, empty), keep NULL as NULL
// across several vectors, and the importer stores the same keys either way.

import { createHmac, randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBBlobValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../server/db/store.ts';
import { libduckdbPath, nativeKeys, PERSON_KEY_FUNCTION, personKeyExpr, personKeySql, preparePersonKeys, usesNativeKeys } from '../../../server/import/personKey.ts';
import { hmacPads, secretPath } from '../../../server/import/secret.ts';
import { expectedPersonKey, freshStorePath, idNumber, importOk, profileRows, writeText, YANHAI } from '../../helpers/fixtures.ts';

const SAMPLES = [
  '',
  'A',
  'WJ-2016-0001', // 12 bytes: the longest DuckDB keeps inline
  'WJ-2016-00012', // 13 bytes: the shortest behind a pointer
  '11010519491231002X',
  '欧阳娜娜的问卷编号',
  'x'.repeat(55), // the longest that fits one block after the pad
  'y'.repeat(56),
  '长'.repeat(200), // 600 bytes: many blocks
];

function nodeKey(secret: Buffer, s: string): string {
  return BigInt(`0x${createHmac('sha256', secret).update(s, 'utf8').digest('hex').slice(0, 32)}`).toString();
}

/** 5,000 rows (three vectors): the samples in turn, every 7th row NULL, plus a row number. */
const ROWS_SQL = `SELECT i, CASE WHEN i % 7 = 3 THEN NULL ELSE (list_value(${SAMPLES.map((_, j) => `$s${j}`).join(', ')}))[i % ${SAMPLES.length} + 1] END AS s
  FROM range(5000) r(i)`;
const sampleParams = Object.fromEntries(SAMPLES.map((s, j) => [`s${j}`, s]));

describe('person keys', () => {
  it.skipIf(!nativeKeys)('native and SQL keys are equal and equal to Node’s HMAC, NULL stays NULL, across vectors', async () => {
    const secret = randomBytes(32);
    const pads = hmacPads(secret);
    const store = await Store.open(':memory:');
    try {
      expect(await preparePersonKeys(store, pads)).toBe(true);
      expect(usesNativeKeys(store)).toBe(true);
      const rows = await store.all<{ i: number; s: string | null; native: string | null; sql: string | null }>(
        `SELECT i::INTEGER AS i, s, ${personKeyExpr(store, 's')} AS native, ${personKeySql('s', { ipad: '$ipad', opad: '$opad' })} AS sql
         FROM (${ROWS_SQL}) ORDER BY i`,
        { ...sampleParams, ipad: new DuckDBBlobValue(pads.ipad), opad: new DuckDBBlobValue(pads.opad) },
      );
      expect(rows).toHaveLength(5000);
      const expected = new Map(SAMPLES.map((s) => [s, nodeKey(secret, s)]));
      let nulls = 0;
      for (const r of rows) {
        if (r.s === null) {
          nulls++;
          expect(r.native, `row ${r.i}`).toBeNull();
          continue;
        }
        expect(r.native, `row ${r.i}: ${r.s}`).toBe(expected.get(r.s));
        expect(r.sql, `row ${r.i}: ${r.s}`).toBe(r.native);
      }
      expect(nulls).toBe(Math.ceil((5000 - 3) / 7));
      // A store keeps the secret its function was registered with.
      await expect(preparePersonKeys(store, hmacPads(randomBytes(32)))).rejects.toThrow(/another secret/);
    } finally {
      store.close();
    }
  });

  it.skipIf(!nativeKeys)('the addon refuses what is not a DuckDB connection, a library that is not loaded and pads of the wrong size', async () => {
    const pad = new Uint8Array(64);
    const lib = 'libduckdb.so';
    expect(() => nativeKeys?.register({}, lib, pad, pad, 'k1')).toThrow(/not a DuckDB connection/);
    const store = await Store.open(':memory:');
    try {
      const handle = (store.conn as unknown as { connection: unknown }).connection;
      expect(() => nativeKeys?.register(handle, '/nonexistent/libduckdb.so', pad, pad, 'k1')).toThrow(/not loaded/);
      expect(await preparePersonKeys(store, hmacPads(randomBytes(32)))).toBe(true);
      const result = await store.all<{ k: string }>(`SELECT ${PERSON_KEY_FUNCTION}('A')::VARCHAR AS k`);
      expect(result).toHaveLength(1);
      const lib = libduckdbPath()!;
      expect(() => nativeKeys?.register(handle, lib, pad.subarray(1), pad, 'k2')).toThrow(/64-byte/);
    } finally {
      store.close();
    }
  });

  it.runIf(process.env.CI)('CI builds the addon (npm ci runs native/build.mjs), so the fast path is the tested one', () => {
    expect(nativeKeys).not.toBeNull();
  });

  it('the importer stores the same keys with the addon and with SQL alone', async () => {
    const { dir, dbPath } = freshStorePath();
    const folder = join(dir, '盐海社区_2016Q4');
    const ids = Array.from({ length: 3000 }, (_, i) => idNumber(i));
    writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
    writeText(join(folder, '志愿者名册.csv'), [['身份证号', '注册日期'], ...ids.map((id, i) => [i % 2 ? id.toLowerCase() : ` ${id} `, '2016-01-01'])]);
    // Two stores with one secret: the second gets a copy of the first's.
    const keysOf = async (path: string, native: boolean) => {
      const store = await Store.open(path);
      try {
        await importOk(store, [folder], { nativeKeys: native });
        expect(usesNativeKeys(store)).toBe(native && nativeKeys !== null);
        return (await store.all<{ k: string }>(`SELECT person_key AS k FROM volunteers ORDER BY src_row`)).map((r) => r.k);
      } finally {
        store.close();
      }
    };
    const sql = await keysOf(dbPath, false);
    expect(sql).toEqual(ids.map((id) => expectedPersonKey(dbPath, id)));
    const other = join(dir, 'other.duckdb');
    copyFileSync(secretPath(dbPath), secretPath(other));
    expect(await keysOf(other, true)).toEqual(sql);
  });
});
