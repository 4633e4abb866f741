// Shared by the per-unit table routes: the scope check of the requested
// filters, the default period, the report from the cache, and row filters.

import type { Level } from '../../../metrics/catalogue/types.ts';
import type { Report } from '../../../metrics/report/compute.ts';
import { inScope, levelAllowed, type Principal } from '../../auth/roles.ts';
import type { AppContext } from '../context.ts';
import { ApiError, forbidden } from '../errors.ts';

export interface TableQuery {
  plan: string;
  period?: string;
  level: Level;
  street?: string;
  unit?: string;
  area_type?: 'urban' | 'rural';
  format: 'json' | 'csv' | 'xlsx';
}

/** 403 when a filter names a unit or level outside the principal's scope. */
export function checkScope(p: Principal, q: { level?: Level; street?: string; unit?: string }): void {
  if (q.level && !levelAllowed(p, q.level)) {
    throw forbidden(`本账号只能查看 ${p.scope} 范围内的单位，不能查看${q.level === 'district' ? '全区' : '街道'}汇总`, `level ${q.level} is outside scope ${p.scope}`);
  }
  for (const code of [q.street, q.unit]) {
    if (code && !inScope(p, code)) throw forbidden(`单位 ${code} 不在本账号的范围 ${p.scope} 内`, `unit ${code} is outside scope ${p.scope}`);
  }
}

export async function resolvePeriod(app: AppContext, period: string | undefined): Promise<string> {
  if (period) return period;
  const all = await app.caches.periods();
  if (all.length === 0) throw new ApiError(404, 'NO_DATA', '尚无导入数据 (no data imported yet)');
  return all[all.length - 1];
}

export async function reportFor(app: AppContext, p: Principal, q: TableQuery): Promise<Report> {
  checkScope(p, q);
  const period = await resolvePeriod(app, q.period);
  return app.caches.report(q.plan, period, q.level);
}

/** A predicate over org-unit codes for the scope and the street/unit/area filters. */
export async function unitFilter(app: AppContext, p: Principal, q: Partial<TableQuery>): Promise<(code: string) => boolean> {
  const area = q.area_type ? new Map((await app.caches.units()).map((u) => [u.code, u.area_type])) : null;
  return (code) =>
    inScope(p, code) &&
    (!q.street || code.startsWith(q.street)) &&
    (!q.unit || code.startsWith(q.unit)) &&
    (!area || area.get(code) === q.area_type);
}

export const stem = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('-');
