import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Principal, Role } from '#shared/auth/principal.ts';
import { DomainError } from '#shared/errors/domain-error.ts';
import { requireRoles } from './auth.ts';
import { logger } from './logger.ts';
import { type BodyKind, parseBody, validate } from './request.ts';
import { errorBody, type HttpResult, json } from './responses.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * Maps errors to HTTP, registered last so it sees every failure. Domain errors answer with their own status, code
 * and message; anything else is logged (by name and stack only: messages may carry data) and answered with a fixed
 * 500 body.
 */
export const httpErrorHandler = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    const err = request.error;
    if (err instanceof DomainError) {
      if (err.status >= 500) logger.error('domain error', { code: err.code });
      request.response = json(err.status, errorBody(err.code, err.message, err.details));
      return;
    }
    logger.error('unhandled error', {
      code: 'HTTP.UNHANDLED',
      routeKey: request.event?.routeKey,
      errorName: err instanceof Error ? err.name : typeof err,
      stack: err instanceof Error ? err.stack?.split('\n').slice(1, 8).join('\n') : undefined,
    });
    request.response = json(500, errorBody('INTERNAL', 'Something went wrong on our side; try again later.'));
  },
});

export interface RouteRequest<T> {
  /** The validated input: `{ body, path, query, headers }` as the route's schema shaped it. */
  input: T;
  principal: Principal | undefined;
  event: HttpEvent;
}

export interface RouteOptions<S extends z.ZodType> {
  /** `public`, or the roles allowed (checked here as well as by the API's authorizer). */
  auth: 'public' | readonly Role[];
  /** One schema over `{ body, path, query, headers }`. */
  schema: S;
  /** Body encodings accepted; none means the route takes no body. */
  accepts?: readonly BodyKind[];
  bodyLimit?: number;
}

/**
 * The shared middy stack for an HTTP route: authorisation, body decoding, one zod parse, then the use-case.
 * The route file supplies only the schema and a function from validated input to a response.
 */
export function httpRoute<S extends z.ZodType>(
  options: RouteOptions<S>,
  run: (req: RouteRequest<z.output<S>>) => Promise<HttpResult>,
): HttpHandler {
  const base = async (event: HttpEvent): Promise<HttpResult> => {
    const principal = options.auth === 'public' ? undefined : requireRoles(event, options.auth);
    const body = options.accepts?.length ? parseBody(event, options.accepts, options.bodyLimit) : undefined;
    const input = validate(options.schema, {
      body,
      path: event.pathParameters ?? {},
      query: event.queryStringParameters ?? {},
      headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    });
    return run({ input, principal, event });
  };
  return middy<HttpEvent, HttpResult>(base).use(httpErrorHandler()) as unknown as HttpHandler;
}

/** A Lambda entry serving several routes: dispatches on API Gateway's `routeKey` ("POST /api/cases"). */
export function routeGroup(routes: Record<string, HttpHandler>): HttpHandler {
  return async (event, context) => {
    const route = routes[event.routeKey];
    if (!route) return json(404, errorBody('ROUTE.NOT_FOUND', 'No such route.'));
    return route(event, context);
  };
}
