import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { handler } from '#functions/public-complaints/handler.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { REFERENCE_PATTERN } from '#shared/store/ids.ts';
import { testPlatform } from '../../support/services.ts';

const SUBMIT = 'POST /api/public/complaints';
const LOOKUP = 'GET /api/public/complaints/{reference}';
const SECRET_PATTERN = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

const randomAddress = () => `10.${[0, 0, 0].map(() => randomBytes(1)[0]).join('.')}`;

function event(
  routeKey: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    path?: Record<string, string>;
    query?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const [method = 'GET', rawPath = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.headers ?? {},
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.path ? { pathParameters: options.path } : {}),
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      // Each request from an address of its own: the per-address budget has a test of its own (client-budget).
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: randomAddress(), userAgent: 'vitest' },
      requestId: randomBytes(8).toString('hex'),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  } as APIGatewayProxyEventV2;
}

const call = async (e: APIGatewayProxyEventV2): Promise<HttpResult> =>
  (await handler(e, lambdaContext('test-public-complaints'))) as HttpResult;

const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  call(
    event(SUBMIT, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    }),
  );

const postForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(
    event(SUBMIT, {
      body: new URLSearchParams(fields).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html,application/xhtml+xml',
        ...headers,
      },
    }),
  );

const lookup = (reference: string, secret: string, headers: Record<string, string> = {}) =>
  call(
    event(LOOKUP, {
      path: { reference },
      headers: { accept: 'application/json', 'x-lookup-secret': secret, ...headers },
    }),
  );

/** Items in the table (a test-only Scan), all of them or only the cases. */
async function itemCount(p: Platform, entity?: 'case'): Promise<number> {
  const out = await p.db.call<{ Count: number }>('Scan', {
    TableName: p.tableName,
    Select: 'COUNT',
    ...(entity
      ? {
          FilterExpression: '#e = :e',
          ExpressionAttributeNames: { '#e': 'entity' },
          ExpressionAttributeValues: { ':e': { S: entity } },
        }
      : {}),
  });
  return out.Count;
}

const token = () => randomBytes(12).toString('base64url');

describe('public complaints API against DynamoDB Local', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await testPlatform();
    usePlatform(platform);
  });
  afterAll(() => usePlatform(undefined));

  it('stores a JSON submission with contact details and answers 201 with a reference and a secret', async () => {
    const res = await postJson({
      about: 'complaint',
      description: 'The water tank in the camp has been empty for three days.',
      language: 'en',
      governorate: 'IQG15',
      district: 'IQG15Q01',
      name: 'Layla',
      phone: '0770 123 4567',
      consent: true,
      populationGroup: 'idp',
      sex: 'female',
      ageBand: '25-39',
      token: token(),
    });
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(res.body) as { reference: string; secret: string };
    expect(body.reference).toMatch(REFERENCE_PATTERN);
    expect(body.secret).toMatch(SECRET_PATTERN);

    const stored = await platform.cases.getByReference(body.reference);
    expect(stored).toMatchObject({
      channel: 'web',
      type: 'complaint',
      language: 'en',
      location: { governorate: 'IQG15', district: 'IQG15Q01' },
      consentToFollowUp: true,
      populationGroup: 'idp',
      sex: 'female',
      ageBand: '25-39',
    });
    // Personal data is stored protected: the phone in E.164 under encryption, the secret only as a hash.
    expect(platform.protector.decrypt(stored?.contact.phoneCipher ?? '')).toBe('+9647701234567');
    expect(stored?.contact.phoneHash).toBe(platform.protector.hashPhone('+9647701234567'));
    expect(platform.protector.decrypt(stored?.contact.nameCipher ?? '')).toBe('Layla');
    expect(JSON.stringify(stored)).not.toContain(body.secret);
    expect(platform.protector.verifySecret(body.secret, stored?.lookupSecretHash ?? '')).toBe(true);
  });

  it('accepts an anonymous submission and ignores consent without a phone number', async () => {
    const res = await postJson({ description: 'رسالة بدون اسم', language: 'ar', consent: true });
    expect(res.statusCode).toBe(201);
    const { reference } = JSON.parse(res.body) as { reference: string };
    const stored = await platform.cases.getByReference(reference);
    expect(stored?.contact).toEqual({});
    expect(stored?.consentToFollowUp).toBe(false);
    expect(stored?.language).toBe('ar');
  });

  it('marks a report of abuse by an aid worker as S3 and urgent, as the person chose', async () => {
    const res = await postJson({
      about: 'abuse',
      description: 'A distributor asked for something in return.',
    });
    const { reference } = JSON.parse(res.body) as { reference: string };
    const stored = await platform.cases.getByReference(reference);
    expect(stored).toMatchObject({ category: 'C07', sensitivity: 'S3', urgency: 'urgent' });
    expect(stored?.classification.source).toBe('person');
  });

  it('takes a plain form post (JavaScript off) and answers a page with the reference and secret', async () => {
    const before = await itemCount(platform, 'case');
    const res = await postForm({
      language: 'ar',
      about: 'question',
      description: 'متى يتم توزيع السلال الغذائية في المخيم؟',
      governorate: 'IQG15',
      district: '',
      name: '',
      phone: '07701234568',
      consent: 'yes',
      populationGroup: '',
      sex: '',
      ageBand: '',
      token: '',
      website: '',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html lang="ar" dir="rtl"');
    const reference = /id="done-ref">([^<]+)</.exec(res.body)?.[1] ?? '';
    const secret = /id="done-secret">([^<]+)</.exec(res.body)?.[1] ?? '';
    expect(reference).toMatch(REFERENCE_PATTERN);
    expect(secret).toMatch(SECRET_PATTERN);
    expect(res.body).toContain(`/ar/status.html?reference=${reference}`);
    const stored = await platform.cases.getByReference(reference);
    expect(stored).toMatchObject({
      type: 'question',
      consentToFollowUp: true,
      location: { governorate: 'IQG15' },
    });
    expect(stored?.populationGroup).toBeUndefined();
    expect((await itemCount(platform, 'case')) - before).toBe(1);
  });

  it('makes one case of a double submit with the same page token, and answers the same secret twice', async () => {
    const body = { description: 'Double tap on a slow connection.', language: 'kmr', token: token() };
    const before = await itemCount(platform, 'case');
    const [first, second] = await Promise.all([postJson(body), postJson(body)]);
    const a = JSON.parse(first?.body ?? '{}') as { reference: string; secret: string };
    const b = JSON.parse(second?.body ?? '{}') as { reference: string; secret: string };
    expect(a.reference).toBe(b.reference);
    expect(a.secret).toBe(b.secret);
    expect([first?.statusCode, second?.statusCode].sort()).toEqual([200, 201]);
    expect((await itemCount(platform, 'case')) - before).toBe(1);
  });

  it('makes one case of a form posted twice without a token (JavaScript off)', async () => {
    const fields = { language: 'en', description: `Form sent twice ${token()}`, token: '' };
    const first = await postForm(fields);
    const second = await postForm(fields);
    const ref = (r: HttpResult) => /id="done-ref">([^<]+)</.exec(r.body)?.[1];
    expect(ref(first)).toBeDefined();
    expect(ref(second)).toBe(ref(first));
    expect(second.statusCode).toBe(200);
  });

  it('gives a JSON client without a token a key of its own: two posts are two cases', async () => {
    const body = { description: 'Same words, no token.', language: 'en' };
    const a = JSON.parse((await postJson(body)).body) as { reference: string };
    const b = JSON.parse((await postJson(body)).body) as { reference: string };
    expect(a.reference).not.toBe(b.reference);
  });

  it('rejects codes that are not in the gazetteer with a 400 naming the field, and stores nothing', async () => {
    const before = await itemCount(platform);
    const badGov = await postJson({ description: 'x', governorate: 'IQG99' });
    expect(badGov.statusCode).toBe(400);
    expect(JSON.parse(badGov.body)).toMatchObject({
      error: { code: 'REQUEST.INVALID', details: [{ path: 'body.governorate' }] },
    });
    const wrongPair = await postJson({ description: 'x', governorate: 'IQG15', district: 'IQG09Q01' });
    expect(wrongPair.statusCode).toBe(400);
    expect(JSON.parse(wrongPair.body)).toMatchObject({ error: { details: [{ path: 'body.district' }] } });
    const badPhone = await postJson({ description: 'x', phone: '12' });
    expect(JSON.parse(badPhone.body)).toMatchObject({ error: { details: [{ path: 'body.phone' }] } });
    const noText = await postJson({ description: '   ' });
    expect(JSON.parse(noText.body)).toMatchObject({ error: { details: [{ path: 'body.description' }] } });
    const tooLong = await postJson({ description: 'x'.repeat(5001) });
    expect(JSON.parse(tooLong.body)).toMatchObject({ error: { details: [{ path: 'body.description' }] } });
    expect(await itemCount(platform)).toBe(before);
  });

  it('answers a failed form post with the form again: values kept, the field marked, in the page language', async () => {
    const res = await postForm({ language: 'ckb', description: 'نامەکەم', phone: 'not a number' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="ckb" dir="rtl"');
    expect(res.body).toMatch(/<input type="tel" id="phone"[^>]*value="not a number"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('>نامەکەم</textarea>');
  });

  it('rejects a filled bot trap with a generic 400 and stores nothing', async () => {
    const before = await itemCount(platform);
    const res = await postJson({ description: 'Buy cheap watches', website: 'http://spam.example' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST.REJECTED' } });
    expect(await itemCount(platform)).toBe(before);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await postJson({ description: 'x'.repeat(70_000) });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST.TOO_LARGE' } });
  });

  describe('status lookup', () => {
    let reference = '';
    let secret = '';
    beforeAll(async () => {
      const res = await postJson({ description: 'Lookup me', language: 'ckb', phone: '07501234567' });
      ({ reference, secret } = JSON.parse(res.body) as { reference: string; secret: string });
    });

    it('shows the status, dates and a plain explanation, and nothing personal', async () => {
      const res = await lookup(reference, secret, {});
      expect(res.statusCode).toBe(200);
      expect(res.headers?.['referrer-policy']).toBe('no-referrer');
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(
        ['explanation', 'language', 'receivedAt', 'reference', 'status', 'statusName', 'updatedAt'].sort(),
      );
      expect(body).toMatchObject({ reference, status: 'new', statusName: 'Received' });
      expect(res.body).not.toContain('Lookup me');
    });

    it('answers in the language asked for', async () => {
      const res = await call(
        event(LOOKUP, {
          path: { reference },
          query: { lang: 'ar' },
          headers: { accept: 'application/json', 'x-lookup-secret': secret },
        }),
      );
      expect(JSON.parse(res.body)).toMatchObject({ language: 'ar', statusName: 'تم الاستلام' });
    });

    it('reads a reference and a secret typed loosely: lower case, no dashes, Arabic-Indic digits', async () => {
      const loose = (s: string) =>
        s
          .toLowerCase()
          .replace(/-/g, ' ')
          .replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
      const res = await lookup(loose(reference).replace(/ /g, ''), loose(secret));
      expect(res.statusCode).toBe(200);
    });

    it('answers a wrong secret exactly as an unknown reference', async () => {
      const wrongSecret = await lookup(reference, 'ABCD-EFGH-JKMN');
      const unknownRef = await lookup(reference === 'ZZZZ-ZZZZ' ? 'YYYY-YYYY' : 'ZZZZ-ZZZZ', secret);
      const malformed = await lookup('not-a-ref', secret);
      const noSecret = await lookup(reference, '');
      for (const res of [wrongSecret, unknownRef, malformed, noSecret]) {
        expect(res.statusCode).toBe(404);
        expect(res.headers).toEqual(wrongSecret.headers);
        expect(res.body).toBe(wrongSecret.body);
      }
      expect(JSON.parse(wrongSecret.body)).toMatchObject({ error: { code: 'COMPLAINT.NOT_FOUND' } });
    });

    it('does not open a case from another channel, which has no secret', async () => {
      const { case: sms } = await platform.cases.create({
        channel: 'sms',
        idempotencyKey: `SM${token()}`,
        narrative: 'by sms',
        language: 'en',
        createdBy: { kind: 'complainant' },
      });
      const res = await lookup(sms.reference, secret);
      expect(res.statusCode).toBe(404);
    });

    it('serves the no-JavaScript status form: reference as a field, answer as a page in the chosen language', async () => {
      const page = (ref: string, s: string) =>
        call(
          event(LOOKUP, {
            path: { reference: 'status' },
            query: { reference: ref, secret: s, lang: 'kmr' },
            headers: { accept: 'text/html' },
          }),
        );
      const found = await page(reference, secret);
      expect(found.statusCode).toBe(200);
      expect(found.body).toContain('<html lang="ku" dir="ltr" data-lang="kmr">');
      expect(found.body).toContain('Hat wergirtin');
      expect(found.headers?.['referrer-policy']).toBe('no-referrer');
      const wrong = await page(reference, 'ABCD-EFGH-JKMN');
      const unknown = await page('ZZZZ-ZZZY', secret);
      expect(wrong.statusCode).toBe(404);
      expect(unknown.body).toBe(wrong.body);
    });
  });
});
