// SQL text helpers. Identifiers and literals here come only from our own
// catalogue and contract (checked against them); user values travel as
// bound parameters, never as SQL text.

import { storedFields, type TableName, tableDef } from '../../server/import/contract/tables.ts';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** A column of a canonical table, checked against the data contract. */
export function col(table: TableName, name: string): string {
  if (!IDENT.test(name) || !storedFields(tableDef(table)).some((f) => f.name === name)) {
    throw new Error(`catalogue names unknown column ${table}.${name}`);
  }
  return name;
}

/** An identifier we generate ourselves (indicator ids, temp table names). */
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`bad identifier ${name}`);
  return name;
}

/** A string constant from the catalogue. */
export function str(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`bad number ${v}`);
  return String(v);
}

export const indent = (s: string, n = 2): string =>
  s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');
