// The fill-in workbook communities should use for their quarterly export,
// generated from the data contract (contract/tables.ts): an instructions sheet,
// then one sheet per table with the canonical Chinese headers, required
// headers in bold red, dropdowns for enums and yes/no fields, date and number
// validation, and text format on code and ID columns.

import ExcelJS from 'exceljs';
import { type FieldDef, TABLES, type TableDef } from './contract/tables.ts';

/** Rows (below the header) that carry validation and column formats. */
export const TEMPLATE_ROWS = 2000;
const FIXED_DATE = new Date(Date.UTC(2015, 6, 1));
const RED = 'FFC00000';

/** The sheet name for a table: its first Chinese name (e.g. 社区基本情况, 志愿者名册). */
export function templateSheetName(t: TableDef): string {
  return t.names.find((n) => /[^\x00-\x7f]/.test(n)) ?? t.label;
}

/** The header a template column carries: first synonym, plus the unit in brackets. */
export function templateHeader(f: FieldDef): string {
  return f.unit ? `${f.headers[0]}(${f.unit})` : f.headers[0];
}

const zh = (xs: string[]) => xs.filter((x) => /[^\x00-\x7f]/.test(x));

/** Dropdown entries of an enum field: the first Chinese spelling of each value. */
export function enumChoices(f: FieldDef): string[] {
  return Object.values(f.values ?? {}).map((xs) => zh(xs)[0] ?? xs[0]);
}

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function validationFor(f: FieldDef): ExcelJS.DataValidation | null {
  const base = { allowBlank: !f.required, showErrorMessage: true, showInputMessage: true };
  switch (f.kind) {
    case 'enum':
      return { ...base, type: 'list', formulae: [`"${enumChoices(f).join(',')}"`], errorStyle: 'warning', errorTitle: f.label, error: `请从下拉列表选择：${enumChoices(f).join('、')}`, promptTitle: f.label, prompt: '从下拉列表选择' };
    case 'bool':
      return { ...base, type: 'list', formulae: ['"是,否"'], errorStyle: 'warning', errorTitle: f.label, error: '请填写“是”或“否”' };
    case 'date':
      return { ...base, type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(1949, 9, 1))], errorStyle: 'stop', errorTitle: f.label, error: '请填写日期，例如 2016-12-31', promptTitle: f.label, prompt: '日期，格式 yyyy-mm-dd' };
    case 'count':
      return { ...base, type: 'whole', operator: 'greaterThanOrEqual', formulae: [f.positive ? 1 : 0], errorStyle: 'stop', errorTitle: f.label, error: f.positive ? '请填写大于 0 的整数' : '请填写不小于 0 的整数' };
    case 'number':
    case 'area':
      return { ...base, type: 'decimal', operator: f.positive || f.kind === 'area' ? 'greaterThan' : 'greaterThanOrEqual', formulae: [0], errorStyle: 'stop', errorTitle: f.label, error: f.kind === 'area' ? '请填写大于 0 的面积（平方米）' : '请填写不小于 0 的数值' };
    case 'score':
      return { ...base, type: 'list', formulae: ['"5,4,3,2,1,非常满意,满意,基本满意,不满意,非常不满意"'], errorStyle: 'warning', errorTitle: f.label, error: '请填写 1-5 分或满意程度' };
    default:
      return null;
  }
}

function noteFor(f: FieldDef): string | null {
  if (f.kind === 'drop') return '可选：导入时自动删除，不会保存';
  const parts: string[] = [];
  if (f.required) parts.push('必填');
  if (f.kind === 'secret') parts.push('导入时加密处理（不保存原文）');
  if (f.kind === 'code') parts.push('12位统计用区划代码，按文本填写');
  if (f.kind === 'enum') parts.push(`可填：${Object.values(f.values ?? {}).map((xs) => zh(xs).join('/')).join('；')}`);
  return parts.length ? parts.join('；') : null;
}

function instructions(ws: ExcelJS.Worksheet, tables: TableDef[]): void {
  ws.getColumn(1).width = 22;
  ws.getColumn(2).width = 110;
  const lines: [string, string][] = [
    ['填表说明', ''],
    ['报送要求', '每个社区（村）每个季度报送一份：本工作簿各表只填写本单位、本报告期（例如 2016Q4 或 2016年第四季度）的数据。文件名建议为“社区名称_2016Q4.xlsx”。'],
    ['名册类表格', '社会组织、志愿者、社会工作者、服务设施、居民参与为季度末的完整名册，每季度都要列出全部在册人员或组织，不是本季度新增部分。'],
    ['台账类表格', '活动台账、满意度调查填写本季度内发生的活动和问卷，一次活动或一份问卷一行。'],
    ['必填项', '表头为红色加粗的列必须填写；缺少必填列的表格将整表退回。'],
    ['日期', '日期列请填写日期，推荐 yyyy-mm-dd（如 2016-12-31）；也接受 2016/12/31、2016.12.31、2016年12月31日、20161231、2016年12月（视为当月1日）。'],
    ['是/否', '是否类列填写“是”或“否”（也接受 Y/N、√/×、有/无、1/0）；不填视为“否”。'],
    ['数字', '人数、户数填写整数，面积填写平方米数（可带“㎡”或“平方米”），时长填写小时数，均不得为负数。'],
    ['代码与身份证号', '社区代码（12位）、身份证号（18位）列已设为文本格式，请勿改成数字，以免丢失位数或变成科学计数法。'],
    ['个人信息', '身份证号、问卷编号导入时加密处理；姓名、手机号导入时自动删除，可不填。'],
    ['公式', '请不要在任何单元格中填写公式（如 =SUM(...)），含公式的文件将被退回；合计行可以不填。'],
    ['', ''],
    ['工作表', '内容与必填项'],
  ];
  for (const t of tables) {
    const req = t.fields.filter((f) => f.required).map((f) => f.headers[0]);
    lines.push([templateSheetName(t), `${t.label}：${t.shape === 'profile' ? '每个单位每期一行' : '每人/每个组织/每次活动一行'}。必填：${req.join('、') || '无'}。`]);
  }
  lines.forEach(([a, b], i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = a;
    row.getCell(2).value = b;
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  });
  ws.getRow(1).getCell(1).font = { bold: true, size: 16 };
}

/** Writes the fill-in template workbook to outFile. */
export async function writeTemplate(outFile: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '三社联动评估';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const tables = TABLES.filter((t) => t.name !== 'org_units');
  instructions(wb.addWorksheet('填表说明'), tables);
  for (const t of tables) {
    const ws = wb.addWorksheet(templateSheetName(t), { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = ws.getRow(1);
    t.fields.forEach((f, i) => {
      const col = i + 1;
      const cell = header.getCell(col);
      cell.value = templateHeader(f);
      cell.font = f.required ? { bold: true, color: { argb: RED } } : { bold: true, color: f.kind === 'drop' ? { argb: 'FF808080' } : undefined };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
      const note = noteFor(f);
      if (note) cell.note = note;
      const column = ws.getColumn(col);
      column.width = Math.max(12, templateHeader(f).length * 2 + 4, f.kind === 'secret' || f.kind === 'code' ? 22 : 0);
      if (f.kind === 'code' || f.kind === 'secret' || f.kind === 'period') column.numFmt = '@';
      if (f.kind === 'date') column.numFmt = 'yyyy-mm-dd';
      const v = validationFor(f);
      const range = `${colLetter(col)}2:${colLetter(col)}${TEMPLATE_ROWS + 1}`;
      if (v) (ws as unknown as { dataValidations: { add(a: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(range, v);
    });
    header.height = 22;
  }
  await wb.xlsx.writeFile(outFile);
}
