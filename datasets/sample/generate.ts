// Writes the sample district to disk, in the file forms of the data contract:
// every community sends one export per quarter in its own consistent form
// (xlsx workbook, zip of GBK CSVs, or a UTF-8 folder), plus the registry
// 区划.csv and the street and district activity exports.
//
//   outDir/区划.csv
//   outDir/manifest.json
//   outDir/2016Q4/盐海社区_2016Q4.xlsx                       (xlsx form)
//   outDir/2016Q4/海滨社区_2016Q4.zip                        (zip of GBK CSVs, GBK entry names)
//   outDir/2016Q4/渔港社区_2016Q4/渔港社区_2016Q4_志愿者.csv  (UTF-8 folder; some .txt tab-separated)
//   outDir/2016Q4/大洋街道_2016Q4.xlsx                       (street: activities + service center)
//   outDir/2016Q4/城区_2016Q4_活动台账.csv                    (district: leadership meetings)

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { TableName } from '../../server/import/contract/tables.ts';
import { writeZip } from '../../server/import/read/zip.ts';
import { QUARTERS, periodTitle } from './dates.ts';
import { type CellOptions, formatTable } from './format.ts';
import { type SampleCommunity, type SampleModel, type UnitLog, buildSampleModel } from './model.ts';
import { type Tables, communityTables, unitLogTables } from './rows.ts';
import { tableToText } from './text.ts';
import type { ExportStyle } from './units.ts';
import { type SheetSpec, writeWorkbook } from './xlsx.ts';

export { buildSampleModel } from './model.ts';
export type * from './model.ts';

/** Table order in every export, with the names communities give sheets and files (all from tables.ts names). */
const TABLE_NAMES: [TableName, string[]][] = [
  ['profile', ['社区基本情况', '基本情况', '基本信息', '概况']],
  ['social_orgs', ['社会组织名录', '社区社会组织', '社会组织', '民间组织']],
  ['volunteers', ['志愿者名册', '注册志愿者', '志愿者']],
  ['social_workers', ['社工人才', '社会工作者', '专业社工', '社工']],
  ['facilities', ['服务设施', '设施', '用房', '阵地']],
  ['participation', ['居民参与', '参与名册']],
  ['activities', ['活动台账', '工作台账', '活动']],
  ['surveys', ['满意度调查', '满意度', '测评']],
];

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
  unit: string;
  unitName: string;
  level: 'registry' | 'community' | 'street' | 'district';
  quarter: string | null;
  form: 'xlsx' | 'zip' | 'folder' | 'csv';
}

export interface Manifest {
  generator: string;
  version: string;
  seed: number;
  district: string;
  quarters: string[];
  missing: { code: string; name: string; quarter: string };
  files: ManifestFile[];
}

const tableName = (t: TableName, variant: number) => {
  const names = TABLE_NAMES.find(([n]) => n === t)![1];
  return names[variant % names.length];
};
const filePeriod = (q: string, s: ExportStyle) => (s.variant % 5 === 1 ? periodTitle(q) : q);

function csvStyle(s: ExportStyle): CellOptions {
  return { style: s, typed: false, dateStyle: s.dateStyle };
}

async function communityFiles(c: SampleCommunity, k: number): Promise<{ rel: string; data: Buffer }[]> {
  const s = c.spec.style;
  const q = QUARTERS[k];
  const name = c.spec.unit.name;
  const fp = filePeriod(q, s);
  const tables: Tables = communityTables(c, k);
  // Rows of every table may carry the unit and period; communities with rowUnitColumns fill them in.
  for (const [t, rows] of Object.entries(tables)) {
    if (t !== 'profile') tables[t as TableName] = rows!.map((r) => ({ community_code: c.spec.unit.code, report_period: q, ...r }));
  }
  const present = TABLE_NAMES.filter(([t]) => tables[t]);
  if (s.form === 'xlsx') {
    const sheets: SheetSpec[] = present.map(([t]) => {
      const sheetName = tableName(t, s.variant % 2 === 0 ? 0 : s.variant);
      return {
        sheetName,
        title: `${name}${periodTitle(q)}${sheetName}`,
        data: formatTable(t, tables[t]!, { style: s, typed: true, dateStyle: s.dateStyle, withUnits: s.unitsInHeaders }),
        totals: s.totalsRow && t !== 'profile',
        blankRowAfterTitle: s.blankRowAfterTitle,
      };
    });
    return [{ rel: `${q}/${name}_${fp}.xlsx`, data: await writeWorkbook(sheets) }];
  }
  const texts = present.map(([t]) => {
    const text = tableToText(formatTable(t, tables[t]!, { ...csvStyle(s), withUnits: false }), {
      delimiter: s.delimiter,
      rowNumbers: s.variant % 2 === 0,
      notes: s.variant % 4 === 1,
    });
    return { file: `${name}_${fp}_${tableName(t, s.variant)}${s.ext}`, text };
  });
  if (s.form === 'zip') {
    const entries = texts.map((x) => ({ name: x.file, data: iconv.encode(x.text, 'gbk') }));
    return [{ rel: `${q}/${name}_${fp}.zip`, data: writeZip(entries, { gbkNames: true }) }];
  }
  return texts.map((x) => ({
    rel: `${q}/${name}_${fp}/${x.file}`,
    data: Buffer.concat([s.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(x.text, 'utf8')]),
  }));
}

const UNIT_STYLE: ExportStyle = {
  form: 'xlsx', variant: 0, dateStyle: 'excel', periodStyle: 0, boolStyle: 0, scoreWords: false, rowUnitColumns: true,
  codeNumeric: false, totalsRow: false, blankRowAfterTitle: false, unitsInHeaders: true, delimiter: ',', bom: true, ext: '.csv',
};

async function unitLogFiles(log: UnitLog, k: number): Promise<{ rel: string; data: Buffer }[]> {
  const q = QUARTERS[k];
  const tables = unitLogTables(log, k);
  if (log.unit.level === 'district') {
    // The district office sends its meeting log every quarter, with no rows in
    // a quarter without a meeting (an empty export, not a missing one).
    const style = { ...UNIT_STYLE, variant: 1, dateStyle: 'iso' as const };
    const text = tableToText(formatTable('activities', tables.activities ?? [], { ...csvStyle(style), withUnits: false }), { delimiter: ',', rowNumbers: true, notes: false });
    return [{ rel: `${q}/${log.unit.name}_${q}_活动台账.csv`, data: Buffer.from(`\ufeff${text}`, 'utf8') }];
  }
  const present = TABLE_NAMES.filter(([t]) => tables[t]);
  if (!present.length) return [];
  const sheets: SheetSpec[] = present.map(([t]) => ({
    sheetName: tableName(t, 0),
    title: `${log.unit.name}${periodTitle(q)}${tableName(t, 0)}`,
    data: formatTable(t, tables[t]!, { style: UNIT_STYLE, typed: true, dateStyle: 'excel', withUnits: true }),
    totals: false,
    blankRowAfterTitle: false,
  }));
  return [{ rel: `${q}/${log.unit.name}_${q}.xlsx`, data: await writeWorkbook(sheets) }];
}

export function registryCsv(m: SampleModel): string {
  const level = (u: SampleModel['units'][number]) =>
    u.level === 'district' ? '区' : u.level === 'street' ? (u.name.endsWith('镇') ? '乡镇' : '街道') : u.name.endsWith('村') ? '村' : '社区';
  const area = (u: SampleModel['units'][number]) => (u.areaType === 'urban' ? '城市' : u.areaType === 'rural' ? '农村' : '');
  const lines = ['区划代码,名称,层级,上级代码,城乡类型', ...m.units.map((u) => [u.code, u.name, level(u), u.parentCode ?? '', area(u)].join(','))];
  return lines.join('\r\n') + '\r\n';
}

/** Generates the sample district into outDir (created if needed). Deterministic: same bytes every run. */
export async function generateSampleDistrict(outDir: string): Promise<{ files: string[] }> {
  const m = buildSampleModel();
  const out: ManifestFile[] = [];
  const write = async (rel: string, data: Buffer, meta: Omit<ManifestFile, 'path' | 'bytes' | 'sha256'>) => {
    const abs = path.join(outDir, ...rel.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, data);
    out.push({ path: rel, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), ...meta });
  };
  await write('区划.csv', Buffer.from(registryCsv(m), 'utf8'), { unit: m.district.code, unitName: m.district.name, level: 'registry', quarter: null, form: 'csv' });
  for (let k = 0; k < QUARTERS.length; k++) {
    const q = QUARTERS[k];
    for (const c of m.communities) {
      if (!c.truth[k].exported) continue;
      for (const f of await communityFiles(c, k)) {
        await write(f.rel, f.data, { unit: c.spec.unit.code, unitName: c.spec.unit.name, level: 'community', quarter: q, form: c.spec.style.form });
      }
    }
    for (const log of [...m.streetLogs, m.districtLog]) {
      for (const f of await unitLogFiles(log, k)) {
        const level = log.unit.level === 'district' ? 'district' : 'street';
        await write(f.rel, f.data, { unit: log.unit.code, unitName: log.unit.name, level, quarter: q, form: f.rel.endsWith('.csv') ? 'csv' : 'xlsx' });
      }
    }
  }
  const manifest: Manifest = {
    generator: 'datasets/sample/generate.ts',
    version: m.version,
    seed: m.seed,
    district: m.district.code,
    quarters: [...QUARTERS],
    missing: m.missing,
    files: out,
  };
  await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { files: out.map((f) => path.join(outDir, ...f.path.split('/'))) };
}

