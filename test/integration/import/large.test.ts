// Acceptance: large text files (which take the importer's bulk path) follow
// the same contract as small ones: title, summary and notes rows skipped, GBK
// decoded, exact values stored, and every bad row reported with its Excel row
// number, column and value; a rejected large file leaves the store unchanged.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BULK_MIN_BYTES } from '../../../server/import/bulk.ts';
import { expectedPersonKey, importOk, importRejected, openFreshStore, profileRows, writeFile, writeText, YANHAI } from '../../helpers/fixtures.ts';
import { findInStore, snapshotStore } from '../../helpers/snapshot.ts';

const ROWS = 280_000; // ~17 MB: above the bulk threshold (16 MB)

/** Excel row of data record k (0-based): title, header, then the records. */
const excelRow = (k: number) => k + 3;

function bigGbkRoster(bad: Map<number, string>): Buffer {
  const parts: string[] = ['盐海社区2016年第四季度志愿者名册\r\n', '身份证号,姓名,手机,注册日期,是否党员,服务时长（小时）\r\n'];
  for (let k = 0; k < ROWS; k++) {
    parts.push(bad.get(k) ?? `1403021980${String(k).padStart(8, '0')},欧阳明月,139${String(k).padStart(8, '0')},2016年1月${(k % 28) + 1}日,${k % 2 ? '否' : '是'},${k % 50}\r\n`);
  }
  parts.push('合计,,,,,1234\r\n', '填表说明：身份证号须为18位\r\n');
  return iconv.encode(parts.join(''), 'gbk');
}

/** The 盐海社区 2016Q4 export folder: its profile and the big roster, above the bulk threshold. */
function writeExportFolder(dir: string, bad: Map<number, string>): string {
  const folder = join(dir, '盐海社区_2016Q4');
  writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
  const bytes = bigGbkRoster(bad);
  expect(bytes.length).toBeGreaterThanOrEqual(BULK_MIN_BYTES);
  writeFile(join(folder, '志愿者.csv'), bytes);
  return folder;
}

describe('large text files', () => {
  it('a 17 MB GBK roster with title, summary and notes rows loads exactly', async () => {
    const { dir, dbPath, store } = await openFreshStore();
    try {
      const folder = writeExportFolder(dir, new Map());
      const s = await importOk(store, [folder]);
      expect(s.rows).toBe(ROWS + 1);
      expect(await store.one(`SELECT count(*)::INTEGER AS n, min(src_row) AS lo, max(src_row) AS hi, count(DISTINCT person_key)::INTEGER AS k FROM cur_volunteers`)).toEqual({
        n: ROWS,
        lo: 3,
        hi: ROWS + 2,
        k: ROWS,
      });
      const k = 123_457;
      expect(
        await store.one(`SELECT person_key, CAST(registered_on AS VARCHAR) AS r, party_member AS p, service_hours AS h FROM cur_volunteers WHERE src_row = $row`, {
          row: excelRow(k),
        }),
      ).toEqual({ person_key: expectedPersonKey(dbPath, `1403021980${String(k).padStart(8, '0')}`), r: `2016-01-${String((k % 28) + 1).padStart(2, '0')}`, p: false, h: k % 50 });
      expect(await store.one(`SELECT encoding FROM import_files WHERE name = '志愿者.csv'`)).toEqual({ encoding: 'gb18030' });
      // The bulk path hashes in the read pass: no clear ID, name or phone reaches a stored table.
      const clear = [`1403021980${String(k).padStart(8, '0')}`, `139${String(k).padStart(8, '0')}`, '欧阳明月'];
      expect(await findInStore(store, clear)).toEqual([]);
      // Positive control: the search finds what is stored, a 128-bit key included.
      const key = expectedPersonKey(dbPath, `1403021980${String(k).padStart(8, '0')}`);
      expect(await findInStore(store, [key])).toContainEqual({ table: 'volunteers', column: 'person_key', needle: key });
    } finally {
      store.close();
    }
  });

  it('a large file hashed while it is staged: byte-identical again is a no-op, same name and size with other bytes is new', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const folder = writeExportFolder(dir, new Map());
      const first = await importOk(store, [folder]);
      const sha = createHash('sha256').update(readFileSync(join(folder, '志愿者.csv'))).digest('hex');
      expect(first.files.find((f) => f.file.endsWith('志愿者.csv'))).toMatchObject({ sha256: sha, status: 'loaded' });
      const before = await snapshotStore(store);
      const again = await importOk(store, [folder]);
      expect(again.status).toBe('unchanged');
      expect(await snapshotStore(store)).toEqual(before);
      // One byte changed: same name, same size, other content.
      const changed = new Map([[7, `140302198000000007,欧阳明月,13900000007,2016年1月8日,否,8\r\n`]]);
      writeExportFolder(dir, changed);
      const third = await importOk(store, [folder]);
      expect(third.files.find((f) => f.file.endsWith('志愿者.csv'))).toMatchObject({ status: 'loaded', rows: ROWS });
      expect(await store.one(`SELECT service_hours AS h FROM cur_volunteers WHERE src_row = $row`, { row: excelRow(7) })).toEqual({ h: 8 });
    } finally {
      store.close();
    }
  });

  it('every bad row of a 17 MB roster is reported with its Excel row, and nothing is stored', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const before = await snapshotStore(store);
      const bad = new Map<number, string>([
        [99_997, '140302198000099997,李明,,2016-13-45,是,1\r\n'],
        [199_997, '140302198000199997,李明,,2016-01-01,是,1,多余\r\n'],
        [249_997, '140302198000249997,李明,,2016-01-01,也许,-3\r\n'],
        [269_997, '140302198000000005,李明,,2016-01-01,是,1\r\n'], // the ID of record 5 again
      ]);
      const folder = writeExportFolder(dir, bad);
      const problems = await importRejected(store, [folder]);
      const errors = problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.row, p.column ?? null, p.value ?? null]);
      expect(errors).toEqual(
        expect.arrayContaining([
          ['BAD_DATE', 100_000, '注册日期', '2016-13-45'],
          ['EXTRA_CELLS', 200_000, null, '多余'],
          ['BAD_BOOL', 250_000, '是否党员', '也许'],
          ['NEGATIVE', 250_000, '服务时长（小时）', '-3'],
        ]),
      );
      const dup = problems.find((p) => p.code === 'DUPLICATE_KEY');
      expect(dup).toMatchObject({ file: '盐海社区_2016Q4/志愿者.csv', row: excelRow(269_997), column: '身份证号' });
      expect(errors).toHaveLength(5);
      expect(await snapshotStore(store)).toEqual(before);
    } finally {
      store.close();
    }
  });
  it('a duplicate ID on the bulk path is found through the HMAC of the read pass, the check letter case ignored', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const before = await snapshotStore(store);
      const row = (id: string) => `${id},李明,,2016-01-01,是,1\r\n`;
      const bad = new Map<number, string>([
        // Cells trimmed of ASCII and full-width spaces alike.
        [10, row('14030219800000001X ')],
        [269_997, row('\u300014030219800000001x')],
      ]);
      const folder = writeExportFolder(dir, bad);
      const problems = await importRejected(store, [folder]);
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors).toEqual([
        expect.objectContaining({ code: 'DUPLICATE_KEY', row: excelRow(269_997), column: '身份证号', value: expect.stringMatching(/^14\*+001X$/) }),
      ]);
      expect(errors[0].message).toContain(`第 ${excelRow(10)}、${excelRow(269_997)} 行`);
      expect(await snapshotStore(store)).toEqual(before);
    } finally {
      store.close();
    }
  });
});
