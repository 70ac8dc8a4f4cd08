/**
 * 1,000 SMS deliveries from 200 numbers (five each, the budget of a number in an hour: see flood.test.ts for what
 * happens past it) plus 10 % of them delivered again (as Twilio retries a slow answer), 20 at a time, over HTTP:
 * exactly one case per message, none lost, none duplicated, no 5xx. Counted through the staff API (lookup by phone
 * number, which reads the store's phone index), not through the replies alone.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';

const MESSAGES = 1000;
const PHONES = 200;
const REPEATS = 100;
const CONCURRENCY = 20;

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

describe('1,000 SMS with 10 % repeated', () => {
  // A generous deadline: on the shared two-core machine with a load average near 20, the run took over four minutes,
  // and with the AWS SDK clients about eight alone and over ten inside the full e2e tier. Everything inside waits on
  // conditions, so a quicker machine simply finishes sooner. GET /dev/idle now says when the workers are still behind
  // (it used to answer 200 on timeout): with a load average above 20 the router and projector needed more than five
  // minutes for these cases, so the waits are 15 minutes.
  it('makes exactly 1,000 cases: 0 lost, 0 duplicated, 0 5xx', { timeout: 2_400_000 }, async () => {
    const target: SimTarget = {
      url: inject('baseUrl'),
      publicBaseUrl: inject('baseUrl'),
      authToken: inject('twilioAuthToken'),
      accountSid: LOCAL_TWILIO.accountSid,
    };
    // The run id is digits: a random hex code beside "the water point … is broken" gave the classifier's hashed
    // n-grams enough noise to lift about 2 in 1,000 of these messages to S3 (README, Known limits), and a number's
    // later messages then join its restricted case without a reference. This test is about intake, not that.
    const run = String(randomInt(100_000, 1_000_000));
    const phones = Array.from(
      { length: PHONES },
      (_, i) =>
        `+96479${String(i).padStart(3, '0')}${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
    );
    const messages = Array.from({ length: MESSAGES }, (_, i) => ({
      messageSid: `SM${randomBytes(16).toString('hex')}`,
      from: phones[i % PHONES] as string,
      body: `Load ${run} message ${i}: the water point in block ${i % 7} is broken`,
    }));
    const repeated = [...messages].sort(() => Math.random() - 0.5).slice(0, REPEATS);
    const deliveries = [...messages, ...repeated].sort(() => Math.random() - 0.5);

    const statuses = new Map<number, number>();
    const refsBySid = new Map<string, Set<string>>();
    await pool(deliveries, CONCURRENCY, async (m) => {
      const out = await sendSms(target, { ...m, to: LOCAL_TWILIO.messagingFrom });
      statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
      const ref = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(out.replies[0] ?? '')?.[0];
      if (ref) refsBySid.set(m.messageSid, new Set([...(refsBySid.get(m.messageSid) ?? []), ref]));
    });

    expect(Object.fromEntries(statuses)).toEqual({ 200: MESSAGES + REPEATS });
    expect(refsBySid.size).toBe(MESSAGES);
    for (const refs of refsBySid.values()) expect(refs.size).toBe(1);
    const allRefs = new Set([...refsBySid.values()].flatMap((s) => [...s]));
    expect(allRefs.size).toBe(MESSAGES);

    // What the store holds once the SMS inbox has caught up, number by number: each number's cases are exactly the
    // references its messages got.
    await settle(900_000);
    const token = await tokenFor('psea');
    let stored = 0;
    await pool(phones, 10, async (from) => {
      const expected = messages
        .filter((m) => m.from === from)
        .map((m) => [...(refsBySid.get(m.messageSid) as Set<string>)][0])
        .sort();
      const refs = await eventually(async () => {
        const res = await api('POST', '/api/cases/lookup', { token, json: { phone: from } });
        const items = (res.json() as { items: { reference: string }[] }).items.map((i) => i.reference).sort();
        return items.length >= expected.length ? items : undefined;
      });
      expect(refs).toEqual(expected);
      stored += refs.length;
    });
    expect(stored).toBe(MESSAGES);
    // Leave the stack as found: the router and projector finish these cases before the next file runs.
    await settle(900_000);
  });
});
