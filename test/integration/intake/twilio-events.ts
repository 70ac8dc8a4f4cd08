/** Builds the API Gateway (v2) events Twilio's requests become, signed as Twilio signs them, for handler tests. */
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { HttpHandler } from '#functions/lib/http-route.ts';
import type { Platform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';

export interface TwilioEventOptions {
  routeKey: string;
  path: string;
  query?: string;
  params: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** Override the signature (a wrong one), or `null` for none. */
  signature?: string | null;
  contentType?: string;
  /** Send these bytes instead of the encoded params (base64 on the event, as API Gateway does for binary). */
  rawBytes?: Buffer;
}

export function twilioEvent(platform: Platform, o: TwilioEventOptions): APIGatewayProxyEventV2 {
  const url = `${platform.publicBaseUrl}${o.path}${o.query ? `?${o.query}` : ''}`;
  const signature =
    o.signature === undefined
      ? getExpectedTwilioSignature(platform.twilio.authToken, url, o.params)
      : o.signature;
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
    'user-agent': 'TwilioProxy/1.1',
  };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const body = o.rawBytes
    ? { body: o.rawBytes.toString('base64'), isBase64Encoded: true }
    : { body: new URLSearchParams(o.params).toString(), isBase64Encoded: false };
  return {
    version: '2.0',
    routeKey: o.routeKey,
    rawPath: o.path,
    rawQueryString: o.query ?? '',
    headers,
    ...(o.pathParameters ? { pathParameters: o.pathParameters } : {}),
    ...body,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'cfm.example.org',
      domainPrefix: 'cfm',
      http: {
        method: 'POST',
        path: o.path,
        protocol: 'HTTP/1.1',
        sourceIp: '54.172.60.1',
        userAgent: 'TwilioProxy/1.1',
      },
      requestId: 'r',
      routeKey: o.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  } as APIGatewayProxyEventV2;
}

export async function invoke(handler: HttpHandler, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  return handler(event, lambdaContext('test'));
}

/**
 * One call's webhook requests, as Twilio posts them: `post(url, extra)` sends the call's fields (and `extra`, such as
 * the digits pressed) to the voice webhook or one of its step paths, given as the TwiML wrote it, signed.
 */
export function voiceCall(platform: Platform, handler: HttpHandler, callSid: string, from: string) {
  return (url: string, extra: Record<string, string> = {}): Promise<HttpResult> => {
    const u = new URL(url, platform.publicBaseUrl);
    const step = u.pathname.split('/')[4];
    return invoke(
      handler,
      twilioEvent(platform, {
        routeKey: step ? 'POST /webhooks/twilio/voice/{step}' : 'POST /webhooks/twilio/voice',
        path: u.pathname,
        query: u.search.slice(1),
        ...(step ? { pathParameters: { step } } : {}),
        params: {
          CallSid: callSid,
          AccountSid: platform.twilio.accountSid,
          From: from,
          To: platform.twilio.messagingFrom,
          CallStatus: 'in-progress',
          Direction: 'inbound',
          ...extra,
        },
      }),
    );
  };
}

/** Every item in the table (a test-only Scan: the request paths never scan). */
export async function allItems(db: DynamoDb, TableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const out: ScanCommandOutput = await db.client.send(
      new ScanCommand({ TableName, ExclusiveStartKey: start }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export const sid = (prefix: string, n: number | string): string =>
  `${prefix}${String(n).padStart(32, '0').slice(-32)}`.replace(/[^A-Za-z0-9]/g, '0');

export const errorCodeOf = (res: HttpResult): string | undefined =>
  (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
