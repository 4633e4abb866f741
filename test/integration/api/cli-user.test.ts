// `sanshe user add/passwd/disable/enable/list` on a real store: hashes only,
// a generated password printed once, disable ends logins, every change audited.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../server/auth/accounts.ts';
import { Store } from '../../../server/db/store.ts';
import { runCli, tempDir } from '../../helpers/fixtures.ts';

describe('sanshe user', () => {
  it('adds, resets, disables and lists accounts', async () => {
    const db = join(tempDir(), 'store.duckdb');
    const add = await runCli(['user', 'add', '--db', db, '--username', 'lead', '--role', 'leader']);
    expect(add.code, add.stderr).toBe(0);
    const pw = /one-time password: (\S+)/.exec(add.stdout)?.[1];
    expect(pw).toBeTruthy();
    const bad = await runCli(['user', 'add', '--db', db, '--username', 'c1', '--role', 'community', '--scope', '123']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('BAD_SCOPE');
    const set = await runCli(['user', 'passwd', '--db', db, '--username', 'lead'], { SANSHE_PASSWORD: 'another-long-password' });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).not.toContain('one-time');
    expect((await runCli(['user', 'disable', '--db', db, '--username', 'lead'])).code).toBe(0);
    const list = await runCli(['user', 'list', '--db', db]);
    expect(list.stdout).toMatch(/lead\tleader\t-\t已停用/);
    const store = await Store.open(db);
    try {
      const hash = await store.one<{ h: string }>(`SELECT password_hash AS h FROM accounts WHERE username = 'lead'`);
      expect(hash!.h).toMatch(/^scrypt\$/);
      expect(hash!.h).not.toContain('another-long-password');
      expect(await authenticate(store, 'lead', 'another-long-password')).toBeNull();
      await store.run(`UPDATE accounts SET disabled = false WHERE username = 'lead'`);
      expect((await authenticate(store, 'lead', 'another-long-password'))?.role).toBe('leader');
      const audit = await store.all<{ action: string }>(`SELECT action FROM audit_log ORDER BY seq`);
      expect(audit.map((a) => a.action)).toEqual(['account_create', 'account_passwd', 'account_disable']);
    } finally {
      store.close();
    }
  });
});
