// Acceptance: a real process killed with SIGKILL in the middle of a large
// import leaves the store exactly as before (whole-store snapshot), and a
// normal import still works; two processes importing into one store at once
// either both succeed in turn (lock wait) or one fails cleanly with the
// 'store busy' message and exit code 3, and the store stays consistent;
// two imports at once in one process on one Store both succeed.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../server/db/store.ts';
import {
  type Community,
  cloneStore,
  collect,
  HEPING,
  importOk,
  openFreshStore,
  PEOPLE,
  profileRows,
  ROOT,
  spawnCli,
  tempDir,
  volunteerRows,
  writeBigVolunteerCsv,
  writeExport,
  writeText,
  XINCUN,
  YANHAI,
} from '../../helpers/fixtures.ts';
import { consistencyViolations, snapshotStore } from '../../helpers/snapshot.ts';

const BIG_ROWS = 300_000;

/** A folder export: the community's profile plus a big volunteer roster. */
function bigExport(dir: string, c: Community, rows: number, idBase: number): string {
  const folder = join(dir, `${c.name}_2016Q4`);
  writeText(join(folder, '基本情况.csv'), profileRows(c, '2016Q4'));
  writeBigVolunteerCsv(join(folder, '志愿者.csv'), rows, idBase);
  return folder;
}

let template: Promise<string> | undefined;

/** A fresh store (copied from a template built once) holding one small committed batch; closed. */
async function baselineStore(): Promise<{ dir: string; dbPath: string }> {
  template ??= (async () => {
    const { dir, dbPath, store } = await openFreshStore();
    try {
      await importOk(store, [await writeExport(dir, 'xlsx', { stem: '新村社区_2016Q3', tables: { 基本情况: profileRows(XINCUN, '2016Q3'), 志愿者: volunteerRows(PEOPLE) } })]);
    } finally {
      store.close();
    }
    return dbPath;
  })();
  return cloneStore(await template);
}

function spawnChild(dbPath: string, paths: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'import-child.ts'), dbPath, ...paths], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves when a line of the child's stdout satisfies `pred` (or rejects when the child exits first). */
function waitForLine(child: ChildProcess, pred: (o: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('utf8');
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        try {
          const o = JSON.parse(line);
          if (pred(o)) {
            child.stdout?.off('data', onData);
            resolve(o);
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before the awaited line; seen: ${buf}`)));
  });
}

async function assertRecovered(dbPath: string, before: Awaited<ReturnType<typeof snapshotStore>>, dir: string): Promise<void> {
  const store = await Store.open(dbPath);
  try {
    expect(await snapshotStore(store)).toEqual(before);
    expect(await consistencyViolations(store)).toEqual([]);
    // A normal import still works afterwards.
    const s = await importOk(store, [
      await writeExport(dir, 'csv-folder', { stem: `和平社区_2016Q4_after_${Date.now()}`, tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } }),
    ]);
    expect(s.status).toBe('committed');
    expect(await store.all(`SELECT org_unit, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
      { org_unit: HEPING.code, n: 3 },
      { org_unit: XINCUN.code, n: 3 },
    ]);
    expect(await consistencyViolations(store)).toEqual([]);
  } finally {
    store.close();
  }
}

describe('SIGKILL mid-import', () => {
  let bigDir: string;
  let big: string;
  beforeAll(() => {
    bigDir = tempDir();
    big = bigExport(bigDir, YANHAI, BIG_ROWS, 0);
  });

  it('killed while loading rows into the store: the store is exactly as before', async () => {
    const { dir, dbPath } = await baselineStore();
    const before = await snapshotStore(dbPath);
    const child = spawnChild(dbPath, [big]);
    const done = collect(child);
    await waitForLine(child, (o) => o.phase === 'load');
    child.kill('SIGKILL');
    const r = await done;
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toContain('"done":true');
    await assertRecovered(dbPath, before, dir);
  });

  it('the CLI killed as soon as the import is under way (WAL appears or ~500 ms into the work)', async () => {
    const { dir, dbPath } = await baselineStore();
    const before = await snapshotStore(dbPath);
    const t0 = Date.now();
    const child = spawnCli(['import', '--db', dbPath, big]);
    const done = collect(child);
    let exited = false;
    done.then(() => {
      exited = true;
    });
    // tsx start-up takes most of a second; then the read and staging of 300k rows take seconds.
    while (!exited && !existsSync(`${dbPath}.wal`) && Date.now() - t0 < 1800) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    const r = await done;
    expect(r.signal, `the import finished before the kill (exit ${r.code}): make the file bigger`).toBe('SIGKILL');
    await assertRecovered(dbPath, before, dir);
  });
});

describe('concurrency', () => {
  it('two processes at once with a lock wait: both succeed in turn, each batch complete', async () => {
    const { dir, dbPath } = await baselineStore();
    const a = bigExport(dir, YANHAI, 15_000, 0);
    const b = bigExport(dir, HEPING, 15_000, 1_000_000);
    const env = { SANSHE_LOCK_WAIT_MS: '60000' };
    const [ra, rb] = await Promise.all([collect(spawnCli(['import', '--db', dbPath, '--json', a], env)), collect(spawnCli(['import', '--db', dbPath, '--json', b], env))]);
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0]);
    expect([JSON.parse(ra.stdout).batchId, JSON.parse(rb.stdout).batchId].sort()).toEqual([2, 3]);
    const store = await Store.open(dbPath);
    try {
      expect(await consistencyViolations(store)).toEqual([]);
      expect(await store.all(`SELECT org_unit, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
        { org_unit: YANHAI.code, n: 15_000 },
        { org_unit: HEPING.code, n: 15_000 },
        { org_unit: XINCUN.code, n: 3 },
      ]);
    } finally {
      store.close();
    }
  });

  it('two processes at once without a lock wait: one may fail cleanly with exit 3 and the store-busy message', async () => {
    const { dir, dbPath } = await baselineStore();
    const a = bigExport(dir, YANHAI, 15_000, 0);
    const b = bigExport(dir, HEPING, 15_000, 1_000_000);
    const env = { SANSHE_LOCK_WAIT_MS: '0' };
    const results = await Promise.all([collect(spawnCli(['import', '--db', dbPath, a], env)), collect(spawnCli(['import', '--db', dbPath, b], env))]);
    const codes = results.map((r) => r.code);
    expect(codes.every((c) => c === 0 || c === 3), JSON.stringify(results)).toBe(true);
    expect(codes).toContain(0);
    for (const r of results.filter((x) => x.code === 3)) {
      expect(r.stderr).toContain('正被另一个进程');
      expect(r.stderr).toContain('请等待其完成后重试');
      expect(r.stdout).toBe('');
    }
    const store = await Store.open(dbPath);
    try {
      expect(await consistencyViolations(store)).toEqual([]);
      const committed = results.filter((r) => r.code === 0).length;
      expect((await store.all(`SELECT batch_id FROM import_batches`)).length).toBe(1 + committed);
      const units = (await store.all<{ org_unit: string }>(`SELECT DISTINCT org_unit FROM cur_volunteers WHERE period = '2016Q4' ORDER BY 1`)).map((r) => r.org_unit);
      const expected = [results[0].code === 0 ? YANHAI.code : null, results[1].code === 0 ? HEPING.code : null].filter(Boolean).sort();
      expect(units).toEqual(expected);
    } finally {
      store.close();
    }
  });

  it('two importPaths calls at once on one Store in one process both succeed (transactions queued)', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const a = bigExport(dir, YANHAI, 5_000, 0);
      const b = await writeExport(dir, 'xlsx', { stem: '和平社区_2016Q4', tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } });
      const c = await writeExport(dir, 'zip', { stem: '新村社区_2016Q4', tables: { 基本情况: profileRows(XINCUN, '2016Q4'), 志愿者: volunteerRows(PEOPLE.slice(1)) } });
      const results = await Promise.all([importOk(store, [a]), importOk(store, [b]), importOk(store, [c])]);
      expect(results.map((r) => r.status)).toEqual(['committed', 'committed', 'committed']);
      expect(results.map((r) => r.batchId).sort()).toEqual([1, 2, 3]);
      expect(await consistencyViolations(store)).toEqual([]);
      expect(await store.all(`SELECT org_unit, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
        { org_unit: YANHAI.code, n: 5_000 },
        { org_unit: HEPING.code, n: 3 },
        { org_unit: XINCUN.code, n: 2 },
      ]);
    } finally {
      store.close();
    }
  });
});
