import { describe, expect, it } from 'vitest';
import { e164OrUndefined, InboundSmsForm, StatusForm, VoiceForm } from '#shared/intake/twilio-forms.ts';

const SID = (p: string) => `${p}${'a1'.repeat(16)}`;
const sms = (extra: Record<string, string> = {}) => ({
  MessageSid: SID('SM'),
  AccountSid: SID('AC'),
  From: '+9647701234567',
  To: '+9647000000000',
  Body: 'hello',
  NumMedia: '0',
  SmsStatus: 'received',
  ...extra,
});

describe('Twilio forms', () => {
  it('reads an inbound SMS as a transport-neutral message, keeping only the fields the platform uses', () => {
    expect(InboundSmsForm.parse(sms())).toEqual({
      transport: 'sms',
      messageId: SID('SM'),
      from: '+9647701234567',
      to: '+9647000000000',
      body: 'hello',
      media: [],
    });
  });

  it('collects the media URLs Twilio counts in NumMedia', () => {
    const parsed = InboundSmsForm.parse(
      sms({
        MessageSid: SID('MM'),
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/media/one',
        MediaUrl1: 'https://api.twilio.com/media/two',
        MediaUrl2: 'https://api.twilio.com/media/not-counted',
      }),
    );
    expect(parsed.media).toEqual(['https://api.twilio.com/media/one', 'https://api.twilio.com/media/two']);
  });

  it('refuses what Twilio never sends', () => {
    const bad = [
      sms({ MessageSid: 'SM123' }),
      sms({ MessageSid: SID('CA') }),
      sms({ AccountSid: 'nope' }),
      sms({ From: '' }),
      sms({ Body: 'x'.repeat(1601) }),
      sms({ NumMedia: '11' }),
      sms({ NumMedia: 'two' }),
      sms({ NumMedia: '1', MediaUrl0: 'not a url' }),
    ];
    for (const form of bad) expect(InboundSmsForm.safeParse(form).success, JSON.stringify(form)).toBe(false);
    const { MessageSid: _omit, ...noSid } = sms();
    expect(InboundSmsForm.safeParse(noSid).success).toBe(false);
  });

  it('reads IVR requests with keypad digits only', () => {
    const call = { CallSid: SID('CA'), AccountSid: SID('AC'), From: '+9647701234567' };
    expect(VoiceForm.parse({ ...call, Digits: '3' }).Digits).toBe('3');
    expect(VoiceForm.parse({ ...call, RecordingDuration: '14' }).RecordingDuration).toBe(14);
    expect(VoiceForm.safeParse({ ...call, Digits: '3; drop table' }).success).toBe(false);
    expect(VoiceForm.safeParse({ ...call, CallSid: SID('SM') }).success).toBe(false);
  });

  it('reads delivery statuses of messages and calls, and needs one of the two', () => {
    expect(
      StatusForm.parse({ AccountSid: SID('AC'), MessageSid: SID('SM'), MessageStatus: 'delivered' }),
    ).toEqual({
      kind: 'sms',
      sid: SID('SM'),
      status: 'delivered',
      errorCode: undefined,
    });
    expect(
      StatusForm.parse({ AccountSid: SID('AC'), CallSid: SID('CA'), CallStatus: 'no-answer' }),
    ).toMatchObject({ kind: 'call', status: 'no-answer' });
    expect(StatusForm.safeParse({ AccountSid: SID('AC'), MessageSid: SID('SM') }).success).toBe(false);
    expect(
      StatusForm.safeParse({ AccountSid: SID('AC'), MessageSid: SID('SM'), MessageStatus: 'exploded' })
        .success,
    ).toBe(false);
  });

  it('keeps an E.164 sender and drops short codes, alphanumeric senders and withheld numbers', () => {
    expect(e164OrUndefined('+9647701234567')).toBe('+9647701234567');
    for (const other of ['12345', 'IOM-IRAQ', '+266696687', '+7378742833', 'Anonymous', '', undefined]) {
      expect(e164OrUndefined(other), String(other)).toBeUndefined();
    }
  });
});
