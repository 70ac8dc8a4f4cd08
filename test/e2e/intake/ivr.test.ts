import { describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { DEFAULT_IVR_PROMPTS } from '#shared/intake/ivr-prompts.ts';
import { parseMoves, placeCall } from '../../../scripts/lib/call-sim.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { postSigned, type SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, settle, tokenFor } from '../../support/http.ts';
import { notificationsFor } from '../routing/support.ts';

const target = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});
const phone = () => `+96475${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
const said = (
  language: 'ar' | 'ckb' | 'kmr' | 'en',
  id: keyof (typeof DEFAULT_IVR_PROMPTS)['ar']['prompts'],
) => (DEFAULT_IVR_PROMPTS[language].prompts[id] as { say: string }).say;
/** Texts the platform and returns the reference it answers with. */
async function smsReference(from: string, body: string): Promise<string> {
  const sms = await sendSms(target(), { from, to: LOCAL_TWILIO.messagingFrom, body });
  return /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(sms.replies[0] ?? '')?.[0] as string;
}

interface Detail {
  case: {
    reference: string;
    channel: string;
    language: string;
    type: string;
    category: string | null;
  } & Record<string, unknown>;
  timeline: { type: string; data?: Record<string, unknown> }[];
}

async function detail(reference: string): Promise<Detail> {
  const token = await tokenFor('psea');
  const found = await api('POST', '/api/cases/lookup', { token, json: { reference } });
  const [item] = (found.json() as { items: { caseId: string }[] }).items;
  expect(item, `case ${reference}`).toBeDefined();
  const res = await api('GET', `/api/cases/${item?.caseId}`, { token });
  expect(res.status).toBe(200);
  return res.json() as Detail;
}

describe('hotline IVR over HTTP against the local stack', () => {
  it('an Arabic caller leaves a complaint as a voice message and hears the reference', async () => {
    const call = await placeCall(target(), {
      from: phone(),
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves('1,3,1,record:"خزان الماء فارغ منذ ثلاثة أيام"'),
    });
    expect(call.failed).toBeUndefined();
    expect(call.hungUp).toBe(true);
    expect(
      call.heard.some(
        (h) => h.text === (DEFAULT_IVR_PROMPTS.ar.prompts.recordedThanks as { say: string }).say,
      ),
    ).toBe(true);
    const { case: c, timeline } = await detail(call.reference as string);
    expect(c).toMatchObject({
      channel: 'voice',
      language: 'ar',
      type: 'complaint',
      narrative: 'خزان الماء فارغ منذ ثلاثة أيام',
    });
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['received', 'recording', 'transcription']),
    );
  });

  it('a Sorani caller reports abuse by an aid worker: an S3 case with an urgent callback request', async () => {
    const call = await placeCall(target(), {
      from: phone(),
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves('2,5,record:"کارمەندێک داوای شتی نەشیاوی لێکردم"'),
    });
    expect(call.failed).toBeUndefined();
    expect(call.heard[0]?.language).toBe('arb');
    expect(
      call.heard.some((h) => h.text === (DEFAULT_IVR_PROMPTS.ckb.prompts.abuseIntro as { say: string }).say),
    ).toBe(true);
    const { case: c, timeline } = await detail(call.reference as string);
    expect(c).toMatchObject({
      channel: 'voice',
      language: 'ckb',
      category: 'C07',
      sensitivity: 'S3',
      urgency: 'urgent',
    });
    const callback = timeline.find((e) => e.type === 'callback_requested');
    expect(callback?.data).toMatchObject({ urgent: true, reason: 'abuse_report' });

    // An officer without the PSEA role cannot find it.
    const officer = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('officer'),
      json: { reference: call.reference },
    });
    expect((officer.json() as { items: unknown[] }).items).toEqual([]);
  });

  it('a caller who never presses a key hears the menu three times, then a goodbye with a reference', async () => {
    const call = await placeCall(target(), { from: phone(), to: LOCAL_TWILIO.messagingFrom, moves: [] });
    expect(call.requests.map((r) => r.url.replace(/^https?:\/\/[^/]+/, ''))).toEqual([
      '/webhooks/twilio/voice',
      '/webhooks/twilio/voice/language',
      '/webhooks/twilio/voice/language?n=1',
      '/webhooks/twilio/voice/language?n=2',
    ]);
    expect(call.hungUp).toBe(true);
    const { case: c, timeline } = await detail(call.reference as string);
    expect(c.type).toBe('incomplete');
    expect(timeline.find((e) => e.type === 'callback_requested')?.data).toMatchObject({
      reason: 'no_choice',
    });
  });

  it('an unknown IVR step answers 404 IVR.UNKNOWN_STEP with a spoken apology', async () => {
    const res = await postSigned(target(), '/webhooks/twilio/voice/transfer', {
      CallSid: `CA${'1'.repeat(32)}`,
      AccountSid: LOCAL_TWILIO.accountSid,
      From: phone(),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('IVR.UNKNOWN_STEP');
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(res.body).toContain('<Hangup/>');
  });

  it('a caller who stays silent at the tone hears the callback promise and the reference (1,3,1)', async () => {
    const call = await placeCall(target(), {
      from: phone(),
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves('1,3,1'),
    });
    expect(call.failed).toBeUndefined();
    expect(call.hungUp).toBe(true);
    expect(call.heard.map((h) => h.text)).toEqual(
      expect.arrayContaining([said('ar', 'emptyRecording'), said('ar', 'callbackConfirmed')]),
    );
    const { case: c, timeline } = await detail(call.reference as string);
    expect(c).toMatchObject({ channel: 'voice', language: 'ar', type: 'complaint' });
    expect(timeline.find((e) => e.type === 'callback_requested')?.data).toMatchObject({
      reason: 'empty_recording',
    });
  });

  it('a caller checks a case by typing its reference on the keypad and hears its status', async () => {
    const from = phone();
    const ref = await smsReference(from, 'The water tank in the camp has been empty for three days');
    await settle();
    const call = await placeCall(target(), {
      from,
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves(`4,6,ref:${ref}`),
    });
    expect(call.failed).toBeUndefined();
    expect(call.hungUp).toBe(true);
    expect(call.reference).toBe(ref);
    const texts = call.heard.map((h) => h.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        said('en', 'statusOption'),
        said('en', 'statusEnter'),
        said('en', 'statusNew'),
      ]),
    );
    // Checking opened nothing.
    const lookup = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('psea'),
      json: { phone: from },
    });
    expect((lookup.json() as { items: { reference: string }[] }).items.map((i) => i.reference)).toEqual([
      ref,
    ]);
  });

  it('a restricted case is only "received and being handled" on the phone too', async () => {
    const from = phone();
    const ref = await smsReference(from, 'کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی');
    await notificationsFor(ref);
    const call = await placeCall(target(), {
      from,
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves(`2,6,ref:${ref}`),
    });
    expect(call.reference).toBe(ref);
    const texts = call.heard.map((h) => h.text);
    expect(texts).toContain(said('ckb', 'statusRestricted'));
    expect(texts).not.toContain(said('ckb', 'statusNew'));
  });

  it('a withheld number or another number’s reference hears "not found", may try again or go back', async () => {
    const owner = phone();
    const ref = await smsReference(owner, 'ما وصلتنا المساعدات هذا الشهر');
    await settle();
    // Another number types the owner's reference, then gives up: "not found" each time, a goodbye, and no case.
    const stranger = phone();
    const tried = await placeCall(target(), {
      from: stranger,
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves(`1,6,ref:${ref},ref:${ref},ref:${ref}`),
    });
    expect(tried.failed).toBeUndefined();
    expect(tried.hungUp).toBe(true);
    expect(tried.reference).toBeUndefined();
    const heard = tried.heard.map((h) => h.text);
    expect(heard.filter((t) => t === said('ar', 'statusNotFound'))).toHaveLength(2);
    // The local stack's public SMS number (+9647000000000, the simulator's), read digit by digit; no WhatsApp number.
    expect(heard).toContain(
      'لم نتمكن من إيجاد طلبك. يمكنك الاتصال مجدداً، أو إرسال رقم المرجع إلينا برسالة نصية إلى الرقم 0 7 0 0, 0 0 0, 0 0 0 0.',
    );
    const lookup = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('psea'),
      json: { phone: stranger },
    });
    expect((lookup.json() as { items: unknown[] }).items).toEqual([]);

    // A withheld number is not found either; * goes back to the topic menu, where a complaint can still be made.
    const withheld = await placeCall(target(), {
      from: 'Anonymous',
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves(`1,6,ref:${ref},*,3,2`),
    });
    expect(withheld.failed).toBeUndefined();
    const withheldHeard = withheld.heard.map((h) => h.text);
    expect(withheldHeard).toContain(said('ar', 'statusNotFound'));
    expect(withheldHeard.filter((t) => t === said('ar', 'topicMenu'))).toHaveLength(2);
    expect(withheldHeard).toContain(
      'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. يرجى الاتصال مجدداً من رقم غير مخفي' +
        '، أو إرسال رسالة نصية إلى الرقم 0 7 0 0, 0 0 0, 0 0 0 0.',
    );
    expect(withheld.reference).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(withheld.reference).not.toBe(ref);
  });
});
