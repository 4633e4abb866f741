// The contract's cell parsers: every listed form, the rejections, and
// properties over generated dates, numbers and codes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findHeaderRow, mapColumns, normalizeHeader, recogniseTable, skipKind } from '../../../server/import/contract/headers.ts';
import { tableDef } from '../../../server/import/contract/tables.ts';
import { parseBool, parseCode, parseDate, parseField, parseNumber, parsePeriod, parseScore, periodFromName } from '../../../server/import/contract/values.ts';

const value = <T>(p: { ok: true; value: T } | { ok: false }) => (p.ok ? p.value : undefined);

describe('numbers', () => {
  it.each([
    ['1,234', 1234],
    ['１２３４', 1234],
    [' 1234 ', 1234],
    ['1234人', 1234],
    ['1500㎡', 1500],
    ['1500平方米', 1500],
    ['1,500 m2', 1500],
    ['12.5小时', 12.5],
  ])('%s -> %d', (raw, n) => expect(value(parseNumber(raw))).toBe(n));
  it('reads percentages only for rates', () => {
    expect(value(parseNumber('15%', { rate: true }))).toBeCloseTo(0.15, 12);
    expect(parseNumber('15%').ok).toBe(false);
  });
  it('rejects text and negative counts and areas', () => {
    expect(parseNumber('约五百').ok).toBe(false);
    const pop = tableDef('profile').fields.find((f) => f.name === 'population')!;
    const area = tableDef('facilities').fields.find((f) => f.name === 'area_m2')!;
    expect(parseField('-3', pop)).toMatchObject({ ok: false, code: 'NEGATIVE' });
    expect(parseField('-120', area)).toMatchObject({ ok: false, code: 'NEGATIVE' });
    expect(parseField('0', pop)).toMatchObject({ ok: false, code: 'NOT_POSITIVE' });
    expect(parseField('3.5', pop)).toMatchObject({ ok: false, code: 'BAD_NUMBER' });
  });
  it('round-trips any non-negative integer written with thousands separators', () => {
    fc.assert(fc.property(fc.nat(10_000_000), (n) => value(parseNumber(n.toLocaleString('en-US'))) === n));
  });
});

describe('dates', () => {
  it.each([
    ['2015-07-01', '2015-07-01'],
    ['2015/7/1', '2015-07-01'],
    ['2015.07.01', '2015-07-01'],
    ['2015年7月1日', '2015-07-01'],
    ['2015年7月', '2015-07-01'],
    ['20150701', '2015-07-01'],
    ['42186', '2015-07-01'],
    ['2015-07-01 00:00:00', '2015-07-01'],
    ['２０１５年７月１日', '2015-07-01'],
  ])('%s -> %s', (raw, iso) => expect(value(parseDate(raw))).toBe(iso));
  it.each(['2016-13-45', '2015-02-29', '2015-07', 'soon', '15/7/1'])('rejects %s', (raw) => expect(parseDate(raw).ok).toBe(false));
  it('every form of a valid date parses to the same day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
        const iso = d.toISOString().slice(0, 10);
        return [`${y}/${m}/${day}`, `${y}.${m}.${day}`, `${y}年${m}月${day}日`, iso.replaceAll('-', '')].every((s) => value(parseDate(s)) === iso);
      }),
    );
  });
});

describe('booleans, scores, periods, codes', () => {
  it('booleans', () => {
    for (const t of ['是', 'Y', 'yes', 'TRUE', '1', '√', '有', '中共党员']) expect(value(parseBool(t))).toBe(true);
    for (const f of ['否', 'N', 'no', 'false', '0', '×', '无', '群众']) expect(value(parseBool(f))).toBe(false);
    expect(parseBool('也许').ok).toBe(false);
  });
  it('scores', () => {
    expect(value(parseScore('非常满意'))).toBe(5);
    expect(value(parseScore('4'))).toBe(4);
    expect(parseScore('6').ok).toBe(false);
  });
  it.each([
    ['2016Q4', '2016Q4'],
    ['2016-Q4', '2016Q4'],
    ['2016年第四季度', '2016Q4'],
    ['2016年四季度', '2016Q4'],
    ['2016年4季度', '2016Q4'],
    ['2016-12', '2016Q4'],
    ['2016年12月', '2016Q4'],
    ['2016/12/31', '2016Q4'],
    ['2016年5月', '2016Q2'],
  ])('period %s -> %s', (raw, p) => expect(value(parsePeriod(raw))).toBe(p));
  it('periods from file names', () => {
    expect(periodFromName('盐海社区_2016Q4_志愿者.csv')).toBe('2016Q4');
    expect(periodFromName('海滨社区_2016年第四季度.zip')).toBe('2016Q4');
    expect(periodFromName('志愿者.csv')).toBeUndefined();
  });
  it('codes, including the ones Excel stored as numbers', () => {
    expect(value(parseCode('140302001003'))).toBe('140302001003');
    expect(value(parseCode('140302001003.0'))).toBe('140302001003');
    expect(value(parseCode('1.40302001003E+11'))).toBe('140302001003');
    expect(parseCode('1.40302E+11')).toMatchObject({ ok: false, code: 'BAD_CODE' });
    expect(parseCode('14030200100')).toMatchObject({ ok: false, code: 'BAD_CODE' });
  });
});

describe('headers', () => {
  it('normalises full-width, spaces, case and trailing units', () => {
    expect(normalizeHeader(' 常住人口（人） ')).toBe('常住人口');
    expect(normalizeHeader('面积(㎡)')).toBe('面积');
    expect(normalizeHeader('ＡＲＥＡ_M2')).toBe('area_m2');
    expect(normalizeHeader('村(社区)名称')).toBe('村(社区)名称');
  });
  it('recognises tables by sheet or file name', () => {
    expect(recogniseTable('盐海社区_2016Q4_志愿者.csv')?.name).toBe('volunteers');
    expect(recogniseTable('社会组织名录')?.name).toBe('social_orgs');
    expect(recogniseTable('社区基本情况')?.name).toBe('profile');
    expect(recogniseTable('社工人才')?.name).toBe('social_workers');
    expect(recogniseTable('杂项')).toBeUndefined();
  });
  it('finds the header under title rows and maps synonyms', () => {
    const t = tableDef('volunteers');
    const rows = [['XX社区2016年第四季度志愿者名册', null], [null, null], ['序号', '公民身份号码', '姓名', '注册时间', '服务时长（小时）', '备用列']];
    const h = findHeaderRow(t, rows);
    expect(h).toBe(2);
    const m = mapColumns(t, rows[h]);
    expect([...m.fields.values()].map((f) => f.name)).toEqual(['person_key', 'name', 'registered_on', 'service_hours']);
    expect(m.unknown.map((u) => u.header)).toEqual(['备用列']);
    expect(m.missing).toEqual([]);
  });
  it('classifies rows to skip', () => {
    expect(skipKind([null, ' '])).toBe('blank');
    expect(skipKind(['合计', null, '12'])).toBe('summary');
    expect(skipKind([null, '填表说明：按季度填报'])).toBe('notes');
    expect(skipKind(['1', '注册志愿者'])).toBeNull();
  });
});
