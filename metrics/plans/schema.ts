// The plan file format (YAML or JSON) as a zod schema: the shape a user can
// copy and edit. Semantic checks that need the catalogue live in load.ts.

import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD (date must be YYYY-MM-DD)');

/** One plain target. Exactly one key. */
export const SimpleTarget = z
  .object({
    min: z.number().nonnegative(),
    max: z.number().nonnegative(),
    range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
    bool: z.literal(true),
  })
  .partial()
  .strict();

export const Target = z
  .object({
    min: z.number().nonnegative(),
    max: z.number().nonnegative(),
    range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
    bool: z.literal(true),
    by_area_type: z.object({ urban: SimpleTarget, rural: SimpleTarget }).strict(),
    by_band: z
      .object({
        field: z.enum(['households', 'population']),
        bands: z
          .array(z.object({ from: z.number().nonnegative(), below: z.number().positive().optional(), target: SimpleTarget }).strict())
          .min(1),
      })
      .strict(),
  })
  .partial()
  .strict();

export const PlanIndicator = z
  .object({
    id: z.string(),
    level: z.enum(['community', 'street', 'district']).optional(),
    target: Target,
    weight: z.number().nonnegative().default(1),
    dimension: z.enum(['platform', 'orgs', 'social_workers', 'volunteers', 'participation']).optional(),
    veto: z.boolean().default(false),
    /** 'linear' from the baseline at plan start to the target at plan end, or explicit thresholds per phase name. */
    milestones: z.union([z.literal('linear'), z.record(z.string(), z.number())]).optional(),
    source: z.string().optional(),
    /** The target is not from a source document. */
    plan_default: z.boolean().default(false),
    note: z.string().optional(),
  })
  .strict();

export const PlanFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id 只能含小写字母、数字和连字符 (lowercase letters, digits, hyphens)'),
    name: z.string().min(1),
    source: z.string().min(1),
    start: isoDate,
    end: isoDate,
    units: z.union([z.literal('all'), z.array(z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '区划代码应为 6、9 或 12 位数字 (code of 6, 9 or 12 digits)')).min(1)]),
    pass_score: z.object({ value: z.number().min(0).max(100), plan_default: z.boolean().default(false) }).strict().default({ value: 60, plan_default: true }),
    rating: z
      .object({
        plan_default: z.boolean().default(false),
        bands: z.array(z.object({ min: z.number().min(0).max(100), label: z.string() }).strict()).min(1),
      })
      .strict()
      .default({ plan_default: true, bands: [{ min: 90, label: '优秀' }, { min: 75, label: '良好' }, { min: 60, label: '合格' }, { min: 0, label: '不合格' }] }),
    dimensions: z
      .array(
        z
          .object({
            id: z.enum(['platform', 'orgs', 'social_workers', 'volunteers', 'participation']),
            weight: z.number().positive(),
            plan_default: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1),
    phases: z
      .array(
        z
          .object({
            name: z.string().min(1),
            start: isoDate,
            end: isoDate,
            checks: z.union([z.literal('all'), z.array(z.string())]).default('all'),
          })
          .strict(),
      )
      .min(1),
    indicators: z.array(PlanIndicator).min(1),
    sensitivity: z
      .object({ draws: z.number().int().positive().default(1000), seed: z.number().int().default(20130601), spread: z.number().min(0).max(0.99).default(0.5) })
      .strict()
      .default({ draws: 1000, seed: 20130601, spread: 0.5 }),
  })
  .strict();

export type PlanFileInput = z.input<typeof PlanFile>;
export type Plan = z.output<typeof PlanFile> & { /** where it was loaded from */ file: string };
export type PlanIndicatorT = z.output<typeof PlanIndicator>;
export type TargetT = z.output<typeof Target>;
export type SimpleTargetT = z.output<typeof SimpleTarget>;
