// Header synonyms: a yes/no synonym also reads as a question (骨干 -> 是否骨干).

import { describe, expect, it } from 'vitest';
import { mapColumns } from '../../../server/import/contract/headers.ts';
import { tableDef } from '../../../server/import/contract/tables.ts';

const mapped = (table: Parameters<typeof tableDef>[0], headers: string[]) => {
  const m = mapColumns(tableDef(table), headers);
  return { fields: headers.map((_, i) => m.fields.get(i)?.name ?? null), unknown: m.unknown.map((u) => u.header) };
};

describe('mapColumns', () => {
  it('reads 是否 + a yes/no synonym as that field', () => {
    expect(mapped('volunteers', ['身份证号', '注册日期', '是否骨干']).fields).toEqual(['person_key', 'registered_on', 'is_leader']);
    expect(mapped('volunteers', ['身份证号', '是否志愿者带头人', '公务员']).fields).toEqual(['person_key', 'is_leader', 'civil_servant']);
  });

  it('does not strip 是否 from a synonym (品牌 alone may be a name), and leaves non-yes/no fields alone', () => {
    const m = mapped('volunteers', ['身份证号', '带头人', '是否注册日期']);
    expect(m.fields).toEqual(['person_key', null, null]);
    expect(m.unknown).toEqual(['带头人', '是否注册日期']);
  });

  it('keeps exact synonyms first', () => {
    expect(mapped('volunteers', ['是否党员', '骨干', '是否公务员']).fields).toEqual(['party_member', 'is_leader', 'civil_servant']);
  });
});
