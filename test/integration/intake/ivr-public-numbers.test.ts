/**
 * The hotline names the stage's public numbers where it sends a caller to another channel: a caller whose number
 * is withheld (who cannot be called back), and a caller who gives up looking for a case. Calls are placed over HTTP
 * against the local stack, each request signed by the Twilio SDK as Twilio signs it; one stage has an SMS, a hotline
 * and a WhatsApp number, the other none.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PublicNumbers } from '#functions/public-complaints/contact.ts';
import { LOCAL_TWILIO, type LocalStack, startLocalStack } from '#local/stack.ts';
import { parseMoves, placeCall } from '../../../scripts/lib/call-sim.ts';

const WITHHELD = '+266696687';
const phone = () => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
/** A reference no case of a fresh stage has. */
const UNKNOWN_REFERENCE = 'K7MQ-4XZ9';

async function stage(publicNumbers: PublicNumbers): Promise<LocalStack> {
  return startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    stage: `numbers${randomBytes(3).toString('hex')}`,
    publicNumbers,
    workers: false,
    log: () => {},
  });
}

/** Walks a call and returns what the caller heard, in order. */
async function call(stack: LocalStack, from: string, digits: string): Promise<string[]> {
  const placed = await placeCall(
    {
      url: stack.url,
      publicBaseUrl: stack.platform.publicBaseUrl,
      authToken: stack.twilio.authToken,
      accountSid: stack.twilio.accountSid,
    },
    { from, to: LOCAL_TWILIO.messagingFrom, moves: parseMoves(digits) },
  );
  expect(placed.failed, JSON.stringify(placed.failed)).toBeUndefined();
  expect(placed.hungUp).toBe(true);
  return placed.heard.map((h) => h.text);
}

async function admin(stack: LocalStack, method: 'GET' | 'PUT', body?: unknown) {
  const token = await fetch(`${stack.url}/dev/token`, {
    method: 'POST',
    body: JSON.stringify({ role: 'admin' }),
  }).then(async (r) => ((await r.json()) as { token: string }).token);
  const res = await fetch(`${stack.url}/api/admin/ivr-prompts`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('a stage with SMS, hotline and WhatsApp numbers', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await stage({ sms: '+9647801112222', hotline: '5040', whatsapp: '+9647509998888' });
  });
  afterAll(async () => stack?.stop());

  // First in this stage: the hotline reads stored prompts at most once a minute, so it has not read them yet.
  it('an admin cannot store a prompt with a placeholder the hotline cannot fill; a good one is said with its number', async () => {
    const unknown = await admin(stack, 'PUT', {
      languages: { kmr: { prompts: { noNumber: { say: 'Dîsa telefon bikin[, an li {hejmar} bigerin].' } } } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'IVR.PROMPT_UNKNOWN_PLACEHOLDER' });
    const unguarded = await admin(stack, 'PUT', {
      languages: { kmr: { prompts: { noNumber: { say: 'Li {hotline} bigerin.' } } } },
    });
    expect(unguarded.status).toBe(400);
    expect(unguarded.json.error).toMatchObject({ code: 'IVR.PROMPT_NUMBER_NOT_OPTIONAL' });
    // Nothing was stored by either.
    expect((await admin(stack, 'GET')).json).toEqual({ id: 'default', languages: {} });

    const stored = await admin(stack, 'PUT', {
      languages: {
        kmr: {
          prompts: {
            noNumber: { say: 'Dîsa ji hejmareke xuya telefon bikin[, an li xeta {hotline} bigerin].' },
          },
        },
      },
    });
    expect(stored.status).toBe(200);
    // Badini (3), a complaint (3), a callback (2), from a withheld number.
    const heard = await call(stack, WITHHELD, '3,3,2');
    expect(heard).toContain('Dîsa ji hejmareke xuya telefon bikin, an li xeta 5 0 4 0 bigerin.');
  });

  it('a withheld Arabic caller asking for a callback hears the SMS and WhatsApp numbers, digit by digit', async () => {
    const heard = await call(stack, WITHHELD, '1,3,2');
    expect(heard).toContain(
      'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. يرجى الاتصال مجدداً من رقم غير مخفي' +
        '، أو إرسال رسالة نصية إلى الرقم 0 7 8 0, 1 1 1, 2 2 2 2' +
        '، أو مراسلتنا على واتساب على الرقم 0 7 5 0, 9 9 9, 8 8 8 8.',
    );
  });

  it('a withheld English caller reporting abuse hears the same numbers in English', async () => {
    // English (4), abuse by an aid worker (5); silence at the tone.
    const heard = await call(stack, WITHHELD, '4,5');
    expect(heard).toContain(
      'We cannot see your phone number, so we cannot call you back. Please call again from a number that is not ' +
        'hidden, or send us a text message to 0 7 8 0, 1 1 1, 2 2 2 2, or write to us on WhatsApp at ' +
        '0 7 5 0, 9 9 9, 8 8 8 8.',
    );
  });

  it('callers who cannot find their case are told where to text their reference, in Arabic and in English', async () => {
    const ref = `ref:${UNKNOWN_REFERENCE}`;
    const arabic = await call(stack, phone(), `1,6,${ref},${ref},${ref}`);
    expect(arabic).toContain(
      'لم نتمكن من إيجاد طلبك. يمكنك الاتصال مجدداً، أو إرسال رقم المرجع إلينا برسالة نصية إلى الرقم 0 7 8 0, 1 1 1, 2 2 2 2' +
        '، أو إرسال رقم المرجع إلينا على واتساب على الرقم 0 7 5 0, 9 9 9, 8 8 8 8.',
    );
    const english = await call(stack, phone(), `4,6,${ref},${ref},${ref}`);
    expect(english).toContain(
      'We could not find your case. You can call again, or send us your reference in a text message to ' +
        '0 7 8 0, 1 1 1, 2 2 2 2, or send us your reference on WhatsApp at 0 7 5 0, 9 9 9, 8 8 8 8.',
    );
  });
});

describe('a stage with no public numbers', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await stage({});
  });
  afterAll(async () => stack?.stop());

  /** Words that would send the caller to a channel with no number. */
  const PROMISES = /رسالة نصية|واتساب|text message|WhatsApp|\d \d \d/;

  // First in this stage: the hotline reads stored prompts at most once a minute, so it has not read them yet.
  it('an admin’s prompt that names the hotline number says nothing of it where the stage has none', async () => {
    const stored = await admin(stack, 'PUT', {
      languages: {
        kmr: {
          prompts: {
            noNumber: { say: 'Dîsa ji hejmareke xuya telefon bikin[, an li xeta {hotline} bigerin].' },
          },
        },
      },
    });
    expect(stored.status).toBe(200);
    const heard = await call(stack, WITHHELD, '3,3,2');
    expect(heard).toContain('Dîsa ji hejmareke xuya telefon bikin.');
    for (const text of heard) expect(text).not.toMatch(/xeta|\d \d \d/);
  });

  it('a withheld caller is asked to call again from a shown number, and promised no text or WhatsApp', async () => {
    const arabic = await call(stack, WITHHELD, '1,3,2');
    expect(arabic).toContain(
      'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. يرجى الاتصال مجدداً من رقم غير مخفي.',
    );
    const english = await call(stack, WITHHELD, '4,3,2');
    expect(english).toContain(
      'We cannot see your phone number, so we cannot call you back. Please call again from a number that is not hidden.',
    );
    for (const text of [...arabic, ...english]) expect(text).not.toMatch(PROMISES);
  });

  it('a caller who cannot find a case is told to call again, and nothing else', async () => {
    const ref = `ref:${UNKNOWN_REFERENCE}`;
    const arabic = await call(stack, phone(), `1,6,${ref},${ref},${ref}`);
    expect(arabic).toContain('لم نتمكن من إيجاد طلبك. يمكنك الاتصال مجدداً.');
    const english = await call(stack, phone(), `4,6,${ref},${ref},${ref}`);
    expect(english).toContain('We could not find your case. You can call again.');
    for (const text of [...arabic, ...english]) expect(text).not.toMatch(PROMISES);
  });
});
