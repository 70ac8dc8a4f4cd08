import * as z from 'zod';
import {
  CalendarSchema,
  ConfigId,
  FocalPointSchema,
  RoutingRuleSchema,
  SlaPolicySchema,
} from '#shared/config/schemas.ts';
import { StaffUserSchema } from './users.ts';

/**
 * The admin API under `/api/admin/` (one API Gateway route, `{proxy+}`, per method): what each sub-route takes
 * and returns. The handler dispatches on this table and the OpenAPI document is generated from it.
 */
export type AdminOperation =
  | 'listFocalPoints'
  | 'createFocalPoint'
  | 'getFocalPoint'
  | 'updateFocalPoint'
  | 'deleteFocalPoint'
  | 'listRoutingRules'
  | 'createRoutingRule'
  | 'getRoutingRule'
  | 'updateRoutingRule'
  | 'deleteRoutingRule'
  | 'listSlaPolicies'
  | 'createSlaPolicy'
  | 'getSlaPolicy'
  | 'updateSlaPolicy'
  | 'deleteSlaPolicy'
  | 'getCalendar'
  | 'putCalendar'
  | 'listUsers';

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below `/api/admin/`; `{id}` is the record's id. */
  path: string;
  operation: AdminOperation;
  summary: string;
  /** The request body (PUT bodies may leave the id out: the path's is used). */
  body?: z.ZodType;
  response?: z.ZodType;
  status: 200 | 201 | 204;
}

/** The subscription that delivers a focal point's notifications, as the API shows it. */
export const SubscriptionViewSchema = z.object({
  subscriptionArn: z.string(),
  protocol: z.string(),
  endpoint: z.string(),
  filterPolicy: z.string(),
});
export const FocalPointViewSchema = z.object({
  focalPoint: FocalPointSchema,
  subscription: SubscriptionViewSchema.nullable(),
});

export const IdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be an id such as fp-ninewa');
export { ConfigId };

const crud = (
  resource: string,
  noun: string,
  schema: z.ZodType,
  ops: [AdminOperation, AdminOperation, AdminOperation, AdminOperation, AdminOperation],
  view: z.ZodType = schema,
): AdminRoute[] => [
  {
    method: 'GET',
    path: resource,
    operation: ops[0],
    summary: `List ${noun}s`,
    response: z.object({ items: z.array(view) }),
    status: 200,
  },
  {
    method: 'POST',
    path: resource,
    operation: ops[1],
    summary: `Create a ${noun}`,
    body: schema,
    response: view,
    status: 201,
  },
  {
    method: 'GET',
    path: `${resource}/{id}`,
    operation: ops[2],
    summary: `Read a ${noun}`,
    response: view,
    status: 200,
  },
  {
    method: 'PUT',
    path: `${resource}/{id}`,
    operation: ops[3],
    summary: `Replace a ${noun}`,
    body: schema,
    response: view,
    status: 200,
  },
  { method: 'DELETE', path: `${resource}/{id}`, operation: ops[4], summary: `Delete a ${noun}`, status: 204 },
];

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...crud(
    'focal-points',
    'focal point',
    FocalPointSchema,
    ['listFocalPoints', 'createFocalPoint', 'getFocalPoint', 'updateFocalPoint', 'deleteFocalPoint'],
    FocalPointViewSchema,
  ),
  ...crud('routing-rules', 'routing rule', RoutingRuleSchema, [
    'listRoutingRules',
    'createRoutingRule',
    'getRoutingRule',
    'updateRoutingRule',
    'deleteRoutingRule',
  ]),
  ...crud('sla-policies', 'SLA policy', SlaPolicySchema, [
    'listSlaPolicies',
    'createSlaPolicy',
    'getSlaPolicy',
    'updateSlaPolicy',
    'deleteSlaPolicy',
  ]),
  {
    method: 'GET',
    path: 'calendar',
    operation: 'getCalendar',
    summary: 'Read the working calendar (Iraq) with its holidays',
    response: CalendarSchema,
    status: 200,
  },
  {
    method: 'PUT',
    path: 'calendar',
    operation: 'putCalendar',
    summary: 'Replace the working calendar (Iraq) with its holidays',
    body: CalendarSchema,
    response: CalendarSchema,
    status: 200,
  },
  {
    method: 'GET',
    path: 'users',
    operation: 'listUsers',
    summary: 'List staff users (local stack only; 501 ADMIN.USERS_NOT_AVAILABLE in AWS)',
    response: z.object({ items: z.array(StaffUserSchema) }),
    status: 200,
  },
];

/** Matches a path below `/api/admin/` against the table: the route and its id, or why none matched. */
export function matchAdminRoute(
  method: string,
  subPath: string,
): { route: AdminRoute; id?: string } | 'method-not-allowed' | undefined {
  const parts = subPath.replace(/^\/+|\/+$/g, '').split('/');
  let pathMatched = false;
  for (const route of ADMIN_ROUTES) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    let id: string | undefined;
    const ok = pattern.every((seg, i) => {
      if (seg === '{id}') {
        id = decodeURIComponent(parts[i] ?? '');
        return id !== '';
      }
      return seg === parts[i];
    });
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return id === undefined ? { route } : { route, id };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}
