/**
 * Twilio's own published request-validation examples, passed through the platform's webhook validation.
 *
 * Both use the auth token `12345`, the URL `https://mycompany.com/myapp.php?foo=1&bar=2` and the fields
 * CallSid=CA1234567890ABCDE, Digits=1234, To=+18005551212 and From = Caller:
 * - with +14158675309 the signature is `RSOYDt4T1cUTdK1PDd93/VVr8B8=` (the request-validator tests of Twilio's
 *   PHP and C# helper libraries, and the example of Twilio's older security page);
 * - with +12349013030 it is `0/KCTR6DLpKmkAf8muzZqo1nDgQ=` (the example of Twilio's current webhook security page).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { isTwilioSignatureValid, signedParams, signedUrl } from '#functions/lib/twilio-webhook.ts';
import { handler as smsHandler } from '#functions/twilio-sms/handler.ts';
import { handler as voiceHandler } from '#functions/twilio-voice/handler.ts';
import { testPlatform } from '../../support/services.ts';
import { allItems, errorCodeOf, invoke, twilioEvent } from './twilio-events.ts';

const AUTH_TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const VECTORS = [
  { caller: '+14158675309', signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' },
  { caller: '+12349013030', signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' },
] as const;
const paramsFor = (caller: string): Record<string, string> => ({
  CallSid: 'CA1234567890ABCDE',
  Caller: caller,
  Digits: '1234',
  From: caller,
  To: '+18005551212',
});

describe('Twilio’s published signature examples', () => {
  let platform: Platform;

  beforeAll(async () => {
    const base = await testPlatform({ publicBaseUrl: 'https://mycompany.com' });
    platform = { ...base, twilio: { ...base.twilio, authToken: AUTH_TOKEN } };
    usePlatform(platform);
  });

  /** The example request as API Gateway would hand it over, on one of the platform's routes. */
  const exampleEvent = (routeKey: string, params: Record<string, string>, signature: string) =>
    twilioEvent(platform, {
      routeKey,
      path: '/myapp.php',
      query: 'foo=1&bar=2',
      params,
      signature,
      pathParameters: { step: 'language' },
    });

  it.each(VECTORS)('the validation accepts the example signed %s', ({ caller, signature }) => {
    expect(isTwilioSignatureValid(AUTH_TOKEN, signature, URL, paramsFor(caller))).toBe(true);
  });

  it('the validation rebuilds the signed URL and fields from the request as Twilio sent it', () => {
    const event = exampleEvent(
      'POST /webhooks/twilio/sms',
      paramsFor(VECTORS[0].caller),
      VECTORS[0].signature,
    );
    expect(signedUrl(platform.publicBaseUrl, event)).toBe(URL);
    expect(signedParams(event.body as string)).toEqual(paramsFor(VECTORS[0].caller));
  });

  it.each(VECTORS)(
    'with the example signed by %s, the SMS webhook passes the signature check, then refuses the form; nothing is written',
    async ({ caller, signature }) => {
      const res = await invoke(
        smsHandler,
        exampleEvent('POST /webhooks/twilio/sms', paramsFor(caller), signature),
      );
      // Past the signature: the example is a call's fields, not an SMS (no MessageSid, no AccountSid).
      expect(res.statusCode).toBe(400);
      expect(errorCodeOf(res)).toBe('REQUEST.INVALID');
      expect(await allItems(platform.db, platform.tableName)).toEqual([]);
    },
  );

  it.each([
    ['Digits', '1235'],
    ['To', '+18005551213'],
    ['CallSid', 'CA1234567890ABCDF'],
    ['From', '+14158675308'],
  ])(
    'changing %s to %s gives 403 TWILIO.SIGNATURE_INVALID on every webhook and writes nothing',
    async (field, value) => {
      const tampered = { ...paramsFor(VECTORS[0].caller), [field]: value };
      expect(isTwilioSignatureValid(AUTH_TOKEN, VECTORS[0].signature, URL, tampered)).toBe(false);
      for (const [handler, routeKey] of [
        [smsHandler, 'POST /webhooks/twilio/sms'],
        [voiceHandler, 'POST /webhooks/twilio/voice/{step}'],
      ] as const) {
        const res = await invoke(handler, exampleEvent(routeKey, tampered, VECTORS[0].signature));
        expect(res.statusCode).toBe(403);
        expect(errorCodeOf(res)).toBe('TWILIO.SIGNATURE_INVALID');
      }
      expect(await allItems(platform.db, platform.tableName)).toEqual([]);
    },
  );

  it('adding a field, or signing with another token, gives 403 as well', async () => {
    const extra = { ...paramsFor(VECTORS[1].caller), Body: 'hello' };
    const res = await invoke(
      smsHandler,
      exampleEvent('POST /webhooks/twilio/sms', extra, VECTORS[1].signature),
    );
    expect(res.statusCode).toBe(403);
    expect(isTwilioSignatureValid('12346', VECTORS[1].signature, URL, paramsFor(VECTORS[1].caller))).toBe(
      false,
    );
    expect(await allItems(platform.db, platform.tableName)).toEqual([]);
  });
});
