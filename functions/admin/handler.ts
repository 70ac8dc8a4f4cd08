import * as z from 'zod';
import type { Principal } from '#shared/auth/principal.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { type HttpEvent, type HttpHandler, httpRoute } from '../lib/http-route.ts';
import { getPlatform, type Platform } from '../lib/platform.ts';
import { errorBody, type HttpResult, json } from '../lib/responses.ts';
import { type ConfigAdmin, makeConfigAdmin } from './config-admin.ts';
import { ADMIN_ROUTES, type AdminOperation, type AdminRoute, IdParam, matchAdminRoute } from './spec.ts';
import { userDirectory } from './users.ts';

const ADMIN = ['admin'] as const;
const admins = new WeakMap<Platform, ConfigAdmin>();
async function admin(): Promise<ConfigAdmin> {
  const platform = await getPlatform();
  let a = admins.get(platform);
  if (!a) {
    a = makeConfigAdmin(platform);
    admins.set(platform, a);
  }
  return a;
}

type Input = {
  body?: Record<string, unknown>;
  path: { id?: string };
  query?: Record<string, unknown>;
  /** The admin making the change, for the audit trail. */
  who: Principal;
};
type Operation = (input: Input) => Promise<unknown>;
const id = (input: Input) => input.path.id as string;

const OPERATIONS: Record<AdminOperation, Operation> = {
  listFocalPoints: async () => (await admin()).focalPoints.list(),
  createFocalPoint: async (i) => (await admin()).focalPoints.create(i.body ?? {}),
  getFocalPoint: async (i) => (await admin()).focalPoints.get(id(i)),
  updateFocalPoint: async (i) => (await admin()).focalPoints.update(id(i), i.body ?? {}),
  deleteFocalPoint: async (i) => (await admin()).focalPoints.delete(id(i)),
  listRoutingRules: async () => (await admin()).routingRules.list(),
  createRoutingRule: async (i) => (await admin()).routingRules.create(i.body ?? {}),
  getRoutingRule: async (i) => (await admin()).routingRules.get(id(i)),
  updateRoutingRule: async (i) => (await admin()).routingRules.update(id(i), i.body ?? {}),
  deleteRoutingRule: async (i) => (await admin()).routingRules.delete(id(i)),
  listSlaPolicies: async () => (await admin()).slaPolicies.list(),
  createSlaPolicy: async (i) => (await admin()).slaPolicies.create(i.body ?? {}),
  getSlaPolicy: async (i) => (await admin()).slaPolicies.get(id(i)),
  updateSlaPolicy: async (i) => (await admin()).slaPolicies.update(id(i), i.body ?? {}),
  deleteSlaPolicy: async (i) => (await admin()).slaPolicies.delete(id(i)),
  listPartners: async () => (await admin()).partners.list(),
  createPartner: async (i) => (await admin()).partners.create(i.body ?? {}),
  getPartner: async (i) => (await admin()).partners.get(id(i)),
  updatePartner: async (i) => (await admin()).partners.update(id(i), i.body ?? {}),
  deletePartner: async (i) => (await admin()).partners.delete(id(i)),
  listAudit: async (i) => (await admin()).audit.list(i.query ?? {}),
  listRoster: async () => (await admin()).roster.list(),
  createRosterOperator: async (i) => (await admin()).roster.create(i.who, i.body ?? {}),
  getRosterOperator: async (i) => (await admin()).roster.get(id(i)),
  updateRosterOperator: async (i) => (await admin()).roster.update(i.who, id(i), i.body ?? {}),
  deleteRosterOperator: async (i) => (await admin()).roster.delete(i.who, id(i)),
  getCalendar: async () => (await admin()).calendar.get(),
  putCalendar: async (i) => (await admin()).calendar.put(i.body ?? {}),
  getIvrPrompts: async () => (await admin()).ivrPrompts.get(),
  putIvrPrompts: async (i) => (await admin()).ivrPrompts.put(i.body ?? {}),
  listUsers: async () => {
    const directory = userDirectory();
    if (!directory) {
      throw new RequestError(
        501,
        'ADMIN.USERS_NOT_AVAILABLE',
        'Users are listed only in the local stack; in AWS manage them in the Cognito user pool.',
      );
    }
    return { items: await directory() };
  },
};

const noContent = (): HttpResult => ({
  statusCode: 204,
  headers: { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
  body: '',
});

/** One route of the table: admin role, a JSON object body where the route takes one, the id checked. */
function routeHandler(route: AdminRoute): HttpHandler {
  const schema = z.object({
    body: route.body ? z.record(z.string(), z.unknown()) : z.undefined(),
    path: z.object({ id: route.path.includes('{id}') ? IdParam : IdParam.optional() }),
    // Only the routes that read a query string check one; the others ignore what they are sent, as before.
    ...(route.query ? { query: route.query } : {}),
  });
  return httpRoute(
    { auth: ADMIN, schema, accepts: route.body ? ['json'] : undefined },
    async ({ input, principal }) => {
      const result = await OPERATIONS[route.operation]({
        ...(input as Omit<Input, 'who'>),
        who: principal as Principal,
      });
      return route.status === 204 ? noContent() : json(route.status, result);
    },
  );
}

/** Answers what matched nothing, after the same role check as every admin route. */
const fallback = (status: 404 | 405, code: string, message: string): HttpHandler =>
  httpRoute({ auth: ADMIN, schema: z.unknown() }, async () => json(status, errorBody(code, message)));

const HANDLERS = new Map(ADMIN_ROUTES.map((r) => [r, routeHandler(r)]));
const NOT_FOUND = fallback(404, 'ROUTE.NOT_FOUND', 'No such route.');
const NOT_ALLOWED = fallback(405, 'ROUTE.METHOD_NOT_ALLOWED', 'This path does not take that method.');

/** `/api/admin/{proxy+}`: focal points, routing rules, SLA policies, the calendar, IVR prompts and users (role admin). */
export const handler: HttpHandler = async (event: HttpEvent, context) => {
  const method = event.requestContext?.http?.method ?? event.routeKey.split(' ')[0] ?? '';
  const subPath = event.pathParameters?.proxy ?? (event.rawPath ?? '').replace(/^\/api\/admin\/?/, '');
  const match = matchAdminRoute(method, subPath);
  if (match === undefined) return NOT_FOUND(event, context);
  if (match === 'method-not-allowed') return NOT_ALLOWED(event, context);
  const routed: HttpEvent = { ...event, pathParameters: match.id === undefined ? {} : { id: match.id } };
  return (HANDLERS.get(match.route) as HttpHandler)(routed, context);
};
