import { createHash, timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import { RequestError } from '#shared/errors/domain-error.ts';
import { KOBO_BODY_LIMIT } from '#shared/intake/transports/kobo.ts';
import { type HttpEvent, type HttpHandler, httpErrorHandler } from './http-route.ts';
import { getPlatform, type KoboSettings, type Platform } from './platform.ts';
import { header, rawBody } from './request.ts';
import type { HttpResult } from './responses.ts';

export interface KoboRequest {
  /** The parsed JSON body: the submission, not yet validated. */
  body: unknown;
  platform: Platform;
}

/** Compares through fixed-length digests, so neither the length nor the content leaks through timing. */
const same = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Whether the request carries the stage's Kobo credentials: HTTP basic authentication with the configured user name
 * and the secret as password (the REST Service's "Basic Authorization"), or the secret in `X-Kobo-Secret` (a custom
 * header on the service). `undefined` when it carries neither.
 */
export function koboAuthenticated(event: HttpEvent, kobo: KoboSettings): boolean | undefined {
  const custom = header(event, 'x-kobo-secret');
  const authorization = header(event, 'authorization');
  if (custom === undefined && authorization === undefined) return undefined;
  let ok = false;
  if (custom !== undefined) ok = same(custom, kobo.secret);
  const basic = /^basic\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!ok && basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const userOk = same(decoded.slice(0, colon), kobo.username);
      const passOk = same(decoded.slice(colon + 1), kobo.secret);
      ok = userOk && passOk;
    }
  }
  return ok;
}

/**
 * The shared stack for KoboToolbox's REST Service: the transport must be enabled, then the credentials, size,
 * encoding and content type, then the JSON parse. Everything is checked before `run` is called, so a request that
 * fails any check has written nothing.
 *
 * Answers: 404 `KOBO.NOT_ENABLED`, 401 `KOBO.AUTH_MISSING` / `KOBO.AUTH_INVALID`, 413 `REQUEST.TOO_LARGE`, 400 `REQUEST.INVALID_ENCODING`, 415 `REQUEST.UNSUPPORTED_MEDIA_TYPE`,
 * 400 `REQUEST.MALFORMED_JSON`.
 */
export function koboWebhook(run: (req: KoboRequest) => Promise<HttpResult>): HttpHandler {
  const base = async (event: HttpEvent): Promise<HttpResult> => {
    const platform = await getPlatform();
    const kobo = platform.kobo;
    if (!kobo) {
      throw new RequestError(404, 'KOBO.NOT_ENABLED', 'Field forms (KoboToolbox) are not enabled here.');
    }
    const authenticated = koboAuthenticated(event, kobo);
    if (authenticated === undefined) {
      throw new RequestError(
        401,
        'KOBO.AUTH_MISSING',
        'Send basic authentication or the X-Kobo-Secret header, as the REST Service is set up.',
      );
    }
    if (!authenticated) {
      throw new RequestError(
        401,
        'KOBO.AUTH_INVALID',
        'The credentials are not the ones set for this stage.',
      );
    }
    const text = rawBody(event, KOBO_BODY_LIMIT);
    const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/json') {
      throw new RequestError(
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        'Set the REST Service to post JSON (application/json).',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RequestError(400, 'REQUEST.MALFORMED_JSON', 'The body is not valid JSON.');
    }
    return run({ body, platform });
  };
  return middy<HttpEvent, HttpResult>(base).use(httpErrorHandler()) as unknown as HttpHandler;
}
