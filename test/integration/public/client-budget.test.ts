/**
 * The web form's budget per client address: ten submissions in ten minutes, then 429 with a stable code (a page
 * saying so, in the person's language, for a form posted without JavaScript); other addresses go on as before. The
 * counter is one item per address and window, with a TTL, and never holds the address itself.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { handler } from '#functions/public-complaints/handler.ts';
import { PUBLIC_STRINGS } from '#functions/public-complaints/strings.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { WEB_BUDGET } from '#shared/intake/client-budget.ts';
import { testPlatform } from '../../support/services.ts';
import { allItems } from '../intake/twilio-events.ts';

const ROUTE = 'POST /api/public/complaints';

function post(body: string, headers: Record<string, string>, sourceIp: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: ROUTE,
    rawPath: '/api/public/complaints',
    rawQueryString: '',
    headers,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: {
        method: 'POST',
        path: '/api/public/complaints',
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: 'vitest',
      },
      requestId: randomBytes(8).toString('hex'),
      routeKey: ROUTE,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  } as APIGatewayProxyEventV2;
}

const call = async (e: APIGatewayProxyEventV2) =>
  (await handler(e, lambdaContext('test-public-complaints'))) as HttpResult;
const json = (sourceIp: string, headers: Record<string, string> = {}) =>
  call(
    post(
      JSON.stringify({
        description: `The distribution skipped our street ${randomBytes(4).toString('hex')}`,
      }),
      { 'content-type': 'application/json', accept: 'application/json', ...headers },
      sourceIp,
    ),
  );

describe('the web form’s budget per client address', () => {
  let platform: Platform;
  let clock: Date;

  beforeAll(async () => {
    clock = new Date('2026-12-03T10:00:00Z');
    platform = await testPlatform({ now: () => clock });
    usePlatform(platform);
  });

  it('takes ten submissions from one address in ten minutes, then answers 429 until the window ends', async () => {
    expect(WEB_BUDGET).toEqual({ submissions: 10, windowMs: 600_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await json('198.51.100.7')).statusCode);
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 201), 429, 429, 429]);

    const refused = await json('198.51.100.7');
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body).error).toMatchObject({
      code: 'PUBLIC.TOO_MANY_SUBMISSIONS',
      details: { retryAfterSeconds: 600 },
    });
    // Another address is not held up.
    expect((await json('198.51.100.8')).statusCode).toBe(201);
    // The next window takes the first address again.
    clock = new Date('2026-12-03T10:10:00Z');
    expect((await json('198.51.100.7')).statusCode).toBe(201);
  });

  it('counts the viewer CloudFront names, not CloudFront’s own address', async () => {
    const edge = '203.0.113.50';
    for (let i = 0; i < 10; i++) {
      expect((await json(edge, { 'cloudfront-viewer-address': '192.0.2.10:51234' })).statusCode).toBe(201);
    }
    expect((await json(edge, { 'cloudfront-viewer-address': '192.0.2.10:40000' })).statusCode).toBe(429);
    // Another viewer behind the same edge, IPv6 with its port.
    expect((await json(edge, { 'cloudfront-viewer-address': '2001:db8::1:443' })).statusCode).toBe(201);
  });

  it('answers a form posted without JavaScript with a page in the person’s language', async () => {
    const form = (i: number) =>
      call(
        post(
          new URLSearchParams({ description: `الماء مقطوع ${i}`, language: 'ar' }).toString(),
          { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          '198.51.100.99',
        ),
      );
    for (let i = 0; i < 10; i++) expect((await form(i)).statusCode).toBe(201);
    const page = await form(10);
    expect(page.statusCode).toBe(429);
    expect(page.headers?.['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(PUBLIC_STRINGS.ar.tooMany);
    expect(page.body).toContain('dir="rtl"');
  });

  it('keeps one counter item per address and window, with a TTL, and never the address', async () => {
    type Wire = { pk: { S: string }; sk: { S: string }; n: { N: string }; expiresAt: { N: string } };
    const items = ((await allItems(platform.db, platform.tableName)) as Wire[]).filter((it) =>
      it.pk.S.startsWith('BUDGET#web#'),
    );
    expect(items.length).toBeGreaterThanOrEqual(5);
    const raw = JSON.stringify(items);
    for (const address of ['198.51.100.7', '198.51.100.8', '192.0.2.10', '2001:db8::1', '198.51.100.99']) {
      expect(raw).not.toContain(address);
    }
    for (const it of items) {
      expect(Number(it.expiresAt.N)).toBeGreaterThan(Date.parse(it.sk.S) / 1000);
      expect(Number(it.n.N)).toBeLessThanOrEqual(10);
    }
  });
});
