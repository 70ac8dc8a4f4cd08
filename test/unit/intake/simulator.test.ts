import { describe, expect, it } from 'vitest';
import { parseMoves } from '../../../scripts/lib/call-sim.ts';
import { inboundSmsParams } from '../../../scripts/lib/sms-sim.ts';
import { localAddress, parseArgs } from '../../../scripts/lib/twilio-sim.ts';
import { parseXml, XmlError } from '../../../scripts/lib/xml.ts';

describe('phone simulator', () => {
  it('reads a call script: keys, silence, a recording with its words, a hangup', () => {
    expect(parseMoves('2,5,record:"ناردنی پەیام",hangup')).toEqual([
      { kind: 'key', key: '2' },
      { kind: 'key', key: '5' },
      { kind: 'record', text: 'ناردنی پەیام' },
      { kind: 'hangup' },
    ]);
    expect(parseMoves('1, -, record', 'said')).toEqual([
      { kind: 'key', key: '1' },
      { kind: 'silence' },
      { kind: 'record', text: 'said' },
    ]);
    expect(() => parseMoves('1,x')).toThrow(/"x"/);
    // A reference typed on the keypad: each letter as the key that carries it.
    expect(parseMoves('1,6,ref:K7MQ-4XZ9')).toEqual([
      { kind: 'key', key: '1' },
      { kind: 'key', key: '6' },
      { kind: 'key', key: '57674999' },
    ]);
    expect(() => parseMoves('ref:K7MQ')).toThrow(/ref:K7MQ/);
  });

  it('reads command-line flags, repeated ones in order', () => {
    const { flags, words } = parseArgs([
      '--from',
      '+9647701234567',
      '--media',
      'a',
      '--media=b',
      '--json',
      'hi',
      'there',
    ]);
    expect(flags.get('from')).toEqual(['+9647701234567']);
    expect(flags.get('media')).toEqual(['a', 'b']);
    expect(flags.get('json')).toEqual(['true']);
    expect(words).toEqual(['hi', 'there']);
  });

  it('posts the form Twilio posts for an MMS', () => {
    const params = inboundSmsParams(
      { from: '+9647701234567', to: '+9647000000000', body: 'photo', mediaUrls: ['https://x.example/m.jpg'] },
      'AC1',
      'MM1',
    );
    expect(params).toMatchObject({
      MessageSid: 'MM1',
      SmsSid: 'MM1',
      NumMedia: '1',
      MediaUrl0: 'https://x.example/m.jpg',
    });
  });

  it('sends requests for public URLs to the local stack', () => {
    const target = {
      url: 'http://localhost:3000',
      publicBaseUrl: 'https://abc.ngrok.app',
      authToken: 't',
      accountSid: 'a',
    };
    expect(localAddress(target, 'https://abc.ngrok.app/webhooks/twilio/voice/topic?l=ar')).toBe(
      'http://localhost:3000/webhooks/twilio/voice/topic?l=ar',
    );
  });
});

describe('the strict XML reader used on TwiML', () => {
  it('reads elements, attributes, entities and text', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say a="x &amp; y">&lt;hi&#x21;&gt;</Say></Response>',
    );
    expect(root).toEqual({
      name: 'Response',
      attributes: {},
      children: [{ name: 'Say', attributes: { a: 'x & y' }, children: ['<hi!>'] }],
    });
  });

  it('refuses what is not well-formed', () => {
    for (const bad of [
      '<Response>',
      '<Response></Say>',
      '<Response><Say>a & b</Say></Response>',
      '<Response a=1/>',
      '<Response/><Extra/>',
      '<Response a="1" a="2"/>',
      '<Response>&bogus;</Response>',
      'text',
    ]) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
  });
});
