import { describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { render } from '#shared/messages/templates.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, devToken, settle, tokenFor } from '../../support/http.ts';

const target = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});
const phone = () => `+96478${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

describe('SMS over HTTP against the local stack', () => {
  it.each([
    ['ar', 'الماء مقطوع في المخيم منذ ثلاثة أيام ولم يأت أحد'],
    ['ckb', 'ئێمە سێ مانگە یارمەتیمان پێنەگەیشتووە، تکایە یارمەتیمان بدەن'],
    ['kmr', 'Em sê meh in alîkarî negihîştiye me, ji kerema xwe alîkarî bikin'],
    ['en', 'We have not received the cash assistance for three months'],
  ] as const)(
    'a message in %s gets its reference in the same language, and the case is stored',
    async (language, body) => {
      const from = phone();
      const outcome = await sendSms(target(), { from, to: LOCAL_TWILIO.messagingFrom, body });
      expect(outcome.status).toBe(200);
      expect(outcome.replies).toHaveLength(1);
      const ref = REF.exec(outcome.replies[0] as string)?.[0] as string;
      expect(outcome.replies[0]).toBe(render('received', language, { ref }));

      // The inbox worker opens the case from the table stream a moment after the answer.
      await settle();
      const found = await api('POST', '/api/cases/lookup', {
        token: await tokenFor('psea'),
        json: { reference: ref },
      });
      expect(found.status).toBe(200);
      const [summary] = (found.json() as { items: { caseId: string; channel: string; language: string }[] })
        .items;
      expect(summary).toMatchObject({ channel: 'sms', language });
      const byPhone = await api('POST', '/api/cases/lookup', {
        token: await tokenFor('psea'),
        json: { phone: from },
      });
      expect((byPhone.json() as { items: { reference: string }[] }).items.map((i) => i.reference)).toEqual([
        ref,
      ]);
    },
  );

  it('a retry of the same MessageSid gets the same reference', async () => {
    const from = phone();
    const first = await sendSms(target(), {
      from,
      to: LOCAL_TWILIO.messagingFrom,
      body: 'The water tank is empty',
    });
    const again = await sendSms(target(), {
      from,
      to: LOCAL_TWILIO.messagingFrom,
      body: 'The water tank is empty',
      messageSid: first.messageSid,
    });
    expect(again.replies).toEqual(first.replies);
  });

  it('after STOP, a message is stored but gets no reply and nothing in the outbox', async () => {
    const from = phone();
    const stop = await sendSms(target(), { from, to: LOCAL_TWILIO.messagingFrom, body: 'STOP' });
    expect(stop.replies).toEqual([render('stopped', 'en', {})]);
    const later = await sendSms(target(), {
      from,
      to: LOCAL_TWILIO.messagingFrom,
      body: 'The distribution list is wrong, my family was left out',
    });
    expect(later.status).toBe(200);
    expect(later.replies).toEqual([]);
    await settle();
    const outbox = await api('GET', `/dev/outbox?to=${encodeURIComponent(from)}`, {
      token: await devToken(),
    });
    expect((outbox.json() as { messages: unknown[] }).messages).toEqual([]);
    const stored = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('psea'),
      json: { phone: from },
    });
    expect((stored.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('a forged signature is refused with 403 before anything is stored', async () => {
    const from = phone();
    const forged = await sendSms(
      { ...target(), authToken: 'not-the-token' },
      {
        from,
        to: LOCAL_TWILIO.messagingFrom,
        body: 'hello',
      },
    );
    expect(forged.status).toBe(403);
    expect(forged.error).toContain('TWILIO.SIGNATURE_INVALID');
    const stored = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('psea'),
      json: { phone: from },
    });
    expect((stored.json() as { items: unknown[] }).items).toEqual([]);
  });
});
