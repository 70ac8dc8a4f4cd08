import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpResult } from '#functions/lib/responses.ts';
import { lambdaContext } from '#local/lambda-context.ts';

/** An API Gateway (HTTP API, payload 2.0) event as the JWT authorizer hands it over for `roles`. */
export function apiEvent(
  method: string,
  path: string,
  options: {
    routePath?: string;
    body?: unknown;
    rawBody?: string;
    roles?: string[];
    pathParameters?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const routePath = options.routePath ?? path;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath: path,
    rawQueryString: '',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req',
      routeKey: `${method} ${routePath}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.roles
        ? {
            authorizer: {
              jwt: { claims: { sub: 'u-test', 'cognito:groups': options.roles.join(' ') }, scopes: [] },
            },
          }
        : {}),
    },
  } as unknown as APIGatewayProxyEventV2;
}

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** Calls a handler and reads its answer. */
export async function call(handler: Handler, event: APIGatewayProxyEventV2) {
  const res = (await handler(event, lambdaContext('test'))) as HttpResult;
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as unknown) : undefined };
}

/** A request to `/api/admin/<sub>` as API Gateway routes it (`{proxy+}`). */
export const adminEvent = (
  method: string,
  sub: string,
  options: { body?: unknown; rawBody?: string; roles?: string[] } = {},
) =>
  apiEvent(method, `/api/admin/${sub}`, {
    ...options,
    roles: options.roles ?? ['admin'],
    routePath: '/api/admin/{proxy+}',
    pathParameters: { proxy: sub },
  });
