// Local accounts in the store: create, change password, disable, list, and
// the first-run admin whose one-time password is returned once (the caller
// prints it; only the scrypt hash is stored).

import type { Store } from '../db/store.ts';
import { utcIsoSql } from '../db/time.ts';
import { hashPassword, passwordProblem, randomPassword, verifyPassword } from './passwords.ts';
import { type Principal, ROLES, type Role, scopeLength } from './roles.ts';

export interface Account {
  username: string;
  role: Role;
  scope: string | null;
  disabled: boolean;
  must_change: boolean;
  created_at: string;
  updated_at: string;
}

/** An account problem as a value: code + Chinese message with the English field. */
export class AccountError extends Error {
  constructor(
    readonly code: 'BAD_USERNAME' | 'BAD_ROLE' | 'BAD_SCOPE' | 'BAD_PASSWORD' | 'EXISTS' | 'NO_SUCH_ACCOUNT',
    message: string,
  ) {
    super(message);
  }
}

const SELECT = `SELECT username, role, scope, disabled, must_change, ${utcIsoSql('created_at')} AS created_at,
  ${utcIsoSql('updated_at')} AS updated_at FROM accounts`;

export function checkUsername(u: string): void {
  if (!/^[\p{L}\p{N}_.-]{2,40}$/u.test(u)) throw new AccountError('BAD_USERNAME', `用户名「${u}」无效：2–40 个字母、数字、_ . - (username)`);
}

export async function checkScope(store: Store, role: Role, scope: string | null | undefined): Promise<string | null> {
  const len = scopeLength(role);
  if (len === null) {
    if (scope) throw new AccountError('BAD_SCOPE', `角色 ${role} 不限定单位，不能指定 scope (scope only for community/street)`);
    return null;
  }
  if (!scope || !new RegExp(`^\\d{${len}}$`).test(scope)) {
    throw new AccountError('BAD_SCOPE', `角色 ${role} 需要 ${len} 位区划代码作为 scope (scope must be a ${len}-digit code)`);
  }
  const u = await store.one(`SELECT code FROM org_units WHERE code = $c`, { c: scope });
  if (!u) throw new AccountError('BAD_SCOPE', `区划代码 ${scope} 不在已导入的单位中 (scope is not a known org unit)`);
  return scope;
}

export async function getAccount(store: Store, username: string): Promise<Account | undefined> {
  return store.one<Account>(`${SELECT} WHERE username = $u`, { u: username });
}

export async function listAccounts(store: Store): Promise<Account[]> {
  return store.all<Account>(`${SELECT} ORDER BY username`);
}

export async function countActiveAccounts(store: Store): Promise<number> {
  return (await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM accounts WHERE NOT disabled`))?.n ?? 0;
}

export async function createAccount(
  store: Store,
  a: { username: string; role: string; scope?: string | null; password: string; mustChange?: boolean },
): Promise<Account> {
  checkUsername(a.username);
  if (!(ROLES as readonly string[]).includes(a.role)) throw new AccountError('BAD_ROLE', `未知角色「${a.role}」(role must be one of ${ROLES.join(', ')})`);
  const role = a.role as Role;
  const scope = await checkScope(store, role, a.scope);
  const pw = passwordProblem(a.password);
  if (pw) throw new AccountError('BAD_PASSWORD', pw);
  if (await getAccount(store, a.username)) throw new AccountError('EXISTS', `用户「${a.username}」已存在 (account exists)`);
  const now = new Date().toISOString();
  await store.run(`INSERT INTO accounts VALUES ($u, $r, $s, $h, false, $m, CAST($now AS TIMESTAMP), CAST($now AS TIMESTAMP))`, {
    u: a.username,
    r: role,
    s: scope,
    h: await hashPassword(a.password),
    m: a.mustChange ?? false,
    now,
  });
  return (await getAccount(store, a.username))!;
}

export async function setPassword(store: Store, username: string, password: string, mustChange = false): Promise<void> {
  const pw = passwordProblem(password);
  if (pw) throw new AccountError('BAD_PASSWORD', pw);
  if (!(await getAccount(store, username))) throw new AccountError('NO_SUCH_ACCOUNT', `没有用户「${username}」(no such account)`);
  await store.run(`UPDATE accounts SET password_hash = $h, must_change = $m, updated_at = CAST($now AS TIMESTAMP) WHERE username = $u`, {
    h: await hashPassword(password),
    m: mustChange,
    now: new Date().toISOString(),
    u: username,
  });
  await store.run(`DELETE FROM sessions WHERE username = $u`, { u: username });
}

export async function setDisabled(store: Store, username: string, disabled: boolean): Promise<void> {
  if (!(await getAccount(store, username))) throw new AccountError('NO_SUCH_ACCOUNT', `没有用户「${username}」(no such account)`);
  await store.run(`UPDATE accounts SET disabled = $d, updated_at = CAST($now AS TIMESTAMP) WHERE username = $u`, {
    d: disabled,
    now: new Date().toISOString(),
    u: username,
  });
  if (disabled) await store.run(`DELETE FROM sessions WHERE username = $u`, { u: username });
}

/** The principal for a correct username/password of an enabled account, else null. */
export async function authenticate(store: Store, username: string, password: string): Promise<Principal | null> {
  const row = await store.one<{ role: Role; scope: string | null; password_hash: string; disabled: boolean }>(
    `SELECT role, scope, password_hash, disabled FROM accounts WHERE username = $u`,
    { u: username },
  );
  // Verify even for unknown users so timing does not reveal which names exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || row.disabled) return null;
  return { username, role: row.role, scope: row.scope, demo: false };
}
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * First run: when no account exists, create `admin` with a random one-time
 * password (must be changed) and return it so the caller prints it once.
 */
export async function ensureFirstAdmin(store: Store): Promise<string | null> {
  const n = (await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM accounts`))?.n ?? 0;
  if (n > 0) return null;
  const password = randomPassword();
  await createAccount(store, { username: 'admin', role: 'admin', password, mustChange: true });
  return password;
}
