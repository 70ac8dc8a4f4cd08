import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '#shared/errors/domain-error.ts';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type BodyKind = 'json' | 'form';

export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

/** The raw body as text, after the size limit and a strict UTF-8 check. */
export function rawBody(event: APIGatewayProxyEventV2, limit = DEFAULT_BODY_LIMIT): string {
  if (!event.body) return '';
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > limit) {
    throw new RequestError(413, 'REQUEST.TOO_LARGE', `The body is larger than ${limit} bytes.`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RequestError(400, 'REQUEST.INVALID_ENCODING', 'The body is not valid UTF-8.');
  }
}

/** Form fields as an object; a repeated field keeps its first value (Twilio never repeats one). */
export function formFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}

/** Reads a JSON or form body, as the route accepts, into a plain object. */
export function parseBody(
  event: APIGatewayProxyEventV2,
  accepts: readonly BodyKind[],
  limit?: number,
): unknown {
  const text = rawBody(event, limit);
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' && accepts.includes('json')) {
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RequestError(400, 'REQUEST.MALFORMED_JSON', 'The body is not valid JSON.');
    }
  }
  if (type === 'application/x-www-form-urlencoded' && accepts.includes('form')) return formFields(text);
  throw new RequestError(
    415,
    'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    `Send the body as ${accepts.map((a) => (a === 'json' ? 'application/json' : 'application/x-www-form-urlencoded')).join(' or ')}.`,
  );
}

/** Validates with zod; failures become a 400 naming each failing field (never echoing values). */
export { parseOrThrow as validate } from '#shared/errors/domain-error.ts';
