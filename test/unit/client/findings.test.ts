// Data-quality findings as the tables show them: detail in the chosen
// language, value in its indicator's unit.

import { describe, expect, it } from 'vitest';
import { findingDetail, findingValue, ruleName } from '../../../client/lib/findings.ts';
import { HISTORY_QUARTERS, QUALITY_RULES, QUALITY_RULES_EN } from '../../../metrics/quality/quality.ts';

const catalogue = [
  { id: 'volunteer_rate', unit: '%' },
  { id: 'area_service_m2', unit: '㎡' },
  { id: 'orgs_active', unit: '个' },
];

describe('quality findings in the tables', () => {
  it('values carry their indicator unit: a rate as a percentage, an area in ㎡', () => {
    expect(findingValue({ indicator: 'volunteer_rate', value: 0.0825 }, catalogue, 'zh')).toBe('8.3%');
    expect(findingValue({ indicator: 'area_service_m2', value: 4140 }, catalogue, 'zh')).toBe('4,140㎡');
    expect(findingValue({ indicator: 'orgs_active', value: 14 }, catalogue, 'zh')).toBe('14个');
    expect(findingValue({ indicator: 'orgs_active', value: 14 }, catalogue, 'en')).toBe('14');
  });

  it('a finding without an indicator, or an unknown one, shows the bare number or a dash', () => {
    expect(findingValue({ indicator: null, value: null }, catalogue, 'zh')).toBe('—');
    expect(findingValue({ indicator: 'gone', value: 1234.5 }, catalogue, 'zh')).toBe('1,235');
  });

  it('the detail follows the language; an empty one is a dash', () => {
    const f = { detail: '常住人口 5000 → 7000', detail_en: 'residents 5000 → 7000' };
    expect(findingDetail(f, 'zh')).toBe('常住人口 5000 → 7000');
    expect(findingDetail(f, 'en')).toBe('residents 5000 → 7000');
    expect(findingDetail({ detail: '', detail_en: '' }, 'en')).toBe('—');
  });
});

describe('ruleName', () => {
  it('drops the method in brackets, Chinese or English', () => {
    expect(ruleName('与同期同类社区相比异常（同为城市或农村社区；稳健z分数>3.5）')).toBe('与同期同类社区相比异常');
    expect(ruleName('常住人口较上季度变化超过30%')).toBe('常住人口较上季度变化超过30%');
    expect(ruleName('Outlier against peers (robust z > 3.5)')).toBe('Outlier against peers');
  });

  it('keeps the whole name of every rule the catalogue defines: the method comes last, in brackets', () => {
    expect(ruleName(QUALITY_RULES.outlier_history)).toBe(`与本社区前${HISTORY_QUARTERS}个季度相比异常且较上季度突变`);
    expect(ruleName(QUALITY_RULES_EN.outlier_history)).toBe(`Outlier against the community's previous ${HISTORY_QUARTERS} quarters, reached by a jump since last quarter`);
    expect(ruleName(QUALITY_RULES.outlier_peers)).toBe('与同期同类社区相比异常');
    for (const [id, zh] of Object.entries(QUALITY_RULES)) {
      // one bracket at most, opening the method at the end
      expect(zh.split('（').length, id).toBeLessThanOrEqual(2);
      expect(QUALITY_RULES_EN[id].split(' (').length, id).toBeLessThanOrEqual(2);
    }
  });
});
