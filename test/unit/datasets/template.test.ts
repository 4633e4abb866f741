import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../../server/import/contract/tables.ts';
import { enumChoices, templateHeader, templateSheetName, writeTemplate } from '../../../server/import/template.ts';

let dir = '';
const wb = new ExcelJS.Workbook();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'template-'));
  const file = path.join(dir, '三社联动季度报送模板.xlsx');
  await writeTemplate(file);
  await wb.xlsx.readFile(file);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tables = TABLES.filter((t) => t.name !== 'org_units');
type Dv = { type: string; formulae?: unknown[] };
const dvAt = (ws: ExcelJS.Worksheet, addr: string): Dv | undefined =>
  (ws as unknown as { dataValidations: { model: Record<string, Dv> } }).dataValidations.model[addr];
const col = (i: number) => String.fromCharCode(65 + i); // tables have < 26 columns

describe('fill-in template', () => {
  it('has the instructions sheet first, then one sheet per table', () => {
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe('填表说明');
    expect(names.slice(1)).toEqual(tables.map(templateSheetName));
    const text = wb.worksheets[0].getSheetValues().flat().join(' ');
    expect(text).toContain('公式');
    expect(text).toContain('每个季度报送一份');
  });

  it('headers are the first synonym of each field, with units', () => {
    for (const t of tables) {
      const ws = wb.getWorksheet(templateSheetName(t))!;
      const headers = (ws.getRow(1).values as unknown[]).slice(1);
      expect(headers).toEqual(t.fields.map(templateHeader));
      t.fields.forEach((f, i) => {
        expect(String(headers[i]).startsWith(f.headers[0])).toBe(true);
        const cell = ws.getCell(1, i + 1);
        if (f.required) {
          expect(cell.font?.bold).toBe(true);
          expect(cell.font?.color?.argb).toBe('FFC00000');
          expect(String(cell.note ?? '')).toContain('必填');
        }
        if (f.kind === 'drop') expect(JSON.stringify(cell.note ?? '')).toContain('导入时自动删除');
      });
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    expect(templateHeader(tables[0].fields.find((f) => f.name === 'population')!)).toBe('常住人口(人)');
  });

  it('validates enum, bool, date and number columns and keeps codes as text', () => {
    for (const t of tables) {
      const ws = wb.getWorksheet(templateSheetName(t))!;
      t.fields.forEach((f, i) => {
        const dv = dvAt(ws, `${col(i)}2`);
        if (f.kind === 'enum') {
          expect(dv?.type, `${t.name}.${f.name}`).toBe('list');
          const list = String(dv!.formulae![0]).replace(/"/g, '').split(',');
          expect(list).toEqual(enumChoices(f));
          for (const v of list) expect(Object.values(f.values!).flat()).toContain(v);
        }
        if (f.kind === 'bool') expect(dv?.type).toBe('list');
        if (f.kind === 'date') {
          expect(dv?.type).toBe('date');
          expect(ws.getColumn(i + 1).numFmt).toBe('yyyy-mm-dd');
        }
        if (f.kind === 'count') expect(dv?.type).toBe('whole');
        if (f.kind === 'area' || f.kind === 'number') expect(dv?.type).toBe('decimal');
        if (f.kind === 'code' || f.kind === 'secret') expect(ws.getColumn(i + 1).numFmt).toBe('@');
      });
    }
  });
});
