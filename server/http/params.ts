// Query parameters shared by the read routes, as zod schemas: validated on
// every request and emitted into the OpenAPI document from the same objects.

import { z } from 'zod';
import { INDICATOR_BY_ID } from '../../metrics/catalogue/index.ts';
import { DEFAULT_PLAN } from '../../metrics/plans/default.ts';
import { PRESETS } from '../../metrics/plans/load.ts';


export const plan = z
  .enum(PRESETS, { message: `应为预设计划之一 (one of ${PRESETS.join(', ')})` })
  .default(DEFAULT_PLAN)
  .describe('计划 plan preset id');
export const period = z
  .string()
  .regex(/^\d{4}Q[1-4]$/, '应为 YYYYQn，如 2016Q4 (expected YYYYQn, e.g. 2016Q4)')
  .describe('报告期 report period; default: the latest period with data');
export const level = z
  .enum(['community', 'street', 'district'], { message: '应为 community、street 或 district (one of community, street, district)' })
  .default('community')
  .describe('层级 level');
export const street = z.string().regex(/^\d{9}$/, '应为 9 位街道区划代码 (expected a 9-digit street code)').describe('街道 street filter');
export const unitCode = z
  .string()
  .regex(/^\d{6}(\d{3}(\d{3})?)?$/, '应为 6、9 或 12 位区划代码 (expected a 6, 9 or 12-digit org unit code)')
  .describe('单位代码 org unit code');
export const areaType = z.enum(['urban', 'rural'], { message: '应为 urban 或 rural (urban or rural)' }).describe('城乡类型 area type');
export const indicator = z
  .string()
  .refine((s) => INDICATOR_BY_ID.has(s), '不是已知指标 (unknown indicator id)')
  .describe('指标代码 indicator id');
export const format = z
  .enum(['json', 'csv', 'xlsx'], { message: '应为 json、csv 或 xlsx (json, csv or xlsx)' })
  .default('json')
  .describe('输出格式 output format (csv: UTF-8 with BOM)');

/** Paging of a ranked table. */
export const limit = z.coerce
  .number({ message: '应为 1 到 100000 的整数 (an integer from 1 to 100000)' })
  .int('应为整数 (an integer)')
  .min(1, '至少为 1 (at least 1)')
  .max(100_000, '至多 100000 (at most 100000)')
  .optional()
  .describe('每页行数 rows per page (default: all)');
export const offset = z.coerce
  .number({ message: '应为非负整数 (a non-negative integer)' })
  .int('应为整数 (an integer)')
  .min(0, '不能为负 (not negative)')
  .default(0)
  .describe('跳过的行数 rows to skip');

/** Rows as objects (default) or as one array per field. */
export const shape = z
  .enum(['rows', 'columns'], { message: '应为 rows 或 columns (rows or columns)' })
  .default('rows')
  .describe('数据形状 rows (objects) or columns (one array per field)');

/** The filters of every per-unit table. */
export const tableQuery = {
  plan,
  period: period.optional(),
  level,
  street: street.optional(),
  unit: unitCode.optional(),
  area_type: areaType.optional(),
  format,
};
