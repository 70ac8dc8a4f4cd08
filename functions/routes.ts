import type { Role } from '#shared/auth/principal.ts';

/**
 * Every HTTP route of the platform, in one place. The CDK app creates one API Gateway route per entry (with the
 * JWT authorizer on every staff route) and one Lambda per `group`; the local stack serves the same table with the
 * same handlers. A group's handler module is `functions/<group>/handler.ts`, exporting `handler`.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: `{id}` for a parameter, `{proxy+}` for a greedy one. */
  path: string;
  group: RouteGroup;
  /** `public`, or the roles the authorizer admits (the handler checks them again). */
  auth: 'public' | readonly Role[];
}

export const ROUTE_GROUPS = [
  'health',
  'twilio-sms',
  'twilio-voice',
  'twilio-status',
  'gateway-sms',
  'kobo',
  'public-complaints',
  'cases',
  'live-calls',
  'reports',
  'classify',
  'admin',
  'openapi',
] as const;
export type RouteGroup = (typeof ROUTE_GROUPS)[number];

const STAFF = ['operator', 'officer', 'psea', 'manager', 'admin'] as const satisfies readonly Role[];
const CASE_READERS = ['operator', 'officer', 'psea', 'admin'] as const satisfies readonly Role[];
const CASE_WRITERS = ['officer', 'psea'] as const satisfies readonly Role[];
const REPORT_READERS = ['officer', 'psea', 'manager', 'admin'] as const satisfies readonly Role[];
const ADMIN = ['admin'] as const satisfies readonly Role[];

export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/health', group: 'health', auth: 'public' },

  { method: 'POST', path: '/webhooks/twilio/sms', group: 'twilio-sms', auth: 'public' },
  { method: 'POST', path: '/webhooks/twilio/voice', group: 'twilio-voice', auth: 'public' },
  { method: 'POST', path: '/webhooks/twilio/voice/{step}', group: 'twilio-voice', auth: 'public' },
  { method: 'POST', path: '/webhooks/twilio/status', group: 'twilio-status', auth: 'public' },
  { method: 'POST', path: '/webhooks/gateway/sms', group: 'gateway-sms', auth: 'public' },
  { method: 'POST', path: '/webhooks/kobo/submission', group: 'kobo', auth: 'public' },

  { method: 'POST', path: '/api/public/complaints', group: 'public-complaints', auth: 'public' },
  { method: 'GET', path: '/api/public/complaints/{reference}', group: 'public-complaints', auth: 'public' },
  { method: 'POST', path: '/api/public/complaints/status', group: 'public-complaints', auth: 'public' },

  { method: 'POST', path: '/api/cases', group: 'cases', auth: ['operator', 'officer'] },
  { method: 'GET', path: '/api/cases', group: 'cases', auth: CASE_READERS },
  { method: 'POST', path: '/api/cases/lookup', group: 'cases', auth: ['operator', 'officer', 'psea'] },
  { method: 'GET', path: '/api/cases/{id}', group: 'cases', auth: CASE_READERS },
  { method: 'PATCH', path: '/api/cases/{id}', group: 'cases', auth: CASE_WRITERS },
  { method: 'POST', path: '/api/cases/{id}/notes', group: 'cases', auth: ['operator', 'officer', 'psea'] },
  { method: 'POST', path: '/api/cases/{id}/transitions', group: 'cases', auth: CASE_WRITERS },
  { method: 'POST', path: '/api/cases/{id}/referral', group: 'cases', auth: CASE_WRITERS },
  { method: 'POST', path: '/api/cases/{id}/transfer', group: 'cases', auth: CASE_WRITERS },
  { method: 'POST', path: '/api/cases/{id}/break-glass', group: 'cases', auth: ADMIN },
  { method: 'GET', path: '/api/clusters', group: 'cases', auth: STAFF },
  { method: 'GET', path: '/api/clusters/{clusterId}', group: 'cases', auth: ['operator', 'officer', 'psea'] },
  { method: 'POST', path: '/api/clusters/{clusterId}/resolve', group: 'cases', auth: CASE_WRITERS },

  { method: 'GET', path: '/api/live-calls', group: 'live-calls', auth: ['operator', 'officer', 'psea'] },
  {
    method: 'POST',
    path: '/api/live-calls/{id}/complete',
    group: 'live-calls',
    auth: ['operator', 'officer', 'psea'],
  },

  { method: 'GET', path: '/api/reports/time-to-close', group: 'reports', auth: REPORT_READERS },
  { method: 'GET', path: '/api/reports/cases.csv', group: 'reports', auth: REPORT_READERS },
  { method: 'GET', path: '/api/reports/spikes', group: 'reports', auth: REPORT_READERS },

  { method: 'POST', path: '/api/classify', group: 'classify', auth: STAFF },

  { method: 'GET', path: '/api/admin/{proxy+}', group: 'admin', auth: ADMIN },
  { method: 'POST', path: '/api/admin/{proxy+}', group: 'admin', auth: ADMIN },
  { method: 'PUT', path: '/api/admin/{proxy+}', group: 'admin', auth: ADMIN },
  { method: 'DELETE', path: '/api/admin/{proxy+}', group: 'admin', auth: ADMIN },

  { method: 'GET', path: '/api/openapi.json', group: 'openapi', auth: 'public' },
];

/** Handlers that are not HTTP routes: the stream consumers, queue subscribers and scheduled jobs. */
export const WORKERS = {
  router: { kind: 'stream', handler: 'functions/router/handler.ts' },
  projector: { kind: 'stream', handler: 'functions/projector/handler.ts' },
  inbox: { kind: 'stream', handler: 'functions/sms-inbox/handler.ts' },
  'gateway-outbox': { kind: 'stream', handler: 'functions/gateway-outbox/handler.ts' },
  notifier: { kind: 'queue', handler: 'functions/notifier/handler.ts' },
  sweeper: { kind: 'schedule', handler: 'functions/sweeper/handler.ts', every: 'rate(5 minutes)' },
  retention: { kind: 'schedule', handler: 'functions/retention/handler.ts', every: 'rate(1 day)' },
} as const;

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;
