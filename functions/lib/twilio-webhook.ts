import middy from '@middy/core';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import type { z } from 'zod';
import { RequestError } from '#shared/errors/domain-error.ts';
import { type HttpEvent, type HttpHandler, httpErrorHandler } from './http-route.ts';
import { getPlatform, type Platform } from './platform.ts';
import { DEFAULT_BODY_LIMIT, header, rawBody, validate } from './request.ts';
import type { HttpResult } from './responses.ts';

/** Form fields as Twilio signed them: a field sent more than once keeps every value (the SDK sorts them). */
export type SignedParams = Record<string, string | string[]>;

export interface TwilioRequest<T> {
  /** The validated form. */
  form: T;
  /** The query string's fields (the IVR keeps its state there; it is part of the signed URL). */
  query: Record<string, string>;
  event: HttpEvent;
  platform: Platform;
}

export interface TwilioWebhookOptions<S extends z.ZodType> {
  /** One schema over the form fields (first value of each). */
  schema: S;
  bodyLimit?: number;
}

/** Reads a form body keeping repeated fields, as the signature covers them all. */
export function signedParams(text: string): SignedParams {
  const out: SignedParams = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const seen = out[k];
    if (seen === undefined) out[k] = v;
    else out[k] = Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return out;
}

const firstValues = (params: SignedParams): Record<string, string> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));

/**
 * The URL Twilio requested, as it signs it: the platform's public base URL (API Gateway's or the custom domain;
 * the Lambda cannot know which one Twilio used) with the path and query string of the request.
 */
export function signedUrl(publicBaseUrl: string, event: HttpEvent): string {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return `${publicBaseUrl.replace(/\/$/, '')}${path}${query}`;
}

/**
 * Whether `signature` is Twilio's signature of `url` and `params` under `authToken`. This is the Twilio SDK's own
 * check (HMAC-SHA1 over the URL and the sorted fields, compared in constant time, with and without the default port).
 */
export function isTwilioSignatureValid(
  authToken: string,
  signature: string,
  url: string,
  params: SignedParams,
): boolean {
  return validateRequest(authToken, signature, url, params);
}

/**
 * The shared stack for a Twilio webhook: size and encoding limits, the form content type, the `X-Twilio-Signature`
 * check, then one zod parse. Everything is checked before `run` is called, so a request that fails any check has
 * written nothing.
 *
 * Answers: 413 `REQUEST.TOO_LARGE`, 400 `REQUEST.INVALID_ENCODING`, 415 `REQUEST.UNSUPPORTED_MEDIA_TYPE`,
 * 403 `TWILIO.SIGNATURE_MISSING` / `TWILIO.SIGNATURE_INVALID`, 400 `REQUEST.INVALID`.
 */
export function twilioWebhook<S extends z.ZodType>(
  options: TwilioWebhookOptions<S>,
  run: (req: TwilioRequest<z.output<S>>) => Promise<HttpResult>,
): HttpHandler {
  const base = async (event: HttpEvent): Promise<HttpResult> => {
    const platform = await getPlatform();
    const text = rawBody(event, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
    const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/x-www-form-urlencoded') {
      throw new RequestError(
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        'Twilio webhooks are sent as application/x-www-form-urlencoded.',
      );
    }
    const signature = header(event, 'x-twilio-signature');
    if (!signature) {
      throw new RequestError(403, 'TWILIO.SIGNATURE_MISSING', 'The request carries no X-Twilio-Signature.');
    }
    const params = signedParams(text);
    const url = signedUrl(platform.publicBaseUrl, event);
    if (!isTwilioSignatureValid(platform.twilio.authToken, signature, url, params)) {
      throw new RequestError(
        403,
        'TWILIO.SIGNATURE_INVALID',
        'The X-Twilio-Signature does not match the request.',
      );
    }
    const form = validate(options.schema, firstValues(params));
    const query = Object.fromEntries(new URLSearchParams(event.rawQueryString ?? ''));
    return run({ form, query, event, platform });
  };
  return middy<HttpEvent, HttpResult>(base).use(httpErrorHandler()) as unknown as HttpHandler;
}
