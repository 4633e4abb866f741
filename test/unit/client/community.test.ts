// Which community a route names: code first, then an unambiguous name.

import { describe, expect, it } from 'vitest';
import type { UnitInfo } from '../../../client/lib/api.ts';
import { findCommunity } from '../../../client/lib/community.ts';

const unit = (code: string, name: string, level: UnitInfo['level'] = 'community', parent: string | null = '370102001000'): UnitInfo => ({
  code,
  name,
  level,
  parent_code: parent,
  area_type: 'urban',
});

const units = [
  unit('370102000000', '城区', 'district', null),
  unit('370102001000', '大洋街道', 'street', '370102000000'),
  unit('370102001001', '盐海社区'),
  unit('370102001002', '新民社区'),
  unit('370102002003', '新民社区', 'community', '370102002000'),
  // A street whose name a route could also carry: never a community.
  unit('370102003000', '河口镇', 'street', '370102000000'),
];

describe('findCommunity', () => {
  it('takes a code, and a name with or without surrounding spaces', () => {
    expect(findCommunity(units, '370102001001')).toEqual({ unit: units[2] });
    expect(findCommunity(units, '盐海社区')).toEqual({ unit: units[2] });
    expect(findCommunity(units, ' 盐海社区 ')).toEqual({ unit: units[2] });
  });

  it('returns the candidates when two streets share the name', () => {
    expect(findCommunity(units, '新民社区')).toEqual({ candidates: [units[3], units[4]] });
  });

  it('finds no community for unknown keys or for units of another level', () => {
    expect(findCommunity(units, '不存在社区')).toEqual({ candidates: [] });
    expect(findCommunity(units, '370102001000')).toEqual({ candidates: [] });
    expect(findCommunity(units, '河口镇')).toEqual({ candidates: [] });
  });
});
