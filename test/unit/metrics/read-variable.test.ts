// readVariable: a refresh statement's parameters read from one struct variable
// (set with the values bound as parameters) give the same rows as the bound parameters.

import { describe, expect, it } from 'vitest';
import { readVariable } from '../../../metrics/engine.ts';
import { Store } from '../../../server/db/store.ts';

describe('readVariable', () => {
  it('rewrites only the named parameters, through an alias where given', () => {
    const sql = `SELECT * FROM t WHERE code = $code AND q BETWEEN $first AND $last AND x = $other`;
    expect(readVariable(sql, 'v', { first: 'first', last: 'last', code: 'street' })).toBe(
      `SELECT * FROM t WHERE code = getvariable('v').street AND q BETWEEN getvariable('v').first AND getvariable('v').last AND x = $other`,
    );
  });

  it('reads the same rows as the bound parameters', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.run(`CREATE TEMP TABLE t AS SELECT i::VARCHAR AS code, i AS q FROM range(100) r(i)`);
      const values = { street: '42', first: 40, last: 45, none: null };
      await store.run(`SET VARIABLE v = {'street': $street, 'first': $first, 'last': $last, 'none': $none}`, values);
      const sql = `SELECT code, q, $none IS NULL AS n FROM t WHERE code = $street OR q BETWEEN $first AND $last ORDER BY q`;
      const viaVariable = await store.all(readVariable(sql, 'v', { street: 'street', first: 'first', last: 'last', none: 'none' }));
      expect(viaVariable).toEqual(await store.all(sql, values));
      expect(viaVariable.length).toBe(6);
    } finally {
      store.close();
    }
  });
});
