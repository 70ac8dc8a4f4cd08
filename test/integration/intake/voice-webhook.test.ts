import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { handler } from '#functions/twilio-voice/handler.ts';
import { DEFAULT_IVR_PROMPTS } from '#shared/intake/ivr-prompts.ts';
import { allElements, childElements, parseXml, textOf, type XmlElement } from '../../../scripts/lib/xml.ts';
import { testPlatform } from '../../support/services.ts';
import { allItems, voiceCall } from './twilio-events.ts';

// Tuesday 2026-03-10, 10:00 in Baghdad (07:00 UTC): office hours. Friday 2026-03-13 is the weekend.
const OPEN = new Date('2026-03-10T07:00:00.000Z');
const CLOSED = new Date('2026-03-13T07:00:00.000Z');
const newSid = (p: string) => `${p}${randomBytes(16).toString('hex')}`;
const say = (id: keyof typeof DEFAULT_IVR_PROMPTS.en.prompts, language: 'ar' | 'ckb' | 'kmr' | 'en' = 'en') =>
  (DEFAULT_IVR_PROMPTS[language].prompts[id] as { say: string }).say;

describe('hotline IVR against DynamoDB Local', () => {
  let platform: Platform;
  let clock = OPEN;

  beforeAll(async () => {
    platform = await testPlatform({ now: () => clock });
    usePlatform(platform);
  });

  /** One call: posts to a public URL (or a step path) with the call's fields, as Twilio does. */
  const caller = (from = '+9647701234567') => {
    const callSid = newSid('CA');
    const post = voiceCall(platform, handler, callSid, from);
    return { callSid, post };
  };
  const twiml = (res: HttpResult) => parseXml(res.body);
  const find = (root: XmlElement, name: string) =>
    allElements(root).find((e) => e.name === name) as XmlElement;
  const spoken = (root: XmlElement) =>
    allElements(root)
      .filter((e) => e.name === 'Say')
      .map(textOf);
  const referenceOf = (root: XmlElement) => {
    const chars = spoken(root).find((t) => /^([2-9A-Z], ){7}[2-9A-Z]$/.test(t));
    return chars ? `${chars.replace(/, /g, '').slice(0, 4)}-${chars.replace(/, /g, '').slice(4)}` : undefined;
  };
  const count = async () => (await allItems(platform.db, platform.tableName)).length;

  it('walks an Arabic complaint with a voice message: one case, the recording and its transcription on it', async () => {
    clock = OPEN;
    const call = caller();
    const start = twiml(await call.post('/webhooks/twilio/voice'));
    const menu = find(start, 'Gather');
    const topic = twiml(await call.post(menu.attributes.action as string, { Digits: '1' }));
    expect(spoken(topic)).toEqual([say('topicMenu', 'ar'), say('statusOption', 'ar')]);
    const action = twiml(await call.post(find(topic, 'Gather').attributes.action as string, { Digits: '3' }));
    expect(spoken(action)).toEqual([say('actionMenu', 'ar')]);
    const record = twiml(
      await call.post(find(action, 'Gather').attributes.action as string, { Digits: '1' }),
    );
    const rec = find(record, 'Record');
    const recordingSid = newSid('RE');
    const recording = {
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/${recordingSid}`,
      RecordingDuration: '14',
    };
    const done = twiml(await call.post(rec.attributes.action as string, { ...recording, Digits: '#' }));
    const ref = referenceOf(done);
    expect(ref).toBeDefined();
    expect(childElements(done).at(-1)?.name).toBe('Hangup');

    const status = await call.post(rec.attributes.recordingStatusCallback as string, {
      ...recording,
      RecordingStatus: 'completed',
    });
    expect(status.statusCode).toBe(204);
    const transcribed = await call.post(rec.attributes.transcribeCallback as string, {
      ...recording,
      TranscriptionSid: newSid('TR'),
      TranscriptionStatus: 'completed',
      TranscriptionText: 'خزان الماء فارغ منذ ثلاثة أيام',
    });
    expect(transcribed.statusCode).toBe(204);

    const c = await platform.cases.findIdempotent(call.callSid);
    expect(c).toMatchObject({
      reference: ref,
      channel: 'voice',
      language: 'ar',
      type: 'complaint',
      sensitivity: 'S0',
      classification: { source: 'person', evidence: ['ivr:complaint'] },
      narrative: 'خزان الماء فارغ منذ ثلاثة أيام',
      mediaUrls: [recording.RecordingUrl],
      consentToFollowUp: true,
    });
    expect(c?.contact.phoneHash).toBe(platform.protector.hashPhone('+9647701234567'));
    const timeline = await platform.cases.timeline(c?.caseId as string);
    // The test clock stands still, so the two callbacks' events share a time: compare them as a set.
    expect(timeline.map((e) => e.type).sort()).toEqual(['received', 'recording', 'transcription']);
    expect(JSON.stringify(timeline)).not.toContain('خزان');

    // Twilio repeats any of these: nothing new is written.
    const items = await count();
    await call.post(menu.attributes.action as string, { Digits: '1' });
    await call.post(find(topic, 'Gather').attributes.action as string, { Digits: '3' });
    await call.post(rec.attributes.action as string, { ...recording, Digits: '#' });
    await call.post(rec.attributes.recordingStatusCallback as string, {
      ...recording,
      RecordingStatus: 'completed',
    });
    expect(await count()).toBe(items);
  });

  it('a Sorani report of abuse by an aid worker opens an S3 case with an urgent callback and reads the reference', async () => {
    const call = caller('+9647501112233');
    const topic = twiml(await call.post('/webhooks/twilio/voice/language', { Digits: '2' }));
    const abuse = twiml(await call.post(find(topic, 'Gather').attributes.action as string, { Digits: '5' }));
    expect(spoken(abuse)[0]).toBe(say('abuseIntro', 'ckb'));
    expect(find(abuse, 'Say').attributes).toMatchObject({ language: 'arb' });
    const ref = referenceOf(abuse);
    const c = await platform.cases.findIdempotent(call.callSid);
    expect(c).toMatchObject({
      reference: ref,
      language: 'ckb',
      type: 'complaint',
      category: 'C07',
      sensitivity: 'S3',
      urgency: 'urgent',
      classification: { source: 'person' },
      consentToFollowUp: false,
    });
    const callbacks = (await platform.cases.timeline(c?.caseId as string)).filter(
      (e) => e.type === 'callback_requested',
    );
    expect(callbacks.map((e) => e.data)).toEqual([
      { channel: 'voice', urgent: true, reason: 'abuse_report', reachable: true, outsideOfficeHours: false },
    ]);
  });

  it('after three silences at the language menu, says goodbye with a callback recorded on an incomplete case', async () => {
    const call = caller();
    let url = '/webhooks/twilio/voice/language';
    for (let i = 0; i < 2; i++) {
      const again = twiml(await call.post(url));
      expect(spoken(again)[0]).toBe(say('noInput', 'ar'));
      url = find(again, 'Redirect') && textOf(find(again, 'Redirect'));
    }
    const end = twiml(await call.post(url));
    expect(spoken(end)[0]).toBe(say('giveUp', 'ar'));
    expect(childElements(end).at(-1)?.name).toBe('Hangup');
    const c = await platform.cases.findIdempotent(call.callSid);
    expect(c).toMatchObject({
      type: 'incomplete',
      reference: referenceOf(end),
      classification: { source: 'pending' },
    });
    const events = await platform.cases.timeline(c?.caseId as string);
    expect(events.find((e) => e.type === 'callback_requested')?.data).toMatchObject({ reason: 'no_choice' });
  });

  it('outside office hours says so and still takes a callback request', async () => {
    clock = CLOSED;
    const call = caller();
    const topic = twiml(await call.post('/webhooks/twilio/voice/language', { Digits: '4' }));
    expect(spoken(topic)[0]).toBe(say('officeClosed'));
    const action = twiml(await call.post(find(topic, 'Gather').attributes.action as string, { Digits: '2' }));
    const done = twiml(await call.post(find(action, 'Gather').attributes.action as string, { Digits: '2' }));
    expect(spoken(done)[0]).toBe(say('callbackConfirmed'));
    const c = await platform.cases.findIdempotent(call.callSid);
    const events = await platform.cases.timeline(c?.caseId as string);
    expect(events.find((e) => e.type === 'callback_requested')?.data).toMatchObject({
      reason: 'asked',
      outsideOfficeHours: true,
    });
    clock = OPEN;
  });

  it('does not promise a callback to a withheld number, and stores no number', async () => {
    const call = caller('+266696687');
    const done = twiml(await call.post('/webhooks/twilio/voice/action?l=en&t=question', { Digits: '2' }));
    // This process configures no public number, so the prompt offers no other channel.
    expect(spoken(done)).toContain(
      'We cannot see your phone number, so we cannot call you back. Please call again from a number that is not hidden.',
    );
    const c = await platform.cases.findIdempotent(call.callSid);
    expect(c?.contact).toEqual({});
    expect(c?.consentToFollowUp).toBe(false);
  });

  it('answers an unknown step with a spoken apology, 404 and IVR.UNKNOWN_STEP, writing nothing', async () => {
    const before = await count();
    const res = await caller().post('/webhooks/twilio/voice/payment?l=kmr', { Digits: '1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers?.['x-error-code']).toBe('IVR.UNKNOWN_STEP');
    const root = twiml(res);
    expect(childElements(root).map((e) => e.name)).toEqual(['Say', 'Hangup']);
    expect(spoken(root)).toEqual([say('unknownStep', 'kmr')]);
    expect(await count()).toBe(before);
  });

  it('answers a step that lost its state with 400 IVR.INVALID_STATE in TwiML, writing nothing', async () => {
    const before = await count();
    for (const url of [
      '/webhooks/twilio/voice/topic',
      '/webhooks/twilio/voice/action?l=ar',
      '/webhooks/twilio/voice/topic?l=xx',
    ]) {
      const res = await caller().post(url, { Digits: '1' });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers?.['x-error-code']).toBe('IVR.INVALID_STATE');
      expect(childElements(twiml(res)).map((e) => e.name)).toEqual(['Say', 'Hangup']);
    }
    expect(await count()).toBe(before);
  });

  it('drops callbacks for a call it has no case for, without error', async () => {
    const before = await count();
    const res = await caller().post('/webhooks/twilio/voice/recording?l=ar&t=complaint', {
      RecordingSid: newSid('RE'),
      RecordingUrl: 'https://api.twilio.com/x',
      RecordingStatus: 'completed',
    });
    expect(res.statusCode).toBe(204);
    expect(await count()).toBe(before);
  });
});
