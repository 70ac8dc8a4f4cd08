import * as z from 'zod';
import { AuditEntrySchema } from '#shared/audit/audit-trail.ts';
import {
  AgencySchema,
  CalendarSchema,
  ConfigId,
  FocalPointSchema,
  PartnerSchema,
  RoutingRuleSchema,
  SlaPolicySchema,
} from '#shared/config/schemas.ts';
import { IvrPromptsOverride } from '#shared/intake/ivr-prompts.ts';
import { RosterOperatorSchema } from '#shared/roster/roster.ts';
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
  | 'getIvrPrompts'
  | 'putIvrPrompts'
  | 'listUsers'
  | 'listPartners'
  | 'createPartner'
  | 'getPartner'
  | 'updatePartner'
  | 'deletePartner'
  | 'listAudit'
  | 'listRoster'
  | 'createRosterOperator'
  | 'getRosterOperator'
  | 'updateRosterOperator'
  | 'deleteRosterOperator'
  | 'listAgencies'
  | 'createAgency'
  | 'getAgency'
  | 'updateAgency';

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below `/api/admin/`; `{id}` is the record's id. */
  path: string;
  operation: AdminOperation;
  summary: string;
  /** The request body (PUT bodies may leave the id out: the path's is used). */
  body?: z.ZodType;
  /** The query string, for the routes that take one. */
  query?: z.ZodType;
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
/**
 * A configuration problem an admin should see but that does not block the change (the API flags it rather than
 * refusing it): in AWS the API cannot see who holds a focal point (users live in Cognito), so it cannot refuse.
 */
export const ConfigWarningSchema = z.object({
  code: z.enum(['ADMIN.FOCAL_POINT_WITHOUT_MEMBERS', 'ADMIN.RULE_TO_FOCAL_POINT_WITHOUT_MEMBERS']),
  focalPointId: z.string(),
  ruleId: z.string().optional(),
  message: z.string(),
});
export const FocalPointViewSchema = z.object({
  focalPoint: FocalPointSchema,
  subscription: SubscriptionViewSchema.nullable(),
  /** The staff users who hold this focal point; null where the API cannot list users (AWS: Cognito). */
  members: z.array(z.object({ userId: z.string(), name: z.string() })).nullable(),
  /** Routing rules that send cases here. */
  routedBy: z.array(z.string()),
  warnings: z.array(ConfigWarningSchema),
});
export const RoutingRuleViewSchema = RoutingRuleSchema.and(
  z.object({ warnings: z.array(ConfigWarningSchema) }),
);

/** The audit trail's query: one case, one user (or both), else one day, newest first. */
export const AuditQuerySchema = z.strictObject({
  caseId: z
    .string()
    .regex(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/, 'must be a case id such as K7MQ-4XZ9')
    .optional(),
  userId: z.string().min(1).max(128).optional(),
  date: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(2000).optional(),
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
  ...crud(
    'routing-rules',
    'routing rule',
    RoutingRuleSchema,
    ['listRoutingRules', 'createRoutingRule', 'getRoutingRule', 'updateRoutingRule', 'deleteRoutingRule'],
    RoutingRuleViewSchema,
  ),
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
    path: 'ivr-prompts',
    operation: 'getIvrPrompts',
    summary: "Read the hotline prompts' override (what differs from the built-in prompts, per language)",
    response: IvrPromptsOverride,
    status: 200,
  },
  {
    method: 'PUT',
    path: 'ivr-prompts',
    operation: 'putIvrPrompts',
    summary:
      "Replace the hotline prompts' override. Public numbers go in as [ ... {sms} ... ] ({sms}, {hotline}, {whatsapp}): said where the stage has the number, left out where not. 400 IVR.PROMPT_UNKNOWN_PLACEHOLDER, IVR.PROMPT_NUMBER_NOT_OPTIONAL or IVR.PROMPT_TEMPLATE_INVALID for a bad placeholder",
    body: IvrPromptsOverride,
    response: IvrPromptsOverride,
    status: 200,
  },
  ...crud('partners', 'referral partner', PartnerSchema, [
    'listPartners',
    'createPartner',
    'getPartner',
    'updatePartner',
    'deletePartner',
  ]),
  ...crud('roster', 'hotline operator', RosterOperatorSchema, [
    'listRoster',
    'createRosterOperator',
    'getRosterOperator',
    'updateRosterOperator',
    'deleteRosterOperator',
  ]),
  // Agencies are deactivated (`active: false`), never deleted: the jobs keep reading their cases' partitions.
  ...crud('agencies', 'agency', AgencySchema, [
    'listAgencies',
    'createAgency',
    'getAgency',
    'updateAgency',
    'updateAgency',
  ]).filter((r) => r.method !== 'DELETE'),
  {
    method: 'GET',
    path: 'audit',
    operation: 'listAudit',
    summary:
      'Read the audit trail (who saw or changed which cases, break-glass with its reason), newest first: by case, by user, or by day',
    query: AuditQuerySchema,
    response: z.object({ items: z.array(AuditEntrySchema), cursor: z.string().optional() }),
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
