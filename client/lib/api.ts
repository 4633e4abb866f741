// The API as the client sees it: response types (shapes, not definitions:
// indicator names, units, targets and sources always come from the server)
// and one function per route of server/http/API.md.

import type { Level } from '../../metrics/catalogue/types.ts';
import type { SourceRow } from '../../metrics/lineage/lineage.ts';
import type { AcceptanceRow, Report as MetricsReport, ProgressRow, ValueRow as ReportValueRow, ScoreRow } from '../../metrics/report/compute.ts';
import type { RankInterval } from '../../metrics/score/sensitivity.ts';
import type { SourceDocument } from '../../metrics/sources.ts';
import type { OverviewRanking, RankedRow, rankedColumns } from '../../server/http/routes/scores.ts';
import type { JobStatus } from '../../server/http/upload/jobs.ts';
import type { Problem } from '../../server/import/problems.ts';
import { ApiError, getJson, qs, sendJson } from './fetch.ts';
import type { Status } from './status.ts';

export type { Level };

export interface PlanInfo {
  id: string;
  name: string;
  source: string;
  start: string;
  end: string;
  units: unknown;
  pass_score: { value: number; plan_default: boolean };
  rating: { plan_default: boolean; bands: { min: number; label: string }[] };
  phases: { idx: number; name: string; start: string; end: string }[];
  dimensions: { id: string; zh: string; en: string; weight: number; plan_default: boolean }[];
  plan_defaults: string[];
}

export interface UnitInfo {
  code: string;
  name: string | null;
  level: Level;
  parent_code: string | null;
  area_type: 'urban' | 'rural' | null;
}

export interface Session {
  authenticated: boolean;
  demo: boolean;
  user: { username: string; role: string; role_zh: string; scope: string | null; permissions: string[] } | null;
  csrf_token: string | null;
  login_required: boolean;
}

export interface MethodologyRow extends IndicatorInfo {
  target: unknown;
  milestones: unknown;
  weight: number | null;
  veto: boolean;
  plan_default: boolean;
  note: string | null;
}

// Row shapes are the metrics module's own (type-only imports: nothing of
// the server enters the bundle), so client and server cannot drift apart.
export type ValueRow = ReportValueRow & { indicator_en?: string };
export type { AcceptanceRow, ProgressRow, RankInterval, ScoreRow };

/** A (plan, period, level) report as the pages use it: the metrics module's, without progress and sensitivity (own routes). */
export type Report = Omit<MetricsReport, 'values' | 'progress' | 'sensitivity'> & { values: ValueRow[] };

/** /scores?shape=columns: one array per field (a third of the bytes at 10,000 communities). */
type RankedColumns = ReturnType<typeof rankedColumns>;

/** The row objects the pages use, rebuilt from the columns. */
export function rankedRows(c: RankedColumns, period: string, level: Level): RankedScore[] {
  const dims = Object.keys(c.dimensions);
  return c.org_unit.map((org_unit, i) => {
    const dimensions: Record<string, number> = {};
    for (const d of dims) {
      const v = c.dimensions[d][i];
      if (v !== null) dimensions[d] = v;
    }
    return {
      org_unit,
      name: c.name[i],
      level,
      period,
      composite: c.composite[i],
      dimensions,
      rating: c.rating[i],
      n_no_data: c.n_no_data[i],
      rank: c.rank[i],
      of: c.of[i],
      accepted: c.accepted[i],
      vetoes_failed: c.vetoes_failed[i],
      rank_p5: c.rank_p5[i],
      rank_p95: c.rank_p95[i],
    };
  });
}

/** A score row with its rank, acceptance and rank interval: the server's own type. */
export type RankedScore = RankedRow;

/** /overview/charts: everything the overview draws, in one response (the ranking as columns). */
export interface OverviewCharts {
  plan: Report['plan'];
  period: string;
  prev_period: string | null;
  level: Level;
  rank_level: 'community' | 'street';
  current_phase: string;
  /** Null where the account's scope hides the district. */
  district: { scores: ScoreRow[]; values: ValueRow[]; prev_scores: ScoreRow[]; prev_values: Pick<ValueRow, 'org_unit' | 'indicator' | 'value'>[] } | null;
  streets: ScoreRow[] | null;
  ranking: OverviewRanking;
}

/** One progress rule in words (metrics/progress/progress.ts PROGRESS_METHOD). */
export interface ProgressRule {
  term: { zh: string; en: string };
  zh: string;
  en: string;
}

export interface ProgressResponse {
  plan: Report['plan'];
  period: string;
  level: Level;
  current_phase: string;
  phases: { idx: number; name: string; start: string; end: string }[];
  rows: ProgressRow[];
}

export interface SensitivityResponse {
  plan: Report['plan'];
  period: string;
  level: Level;
  draws: number;
  seed: number;
  stable: boolean;
  weights: Record<string, number>;
  rows: (RankInterval & { name: string | null })[];
}

export interface SeriesResponse {
  plan: { id: string; name: string };
  unit: { code: string; name: string; level: Level };
  rows: SeriesRow[];
  scores: { period: string; composite: number; rating: string; accepted: boolean }[];
}

export type { SourceRow };

export interface Finding {
  rule: string;
  rule_zh: string;
  rule_en: string;
  org_unit: string;
  name: string | null;
  period: string;
  indicator: string | null;
  value: number | null;
  /** What was found, in Chinese; `detail_en` in English. */
  detail: string;
  detail_en: string;
  sources: { table: string; export_id: number; file: string | null; sheet: string | null; src_row: number | null }[];
}

export interface Completeness {
  periods: string[];
  tables: string[];
  rows: { org_unit: string; name: string | null; period: string; tables: string[]; n_tables: number }[];
}

export interface IndicatorInfo {
  id: string;
  zh: string;
  en: string;
  dimension: string;
  level: Level;
  unit: string;
  periodicity: string;
  rollup: string;
  source: string;
  definition: unknown;
  formula: string;
  kind: string;
  helper: boolean;
}

export type { JobStatus, Problem };
export const JOB_DONE: JobStatus[] = ['dry_run', 'committed', 'unchanged', 'rejected', 'forbidden', 'too_large', 'failed'];

export interface Job {
  id: string;
  dry_run: boolean;
  status: JobStatus;
  files: { name: string; bytes: number }[];
  progress: { phase: 'read' | 'check' | 'load' | 'done'; done: number; total: number; file?: string } | null;
  summary: { batchId: number | null; status: string; files: { file: string; bytes: number; rows?: number }[]; rows: number; problems: Problem[] } | null;
  problems: Problem[];
  message: string | null;
  created_at: string;
  finished_at: string | null;
  /** After a commit: how the dashboard's numbers took it in. */
  dashboard?: { mode: 'patched' | 'recomputed'; ms: number; reason: string | null } | null;
}

const csrfHeaders = (csrf: string | null): Record<string, string> => (csrf ? { 'X-CSRF-Token': csrf, Accept: 'application/json' } : { Accept: 'application/json' });

/** Upload-job calls answer with a Job even on 422 (rejected) or 403/413. */
async function sendJob(url: string, init: RequestInit): Promise<Job> {
  const res = await fetch(url, init);
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const b = body as Partial<Job> & { message?: string; error?: string };
  if (b && typeof b === 'object' && typeof b.status === 'string' && typeof b.id === 'string') return b as Job;
  throw new ApiError(res.status, b?.message ?? `${res.status} ${res.statusText}`, body);
}

export interface Batch {
  batch_id: number;
  started_at: string | null;
  finished_at: string | null;
  imported_by: string | null;
  source: string | null;
  status: string;
  file_count: number;
  row_count: number;
  files: { file_id: number; path: string; sha256: string; bytes: number; format: string; encoding: string | null; row_count: number }[];
}

/** A source document (metrics/sources.ts) with what cites it: catalogue indicators, and per preset plan the plan itself and its indicators. */
export type CitedSource = SourceDocument & { cited_by: { catalogue: string[]; plans: { id: string; plan: boolean; indicators: string[] }[] } };

export interface SeriesRow {
  org_unit: string;
  indicator: string;
  period: string;
  value: number | null;
  target_lo: number | null;
  target_hi: number | null;
  /** The target this quarter is judged against (an annual target pro rata within the plan year); as target_lo/hi when none is given. */
  target_effective_lo?: number | null;
  target_effective_hi?: number | null;
  attainment?: number | null;
  status?: Status | null;
  /** No export behind this period (value null; attainment counts as 0 in scores). */
  no_data?: boolean;
}

export interface ReportParts {
  values?: 'all' | 'plan' | false;
  acceptance?: boolean;
  unit?: string;
}

export interface Query {
  plan: string;
  period: string;
  level: Level;
}

const V1 = 'api/v1';

/** An export link: the same route with format=csv|xlsx. */
export function withFormat(url: string, format: 'csv' | 'xlsx'): string {
  return `${url}${url.includes('?') ? '&' : '?'}format=${format}`;
}

type Filters = { plan: { id: string }; period: string; street: string | null; area: string | null };
const filt = (g: Filters, level: Level) => ({ plan: g.plan.id, period: g.period, level, street: g.street ?? undefined, area_type: g.area ?? undefined });

export const api = {
  plans: () => getJson<{ rows: PlanInfo[] }>(`${V1}/plans`).then((r) => r.rows),
  plan: (id: string) => getJson<PlanInfo & { indicators: MethodologyRow[] }>(`${V1}/plans/${encodeURIComponent(id)}`),
  planExport: (id: string) => `${V1}/plans/${encodeURIComponent(id)}`,
  session: () => getJson<Session>(`${V1}/session`, { fresh: true }),
  login: (username: string, password: string, csrf: string | null) =>
    sendJson<{ csrf_token: string; must_change: boolean }>(`${V1}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...csrfHeaders(csrf) },
      body: JSON.stringify({ username, password }),
    }),
  logout: (csrf: string | null) => sendJson<{ ok: boolean }>(`${V1}/session`, { method: 'DELETE', headers: csrfHeaders(csrf) }),
  periods: async () => (await getJson<{ latest: string | null; rows: { period: string; communities: number; exports: number }[] }>(`${V1}/periods`)).rows.map((r) => r.period),
  /** Every unit in scope (sent as columns: at 10,000 communities half the bytes of rows). */
  units: () =>
    getJson<{ columns: { [K in keyof UnitInfo]: UnitInfo[K][] } }>(`${V1}/units?shape=columns`).then(({ columns: c }) =>
      c.code.map((code, i): UnitInfo => ({ code, name: c.name[i], level: c.level[i], parent_code: c.parent_code[i], area_type: c.area_type[i] })),
    ),
  indicators: () => getJson<{ rows: IndicatorInfo[] }>(`${V1}/indicators`).then((r) => r.rows),
  /** The rules the methodology page states: data quality, progress statuses and projections; the source documents with what cites them. */
  methodRules: () =>
    getJson<{ quality_rules: Record<string, { zh: string; en: string }>; quality_method: { zh: string; en: string }; progress_method: ProgressRule[]; sources: CitedSource[] }>(
      `${V1}/indicators`,
    ).then((r) => ({
      rules: r.quality_rules,
      method: r.quality_method,
      progress: r.progress_method,
      sources: r.sources,
    })),
  /**
   * Parts of the (plan, period, level) report: scores (ranked) always; values
   * ('all', only plan indicators, or none) and acceptance when asked; `unit`
   * narrows every part to one org unit (so a community page stays small at
   * 10,000 communities). Street and urban/rural filters apply client-side.
   */
  report: async (q: Query, parts: ReportParts = {}): Promise<Report & { ranked: RankedScore[] }> => {
    const p = qs({ plan: q.plan, period: q.period, level: q.level, unit: parts.unit });
    const empty = { rows: [] as never[] };
    const [v, s, a] = await Promise.all([
      parts.values
        ? getJson<{ plan: Report['plan']; period: string; level: Level; current_phase: string; rows: ValueRow[] }>(
            `${V1}/values${p}${parts.values === 'plan' ? '&in_plan=true' : ''}`,
          )
        : null,
      getJson<{ plan: Report['plan']; period: string; level: Level; columns: RankedColumns }>(`${V1}/scores${p}&shape=columns`).then((r) => ({
        ...r,
        rows: rankedRows(r.columns, r.period, r.level),
      })),
      parts.acceptance ? getJson<{ rows: AcceptanceRow[] }>(`${V1}/acceptance${p}`) : empty,
    ]);
    return { plan: s.plan, period: s.period, level: s.level, current_phase: v?.current_phase ?? '', values: v?.rows ?? [], scores: s.rows, ranked: s.rows, acceptance: a.rows };
  },
  /** The ranking as columns (/scores?shape=columns), in rank order: the overview's score table. */
  scoreColumns: (q: Query) =>
    getJson<{ plan: Report['plan']; period: string; level: Level; total: number; columns: RankedColumns }>(`${V1}/scores${qs({ plan: q.plan, period: q.period, level: q.level })}&shape=columns`),
  progress: (q: Query & { phase?: number; unit?: string }) => getJson<ProgressResponse>(`${V1}/progress${qs({ plan: q.plan, period: q.period, level: q.level, phase: q.phase, unit: q.unit })}`),
  progressExport: (g: Filters, level: Level, phase?: number) => `${V1}/progress${qs({ ...filt(g, level), phase })}`,
  sensitivity: (q: Query) => getJson<SensitivityResponse>(`${V1}/sensitivity${qs({ plan: q.plan, period: q.period, level: q.level })}`),
  lineage: (q: { plan: string; unit: string; indicator: string; period: string }) =>
    getJson<{ rows: (SourceRow & { table_label: string })[] }>(`${V1}/lineage${qs({ plan: q.plan, unit: q.unit, indicator: q.indicator, period: q.period })}`).then((r) => r.rows),
  lineageExport: (q: { plan: string; unit: string; indicator: string; period: string }) => `${V1}/lineage${qs(q)}`,
  findings: (q: { plan: string; period?: string; unit?: string }) => getJson<{ rules: Record<string, string>; rules_en: Record<string, string>; rows: Finding[] }>(`${V1}/quality/findings${qs(q)}`),
  findingsExport: (q: { plan: string; period?: string; street?: string | null; unit?: string }) => `${V1}/quality/findings${qs({ ...q, street: q.street ?? undefined })}`,
  completeness: (q: { plan: string; period?: string }) => getJson<Completeness>(`${V1}/quality/completeness${qs(q)}`),
  completenessExport: (q: { plan: string; street?: string | null }) => `${V1}/quality/completeness${qs({ plan: q.plan, street: q.street ?? undefined })}`,
  batches: () => getJson<{ rows: Batch[] }>(`${V1}/batches`, { fresh: true }).then((r) => r.rows),
  batchesExport: () => `${V1}/batches`,
  scoresExport: (g: Filters, level: Level) => `${V1}/scores${qs(filt(g, level))}`,
  valuesExport: (g: Filters, level: Level, unit?: string) => `${V1}/values${qs({ ...filt(g, level), unit, in_plan: unit ? 'true' : undefined })}`,
  acceptanceExport: (g: Filters, level: Level) => `${V1}/acceptance${qs(filt(g, level))}`,
  series: (q: { plan: string; unit: string; indicator?: string }) =>
    getJson<SeriesResponse>(`${V1}/series${qs({ plan: q.plan, unit: q.unit, indicator: q.indicator })}`),
  seriesExport: (q: { plan: string; unit: string }) => `${V1}/series${qs({ plan: q.plan, unit: q.unit })}`,
  /** Start an upload job (multipart field "files"); poll with uploadJob. */
  upload: (files: File[], dryRun: boolean, csrf: string | null) => {
    const fd = new FormData();
    for (const f of files) fd.append('files', f, f.name);
    return sendJob(`${V1}/uploads${qs({ dry_run: dryRun ? 'true' : undefined })}`, { method: 'POST', body: fd, headers: csrfHeaders(csrf) });
  },
  uploadJob: (id: string) => sendJob(`${V1}/uploads/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } }),
  commitUpload: (id: string, csrf: string | null) => sendJob(`${V1}/uploads/${encodeURIComponent(id)}/commit`, { method: 'POST', headers: csrfHeaders(csrf) }),
};
