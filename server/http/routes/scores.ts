// Scores and ranking, acceptance, and the overview the dashboard opens on.

import { z } from 'zod';
import { HEADLINE_IDS } from '../../../metrics/catalogue/headline.ts';
import { periodOf, quarterIndex } from '../../../metrics/compile/calendar.ts';
import { primeSensitivity, type Report, type ScoreRow } from '../../../metrics/report/compute.ts';
import { levelAllowed } from '../../auth/roles.ts';
import { level, limit, offset, period, plan, shape, tableQuery } from '../params.ts';
import { route } from '../route.ts';
import { checkScope, reportFor, resolvePeriod, stem, unitFilter } from './common.ts';

/**
 * Competition ranking by composite among all units of the level (1 = best), before any filter;
 * with each unit's rank interval under the weight draws unless `intervals` is false (reading
 * them computes the report's sensitivity, ~3 s at 10,000 communities, the first time).
 */
export function ranked(r: Report, { intervals = true } = {}) {
  const sorted = [...r.scores].sort((a, b) => b.composite - a.composite);
  const rankOf = new Map<string, number>();
  sorted.forEach((s, i) => {
    rankOf.set(s.org_unit, i > 0 && Math.abs(s.composite - sorted[i - 1].composite) < 1e-9 ? rankOf.get(sorted[i - 1].org_unit)! : i + 1);
  });
  const acc = new Map(r.acceptance.map((a) => [a.org_unit, a]));
  const sens = new Map(intervals ? r.sensitivity.intervals.map((s) => [s.org_unit, s]) : []);
  // Every field written out: `{ ...s, rank, ... }` took V8's slow path, 9 µs a row (90 ms at
  // 10,000 communities, on every first response); the type makes a new ScoreRow field a compile error here.
  return sorted.map((s): RankedRow => {
    const a = acc.get(s.org_unit);
    const iv = sens.get(s.org_unit);
    return {
      org_unit: s.org_unit,
      name: s.name,
      level: s.level,
      period: s.period,
      composite: s.composite,
      dimensions: s.dimensions,
      rating: s.rating,
      n_no_data: s.n_no_data,
      rank: rankOf.get(s.org_unit)!,
      of: sorted.length,
      accepted: a?.accepted ?? false,
      vetoes_failed: a?.vetoes_failed ?? [],
      rank_p5: iv?.p5 ?? null,
      rank_p95: iv?.p95 ?? null,
    };
  });
}

/** A score row with its rank among the level's units, acceptance and rank interval. */
export interface RankedRow extends Required<ScoreRow> {
  rank: number;
  of: number;
  accepted: boolean;
  vetoes_failed: string[];
  rank_p5: number | null;
  rank_p95: number | null;
}

const DIMS = ['platform', 'orgs', 'social_workers', 'volunteers', 'participation'];

type Ranked = RankedRow;

/** Ranked rows as one array per field (the keys once, not once per row). */
export function rankedColumns(rows: Ranked[]) {
  const col = <K extends keyof Ranked>(k: K) => rows.map((r) => r[k]);
  const dims = [...new Set(rows.flatMap((r) => Object.keys(r.dimensions)))].sort();
  return {
    org_unit: col('org_unit'),
    name: col('name'),
    composite: col('composite'),
    dimensions: Object.fromEntries(dims.map((d) => [d, rows.map((r) => r.dimensions[d] ?? null)])),
    rating: col('rating'),
    n_no_data: col('n_no_data'),
    rank: col('rank'),
    of: col('of'),
    accepted: col('accepted'),
    vetoes_failed: col('vetoes_failed'),
    rank_p5: col('rank_p5'),
    rank_p95: col('rank_p95'),
  };
}

/** A score (0 to 100) to 1e-2 point: the bar chart and its tooltip show 0.1 point; 1e-4 cost the ranking a third more bytes. */
const score2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The ranking as the overview's charts draw it: rank order, one array per
 * field, only what the bar chart and the rating distribution need (names come
 * from /units; ratings as indexes into `ratings`; scores to 1e-2 point, the
 * order computed before rounding). The score table under the charts reads
 * /scores?shape=columns (ranks, dimension scores, no-data counts): at 10,000
 * communities those columns were 40 % of this response's gzipped bytes, and
 * every byte here delays the charts.
 */
export function overviewRanking(rows: Ranked[]) {
  const ratings = [...new Set(rows.map((r) => r.rating))];
  const ratingIdx = new Map(ratings.map((r, i) => [r, i]));
  return {
    total: rows.length,
    ratings,
    columns: {
      org_unit: rows.map((r) => r.org_unit),
      composite: rows.map((r) => score2(r.composite)),
      rating: rows.map((r) => ratingIdx.get(r.rating) as number),
    },
  };
}

export const scoresRoutes = [
  route({
    method: 'get',
    path: '/api/v1/scores',
    tag: 'scores',
    summary: '得分与排名 Scores and ranking',
    perm: 'read',
    cache: true,
    query: z.object({ ...tableQuery, limit, offset, shape }).strict(),
    returns:
      '{ plan, period, level, total, offset, rows: (ScoreRow & { rank, of, accepted, vetoes_failed, rank_p5, rank_p95 })[] } sorted by rank; limit/offset page the rows (a ranking table), total counts them all; shape=columns sends `columns` (one array per field, dimensions as { dim: number[] }) instead of rows, a third of the bytes at 10,000 communities',
    async handler({ app, principal, query }) {
      const r = await reportFor(app, principal, query);
      // the rank intervals computed in slices (not blocking other requests) the first time
      await primeSensitivity(r);
      const keep = await unitFilter(app, principal, query);
      const all = ranked(r).filter((s) => keep(s.org_unit));
      const rows = query.limit === undefined && !query.offset ? all : all.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
      const body = { plan: r.plan, period: r.period, level: r.level, total: all.length, offset: query.offset };
      return {
        body: query.shape === 'columns' ? { ...body, columns: rankedColumns(rows) } : { ...body, rows },
        table: {
          name: stem('ranking', r.plan.id, r.period, r.level),
          columns: [
            { key: 'rank', zh: '排名' },
            { key: 'org_unit', zh: '区划代码' },
            { key: 'name', zh: '名称' },
            { key: 'composite', zh: '综合得分' },
            ...DIMS.map((d) => ({ key: `dim_${d}`, zh: `维度:${d}` })),
            { key: 'rating', zh: '评级' },
            { key: 'accepted', zh: '验收通过' },
            { key: 'rank_p5', zh: '排名区间下限(5%)' },
            { key: 'rank_p95', zh: '排名区间上限(95%)' },
            { key: 'n_no_data', zh: '无数据指标数' },
          ],
          rows: rows.map((s) => ({ ...s, ...Object.fromEntries(DIMS.map((d) => [`dim_${d}`, s.dimensions[d] ?? null])) })),
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/acceptance',
    tag: 'scores',
    summary: '验收结果 Acceptance results',
    perm: 'read',
    cache: true,
    query: z.object(tableQuery).strict(),
    returns: '{ plan, period, level, pass_score, rows: AcceptanceRow[] }',
    async handler({ app, principal, query }) {
      const r = await reportFor(app, principal, query);
      const keep = await unitFilter(app, principal, query);
      const rows = r.acceptance.filter((a) => keep(a.org_unit));
      return {
        body: { plan: r.plan, period: r.period, level: r.level, pass_score: app.caches.plan(query.plan).pass_score.value, rows },
        table: {
          name: stem('acceptance', r.plan.id, r.period, r.level),
          columns: [
            { key: 'org_unit', zh: '区划代码' },
            { key: 'name', zh: '名称' },
            { key: 'period', zh: '报告期' },
            { key: 'composite', zh: '综合得分' },
            { key: 'accepted', zh: '验收通过' },
            { key: 'vetoes_failed', zh: '未达标否决项' },
          ],
          rows: rows as unknown as Record<string, unknown>[],
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/overview',
    tag: 'scores',
    summary: '总览 Overview: composite, ratings, acceptance and status counts for the landing page',
    perm: 'read',
    cache: true,
    query: z.object({ plan, period: period.optional() }).strict(),
    returns: '{ plan, period, current_phase, level, units, mean_composite, ratings: {label: n}, accepted, status_counts: {status: n}, top: Ranked[5], bottom: Ranked[5], district: ScoreRow|null }',
    async handler({ app, principal, query }) {
      const per = await resolvePeriod(app, query.period);
      const level = 'community' as const;
      const r = await app.caches.report(query.plan, per, level);
      await primeSensitivity(r);
      const keep = await unitFilter(app, principal, {});
      const rows = ranked(r).filter((s) => keep(s.org_unit));
      const ratings: Record<string, number> = {};
      for (const s of rows) ratings[s.rating] = (ratings[s.rating] ?? 0) + 1;
      const status: Record<string, number> = {};
      for (const v of r.values) if (v.in_plan && v.status && keep(v.org_unit)) status[v.status] = (status[v.status] ?? 0) + 1;
      let district = null;
      if (principal.scope === null) {
        const d = await app.caches.report(query.plan, per, 'district');
        district = d.scores[0] ?? null;
      }
      return {
        body: {
          plan: r.plan,
          period: r.period,
          current_phase: r.current_phase,
          level,
          units: rows.length,
          mean_composite: rows.length ? rows.reduce((a, s) => a + s.composite, 0) / rows.length : null,
          ratings,
          accepted: rows.filter((s) => s.accepted).length,
          status_counts: status,
          top: rows.slice(0, 5),
          bottom: rows.slice(-5).reverse(),
          district,
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/overview/charts',
    tag: 'scores',
    summary: '总览页数据 Everything the dashboard overview draws, in one compact response',
    perm: 'read',
    cache: true,
    query: z.object({ plan, period: period.optional(), level }).strict(),
    returns:
      '{ plan, period, prev_period, level, rank_level, current_phase, district: { scores: [ScoreRow] (the first district in rank order), values: ValueRow[] (its headline indicators), prev_scores, prev_values: { org_unit, indicator, value }[] (the same for the previous quarter) } | null, streets: ScoreRow[] | null, ranking: { total, ratings: string[], columns: { org_unit[], composite[] (to 1e-2 point), rating[] (index into ratings) } } }: ' +
      'what the overview\'s cards and charts draw: the district headline cards (metrics/catalogue/headline.ts; this period and the previous quarter when it has data), the street scores for the radar and the ranking of rank_level (community for level=community, else street) in rank order, cut to the scope; district and streets are null where the scope hides them. The score table (ranks, dimension scores) is /scores?shape=columns. Without plan or period: the default plan, the latest period.',
    async handler({ app, principal, query }) {
      const per = await resolvePeriod(app, query.period);
      const rankLevel = query.level === 'community' ? 'community' : 'street';
      checkScope(principal, { level: rankLevel });
      const prev = periodOf(quarterIndex(per) - 1);
      const prevPeriod = (await app.caches.periods()).includes(prev) ? prev : null;
      const keep = await unitFilter(app, principal, {});
      const r = await app.caches.report(query.plan, per, rankLevel);
      let district = null;
      if (levelAllowed(principal, 'district')) {
        const d = await app.caches.report(query.plan, per, 'district');
        const dp = prevPeriod ? await app.caches.report(query.plan, prevPeriod, 'district') : null;
        // The cards show one district (the first in rank order where a store holds several):
        // its score, its headline indicators, and the previous quarter's for the change on each card.
        const top = [...d.scores].sort((a, b) => b.composite - a.composite)[0] ?? null;
        const code = top?.org_unit ?? d.values[0]?.org_unit;
        const headline = (v: { org_unit: string; indicator: string }) => v.org_unit === code && HEADLINE_IDS.has(v.indicator);
        district = {
          scores: top ? [top] : [],
          values: d.values.filter(headline),
          prev_scores: (dp?.scores ?? []).filter((s) => s.org_unit === code),
          prev_values: (dp?.values ?? []).filter(headline).map((v) => ({ org_unit: v.org_unit, indicator: v.indicator, value: v.value })),
        };
      }
      const streets = levelAllowed(principal, 'street') ? (await app.caches.report(query.plan, per, 'street')).scores.filter((s) => keep(s.org_unit)) : null;
      return {
        body: {
          plan: r.plan,
          period: r.period,
          prev_period: prevPeriod,
          level: query.level,
          rank_level: rankLevel,
          current_phase: r.current_phase,
          district,
          streets,
          ranking: overviewRanking(ranked(r, { intervals: false }).filter((s) => keep(s.org_unit))),
        },
      };
    },
  }),
];

/** The overview's ranking as sent (client/lib/api.ts reads it). */
export type OverviewRanking = ReturnType<typeof overviewRanking>;
