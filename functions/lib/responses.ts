import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  body: JSON.stringify(body),
});

export const xml = (body: string, statusCode = 200): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/xml; charset=utf-8', ...SECURITY_HEADERS },
  body,
});

export const html = (body: string, statusCode = 200, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    ...SECURITY_HEADERS,
    ...headers,
  },
  body,
});

export const text = (
  statusCode: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': contentType, ...SECURITY_HEADERS, ...headers },
  body,
});

/** The body of every error answer: a stable code clients match on, a message for people, optional details. */
export const errorBody = (code: string, message: string, details?: unknown) =>
  details === undefined ? { error: { code, message } } : { error: { code, message, details } };
