import * as z from 'zod';
import { agencyOf, DEFAULT_AGENCY } from '#shared/agencies/agency-id.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { ForbiddenError, NotFoundError, RequestError } from '#shared/errors/domain-error.ts';
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
  listAgencies: async () => (await admin()).agencies.list(),
  createAgency: async (i) => (await admin()).agencies.create(i.body ?? {}),
  getAgency: async (i) => (await admin()).agencies.get(id(i)),
  updateAgency: async (i) => (await admin()).agencies.update(id(i), i.body ?? {}),
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

/**
 * An agency's own administrator (`custom:agency` naming an agency other than the default one) keeps that agency's
 * focal points and routing rules and reads its agency record; the rest of the admin API (SLA policies, calendar,
 * prompts, partners, roster, audit, users, agencies) is the deployment's, for the default agency's administrators
 * and the deployment-wide ones (`*`), as in a deployment without agencies.
 */
const AGENCY_SCOPED: Partial<Record<AdminOperation, 'list' | 'get' | 'write' | 'create'>> = {
  listFocalPoints: 'list',
  createFocalPoint: 'create',
  getFocalPoint: 'get',
  updateFocalPoint: 'write',
  deleteFocalPoint: 'write',
  listRoutingRules: 'list',
  createRoutingRule: 'create',
  getRoutingRule: 'get',
  updateRoutingRule: 'write',
  deleteRoutingRule: 'write',
  listAgencies: 'list',
  getAgency: 'get',
};
const GET_OF: Partial<Record<AdminOperation, AdminOperation>> = {
  updateFocalPoint: 'getFocalPoint',
  deleteFocalPoint: 'getFocalPoint',
  updateRoutingRule: 'getRoutingRule',
  deleteRoutingRule: 'getRoutingRule',
};

const isAgencyAdmin = (p: Principal): boolean => !p.allAgencies && p.agency !== DEFAULT_AGENCY;

/** The agency a record (or its admin view) belongs to: focal points come wrapped with their subscription. */
const recordAgency = (r: unknown): string => {
  const o = (r ?? {}) as { focalPoint?: { agency?: string }; agency?: string; agencyId?: string };
  return o.agencyId ?? agencyOf(o.focalPoint ?? o);
};

async function runScoped(operation: AdminOperation, input: Input): Promise<unknown> {
  const run = OPERATIONS[operation];
  const p = input.who;
  if (!isAgencyAdmin(p)) return run(input);
  const kind = AGENCY_SCOPED[operation];
  if (!kind)
    throw new ForbiddenError('An agency’s administrator manages only its focal points and routing rules.');
  const own = (r: unknown) => recordAgency(r) === p.agency;
  if (kind === 'list') {
    const listed = (await run(input)) as { items: unknown[] };
    return { ...listed, items: listed.items.filter(own) };
  }
  if (kind === 'get') {
    const found = await run(input);
    if (!own(found)) throw new NotFoundError('CONFIG.NOT_FOUND', 'No such record.');
    return found;
  }
  // A record of another agency does not exist for this administrator; a new or replaced one is always its own.
  const getter = GET_OF[operation];
  if (getter && !own(await OPERATIONS[getter](input))) {
    throw new NotFoundError('CONFIG.NOT_FOUND', 'No such record.');
  }
  if (input.body && input.body.agency !== undefined && input.body.agency !== p.agency) {
    throw new ForbiddenError('An agency’s administrator keeps only its own agency’s records.');
  }
  return run(input.body ? { ...input, body: { ...input.body, agency: p.agency } } : input);
}

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
      const result = await runScoped(route.operation, {
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
