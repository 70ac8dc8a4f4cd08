import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROUTES, type RouteSpec, routeKey } from '#functions/routes.ts';
import type { Claims } from './jwt.ts';

/** A route of the table with its path template compiled to a matcher. */
export interface CompiledRoute {
  spec: RouteSpec;
  key: string;
  pattern: RegExp;
  params: string[];
}

export function compileRoutes(routes: readonly RouteSpec[] = ROUTES): CompiledRoute[] {
  return routes.map((spec) => {
    const params: string[] = [];
    const source = spec.path
      .split('/')
      .map((part) => {
        const greedy = /^\{(\w+)\+\}$/.exec(part);
        if (greedy?.[1]) {
          params.push(greedy[1]);
          return '(.+)';
        }
        const param = /^\{(\w+)\}$/.exec(part);
        if (param?.[1]) {
          params.push(param[1]);
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { spec, key: routeKey(spec), pattern: new RegExp(`^${source}$`), params };
  });
}

export interface RouteMatch {
  route: CompiledRoute;
  pathParameters: Record<string, string>;
}

/** API Gateway's choice: the route whose method and path match; literal routes win over parameterised ones. */
export function matchRoute(
  routes: CompiledRoute[],
  method: string,
  path: string,
): RouteMatch | 'method-not-allowed' | undefined {
  let pathMatched = false;
  const candidates: RouteMatch[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.spec.method !== method) continue;
    const pathParameters: Record<string, string> = {};
    route.params.forEach((name, i) => {
      pathParameters[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    candidates.push({ route, pathParameters });
  }
  candidates.sort((a, b) => a.route.params.length - b.route.params.length);
  return candidates[0] ?? (pathMatched ? 'method-not-allowed' : undefined);
}

const TEXT_TYPES =
  /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|application\/[\w.+-]+\+(json|xml))/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text bodies travel as strings, anything else (or text that is not valid UTF-8) base64-encoded, as API Gateway does. */
function encodeBody(
  body: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (contentType && TEXT_TYPES.test(contentType)) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // fall through to base64: the handler sees the bytes and rejects them itself
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/** Builds the HTTP API (payload format 2.0) event API Gateway would hand the Lambda for this request. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  match: RouteMatch,
  claims: Claims | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies.push(...String(value).split(/;\s*/));
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = Date.now();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return {
    version: '2.0',
    routeKey: match.route.key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    ...encodeBody(body, headers['content-type']),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.route.key,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as APIGatewayProxyEventV2;
}
