import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GatewayEvent,
  gatewayInbound,
  gatewaySenderE164,
  isGatewaySignatureValid,
  isWithinReplayWindow,
} from '#shared/intake/transports/gateway.ts';
import { outboundRoute } from '#shared/intake/transports/outbound-route.ts';
import { templateVariables, withinWhatsAppWindow } from '#shared/intake/transports/whatsapp.ts';
import { InboundSmsForm } from '#shared/intake/twilio-forms.ts';

const SID = (p: string) => `${p}${'ab'.repeat(16)}`;
const NOW = new Date('2026-12-03T09:00:00.000Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe('WhatsApp on the Twilio webhook', () => {
  const form = (over: Record<string, string> = {}) => ({
    MessageSid: SID('SM'),
    AccountSid: SID('AC'),
    From: 'whatsapp:+9647701234567',
    To: 'whatsapp:+9647000000002',
    Body: 'مرحبا',
    NumMedia: '0',
    ProfileName: 'Someone',
    ...over,
  });

  it('reads whatsapp: addresses as the WhatsApp transport, without the prefix or the profile name', () => {
    expect(InboundSmsForm.parse(form())).toEqual({
      transport: 'whatsapp',
      messageId: SID('SM'),
      from: '+9647701234567',
      to: '+9647000000002',
      body: 'مرحبا',
      media: [],
    });
  });

  it('keeps Twilio media URLs and refuses any other link, or a WhatsApp address on one end only', () => {
    const media = `https://api.twilio.com/2010-04-01/Accounts/${SID('AC')}/Messages/${SID('MM')}/Media/${SID('ME')}`;
    expect(InboundSmsForm.parse(form({ NumMedia: '1', MediaUrl0: media })).media).toEqual([media]);
    for (const bad of [
      form({ NumMedia: '1', MediaUrl0: 'https://evil.example/a.jpg' }),
      form({ NumMedia: '1', MediaUrl0: 'http://api.twilio.com/x' }),
      form({ To: '+9647000000002' }),
      form({ From: 'whatsapp:9647701234567' }),
    ]) {
      expect(InboundSmsForm.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('the local SMS gateway format', () => {
  const key = 'k'.repeat(24);
  const body = '{"event":"sms:received"}';
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('hex');

  it('checks the documented signature: hex HMAC-SHA256 of the raw body followed by the timestamp', () => {
    expect(isGatewaySignatureValid(key, body, '1764752400', hmac(`${body}1764752400`))).toBe(true);
    expect(isGatewaySignatureValid(key, body, '1764752401', hmac(`${body}1764752400`))).toBe(false);
    expect(isGatewaySignatureValid(key, body, '1764752400', hmac(`1764752400${body}`))).toBe(false);
    expect(isGatewaySignatureValid(key, body, '1764752400', 'not hex')).toBe(false);
  });

  it('takes timestamps within five minutes either way', () => {
    const s = (ms: number) => String(Math.floor((NOW.getTime() + ms) / 1000));
    expect(isWithinReplayWindow(s(-299_000), NOW)).toBe(true);
    expect(isWithinReplayWindow(s(299_000), NOW)).toBe(true);
    expect(isWithinReplayWindow(s(-301_000), NOW)).toBe(false);
    expect(isWithinReplayWindow(s(301_000), NOW)).toBe(false);
    expect(isWithinReplayWindow('1764752400.5', NOW)).toBe(false);
  });

  it('reads senders as Iraqi phones report them, and nothing else', () => {
    expect(gatewaySenderE164('+9647701234567')).toBe('+9647701234567');
    expect(gatewaySenderE164('009647701234567')).toBe('+9647701234567');
    expect(gatewaySenderE164('0770 123 4567')).toBe('+9647701234567');
    expect(gatewaySenderE164('ASIACELL')).toBeUndefined();
    expect(gatewaySenderE164('4455')).toBeUndefined();
  });

  it('parses the documented sms:received payload into a message keyed by the event id', () => {
    const event = GatewayEvent.parse({
      deviceId: 'ffffffffceb0b1db0000018e937c815b',
      event: 'sms:received',
      id: 'Ey6ECgOkVVFjz3CL48B8C',
      payload: {
        messageId: 'abc123',
        message: 'hello',
        phoneNumber: '07701234567',
        simNumber: 1,
        receivedAt: '2024-06-22T15:46:11.000+07:00',
      },
      webhookId: 'w1',
    });
    if (event.event !== 'sms:received') throw new Error('not parsed as received');
    expect(gatewayInbound(event, '+9647800000001')).toEqual({
      transport: 'gateway',
      messageId: 'GWEy6ECgOkVVFjz3CL48B8C',
      from: '+9647701234567',
      to: '+9647800000001',
      body: 'hello',
      media: [],
    });
    expect(GatewayEvent.safeParse({ event: 'mms:received', id: 'x', payload: {} }).success).toBe(false);
    expect(
      GatewayEvent.safeParse({ event: 'sms:delivered', id: 'x', payload: { phoneNumber: '+9647701234567' } })
        .success,
    ).toBe(false);
  });
});

describe('which transport a message the platform starts goes out on', () => {
  const sids = { resolved: { ar: `HX${'a'.repeat(32)}` } };
  const whatsapp = { transport: 'whatsapp' as const, to: '+9647000000002', at: ago(HOUR) };

  it('WhatsApp: free text within 24 hours of the last message, the template after, SMS without one', () => {
    const enabled = { gateway: false, whatsapp: { contentSids: sids } };
    expect(
      outboundRoute({ via: whatsapp, whatsappAt: ago(23 * HOUR) }, 'resolved', 'ar', enabled, NOW),
    ).toEqual({
      transport: 'whatsapp',
      from: '+9647000000002',
      mode: 'text',
    });
    expect(
      outboundRoute({ via: whatsapp, whatsappAt: ago(25 * HOUR) }, 'resolved', 'ar', enabled, NOW),
    ).toEqual({
      transport: 'whatsapp',
      from: '+9647000000002',
      mode: 'template',
      contentSid: sids.resolved.ar,
      script: 'arabic',
    });
    // No approved template in Sorani: the message goes as an SMS rather than not at all.
    expect(
      outboundRoute({ via: whatsapp, whatsappAt: ago(25 * HOUR) }, 'resolved', 'ckb', enabled, NOW),
    ).toEqual({
      transport: 'sms',
    });
    expect(
      outboundRoute(
        { via: whatsapp, whatsappAt: ago(25 * HOUR) },
        'resolved',
        'ckb',
        { ...enabled, gateway: true },
        NOW,
      ),
    ).toEqual({ transport: 'gateway' });
  });

  it('WhatsApp: Kurmanji written in Arabic letters gets the Badini template in Arabic script, else the Latin one', () => {
    const late = { via: whatsapp, whatsappAt: ago(25 * HOUR) };
    const kmr = `HX${'b'.repeat(32)}`;
    const badini = `HX${'c'.repeat(32)}`;
    const both = { gateway: false, whatsapp: { contentSids: { resolved: { kmr, 'kmr-arab': badini } } } };
    const template = (contentSid: string, script: string) => ({
      transport: 'whatsapp',
      from: '+9647000000002',
      mode: 'template',
      contentSid,
      script,
    });
    expect(outboundRoute(late, 'resolved', 'kmr', both, NOW, 'arabic')).toEqual(template(badini, 'arabic'));
    expect(outboundRoute(late, 'resolved', 'kmr', both, NOW, 'latin')).toEqual(template(kmr, 'latin'));
    expect(outboundRoute(late, 'resolved', 'kmr', both, NOW)).toEqual(template(kmr, 'latin'));
    // Without an approved Badini template, the Latin one rather than an SMS: the person wrote on WhatsApp.
    const latinOnly = { gateway: false, whatsapp: { contentSids: { resolved: { kmr } } } };
    expect(outboundRoute(late, 'resolved', 'kmr', latinOnly, NOW, 'arabic')).toEqual(template(kmr, 'latin'));
  });

  it('the gateway for its own people and for those who never wrote, where the stage has one', () => {
    const gw = { transport: 'gateway' as const, to: '+9647800000001', at: ago(HOUR) };
    expect(outboundRoute({ via: gw }, 'resolved', 'ar', { gateway: true }, NOW)).toEqual({
      transport: 'gateway',
    });
    expect(outboundRoute({}, 'resolved', 'ar', { gateway: true }, NOW)).toEqual({ transport: 'gateway' });
    expect(outboundRoute({}, 'resolved', 'ar', { gateway: false }, NOW)).toEqual({ transport: 'sms' });
    const sms = { transport: 'sms' as const, to: '+9647000000000', at: ago(HOUR) };
    expect(outboundRoute({ via: sms }, 'resolved', 'ar', { gateway: true }, NOW)).toEqual({
      transport: 'sms',
    });
  });

  it('numbers the template placeholders as the approved templates use them', () => {
    expect(templateVariables('resolved', { ref: 'K7MQ-4XZ9', outcome: 'تم حل المشكلة' })).toEqual({
      '1': 'K7MQ-4XZ9',
      '2': 'تم حل المشكلة',
    });
    expect(templateVariables('closed_no_answer', { ref: 'K7MQ-4XZ9' })).toEqual({ '1': 'K7MQ-4XZ9' });
    expect(withinWhatsAppWindow(undefined, NOW)).toBe(false);
  });
});
