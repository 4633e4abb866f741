// `sanshe user add|passwd|disable|enable|list --db FILE ...`: local accounts.
// Passwords are read from SANSHE_PASSWORD or generated and printed once.

import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/log.ts';
import { AccountError, createAccount, listAccounts, setDisabled, setPassword } from '../auth/accounts.ts';
import { randomPassword } from '../auth/passwords.ts';
import { resolveDbPath, Store } from '../db/store.ts';

const USAGE = `usage:
  sanshe user add --db FILE --username NAME --role admin|leader|staff|community|street|evaluator [--scope CODE]
  sanshe user passwd --db FILE --username NAME
  sanshe user disable|enable --db FILE --username NAME
  sanshe user list --db FILE
(password: SANSHE_PASSWORD, else a random one printed once)
`;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let o: Record<string, string | undefined>;
  try {
    o = parseArgs({ args: rest, options: { db: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, scope: { type: 'string' } } }).values as Record<string, string | undefined>;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!sub || !['add', 'passwd', 'disable', 'enable', 'list'].includes(sub) || (sub !== 'list' && !o.username) || (sub === 'add' && !o.role)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const actor = `cli:${process.env.USER ?? 'unknown'}`;
  const store = await Store.open(resolveDbPath(o.db), { waitMs: 5000 });
  try {
    const given = process.env.SANSHE_PASSWORD;
    const password = given ?? randomPassword();
    const printPw = () => {
      if (!given) process.stdout.write(`一次性密码（只显示这一次，首次登录后请修改） one-time password: ${password}\n`);
    };
    if (sub === 'list') {
      for (const a of await listAccounts(store)) process.stdout.write(`${a.username}\t${a.role}\t${a.scope ?? '-'}\t${a.disabled ? '已停用 disabled' : '启用 enabled'}\n`);
      return 0;
    }
    const username = o.username!;
    if (sub === 'add') {
      await createAccount(store, { username, role: o.role!, scope: o.scope ?? null, password, mustChange: !given });
      await appendAudit(store, { actor, action: 'account_create', target: username, outcome: 'ok', detail: { role: o.role, scope: o.scope ?? null } });
      process.stdout.write(`已创建账号 ${username} (${o.role}${o.scope ? `, ${o.scope}` : ''})\n`);
      printPw();
    } else if (sub === 'passwd') {
      await setPassword(store, username, password, !given);
      await appendAudit(store, { actor, action: 'account_passwd', target: username, outcome: 'ok' });
      process.stdout.write(`已重设 ${username} 的密码，其所有会话已结束\n`);
      printPw();
    } else {
      await setDisabled(store, username, sub === 'disable');
      await appendAudit(store, { actor, action: sub === 'disable' ? 'account_disable' : 'account_enable', target: username, outcome: 'ok' });
      process.stdout.write(`${sub === 'disable' ? '已停用' : '已启用'}账号 ${username}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof AccountError) {
      process.stderr.write(`错误 ${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    store.close();
  }
}
