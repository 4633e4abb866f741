// Acceptance: a newer export for the same (unit, period, table) supersedes the
// older one (cur_* views show only the new rows; the old rows, file and export
// stay queryable); re-importing a byte-identical file is 'unchanged' and the
// store snapshot is identical; a dry run stores nothing.

import { describe, expect, it } from 'vitest';
import {
  expectedPersonKey,
  HEPING,
  idNumber,
  importOk,
  openFreshStore,
  PEOPLE,
  profileRows,
  volunteerRows,
  writeExport,
  YANHAI,
} from '../../helpers/fixtures.ts';
import { snapshotStore } from '../../helpers/snapshot.ts';

const NEW_PEOPLE = [
  { id: idNumber(501), name: '赵六', phone: '13700000001', registered: '2016-11-01' },
  { id: idNumber(502), name: '孙七', phone: '13700000002', registered: '2016-12-01' },
];

describe('supersession', () => {
  it('a newer export of the same unit, period and table supersedes the older; history stays', async () => {
    const { dir, dbPath, store } = await openFreshStore();
    try {
      const a = await writeExport(dir, 'xlsx', {
        stem: '盐海社区_2016Q4',
        tables: {
          基本情况: profileRows(YANHAI, '2016Q4', { population: 5000 }),
          志愿者: volunteerRows(PEOPLE),
          社会组织: [['组织名称', '成立日期'], ['夕阳红舞蹈队', '2015-01-01']],
        },
      });
      const other = await writeExport(dir, 'csv-folder', {
        stem: '和平社区_2016Q4',
        tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE.slice(0, 1)) },
      });
      const q3 = await writeExport(dir, 'csv-folder', {
        stem: '盐海社区_2016Q3',
        tables: { 基本情况: profileRows(YANHAI, '2016Q3'), 志愿者: volunteerRows(PEOPLE.slice(0, 2)) },
      });
      const s1 = await importOk(store, [a, other, q3]);
      expect(s1.batchId).toBe(1);

      // The corrected export: other people, and no social_orgs sheet this time.
      const b = await writeExport(dir, 'csv-folder', {
        stem: '盐海社区_2016Q4_更正',
        tables: { 基本情况: profileRows(YANHAI, '2016Q4', { population: 5100 }), 志愿者: volunteerRows(NEW_PEOPLE) },
      });
      const s2 = await importOk(store, [b]);
      expect(s2).toMatchObject({ batchId: 2, status: 'committed', rows: 3 });

      expect(await store.all(`SELECT org_unit, period, person_key, batch_id FROM cur_volunteers WHERE org_unit = $u AND period = '2016Q4' ORDER BY src_row`, { u: YANHAI.code })).toEqual(
        NEW_PEOPLE.map((p) => ({ org_unit: YANHAI.code, period: '2016Q4', person_key: expectedPersonKey(dbPath, p.id), batch_id: 2 })),
      );
      expect(await store.all(`SELECT org_unit, period, population::INTEGER AS p, batch_id FROM cur_profile ORDER BY org_unit, period`)).toEqual([
        { org_unit: YANHAI.code, period: '2016Q3', p: 5000, batch_id: 1 },
        { org_unit: YANHAI.code, period: '2016Q4', p: 5100, batch_id: 2 },
        { org_unit: HEPING.code, period: '2016Q4', p: 5000, batch_id: 1 },
      ]);
      // Untouched: another community, another period, a table the new export did not carry.
      expect(await store.all(`SELECT org_unit, period, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
        { org_unit: YANHAI.code, period: '2016Q3', n: 2 },
        { org_unit: YANHAI.code, period: '2016Q4', n: 2 },
        { org_unit: HEPING.code, period: '2016Q4', n: 1 },
      ]);
      expect(await store.all(`SELECT org_name, batch_id FROM cur_social_orgs`)).toEqual([{ org_name: '夕阳红舞蹈队', batch_id: 1 }]);

      // The old rows, export and file are all still there.
      expect(await store.all(`SELECT batch_id, count(*)::INTEGER AS n FROM volunteers WHERE org_unit = $u AND period = '2016Q4' GROUP BY ALL ORDER BY ALL`, { u: YANHAI.code })).toEqual([
        { batch_id: 1, n: 3 },
        { batch_id: 2, n: 2 },
      ]);
      const ex = await store.all<{ export_id: number; batch_id: number; table_name: string; superseded_by: number | null }>(
        `SELECT export_id, batch_id, table_name, superseded_by FROM exports WHERE org_unit = $u AND period = '2016Q4' ORDER BY export_id`,
        { u: YANHAI.code },
      );
      const newId = (t: string) => ex.find((e) => e.batch_id === 2 && e.table_name === t)!.export_id;
      expect(ex.map((e) => [e.batch_id, e.table_name, e.superseded_by]).sort()).toEqual(
        [
          [1, 'profile', newId('profile')],
          [1, 'social_orgs', null],
          [1, 'volunteers', newId('volunteers')],
          [2, 'profile', null],
          [2, 'volunteers', null],
        ].sort(),
      );
      expect((await store.all<{ name: string }>(`SELECT name FROM import_files ORDER BY file_id`)).map((r) => r.name)).toEqual([
        '盐海社区_2016Q4.xlsx',
        '和平社区_2016Q4_基本情况.csv',
        '和平社区_2016Q4_志愿者.csv',
        '盐海社区_2016Q3_基本情况.csv',
        '盐海社区_2016Q3_志愿者.csv',
        '盐海社区_2016Q4_更正_基本情况.csv',
        '盐海社区_2016Q4_更正_志愿者.csv',
      ]);
      // No export of the same (unit, period, table) is current twice.
      expect(
        await store.all(`SELECT org_unit, period, table_name FROM exports WHERE superseded_by IS NULL GROUP BY ALL HAVING count(*) > 1`),
      ).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('an empty roster (header only) is an export of zero rows and supersedes the older one', async () => {
    const { dir, store } = await openFreshStore();
    try {
      await importOk(store, [
        await writeExport(dir, 'csv-folder', { stem: '盐海社区_2016Q4', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } }),
      ]);
      const s = await importOk(store, [
        await writeExport(dir, 'xlsx', { stem: '盐海社区_2016Q4_v2', tables: { 基本情况: profileRows(YANHAI, '2016Q4', { population: 4999 }), 志愿者: [['身份证号', '注册日期']] } }),
      ]);
      expect(s.status).toBe('committed');
      expect(await store.all(`SELECT batch_id, row_count::INTEGER AS n, superseded_by IS NULL AS cur FROM exports WHERE table_name = 'volunteers' ORDER BY batch_id`)).toEqual([
        { batch_id: 1, n: 3, cur: false },
        { batch_id: 2, n: 0, cur: true },
      ]);
      expect(await store.all(`SELECT * FROM cur_volunteers`)).toEqual([]);
      expect((await store.all(`SELECT * FROM volunteers`)).length).toBe(3);
    } finally {
      store.close();
    }
  });

  it('re-importing byte-identical files returns unchanged and changes nothing', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const a = await writeExport(dir, 'xlsx', { stem: '盐海社区_2016Q4', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } });
      const b = await writeExport(dir, 'zip-gbk', {
        stem: '和平社区_2016Q4',
        tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE.slice(1)) },
        encoding: 'gbk',
      });
      const first = await importOk(store, [a, b]);
      expect(first.status).toBe('committed');
      const before = await snapshotStore(store);
      const version = await store.dataVersion();

      for (const paths of [[a], [b], [a, b], [b, a]]) {
        const again = await importOk(store, paths);
        expect(again.status).toBe('unchanged');
        expect(again.batchId).toBeNull();
        expect(again.rows).toBe(0);
        expect(again.dataVersion).toBe(version);
        expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
        expect(await snapshotStore(store)).toEqual(before);
      }
    } finally {
      store.close();
    }
  });

  it('a dry run checks everything and stores nothing', async () => {
    const { dir, store } = await openFreshStore();
    try {
      await importOk(store, [
        await writeExport(dir, 'csv-folder', { stem: '盐海社区_2016Q3', tables: { 基本情况: profileRows(YANHAI, '2016Q3'), 志愿者: volunteerRows(PEOPLE) } }),
      ]);
      const before = await snapshotStore(store);
      const p = await writeExport(dir, 'xlsx', { stem: '盐海社区_2016Q4', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(NEW_PEOPLE) } });
      const s = await importOk(store, [p], { dryRun: true });
      expect(s).toMatchObject({ status: 'dry_run', batchId: null, rows: 3 });
      expect(s.files).toEqual([expect.objectContaining({ file: '盐海社区_2016Q4.xlsx', status: 'checked', rows: 3, tables: ['profile', 'volunteers'] })]);
      expect(await snapshotStore(store)).toEqual(before);
      // And the real import afterwards works.
      expect((await importOk(store, [p])).status).toBe('committed');
    } finally {
      store.close();
    }
  });
});
