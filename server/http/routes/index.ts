// Every route declaration of /api/v1, in one list: mounted by app.ts and
// emitted by openapi.ts from the same objects.

import { z } from 'zod';
import { healthRoutes } from '../health.ts';
import { openapiDocument } from '../openapi.ts';
import { type RouteDef, route } from '../route.ts';
import { accountsRoutes } from './accounts.ts';
import { auditRoutes } from './audit.ts';
import { batchesRoutes } from './batches.ts';
import { lineageRoutes } from './lineage.ts';
import { plansRoutes } from './plans.ts';
import { progressRoutes } from './progress.ts';
import { qualityRoutes } from './quality.ts';
import { scoresRoutes } from './scores.ts';
import { seriesRoutes } from './series.ts';
import { sessionRoutes } from './session.ts';
import { unitsRoutes } from './units.ts';
import { uploadsRoutes } from './uploads.ts';
import { valuesRoutes } from './values.ts';

const base: RouteDef[] = [
  ...healthRoutes,
  ...sessionRoutes,
  ...unitsRoutes,
  ...plansRoutes,
  ...batchesRoutes,
  ...valuesRoutes,
  ...scoresRoutes,
  ...progressRoutes,
  ...seriesRoutes,
  ...qualityRoutes,
  ...lineageRoutes,
  ...uploadsRoutes,
  ...accountsRoutes,
  ...auditRoutes,
];

let doc: unknown = null;

export const ROUTES: RouteDef[] = [
  ...base,
  route({
    method: 'get',
    path: '/api/v1/openapi.json',
    tag: 'meta',
    summary: 'OpenAPI 文档 This document',
    perm: 'public',
    query: z.object({}).strict(),
    returns: 'OpenAPI 3.1 document',
    async handler() {
      doc ??= openapiDocument(ROUTES);
      return { body: doc };
    },
  }),
];
