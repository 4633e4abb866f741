// Acceptance: the CLI. `import --json` output shape, exit status 1 on
// rejection with the Chinese report on stderr, `--dry-run` stores nothing,
// `batches` lists the batches with each file's SHA-256.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  freshStorePath,
  idNumber,
  PEOPLE,
  profileRows,
  runCli,
  volunteerRows,
  writeExport,
  writeText,
  YANHAI,
} from '../../helpers/fixtures.ts';
import { snapshotStore } from '../../helpers/snapshot.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('sanshe import / batches', () => {
  it('import --json, then --dry-run (stores nothing), then batches (--json and text) with SHA-256', async () => {
    const { dir, dbPath } = freshStorePath();
    const xlsx = await writeExport(dir, 'xlsx', { stem: '盐海社区_2016Q4', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } });

    const t0 = Date.now();
    const r = await runCli(['import', '--db', dbPath, '--json', xlsx]);
    const t1 = Date.now();
    expect(r.stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toEqual({
      batchId: 1,
      status: 'committed',
      files: [{ file: '盐海社区_2016Q4.xlsx', sha256: sha(xlsx), bytes: readFileSync(xlsx).length, status: 'loaded', rows: 4, tables: ['profile', 'volunteers'] }],
      rows: 4,
      problems: [],
      dataVersion: 1,
    });

    // A dry run of a new export: checked, nothing stored.
    const before = await snapshotStore(dbPath);
    const folder = join(dir, '盐海社区_2016Q3');
    writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q3'));
    writeText(join(folder, '志愿者.csv'), volunteerRows(PEOPLE.slice(0, 2)));
    const dry = await runCli(['import', '--db', dbPath, '--dry-run', '--json', folder]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ batchId: null, status: 'dry_run', rows: 3, files: [{ status: 'checked' }, { status: 'checked' }] });
    expect(await snapshotStore(dbPath)).toEqual(before);

    // Now for real, in text mode.
    const real = await runCli(['import', '--db', dbPath, folder]);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('批次 2 已提交');
    expect(real.stdout).toContain('盐海社区_2016Q3/志愿者.csv: 已导入，2 行（volunteers）');

    const b = await runCli(['batches', '--db', dbPath, '--json']);
    expect(b.code).toBe(0);
    const batches = JSON.parse(b.stdout);
    expect(batches.map((x: { batch_id: number; row_count: number; file_count: number; status: string }) => [x.batch_id, x.row_count, x.file_count, x.status])).toEqual([
      [2, 3, 2, 'committed'],
      [1, 4, 1, 'committed'],
    ]);
    expect(batches[1].files).toEqual([expect.objectContaining({ path: '盐海社区_2016Q4.xlsx', sha256: sha(xlsx), row_count: 4, format: 'xlsx' })]);
    expect(batches[0].files.map((f: { path: string; sha256: string }) => [f.path, f.sha256])).toEqual([
      ['盐海社区_2016Q3/基本情况.csv', sha(join(folder, '基本情况.csv'))],
      ['盐海社区_2016Q3/志愿者.csv', sha(join(folder, '志愿者.csv'))],
    ]);
    // Times are UTC instants with a Z (a bare time would read as the reader's local time).
    expect(batches[1].started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(batches[1].started_at)).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000);
    expect(Date.parse(batches[1].started_at)).toBeLessThanOrEqual(t1);
    // The text listing shows the operator's local time with its offset.
    const text = await runCli(['batches', '--db', dbPath], { TZ: 'Asia/Shanghai' });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^批次 2 .*2 个文件 {2}3 行$/m);
    const local = new Date(Date.parse(batches[1].started_at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(text.stdout).toMatch(new RegExp(`^批次 1 {2}${local} \\(UTC\\+08:00\\) `, 'm'));
    expect(text.stdout).toContain(`sha256 ${sha(xlsx).slice(0, 12)}`);
  });

  it('exit status 1 on rejection, the Chinese report on stderr (or JSON on stdout with --json), nothing stored', async () => {
    const { dir, dbPath } = freshStorePath();
    const folder = join(dir, '盐海社区_2016Q4');
    writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
    writeText(join(folder, '志愿者.csv'), [
      ['身份证号', '注册日期', '服务时长'],
      [idNumber(1), '2016-13-45', '1'],
      [idNumber(2), '2016-01-01', '-2'],
    ]);
    const r = await runCli(['import', '--db', dbPath, folder]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('导入被拒绝：发现 2 个错误，数据库未作任何更改。');
    expect(r.stderr).toContain('错误：盐海社区_2016Q4/志愿者.csv › 第 2 行 › 列「注册日期」：');
    expect(r.stderr).toContain('，值「2016-13-45」 [registered_on]');
    expect(r.stderr).toContain('错误：盐海社区_2016Q4/志愿者.csv › 第 3 行 › 列「服务时长」：数量不能为负数，值「-2」 [service_hours]');

    const j = await runCli(['import', '--db', dbPath, '--json', folder]);
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout);
    expect(out.status).toBe('rejected');
    expect(out.problems.map((p: { code: string; row: number; column: string; value: string; file: string }) => [p.code, p.file, p.row, p.column, p.value])).toEqual([
      ['BAD_DATE', '盐海社区_2016Q4/志愿者.csv', 2, '注册日期', '2016-13-45'],
      ['NEGATIVE', '盐海社区_2016Q4/志愿者.csv', 3, '服务时长', '-2'],
    ]);
    const snap = await snapshotStore(dbPath);
    expect(snap.import_batches).toEqual([]);
    expect(snap.exports).toEqual([]);
  });
});
