import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { expect } from 'vitest';
import { handler as casesHandler } from '#functions/cases/handler.ts';
import type { Platform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { asDeliveredToQueue } from '#local/sns-delivery.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { defaultConfig, seedDefaults } from '#shared/config/defaults.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them
export type Json = any;

export interface Claims {
  sub: string;
  'cognito:groups': string;
  'custom:governorates'?: string;
  'custom:programmes'?: string;
  'custom:focalPointId'?: string;
}

/** Staff users as the JWT authorizer would describe them. */
export const USERS = {
  operator: { sub: 'u-operator', 'cognito:groups': '[operator]' },
  officer: {
    sub: 'u-officer',
    'cognito:groups': '[officer]',
    'custom:focalPointId': 'accountability-officer',
  },
  officerNinewa: { sub: 'u-officer-ninewa', 'cognito:groups': '[officer]', 'custom:governorates': 'IQG15' },
  fraudOfficer: {
    sub: 'u-fraud',
    'cognito:groups': '[officer]',
    'custom:focalPointId': 'misconduct-focal-point',
  },
  psea: { sub: 'u-psea', 'cognito:groups': '[psea]', 'custom:focalPointId': 'psea-focal-point' },
  manager: { sub: 'u-manager', 'cognito:groups': '[manager]' },
  admin: { sub: 'u-admin', 'cognito:groups': '[admin]' },
} satisfies Record<string, Claims>;
export type UserName = keyof typeof USERS;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** Calls a route-group handler with the API Gateway v2 event for `method path` (path parameters filled in). */
export async function call(
  handler: Handler,
  routeKey: string,
  options: {
    user?: UserName;
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; headers: Record<string, string>; body: string; json: () => Json }> {
  const [method, pathTemplate] = routeKey.split(' ') as [string, string];
  const path = pathTemplate.replace(/\{(\w+)\+?\}/g, (_, k: string) => options.params?.[k] ?? '');
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const event = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    ...(options.body !== undefined
      ? { body: JSON.stringify(options.body), isBase64Encoded: false }
      : { isBase64Encoded: false }),
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      routeKey,
      ...(options.user ? { authorizer: { jwt: { claims: USERS[options.user], scopes: [] } } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2;
  const res = (await handler(event, {} as Context)) as HttpResult;
  return {
    status: res.statusCode,
    headers: (res.headers ?? {}) as Record<string, string>,
    body: res.body,
    json: () => JSON.parse(res.body),
  };
}

/** Seeds the default configuration (focal points, rules, SLA policies, calendar) into the platform's table. */
export async function seedConfig(platform: Platform): Promise<void> {
  await seedDefaults(makeConfigStore({ db: platform.db, tableName: platform.tableName }), defaultConfig());
}

/** A queue that receives every message published on the topic (raw), to see what was sent. */
export async function observeTopic(messaging: LocalMessaging, name: string) {
  const q = messaging.inboxQueue(name);
  await messaging.sns.subscribe(messaging.topicArn, 'sqs', q.arn, { RawMessageDelivery: 'true' });
  return {
    async drain(waitSeconds = 1): Promise<{ body: Json; attributes: Record<string, string> }[]> {
      const out: { body: Json; attributes: Record<string, string> }[] = [];
      for (let i = 0; i < 5; i++) {
        const batch = await messaging.sqs.receive(q.url, 10, i === 0 ? waitSeconds : 0);
        if (batch.length === 0) break;
        for (const m of batch) {
          out.push({
            // As SNS delivers to a queue: a message published with texts per protocol arrives as its `default`.
            body: JSON.parse(asDeliveredToQueue(m.Body)),
            attributes: Object.fromEntries(
              Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
            ),
          });
          await messaging.sqs.delete(q.url, m.ReceiptHandle);
        }
      }
      return out;
    },
  };
}

/** Every page of a list, in order; also the access path each page was served by. */
export async function listAll(user: UserName, query: Record<string, string>) {
  const ids: string[] = [];
  const servedBy = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await call(casesHandler, 'GET /api/cases', {
      user,
      query: { ...query, ...(cursor ? { cursor } : {}) },
    });
    expect(r.status).toBe(200);
    ids.push(...r.json().items.map((i: { caseId: string }) => i.caseId));
    servedBy.add(r.json().servedBy);
    cursor = r.json().cursor;
    pages++;
  } while (cursor && pages < 40);
  expect(cursor).toBeUndefined();
  return { ids, servedBy, pages };
}

/**
 * Seeds a web case moved straight to `status`, with a working-time SLA clock due at `due` (acknowledge and
 * resolve alike); a resolved or closed one was resolved (and closed) at `done`. Returns its id.
 */
export async function seedDueCase(
  platform: Platform,
  s: {
    key: string;
    narrative: string;
    status: Case['status'];
    category: Case['category'];
    due: string;
    done: string;
    restricted?: boolean;
    waiting?: boolean;
    governorate?: string;
  },
): Promise<string> {
  const { case: c } = await platform.cases.create({
    channel: 'web',
    idempotencyKey: s.key,
    narrative: s.narrative,
    language: 'en',
    category: s.category,
    sensitivity: s.restricted ? 'S3' : 'S0',
    createdBy: { kind: 'complainant' },
  });
  await platform.cases.mutate(c.caseId, undefined, (cur) => ({
    next: {
      ...cur,
      status: s.status,
      ...(s.governorate ? { location: { governorate: s.governorate } } : {}),
      sla: {
        policyId: 'complaint',
        clock: 'working',
        acknowledgeBy: s.due,
        resolveBy: s.due,
        pausedMs: 0,
        escalated: [],
        warned: [],
      },
      ...(s.waiting ? { waitingOn: 'complainant', waitingSince: s.done } : {}),
      ...(s.status === 'resolved' || s.status === 'closed' ? { resolvedAt: s.done } : {}),
      ...(s.status === 'closed' ? { closedAt: s.done } : {}),
    },
    events: [],
  }));
  return c.caseId;
}
