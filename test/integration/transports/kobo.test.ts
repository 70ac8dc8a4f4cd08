import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import type { LocalMessaging } from '#local/messaging.ts';

// Debug lines too, so the test of the logs sees every line the handler could write: set before any module that
// builds the logger is loaded.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const { handler } = await import('#functions/kobo/handler.ts');
const { usePlatform } = await import('#functions/lib/platform.ts');
const { subscribeFocalPoint } = await import('#functions/admin/subscriptions.ts');
const { routerFor } = await import('#functions/router/handler.ts');
const { makeConfigStore } = await import('#shared/config/config-store.ts');
const { testMessaging, testPlatform } = await import('../../support/services.ts');
const { allItems, errorCodeOf, invoke } = await import('../intake/twilio-events.ts');
const { drain, readInbox, StreamReader } = await import('../routing/support.ts');

const PATH = '/webhooks/kobo/submission';
const KOBO = { username: 'kobo-iq', secret: 'test-kobo-shared-secret-1' };
const PHONE_LOCAL = '07701239876';
/** Kobo's `_submission_time`: UTC, written without an offset. */
const koboTime = (d: Date) => d.toISOString().slice(0, 19);
const SUBMITTED = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000);
const NAME = 'Hana Kareem';

/** A submission as KoboToolbox's REST Service posts it: the flat keys of the template in docs/kobo/. */
function submission(answers: Record<string, unknown> = {}, instance = randomUUID()) {
  return {
    _id: 412_345,
    'formhub/uuid': '0f7b6f1a6d2b4f2a9d1d2f3e4a5b6c7d',
    start: '2026-12-01T09:12:01.000+03:00',
    end: '2026-12-01T09:15:40.000+03:00',
    'intake/channel': 'complaint_box',
    'intake/language': 'ar',
    'complaint/description': 'الماء مقطوع في المخيم منذ ثلاثة أيام',
    'location/governorate': 'IQG15',
    'location/district': 'IQG15Q05',
    'consent/consent_contact': 'no',
    __version__: 'vQk3wJ7R8s5mXcPz2aLb9T',
    'meta/instanceID': `uuid:${instance}`,
    _xform_id_string: 'aBcD3fGh1JkLmN0pQrStUv',
    _uuid: instance,
    _attachments: [],
    _status: 'submitted_via_web',
    _geolocation: [null, null],
    _submission_time: koboTime(SUBMITTED),
    _tags: [],
    _notes: [],
    _validation_status: {},
    _submitted_by: 'field-team-ninewa',
    ...answers,
  };
}

type Auth = { basic?: [string, string]; header?: string } | null;

/** The request API Gateway hands the function for a post from Kobo (python-requests, basic auth by default). */
function koboEvent(
  body: unknown,
  o: { auth?: Auth; contentType?: string; raw?: string | Buffer } = {},
): APIGatewayProxyEventV2 {
  const auth = o.auth === undefined ? { basic: [KOBO.username, KOBO.secret] as [string, string] } : o.auth;
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/json',
    'user-agent': 'KoBoToolbox external service #hXyZ123',
  };
  if (auth?.basic) headers.authorization = `Basic ${Buffer.from(auth.basic.join(':')).toString('base64')}`;
  if (auth?.header !== undefined) headers['x-kobo-secret'] = auth.header;
  const raw = o.raw ?? JSON.stringify(body);
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  return {
    version: '2.0',
    routeKey: `POST ${PATH}`,
    rawPath: PATH,
    rawQueryString: '',
    headers,
    body: bytes.toString('base64'),
    isBase64Encoded: true,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: PATH, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'kobo' },
      requestId: 'req',
      routeKey: `POST ${PATH}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  } as APIGatewayProxyEventV2;
}

const bodyOf = (res: HttpResult) => JSON.parse(res.body) as { reference?: string; error?: unknown };

describe('KoboToolbox REST Service against DynamoDB Local', () => {
  let messaging: LocalMessaging;
  let platform: Platform;

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = { ...(await testPlatform({ messaging })), kobo: KOBO };
    usePlatform(platform);
  });
  afterAll(async () => {
    usePlatform(undefined);
    await messaging?.stop();
  });
  afterEach(() => vi.restoreAllMocks());

  const post = (body: unknown, o: Parameters<typeof koboEvent>[1] = {}) =>
    invoke(handler, koboEvent(body, o));
  const caseCount = async () =>
    (await allItems(platform.db, platform.tableName)).filter(
      (it) => JSON.stringify(it.entity) === '{"S":"case"}',
    ).length;
  const itemCount = async () => (await allItems(platform.db, platform.tableName)).length;

  it('opens a case on the channel the form names, with the transport, place and consent of the form', async () => {
    const res = await post(
      submission({
        'intake/channel': 'walk_in',
        'consent/consent_contact': 'yes',
        'consent/consent_share': 'no',
        'contact/phone': PHONE_LOCAL,
        'contact/name': NAME,
        'about/population_group': 'idp',
      }),
    );
    expect(res.statusCode).toBe(201);
    const { reference } = bodyOf(res);
    expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const c = await platform.cases.getByReference(reference as string);
    expect(c).toMatchObject({
      channel: 'walk_in',
      transport: 'kobo',
      language: 'ar',
      status: 'new',
      narrative: 'الماء مقطوع في المخيم منذ ثلاثة أيام',
      location: { governorate: 'IQG15', district: 'IQG15Q05' },
      populationGroup: 'idp',
      consentToFollowUp: true,
      consentToShare: { given: false, how: 'intake', at: SUBMITTED.toISOString() },
      // Kobo's own time of receipt, in UTC, keeps the SLA clock honest for a post that Kobo had to retry.
      receivedAt: SUBMITTED.toISOString(),
      classification: { source: 'pending' },
    });
    // Stored protected, as every channel stores a number and a name.
    expect(c?.contact.phoneCipher).toBeDefined();
    expect(platform.protector.decrypt(c?.contact.phoneCipher as string)).toBe('+9647701239876');
    expect(platform.protector.decrypt(c?.contact.nameCipher as string)).toBe(NAME);
    const stored = JSON.stringify(await allItems(platform.db, platform.tableName));
    expect(stored).not.toContain('7701239876');
    expect(stored).not.toContain(NAME);
  });

  it("answers Kobo's retry with the same reference and stores nothing new", async () => {
    const first = submission();
    const res1 = await post(first);
    expect(res1.statusCode).toBe(201);
    const before = await itemCount();
    const res2 = await post(first);
    const res3 = await post({ ...first, _submission_time: koboTime(new Date()) });
    expect(res2.statusCode).toBe(200);
    expect(res3.statusCode).toBe(200);
    expect(bodyOf(res2).reference).toBe(bodyOf(res1).reference);
    expect(bodyOf(res3).reference).toBe(bodyOf(res1).reference);
    expect(await itemCount()).toBe(before);
  });

  it('two posts of one submission at the same time make one case', async () => {
    for (const answers of [{}, { 'complaint/category': 'C07' }]) {
      const s = submission(answers);
      const casesBefore = await caseCount();
      const results = await Promise.all(Array.from({ length: 6 }, () => post(s)));
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => bodyOf(r).reference)).size).toBe(1);
      expect(await caseCount()).toBe(casesBefore + 1);
    }
  });

  it('also takes the secret in the X-Kobo-Secret header, and the older servers’ _uuid alone', async () => {
    const s = submission();
    const { 'meta/instanceID': _drop, ...withoutMeta } = s;
    const res = await post(withoutMeta, { auth: { header: KOBO.secret } });
    expect(res.statusCode).toBe(201);
    // The same submission with its meta/instanceID is the same case.
    const again = await post(s);
    expect(again.statusCode).toBe(200);
    expect(bodyOf(again).reference).toBe(bodyOf(res).reference);
  });

  describe('refusals: a stable 4xx and nothing stored', () => {
    it.each([
      ['no credentials', { auth: null }, 401, 'KOBO.AUTH_MISSING'],
      [
        'a wrong password',
        { auth: { basic: [KOBO.username, 'not-the-secret-at-all'] } },
        401,
        'KOBO.AUTH_INVALID',
      ],
      ['a wrong user name', { auth: { basic: ['someone', KOBO.secret] } }, 401, 'KOBO.AUTH_INVALID'],
      ['a wrong header secret', { auth: { header: 'test-kobo-shared-secret-2' } }, 401, 'KOBO.AUTH_INVALID'],
      ['XML instead of JSON', { contentType: 'application/xml' }, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['broken JSON', { raw: '{"meta/instanceID": ' }, 400, 'REQUEST.MALFORMED_JSON'],
      [
        'invalid UTF-8',
        { raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
        400,
        'REQUEST.INVALID_ENCODING',
      ],
      ['a huge body', { raw: `{"x":"${'a'.repeat(70 * 1024)}"}` }, 413, 'REQUEST.TOO_LARGE'],
      ['an array', { raw: '[]' }, 400, 'REQUEST.INVALID'],
    ] as const)('%s → %i %s', async (_what, o, status, code) => {
      const before = await itemCount();
      const res = await post(submission(), o as Parameters<typeof koboEvent>[1]);
      expect(res.statusCode).toBe(status);
      expect(errorCodeOf(res)).toBe(code);
      expect(await itemCount()).toBe(before);
    });

    it.each([
      ['no instance id', { 'meta/instanceID': undefined, _uuid: undefined }, 'instanceId'],
      ['an instance id that is not uuid:…', { 'meta/instanceID': '12345' }, 'instanceId'],
      ['no description', { 'complaint/description': undefined }, 'description'],
      ['a blank description', { 'complaint/description': '   ' }, 'description'],
      ['no channel', { 'intake/channel': undefined }, 'channel'],
      ['a channel the platform does not have', { 'intake/channel': 'carrier_pigeon' }, 'channel'],
      ['a language the platform does not speak', { 'intake/language': 'fr' }, 'language'],
      ['a made-up governorate', { 'location/governorate': 'IQG99' }, 'governorate'],
      ['a district outside its governorate', { 'location/district': 'IQG02Q01' }, 'district'],
      ['a phone that is not a number', { 'contact/phone': '0770-12' }, 'phone'],
    ])('%s → 400 REQUEST.INVALID naming %s, never its value', async (_what, answers, field) => {
      const before = await itemCount();
      const res = await post(submission(answers));
      expect(res.statusCode).toBe(400);
      expect(errorCodeOf(res)).toBe('REQUEST.INVALID');
      const details = (bodyOf(res).error as { details?: { path: string }[] }).details ?? [];
      expect(details.map((d) => d.path)).toContain(field);
      expect(res.body).not.toContain('0770-12');
      expect(await itemCount()).toBe(before);
    });

    it('a question under two groups → 400 KOBO.AMBIGUOUS_FIELD', async () => {
      const before = await itemCount();
      const res = await post(submission({ 'other/description': 'a second description' }));
      expect(res.statusCode).toBe(400);
      expect(errorCodeOf(res)).toBe('KOBO.AMBIGUOUS_FIELD');
      expect(await itemCount()).toBe(before);
    });

    it('a stage without field forms → 404 KOBO.NOT_ENABLED', async () => {
      const { kobo: _off, ...without } = platform;
      usePlatform(without);
      try {
        const res = await post(submission());
        expect(res.statusCode).toBe(404);
        expect(errorCodeOf(res)).toBe('KOBO.NOT_ENABLED');
      } finally {
        usePlatform(platform);
      }
    });
  });

  it('never writes the phone number, the name or the narrative to the logs', async () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const s = submission({
      'contact/phone': PHONE_LOCAL,
      'contact/name': NAME,
      'consent/consent_contact': 'yes',
      'complaint/description': 'secret narrative about the distribution',
    });
    await post(s);
    await post(s);
    await post(submission({ 'contact/phone': 'call 0770 1239876 please', 'contact/name': NAME }));
    vi.restoreAllMocks();
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('');
    expect(logged).not.toContain('1239876');
    expect(logged).not.toContain('Hana');
    expect(logged).not.toContain('secret narrative');
  });

  it('a form reporting sexual exploitation is restricted (S3) and routed to the PSEA focal point only', async () => {
    const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
    const fp = (focalPointId: string, kind: string, restricted: boolean) => ({
      focalPointId,
      name: focalPointId,
      kind,
      restricted,
      channel: { type: 'local', address: focalPointId },
    });
    for (const f of [fp('general', 'general', false), fp('psea', 'psea', true)]) {
      await subscribeFocalPoint(platform, await config.put('focal-point', f));
    }
    await config.put('routing-rule', { ruleId: 'default', isDefault: true, focalPoints: ['general'] });
    await config.put('routing-rule', {
      ruleId: 's3',
      priority: 100,
      match: { sensitivities: ['S3'] },
      focalPoints: ['psea'],
    });
    const reader = new StreamReader(platform.db, platform.tableName);
    // Earlier tests' cases go to the general queue; only what arrives from here on is counted.
    await drain(reader, routerFor(platform));
    await readInbox(messaging, 'general');
    await readInbox(messaging, 'psea');

    // Nobody chose a category on the form: the classifier reads the words, as for any other channel.
    const res = await post(
      submission({
        'intake/channel': 'complaint_box',
        'intake/language': 'en',
        'complaint/description':
          'The distribution guard told my sister he would put her on the list if she slept with him',
        'contact/phone': PHONE_LOCAL,
        'consent/consent_contact': 'yes',
      }),
    );
    expect(res.statusCode).toBe(201);
    const { reference } = bodyOf(res);
    const run = await drain(reader, routerFor(platform));
    expect(run.failures).toEqual([]);
    const c = await platform.cases.getByReference(reference as string);
    expect(c).toMatchObject({
      channel: 'complaint_box',
      transport: 'kobo',
      sensitivity: 'S3',
      category: 'C07',
    });
    expect(c?.routing?.focalPoints).toEqual(['psea']);
    const psea = await readInbox(messaging, 'psea');
    const general = await readInbox(messaging, 'general');
    expect(psea.map((m) => m.message.reference)).toContain(reference);
    expect(general.map((m) => m.message.reference)).not.toContain(reference);
    for (const m of psea) {
      expect(m.body).not.toContain('slept');
      expect(m.body).not.toContain('7701239876');
    }
  });
});
