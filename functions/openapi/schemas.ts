import type { z } from 'zod';
import { ADMIN_ROUTES } from '../admin/spec.ts';
import { CASE_ROUTES, type RouteContract } from '../cases/schemas.ts';
import { ClassifyRequestSchema, ClassifyResponseSchema } from '../classify/schema.ts';
import { LIVE_CALL_ROUTES } from '../live-calls/schemas.ts';
import { REPORT_ROUTES } from '../reports/schemas.ts';

/**
 * Request and response schemas by route key (`POST /api/classify`), for the routes whose zod schemas can be
 * imported without pulling handler code into the OpenAPI function. A route missing here is still documented
 * (path, method, parameters, security), only without a body schema; a route group adds itself by exporting
 * its schemas from a side-effect-free module and listing them here.
 */
export interface RouteSchemas {
  summary?: string;
  body?: { schema: z.ZodType; contentType: 'application/json' | 'application/x-www-form-urlencoded' };
  response?: { status: number; schema?: z.ZodType };
}

export const ROUTE_SCHEMAS: Readonly<Record<string, RouteSchemas>> = {
  'POST /api/classify': {
    summary: 'Classify a text: language, type, category, sector, sensitivity, priority, evidence',
    body: { schema: ClassifyRequestSchema, contentType: 'application/json' },
    response: { status: 200, schema: ClassifyResponseSchema },
  },
};

/** The admin API's sub-routes, which API Gateway serves through one `/api/admin/{proxy+}` route per method. */
export const ADMIN_SUBROUTES = ADMIN_ROUTES.map((r) => ({
  method: r.method,
  path: `/api/admin/${r.path}`,
  schemas: {
    summary: r.summary,
    ...(r.body ? { body: { schema: r.body, contentType: 'application/json' as const } } : {}),
    response: { status: r.status, ...(r.response ? { schema: r.response } : {}) },
  } satisfies RouteSchemas,
}));

/** Routes whose handlers parse with a full contract (path, query, headers, body, every status they answer with). */
export const ROUTE_CONTRACTS: Readonly<Record<string, RouteContract>> = {
  ...CASE_ROUTES,
  ...LIVE_CALL_ROUTES,
  ...REPORT_ROUTES,
};
