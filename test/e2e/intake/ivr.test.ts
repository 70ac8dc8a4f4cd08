import { describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { DEFAULT_IVR_PROMPTS } from '#shared/intake/ivr-prompts.ts';
import { parseMoves, placeCall } from '../../../scripts/lib/call-sim.ts';
import { postSigned, type SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, tokenFor } from '../../support/http.ts';

const target = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});
const phone = () => `+96475${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

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
});
