// `report --db FILE --plan ID|FILE --period 2016Q4 [--level community|street|district]
//  --format json|csv|xlsx [--out FILE]`: the metrics report of one plan and period.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Level } from '../../metrics/catalogue/types.ts';
import { loadPlan, PlanError } from '../../metrics/plans/load.ts';
import { computeReport } from '../../metrics/report/compute.ts';
import { toCsv, toXlsx } from '../../metrics/report/render.ts';
import { resolveDbPath, Store } from '../db/store.ts';

const LEVELS = ['community', 'street', 'district'];
const USAGE = 'usage: report --db FILE --plan ID|FILE --period 2016Q4 [--level community|street|district] --format json|csv|xlsx [--out FILE]\n';

export async function run(args: string[]): Promise<number> {
  let opts: Record<string, string | undefined>;
  try {
    opts = parseArgs({
      args,
      options: { db: { type: 'string' }, plan: { type: 'string' }, period: { type: 'string' }, level: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    }).values as Record<string, string | undefined>;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const format = opts.format ?? 'json';
  if (!opts.plan || !opts.period || !/^\d{4}Q[1-4]$/.test(opts.period) || !['json', 'csv', 'xlsx'].includes(format) || (opts.level && !LEVELS.includes(opts.level))) {
    process.stderr.write(`参数错误 (bad arguments)\n${USAGE}`);
    return 2;
  }
  if (format === 'xlsx' && !opts.out) {
    process.stderr.write(`xlsx 需要 --out FILE (xlsx needs --out)\n`);
    return 2;
  }
  let plan: ReturnType<typeof loadPlan>;
  try {
    plan = loadPlan(opts.plan);
  } catch (err) {
    if (err instanceof PlanError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const store = await Store.open(resolveDbPath(opts.db), { waitMs: 5000 });
  try {
    const levels = (opts.level ? [opts.level] : format === 'xlsx' ? LEVELS : ['community']) as Level[];
    const reports = [];
    for (const level of levels) reports.push(await computeReport(store, plan, { period: opts.period, level }));
    let out: string | Buffer;
    if (format === 'json') out = `${JSON.stringify(reports[0], null, 2)}\n`;
    else if (format === 'csv') out = toCsv(reports[0]);
    else out = await toXlsx(reports);
    if (opts.out) writeFileSync(opts.out, out);
    else process.stdout.write(out);
    return 0;
  } finally {
    store.close();
  }
}
