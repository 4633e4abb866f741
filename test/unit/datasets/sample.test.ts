import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleModel, generateSampleDistrict, type Manifest } from '../../../datasets/sample/generate.ts';
import { SEED_COMMUNITIES } from '../../../datasets/sample/units.ts';
import { TABLES, type TableDef } from '../../../server/import/contract/tables.ts';
import { readZip } from '../../../server/import/read/zip.ts';

let dirA = '';
let dirB = '';
let manifest: Manifest;

beforeAll(async () => {
  dirA = await mkdtemp(path.join(os.tmpdir(), 'sample-a-'));
  dirB = await mkdtemp(path.join(os.tmpdir(), 'sample-b-'));
  await generateSampleDistrict(dirA);
  await generateSampleDistrict(dirB);
  manifest = JSON.parse(await readFile(path.join(dirA, 'manifest.json'), 'utf8'));
}, 300_000);

afterAll(async () => {
  for (const d of [dirA, dirB]) if (d) await rm(d, { recursive: true, force: true });
});

const norm = (h: string) =>
  h
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[(（][^()（）]*[)）]$/, '')
    .toLowerCase();

/** The table a file or sheet name stands for (longest name wins). */
function tableOf(name: string): TableDef | undefined {
  let best: TableDef | undefined;
  let len = 0;
  for (const t of TABLES) for (const n of t.names) if (name.includes(n) && n.length > len) [best, len] = [t, n.length];
  return best;
}

/** Every header maps to a field of the table, and every required field is there. */
function checkHeaders(t: TableDef, headers: string[], where: string): void {
  const cols = headers.filter((h) => h && h !== '序号').map(norm);
  const fieldOf = (h: string) => t.fields.find((f) => f.name === h || f.headers.some((x) => norm(x) === h));
  for (const h of cols) expect(fieldOf(h), `${where}: unknown header ${h}`).toBeDefined();
  for (const f of t.fields.filter((x) => x.required)) {
    expect(cols.some((h) => fieldOf(h) === f), `${where}: missing required ${f.name}`).toBe(true);
  }
}

describe('sample district generator', () => {
  it('is deterministic: identical manifests and byte-identical files', async () => {
    const other = await readFile(path.join(dirB, 'manifest.json'), 'utf8');
    expect(JSON.parse(other)).toEqual(manifest);
    for (const f of manifest.files) {
      const [a, b] = await Promise.all([readFile(path.join(dirA, f.path)), readFile(path.join(dirB, f.path))]);
      expect(a.equals(b), f.path).toBe(true);
    }
  });

  it('covers the district: streets, communities, seed names, urban and rural', () => {
    const m = buildSampleModel();
    expect(m.district.code).toBe('140302');
    expect(m.streets.length).toBeGreaterThanOrEqual(4);
    expect(m.communities.length).toBeGreaterThanOrEqual(30);
    const names = m.communities.map((c) => c.spec.unit.name);
    for (const n of SEED_COMMUNITIES) expect(names).toContain(n);
    for (const n of ['盐海社区', '苑北社区', '五星村', '洋西社区', '新民社区', '南映社区', '中心街社区', '北关社区', '解放路社区', '南关社区', '东关社区']) expect(names).toContain(n);
    expect(m.communities.some((c) => c.spec.unit.areaType === 'urban')).toBe(true);
    expect(m.communities.some((c) => c.spec.unit.areaType === 'rural')).toBe(true);
    for (const c of m.communities) {
      expect(c.spec.unit.code).toMatch(/^140302\d{6}$/);
      expect(c.spec.unit.code.startsWith(c.spec.street.code)).toBe(true);
      for (const t of c.truth) {
        expect(t.population).toBeGreaterThanOrEqual(1900);
        expect(t.population).toBeLessThanOrEqual(15500);
        const ratio = t.population / t.households;
        expect(ratio).toBeGreaterThan(2.5);
        expect(ratio).toBeLessThan(3.3);
      }
    }
    // Volunteer trajectories: some reach the target early, some late, some never.
    const reachedAt = m.communities.map((c) => c.truth.findIndex((t) => t.volunteerRate >= (c.spec.unit.areaType === 'urban' ? 0.15 : 0.1)));
    expect(reachedAt.some((k) => k >= 0 && k <= 4)).toBe(true);
    expect(reachedAt.some((k) => k >= 8)).toBe(true);
    expect(reachedAt.some((k) => k < 0)).toBe(true);
  });

  it('has exactly one (community, quarter) without an export', () => {
    const m = buildSampleModel();
    const missing = m.communities.flatMap((c) => c.truth.filter((t) => !t.exported).map((t) => `${c.spec.unit.code}/${t.quarter}`));
    expect(missing).toEqual([`${m.missing.code}/${m.missing.quarter}`]);
    const have = new Set(manifest.files.filter((f) => f.level === 'community').map((f) => `${f.unit}/${f.quarter}`));
    expect(have.size).toBe(m.communities.length * m.quarters.length - 1);
    expect(have.has(missing[0])).toBe(false);
  });

  it('writes all three forms, each community consistently in one', () => {
    const forms = new Map<string, Set<string>>();
    for (const f of manifest.files.filter((x) => x.level === 'community')) {
      if (!forms.has(f.unit)) forms.set(f.unit, new Set());
      forms.get(f.unit)!.add(f.form);
    }
    for (const s of forms.values()) expect(s.size).toBe(1);
    const all = new Set([...forms.values()].flatMap((s) => [...s]));
    expect([...all].sort()).toEqual(['folder', 'xlsx', 'zip']);
    expect(manifest.files.some((f) => f.path === '区划.csv')).toBe(true);
    expect(manifest.files.some((f) => f.level === 'street')).toBe(true);
    expect(manifest.files.some((f) => f.level === 'district')).toBe(true);
    const total = manifest.files.reduce((s, f) => s + f.bytes, 0);
    expect(total).toBeLessThan(40 * 1024 * 1024);
  });

  it('zips hold GBK-encoded CSVs under GBK entry names, valid per the contract', async () => {
    const zips = manifest.files.filter((f) => f.form === 'zip');
    expect(zips.length).toBeGreaterThan(0);
    for (const z of zips.filter((_, i) => i % 17 === 0)) {
      const buf = await readFile(path.join(dirA, z.path));
      // Central directory: no UTF-8 flag, names decode as GBK.
      const cd = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      const flags = buf.readUInt16LE(cd + 8);
      expect(flags & 0x0800).toBe(0);
      const nameLen = buf.readUInt16LE(cd + 28);
      const rawName = buf.subarray(cd + 46, cd + 46 + nameLen);
      expect(new TextDecoder('utf-8', { fatal: false }).decode(rawName)).not.toContain(z.unitName);
      expect(iconv.decode(rawName, 'gbk')).toContain(z.unitName);
      for (const e of readZip(buf)) {
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(e.data)).toThrow();
        const text = iconv.decode(e.data, 'gbk');
        const delim = text.split('\r\n')[0].includes(';') ? ';' : ',';
        const t = tableOf(e.name);
        expect(t, e.name).toBeDefined();
        checkHeaders(t!, text.split('\r\n')[0].split(delim), `${z.path}/${e.name}`);
      }
    }
  });

  it('folders hold UTF-8 text files valid per the contract, rosters matching the truth model', async () => {
    const m = buildSampleModel();
    const files = manifest.files.filter((f) => f.form === 'folder');
    expect(files.some((f) => f.path.endsWith('.txt'))).toBe(true);
    let boms = 0;
    for (const f of files) {
      const buf = await readFile(path.join(dirA, f.path));
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) boms++;
      const text = new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\ufeff/, '');
      const lines = text.split('\r\n').filter(Boolean);
      const delim = f.path.endsWith('.txt') ? '\t' : ',';
      const t = tableOf(path.basename(f.path));
      expect(t, f.path).toBeDefined();
      checkHeaders(t!, lines[0].split(delim), f.path);
      if (t!.name === 'volunteers') {
        const c = m.communities.find((x) => x.spec.unit.code === f.unit)!;
        const truth = c.truth.find((x) => x.quarter === f.quarter)!;
        const rows = lines.slice(1).filter((l) => !l.startsWith('填表说明'));
        expect(rows.length, f.path).toBe(truth.volunteers);
      }
    }
    expect(boms).toBeGreaterThan(0);
    expect(boms).toBeLessThan(files.length);
  });

  it('workbooks carry a title row, 序号, notes, the report period and contract headers', async () => {
    const m = buildSampleModel();
    const books = manifest.files.filter((f) => f.form === 'xlsx' && f.level === 'community');
    for (const b of books.filter((_, i) => i % 40 === 0)) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(dirA, b.path));
      const names = wb.worksheets.map((w) => w.name);
      expect(names.some((n) => tableOf(n)?.name === 'profile')).toBe(true);
      expect(names.some((n) => tableOf(n)?.name === 'volunteers')).toBe(true);
      for (const ws of wb.worksheets) {
        const t = tableOf(ws.name)!;
        expect(t, ws.name).toBeDefined();
        expect(String(ws.getCell(1, 1).value)).toContain(b.unitName);
        expect(ws.getCell(1, 1).isMerged).toBe(true);
        const hr = ws.getCell(2, 1).value === '序号' ? 2 : 3;
        const headers = (ws.getRow(hr).values as unknown[]).slice(1).map(String);
        expect(headers[0]).toBe('序号');
        checkHeaders(t, headers, `${b.path}#${ws.name}`);
        const last = ws.getRow(ws.rowCount).getCell(1).value;
        expect(String(last)).toMatch(/^填表说明/);
        if (t.name === 'profile') {
          const periodCol = headers.findIndex((h) => ['报告期', '统计期', '填报期', '期别'].includes(h));
          expect(periodCol).toBeGreaterThanOrEqual(0);
        }
        if (t.name === 'volunteers') {
          const c = m.communities.find((x) => x.spec.unit.code === b.unit)!;
          const truth = c.truth.find((x) => x.quarter === b.quarter)!;
          let n = 0;
          ws.eachRow((row, r) => {
            const first = row.getCell(1).value;
            if (r > hr && typeof first === 'number') n++;
          });
          expect(n).toBe(truth.volunteers);
        }
      }
    }
  });

  it('names every export with its report period', () => {
    for (const f of manifest.files.filter((x) => x.quarter)) {
      const q = f.quarter!;
      const cn = `${q.slice(0, 4)}年第${'一二三四'[Number(q[5]) - 1]}季度`;
      expect(f.path.includes(q) || f.path.includes(cn), f.path).toBe(true);
    }
  });
});
