// Acceptance: bad input is rejected with every problem reported (code, file,
// row as Excel shows it, column as written, value) in Chinese, and the store
// is exactly as before (whole-store snapshot compared before and after).

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../server/db/store.ts';
import { formatProblem, type Problem } from '../../../server/import/problems.ts';
import {
  cloneStore,
  errorsOf,
  idNumber,
  importOk,
  importRejected,
  isChinese,
  openFreshStore,
  PEOPLE,
  profileRows,
  type Rows,
  volunteerRows,
  writeExport,
  writeFile,
  writeText,
  writeXlsx,
  YANHAI,
  zipBytes,
} from '../../helpers/fixtures.ts';
import { snapshotStore } from '../../helpers/snapshot.ts';

const MB = 1024 * 1024;

interface Ctx {
  dir: string;
  store: Store;
}

let template: Promise<string> | undefined;

/** A closed store holding a good 2016Q3 export of 盐海社区 (so the unit is known), built once. */
function baselineTemplate(): Promise<string> {
  template ??= (async () => {
    const { dir, dbPath, store } = await openFreshStore();
    try {
      await importOk(store, [
        await writeExport(dir, 'xlsx', { stem: '盐海社区_2016Q3', tables: { 基本情况: profileRows(YANHAI, '2016Q3'), 志愿者: volunteerRows(PEOPLE) } }),
      ]);
    } finally {
      store.close();
    }
    return dbPath;
  })();
  return template;
}

/**
 * A fresh store (a copy of the baseline), then `bad` builds the paths to
 * import; the import must be rejected and leave the store identical.
 * Returns the problems.
 */
async function rejectedAgainstBaseline(bad: (ctx: Ctx) => Promise<string[]> | string[]): Promise<Problem[]> {
  const { dir, dbPath } = cloneStore(await baselineTemplate());
  const store = await Store.open(dbPath);
  try {
    const before = await snapshotStore(store);
    expect(before.volunteers).toHaveLength(3);
    const paths = await bad({ dir, store });
    const problems = await importRejected(store, paths);
    expect(await snapshotStore(store)).toEqual(before);
    for (const p of problems) {
      expect(isChinese(p.message), p.message).toBe(true);
      expect(p.file, JSON.stringify(p)).toBeTruthy();
    }
    return problems;
  } finally {
    store.close();
  }
}

/** A 2016Q4 folder for 盐海社区 with a good profile and the given extra files. */
function q4Folder(dir: string, files: Record<string, Rows | Buffer>): string {
  const folder = join(dir, '盐海社区_2016Q4');
  writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, '2016Q4'));
  for (const [name, content] of Object.entries(files)) {
    if (Buffer.isBuffer(content)) writeFile(join(folder, name), content);
    else writeText(join(folder, name), content);
  }
  return folder;
}

const F = '盐海社区_2016Q4';

describe('rejected rows and cells', () => {
  it('missing required column', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, { '志愿者.csv': [['姓名', '注册日期'], ['张三', '2016-01-01']] }),
    ]);
    expect(errorsOf(problems)).toHaveLength(1);
    expect(errorsOf(problems)[0]).toMatchObject({ code: 'MISSING_COLUMN', file: `${F}/志愿者.csv`, row: 1, field: 'person_key' });
    expect(errorsOf(problems)[0].message).toMatch(/缺少必填列「身份证号」/);
  });

  it('invalid date 2016-13-45', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, { '志愿者.csv': [['身份证号', '注册日期'], [idNumber(1), '2016-01-01'], [idNumber(2), '2016-13-45']] }),
    ]);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'BAD_DATE', file: `${F}/志愿者.csv`, row: 3, column: '注册日期', field: 'registered_on', value: '2016-13-45' }),
    ]);
    expect(formatProblem(errorsOf(problems)[0])).toBe(
      `错误：${F}/志愿者.csv › 第 3 行 › 列「注册日期」：${errorsOf(problems)[0].message}，值「2016-13-45」 [registered_on]`,
    );
  });

  it('negative count', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, { '活动台账.csv': [['类型', '日期', '参与人数(人)'], ['协商议事', '2016-11-01', '-5']] }),
    ]);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'NEGATIVE', file: `${F}/活动台账.csv`, row: 2, column: '参与人数(人)', field: 'participants', value: '-5' }),
    ]);
    expect(errorsOf(problems)[0].message).toMatch(/负数/);
  });

  it('negative area', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, { '服务设施.csv': [['设施名称', '用途', '面积（平方米）'], ['活动室', '活动用房', '120'], ['广场', '广场', '-1,500㎡']] }),
    ]);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'NEGATIVE', file: `${F}/服务设施.csv`, row: 3, column: '面积（平方米）', field: 'area_m2', value: '-1,500㎡' }),
    ]);
    expect(errorsOf(problems)[0].message).toMatch(/面积不能为负数/);
  });

  it('text in a number column', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, { '志愿者.csv': [['身份证号', '注册日期', '服务时长'], [idNumber(1), '2016-01-01', '很多']] }),
    ]);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'BAD_NUMBER', file: `${F}/志愿者.csv`, row: 2, column: '服务时长', field: 'service_hours', value: '很多' }),
    ]);
  });

  it('unknown community code', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      writeText(join(dir, '志愿者_2016Q4.csv'), [
        ['社区代码', '身份证号', '注册日期'],
        [YANHAI.code, idNumber(1), '2016-01-01'],
        ['140302009999', idNumber(2), '2016-01-01'],
      ]),
    ]);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_UNIT', file: '志愿者_2016Q4.csv', row: 3, column: '社区代码', field: 'community_code', value: '140302009999' }),
    ]);
  });

  it('a period that cannot be found (no column, none in the profile, none in the file names)', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => {
      const folder = join(dir, '盐海社区');
      writeText(join(folder, '基本情况.csv'), profileRows(YANHAI, null));
      writeText(join(folder, '志愿者.csv'), volunteerRows(PEOPLE));
      return [folder];
    });
    expect(errorsOf(problems).map((p) => [p.code, p.file, p.field])).toEqual([
      ['NO_PERIOD', '盐海社区/基本情况.csv', 'report_period'],
      ['NO_PERIOD', '盐海社区/志愿者.csv', 'report_period'],
    ]);
    expect(errorsOf(problems)[0].message).toMatch(/报告期/);
  });

  it('a CSV row with more cells than the header', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, {
        '志愿者.csv': Buffer.from(`身份证号,注册日期,服务时长\n${idNumber(1)},2016-01-01,3\n${idNumber(2)},2016-01-01,3,5,多余\n`),
      }),
    ]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'EXTRA_CELLS', file: `${F}/志愿者.csv`, row: 3, value: '5 | 多余' })]);
  });

  it('duplicate person_key in one roster (case of the check letter ignored); the clear ID is never echoed', async () => {
    const id = '14030219800101123X';
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, {
        '志愿者.csv': [['身份证号', '注册日期'], [id, '2016-01-01'], [idNumber(2), '2016-01-01'], [id.toLowerCase(), '2016-02-01']],
      }),
    ]);
    const e = errorsOf(problems);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'DUPLICATE_KEY', file: `${F}/志愿者.csv`, row: 4, column: '身份证号', field: 'person_key' });
    expect(e[0].message).toMatch(/第 2、4 行/);
    expect(JSON.stringify(problems).toUpperCase()).not.toContain(id);
    expect(e[0].value).toMatch(/^14\*+123X$/);
  });

  it('an ID three times and another twice in one roster: one problem each, naming every row', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, {
        '志愿者.csv': [
          ['身份证号', '注册日期'],
          [idNumber(1), '2016-01-01'],
          [idNumber(2), '2016-01-01'],
          [idNumber(1), '2016-02-01'],
          [idNumber(3), '2016-01-01'],
          [idNumber(2), '2016-03-01'],
          [idNumber(1), '2016-04-01'],
        ],
      }),
    ]);
    const e = errorsOf(problems);
    expect(e.map((p) => [p.code, p.row, p.message])).toEqual([
      ['DUPLICATE_KEY', 4, expect.stringContaining('第 2、4、7 行')],
      ['DUPLICATE_KEY', 6, expect.stringContaining('第 3、6 行')],
    ]);
  });

  it('formula cells in xlsx (=1+1, =HYPERLINK)', async () => {
    const problems = await rejectedAgainstBaseline(async ({ dir }) => [
      await writeXlsx(join(dir, '盐海社区_2016Q4.xlsx'), [
        { name: '基本情况', rows: profileRows(YANHAI, '2016Q4') },
        {
          name: '志愿者',
          rows: [
            ['身份证号', '姓名', '注册日期', '服务时长'],
            [idNumber(1), '张三', '2016-01-01', { formula: '1+1', result: 2 }],
            [idNumber(2), { formula: 'HYPERLINK("http://x","y")', result: 'y' }, '2016-01-01', 3],
          ],
        },
      ]),
    ]);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'FORMULA', file: '盐海社区_2016Q4.xlsx', sheet: '志愿者', row: 2, column: '服务时长', value: '=1+1' }),
      expect.objectContaining({ code: 'FORMULA', file: '盐海社区_2016Q4.xlsx', sheet: '志愿者', row: 3, column: '姓名', value: '=HYPERLINK("http://x","y")' }),
    ]);
  });

  it('formula cells in CSV (=1+1, =HYPERLINK)', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, {
        '志愿者.csv': Buffer.from(`身份证号,姓名,注册日期,服务时长\n${idNumber(1)},张三,2016-01-01,=1+1\n${idNumber(2)},"=HYPERLINK(""http://x"",""y"")",2016-01-01,3\n`),
      }),
    ]);
    const e = errorsOf(problems);
    expect(e.filter((p) => p.code === 'FORMULA')).toEqual([
      expect.objectContaining({ code: 'FORMULA', file: `${F}/志愿者.csv`, row: 2, column: '服务时长', value: '=1+1' }),
      expect.objectContaining({ code: 'FORMULA', file: `${F}/志愿者.csv`, row: 3, column: '姓名', value: '=HYPERLINK("http://x","y")' }),
    ]);
    // The formula text is no number either; nothing else may be reported.
    expect(e.filter((p) => p.code !== 'FORMULA').map((p) => [p.code, p.row, p.column])).toEqual([['BAD_NUMBER', 2, '服务时长']]);
  });
});

describe('rejected files', () => {
  it('an empty file', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [q4Folder(dir, { '志愿者.csv': Buffer.alloc(0) })]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'EMPTY_FILE', file: `${F}/志愿者.csv` })]);
  });

  it('a truncated zip', async () => {
    const problems = await rejectedAgainstBaseline(async ({ dir }) => {
      const path = await writeExport(dir, 'zip', { stem: F, tables: { 基本情况: profileRows(YANHAI, '2016Q4'), 志愿者: volunteerRows(PEOPLE) } });
      const bytes = readFileSync(path);
      return [writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)))];
    });
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'ZIP_CORRUPT', file: `${F}.zip` })]);
  });

  it('a zip whose content would expand past 200 MB (small on disk)', async () => {
    let onDisk = 0;
    const problems = await rejectedAgainstBaseline(({ dir }) => {
      const zeros = Buffer.alloc(201 * MB);
      const zip = zipBytes([
        { name: '基本情况.csv', data: Buffer.from('社区代码,社区名称,报告期,常住人口\n140302001003,盐海社区,2016Q4,5000\n') },
        { name: '志愿者.csv', data: zeros },
      ]);
      onDisk = zip.length;
      return [writeFile(join(dir, `${F}.zip`), zip)];
    });
    expect(onDisk).toBeLessThan(1 * MB);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'ZIP_TOO_LARGE', file: `${F}.zip` })]);
    expect(errorsOf(problems)[0].message).toMatch(/200 MB/);
  });

  it('an .xlsx that is not one', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [writeFile(join(dir, '盐海社区_2016Q4_志愿者.xlsx'), '身份证号,注册日期\n1,2016-01-01\n')]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'NOT_XLSX', file: '盐海社区_2016Q4_志愿者.xlsx' })]);
  });

  it('a 50 MB file of random garbage named .csv fails fast and cleanly', async () => {
    let elapsed = 0;
    const problems = await rejectedAgainstBaseline(async ({ dir, store }) => {
      const path = writeFile(join(dir, '盐海社区_2016Q4_志愿者.csv'), randomBytes(50 * MB));
      const t0 = Date.now();
      const p = await importRejected(store, [path]);
      elapsed = Date.now() - t0;
      expect(errorsOf(p)).toEqual([expect.objectContaining({ code: 'NOT_TEXT', file: '盐海社区_2016Q4_志愿者.csv' })]);
      return [path];
    });
    expect(elapsed).toBeLessThan(3000);
    expect(errorsOf(problems)).toHaveLength(1);
  });

  it('a file whose table cannot be recognised from its name', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [writeText(join(dir, '盐海社区_2016Q4_名单.csv'), volunteerRows(PEOPLE))]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'UNKNOWN_TABLE', file: '盐海社区_2016Q4_名单.csv' })]);
  });

  it('two files of one batch for the same community, period and table conflict', async () => {
    const problems = await rejectedAgainstBaseline(async ({ dir }) => [
      q4Folder(dir, { '志愿者.csv': volunteerRows(PEOPLE.slice(0, 1)) }),
      writeText(join(dir, '盐海社区_2016Q4_志愿者名册.csv'), volunteerRows(PEOPLE.slice(1))),
    ]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'CONFLICT', value: `${YANHAI.code} 2016Q4 volunteers` })]);
    expect(errorsOf(problems)[0].file).toContain('志愿者.csv');
    expect(errorsOf(problems)[0].file).toContain('盐海社区_2016Q4_志愿者名册.csv');
  });

  it('an unsupported file type', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [writeFile(join(dir, '盐海社区_2016Q4_志愿者.docx'), 'x')]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_FILE', file: '盐海社区_2016Q4_志愿者.docx' })]);
  });
});

describe('all or nothing, all problems', () => {
  it('a batch where one file is good and another bad stores nothing', async () => {
    const problems = await rejectedAgainstBaseline(async ({ dir }) => [
      await writeExport(dir, 'xlsx', {
        stem: '和平社区_2016Q4',
        tables: {
          基本情况: profileRows({ code: '140302001004', name: '和平社区', street: '东城街道' }, '2016Q4'),
          志愿者: volunteerRows(PEOPLE),
        },
      }),
      q4Folder(dir, { '志愿者.csv': [['身份证号', '注册日期'], [idNumber(1), '2016-13-45']] }),
    ]);
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ code: 'BAD_DATE', file: `${F}/志愿者.csv`, row: 2 })]);
  });

  it('a file with 3 distinct errors yields 3 problems', async () => {
    const problems = await rejectedAgainstBaseline(({ dir }) => [
      q4Folder(dir, {
        '志愿者.csv': [
          ['身份证号', '注册日期', '服务时长', '是否党员'],
          [idNumber(1), '2016-01-01', '1', '是'],
          [idNumber(2), '2016-13-45', '2', '否'],
          [idNumber(3), '2016-01-01', '-3', '是'],
          [idNumber(4), '2016-01-01', '4', '也许'],
        ],
      }),
    ]);
    // Exactly these three, in any order.
    expect(errorsOf(problems).map((p) => [p.row, p.code, p.column, p.value]).sort()).toEqual([
      [3, 'BAD_DATE', '注册日期', '2016-13-45'],
      [4, 'NEGATIVE', '服务时长', '-3'],
      [5, 'BAD_BOOL', '是否党员', '也许'],
    ]);
  });

  it('problems of every file of the batch are reported together', async () => {
    const problems = await rejectedAgainstBaseline(async ({ dir }) => [
      q4Folder(dir, {
        '志愿者.csv': [['身份证号', '注册日期'], [idNumber(1), '2016/2/30'], ['', '2016-01-01']],
        '服务设施.csv': [['设施名称', '面积'], ['活动室', '0']],
        '社会组织.csv': [['组织名称', '类型'], ['读书会', '文体类']],
      }),
      writeFile(join(dir, 'broken.zip'), Buffer.from('PK\u0003\u0004 not really')),
      writeFile(join(dir, '空的_2016Q4_活动台账.csv'), ''),
    ]);
    const key = (p: Problem) => [p.code, p.file, p.row ?? null, p.column ?? null];
    expect(errorsOf(problems).map(key).sort()).toEqual(
      [
        ['BAD_DATE', `${F}/志愿者.csv`, 2, '注册日期'],
        ['REQUIRED', `${F}/志愿者.csv`, 3, '身份证号'],
        ['NOT_POSITIVE', `${F}/服务设施.csv`, 2, '面积'],
        ['MISSING_COLUMN', `${F}/社会组织.csv`, 1, null],
        ['ZIP_CORRUPT', 'broken.zip', null, null],
        ['EMPTY_FILE', '空的_2016Q4_活动台账.csv', null, null],
      ].sort(),
    );
  });
});
