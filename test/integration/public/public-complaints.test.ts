import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { throttledAnswer } from '#functions/public-complaints/browser.ts';
import { usePublicNumbers } from '#functions/public-complaints/contact.ts';
import { handler } from '#functions/public-complaints/handler.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { REFERENCE_PATTERN } from '#shared/store/ids.ts';
import { testPlatform } from '../../support/services.ts';

const SUBMIT = 'POST /api/public/complaints';
const LOOKUP = 'GET /api/public/complaints/{reference}';
const STATUS_FORM = 'POST /api/public/complaints/status';
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

/** The no-JavaScript status form as a browser posts it: the reference and the secret in the form body. */
const postStatus = (fields: Record<string, string>) =>
  call(
    event(STATUS_FORM, {
      body: new URLSearchParams(fields).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html,application/xhtml+xml',
      },
    }),
  );

/** Items in the table (a test-only Scan), all of them or only the cases. */
async function itemCount(p: Platform, entity?: 'case'): Promise<number> {
  const out = await p.db.client.send(
    new ScanCommand({
      TableName: p.tableName,
      Select: 'COUNT',
      ...(entity
        ? {
            FilterExpression: '#e = :e',
            ExpressionAttributeNames: { '#e': 'entity' },
            ExpressionAttributeValues: { ':e': { S: entity } },
          }
        : {}),
    }),
  );
  return out.Count ?? 0;
}

const token = () => randomBytes(12).toString('base64url');

/** A code as the confirmation page shows it (`<span class="code" id="done-ref" …>K7MQ-4XZ9</span>`). */
const codeOnPage = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]+)<`).exec(html)?.[1];

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

  it('records a submission from the Badini pages in Arabic script as Kurmanji, and answers their page on an error', async () => {
    const res = await postJson({ description: 'ئاڤ ل کەمپێ نینە ژ سێ رۆژان ڤە', language: 'kmr-arab' });
    expect(res.statusCode).toBe(201);
    const { reference } = JSON.parse(res.body) as { reference: string };
    expect((await platform.cases.getByReference(reference))?.language).toBe('kmr');
    // Without JavaScript a field to fix brings back the Badini page in Arabic script, not the Latin one.
    const refused = await postForm({ language: 'kmr-arab', description: 'ئاڤ نینە', phone: 'not a number' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<html lang="ku-Arab" dir="rtl" data-lang="kmr-arab">');
    expect(refused.body).toContain('>ئاڤ نینە</textarea>');
    // A language no page has is refused, nothing stored.
    const before = await itemCount(platform, 'case');
    const unknown = await postJson({ description: 'Hello', language: 'kmr-latn' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { details: [{ path: 'body.language' }] } });
    expect(await itemCount(platform, 'case')).toBe(before);
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
    const reference = codeOnPage(res.body, 'done-ref') ?? '';
    const secret = codeOnPage(res.body, 'done-secret') ?? '';
    expect(reference).toMatch(REFERENCE_PATTERN);
    expect(secret).toMatch(SECRET_PATTERN);
    // The status link is served by the API, so it opens filled in even without JavaScript; the secret stays out.
    expect(res.body).toContain(
      `<a id="done-status" href="/api/public/complaints/status?lang=ar&amp;reference=${reference}">`,
    );
    for (const [, href] of res.body.matchAll(/href="([^"]*)"/g)) expect(href).not.toContain(secret);
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
    const ref = (r: HttpResult) => codeOnPage(r.body, 'done-ref');
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

  it('answers a browser whose autofill filled the bot trap with its words kept and nothing stored', async () => {
    const before = await itemCount(platform);
    const res = await postForm({ language: 'en', description: 'My words stay', website: 'autofilled' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('We could not accept this message. Please try again.');
    expect(res.body).toContain('>My words stay</textarea>');
    expect(res.body).not.toContain('autofilled');
    expect(await itemCount(platform)).toBe(before);
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
        [
          'explanation',
          'language',
          'received',
          'receivedAt',
          'reference',
          'reply',
          'status',
          'statusName',
          'updated',
          'updatedAt',
        ].sort(),
      );
      expect(body.reply).toMatchObject({ workingDays: 7 });
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
      for (const res of [wrongSecret, unknownRef]) {
        expect(res.statusCode).toBe(404);
        expect(res.headers).toEqual(wrongSecret.headers);
        expect(res.body).toBe(wrongSecret.body);
      }
      expect(JSON.parse(wrongSecret.body)).toMatchObject({ error: { code: 'COMPLAINT.NOT_FOUND' } });
    });

    it('tells what cannot be a reference or a secret with a 400 naming the field, whatever the case', async () => {
      const malformed = await lookup('not-a-ref', secret);
      expect(malformed.statusCode).toBe(400);
      expect(JSON.parse(malformed.body)).toMatchObject({
        error: { code: 'REQUEST.INVALID', details: [{ path: 'reference' }] },
      });
      const noSecret = await lookup(reference, '');
      expect(JSON.parse(noSecret.body)).toMatchObject({ error: { details: [{ path: 'secret' }] } });
      // The same answer for a known and an unknown reference: the format says nothing about any case.
      const unknownNoSecret = await lookup('ZZZZ-ZZZY', '');
      expect(unknownNoSecret.statusCode).toBe(400);
      expect(unknownNoSecret.body).toBe(noSecret.body);
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

    it('serves the no-JavaScript status form: a post, the answer a page in the chosen language', async () => {
      const page = (ref: string, s: string) => postStatus({ lang: 'kmr', reference: ref, secret: s });
      const found = await page(reference, secret);
      expect(found.statusCode).toBe(200);
      expect(found.body).toContain('<html lang="ku" dir="ltr" data-lang="kmr">');
      expect(found.body).toContain('Hat wergirtin');
      expect(found.headers?.['referrer-policy']).toBe('no-referrer');
      const wrong = await page(reference, 'ABCD-EFGH-JKMN');
      const unknown = await page('ZZZZ-ZZZY', secret);
      expect(wrong.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      // One answer for both, apart from the reference the person typed, which the form keeps.
      expect(unknown.body.replace('ZZZZ-ZZZY', reference)).toBe(wrong.body);
      expect(wrong.body).toContain('<title>Çewtî: Rewşa doza te · Gilî û nêrîn</title>');
    });

    it('never reads a secret from the query string: the form again, nothing looked up, the secret not written back', async () => {
      const res = await call(
        event(LOOKUP, {
          path: { reference: 'status' },
          query: { reference, secret, lang: 'en' },
          headers: { accept: 'text/html' },
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(new RegExp(`<input type="text" id="reference"[^>]*value="${reference}"`));
      expect(res.body).not.toContain('id="status-result"');
      expect(res.body).not.toContain(secret);
      // The page's form posts: what a person types next goes in the body.
      expect(res.body).toContain('<form id="lookup" method="post" action="/api/public/complaints/status"');
      // A script that puts the secret in the query gets no status either: only the header counts.
      const script = await call(
        event(LOOKUP, { path: { reference }, query: { secret }, headers: { accept: 'application/json' } }),
      );
      expect(script.statusCode).toBe(400);
      expect(JSON.parse(script.body)).toMatchObject({ error: { code: 'REQUEST.INVALID' } });
    });

    it('answers a script posting the status form as JSON with the JSON status', async () => {
      const res = await call(
        event(STATUS_FORM, {
          body: JSON.stringify({ reference, secret, lang: 'en' }),
          headers: { 'content-type': 'application/json', accept: 'application/json' },
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ reference, status: 'new', statusName: 'Received' });
    });

    it('answers a status post refused for coming too often with the status page, the reference kept, never the secret', async () => {
      const refused = throttledAnswer(
        event(STATUS_FORM, {
          body: new URLSearchParams({ lang: 'ar', reference, secret }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        }),
      );
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('<html lang="ar" dir="rtl"');
      expect(refused.body).toContain('رسائل كثيرة من هذا الاتصال. انتظر دقيقة ثم حاول مرة أخرى.');
      expect(refused.body).toMatch(new RegExp(`<input type="text" id="reference"[^>]*value="${reference}"`));
      expect(refused.body).not.toContain(secret);
    });

    it('opens the status page from a confirmation link with the reference filled in and nothing looked up', async () => {
      const res = await call(
        event(LOOKUP, {
          path: { reference: 'status' },
          query: { reference, lang: 'ar' },
          headers: { accept: 'text/html' },
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="ar" dir="rtl"');
      expect(res.body).toMatch(new RegExp(`<input type="text" id="reference"[^>]*value="${reference}"`));
      expect(res.body).toMatch(/<input type="text" id="secret"(?![^>]*value=)[^>]*>/);
      expect(res.body).toMatch(/id="not-found"[^>]* hidden>/);
      expect(res.body).not.toContain('id="status-result"');
    });

    it('answers a reference longer than any could be with the page and the field marked, never a bare error', async () => {
      const long = 'K7MQ'.repeat(80);
      const page = await postStatus({ lang: 'en', reference: long, secret });
      expect(page.statusCode).toBe(400);
      expect(page.headers?.['content-type']).toMatch(/^text\/html/);
      expect(page.body).toMatch(/<input type="text" id="reference"[^>]*aria-invalid="true"/);
      expect(page.body).toContain('Write the reference you received');
      const script = await lookup(long, secret);
      expect(script.statusCode).toBe(400);
      expect(JSON.parse(script.body)).toMatchObject({ error: { code: 'REQUEST.INVALID' } });
    });

    it('marks a reference typed wrong beside its field on the no-JavaScript page, in the page language', async () => {
      const res = await postStatus({ lang: 'ckb', reference: 'K7MQ-4XZ', secret: '' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(
        /<input type="text" id="reference"[^>]*value="K7MQ-4XZ"[^>]*aria-invalid="true"/,
      );
      expect(res.body).toContain(
        '<span class="error" id="reference-error">ئەو ژمارەی ئاماژەیە بنووسە کە وەرتگرتووە: ٨ پیت و ژمارە، وەک <bdi dir="ltr">K7MQ-4XZ9</bdi></span>',
      );
      expect(res.body).toMatch(/<span class="error" id="secret-error">[^<]+/);
      expect(res.body).toContain('<title>هەڵە: ');
    });
  });
});

describe('what the public pages promise and where they send people', () => {
  // Thursday 3 December 2026, 12:00 in Baghdad: four working hours left that day; Thursday 10 December is a
  // federal holiday (Victory Day) but a working day in the Kurdistan Region.
  const THURSDAY_NOON = new Date('2026-12-03T09:00:00.000Z');
  let platform: Platform;

  beforeAll(async () => {
    platform = await testPlatform({ now: () => THURSDAY_NOON });
    usePlatform(platform);
  });
  afterAll(() => {
    usePlatform(undefined);
    usePublicNumbers(undefined);
  });

  it('promises a complaint an answer within 7 working days, counted on the Iraqi calendar', async () => {
    const res = await postJson({ about: 'complaint', description: 'No water for a week.', language: 'en' });
    expect(res.statusCode).toBe(201);
    // 4 h on Thursday, Sunday to Wednesday, not the holiday, Sunday and Monday, then 4 h on Tuesday 15th.
    expect(JSON.parse(res.body)).toMatchObject({
      reply: {
        workingDays: 7,
        by: '2026-12-15T09:00:00.000Z',
        text: 'We will reply within 7 working days, by Tuesday, 15 December 2026.',
      },
    });
  });

  it('counts the Kurdistan Region’s calendar for a complaint from Erbil, and says so in Sorani', async () => {
    const res = await postJson({
      about: 'complaint',
      description: 'ئاو نییە',
      language: 'ckb',
      governorate: 'IQG11',
    });
    // The 10th is worked in Erbil, so the seventh working day ends on Monday 14th at noon.
    expect(JSON.parse(res.body)).toMatchObject({
      reply: {
        workingDays: 7,
        by: '2026-12-14T09:00:00.000Z',
        text: 'لە ماوەی ٧ ڕۆژی کاردا وەڵامت دەدەینەوە، واتە تا دووشەممە، ١٤ی کانونی یەکەمی ٢٠٢٦.',
      },
    });
  });

  it('promises no working days for a report of abuse, whose clock runs day and night to a focal point', async () => {
    const res = await postJson({ about: 'abuse', description: 'He asked for something in return.' });
    expect(JSON.parse(res.body)).not.toHaveProperty('reply');
    const page = await postForm({
      language: 'ar',
      about: 'abuse',
      description: 'طلب مني شيئاً مقابل المساعدة',
    });
    expect(page.body).toMatch(/<p id="done-reply" hidden><\/p>/);
  });

  it('gives the same date on the no-JavaScript confirmation and the status page, in working days', async () => {
    const page = await postForm({ language: 'ar', about: 'complaint', description: `لا ماء ${token()}` });
    const reference = codeOnPage(page.body, 'done-ref') ?? '';
    const secret = codeOnPage(page.body, 'done-secret') ?? '';
    expect(page.body).toContain(
      '<p id="done-reply">سنرد عليك خلال ٧ أيام عمل، أي بحلول الثلاثاء، ١٥ كانون الأول ٢٠٢٦.</p>',
    );
    const status = await postStatus({ lang: 'ar', reference, secret });
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain(
      '<p id="status-reply">سنرد عليك بحلول الثلاثاء، ١٥ كانون الأول ٢٠٢٦ (أي خلال ٧ أيام عمل من استلام رسالتك).</p>',
    );
  });

  it('follows a policy an admin changed rather than the built-in one', async () => {
    const other = await testPlatform({ now: () => THURSDAY_NOON });
    const store = makeConfigStore({ db: other.db, tableName: other.tableName });
    const builtIn = DEFAULT_SLA_POLICIES.find((p) => p.id === 'complaint');
    await store.put('sla-policy', { ...builtIn, resolveWithin: { workingDays: 4 } });
    usePlatform(other);
    try {
      const res = await postJson({ about: 'complaint', description: 'Four days now.', language: 'kmr' });
      // 4 h on Thursday, Sunday to Tuesday, then 4 h on Wednesday 9th.
      expect(JSON.parse(res.body)).toMatchObject({
        reply: { workingDays: 4, by: '2026-12-09T09:00:00.000Z' },
      });
      expect(JSON.parse(res.body).reply.text).toContain('4 rojên kar');
    } finally {
      usePlatform(platform);
    }
  });

  it('shows the configured numbers on the pages the server renders, and no channel without one', async () => {
    usePublicNumbers({ hotline: '5040' });
    const page = await postForm({ language: 'en', description: `Numbers ${token()}` });
    expect(page.body).toContain('<a href="tel:5040" data-channel="hotline"><bdi dir="ltr">5040</bdi></a>');
    expect(page.body).not.toContain('data-channel="sms"');
    expect(page.body).not.toMatch(/\bSMS\b/);
    usePublicNumbers({ sms: '+9647801112222', whatsapp: '+9647503334444' });
    const again = await postForm({ language: 'ar', description: '' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('<bdi dir="ltr">+964 780 111 2222</bdi>');
    expect(again.body).toContain('واتساب');
    expect(again.body).not.toContain('الخط الساخن');
  });

  it('answers a browser refused for coming too often with a page in its language, and a script with JSON', () => {
    const page = throttledAnswer(
      event(SUBMIT, {
        body: new URLSearchParams({ language: 'kmr', description: 'x' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      }),
    );
    expect(page.statusCode).toBe(429);
    expect(page.headers?.['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="ku" dir="ltr"');
    expect(page.body).toContain('Ji vê girêdanê gelek peyam hatin.');
    // The form again with what the person wrote, so sending again a minute later loses nothing.
    expect(page.body).toContain('>x</textarea>');
    const script = throttledAnswer(
      event(SUBMIT, {
        body: '{}',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      }),
    );
    expect(script.statusCode).toBe(429);
    expect(JSON.parse(script.body)).toMatchObject({ error: { code: 'REQUEST.RATE_LIMITED' } });
  });
});
