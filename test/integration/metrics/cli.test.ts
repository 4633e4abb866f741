// report and check commands against a real DuckDB file holding the tiny district.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as check } from '../../../server/cli/check.ts';
import { run as report } from '../../../server/cli/report.ts';
import { Store } from '../../../server/db/store.ts';
import { A, buildTinyDistrict, TINY_PLAN_YAML } from './tiny-district.ts';

const dir = mkdtempSync(join(tmpdir(), 'metrics-cli-'));
const db = join(dir, 'tiny.duckdb');
const planFile = join(dir, 'tiny-2016.yaml');

beforeAll(async () => {
  const s = await Store.open(db);
  await buildTinyDistrict(s);
  await s.run(`UPDATE org_units SET name = '=HYPERLINK("x")' WHERE code = $1`, [A]);
  s.close();
  writeFileSync(planFile, TINY_PLAN_YAML);
});
afterEach(() => vi.restoreAllMocks());

function capture() {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return () => out;
}

describe('report', () => {
  it('json: values with fractions, scores and acceptance', async () => {
    const out = join(dir, 'r.json');
    expect(await report(['--db', db, '--plan', planFile, '--period', '2016Q4', '--format', 'json', '--out', out])).toBe(0);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const vr = r.values.find((v: { org_unit: string; indicator: string }) => v.org_unit === A && v.indicator === 'volunteer_rate');
    expect(vr).toMatchObject({ level: 'community', period: '2016Q4', value: 0.155, target: 0.15, attainment: 1, status: 'met' });
    expect(r.scores.length).toBe(3);
    expect(r.acceptance.length).toBe(3);
  });

  it('csv: BOM, Chinese headers, neutralised formula text', async () => {
    const out = join(dir, 'r.csv');
    expect(await report(['--db', db, '--plan', planFile, '--period', '2016Q4', '--format', 'csv', '--out', out])).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF区划代码,名称')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it('xlsx: one sheet per level', async () => {
    const out = join(dir, 'r.xlsx');
    expect(await report(['--db', db, '--plan', planFile, '--period', '2016Q4', '--format', 'xlsx', '--out', out])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['社区指标', '社区评分与验收', '街道指标', '街道评分与验收', '区县指标', '区县评分与验收']);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('区划代码');
  });

  it('bad arguments and bad plans exit 2', async () => {
    capture();
    expect(await report(['--db', db, '--plan', planFile, '--period', '2016-4'])).toBe(2);
    expect(await report(['--db', db, '--plan', 'no-such-plan', '--period', '2016Q4'])).toBe(2);
  });
});

describe('check', () => {
  it('prints the table and exits 1 when a unit fails', async () => {
    const out = capture();
    expect(await check(['--db', db, '--plan', planFile, '--period', '2016Q4'])).toBe(1);
    expect(out()).toContain('不通过');
    expect(out()).toContain('1/3 通过');
  });
});
