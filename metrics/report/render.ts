// Renders a report as CSV (UTF-8 with BOM, formula-looking text neutralised)
// or as an xlsx workbook (one sheet per level, Chinese headers, units,
// colours by status). Pure functions of the Report data.

import ExcelJS from 'exceljs';
import { INDICATOR_BY_ID } from '../catalogue/index.ts';
import type { Level } from '../catalogue/types.ts';
import type { Report, ValueRow } from './compute.ts';

export const STATUS_ZH: Record<string, string> = { met: '达标', on_track: '按进度', behind: '滞后', regressing: '倒退', no_data: '无数据' };
export const LEVEL_ZH: Record<Level, string> = { community: '社区', street: '街道', district: '区县' };
const STATUS_FILL: Record<string, string> = { met: 'FFC6EFCE', on_track: 'FFE2F0D9', behind: 'FFFFEB9C', regressing: 'FFFFC7CE', no_data: 'FFD9D9D9' };

const COLUMNS: { zh: string; get: (v: ValueRow) => string | number | null }[] = [
  { zh: '区划代码', get: (v) => v.org_unit },
  { zh: '名称', get: (v) => v.name },
  { zh: '层级', get: (v) => LEVEL_ZH[v.level] },
  { zh: '报告期', get: (v) => v.period },
  { zh: '指标', get: (v) => v.indicator_zh },
  { zh: '指标代码', get: (v) => v.indicator },
  { zh: '单位', get: (v) => v.unit },
  { zh: '值', get: (v) => v.value },
  { zh: '目标', get: (v) => targetText(v) },
  { zh: '当期目标(按进度折算)', get: (v) => v.target_effective_lo ?? v.target_effective_hi },
  { zh: '达成度', get: (v) => v.attainment },
  { zh: '状态', get: (v) => (v.status ? STATUS_ZH[v.status] : null) },
  { zh: '达标社区占比', get: (v) => v.coverage },
  { zh: '填报单位数', get: (v) => `${v.n_reporting}/${v.n_units}` },
  { zh: '维度', get: (v) => v.dimension },
  { zh: '权重', get: (v) => v.weight },
  { zh: '一票否决', get: (v) => (v.in_plan ? (v.veto ? '是' : '否') : null) },
  { zh: '计划默认值(非文件来源)', get: (v) => (v.plan_default ? '是' : v.in_plan ? '否' : null) },
  { zh: '来源', get: (v) => v.source },
];

export function targetText(v: ValueRow): string | null {
  switch (v.target_kind) {
    case 'min':
      return `≥ ${v.target_lo}`;
    case 'max':
      return `≤ ${v.target_hi}`;
    case 'range':
      return `${v.target_lo}–${v.target_hi}`;
    case 'bool':
      return '是';
    default:
      return null;
  }
}

/** Text Excel would run as a formula gets a leading apostrophe. */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvCell(v: string | number | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = neutralise(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(report: Report): string {
  const lines = [COLUMNS.map((c) => c.zh).join(',')];
  for (const v of report.values) lines.push(COLUMNS.map((c) => csvCell(c.get(v))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(reports: Report[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const r of reports) {
    const ws = wb.addWorksheet(`${LEVEL_ZH[r.level]}指标`);
    ws.addRow(COLUMNS.map((c) => c.zh)).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    const statusCol = COLUMNS.findIndex((c) => c.zh === '状态') + 1;
    for (const v of r.values) {
      const row = ws.addRow(COLUMNS.map((c) => {
        const x = c.get(v);
        return typeof x === 'string' ? neutralise(x) : x;
      }));
      const kind = INDICATOR_BY_ID.get(v.indicator)?.kind;
      const valueCell = row.getCell(8);
      if (kind === 'rate') valueCell.numFmt = '0.0%';
      row.getCell(11).numFmt = '0.0%';
      row.getCell(13).numFmt = '0.0%';
      const fill = v.status ? STATUS_FILL[v.status] : undefined;
      if (fill) row.getCell(statusCol).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    }
    ws.columns.forEach((col, k) => {
      col.width = k === 4 || k === 18 ? 28 : 12;
    });
    const ss = wb.addWorksheet(`${LEVEL_ZH[r.level]}评分与验收`);
    const dims = [...new Set(r.scores.flatMap((s) => Object.keys(s.dimensions)))];
    ss.addRow(['区划代码', '名称', '报告期', '综合得分', ...dims.map((d) => `维度:${d}`), '评级', '验收', '未达标否决项', '排名区间(5%–95%)']).font = { bold: true };
    for (const s of r.scores) {
      const a = r.acceptance.find((x) => x.org_unit === s.org_unit);
      const iv = r.sensitivity.intervals.find((x) => x.org_unit === s.org_unit);
      const row = ss.addRow([
        s.org_unit, neutralise(s.name ?? ''), s.period, s.composite, ...dims.map((d) => s.dimensions[d] ?? null), s.rating,
        a?.accepted ? '通过' : '不通过', a?.vetoes_failed.join('、') ?? '', iv ? `${iv.p5}–${iv.p95}` : '',
      ]);
      row.getCell(4).numFmt = '0.00';
      row.getCell(6 + dims.length).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: a?.accepted ? 'FFC6EFCE' : 'FFFFC7CE' } };
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
