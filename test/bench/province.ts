// Province-scale fixtures for the import benchmark, written by DuckDB itself
// (COPY ... TO) so generating 10 million rows takes seconds, not minutes:
// a registry of 10,000 communities and one volunteer roster CSV covering all.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface ProvinceFiles {
  dir: string;
  registry: string;
  roster: string;
  rows: number;
  communities: number;
  bytes: number;
}

/** 10 streets per district, 20 communities per street; codes 12 digits. */
export async function writeProvinceRoster(dir: string, communities = 10_000, rows = 10_000_000): Promise<ProvinceFiles> {
  mkdirSync(dir, { recursive: true });
  const registry = join(dir, '区划.csv');
  const roster = join(dir, `全省_2016Q4_志愿者.csv`);
  if (!existsSync(roster) || !existsSync(registry)) {
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    // Community i: district 140000 + i/200, street (i/20)%10 + 1, community i%20 + 1.
    await c.run(`CREATE TABLE u AS SELECT i,
        printf('%06d%03d%03d', 140000 + i // 200, (i // 20) % 10 + 1, i % 20 + 1) AS code FROM range(${communities}) t(i)`);
    await c.run(`COPY (
        SELECT code AS 区划代码, '社区' || i AS 名称, '社区' AS 层级, code[1:9] AS 上级代码, CASE WHEN i % 4 = 0 THEN '农村' ELSE '城市' END AS 城乡类型 FROM u
        UNION ALL SELECT DISTINCT code[1:9], '街道' || code[1:9], '街道', code[1:6], NULL FROM u
        UNION ALL SELECT DISTINCT code[1:6], '区' || code[1:6], '区/县', NULL, NULL FROM u
      ) TO '${registry}' (HEADER, DELIMITER ',')`);
    await c.run(`COPY (
        SELECT u.code AS 社区代码, '2016Q4' AS 报告期,
          printf('%06d%012d', 140302, r) AS 身份证号,
          '志愿者' || r AS 姓名, printf('1%010d', r) AS 手机,
          strftime(DATE '2010-01-01' + CAST(r % 2500 AS INTEGER), '%Y-%m-%d') AS 注册日期,
          CASE WHEN r % 5 = 0 THEN '是' ELSE '否' END AS 是否党员,
          CAST(r % 400 AS VARCHAR) AS 服务时长
        FROM range(${rows}) t(r) JOIN u ON u.i = r % ${communities}
      ) TO '${roster}' (HEADER, DELIMITER ',')`);
    c.closeSync();
    inst.closeSync();
  }
  return { dir, registry, roster, rows, communities, bytes: statSync(roster).size };
}
