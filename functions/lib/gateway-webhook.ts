import middy from '@middy/core';
import { RequestError } from '#shared/errors/domain-error.ts';
import {
  GATEWAY_BODY_LIMIT,
  GatewayEvent,
  isGatewaySignatureValid,
  isWithinReplayWindow,
} from '#shared/intake/transports/gateway.ts';
import { type HttpEvent, type HttpHandler, httpErrorHandler } from './http-route.ts';
import { type GatewaySettings, getPlatform, type Platform } from './platform.ts';
import { header, rawBody, validate } from './request.ts';
import type { HttpResult } from './responses.ts';

export interface GatewayRequest {
  event: GatewayEvent;
  gateway: GatewaySettings;
  platform: Platform;
}

/**
 * The shared stack for the gateway's webhook: the transport must be enabled, then size, encoding and content type,
 * `X-Timestamp` within the replay window, `X-Signature` over the raw body and the timestamp, then one zod parse.
 * Everything is checked before `run` is called, so a request that fails any check has written nothing.
 *
 * Answers: 404 `GATEWAY.NOT_ENABLED`, 413 `REQUEST.TOO_LARGE`, 400 `REQUEST.INVALID_ENCODING`,
 * 415 `REQUEST.UNSUPPORTED_MEDIA_TYPE`, 401 `GATEWAY.SIGNATURE_MISSING` / `GATEWAY.TIMESTAMP_OUT_OF_WINDOW`,
 * 403 `GATEWAY.SIGNATURE_INVALID`, 400 `REQUEST.MALFORMED_JSON` / `REQUEST.INVALID` (an unknown event included).
 */
export function gatewayWebhook(run: (req: GatewayRequest) => Promise<HttpResult>): HttpHandler {
  const base = async (event: HttpEvent): Promise<HttpResult> => {
    const platform = await getPlatform();
    const gateway = platform.gateway;
    if (!gateway) {
      throw new RequestError(404, 'GATEWAY.NOT_ENABLED', 'The SMS gateway transport is not enabled here.');
    }
    const text = rawBody(event, GATEWAY_BODY_LIMIT);
    const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/json') {
      throw new RequestError(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'The gateway posts application/json.');
    }
    const signature = header(event, 'x-signature');
    const timestamp = header(event, 'x-timestamp');
    if (!signature || !timestamp) {
      throw new RequestError(
        401,
        'GATEWAY.SIGNATURE_MISSING',
        'The request carries no X-Signature and X-Timestamp.',
      );
    }
    // The window first: an old request replayed with its genuine signature is refused all the same.
    if (!isWithinReplayWindow(timestamp, platform.now())) {
      throw new RequestError(
        401,
        'GATEWAY.TIMESTAMP_OUT_OF_WINDOW',
        'X-Timestamp is not within five minutes of the platform clock.',
      );
    }
    if (!isGatewaySignatureValid(gateway.signingKey, text, timestamp, signature)) {
      throw new RequestError(403, 'GATEWAY.SIGNATURE_INVALID', 'The X-Signature does not match the request.');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RequestError(400, 'REQUEST.MALFORMED_JSON', 'The body is not valid JSON.');
    }
    return run({ event: validate(GatewayEvent, body), gateway, platform });
  };
  return middy<HttpEvent, HttpResult>(base).use(httpErrorHandler()) as unknown as HttpHandler;
}
