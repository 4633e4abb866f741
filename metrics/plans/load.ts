// Load a plan by preset id or file path, validate it with the zod schema and
// against the catalogue, and report every problem with the file, the path
// inside it and what is wrong (Chinese first, English field alongside).

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { INDICATOR_BY_ID } from '../catalogue/index.ts';
import { type Plan, PlanFile, type SimpleTargetT, type TargetT } from './schema.ts';

export const PRESETS = ['harmony-pilot-2013', 'sanshe-lab-2015', 'xiangyang-2011', 'qinhuai-deepening', 'national-community-service'] as const;
export const PRESET_DIR = dirname(fileURLToPath(import.meta.url));

export interface PlanProblem {
  code: 'PLAN_NOT_FOUND' | 'PLAN_SYNTAX' | 'PLAN_SCHEMA' | 'PLAN_SEMANTIC';
  file: string;
  /** Path inside the file, e.g. `indicators[2].target.min`. */
  path: string;
  message: string;
}

export class PlanError extends Error {
  constructor(readonly problems: PlanProblem[]) {
    super(problems.map(formatPlanProblem).join('\n'));
  }
}

export function formatPlanProblem(p: PlanProblem): string {
  return `${p.file}: ${p.path || '(根)'}: ${p.message}`;
}

function pathOf(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

/** Resolve `ID|FILE` to a path: a preset id names metrics/plans/<id>.yaml. */
export function planPath(idOrFile: string): string {
  if ((PRESETS as readonly string[]).includes(idOrFile)) return join(PRESET_DIR, `${idOrFile}.yaml`);
  return idOrFile;
}

export function loadPlan(idOrFile: string): Plan {
  const path = planPath(idOrFile);
  const file = basename(path);
  if (!existsSync(path)) {
    throw new PlanError([{ code: 'PLAN_NOT_FOUND', file, path: '', message: `找不到计划文件或预设 ${idOrFile} (plan not found; presets: ${PRESETS.join(', ')})` }]);
  }
  return parsePlan(readFileSync(path, 'utf8'), file, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

export function parsePlan(text: string, file: string, format: 'json' | 'yaml' = 'yaml'): Plan {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new PlanError([{ code: 'PLAN_SYNTAX', file, path: '', message: `文件不是有效的 ${format.toUpperCase()} (syntax): ${(err as Error).message.split('\n')[0]}` }]);
  }
  const r = PlanFile.safeParse(raw);
  if (!r.success) {
    throw new PlanError(r.error.issues.map((i) => ({ code: 'PLAN_SCHEMA' as const, file, path: pathOf(i.path), message: i.message })));
  }
  const plan: Plan = { ...r.data, file };
  const problems = checkPlan(plan).map((p) => ({ code: 'PLAN_SEMANTIC' as const, file, ...p }));
  if (problems.length) throw new PlanError(problems);
  return plan;
}

type Issue = { path: string; message: string };

function checkSimple(t: SimpleTargetT, path: string, out: Issue[]): void {
  const keys = Object.keys(t);
  if (keys.length !== 1) out.push({ path, message: `目标须恰好给出 min、max、range、bool 之一 (exactly one of min, max, range, bool; got ${keys.join(', ') || 'none'})` });
  if (t.range && t.range[0] > t.range[1]) out.push({ path: `${path}.range`, message: `区间下限大于上限 (range lower bound above upper bound)` });
}

function checkTarget(t: TargetT, path: string, out: Issue[]): void {
  const keys = Object.keys(t);
  if (keys.length !== 1) {
    out.push({ path, message: `目标须恰好给出一种形式 (exactly one of min, max, range, bool, by_area_type, by_band; got ${keys.join(', ') || 'none'})` });
    return;
  }
  if (t.by_area_type) {
    checkSimple(t.by_area_type.urban, `${path}.by_area_type.urban`, out);
    checkSimple(t.by_area_type.rural, `${path}.by_area_type.rural`, out);
  } else if (t.by_band) {
    t.by_band.bands.forEach((b, k) => {
      checkSimple(b.target, `${path}.by_band.bands[${k}].target`, out);
      if (b.below !== undefined && b.below <= b.from) out.push({ path: `${path}.by_band.bands[${k}].below`, message: '分档上限须大于下限 (below must exceed from)' });
      const prev = t.by_band?.bands[k - 1];
      if (prev && prev.from >= b.from) out.push({ path: `${path}.by_band.bands[${k}].from`, message: '分档须按 from 递增排列 (bands must be in increasing order of from)' });
    });
  } else checkSimple(t as SimpleTargetT, path, out);
}

export function checkPlan(plan: Plan): Issue[] {
  const out: Issue[] = [];
  if (plan.start >= plan.end) out.push({ path: 'end', message: `结束日期须晚于开始日期 (end ${plan.end} must be after start ${plan.start})` });
  plan.phases.forEach((ph, k) => {
    if (ph.start > ph.end) out.push({ path: `phases[${k}].end`, message: `阶段结束早于开始 (phase ends before it starts)` });
    if (ph.start < plan.start || ph.end > plan.end) out.push({ path: `phases[${k}]`, message: `阶段超出计划起止日期 (phase outside ${plan.start}..${plan.end})` });
    const prev = plan.phases[k - 1];
    if (prev && ph.start <= prev.end) out.push({ path: `phases[${k}].start`, message: `阶段须按时间顺序且不重叠 (phases must be ordered and not overlap)` });
  });
  const phaseNames = new Set(plan.phases.map((p) => p.name));
  const dims = new Set(plan.dimensions.map((d) => d.id));
  const seen = new Set<string>();
  plan.indicators.forEach((pi, k) => {
    const at = `indicators[${k}]`;
    const cat = INDICATOR_BY_ID.get(pi.id);
    if (!cat) {
      out.push({ path: `${at}.id`, message: `未知指标「${pi.id}」 (unknown indicator)` });
      return;
    }
    if (seen.has(pi.id)) out.push({ path: `${at}.id`, message: `指标「${pi.id}」重复 (indicator listed twice)` });
    seen.add(pi.id);
    if (pi.level && pi.level !== cat.level) out.push({ path: `${at}.level`, message: `指标「${pi.id}」是${cat.level}级指标 (indicator is defined at level ${cat.level})` });
    const dim = pi.dimension ?? cat.dimension;
    if (!dims.has(dim)) out.push({ path: `${at}.dimension`, message: `维度「${dim}」未在 dimensions 中给出权重 (dimension has no weight in dimensions)` });
    checkTarget(pi.target, `${at}.target`, out);
    if (pi.target.bool && cat.kind !== 'bool') out.push({ path: `${at}.target.bool`, message: `指标「${pi.id}」不是是/否指标 (bool target on a numeric indicator)` });
    if ((pi.target.by_area_type || pi.target.by_band) && cat.level !== 'community') out.push({ path: `${at}.target`, message: '按城乡类型或分档的目标只适用于社区指标 (by_area_type/by_band apply to community indicators)' });
    if (pi.milestones && pi.milestones !== 'linear') {
      if (pi.target.min === undefined && pi.target.max === undefined) out.push({ path: `${at}.milestones`, message: '分阶段目标值只适用于 min 或 max 目标 (explicit milestones need a min or max target)' });
      for (const name of Object.keys(pi.milestones)) {
        if (!phaseNames.has(name)) out.push({ path: `${at}.milestones.${name}`, message: `没有名为「${name}」的阶段 (no such phase)` });
      }
    }
  });
  plan.phases.forEach((ph, k) => {
    if (ph.checks === 'all') return;
    ph.checks.forEach((id, j) => {
      if (!seen.has(id)) out.push({ path: `phases[${k}].checks[${j}]`, message: `阶段检查的指标「${id}」不在本计划的 indicators 中 (checked indicator not in the plan)` });
    });
  });
  const labels = plan.rating.bands.map((b) => b.min);
  if (labels.some((m, k) => k > 0 && m >= labels[k - 1])) out.push({ path: 'rating.bands', message: '评级分档须按 min 递减排列 (rating bands must be in decreasing order of min)' });
  return out;
}
