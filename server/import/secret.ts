// The per-installation secret that keys the HMAC of personal identifiers.
// Created on first use beside the database (mode 0600), never in git; an
// in-memory store gets a random secret that dies with the process.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function secretPath(dbPath: string): string {
  return `${dbPath.replace(/\.duckdb$/, '')}.secret`;
}

const memorySecret = randomBytes(32);

export function loadOrCreateSecret(dbPath: string): Buffer {
  if (dbPath === ':memory:') return memorySecret;
  const p = secretPath(dbPath);
  if (!existsSync(p)) {
    try {
      writeFileSync(p, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return Buffer.from(readFileSync(p, 'utf8').trim(), 'hex');
}

/**
 * HMAC-SHA-256 as DuckDB computes it: sha256(opad || sha256(ipad || m)).
 * The pads are the key (<= 64 bytes, zero-padded) XOR 0x36 / 0x5c.
 */
export function hmacPads(secret: Buffer): { ipad: Uint8Array; opad: Uint8Array } {
  const key = Buffer.alloc(64);
  secret.copy(key);
  const ipad = new Uint8Array(64);
  const opad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = key[i] ^ 0x36;
    opad[i] = key[i] ^ 0x5c;
  }
  return { ipad, opad };
}

/**
 * Identifiers are compared case-insensitively and without spaces (`x` = `X`
 * in ID numbers). `col` is a staged value, already trimmed (DuckDB's trim
 * also takes full-width spaces) and NULL when blank; no second trim, which
 * cost as much as the rest of the normalisation.
 */
export function normaliseIdentifierSql(col: string): string {
  return `upper(replace(${col}, ' ', ''))`;
}
