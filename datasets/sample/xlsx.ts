// Writes an export as an .xlsx workbook the way a community office does: a
// merged title row, a 序号 column, a 合计 row on some sheets and a 填表说明
// notes row at the bottom. Output is byte-reproducible (fixed document dates,
// zip entry times normalised).

import ExcelJS from 'exceljs';
import { utc } from './dates.ts';
import type { FormattedTable } from './format.ts';

const FIXED_DATE = new Date(Date.UTC(2018, 6, 1));
const NOTES: Record<string, string> = {
  profile: '填表说明：本表填写报告期末社区基本情况，人数以季度末为准。',
  social_orgs: '填表说明：列出全部在册社区社会组织，已注销的填写注销日期。',
  volunteers: '填表说明：本表为季度末全部在册注册志愿者，身份证号须为18位。',
  social_workers: '填表说明：列出在岗及本年度离职的社会工作者，离职的填写离职日期。',
  facilities: '填表说明：面积单位为平方米，停用的设施填写停用日期。',
  participation: '填表说明：每位居民参加一个组织填一行。',
  activities: '填表说明：填写本季度开展的活动和会议，一次一行。',
  surveys: '填表说明：每份问卷一行，评分1-5分。',
};
const TOTAL_FIELDS = new Set(['service_hours', 'members', 'area_m2', 'participants']);

export interface SheetSpec {
  sheetName: string;
  title: string;
  data: FormattedTable;
  totals: boolean;
  blankRowAfterTitle: boolean;
}

export async function writeWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '社区工作站';
  wb.lastModifiedBy = '社区工作站';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.sheetName);
    const ncol = s.data.columns.length + 1;
    ws.getCell(1, 1).value = s.title;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.getCell(1, 1).alignment = { horizontal: 'center' };
    ws.mergeCells(1, 1, 1, ncol);
    const headerRow = s.blankRowAfterTitle ? 3 : 2;
    const header = ws.getRow(headerRow);
    header.values = ['序号', ...s.data.columns.map((c) => c.header)];
    header.font = { bold: true };
    s.data.columns.forEach((c, i) => {
      ws.getColumn(i + 2).width = Math.max(10, c.header.length * 2 + 2);
    });
    let r = headerRow + 1;
    for (const cells of s.data.rows) {
      const row = ws.getRow(r);
      row.getCell(1).value = r - headerRow;
      cells.forEach((cell, i) => {
        if (cell === null) return;
        const target = row.getCell(i + 2);
        if (typeof cell === 'object') {
          target.value = new Date(utc(cell.date));
          target.numFmt = 'yyyy-mm-dd';
        } else {
          target.value = cell;
        }
      });
      r++;
    }
    if (s.totals && s.data.rows.length) {
      const row = ws.getRow(r++);
      row.getCell(1).value = '合计';
      s.data.columns.forEach((c, i) => {
        if (!TOTAL_FIELDS.has(c.field.name)) return;
        const sum = s.data.rows.reduce((acc, cells) => acc + (typeof cells[i] === 'number' ? (cells[i] as number) : 0), 0);
        row.getCell(i + 2).value = Math.round(sum * 10) / 10;
      });
    }
    ws.getRow(r + 1).getCell(1).value = NOTES[s.data.table.name] ?? '填表说明：按表头填写。';
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions));
  return normalizeZipTimes(buf);
}

/** Sets every zip entry's DOS time to 2018-07-01 00:00 so identical content gives identical bytes. */
export function normalizeZipTimes(buf: Buffer): Buffer {
  const date = ((2018 - 1980) << 9) | (7 << 5) | 1;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('normalizeZipTimes: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('normalizeZipTimes: bad central directory');
    buf.writeUInt16LE(0, p + 12);
    buf.writeUInt16LE(date, p + 14);
    const local = buf.readUInt32LE(p + 42);
    buf.writeUInt16LE(0, local + 10);
    buf.writeUInt16LE(date, local + 12);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return buf;
}
