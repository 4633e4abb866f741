// `check --db FILE --plan ID --period P [--level L]`: the acceptance (验收)
// check as a table; exit 1 when any unit fails, 0 when all pass, 2 on bad use.

import { parseArgs } from 'node:util';
import type { Level } from '../../metrics/catalogue/types.ts';
import { loadPlan, PlanError } from '../../metrics/plans/load.ts';
import { computeReport } from '../../metrics/report/compute.ts';
import { resolveDbPath, Store } from '../db/store.ts';

const USAGE = 'usage: check --db FILE --plan ID|FILE --period 2016Q4 [--level community|street|district]\n';

export async function run(args: string[]): Promise<number> {
  let opts: Record<string, string | undefined>;
  try {
    opts = parseArgs({ args, options: { db: { type: 'string' }, plan: { type: 'string' }, period: { type: 'string' }, level: { type: 'string' } } })
      .values as Record<string, string | undefined>;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!opts.plan || !opts.period || !/^\d{4}Q[1-4]$/.test(opts.period) || (opts.level && !['community', 'street', 'district'].includes(opts.level))) {
    process.stderr.write(`参数错误 (bad arguments)\n${USAGE}`);
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
    const r = await computeReport(store, plan, { period: opts.period, level: (opts.level ?? 'community') as Level });
    const rating = new Map(r.scores.map((s) => [s.org_unit, s.rating]));
    const lines = ['区划代码\t名称\t综合得分\t评级\t验收\t未达标否决项'];
    for (const a of r.acceptance) {
      lines.push([a.org_unit, a.name ?? '', a.composite.toFixed(2), rating.get(a.org_unit) ?? '', a.accepted ? '通过' : '不通过', a.vetoes_failed.join('、') || '-'].join('\t'));
    }
    const failed = r.acceptance.filter((a) => !a.accepted).length;
    lines.push(`${plan.id} ${opts.period}: ${r.acceptance.length - failed}/${r.acceptance.length} 通过 (passed)${failed ? `，${failed} 个不通过 (failed)` : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return failed > 0 || r.acceptance.length === 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
