/**
 * What happens under a flood, over HTTP against the local stack: many SMS from one number, many from many numbers at
 * the same time, and a form flood from one address. Counted through the staff API and the answers themselves.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { WEB_BUDGET } from '#shared/intake/client-budget.ts';
import { SENDER_BUDGET } from '#shared/intake/sender-budget.ts';
import { render } from '#shared/messages/templates.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, settle, tokenFor } from '../../support/http.ts';

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
const phone = () => `+96478${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

async function pool<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    }),
  );
  return out;
}

describe('under a flood', () => {
  const target = (): SimTarget => ({
    url: inject('baseUrl'),
    publicBaseUrl: inject('baseUrl'),
    authToken: inject('twilioAuthToken'),
    accountSid: LOCAL_TWILIO.accountSid,
  });

  it('40 SMS from one number make five cases and six answers, while 20 other numbers are each answered', async () => {
    expect(SENDER_BUDGET.messages).toBe(5);
    const flooding = phone();
    const others = Array.from({ length: 20 }, phone);
    const sends = [
      ...Array.from({ length: 40 }, (_, i) => ({
        from: flooding,
        body: `المضخة معطلة في المخيم، رسالة ${i}`,
      })),
      ...others.map((from) => ({ from, body: 'The water pump in our block has been broken for a week' })),
    ].sort(() => Math.random() - 0.5);
    const outcomes = await pool(sends, 10, async (m) => ({
      from: m.from,
      out: await sendSms(target(), { ...m, to: LOCAL_TWILIO.messagingFrom }),
    }));

    expect(new Set(outcomes.map((o) => o.out.status))).toEqual(new Set([200]));
    const fromFlood = outcomes.filter((o) => o.from === flooding).map((o) => o.out.replies);
    const answered = fromFlood.filter((r) => r.length > 0);
    expect(answered).toHaveLength(6);
    expect(answered.filter(([r]) => REF.test(r as string))).toHaveLength(5);
    expect(answered.filter(([r]) => r === render('many_messages', 'ar', {}))).toHaveLength(1);
    for (const o of outcomes.filter((x) => x.from !== flooding)) {
      expect(o.out.replies).toHaveLength(1);
      expect(o.out.replies[0]).toMatch(REF);
    }

    await settle();
    const token = await tokenFor('psea');
    const casesOf = async (from: string) =>
      (
        (await api('POST', '/api/cases/lookup', { token, json: { phone: from } })).json() as {
          items: { reference: string }[];
        }
      ).items;
    expect(await casesOf(flooding)).toHaveLength(5);
    for (const from of others) expect(await casesOf(from)).toHaveLength(1);
  });

  it('a form flood from one address makes ten cases; the rest get 429 and another address is still served', async () => {
    expect(WEB_BUDGET.submissions).toBe(10);
    const viewer = `192.0.2.${1 + ((randomBytes(1)[0] as number) % 250)}:4${randomBytes(1)[0]}`;
    const post = (address: string, i: number) =>
      api('POST', '/api/public/complaints', {
        json: { description: `Flood ${i}: the distribution skipped our street`, language: 'en' },
        headers: { 'cloudfront-viewer-address': address },
      });
    const results = await pool(
      Array.from({ length: 30 }, (_, i) => i),
      6,
      (i) => post(viewer, i),
    );
    const byStatus = results.reduce<Record<number, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});
    expect(byStatus).toEqual({ 201: 10, 429: 20 });
    for (const r of results.filter((x) => x.status === 429)) {
      expect((r.json() as { error: { code: string } }).error.code).toBe('PUBLIC.TOO_MANY_SUBMISSIONS');
    }
    const other = await post('198.51.100.200:5000', 99);
    expect(other.status).toBe(201);

    // Every 201 is a case the staff can find.
    const token = await tokenFor('officer');
    for (const r of [...results.filter((x) => x.status === 201), other]) {
      const { reference } = r.json() as { reference: string };
      expect((await api('GET', `/api/cases/${reference}`, { token })).status).toBe(200);
    }
    await settle();
  });
});
