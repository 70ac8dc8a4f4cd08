import type { Platform } from './platform.ts';

/**
 * Outbound messages and calls through the Twilio SDK. The SDK is loaded on first use, not at cold start (it is
 * most of a bundle's weight). In the local stack `apiBaseUrl` is set and the SDK's own requests are sent to the
 * local stand-in of Twilio's API, which keeps them in the outbox.
 */
type TwilioRest = {
  messages: { create(p: Record<string, unknown>): Promise<{ sid: string; status: string }> };
  calls: { create(p: Record<string, unknown>): Promise<{ sid: string; status: string }> };
};

let client: { key: string; rest: Promise<TwilioRest> } | undefined;

/**
 * How long one request to Twilio may take before it is abandoned: well inside the notifier's 10 s, so one slow send
 * fails that message (it comes back) rather than timing out the whole batch.
 */
export const TWILIO_REQUEST_TIMEOUT_MS = 4_000;

async function build(platform: Platform): Promise<TwilioRest> {
  const [{ default: Twilio }, { default: RequestClient }] = await Promise.all([
    import('twilio/lib/rest/Twilio.js'),
    import('twilio/lib/base/RequestClient.js'),
  ]);
  const base = platform.twilio.apiBaseUrl?.replace(/\/$/, '');
  let httpClient = new RequestClient({ timeout: TWILIO_REQUEST_TIMEOUT_MS });
  if (base) {
    class LocalOutboxClient extends RequestClient {
      override request<T>(opts: Parameters<InstanceType<typeof RequestClient>['request']>[0]) {
        const uri = String(opts.uri).replace(/^https:\/\/[a-z0-9.-]*twilio\.com/, base as string);
        return super.request<T>({ ...opts, uri } as never);
      }
    }
    httpClient = new LocalOutboxClient({ timeout: TWILIO_REQUEST_TIMEOUT_MS });
  }
  return new Twilio(platform.twilio.accountSid, platform.twilio.authToken, {
    httpClient,
  }) as unknown as TwilioRest;
}

function rest(platform: Platform): Promise<TwilioRest> {
  const key = `${platform.twilio.accountSid}|${platform.twilio.apiBaseUrl ?? ''}`;
  if (client?.key !== key) client = { key, rest: build(platform) };
  return client.rest;
}

export interface OutboundSms {
  to: string;
  body: string;
  /** Another sender than the platform's SMS number (`whatsapp:+…` for WhatsApp). */
  from?: string;
  /** Twilio posts delivery statuses here (the platform's /webhooks/twilio/status). */
  statusCallback?: string;
}

/** Sends one SMS (or a WhatsApp free-text message) from the platform's number; resolves with Twilio's SID. */
export async function sendSms(
  platform: Platform,
  sms: OutboundSms,
): Promise<{ sid: string; status: string }> {
  const r = await rest(platform);
  return r.messages.create({
    to: sms.to,
    from: sms.from ?? platform.twilio.messagingFrom,
    body: sms.body,
    ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
  });
}

/**
 * Sends an approved WhatsApp template through Twilio's Content API: its Content SID and the values of its
 * numbered placeholders, the only kind of message WhatsApp delivers outside the 24-hour window.
 */
export async function sendWhatsAppTemplate(
  platform: Platform,
  message: {
    from: string;
    to: string;
    contentSid: string;
    variables: Record<string, string>;
    statusCallback?: string;
  },
): Promise<{ sid: string; status: string }> {
  const r = await rest(platform);
  return r.messages.create({
    to: message.to,
    from: message.from,
    contentSid: message.contentSid,
    contentVariables: JSON.stringify(message.variables),
    ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
  });
}

/** Places an outbound call that plays the given TwiML (for closing the loop with hotline callers). */
export async function placeCall(
  platform: Platform,
  call: { to: string; twiml: string; statusCallback?: string },
) {
  const r = await rest(platform);
  return r.calls.create({
    to: call.to,
    from: platform.twilio.messagingFrom,
    twiml: call.twiml,
    ...(call.statusCallback ? { statusCallback: call.statusCallback } : {}),
  });
}
