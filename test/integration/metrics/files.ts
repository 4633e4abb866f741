// Test helper: canonical rows (the fixture's ExportRows) written as the files
// a community office sends, then loaded with the real importer. Headers are
// the data contract's first Chinese header (with its unit in brackets, e.g.
// `常住人口(人)`), enum values its first Chinese spelling (`服务类`,
// `社会工作师`, `日间照料中心`), booleans 是/否. A workbook gets real Excel
// date cells and the community code as a number cell (as Excel stores it).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../../server/db/store.ts';
import { type FieldDef, type TableName, tableDef } from '../../../server/import/contract/tables.ts';
import type { ImportSummary } from '../../../server/import/importer.ts';
import { type Cell, importOk, type Rows, writeText, writeXlsx } from '../../helpers/fixtures.ts';
import type { ExportRows, UnitRow } from './fixture.ts';

type Value = string | number | boolean | null | undefined;

/** The columns a community's template carries per table (a roster with no rows still has its header). */
const COLUMNS: Record<Exclude<TableName, 'org_units'>, string[]> = {
  profile: ['community_code', 'community_name', 'area_type', 'report_period', 'population', 'households'],
  social_orgs: ['org_name', 'uscc', 'org_type', 'founded_on', 'dissolved_on'],
  volunteers: ['person_key', 'registered_on'],
  social_workers: ['person_key', 'cert_level', 'employer_kind', 'started_on', 'left_on'],
  facilities: ['facility_name', 'kind', 'area_m2', 'opened_on', 'closed_on'],
  participation: ['person_key', 'org_name', 'joined_on'],
  activities: ['kind', 'held_on', 'title', 'participants'],
  surveys: ['respondent_key', 'surveyed_on', 'score'],
};

/** Sheet / file labels per table (each contains one of the contract's table names). */
export const LABEL: Record<Exclude<TableName, 'org_units'>, string> = {
  profile: '基本情况',
  social_orgs: '社会组织名录',
  volunteers: '志愿者名册',
  social_workers: '社工',
  facilities: '服务设施',
  participation: '居民参与',
  activities: '活动台账',
  surveys: '满意度调查',
};

const REGISTRY_LEVEL = { district: '区', street: '街道', community: '社区' } as const;

function header(f: FieldDef): string {
  return f.unit ? `${f.headers[0]}(${f.unit})` : f.headers[0];
}

function cell(f: FieldDef, v: Value, xlsx: boolean): Cell {
  if (v == null) return null;
  if (f.kind === 'enum') {
    const spelled = f.values?.[String(v)]?.[0];
    if (!spelled) throw new Error(`no Chinese spelling of ${f.name} = ${v}`);
    return spelled;
  }
  if (f.kind === 'bool') return v ? '是' : '否';
  if (xlsx && f.kind === 'date') return new Date(`${v}T00:00:00Z`);
  if (xlsx && f.kind === 'code') return Number(v);
  return v as Cell;
}

/** Header + rows of one table in the contract's Chinese, canonical values translated. */
export function tableRows(table: Exclude<TableName, 'org_units'>, rows: Record<string, Value>[], xlsx = false): Rows {
  const def = tableDef(table);
  const names = [...new Set([...COLUMNS[table], ...rows.flatMap((r) => Object.keys(r))])];
  const fields = names.map((n) => {
    const f = def.fields.find((x) => x.name === n);
    if (!f) throw new Error(`${table} has no field ${n}`);
    return f;
  });
  return [fields.map(header), ...rows.map((r) => fields.map((f) => cell(f, r[f.name], xlsx)))];
}

/** The registry 区划.csv: code, name, level, parent code, urban/rural. */
export function registryRows(units: UnitRow[]): Rows {
  const def = tableDef('org_units');
  const f = (n: string) => def.fields.find((x) => x.name === n)!;
  return [
    ['区划代码', '名称', '层级', '上级代码', '城乡类型'],
    ...units.map((u) => [u.code, u.name, REGISTRY_LEVEL[u.level], u.parent_code ?? null, cell(f('area_type'), u.area_type, false)]),
  ];
}

export interface FileExport {
  /** File (workbook) or folder stem, e.g. `甲社区_2016Q3`. */
  stem: string;
  form: 'csv-folder' | 'xlsx';
  tables: ExportRows[];
}

/**
 * Write the registry and every export into a fresh temp dir, import them all
 * in one batch, remove the files (lineage keeps their names) and return the
 * import summary. Each export is a folder of CSVs `<stem>/<stem>_<label>.csv`
 * or a workbook `<stem>.xlsx` with one sheet per table.
 */
export async function importFiles(store: Store, units: UnitRow[], exports: FileExport[]): Promise<ImportSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'metrics-files-'));
  try {
    const paths = [writeText(join(dir, '区划.csv'), registryRows(units))];
    for (const e of exports) {
      if (e.form === 'xlsx') {
        const sheets = e.tables.map((t) => ({ name: LABEL[t.table], rows: tableRows(t.table, t.rows, true) }));
        paths.push(await writeXlsx(join(dir, `${e.stem}.xlsx`), sheets));
      } else {
        for (const t of e.tables) writeText(join(dir, e.stem, `${e.stem}_${LABEL[t.table]}.csv`), tableRows(t.table, t.rows));
        paths.push(join(dir, e.stem));
      }
    }
    return await importOk(store, paths);
  } finally {
    if (!process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  }
}

/** Group per-table exports into one file export per (unit, period), the profile row given its code, name and period. */
export function groupExports(exports: ExportRows[], nameOf: (unit: string) => string, formOf: (unit: string, period: string) => FileExport['form']): FileExport[] {
  const out = new Map<string, FileExport>();
  for (const e of exports) {
    const stem = `${nameOf(e.unit)}_${e.period}`;
    let g = out.get(stem);
    if (!g) {
      g = { stem, form: formOf(e.unit, e.period), tables: [] };
      out.set(stem, g);
    }
    const rows = e.table === 'profile' ? e.rows.map((r) => ({ community_code: e.unit, community_name: nameOf(e.unit), report_period: e.period, ...r })) : e.rows;
    g.tables.push({ ...e, rows });
  }
  return [...out.values()];
}
