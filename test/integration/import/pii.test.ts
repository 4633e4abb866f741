// Acceptance: personal data never reaches the store in clear. After importing
// rosters with known ID numbers, names and phones, no column of any table
// (cast to VARCHAR) and no byte of the .duckdb/.wal files holds them; every
// person_key is the first 128 bits of HMAC-SHA-256 of the upper-cased ID with
// the secret beside the DB.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../server/db/store.ts';
import { secretPath } from '../../../server/import/secret.ts';
import {
  expectedPersonKey,
  freshStorePath,
  importOk,
  importRejected,
  profileRows,
  writeText,
  writeXlsx,
  YANHAI,
} from '../../helpers/fixtures.ts';
import { findInStore } from '../../helpers/snapshot.ts';

const VOLS = [
  { id: '11010519491231002x', name: '欧阳娜娜', phone: '13912345678' },
  { id: '440524188001010014', name: '司马懿德', phone: '18600001111' },
  { id: '320311197701012345', name: '诸葛亮明', phone: '0351-7654321' },
];
const WORKERS = [
  { id: '510107198811112222', name: '上官婉清' },
  { id: '37028319900707771X', name: '皇甫嵩山' },
];
const RESIDENTS = [{ id: '140302195505055555', name: '东方不败' }];
const RESPONDENTS = ['WJ-2016-000123', 'WJ-2016-000456'];

const CLEAR = [
  ...VOLS.flatMap((v) => [v.id, v.id.toUpperCase(), v.name, v.phone]),
  ...WORKERS.flatMap((w) => [w.id, w.name]),
  ...RESIDENTS.flatMap((r) => [r.id, r.name]),
  ...RESPONDENTS,
];

/** Every file of the store (the DB, its WAL, any temp spill) with its bytes. */
function storeFiles(dbPath: string): { name: string; bytes: Buffer }[] {
  const dir = join(dbPath, '..');
  const base = dbPath.split('/').pop()!;
  const out: { name: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(base)) continue;
    const p = join(dir, name);
    if (statSync(p).isFile()) out.push({ name, bytes: readFileSync(p) });
  }
  return out;
}

function grepBytes(files: { name: string; bytes: Buffer }[], needles: string[]): string[] {
  const hits: string[] = [];
  for (const f of files) {
    for (const n of needles) {
      for (const [enc, b] of [
        ['utf8', Buffer.from(n, 'utf8')],
        ['gbk', iconv.encode(n, 'gbk')],
        ['utf16le', Buffer.from(n, 'utf16le')],
      ] as const) {
        if (f.bytes.includes(b)) hits.push(`${f.name}: ${n} (${enc})`);
      }
    }
  }
  return hits;
}

describe('personal data', () => {
  it('no clear ID, name or phone anywhere in the store; person_key is the (128-bit) HMAC of the upper-cased ID', async () => {
    const { dir, dbPath } = freshStorePath();
    const folder = join(dir, '盐海社区_2016Q4');
    writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
    writeText(
      join(folder, '志愿者名册.csv'),
      [['身份证号', '姓名', '手机号', '注册日期'], ...VOLS.map((v) => [v.id, v.name, v.phone, '2016-01-01'])],
      { encoding: 'gbk' },
    );
    writeText(join(folder, '居民参与.csv'), [['居民编号', '姓名', '参与组织', '加入日期'], ...RESIDENTS.map((r) => [r.id, r.name, '夕阳红舞蹈队', '2016-02-01'])]);
    writeText(join(folder, '满意度.csv'), [['问卷编号', '调查日期', '满意度'], ...RESPONDENTS.map((r, i) => [r, '2016-12-01', i ? '满意' : 5])]);
    await writeXlsx(join(folder, '社工.xlsx'), [
      {
        name: '社会工作者',
        rows: [['序号', '身份证号', '姓名', '职业水平', '入职日期'], ...WORKERS.map((w, i) => [i + 1, w.id, w.name, '社会工作师', '2015-03-01'])],
      },
    ]);

    const store = await Store.open(dbPath);
    let walWhileOpen: { name: string; bytes: Buffer }[] = [];
    try {
      const s = await importOk(store, [folder]);
      expect(s.rows).toBe(1 + VOLS.length + WORKERS.length + RESIDENTS.length + RESPONDENTS.length);
      // A rejected import that names a clear ID (a duplicate) must not leak it either.
      writeText(join(dir, 'dup', '盐海社区_2016Q4_志愿者.csv'), [['身份证号', '姓名', '注册日期'], [VOLS[0].id, VOLS[0].name, '2016-01-01'], [VOLS[0].id, VOLS[0].name, '2016-01-01']]);
      const problems = await importRejected(store, [join(dir, 'dup')]);
      expect(problems.map((p) => p.code)).toContain('DUPLICATE_KEY');
      for (const needle of CLEAR) expect(JSON.stringify(problems).toUpperCase()).not.toContain(needle.toUpperCase());

      expect(await findInStore(store, CLEAR)).toEqual([]);
      // Positive control: the search does find what is stored.
      expect(await findInStore(store, [YANHAI.name.slice(0, 2)])).toContainEqual({ table: 'org_units', column: 'name', needle: '盐海' });

      const keys = await store.all<{ t: string; src_row: number; k: string }>(
        `SELECT 'volunteers' AS t, src_row, person_key AS k FROM volunteers
         UNION ALL SELECT 'social_workers', src_row, person_key FROM social_workers
         UNION ALL SELECT 'participation', src_row, person_key FROM participation
         UNION ALL SELECT 'surveys', src_row, respondent_key FROM surveys ORDER BY 1, 2`,
      );
      expect(keys).toEqual([
        ...RESIDENTS.map((r, i) => ({ t: 'participation', src_row: i + 2, k: expectedPersonKey(dbPath, r.id) })),
        ...WORKERS.map((w, i) => ({ t: 'social_workers', src_row: i + 2, k: expectedPersonKey(dbPath, w.id) })),
        ...RESPONDENTS.map((r, i) => ({ t: 'surveys', src_row: i + 2, k: expectedPersonKey(dbPath, r) })),
        ...VOLS.map((v, i) => ({ t: 'volunteers', src_row: i + 2, k: expectedPersonKey(dbPath, v.id) })),
      ]);
      // The lower-case check letter hashes like the upper-case one.
      expect(expectedPersonKey(dbPath, VOLS[0].id)).toBe(expectedPersonKey(dbPath, VOLS[0].id.toUpperCase()));
      // No name or phone column exists at all.
      expect(
        await store.all(`SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND column_name IN ('name', 'phone') AND table_name NOT IN ('org_units', 'import_files')`),
      ).toEqual([]);
      walWhileOpen = storeFiles(dbPath).filter((f) => f.name.endsWith('.wal'));
    } finally {
      store.close();
    }
    const secret = secretPath(dbPath);
    expect(existsSync(secret)).toBe(true);
    expect(statSync(secret).mode & 0o077).toBe(0);
    const files = storeFiles(dbPath);
    expect(files.map((f) => f.name)).toContain('store.duckdb');
    expect(grepBytes([...files, ...walWhileOpen], CLEAR)).toEqual([]);
  });
});
