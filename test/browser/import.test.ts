// The import page in headless Chromium: signing in as staff, a bad file
// shows its problems (file, sheet, row, column, value, reason) and stores
// nothing; a good file passes the dry run, commits and shows the new batch.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launch, SAMPLE_DIR, type Server, SKIP_MESSAGE, STAFF, settled, shot, startServer, watch } from './harness.ts';

if (!HAS_CHROMIUM) console.warn(SKIP_MESSAGE);

/** A survey export of one community for the latest quarter, from the sample district, with one more respondent. */
function surveyFiles(dir: string): { good: string; bad: string } {
  // A UTF-8 survey export with the plain header (the sample varies forms and encodings on purpose).
  const quarters = readdirSync(SAMPLE_DIR).filter((d) => /^\d{4}Q\d$/.test(d)).sort().reverse();
  let found = null as { path: string; name: string } | null;
  for (const q of quarters) {
    for (const e of readdirSync(join(SAMPLE_DIR, q), { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      for (const f of readdirSync(join(SAMPLE_DIR, q, e.name))) {
        if (!f.endsWith('_测评.csv')) continue;
        const head = readFileSync(join(SAMPLE_DIR, q, e.name, f), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
        if (head === '序号,编号,日期,满意度') found ??= { path: join(SAMPLE_DIR, q, e.name, f), name: f };
      }
    }
    if (found) break;
  }
  if (!found) throw new Error('no plain UTF-8 survey export in the sample district');
  const name = found.name;
  const text = readFileSync(found.path, 'utf8').replace(/\r?\n$/, '');
  const lines = text.split(/\r?\n/);
  const last = lines[lines.length - 1].split(',');
  const n = lines.length;
  const id = last[1].replace(/\d+$/, (d) => String(Number(d) + 1).padStart(d.length, '0'));
  const good = [...lines, [String(n), id, last[2], '5'].join(',')].join('\r\n');
  const bad = [...lines, [String(n), id, last[2], 'abc'].join(',')].join('\r\n');
  mkdirSync(join(dir, 'good'), { recursive: true });
  mkdirSync(join(dir, 'bad'), { recursive: true });
  writeFileSync(join(dir, 'good', name), `${good}\r\n`);
  writeFileSync(join(dir, 'bad', name), `${bad}\r\n`);
  return { good: join(dir, 'good', name), bad: join(dir, 'bad', name) };
}

describe.skipIf(!HAS_CHROMIUM)('import page (headless Chromium)', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer('import');
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('bad file: problems table, nothing stored; good file: committed, new batch in the history', async () => {
    const dir = join(SAMPLE_DIR, '..', `upload-${process.pid}`);
    const { good, bad } = surveyFiles(dir);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors = watch(page);
    await page.goto(`${server.url}/#/import`);
    await settled(page);
    const before = (await server.api<{ rows: { batch_id: number }[] }>('/api/v1/batches')).rows;
    // Demo visitors may not import: sign in as staff.
    await page.fill('#login-user', STAFF.username);
    await page.fill('#login-pass', STAFF.password);
    await page.click('#login-submit');
    await page.waitForSelector('#dropzone');
    // The header follows the login at once: the staff name, and a way to sign out.
    await page.waitForSelector(`#user-badge[data-user="${STAFF.username}"] #logout`);

    await page.setInputFiles('#file-input', bad);
    await page.click('#btn-dry-run');
    await page.waitForSelector('#outcome', { timeout: 60_000 });
    expect(await page.locator('#outcome').getAttribute('data-status')).toBe('rejected');
    const row = await page.locator('#problems-table tbody tr').first().innerText();
    expect(row).toContain('abc');
    expect(row).toContain('满意度');
    expect(row).toContain('_测评.csv');
    expect(await page.locator('#btn-commit').isDisabled()).toBe(true);
    await shot(page, 'import-problems');
    expect((await server.api<{ rows: unknown[] }>('/api/v1/batches')).rows.length).toBe(before.length);

    await page.setInputFiles('#file-input', good);
    await page.click('#btn-dry-run');
    await page.waitForSelector('#outcome[data-status="dry_run"]', { timeout: 60_000 });
    // dashboards open in other tabs (the overview, the big screen of a review meeting) reload
    // their numbers by themselves once the commit is taken in
    const watching = await Promise.all(
      ['overview', 'present'].map(async (view) => {
        const w = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
        await w.goto(`${server.url}/#/${view}`);
        await settled(w);
        await w.waitForSelector('html[data-live="open"]', { timeout: 30_000 });
        return { view, w };
      }),
    );
    await page.click('#btn-commit');
    await page.waitForSelector('#outcome[data-status="committed"]', { timeout: 120_000 });
    for (const { view, w } of watching) {
      await w.waitForSelector('#data-updated', { timeout: 30_000 });
      expect(await w.locator('#data-updated').innerText(), view).toContain('数据已更新');
      await settled(w);
      await shot(w, `${view}-live-updated`);
      await w.close();
    }
    const batch = Number(await page.locator('#outcome').getAttribute('data-batch'));
    // how the dashboard took the commit in: at once, or recomputing (a plan run still being warmed)
    expect(['patched', 'recomputed']).toContain(await page.locator('#outcome').getAttribute('data-dashboard'));
    expect(await page.locator('#outcome').innerText()).toContain('仪表盘');
    const after = (await server.api<{ rows: { batch_id: number }[] }>('/api/v1/batches')).rows;
    expect(after.length).toBe(before.length + 1);
    expect(after.some((b) => b.batch_id === batch)).toBe(true);
    await page.waitForFunction((n) => document.querySelector('#history-table')?.getAttribute('data-rows') === String(n), after.length, { timeout: 30_000 });
    expect(await page.locator('#history-table tbody tr').first().innerText()).toContain(`#${batch}`);
    await shot(page, 'import-committed');
    // Signing out ends the session: the app starts again as a demo visitor, who may not import.
    await page.click('#logout');
    await page.waitForSelector('#user-badge[data-user=""]');
    await page.waitForSelector('#login-user');
    const after2 = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    expect(after2).toMatchObject({ authenticated: false, demo: true });
    expect(errors.filter((e) => !e.includes('/api/v1/uploads'))).toEqual([]);
    await page.close();
  });
});
