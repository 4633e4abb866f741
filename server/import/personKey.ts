// How personal identifiers become keys: HMAC-SHA-256 with the installation's
// secret, the first 128 bits stored as UHUGEINT. Two implementations give
// the same keys:
// - the native addon (native/person_key.c, built at install when a C
//   compiler and the Node.js headers are there) registers the DuckDB scalar
//   function sanshe_person_key(VARCHAR) -> UHUGEINT on the store's
//   connection; DuckDB runs it on its own threads, no JavaScript per row;
// - DuckDB SQL, sha256(opad || unhex(sha256(ipad || s))), about fifteen
//   times slower, used when the addon is missing, refuses the connection,
//   or SANSHE_NATIVE=0.
// The secret's pads reach the SQL only as bound values or the temporary
// one-row table `hmac_key`, never as text.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBBlobValue } from '@duckdb/node-api';
import { hexKeySql } from '../db/migrations.ts';
import type { Store } from '../db/store.ts';

export interface Pads {
  ipad: Uint8Array;
  opad: Uint8Array;
}

export interface NativeKeys {
  /** Registers the function on a @duckdb/node-api connection's handle; throws when anything does not match. */
  register(connection: unknown, libduckdb: string, ipad: Uint8Array, opad: Uint8Array, name: string): void;
}

const require = createRequire(import.meta.url);
const ADDON = new URL('../../native/build/Release/person_key.node', import.meta.url);

function loadAddon(): NativeKeys | null {
  if (process.env.SANSHE_NATIVE === '0') return null;
  try {
    return require(fileURLToPath(ADDON)) as NativeKeys;
  } catch {
    return null;
  }
}

/** The addon, or null when it is not built (or disabled with SANSHE_NATIVE=0). */
export const nativeKeys: NativeKeys | null = loadAddon();

export const PERSON_KEY_FUNCTION = 'sanshe_person_key';

/**
 * HMAC-SHA-256 (lower-case hex, as DuckDB's sha256 writes it) of a text
 * expression. The pads are the key table `k`'s columns, or bound parameters.
 */
export function hmacSql(expr: string, pads = { ipad: 'k.ipad', opad: 'k.opad' }): string {
  return `sha256(${pads.opad} || unhex(sha256(${pads.ipad} || encode(${expr}))))`;
}

/**
 * The stored key of an identifier in SQL alone: its HMAC-SHA-256 truncated
 * to the first 128 bits, as UHUGEINT (see `columnType`). The HMAC text
 * appears twice in the expression; DuckDB computes it once.
 */
export function personKeySql(expr: string, pads = { ipad: 'k.ipad', opad: 'k.opad' }): string {
  return hexKeySql(hmacSql(expr, pads));
}

/** Which implementation each store's import uses; the pads each store's function holds. */
const prepared = new WeakMap<Store, boolean>();
const registered = new WeakMap<Store, Pads>();

function samePads(a: Pads, b: Pads): boolean {
  return Buffer.compare(a.ipad, b.ipad) === 0 && Buffer.compare(a.opad, b.opad) === 0;
}

/** The DuckDB library @duckdb/node-api loaded (the addon looks the C API up in it), if found. */
export function libduckdbPath(): string | null {
  try {
    const dir = dirname(require.resolve(`@duckdb/node-bindings-${process.platform}-${process.arch}/package.json`));
    for (const name of ['libduckdb.so', 'libduckdb.dylib']) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  } catch {}
  return null;
}

let warned = false;

/** Falling back is correct but about fifteen times slower: said once per process. */
function warnFallback(reason: string): false {
  if (!warned) process.stderr.write(`native identifier keys unavailable (${reason}); computing them in DuckDB SQL\n`);
  warned = true;
  return false;
}

function registerNative(store: Store, addon: NativeKeys, pads: Pads): boolean {
  const lib = libduckdbPath();
  if (!lib) return warnFallback('the DuckDB library was not found');
  try {
    // The binding's connection handle, private in @duckdb/node-api's types;
    // the addon checks its type tag before using it.
    const handle = (store.conn as unknown as { connection: unknown }).connection;
    addon.register(handle, lib, pads.ipad, pads.opad, PERSON_KEY_FUNCTION);
    return true;
  } catch (e) {
    return warnFallback((e as Error).message);
  }
}

/**
 * Ready the store for keying identifiers in this import: the one-row table
 * `hmac_key` (read by the SQL fallback) and, with the addon, the scalar
 * function, registered once per store. Returns whether the addon is used
 * (false also when the addon refused the connection: a warning says why).
 */
export async function preparePersonKeys(store: Store, pads: Pads, opts: { native?: boolean } = {}): Promise<boolean> {
  await store.run(`CREATE OR REPLACE TEMP TABLE hmac_key (ipad BLOB, opad BLOB)`);
  await store.run(`INSERT INTO hmac_key VALUES ($ipad, $opad)`, { ipad: new DuckDBBlobValue(pads.ipad), opad: new DuckDBBlobValue(pads.opad) });
  const addon = opts.native === false ? null : nativeKeys;
  let native = false;
  if (addon) {
    const held = registered.get(store);
    // The function keeps the pads it was registered with; a store has one secret.
    if (held && !samePads(held, pads)) throw new Error('person keys: the store was prepared with another secret');
    if (held) native = true;
    else if (registerNative(store, addon, pads)) {
      registered.set(store, pads);
      native = true;
    }
  }
  prepared.set(store, native);
  return native;
}

/**
 * The key of a text expression, for a store readied by preparePersonKeys.
 * `pads` names where the SQL fallback finds them: the `hmac_key` row `k`
 * (joined by the caller) or bound parameters.
 */
export function personKeyExpr(store: Store, expr: string, pads = { ipad: 'k.ipad', opad: 'k.opad' }): string {
  const native = prepared.get(store);
  if (native === undefined) throw new Error('person keys: preparePersonKeys was not called for this store');
  return native ? `${PERSON_KEY_FUNCTION}(${expr})` : personKeySql(expr, pads);
}

/** Whether the store's keys come from the addon (for messages and benchmarks). */
export function usesNativeKeys(store: Store): boolean {
  return prepared.get(store) ?? false;
}
