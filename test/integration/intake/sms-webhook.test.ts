import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { isOptedOut } from '#shared/intake/opt-out.ts';
import { senderKey } from '#shared/intake/sender.ts';
import { render } from '#shared/messages/templates.ts';
import { allElements, parseXml, textOf } from '../../../scripts/lib/xml.ts';
import { testPlatform } from '../../support/services.ts';
import {
  newIraqiPhone,
  newMessageSid,
  SMS_PATH,
  SMS_ROUTE,
  smsWebhookTests,
} from '../../support/sms-webhook.ts';
import { allItems, errorCodeOf, invoke, twilioEvent } from './twilio-events.ts';

// Debug lines too, so the test below sees every line the handler could write.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const { handler } = await import('#functions/twilio-sms/handler.ts');
// After the log level is set: the worker's lines are checked too.
const { startInbox } = await import('../../support/inbox.ts');

describe('SMS webhook against DynamoDB Local', () => {
  const sms = smsWebhookTests(handler);
  let platform: Platform;
  let inbox: ReturnType<typeof startInbox>;

  beforeAll(() => {
    ({ platform, inbox } = sms);
  });
  afterEach(() => vi.restoreAllMocks());

  const { params, post: send } = sms;
  /** Sends, then waits for the inbox worker to carry the message out. */
  const deliver = async (p: Record<string, string>) => {
    const res = await send(p);
    await inbox.settle();
    return res;
  };
  const cases = async () =>
    (await allItems(platform.db, platform.tableName)).filter(
      (it) => JSON.stringify(it.entity) === '{"S":"case"}',
    ).length;
  const replies = (body: string) =>
    allElements(parseXml(body))
      .filter((e) => e.name === 'Message')
      .map(textOf);
  const refIn = (text: string) => /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(text)?.[0] as string;
  const count = async () => (await allItems(platform.db, platform.tableName)).length;

  it('stores an Arabic SMS as a case and answers with its reference in Arabic', async () => {
    const phone = newIraqiPhone();
    const res = await deliver(params(phone, 'الماء مقطوع في المخيم منذ ثلاثة أيام'));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^text\/xml/);
    const [reply] = replies(res.body);
    const ref = refIn(reply as string);
    expect(reply).toBe(render('received', 'ar', { ref }));

    const c = await platform.cases.getByReference(ref);
    expect(c).toMatchObject({
      channel: 'sms',
      language: 'ar',
      status: 'new',
      narrative: 'الماء مقطوع في المخيم منذ ثلاثة أيام',
      classification: { source: 'pending' },
      consentToFollowUp: true,
      createdBy: { kind: 'complainant' },
    });
    expect(c?.contact.phoneHash).toBe(platform.protector.hashPhone(phone));
    expect(platform.protector.decrypt(c?.contact.phoneCipher as string)).toBe(phone);
    const raw = JSON.stringify(await allItems(platform.db, platform.tableName));
    expect(raw).not.toContain(phone.slice(1));
  });

  it('answers a retry of the same MessageSid with the same reference and writes nothing', async () => {
    const p = params(newIraqiPhone(), 'We have not received the cash for three months');
    const first = await send(p);
    // Before the inbox worker has carried it out, and after.
    const early = await send(p);
    await inbox.settle();
    const before = await count();
    const again = await send(p);
    await inbox.settle();
    expect(again.statusCode).toBe(200);
    expect(replies(early.body)).toEqual(replies(first.body));
    expect(replies(again.body)).toEqual(replies(first.body));
    expect(await count()).toBe(before);
    expect(await platform.cases.getByReference(refIn(replies(first.body)[0] as string))).toBeDefined();
  });

  it('turns 25 concurrent deliveries of one message into one case', async () => {
    const p = params(newIraqiPhone(), 'Li kampê av tune ye');
    const before = await cases();
    const results = await Promise.all(Array.from({ length: 25 }, () => send(p)));
    await inbox.settle();
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([200]));
    const refs = new Set(results.map((r) => refIn(replies(r.body)[0] as string)));
    expect(refs.size).toBe(1);
    expect(await cases()).toBe(before + 1);
    expect(await platform.cases.getByReference([...refs][0] as string)).toBeDefined();
  });

  /** The fields Twilio posts for a message with photos attached: an MMS sid, the count, each URL and its type. */
  const withPhotos = (urls: string[]): Record<string, string> => ({
    MessageSid: newMessageSid('MM'),
    NumMedia: String(urls.length),
    ...Object.fromEntries(
      urls.flatMap((url, i) => [
        [`MediaUrl${i}`, url],
        [`MediaContentType${i}`, 'image/jpeg'],
      ]),
    ),
  });

  it('records the media URLs of an MMS', async () => {
    const res = await deliver(
      params(
        newIraqiPhone(),
        'photo of the broken tank',
        withPhotos([
          'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
          'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
        ]),
      ),
    );
    const c = await platform.cases.getByReference(refIn(replies(res.body)[0] as string));
    expect(c?.mediaUrls).toEqual([
      'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
    ]);
  });

  it('answers a message with nothing in it with how to write to us, and opens a case for a photo without words', async () => {
    const before = await cases();
    for (const body of ['', '   ']) {
      const res = await deliver(params(newIraqiPhone(), body));
      expect(res.statusCode).toBe(200);
      expect(replies(res.body)).toEqual([render('help', 'ar', {})]);
    }
    expect(await cases()).toBe(before);
    const photo = await deliver(
      params(
        newIraqiPhone(),
        '',
        withPhotos(['https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM2/Media/ME3']),
      ),
    );
    const c = await platform.cases.getByReference(refIn(replies(photo.body)[0] as string));
    expect(c?.mediaUrls).toEqual(['https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM2/Media/ME3']);
  });

  it('opens a new case for a second message, linked to the number’s earlier cases', async () => {
    const phone = newIraqiPhone();
    const first = refIn(replies((await deliver(params(phone, 'ئاو لە کەمپەکەدا نییە'))).body)[0] as string);
    const secondRes = await deliver(params(phone, 'هێشتا ئاو نییە، تکایە یارمەتیمان بدەن'));
    const [reply] = replies(secondRes.body);
    const second = refIn(reply as string);
    expect(reply).toBe(render('received', 'ckb', { ref: second }));
    expect(second).not.toBe(first);
    const c = await platform.cases.getByReference(second);
    const earlier = await platform.cases.getByReference(first);
    expect(c?.linkedCaseIds).toEqual([earlier?.caseId]);
  });

  it('threads a satisfaction answer onto the case waiting on the person, once', async () => {
    const phone = newIraqiPhone();
    const ref = refIn(
      replies((await deliver(params(phone, 'Em sê meh in alîkarî negihîştiye me'))).body)[0] as string,
    );
    const opened = await platform.cases.getByReference(ref);
    // Resolved, and the satisfaction question sent: the case waits on the person's answer.
    await platform.cases.mutate(opened?.caseId as string, undefined, (c) => ({
      next: { ...c, status: 'resolved', resolvedAt: c.receivedAt, waitingOn: 'complainant' },
      events: [],
    }));
    const answer = params(phone, '1');
    const res = await deliver(answer);
    expect(replies(res.body)).toEqual([render('thanks', 'kmr', {})]);
    const after = await platform.cases.mustGet(opened?.caseId as string);
    expect(after.waitingOn).toBeUndefined();
    expect(after.satisfaction).toBe('satisfied');
    const timeline = await platform.cases.timeline(after.caseId);
    expect(timeline.filter((e) => e.type === 'satisfaction').map((e) => e.data)).toEqual([
      { answer: 'satisfied', channel: 'sms' },
    ]);
    expect(timeline.filter((e) => e.type === 'message_in')).toHaveLength(1);

    // Twilio's retry: the same answer, nothing new, and no new case although the case no longer waits.
    const items = await count();
    const retry = await deliver(answer);
    expect(replies(retry.body)).toEqual([render('thanks', 'kmr', {})]);
    expect(await count()).toBe(items);
    // The case no longer waits, so the number's item no longer lists it.
    const sender = await platform.db.get(platform.tableName, senderKey(platform.protector.hashPhone(phone)));
    expect(sender?.waiting).toBeUndefined();
  });

  it('adds a follow-up message to the waiting case’s narrative and answers with its reference', async () => {
    const phone = newIraqiPhone();
    const ref = refIn(replies((await deliver(params(phone, 'The water tank is empty'))).body)[0] as string);
    const opened = await platform.cases.getByReference(ref);
    await platform.cases.mutate(opened?.caseId as string, undefined, (c) => ({
      next: { ...c, waitingOn: 'complainant' },
      events: [],
    }));
    const res = await deliver(params(phone, 'It is in block C, near the school'));
    expect(replies(res.body)).toEqual([render('received', 'en', { ref })]);
    const after = await platform.cases.mustGet(opened?.caseId as string);
    expect(after.narrative).toBe('The water tank is empty\n\nIt is in block C, near the school');
    // The case waited on the person's answer: it has it, so it no longer waits.
    expect(after.waitingOn).toBeUndefined();
    const inbound = (await platform.cases.timeline(after.caseId)).filter((e) => e.type === 'message_in');
    expect(inbound).toHaveLength(1);
    expect(JSON.stringify(inbound)).not.toContain('block C');
  });

  it('honours STOP, answers nothing while opted out (but keeps the complaint), and START again', async () => {
    const phone = newIraqiPhone();
    const hash = platform.protector.hashPhone(phone);
    const stop = await send(params(phone, 'توقف'));
    expect(replies(stop.body)).toEqual([render('stopped', 'ar', {})]);
    expect(await isOptedOut(platform.db, platform.tableName, hash)).toBe(true);

    const before = await cases();
    const silent = await deliver(params(phone, 'ما وصلتنا المساعدات هذا الشهر'));
    expect(silent.statusCode).toBe(200);
    expect(parseXml(silent.body).children).toEqual([]);
    expect(await cases()).toBe(before + 1);
    const [kept] = (await platform.cases.listByPhoneHash(hash)).items;
    expect(kept?.consentToFollowUp).toBe(false);
    expect(parseXml((await send(params(phone, 'HELP'))).body).children).toEqual([]);

    // The number wrote Arabic: keywords in any language are answered in Arabic, and do not change that.
    const start = await send(params(phone, 'دەستپێکردن'));
    expect(replies(start.body)).toEqual([render('started', 'ar', {})]);
    expect(await isOptedOut(platform.db, platform.tableName, hash)).toBe(false);
    expect(replies((await send(params(phone, 'alîkarî'))).body)).toEqual([render('help', 'ar', {})]);
  });

  it('writes the message onto the number’s item, which keeps only the outcome once the case is open', async () => {
    const phone = newIraqiPhone();
    const p = params(phone, 'The latrines in sector 4 are broken');
    const res = await send(p);
    const key = senderKey(platform.protector.hashPhone(phone));
    const pending = (await platform.db.get(platform.tableName, key, true))?.[`in#${p.MessageSid}`];
    // Either still pending (the text and the encrypted number) or already carried out.
    expect(pending).toBeDefined();
    expect(JSON.stringify(pending)).not.toContain(phone.slice(1));
    await inbox.settle();
    const ref = refIn(replies(res.body)[0] as string);
    const kept = (await platform.db.get(platform.tableName, key, true))?.[`in#${p.MessageSid}`];
    expect(JSON.parse(kept as string)).toEqual({
      at: expect.any(String),
      kind: 'opened',
      caseId: ref,
    });
  });

  it('stores a message at once when the number’s item is full (the worker was down for long)', async () => {
    const phone = newIraqiPhone();
    const key = senderKey(platform.protector.hashPhone(phone));
    await platform.db.put({
      TableName: platform.tableName,
      Item: { ...key, entity: 'sender', lang: 'en', filler: 'x'.repeat(409_400) },
    });
    const res = await send(params(phone, 'Nobody came to fix the water pump'));
    expect(res.statusCode).toBe(200);
    const ref = refIn(replies(res.body)[0] as string);
    // No settling: the case is there when the webhook answers.
    expect(await platform.cases.getByReference(ref)).toMatchObject({ channel: 'sms', language: 'en' });
  });

  it('never writes the phone number or the message to the logs', async () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const phone = newIraqiPhone();
    await deliver(params(phone, 'secret narrative about the distribution'));
    await send(params(phone, 'STOP'));
    await send(params(phone, 'still here'), { signature: 'forged' });
    vi.restoreAllMocks();
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('');
    expect(logged).not.toContain(phone.slice(4));
    expect(logged).not.toContain('secret narrative');
  });

  describe('bad requests: a stable 4xx and nothing written', () => {
    it.each([
      ['no signature', { signature: null }, 403, 'TWILIO.SIGNATURE_MISSING'],
      ['a forged signature', { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 403, 'TWILIO.SIGNATURE_INVALID'],
      ['JSON instead of a form', { contentType: 'application/json' }, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      [
        'invalid UTF-8',
        { rawBytes: Buffer.from([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff, 0xfe]) },
        400,
        'REQUEST.INVALID_ENCODING',
      ],
      ['a huge body', { rawBytes: Buffer.alloc(70 * 1024, 0x61) }, 413, 'REQUEST.TOO_LARGE'],
    ] as const)('%s → %i %s', async (_what, extra, status, code) => {
      const before = await count();
      const res = await send(params(newIraqiPhone(), 'hello'), extra);
      expect(res.statusCode).toBe(status);
      expect(errorCodeOf(res)).toBe(code);
      expect(await count()).toBe(before);
    });

    it('a signed form without a MessageSid → 400 REQUEST.INVALID naming the field', async () => {
      const before = await count();
      const { MessageSid: _drop, ...rest } = params(newIraqiPhone(), 'hello');
      const res = await send(rest);
      expect(res.statusCode).toBe(400);
      expect(errorCodeOf(res)).toBe('REQUEST.INVALID');
      expect(res.body).toContain('MessageSid');
      expect(await count()).toBe(before);
    });

    it('a signature over another URL (a query string this request does not have) → 403', async () => {
      const before = await count();
      const event = twilioEvent(platform, {
        routeKey: SMS_ROUTE,
        path: SMS_PATH,
        query: 'x=1',
        params: params(newIraqiPhone(), 'hi'),
      });
      event.rawQueryString = '';
      const res = await invoke(handler, event);
      expect(res.statusCode).toBe(403);
      expect(errorCodeOf(res)).toBe('TWILIO.SIGNATURE_INVALID');
      expect(await count()).toBe(before);
    });
  });
});

describe('SMS inbox worker when storing the case fails', () => {
  it('retries in order per number, so every answered message becomes its case once', async () => {
    const platform = await testPlatform();
    usePlatform(platform);
    // The fault: the first attempt to store a case fails, as during a DynamoDB outage.
    let failures = 1;
    const cases = {
      ...platform.cases,
      create: (input: Parameters<Platform['cases']['create']>[0]) => {
        if (failures-- > 0) return Promise.reject(new Error('simulated outage'));
        return platform.cases.create(input);
      },
    };
    const inbox = startInbox({ ...platform, cases });
    try {
      const phone = `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
      const refs: string[] = [];
      for (const body of ['The first complaint', 'The second complaint', 'The third complaint']) {
        const res = await invoke(
          handler,
          twilioEvent(platform, {
            routeKey: SMS_ROUTE,
            path: SMS_PATH,
            params: {
              MessageSid: newMessageSid(),
              AccountSid: platform.twilio.accountSid,
              From: phone,
              To: platform.twilio.messagingFrom,
              Body: body,
              NumMedia: '0',
            },
          }),
        );
        refs.push(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(res.body)?.[0] as string);
      }
      await inbox.settle();
      expect(failures).toBeLessThan(0);
      const stored = await Promise.all(refs.map((r) => platform.cases.getByReference(r)));
      expect(stored.map((c) => c?.narrative)).toEqual([
        'The first complaint',
        'The second complaint',
        'The third complaint',
      ]);
      // In order: each case links the number's earlier ones.
      expect(stored.map((c) => c?.linkedCaseIds.length)).toEqual([0, 1, 2]);
      const all = (await platform.cases.listByPhoneHash(platform.protector.hashPhone(phone))).items;
      expect(all).toHaveLength(3);
      expect(inbox.deadLettered).toEqual([]);
    } finally {
      await inbox.stop();
    }
  });
});
