// Throughput of the .xlsx reader: writes a realistic roster sheet (8 columns:
// 12-digit code as a number, text, shared strings, a date, decimals, counts,
// booleans) with exceljs to a temp file, then times readXlsx on it.
// Called by `npm run bench`; runnable alone with `npx tsx test/bench/read-bench.ts`.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { readXlsx } from '../../server/import/read/xlsx.ts';

export async function benchXlsx(rows = 50000): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'read-bench-'));
  const file = join(dir, 'bench.xlsx');
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('志愿者名册');
    ws.columns = [
      { key: 'code', width: 16 },
      { key: 'id', width: 20 },
      { key: 'name', width: 10 },
      { key: 'registered', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
      { key: 'hours', width: 10 },
      { key: 'count', width: 8 },
      { key: 'party', width: 8 },
      { key: 'note', width: 30 },
    ];
    ws.addRow(['社区代码', '身份证号', '姓名', '注册日期', '服务时长', '序号', '是否党员', '备注']).commit();
    const names = ['张三', '李四', '王五', '赵六', '孙七', '周八', '吴九', '郑十'];
    for (let i = 0; i < rows; i++) {
      ws.addRow([
        140302001000 + (i % 50),
        `1101011990${String(i).padStart(8, '0')}`,
        names[i % names.length],
        new Date(Date.UTC(2010, 0, 1) + (i % 3000) * 86_400_000),
        Math.round(i * 0.37 * 100) / 100,
        i + 1,
        i % 3 === 0,
        `第 ${i % 200} 号楼 志愿服务记录`,
      ]).commit();
    }
    ws.commit();
    await wb.commit();
    const buf = await readFile(file);
    readXlsx(buf); // warm-up
    const t0 = performance.now();
    const sheets = readXlsx(buf);
    const seconds = (performance.now() - t0) / 1000;
    const read = sheets[0].rows.length - 1;
    if (read !== rows) throw new Error(`benchXlsx: expected ${rows} data rows, read ${read}`);
    return { rows: read, seconds, rowsPerSecond: Math.round(read / seconds) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchXlsx();
  console.log(`readXlsx: ${r.rows} rows x 8 columns in ${r.seconds.toFixed(3)} s = ${r.rowsPerSecond} rows/s`);
}
