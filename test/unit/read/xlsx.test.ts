// Tests for the fast .xlsx reader: workbooks written by exceljs (title rows,
// merged cells, dates, numbers, booleans, formulas, rich text, 12-digit codes,
// hidden sheets, the 1904 date system) and hand-written package XML for what
// exceljs does not produce (inline strings, namespace prefixes, absolute
// targets, phonetic runs, escapes, shared formulas, t="d", error cells),
// plus the rejections (.xls, text renamed .xlsx, broken or truncated zips).

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../../server/import/problems.ts';
import {
  decodeXmlText,
  excelSerialToText,
  formatNumber,
  isDateFormatCode,
  readXlsx,
} from '../../../server/import/read/xlsx.ts';
import { writeZip } from '../../../server/import/read/zip.ts';

function readError(fn: () => unknown): ReadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReadError) return err;
    throw err;
  }
  throw new Error('expected a ReadError');
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function volunteerWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('志愿者名册');
  ws.mergeCells('A1:H1');
  ws.getCell('A1').value = 'XX社区2016年第四季度志愿者名册';
  ws.getRow(3).values = ['序号', '身份证号', '社区代码', '注册日期', '服务时长(小时)', '是否党员', '合计', '链接'];
  ws.getRow(4).values = [
    1,
    '110101199001011234',
    140302001003,
    new Date(Date.UTC(2015, 6, 1)),
    0.1 + 0.2,
    true,
    { formula: '1+1', result: 2 },
    { formula: 'HYPERLINK("http://x","y")', result: 'y' },
  ];
  ws.getRow(5).values = [
    2,
    { richText: [{ text: '1101', font: { bold: true } }, { text: '01199001015678' }] },
    140302001004,
    new Date(Date.UTC(2016, 11, 31, 13, 45, 7)),
    1234567.5,
    false,
    -0,
    '  有空格  ',
  ];
  ws.getCell('D4').numFmt = 'yyyy-mm-dd';
  ws.getCell('D5').numFmt = 'yyyy/m/d h:mm:ss';
  ws.getCell('A7').value = '说明：本表由社区填写 & 核对 <内部>';
  ws.getCell('C8').value = 1e-7;
  ws.getCell('D8').value = 42735;
  ws.getCell('D8').numFmt = 'yyyy"年"m"月"d"日"';
  ws.getCell('E8').value = 42735;
  ws.getCell('E8').numFmt = '0.00';
  const hidden = wb.addWorksheet('隐藏表', { state: 'hidden' });
  hidden.getCell('C3').value = '藏起来';
  wb.addWorksheet('空表');
  return toBuffer(wb);
}

describe('readXlsx on exceljs workbooks', () => {
  it('reads title rows, merged cells, dates, numbers, booleans and formulas', async () => {
    const sheets = readXlsx(await volunteerWorkbook());
    expect(sheets.map((s) => s.name)).toEqual(['志愿者名册', '隐藏表', '空表']);
    const [s] = sheets;
    expect(s.rows[0]).toEqual(['XX社区2016年第四季度志愿者名册']); // merged: only the top-left cell
    expect(s.rows[1]).toEqual([]);
    expect(s.rows[2]).toEqual(['序号', '身份证号', '社区代码', '注册日期', '服务时长(小时)', '是否党员', '合计', '链接']);
    expect(s.rows[3]).toEqual(['1', '110101199001011234', '140302001003', '2015-07-01', '0.3', 'TRUE', '2', 'y']);
    expect(s.rows[4]).toEqual([
      '2',
      '110101199001015678',
      '140302001004',
      '2016-12-31 13:45:07',
      '1234567.5',
      'FALSE',
      '0',
      '有空格',
    ]);
    expect(s.rows[5]).toEqual([]);
    expect(s.rows[6]).toEqual(['说明：本表由社区填写 & 核对 <内部>']);
    expect(s.rows[7]).toEqual([null, null, '0.0000001', '2016-12-31', '42735']);
    expect(s.rows).toHaveLength(8);
    expect(s.formulas).toEqual([
      { row: 4, col: 6, formula: '=1+1' },
      { row: 4, col: 7, formula: '=HYPERLINK("http://x","y")' },
    ]);
  });

  it('returns hidden and empty sheets', async () => {
    const [, hidden, empty] = readXlsx(await volunteerWorkbook());
    expect(hidden).toEqual({ name: '隐藏表', rows: [[], [], [null, null, '藏起来']], formulas: [] });
    expect(empty).toEqual({ name: '空表', rows: [], formulas: [] });
  });

  it('uses the 1904 date system when the workbook says so', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('活动');
    ws.getCell('A1').value = new Date(Date.UTC(2015, 6, 1));
    ws.getCell('A1').numFmt = 'yyyy-mm-dd';
    const buf = await toBuffer(wb);
    const [s] = readXlsx(buf);
    expect(s.rows[0]).toEqual(['2015-07-01']);
  });

  it('reads many rows with shared strings', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('社会组织');
    ws.addRow(['组织名称', '成立日期', '成员数']);
    for (let i = 0; i < 2000; i++) ws.addRow([`组织${i % 50}`, new Date(Date.UTC(2010, 0, 1 + i)), i]);
    ws.getColumn(2).numFmt = 'yyyy-mm-dd';
    const [s] = readXlsx(await toBuffer(wb));
    expect(s.rows).toHaveLength(2001);
    expect(s.rows[2000]).toEqual(['组织49', '2015-06-23', '1999']);
  });
});

// ---------------------------------------------------------------------------
// Hand-written packages

const CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function pkg(files: Record<string, string>): Buffer {
  return writeZip(Object.entries(files).map(([name, xml]) => ({ name, data: Buffer.from(xml) })));
}

function handWritten(): Buffer {
  return pkg({
    '[Content_Types].xml': CT,
    '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="${REL}"><x:workbookPr date1904="0"/><x:sheets><x:sheet name="基本情况 &amp; 概况" sheetId="1" rel:id="rId7"/><x:sheet name="图表" sheetId="2" rel:id="rId8"/><x:sheet name="活动" sheetId="3" state="veryHidden" rel:id="rId9"/></x:sheets></x:workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="${REL}/worksheet" Target="/xl/worksheets/first.xml"/><Relationship Id="rId8" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId9" Type="${REL}/worksheet" Target="./worksheets/../worksheets/second.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="strings.xml"/><Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId5" Type="${REL}/hyperlink" Target="http://x" TargetMode="External"/></Relationships>`,
    'xl/strings.xml': `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5"><x:si><x:t>社区代码</x:t></x:si><x:si><x:r><x:rPr><x:b/><x:color rgb="FF0000"/></x:rPr><x:t xml:space="preserve">盐海</x:t></x:r><x:r><x:t>社区</x:t></x:r><x:rPh sb="0" eb="2"><x:t>エンカイ</x:t></x:rPh></x:si><x:si><x:t>A &lt;&amp;&gt; &quot;q&quot; &apos;s&apos; &#20013;&#x6587; _x0041__x005F_x0042_</x:t></x:si><x:si/><x:si><x:t/></x:si></x:sst>`,
    'xl/styles.xml': `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="177" formatCode="#,##0.00&quot;元&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177" applyNumberFormat="1"></xf><xf numFmtId="14"><alignment horizontal="center"/></xf><xf numFmtId="22"/></cellXfs></styleSheet>`,
    'xl/worksheets/first.xml': `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:F6"/><x:cols><x:col min="1" max="2" width="10"/></x:cols><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="D1" t="s"><x:v>2</x:v></x:c></x:row><x:row r="3" spans="1:6"><x:c r="A3"><x:v>1.40302001003E+11</x:v></x:c><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:rPr><x:i/></x:rPr><x:t>文本</x:t></x:r></x:is></x:c><x:c r="E3" s="1"><x:v>42705</x:v></x:c><x:c r="F3" s="2"><x:v>1500.5</x:v></x:c></x:row><x:row r="4"><x:c r="A4" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="B4" t="str"><x:f>A1&amp;"x"</x:f><x:v>社区代码x</x:v></x:c><x:c r="C4" t="b"><x:v>1</x:v></x:c><x:c r="D4" t="d"><x:v>2016-12-31T00:00:00</x:v></x:c><x:c r="E4" s="3"><x:v>60</x:v></x:c><x:c r="F4" s="4"><x:v>42735.5</x:v></x:c></x:row><x:row r="5"><x:c r="A5"><x:f t="shared" ref="A5:A6" si="0">B5*2</x:f><x:v>4</x:v></x:c><x:c r="B5" s="3"/><x:c r="C5" t="s"><x:v>3</x:v></x:c><x:c r="D5" t="s"><x:v>4</x:v></x:c><x:c r="E5"><x:f>NOW()</x:f></x:c></x:row><x:row r="6"><x:c r="A6"><x:f t="shared" si="0"/><x:v>6</x:v></x:c></x:row><x:row r="7"/></x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>`,
    'xl/worksheets/second.xml': `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c r="C2" t='s'><v>0</v></c></row></sheetData></worksheet>`,
    'xl/chartsheets/sheet1.xml': '<chartsheet/>',
  });
}

describe('readXlsx on hand-written packages', () => {
  it('handles prefixes, absolute and relative targets, inline and rich strings, escapes and cell types', () => {
    const sheets = readXlsx(handWritten());
    expect(sheets.map((s) => s.name)).toEqual(['基本情况 & 概况', '活动']);
    const [a, b] = sheets;
    expect(a.rows).toEqual([
      ['社区代码', '盐海社区', null, 'A <&> "q" \'s\' 中文 A_x0042_'],
      [],
      ['140302001003', '内联', '富文本', null, '2016-12-01', '1500.5'],
      ['#DIV/0!', '社区代码x', 'TRUE', '2016-12-31', '1900-02-29', '2016-12-31 12:00:00'],
      ['4'],
      ['6'],
    ]);
    expect(a.formulas).toEqual([
      { row: 4, col: 1, formula: '=A1&"x"' },
      { row: 5, col: 0, formula: '=B5*2' },
      { row: 5, col: 4, formula: '=NOW()' },
      { row: 6, col: 0, formula: '=B5*2' },
    ]);
    expect(b.rows).toEqual([['1', '2'], [null, null, '社区代码']]);
  });

  it('rejects a reference to a missing shared string', () => {
    const buf = pkg({
      'xl/workbook.xml': `<workbook xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData></worksheet>',
    });
    expect(readError(() => readXlsx(buf)).code).toBe('NOT_XLSX');
  });

  it('works without _rels/.rels, sharedStrings or styles', () => {
    const buf = pkg({
      'xl/workbook.xml': `<workbook xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="2"><c r="B2"><v>0.30000000000000004</v></c></row></sheetData></worksheet>',
    });
    expect(readXlsx(buf)).toEqual([{ name: 'S', rows: [[], [null, '0.3']], formulas: [] }]);
  });
});

describe('readXlsx rejections', () => {
  it('rejects an old .xls file', () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]);
    const err = readError(() => readXlsx(xls));
    expect(err.code).toBe('NOT_XLSX');
    expect(err.message).toContain('这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入');
  });

  it('rejects a text file renamed .xlsx', () => {
    const err = readError(() => readXlsx(Buffer.from('身份证号,姓名\n1,张三\n')));
    expect(err.code).toBe('NOT_XLSX');
    expect(err.message).toContain('文件扩展名为 .xlsx，但内容不是有效的 Excel 工作簿');
  });

  it('rejects a zip without workbook.xml', () => {
    const err = readError(() => readXlsx(writeZip([{ name: 'a.csv', data: Buffer.from('1,2') }])));
    expect(err.code).toBe('NOT_XLSX');
    expect(err.message).toContain('workbook.xml');
  });

  it('rejects a truncated workbook', async () => {
    const buf = await volunteerWorkbook();
    expect(readError(() => readXlsx(buf.subarray(0, Math.floor(buf.length * 0.7)))).code).toBe('NOT_XLSX');
  });

  it('enforces the decompressed size limit', async () => {
    const buf = await volunteerWorkbook();
    const err = readError(() => readXlsx(buf, { maxBytes: 2000 }));
    expect(err.code).toBe('ZIP_TOO_LARGE');
    expect(err.message).toContain('Excel 工作簿解压后超过');
  });

  it('rejects an empty file', () => {
    expect(readError(() => readXlsx(Buffer.alloc(0))).code).toBe('EMPTY_FILE');
  });
});

describe('value helpers', () => {
  it('formats numbers without losing digits or showing float noise', () => {
    expect(formatNumber(140302001003)).toBe('140302001003');
    expect(formatNumber(1.40302001003e11)).toBe('140302001003');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-12.5)).toBe('-12.5');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(1.5e21)).toBe('1500000000000000000000');
    expect(formatNumber(123456789012345680)).toBe('123456789012345680'); // an 18-digit ID typed as a number
    expect(formatNumber(2.675)).toBe('2.675');
  });

  it('converts serial dates in both date systems, with the 1900 leap-year bug', () => {
    expect(excelSerialToText(1)).toBe('1900-01-01');
    expect(excelSerialToText(59)).toBe('1900-02-28');
    expect(excelSerialToText(60)).toBe('1900-02-29');
    expect(excelSerialToText(61)).toBe('1900-03-01');
    expect(excelSerialToText(42186)).toBe('2015-07-01');
    expect(excelSerialToText(42735.999999)).toBe('2017-01-01'); // rounds to the second
    expect(excelSerialToText(42735.75)).toBe('2016-12-31 18:00:00');
    expect(excelSerialToText(0.5)).toBe('12:00:00');
    expect(excelSerialToText(0, true)).toBe('1904-01-01');
    expect(excelSerialToText(41273, true)).toBe('2016-12-31');
    expect(excelSerialToText(-1)).toBe('-1');
  });

  it('tells date formats from others', () => {
    for (const f of ['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', '[$-804]yyyy年m月d日', 'h:mm:ss', 'm/d/yy h:mm', 'YYYY/MM/DD', '[DBNum1]yyyy"年"m"月"']) {
      expect(isDateFormatCode(f), f).toBe(true);
    }
    for (const f of ['General', '0.00', '#,##0"元"', '0.00"m²"', '@', '[Red]0.00', '0.00E+00', '_-* #,##0_-', '\\d0']) {
      expect(isDateFormatCode(f), f).toBe(false);
    }
  });

  it('decodes XML entities and _xHHHH_ escapes', () => {
    expect(decodeXmlText('a&amp;b&#x4e2d;&#25991;_x000D__x005F_x0041_')).toBe('a&b中文\r_x0041_');
  });
});
