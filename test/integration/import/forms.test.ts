// Acceptance: every form of input the data contract lists is accepted and
// stored with exactly the expected values: encodings, delimiters, .txt/.tsv,
// date, number, boolean and period forms, title/notes/summary rows and the
// 序号 column, codes stored as numbers, header synonyms, zips with GBK names,
// folders, many paths at once, and a multi-community CSV.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../../server/import/contract/values.ts';
import {
  type Community,
  type Encoding,
  expectedPersonKey,
  HEPING,
  idNumber,
  importOk,
  importRejected,
  openFreshStore,
  PEOPLE,
  profileRows,
  type Rows,
  textBytes,
  volunteerRows,
  writeExport,
  writeFile,
  writeText,
  writeXlsx,
  XINCUN,
  YANHAI,
  zipBytes,
} from '../../helpers/fixtures.ts';

type VolRow = { org_unit: string; period: string; src_row: number; person_key: string; registered_on: string; party_member: boolean; service_hours: number };

const VOL_SQL = `SELECT org_unit, period, src_row, person_key, CAST(registered_on AS VARCHAR) AS registered_on, party_member, service_hours
  FROM cur_volunteers ORDER BY org_unit, src_row`;

describe('encodings, delimiters and text file extensions', () => {
  const cases: { encoding: Encoding; delimiter: string; ext: string; stored: string }[] = [
    { encoding: 'utf8', delimiter: ',', ext: 'csv', stored: 'utf-8' },
    { encoding: 'utf8bom', delimiter: ',', ext: 'csv', stored: 'utf-8-bom' },
    { encoding: 'gbk', delimiter: ',', ext: 'csv', stored: 'gb18030' },
    { encoding: 'gb18030', delimiter: ',', ext: 'csv', stored: 'gb18030' },
    { encoding: 'utf16le', delimiter: '\t', ext: 'txt', stored: 'utf-16le' },
    { encoding: 'utf16le', delimiter: ',', ext: 'csv', stored: 'utf-16le' },
    { encoding: 'utf8', delimiter: '\t', ext: 'tsv', stored: 'utf-8' },
    { encoding: 'utf8', delimiter: ';', ext: 'csv', stored: 'utf-8' },
    { encoding: 'gbk', delimiter: ';', ext: 'txt', stored: 'gb18030' },
    { encoding: 'gbk', delimiter: '\t', ext: 'csv', stored: 'gb18030' },
  ];
  for (const c of cases) {
    it(`${c.encoding} with ${JSON.stringify(c.delimiter)} as .${c.ext}`, async () => {
      const { dir, dbPath, store } = await openFreshStore();
      try {
        // GB18030 proper (not GBK) gets a four-byte character in the community name.
        const community: Community = c.encoding === 'gb18030' ? { ...YANHAI, name: '𠮷盐海社区' } : YANHAI;
        const folder = join(dir, '盐海社区_2016Q4');
        writeText(join(folder, `基本情况.${c.ext}`), profileRows(community, '2016Q4'), c);
        // A cell holding the delimiter must be quoted and survive.
        const rows = volunteerRows(PEOPLE);
        rows[1][1] = `张,伟;明\t`;
        writeText(join(folder, `志愿者.${c.ext}`), rows, c);
        const s = await importOk(store, [folder]);
        expect(s.status).toBe('committed');
        expect(s.rows).toBe(4);
        const files = await store.all<{ name: string; encoding: string; format: string }>(`SELECT name, encoding, format FROM import_files ORDER BY name`);
        expect(files).toEqual([
          { name: `基本情况.${c.ext}`, encoding: c.stored, format: 'text' },
          { name: `志愿者.${c.ext}`, encoding: c.stored, format: 'text' },
        ]);
        expect(await store.all(`SELECT code, name, level, parent_code, area_type FROM org_units ORDER BY code`)).toEqual([
          { code: '140302', name: null, level: 'district', parent_code: null, area_type: null },
          { code: '140302001', name: '东城街道', level: 'street', parent_code: '140302', area_type: null },
          { code: '140302001003', name: community.name, level: 'community', parent_code: '140302001', area_type: 'urban' },
        ]);
        expect(
          await store.all(`SELECT org_unit, period, community_name, street_name, area_type, population::INTEGER AS population,
            households::INTEGER AS households, grids::INTEGER AS grids FROM cur_profile`),
        ).toEqual([
          { org_unit: YANHAI.code, period: '2016Q4', community_name: community.name, street_name: '东城街道', area_type: 'urban', population: 5000, households: 1800, grids: 6 },
        ]);
        const vols = await store.all<VolRow>(VOL_SQL);
        expect(vols).toEqual([
          { org_unit: YANHAI.code, period: '2016Q4', src_row: 2, person_key: expectedPersonKey(dbPath, PEOPLE[0].id), registered_on: '2015-07-01', party_member: true, service_hours: 12.5 },
          { org_unit: YANHAI.code, period: '2016Q4', src_row: 3, person_key: expectedPersonKey(dbPath, PEOPLE[1].id), registered_on: '2016-03-05', party_member: false, service_hours: 20 },
          { org_unit: YANHAI.code, period: '2016Q4', src_row: 4, person_key: expectedPersonKey(dbPath, PEOPLE[2].id), registered_on: '2016-10-01', party_member: true, service_hours: 0 },
        ]);
      } finally {
        store.close();
      }
    });
  }
});

describe('cell value forms', () => {
  it('every date form, in CSV text and as Excel date cells and serial numbers', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const forms = ['2015-07-01', '2015/7/1', '2015.07.01', '2015年7月1日', '2015年7月', '20150701', '42186', ' 2015-7-1 ', '２０１５－０７－０１'];
      const csv: Rows = [['身份证号', '注册日期', '认定日期'], ...forms.map((f, i) => [idNumber(i), f, f])];
      const folder = join(dir, '盐海社区_2016Q4');
      writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
      writeText(join(folder, '志愿者.csv'), csv);
      const utc = new Date(Date.UTC(2015, 6, 1));
      await writeXlsx(join(dir, '和平社区_2016Q4.xlsx'), [
        { name: '基本情况', rows: profileRows(HEPING, '2016Q4') },
        {
          name: '志愿者',
          rows: [
            ['身份证号', '注册日期', '认定日期'],
            [idNumber(100), utc, utc], // date cells (yyyy-mm-dd)
            [idNumber(101), 42186, 42186], // a serial number in a General cell
            [idNumber(102), 42186, 42186], // a serial number with a date format (below)
            [idNumber(103), '2015年7月1日', '20150701'],
          ],
        },
      ]);
      await importOk(store, [folder, join(dir, '和平社区_2016Q4.xlsx')]);
      const rows = await store.all<{ org_unit: string; src_row: number; r: string; l: string }>(
        `SELECT org_unit, src_row, CAST(registered_on AS VARCHAR) AS r, CAST(leader_since AS VARCHAR) AS l FROM cur_volunteers ORDER BY org_unit, src_row`,
      );
      expect(rows).toHaveLength(forms.length + 4);
      for (const r of rows) expect([r.r, r.l], `row ${r.org_unit}/${r.src_row}`).toEqual(['2015-07-01', '2015-07-01']);
    } finally {
      store.close();
    }
  });

  it('number forms: thousands separators, full-width, padded, units, Excel numbers; % only for rates', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const folder = join(dir, '盐海社区_2016Q4');
      writeText(join(folder, '基本情况.csv'), [
        ['社区代码', '社区名称', '所属街道', '报告期', '常住人口', '户数', '网格员数'],
        [YANHAI.code, YANHAI.name, YANHAI.street, '2016Q4', '5,000人', '１８００户', ' 12 '],
      ]);
      const counts = ['1,234', '１２３４', ' 1234 ', '1234人', '1234', '1,234人'];
      writeText(join(folder, '活动台账.csv'), [
        ['类型', '日期', '名称', '参与人数'],
        ...counts.map((c, i) => ['协商议事', '2016-11-01', `议事会${i}`, c]),
      ]);
      const areas = ['1,500', '1500㎡', '1500平方米', ' １５００ ', '1500 m2', '1500.0'];
      writeText(join(folder, '服务设施.csv'), [['设施名称', '用途', '面积'], ...areas.map((a, i) => [`活动室${i}`, '活动用房', a])]);
      writeText(join(folder, '志愿者.csv'), [
        ['身份证号', '注册日期', '服务时长'],
        [idNumber(1), '2016-01-01', '1,234.5'],
        [idNumber(2), '2016-01-01', '１２.５小时'],
        [idNumber(3), '2016-01-01', ' 0 '],
      ]);
      await writeXlsx(join(dir, '和平社区_2016Q4.xlsx'), [
        { name: '基本情况', rows: profileRows(HEPING, '2016Q4', { population: 4321, households: 1234 }) },
        { name: '服务设施', rows: [['设施名称', '用途', '面积'], ['广场', '广场', 1500], ['邻里中心', '邻里中心', 1500.25]] },
        { name: '活动', rows: [['类型', '日期', '参与人数'], ['三社联席会议', new Date(Date.UTC(2016, 10, 1)), 1234]] },
      ]);
      await importOk(store, [folder, join(dir, '和平社区_2016Q4.xlsx')]);
      expect(await store.all(`SELECT org_unit, population::INTEGER AS p, households::INTEGER AS h, grid_staff::INTEGER AS g FROM cur_profile ORDER BY org_unit`)).toEqual([
        { org_unit: YANHAI.code, p: 5000, h: 1800, g: 12 },
        { org_unit: HEPING.code, p: 4321, h: 1234, g: null },
      ]);
      const acts = await store.all<{ org_unit: string; n: number }>(`SELECT org_unit, participants::INTEGER AS n FROM cur_activities ORDER BY org_unit, src_row`);
      expect(acts).toEqual([...counts.map(() => ({ org_unit: YANHAI.code, n: 1234 })), { org_unit: HEPING.code, n: 1234 }]);
      const fac = await store.all<{ org_unit: string; kind: string; a: number }>(`SELECT org_unit, kind, area_m2 AS a FROM cur_facilities ORDER BY org_unit, src_row`);
      expect(fac).toEqual([
        ...areas.map(() => ({ org_unit: YANHAI.code, kind: 'service', a: 1500 })),
        { org_unit: HEPING.code, kind: 'outdoor', a: 1500 },
        { org_unit: HEPING.code, kind: 'center', a: 1500.25 },
      ]);
      expect((await store.all<{ h: number }>(`SELECT service_hours AS h FROM cur_volunteers ORDER BY src_row`)).map((r) => r.h)).toEqual([1234.5, 12.5, 0]);
    } finally {
      store.close();
    }
    // No stored field is a rate; the rate form itself parses as a fraction.
    expect(parseNumber('15%', { rate: true })).toEqual({ ok: true, value: 0.15 });
    expect(parseNumber('１５％', { rate: true })).toEqual({ ok: true, value: 0.15 });
  });

  it('a percentage in a count column is rejected (no count is a rate)', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const folder = join(dir, '盐海社区_2016Q4');
      writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
      writeText(join(folder, '活动台账.csv'), [['类型', '日期', '参与人数'], ['协商议事', '2016-11-01', '15%']]);
      const problems = await importRejected(store, [folder]);
      expect(problems.filter((p) => p.severity === 'error')).toMatchObject([
        { code: 'BAD_NUMBER', file: '盐海社区_2016Q4/活动台账.csv', row: 2, column: '参与人数', field: 'participants', value: '15%' },
      ]);
    } finally {
      store.close();
    }
  });

  it('every boolean form; empty = no', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const values: [string, boolean][] = [
        ['是', true], ['否', false], ['Y', true], ['N', false], ['y', true], ['n', false], ['yes', true], ['no', false],
        ['YES', true], ['No', false], ['true', true], ['false', false], ['TRUE', true], ['FALSE', false], ['1', true], ['0', false],
        ['√', true], ['×', false], ['有', true], ['无', false], ['', false], ['Ｙ', true],
      ];
      const folder = join(dir, '盐海社区_2016Q4');
      writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
      writeText(join(folder, '志愿者.csv'), [
        ['身份证号', '注册日期', '是否党员', '是否公务员', '是否带头人'],
        ...values.map(([v], i) => [idNumber(i), '2016-01-01', v, v, v]),
      ]);
      writeText(join(folder, '社会组织.csv'), [
        ['组织名称', '成立日期', '是否品牌'],
        ['夕阳红舞蹈队', '2015-01-01', '√'],
        ['邻里互助会', '2015-01-01', ''],
        ['读书会', '2015-01-01', '×'],
      ]);
      // Excel boolean cells (TRUE/FALSE) in a workbook of another community.
      await writeXlsx(join(dir, '和平社区_2016Q4.xlsx'), [
        { name: '基本情况', rows: profileRows(HEPING, '2016Q4') },
        { name: '志愿者', rows: [['身份证号', '注册日期', '是否党员'], [idNumber(90), '2016-01-01', true], [idNumber(91), '2016-01-01', false], [idNumber(92), '2016-01-01', 1]] },
      ]);
      await importOk(store, [folder, join(dir, '和平社区_2016Q4.xlsx')]);
      expect((await store.all<{ b: boolean }>(`SELECT party_member AS b FROM cur_volunteers WHERE org_unit = $u ORDER BY src_row`, { u: HEPING.code })).map((r) => r.b)).toEqual([
        true,
        false,
        true,
      ]);
      const rows = await store.all<{ a: boolean; b: boolean; c: boolean }>(
        `SELECT party_member AS a, civil_servant AS b, is_leader AS c FROM cur_volunteers WHERE org_unit = $u ORDER BY src_row`,
        { u: YANHAI.code },
      );
      expect(rows).toEqual(values.map(([, b]) => ({ a: b, b, c: b })));
      expect((await store.all<{ b: boolean }>(`SELECT is_brand AS b FROM cur_social_orgs ORDER BY src_row`)).map((r) => r.b)).toEqual([true, false, false]);
    } finally {
      store.close();
    }
  });
});

const PERIOD_FORMS = ['2016Q4', '2016-Q4', '2016年第四季度', '2016年四季度', '2016年4季度', '2016-12', '2016年12月', '2016/12/31'];

describe('report period forms', () => {
  it('from a report_period column (every form)', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const folder = join(dir, 'export');
      writeText(join(folder, '基本情况.csv'), [
        ['社区代码', '社区名称', '所属街道', '报告期', '常住人口', '户数'],
        ...[YANHAI, HEPING].map((c) => [c.code, c.name, c.street, '2016q4', 100, 50]),
      ]);
      writeText(join(folder, '志愿者.csv'), [
        ['社区代码', '报告期', '身份证号', '注册日期'],
        ...PERIOD_FORMS.map((p, i) => [YANHAI.code, p, idNumber(i), '2016-01-01']),
        // Months of the quarter and another quarter.
        [HEPING.code, '2016-10', idNumber(50), '2016-01-01'],
        [HEPING.code, '2016年11月', idNumber(51), '2016-01-01'],
        [HEPING.code, '2016.12.01', idNumber(52), '2016-01-01'],
        [HEPING.code, '2016Q3', idNumber(53), '2016-01-01'],
        [HEPING.code, '2016年第三季度', idNumber(54), '2016-01-01'],
      ]);
      await importOk(store, [folder]);
      expect(await store.all(`SELECT org_unit, period, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
        { org_unit: YANHAI.code, period: '2016Q4', n: PERIOD_FORMS.length },
        { org_unit: HEPING.code, period: '2016Q3', n: 2 },
        { org_unit: HEPING.code, period: '2016Q4', n: 3 },
      ]);
    } finally {
      store.close();
    }
  });

  it('from the profile sheet (every form), for rosters without a period', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const paths: string[] = [];
      for (const [i, form] of PERIOD_FORMS.entries()) {
        const c: Community = { code: `140302001${100 + i}`, name: `测试${i}社区`, street: '东城街道' };
        paths.push(
          await writeExport(dir, i % 2 ? 'xlsx' : 'csv-folder', {
            stem: `export${i}`,
            tables: { 基本情况: profileRows(c, form), 志愿者: [['身份证号', '注册日期'], [idNumber(i), '2016-01-01']] },
          }),
        );
      }
      await importOk(store, paths);
      const rows = await store.all<{ period: string; n: number }>(`SELECT period, count(DISTINCT org_unit)::INTEGER AS n FROM cur_volunteers GROUP BY period`);
      expect(rows).toEqual([{ period: '2016Q4', n: PERIOD_FORMS.length }]);
      expect((await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM cur_profile WHERE period = '2016Q4'`))?.n).toBe(PERIOD_FORMS.length);
    } finally {
      store.close();
    }
  });

  it('from the file name (every form a file name can hold)', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const nameForms = ['2016Q4', '2016-Q4', '2016年第四季度', '2016年四季度', '2016年4季度', '2016-12', '2016年12月', '2016q4'];
      const paths: string[] = [];
      for (const [i, form] of nameForms.entries()) {
        const c: Community = { code: `140302001${String(200 + i)}`, name: `名称${i}社区`, street: '东城街道' };
        const folder = join(dir, `folder${i}`);
        writeText(join(folder, `${c.name}_${form}_基本情况.csv`), profileRows(c, null));
        writeText(join(folder, `${c.name}_${form}_志愿者.csv`), [['身份证号', '注册日期'], [idNumber(i), '2016-01-01']]);
        paths.push(folder);
      }
      await importOk(store, paths);
      expect(await store.all(`SELECT period, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL`)).toEqual([{ period: '2016Q4', n: nameForms.length }]);
      expect(await store.all(`SELECT period, count(*)::INTEGER AS n FROM cur_profile GROUP BY ALL`)).toEqual([{ period: '2016Q4', n: nameForms.length }]);
    } finally {
      store.close();
    }
  });

  it('a workbook or a zip named with the period, the profile without one', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const p = await writeExport(dir, 'xlsx', {
        stem: '盐海社区2016年第四季度报表',
        tables: { 基本情况: profileRows(YANHAI, null), 志愿者: volunteerRows(PEOPLE) },
      });
      const z = join(dir, '和平社区_2016-Q4.zip');
      writeFile(
        z,
        zipBytes([
          { name: '基本情况.csv', data: textBytes(profileRows(HEPING, null)) },
          { name: '志愿者.csv', data: textBytes(volunteerRows(PEOPLE.slice(1))) },
        ]),
      );
      await importOk(store, [p, z]);
      expect(await store.all(`SELECT table_name, org_unit, period, row_count::INTEGER AS n FROM exports ORDER BY table_name, org_unit`)).toEqual([
        { table_name: 'profile', org_unit: YANHAI.code, period: '2016Q4', n: 1 },
        { table_name: 'profile', org_unit: HEPING.code, period: '2016Q4', n: 1 },
        { table_name: 'volunteers', org_unit: YANHAI.code, period: '2016Q4', n: 3 },
        { table_name: 'volunteers', org_unit: HEPING.code, period: '2016Q4', n: 2 },
      ]);
    } finally {
      store.close();
    }
  });
});

describe('layout: title rows, notes rows, summary rows, 序号', () => {
  const layout = (): Rows => [
    ['盐海社区2016年第四季度志愿者名册'],
    [],
    ['序号', '身份证号', '姓名', '注册日期', '服务时长（小时）'],
    [1, PEOPLE[0].id, PEOPLE[0].name, '2015-07-01', 10],
    [2, PEOPLE[1].id, PEOPLE[1].name, '2015-07-01', 20],
    ['小计', null, null, null, 30],
    [],
    [3, PEOPLE[2].id, PEOPLE[2].name, '2015-07-01', 5],
    // Summary rows often hold formulas; they are skipped, formulas and all.
    ['合计', null, null, null, { formula: 'SUM(E4:E8)', result: 35 }],
    ['总计：35小时'],
    ['说明：本表为季度末全部在册注册志愿者'],
    ['填表说明：身份证号须为18位'],
    ['注：服务时长以小时计'],
    ['备注'],
  ];

  for (const form of ['xlsx', 'csv'] as const) {
    it(`skips them all in ${form}, keeping Excel row numbers`, async () => {
      const { dir, store } = await openFreshStore();
      try {
        const profile: Rows = [['盐海社区2016年第四季度基本情况表'], ...profileRows(YANHAI, '2016Q4'), ['填表说明：人数以季度末为准']];
        let paths: string[];
        if (form === 'xlsx') {
          paths = [
            await writeXlsx(join(dir, '盐海社区.xlsx'), [
              { name: '基本情况', rows: profile, mergeTitle: 8 },
              { name: '志愿者名册', rows: layout(), mergeTitle: 5 },
              { name: '填表说明', rows: [['请按表头填写'], ['身份证号须为18位']] },
            ]),
          ];
        } else {
          const folder = join(dir, '盐海社区');
          writeText(join(folder, '基本情况.csv'), profile);
          writeText(join(folder, '志愿者名册.csv'), layout());
          paths = [folder];
        }
        const s = await importOk(store, paths);
        expect(s.problems).toEqual([]);
        expect(await store.all(`SELECT src_row, service_hours AS h FROM cur_volunteers ORDER BY src_row`)).toEqual([
          { src_row: 4, h: 10 },
          { src_row: 5, h: 20 },
          { src_row: 8, h: 5 },
        ]);
        expect(await store.all(`SELECT src_row, population::INTEGER AS p FROM cur_profile`)).toEqual([{ src_row: 3, p: 5000 }]);
      } finally {
        store.close();
      }
    });
  }
});

describe('layout: pre-numbered template rows', () => {
  it('rows where only the 序号 is filled (a template numbered in advance, even by =ROW()-2) are blank rows', async () => {
    const { dir, store } = await openFreshStore();
    try {
      await writeXlsx(join(dir, '盐海社区_2016Q4.xlsx'), [
        { name: '基本情况', rows: profileRows(YANHAI, '2016Q4') },
        {
          name: '志愿者',
          rows: [
            ['盐海社区志愿者名册'],
            ['序号', '身份证号', '姓名', '注册日期'],
            [1, PEOPLE[0].id, PEOPLE[0].name, '2015-07-01'],
            [2, PEOPLE[1].id, PEOPLE[1].name, '2015-07-01'],
            [3],
            [{ formula: 'ROW()-2', result: 4 }],
            [{ formula: 'ROW()-2', result: 5 }, null, null, null],
          ],
        },
      ]);
      const s = await importOk(store, [join(dir, '盐海社区_2016Q4.xlsx')]);
      expect(s.rows).toBe(3);
      expect((await store.all<{ src_row: number }>(`SELECT src_row FROM cur_volunteers ORDER BY 1`)).map((r) => r.src_row)).toEqual([3, 4]);
    } finally {
      store.close();
    }
  });
});

describe('division codes stored as numbers', () => {
  it('a 12-digit numeric xlsx cell and an exact 1.40302001003E+11 are recovered', async () => {
    const { dir, store } = await openFreshStore();
    try {
      await writeXlsx(join(dir, '盐海社区_2016Q4.xlsx'), [
        {
          name: '基本情况',
          rows: [
            ['社区代码', '社区名称', '所属街道', '报告期', '常住人口', '户数'],
            [140302001003, YANHAI.name, YANHAI.street, '2016Q4', 5000, 1800],
          ],
        },
        { name: '志愿者', rows: [['社区代码', '身份证号', '注册日期'], [140302001003, idNumber(1), '2016-01-01']] },
      ]);
      const folder = join(dir, 'csv');
      writeText(join(folder, '基本情况_2016Q4.csv'), [
        ['社区代码', '社区名称', '所属街道', '常住人口', '户数'],
        ['1.40302001004E+11', HEPING.name, HEPING.street, 100, 50],
      ]);
      writeText(join(folder, '志愿者_2016Q4.csv'), [
        ['社区代码', '身份证号', '注册日期'],
        ['1.40302001004E+11', idNumber(2), '2016-01-01'],
        ['140302001004.0', idNumber(3), '2016-01-01'],
      ]);
      await importOk(store, [join(dir, '盐海社区_2016Q4.xlsx'), folder]);
      expect(await store.all(`SELECT org_unit, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
        { org_unit: '140302001003', n: 1 },
        { org_unit: '140302001004', n: 2 },
      ]);
      expect((await store.all<{ code: string }>(`SELECT code FROM org_units WHERE level = 'community' ORDER BY code`)).map((r) => r.code)).toEqual([
        '140302001003',
        '140302001004',
      ]);
    } finally {
      store.close();
    }
  });

  it('a rounded 1.40302E+11 is rejected with the cell located', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const folder = join(dir, 'csv');
      writeText(join(folder, '基本情况_2016Q4.csv'), [
        ['社区代码', '社区名称', '所属街道', '常住人口', '户数'],
        [YANHAI.code, YANHAI.name, YANHAI.street, 100, 50],
      ]);
      writeText(join(folder, '志愿者_2016Q4.csv'), [
        ['社区代码', '身份证号', '注册日期'],
        [YANHAI.code, idNumber(2), '2016-01-01'],
        ['1.40302E+11', idNumber(3), '2016-01-01'],
      ]);
      const problems = await importRejected(store, [folder]);
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'BAD_CODE', file: 'csv/志愿者_2016Q4.csv', row: 3, column: '社区代码', field: 'community_code', value: '1.40302E+11' });
      expect(errors[0].message).toMatch(/科学计数法/);
    } finally {
      store.close();
    }
  });
});

describe('header synonyms', () => {
  it('maps synonyms with full-width letters, spaces and bracketed units, and the canonical names', async () => {
    const { dir, dbPath, store } = await openFreshStore();
    try {
      const folder = join(dir, '盐海社区_2016Q4');
      writeText(join(folder, '社区基本情况.csv'), [
        ['区划代码', '村（社区）名称', '街道(乡镇)', '社区类型', '统计期', '常住人口（人）', '居民户数(户)', 'ＧＲＩＤＳ', ' 网格员 ', '居(村)委会成员数（人）'],
        [YANHAI.code, YANHAI.name, YANHAI.street, '农村', '2016年四季度', '5000', '1800', '6', '7', '9'],
      ]);
      writeText(join(folder, '注册志愿者.csv'), [
        ['公民身份号码', '姓 名', '联系电话', '注册时间', '政治面貌', '志愿服务时长（小时）', '骨干', '认定日期', 'Service_Hours备用', '备用列'],
        [PEOPLE[0].id, PEOPLE[0].name, PEOPLE[0].phone, '2015-07-01', '中共预备党员', '8', '√', '2016-01-01', 'x', 'y'],
      ]);
      writeText(join(folder, '服务设施.csv'), [
        ['FACILITY_NAME', '设施类型', '建筑面积（平方米）'],
        ['日间照料中心', '老年人日间照料中心', '300'],
      ]);
      const s = await importOk(store, [join(folder, '社区基本情况.csv'), join(folder, '注册志愿者.csv'), join(folder, '服务设施.csv')]);
      expect(s.problems.map((p) => [p.code, p.column])).toEqual([
        ['UNKNOWN_COLUMN', 'Service_Hours备用'],
        ['UNKNOWN_COLUMN', '备用列'],
      ]);
      expect(
        await store.one(`SELECT period, community_name, street_name, area_type, population::INTEGER AS p, households::INTEGER AS h, grids::INTEGER AS g,
          grid_staff::INTEGER AS gs, committee_members::INTEGER AS cm FROM cur_profile`),
      ).toEqual({ period: '2016Q4', community_name: YANHAI.name, street_name: YANHAI.street, area_type: 'rural', p: 5000, h: 1800, g: 6, gs: 7, cm: 9 });
      expect(
        await store.one(`SELECT person_key, CAST(registered_on AS VARCHAR) AS r, party_member, service_hours, is_leader, CAST(leader_since AS VARCHAR) AS l FROM cur_volunteers`),
      ).toEqual({ person_key: expectedPersonKey(dbPath, PEOPLE[0].id), r: '2015-07-01', party_member: true, service_hours: 8, is_leader: true, l: '2016-01-01' });
      expect(await store.one(`SELECT facility_name, kind, area_m2 FROM cur_facilities`)).toEqual({ facility_name: '日间照料中心', kind: 'daycare', area_m2: 300 });
    } finally {
      store.close();
    }
  });
});

describe('containers and batches', () => {
  it('a zip with GBK entry names, a folder and a workbook in one call: one batch', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const paths = [
        await writeExport(dir, 'xlsx', { stem: '盐海社区_2016Q4', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } }),
        await writeExport(dir, 'csv-folder', { stem: '和平社区_2016Q4', tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE.slice(0, 2)) }, encoding: 'gbk' }),
        await writeExport(dir, 'zip-gbk', { stem: '新村社区_2016Q4', tables: { 基本情况: profileRows(XINCUN, '2016Q4'), 志愿者: volunteerRows(PEOPLE.slice(0, 1)) }, encoding: 'gbk' }),
        await writeExport(dir, 'zip', {
          stem: '新村社区_2016Q4_活动',
          tables: { 活动台账: [['社区代码', '类型', '日期', '参与人数'], [XINCUN.code, '三社联席会议', '2016-11-02', 12]] },
        }),
      ];
      const s = await importOk(store, paths);
      expect(s.status).toBe('committed');
      expect(s.batchId).toBe(1);
      expect(s.files.map((f) => [f.file, f.status, f.rows])).toEqual([
        ['盐海社区_2016Q4.xlsx', 'loaded', 4],
        ['和平社区_2016Q4/和平社区_2016Q4_基本情况.csv', 'loaded', 1],
        ['和平社区_2016Q4/和平社区_2016Q4_志愿者.csv', 'loaded', 2],
        ['新村社区_2016Q4.zip/新村社区_2016Q4_基本情况.csv', 'loaded', 1],
        ['新村社区_2016Q4.zip/新村社区_2016Q4_志愿者.csv', 'loaded', 1],
        ['新村社区_2016Q4_活动.zip/新村社区_2016Q4_活动_活动台账.csv', 'loaded', 1],
      ]);
      expect(await store.all(`SELECT DISTINCT batch_id FROM import_files`)).toEqual([{ batch_id: 1 }]);
      expect(await store.all(`SELECT path, container FROM import_files WHERE container IS NOT NULL ORDER BY file_id`)).toEqual([
        { path: '新村社区_2016Q4.zip/新村社区_2016Q4_基本情况.csv', container: '新村社区_2016Q4.zip' },
        { path: '新村社区_2016Q4.zip/新村社区_2016Q4_志愿者.csv', container: '新村社区_2016Q4.zip' },
        { path: '新村社区_2016Q4_活动.zip/新村社区_2016Q4_活动_活动台账.csv', container: '新村社区_2016Q4_活动.zip' },
      ]);
      expect(await store.all(`SELECT table_name, org_unit, period, row_count::INTEGER AS n FROM exports ORDER BY table_name, org_unit`)).toEqual([
        { table_name: 'activities', org_unit: XINCUN.code, period: '2016Q4', n: 1 },
        { table_name: 'profile', org_unit: YANHAI.code, period: '2016Q4', n: 1 },
        { table_name: 'profile', org_unit: HEPING.code, period: '2016Q4', n: 1 },
        { table_name: 'profile', org_unit: XINCUN.code, period: '2016Q4', n: 1 },
        { table_name: 'volunteers', org_unit: YANHAI.code, period: '2016Q4', n: 3 },
        { table_name: 'volunteers', org_unit: HEPING.code, period: '2016Q4', n: 2 },
        { table_name: 'volunteers', org_unit: XINCUN.code, period: '2016Q4', n: 1 },
      ]);
      expect(await store.one(`SELECT row_count::INTEGER AS n, file_count FROM import_batches`)).toEqual({ n: 10, file_count: 6 });
      expect((await store.all<{ name: string }>(`SELECT name FROM org_units WHERE level = 'street' ORDER BY code`)).map((r) => r.name)).toEqual(['东城街道', '西城街道']);
    } finally {
      store.close();
    }
  });

  it('nested folders: each sub-folder is its own export', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const root = join(dir, '2016Q4');
      await writeExport(join(root, '东城街道'), 'csv-folder', { stem: '盐海社区', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } });
      await writeExport(join(root, '东城街道'), 'csv-folder', { stem: '和平社区', tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE.slice(1)) } });
      await writeExport(join(root, '西城街道'), 'xlsx', { stem: '新村社区', tables: { 基本情况: profileRows(XINCUN, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } });
      const s = await importOk(store, [root]);
      expect(s.files.map((f) => f.file)).toEqual([
        '2016Q4/东城街道/和平社区/和平社区_基本情况.csv',
        '2016Q4/东城街道/和平社区/和平社区_志愿者.csv',
        '2016Q4/东城街道/盐海社区/盐海社区_基本情况.csv',
        '2016Q4/东城街道/盐海社区/盐海社区_志愿者.csv',
        '2016Q4/西城街道/新村社区.xlsx',
      ]);
      expect(await store.all(`SELECT org_unit, count(*)::INTEGER AS n FROM cur_volunteers GROUP BY ALL ORDER BY ALL`)).toEqual([
        { org_unit: YANHAI.code, n: 3 },
        { org_unit: HEPING.code, n: 2 },
        { org_unit: XINCUN.code, n: 3 },
      ]);
    } finally {
      store.close();
    }
  });

  // Files are identified by content and name: two communities sending
  // byte-identical rosters (typically the empty template roster) both load.
  it('byte-identical rosters of two communities in one batch are both loaded', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const root = join(dir, '2016Q4');
      const emptySurvey: Rows = [['问卷编号', '调查日期', '满意度']];
      await writeExport(root, 'csv-folder', { stem: '盐海社区', tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE), 满意度: emptySurvey } });
      await writeExport(root, 'csv-folder', { stem: '和平社区', tables: { 基本情况: profileRows(HEPING, '2016Q4'), 志愿者: volunteerRows(PEOPLE), 满意度: emptySurvey } });
      await importOk(store, [root]);
      expect(await store.all(`SELECT table_name, org_unit, row_count::INTEGER AS n FROM exports WHERE table_name <> 'profile' ORDER BY ALL`)).toEqual([
        { table_name: 'surveys', org_unit: YANHAI.code, n: 0 },
        { table_name: 'surveys', org_unit: HEPING.code, n: 0 },
        { table_name: 'volunteers', org_unit: YANHAI.code, n: 3 },
        { table_name: 'volunteers', org_unit: HEPING.code, n: 3 },
      ]);
    } finally {
      store.close();
    }
  });

  it('a registry file defines the units; rosters name them by code, without any profile', async () => {
    const { dir, store } = await openFreshStore();
    try {
      const folder = join(dir, '区_2016Q4');
      writeText(join(folder, '区划.csv'), [
        ['区划代码', '名称', '层级', '上级代码', '城乡类型'],
        ['140302', '城区', '区', '', ''],
        ['140302001', '东城街道', '街道', '140302', ''],
        ['140302001003', '盐海社区', '社区', '140302001', '城市社区'],
        ['140302001004', '和平村', '村委会', '', '农村'],
      ]);
      writeText(join(folder, '活动台账_2016Q4.csv'), [
        ['单位代码', '类型', '日期', '名称', '参与人数'],
        ['140302', '领导小组会议', '2016-10-10', '创建工作会议', 15],
        ['140302001', '自治示范社区', '2016-11-11', '盐海社区获评', ''],
        [YANHAI.code, '三社联席会议', '2016-12-12', '联席会', '20人'],
        [HEPING.code, '培训', '2016-12-13', '培训', 8],
      ]);
      await importOk(store, [folder]);
      expect(await store.all(`SELECT code, name, level, parent_code, area_type FROM org_units ORDER BY code`)).toEqual([
        { code: '140302', name: '城区', level: 'district', parent_code: null, area_type: null },
        { code: '140302001', name: '东城街道', level: 'street', parent_code: '140302', area_type: null },
        { code: '140302001003', name: '盐海社区', level: 'community', parent_code: '140302001', area_type: 'urban' },
        { code: '140302001004', name: '和平村', level: 'community', parent_code: '140302001', area_type: 'rural' },
      ]);
      expect(await store.all(`SELECT org_unit, period, kind, CAST(held_on AS VARCHAR) AS d, participants::INTEGER AS n FROM cur_activities ORDER BY src_row`)).toEqual([
        { org_unit: '140302', period: '2016Q4', kind: 'leadership_meeting', d: '2016-10-10', n: 15 },
        { org_unit: '140302001', period: '2016Q4', kind: 'selfgov_demo_community', d: '2016-11-11', n: null },
        { org_unit: YANHAI.code, period: '2016Q4', kind: 'joint_meeting', d: '2016-12-12', n: 20 },
        { org_unit: HEPING.code, period: '2016Q4', kind: 'training', d: '2016-12-13', n: 8 },
      ]);
    } finally {
      store.close();
    }
  });

  it('a multi-community CSV per table, each row carrying the community code', async () => {
    const { dir, dbPath, store } = await openFreshStore();
    try {
      const folder = join(dir, '东城街道_2016Q4');
      writeText(join(folder, '社区基本情况.csv'), [
        ['社区代码', '社区名称', '所属街道', '城乡类型', '常住人口', '户数'],
        [YANHAI.code, YANHAI.name, YANHAI.street, '城市', 5000, 1800],
        [HEPING.code, HEPING.name, HEPING.street, '农村', 3000, 1000],
      ]);
      writeText(join(folder, '志愿者.csv'), [
        ['社区代码', '身份证号', '注册日期', '服务时长'],
        [YANHAI.code, PEOPLE[0].id, '2016-01-01', 1],
        [HEPING.code, PEOPLE[1].id, '2016-02-01', 2],
        [YANHAI.code, PEOPLE[2].id, '2016-03-01', 3],
        // The same person in two communities is not a duplicate.
        [HEPING.code, PEOPLE[0].id, '2016-04-01', 4],
      ]);
      writeText(join(folder, '社会组织.csv'), [
        ['社区代码', '组织名称', '类型', '登记状态', '成立日期', '注销日期', '成员数'],
        [YANHAI.code, '夕阳红舞蹈队', '文体类', '备案', '2015.03.01', '', '25人'],
        [HEPING.code, '邻里互助会', '互助类', '已登记', '2014年5月', '2016-12-01', 30],
      ]);
      await importOk(store, [folder]);
      expect(await store.all(`SELECT org_unit, period, src_row, person_key, CAST(registered_on AS VARCHAR) AS r, service_hours AS h FROM cur_volunteers ORDER BY src_row`)).toEqual([
        { org_unit: YANHAI.code, period: '2016Q4', src_row: 2, person_key: expectedPersonKey(dbPath, PEOPLE[0].id), r: '2016-01-01', h: 1 },
        { org_unit: HEPING.code, period: '2016Q4', src_row: 3, person_key: expectedPersonKey(dbPath, PEOPLE[1].id), r: '2016-02-01', h: 2 },
        { org_unit: YANHAI.code, period: '2016Q4', src_row: 4, person_key: expectedPersonKey(dbPath, PEOPLE[2].id), r: '2016-03-01', h: 3 },
        { org_unit: HEPING.code, period: '2016Q4', src_row: 5, person_key: expectedPersonKey(dbPath, PEOPLE[0].id), r: '2016-04-01', h: 4 },
      ]);
      expect(
        await store.all(`SELECT org_unit, org_name, org_type, reg_status, CAST(founded_on AS VARCHAR) AS f, CAST(dissolved_on AS VARCHAR) AS d, members::INTEGER AS m
          FROM cur_social_orgs ORDER BY src_row`),
      ).toEqual([
        { org_unit: YANHAI.code, org_name: '夕阳红舞蹈队', org_type: 'culture_sports', reg_status: 'filed', f: '2015-03-01', d: null, m: 25 },
        { org_unit: HEPING.code, org_name: '邻里互助会', org_type: 'mutual_aid', reg_status: 'registered', f: '2014-05-01', d: '2016-12-01', m: 30 },
      ]);
      expect(await store.all(`SELECT table_name, org_unit, row_count::INTEGER AS n FROM exports ORDER BY table_name, org_unit`)).toEqual([
        { table_name: 'profile', org_unit: YANHAI.code, n: 1 },
        { table_name: 'profile', org_unit: HEPING.code, n: 1 },
        { table_name: 'social_orgs', org_unit: YANHAI.code, n: 1 },
        { table_name: 'social_orgs', org_unit: HEPING.code, n: 1 },
        { table_name: 'volunteers', org_unit: YANHAI.code, n: 2 },
        { table_name: 'volunteers', org_unit: HEPING.code, n: 2 },
      ]);
      expect(await store.all(`SELECT code, area_type FROM org_units WHERE level = 'community' ORDER BY code`)).toEqual([
        { code: YANHAI.code, area_type: 'urban' },
        { code: HEPING.code, area_type: 'rural' },
      ]);
    } finally {
      store.close();
    }
  });
});
