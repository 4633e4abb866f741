// The indicator catalogue's vocabulary: plain, serialisable data that the
// compiler (../compile) turns into DuckDB SQL. Nothing here knows SQL.

export type Level = 'community' | 'street' | 'district';
/** Every level, from the bottom up. */
export const LEVELS: readonly Level[] = ['community', 'street', 'district'];
export type Dimension = 'platform' | 'orgs' | 'social_workers' | 'volunteers' | 'participation';
export type Periodicity = 'stock' | 'per_year' | 'per_quarter';
/** How a community value is carried up to street and district. */
export type Rollup = 'sum' | 'ratio' | 'mean';
export type SourceTable =
  | 'profile'
  | 'social_orgs'
  | 'volunteers'
  | 'social_workers'
  | 'facilities'
  | 'participation'
  | 'activities'
  | 'surveys';

/** A row predicate. `active` means "alive on the period's as-of date" per the table's lifecycle dates. */
export type Filter =
  | { active: true }
  | { in: { col: string; values: string[] } }
  | { notIn: { col: string; values: string[] } }
  | { isTrue: string }
  | { gte: { col: string; value: number } }
  /** first non-null of `cols` falls in the plan year (year to date) or the quarter. */
  | { within: { cols: string[]; window: 'year' | 'quarter' } };

export type Measure =
  | { agg: 'count'; table: SourceTable; where?: Filter[] }
  | { agg: 'count_distinct'; table: SourceTable; col: string; where?: Filter[] }
  | { agg: 'sum'; table: SourceTable; col: string; where?: Filter[] }
  | { agg: 'exists'; table: SourceTable; where?: Filter[] }
  /** A profile value of the unit for the period. */
  | { agg: 'field'; col: string }
  /** The first measure whose table was exported for the period (e.g. roster, else profile count). */
  | { agg: 'first_of'; options: Measure[] };

export type Definition =
  /** Value = measure over the unit's own rows. */
  | { kind: 'measure'; measure: Measure }
  /** Value = num / den x scale; carried up as a ratio of sums. */
  | { kind: 'ratio'; num: Measure; den: Measure; scale?: number }
  /** The value another indicator has at this (higher) level, i.e. its rollup. */
  | { kind: 'alias'; of: string }
  /** Number of covered communities whose value of `of` lies in [from, below). */
  | { kind: 'count_units'; of: string; from?: number; below?: number };

export interface Indicator {
  id: string;
  zh: string;
  en: string;
  dimension: Dimension;
  /** Level whose own rows define the value; community indicators are also rolled up. */
  level: Level;
  unit: string;
  periodicity: Periodicity;
  rollup: Rollup;
  /** Seed file the definition comes from, or a note when none does. */
  source: string;
  definition: Definition;
  /** 'rate' values are fractions; 'bool' are 1/0. */
  kind?: 'count' | 'rate' | 'bool' | 'area' | 'number';
  /** Used by other indicators or the quality rules, not a spec target of its own. */
  helper?: boolean;
}

export const DIMENSIONS: Record<Dimension, { zh: string; en: string }> = {
  platform: { zh: '社区平台', en: 'community platform' },
  orgs: { zh: '社会组织', en: 'social organisations' },
  social_workers: { zh: '社工人才', en: 'social workers' },
  volunteers: { zh: '志愿服务', en: 'volunteers' },
  participation: { zh: '居民参与', en: 'participation and satisfaction' },
};
