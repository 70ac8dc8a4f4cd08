import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_GATEWAY, LOCAL_TWILIO, LOCAL_WHATSAPP } from '#local/stack.ts';
import { render } from '#shared/messages/templates.ts';
import { sendThroughGateway } from '../../../scripts/lib/gateway-sim.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, devToken, eventually, settle, tokenFor } from '../../support/http.ts';

/**
 * The transports people in Iraq use, over HTTP against the local stack: the local SMS gateway's webhook as the relay
 * phone posts it (and everything it must refuse), its outbound queue through the fake relay (retried while the
 * relay is down, delivery reports recorded on the case), WhatsApp's media links, and loop closure on the transport
 * the person last used.
 */

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
const newPhone = () => `+96478${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
const webhook = () => `${inject('baseUrl')}/webhooks/gateway/sms`;
const twilio = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});
const gateway = () => ({ url: inject('baseUrl'), signingKey: LOCAL_GATEWAY.signingKey });

/** The relay's signature, computed here from its documentation (HMAC-SHA256, hex, of body then timestamp). */
const sign = (body: string, timestamp: string, key: string = LOCAL_GATEWAY.signingKey) =>
  createHmac('sha256', key).update(`${body}${timestamp}`).digest('hex');
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function received(phoneNumber: string, message: string, id = randomBytes(12).toString('base64url')) {
  return JSON.stringify({
    deviceId: 'relay-phone-1',
    event: 'sms:received',
    id,
    payload: {
      messageId: 'abc123',
      message,
      phoneNumber,
      simNumber: 1,
      receivedAt: new Date().toISOString(),
    },
    webhookId: 'wh-1',
  });
}

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(webhook(), { method: 'POST', headers, body });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    // not JSON
  }
  return { status: res.status, code };
}

async function casesOfPhone(phone: string): Promise<{ reference: string }[]> {
  const res = await api('POST', '/api/cases/lookup', { token: await tokenFor('psea'), json: { phone } });
  return (res.json() as { items: { reference: string }[] }).items;
}
async function relayedTo(phone: string): Promise<{ id: string; text: string; state: string }[]> {
  return (
    (
      await api('GET', `/dev/gateway?to=${encodeURIComponent(phone)}`, { token: await devToken() })
    ).json() as {
      messages: { id: string; text: string; state: string }[];
    }
  ).messages;
}
async function caseView(reference: string) {
  const res = await api('GET', `/api/cases/${reference}`, { token: await tokenFor('officer') });
  expect(res.status).toBe(200);
  return res.json() as {
    case: { version: number; transport?: string; mediaUrls: string[]; receivedAt: string };
    timeline: { type: string; data?: Record<string, unknown> }[];
  };
}
async function resolve(reference: string) {
  const token = await tokenFor('officer');
  const { case: c } = await caseView(reference);
  const res = await api('POST', `/api/cases/${reference}/transitions`, {
    token,
    json: { action: 'resolve', outcome: 'assistance_provided' },
    headers: { 'if-match': String(c.version) },
  });
  expect(res.status, res.text).toBe(200);
}

describe('the local SMS gateway refuses what the relay never sends, and stores nothing', () => {
  it('unsigned, replayed, forged, malformed, oversized, unknown events and senders', async () => {
    const phone = newPhone();
    const body = received(phone, 'الماء مقطوع في المخيم منذ ثلاثة أيام');
    const ts = nowSeconds();
    const json = { 'content-type': 'application/json' };

    expect(await post(body, json)).toEqual({ status: 401, code: 'GATEWAY.SIGNATURE_MISSING' });
    // A genuine request replayed ten minutes later, signature and all.
    const old = String(Number(ts) - 600);
    expect(await post(body, { ...json, 'x-timestamp': old, 'x-signature': sign(body, old) })).toEqual({
      status: 401,
      code: 'GATEWAY.TIMESTAMP_OUT_OF_WINDOW',
    });
    expect(
      await post(body, { ...json, 'x-timestamp': ts, 'x-signature': sign(body, ts, 'not-the-key') }),
    ).toEqual({ status: 403, code: 'GATEWAY.SIGNATURE_INVALID' });
    // Signed over another body.
    expect(await post(body, { ...json, 'x-timestamp': ts, 'x-signature': sign(`${body} `, ts) })).toEqual({
      status: 403,
      code: 'GATEWAY.SIGNATURE_INVALID',
    });
    const broken = '{"event":"sms:received",';
    expect(await post(broken, { ...json, 'x-timestamp': ts, 'x-signature': sign(broken, ts) })).toEqual({
      status: 400,
      code: 'REQUEST.MALFORMED_JSON',
    });
    const huge = received(phone, 'x'.repeat(20_000));
    expect(await post(huge, { ...json, 'x-timestamp': ts, 'x-signature': sign(huge, ts) })).toEqual({
      status: 413,
      code: 'REQUEST.TOO_LARGE',
    });
    const unknown = JSON.stringify({ event: 'mms:received', id: 'e1', payload: { phoneNumber: phone } });
    expect(await post(unknown, { ...json, 'x-timestamp': ts, 'x-signature': sign(unknown, ts) })).toEqual({
      status: 400,
      code: 'REQUEST.INVALID',
    });
    const fromOperator = received('ASIACELL', 'Your bundle expires tomorrow');
    expect(
      await post(fromOperator, { ...json, 'x-timestamp': ts, 'x-signature': sign(fromOperator, ts) }),
    ).toEqual({ status: 400, code: 'GATEWAY.SENDER_FORMAT' });
    expect(
      await post(body, { 'content-type': 'text/plain', 'x-timestamp': ts, 'x-signature': sign(body, ts) }),
    ).toEqual({ status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });

    await settle();
    expect(await casesOfPhone(phone)).toEqual([]);
    expect(await relayedTo(phone)).toEqual([]);

    // The same request, signed now, is taken: the refusals above were about the request, not the message.
    expect(await post(body, { ...json, 'x-timestamp': ts, 'x-signature': sign(body, ts) })).toEqual({
      status: 200,
      code: undefined,
    });
    await settle();
    expect(await casesOfPhone(phone)).toHaveLength(1);
  });
});

describe('a text through the relay phone', () => {
  it('retried by the relay opens one case and is answered once', async () => {
    const phone = newPhone();
    const national = `0${phone.slice(4)}`;
    const first = await sendThroughGateway(gateway(), {
      from: national,
      body: 'ما وصلتنا المساعدات هذا الشهر',
    });
    const again = await sendThroughGateway(gateway(), {
      from: national,
      body: 'ما وصلتنا المساعدات هذا الشهر',
      eventId: first.eventId,
    });
    expect(first.replies).toHaveLength(1);
    expect(again.replies).toEqual([]);
    const ref = REF.exec(first.replies[0] ?? '')?.[0] as string;
    expect(first.replies[0]).toBe(render('received', 'ar', { ref }));
    expect((await casesOfPhone(phone)).map((c) => c.reference)).toEqual([ref]);
    expect(await relayedTo(phone)).toHaveLength(1);
  });

  it('is answered once the relay is back, and its delivery is recorded on the case', async () => {
    const phone = newPhone();
    expect(
      (await api('POST', '/dev/gateway/unavailable', { token: await devToken(), json: { count: 2 } })).status,
    ).toBe(200);
    const sent = await sendThroughGateway(gateway(), {
      from: phone,
      body: 'The water tank in block 4 has been empty for a week',
    });
    expect(sent.status).toBe(200);
    const [reply] = await eventually(async () => {
      const relayed = await relayedTo(phone);
      return relayed.length ? relayed : undefined;
    }, 60_000);
    const ref = REF.exec(reply?.text ?? '')?.[0] as string;
    expect(reply?.text).toBe(render('received', 'en', { ref }));
    const statuses = await eventually(async () => {
      await settle();
      const view = await caseView(ref);
      const seen = view.timeline.filter((e) => e.type === 'delivery_status').map((e) => e.data?.status);
      return seen.includes('delivered') ? seen : undefined;
    }, 60_000);
    expect(statuses).toEqual(['sent', 'delivered']);
    expect((await caseView(ref)).case.transport).toBe('gateway');
  });
});

describe('WhatsApp', () => {
  it('keeps photos as links on the case and refuses links that are not Twilio media', async () => {
    const phone = newPhone();
    const account = `AC${'1'.repeat(32)}`;
    const media = `https://api.twilio.com/2010-04-01/Accounts/${account}/Messages/MM${'2'.repeat(32)}/Media/ME${'3'.repeat(32)}`;
    const forged = await sendSms(twilio(), {
      from: phone,
      to: LOCAL_WHATSAPP.from,
      body: 'صورة الخزان المكسور',
      whatsapp: true,
      mediaUrls: ['https://evil.example/photo.jpg'],
    });
    expect(forged.status).toBe(400);
    await settle();
    expect(await casesOfPhone(phone)).toEqual([]);

    // A caption that starts with «صورة» (a photo of…) is often restricted by the model, which reads photos as a
    // data breach (README, Known limits); this test is about the media link, so its caption is one read as S0.
    const ok = await sendSms(twilio(), {
      from: phone,
      to: LOCAL_WHATSAPP.from,
      body: 'الخزان مكسور في المخيم، هذه صورته',
      whatsapp: true,
      mediaUrls: [media],
    });
    expect(ok.status).toBe(200);
    const ref = REF.exec(ok.replies[0] ?? '')?.[0] as string;
    await settle();
    const view = await caseView(ref);
    expect(view.case.mediaUrls).toEqual([media]);
    expect(view.case.transport).toBe('whatsapp');
    // The export tells a WhatsApp message from an SMS, so a report can count what reached people how.
    const month = view.case.receivedAt.slice(0, 7);
    const csv = await api('GET', `/api/reports/cases.csv?from=${month}&to=${month}`, {
      token: await tokenFor('manager'),
    });
    expect(csv.status).toBe(200);
    const [header, ...rows] = csv.text
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const row = rows.find((cells) => cells[(header ?? []).indexOf('reference')] === ref) ?? [];
    expect(row[(header ?? []).indexOf('channel')]).toBe('sms');
    expect(row[(header ?? []).indexOf('transport')]).toBe('whatsapp');
  });

  it('answers the outcome on WhatsApp within the 24-hour window, as free text from the number written to', async () => {
    const phone = newPhone();
    const first = await sendSms(twilio(), {
      from: phone,
      to: LOCAL_WHATSAPP.from,
      body: 'لم نستلم الحصة الغذائية هذا الشهر',
      whatsapp: true,
    });
    const ref = REF.exec(first.replies[0] ?? '')?.[0] as string;
    await settle();
    await resolve(ref);
    const out = await eventually(async () => {
      await settle();
      const res = await api('GET', `/dev/outbox?to=${encodeURIComponent(`whatsapp:${phone}`)}`, {
        token: await devToken(),
      });
      const [m] = (res.json() as { messages: { from: string; body?: string; contentSid?: string }[] })
        .messages;
      return m;
    }, 60_000);
    expect(out.from).toBe(`whatsapp:${LOCAL_WHATSAPP.from}`);
    expect(out.body).toBe(render('resolved', 'ar', { ref, outcome: 'assistance_provided' }));
    expect(out.contentSid).toBeUndefined();
    // Nothing went by plain SMS or through the relay.
    const sms = await api('GET', `/dev/outbox?to=${encodeURIComponent(phone)}`, { token: await devToken() });
    expect((sms.json() as { messages: unknown[] }).messages).toEqual([]);
    expect(await relayedTo(phone)).toEqual([]);
  });
});

describe('loop closure on the local gateway', () => {
  it('sends the outcome through the relay to the person who texted through it', async () => {
    const phone = newPhone();
    const first = await sendThroughGateway(gateway(), {
      from: phone,
      body: 'Em sê meh in alîkarî negihîştiye me',
    });
    const ref = REF.exec(first.replies[0] ?? '')?.[0] as string;
    await settle();
    await resolve(ref);
    const outcome = await eventually(async () => {
      await settle();
      const relayed = await relayedTo(phone);
      return relayed.length >= 2 ? relayed[1] : undefined;
    }, 60_000);
    expect(outcome.text).toBe(render('resolved', 'kmr', { ref, outcome: 'assistance_provided' }));
    const twilioOut = await api('GET', `/dev/outbox?to=${encodeURIComponent(phone)}`, {
      token: await devToken(),
    });
    expect((twilioOut.json() as { messages: unknown[] }).messages).toEqual([]);
    const view = await caseView(ref);
    const out = view.timeline.find((e) => e.type === 'message_out');
    expect(out?.data).toMatchObject({ template: 'resolved', transport: 'gateway' });
  });
});
