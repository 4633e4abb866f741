// The OpenAPI 3.1 document, generated from the same route declarations that
// are mounted (zod schemas -> JSON Schema), so the two cannot drift.

import { z } from 'zod';
import type { RouteDef } from './route.ts';

const toSchema = (s: z.ZodType) => {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** Express `/a/:id/b` -> OpenAPI `/a/{id}/b`. */
export const openapiPath = (p: string) => p.replace(/:([A-Za-z_]+)/g, '{$1}');

function parameters(def: RouteDef) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [
    ['path', def.params],
    ['query', def.query],
  ] as const) {
    if (!schema) continue;
    const js = toSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      const { description, ...sch } = prop;
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name) && !('default' in prop), description, schema: sch });
    }
  }
  return out;
}

export function openapiDocument(defs: RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of defs) {
    const key = openapiPath(d.path);
    paths[key] ??= {};
    const p = paths[key];
    const responses: Record<string, unknown> = {
      '200': {
        description: d.returns,
        content: {
          'application/json': { schema: { type: 'object' } },
          ...(d.arrow ? { 'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } } } : {}),
        },
      },
      '400': { description: '参数无效 bad parameter: { error: "BAD_PARAMETER", message, param }' },
      ...(d.perm !== 'public' ? { '401': { description: '未登录 login required' }, '403': { description: '无权访问或超出范围 forbidden / outside scope / CSRF' } } : {}),
      ...(d.cache ? { '304': { description: '未修改 not modified (If-None-Match matched the ETag)' } } : {}),
    };
    p[d.method] = {
      tags: [d.tag],
      summary: d.summary,
      operationId: `${d.method}_${d.path.replace(/^\/api\/v1\//, '').replace(/[/:]+/g, '_')}`,
      'x-permission': d.perm,
      parameters: parameters(d),
      ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(d.body) } } } } : {}),
      ...(d.path === '/api/v1/uploads' && d.method === 'post'
        ? {
            requestBody: {
              required: true,
              content: { 'multipart/form-data': { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } } } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '三社联动评估看板 API · Sanshe evaluation dashboard',
      version: '1',
      description:
        'JSON under /api/v1. Session cookie `sanshe_sid`; state-changing requests need header `X-CSRF-Token` (from GET /api/v1/session). ' +
        'Errors: { error, message (中文 + English), param? }. Tables accept format=csv|xlsx.',
    },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sanshe_sid' } } },
    security: [{ session: [] }],
    paths,
  };
}
