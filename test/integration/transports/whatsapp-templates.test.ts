import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler as notifier } from '#functions/notifier/handler.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { defaultConfig } from '#shared/config/defaults.ts';
import { lastContactUpdate, senderKey } from '#shared/intake/sender.ts';
import { render } from '#shared/messages/templates.ts';
import { buildNotification } from '#shared/routing/notification.ts';
import { testPlatform } from '../../support/services.ts';

/**
 * The notifier on WhatsApp, through the real Twilio SDK against a stand-in of Twilio's REST API: inside the 24-hour
 * window the outcome goes as free text; outside it as the approved template of the person's language (Content SID
 * and placeholders); without a template for that language, as an SMS.
 */

const RECEIVED = '2026-03-01T06:00:00.000Z';
let clock = new Date(RECEIVED);
const HOUR = 3_600_000;
const staff = { kind: 'staff', id: 'u-officer', role: 'officer' } as const;
const WA_FROM = '+9647000000002';
const CONTENT = {
  // Badini in Arabic script has its approved template; Kurmanji in Latin letters has none here.
  resolved: { ar: `HX${'a1'.repeat(16)}`, 'kmr-arab': `HX${'a5'.repeat(16)}`, en: `HX${'a4'.repeat(16)}` },
  closed_no_answer: { ar: `HX${'b1'.repeat(16)}` },
};

/** Twilio's REST API stand-in (an external service): records each request's form and answers as Twilio does. */
function fakeTwilio() {
  const sent: Record<string, string>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      sent.push(form);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued' }));
    });
  });
  return { server, sent };
}

describe('outcome messages on WhatsApp', () => {
  let platform: Platform;
  const twilio = fakeTwilio();
  let seq = 0;

  beforeAll(async () => {
    await new Promise<void>((r) => twilio.server.listen(0, '127.0.0.1', () => r()));
    const base = await testPlatform({ now: () => clock, publicBaseUrl: 'https://cfm.example.org' });
    const port = (twilio.server.address() as AddressInfo).port;
    platform = {
      ...base,
      twilio: { ...base.twilio, apiBaseUrl: `http://127.0.0.1:${port}` },
      whatsapp: { from: WA_FROM, contentSids: CONTENT },
    };
    usePlatform(platform);
  });
  afterAll(async () => {
    usePlatform(undefined);
    await new Promise<void>((r) => twilio.server.close(() => r()));
  });

  /** A case opened by a WhatsApp message at RECEIVED, the number's item recording that message as the webhook does. */
  async function whatsappCase(
    language: Case['language'],
    narrative = 'The water tank in the camp is empty.',
  ): Promise<{ c: Case; phone: string }> {
    const phone = `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
    clock = new Date(RECEIVED);
    const { case: c } = await platform.cases.create({
      channel: 'sms',
      transport: 'whatsapp',
      idempotencyKey: `SM${randomBytes(16).toString('hex')}`,
      narrative,
      language,
      receivedAt: RECEIVED,
      consentToFollowUp: true,
      phone,
      createdBy: { kind: 'complainant' },
    });
    const via = lastContactUpdate('whatsapp', WA_FROM, RECEIVED);
    await platform.db.update({
      TableName: platform.tableName,
      Key: senderKey(platform.protector.hashPhone(phone)),
      UpdateExpression: `SET entity = :e${via.set}`,
      ExpressionAttributeValues: { ':e': 'sender', ...via.values },
    });
    return { c, phone };
  }

  /** Resolves the case at `at` and hands the notifier the message SNS would deliver; returns what Twilio got. */
  async function resolveAt(c: Case, at: string): Promise<Record<string, string>[]> {
    clock = new Date(at);
    const resolved = await platform.cases.mutate(c.caseId, undefined, (cur, now) =>
      transitionChange(cur, 'resolve', now, { actor: staff, patch: { outcome: 'corrected' } }),
    );
    const event = resolved.events.find((e) => e.type === 'transition');
    if (!event) throw new Error('no transition event');
    const { message } = buildNotification(event, resolved.case, {
      consoleUrl: platform.consoleUrl,
      focalPoints: defaultConfig().focalPoints,
    });
    const before = twilio.sent.length;
    const sqs = { Records: [{ messageId: `m-${++seq}`, body: message }] } as unknown as SQSEvent;
    expect((await notifier(sqs)).batchItemFailures).toEqual([]);
    return twilio.sent.slice(before);
  }

  it('inside the window: free text from the WhatsApp sender', async () => {
    const { c, phone } = await whatsappCase('ar');
    const sent = await resolveAt(c, new Date(Date.parse(RECEIVED) + 23 * HOUR).toISOString());
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      From: `whatsapp:${WA_FROM}`,
      To: `whatsapp:${phone}`,
      Body: render('resolved', 'ar', { ref: c.reference, outcome: 'corrected' }),
    });
    expect(sent[0]?.ContentSid).toBeUndefined();
  });

  it("outside the window: the approved template of the person's language, with the reference and outcome", async () => {
    const { c, phone } = await whatsappCase('ar');
    const sent = await resolveAt(c, new Date(Date.parse(RECEIVED) + 25 * HOUR).toISOString());
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      From: `whatsapp:${WA_FROM}`,
      To: `whatsapp:${phone}`,
      ContentSid: CONTENT.resolved.ar,
    });
    expect(JSON.parse(sent[0]?.ContentVariables ?? '{}')).toEqual({ '1': c.reference, '2': 'تم حل المشكلة' });
    expect(sent[0]?.Body).toBeUndefined();
    const timeline = await platform.cases.timeline(c.caseId);
    expect(timeline.find((e) => e.type === 'message_out')?.data).toMatchObject({
      transport: 'whatsapp',
      mode: 'template',
    });
  });

  it('outside the window, Kurmanji written in Arabic letters: the Badini template, the outcome in Arabic script', async () => {
    const { c, phone } = await whatsappCase('kmr', 'ئاڤ ل کەمپا مە نینە ژ سێ رۆژان ڤە');
    const sent = await resolveAt(c, new Date(Date.parse(RECEIVED) + 30 * HOUR).toISOString());
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ To: `whatsapp:${phone}`, ContentSid: CONTENT.resolved['kmr-arab'] });
    expect(JSON.parse(sent[0]?.ContentVariables ?? '{}')).toEqual({
      '1': c.reference,
      '2': 'ئاریشە هاتە چارەسەرکرن',
    });
  });

  it('outside the window with no template in that language: an SMS instead', async () => {
    const { c, phone } = await whatsappCase('kmr');
    const sent = await resolveAt(c, new Date(Date.parse(RECEIVED) + 48 * HOUR).toISOString());
    expect(sent).toHaveLength(1);
    expect(sent[0]?.To).toBe(phone);
    expect(sent[0]?.From).toBe(platform.twilio.messagingFrom);
    expect(sent[0]?.Body).toBe(render('resolved', 'kmr', { ref: c.reference, outcome: 'corrected' }));
  });
});
