import { afterAll, describe, expect, it } from 'vitest';
import { api, devToken, eventually, settle, tokenFor } from '../../support/http.ts';
import { inbox, notificationsFor, postSms } from './support.ts';

const BRIBE = 'طلبوا مني رشوة حتى يسجلوني بالتوزيع';
const SEA = 'کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی';

/** The case as the PSEA role (who may read restricted cases) sees it. */
async function caseAsPsea(reference: string) {
  const res = await api('GET', `/api/cases/${reference}`, { token: await tokenFor('psea') });
  expect(res.status).toBe(200);
  return res.json() as { case?: Record<string, unknown> } & Record<string, unknown>;
}
const field = (view: Record<string, unknown>, name: string) =>
  (view.case as Record<string, unknown> | undefined)?.[name] ?? view[name];

describe('SMS to focal point, end to end on the local stack', () => {
  it('an Arabic SMS about a bribe at a distribution becomes an S2 fraud case for the fraud focal point only', async () => {
    const sms = await postSms(BRIBE);
    expect(sms.status).toBe(200);
    expect(sms.text).toContain('<Message>');
    const reference = sms.reference as string;
    expect(reference).toBeDefined();

    const [note, ...more] = await notificationsFor(reference);
    await settle();
    expect(more).toEqual([]);
    expect(note?.focalPointId).toBe('misconduct-focal-point');
    expect(note?.message).toMatchObject({ reference, eventType: 'routed', category: 'C06' });
    expect(note?.attributes).toMatchObject({ sensitivity: 'S2', category: 'C06' });
    const text = JSON.stringify(note);
    expect(text).not.toContain(sms.from.slice(4));
    expect(text).not.toContain('رشوة');

    const view = await caseAsPsea(reference);
    expect(field(view, 'category')).toBe('C06');
    expect(field(view, 'sensitivity')).toBe('S2');
  });

  it('a Sorani SMS about sexual exploitation by a staff member becomes S3 and reaches only the PSEA focal point', async () => {
    const sms = await postSms(SEA);
    expect(sms.status).toBe(200);
    const reference = sms.reference as string;
    const [note, ...more] = await notificationsFor(reference);
    await settle();
    expect(more).toEqual([]);
    expect(note?.focalPointId).toBe('psea-focal-point');
    expect(note?.attributes).toMatchObject({ sensitivity: 'S3', category: 'C07' });
    expect(JSON.stringify(note)).not.toContain('سێکس');
    const view = await caseAsPsea(reference);
    expect(field(view, 'sensitivity')).toBe('S3');
  });
});

describe('SMS intake while the SNS/SQS emulator is down', () => {
  afterAll(async () => {
    await api('POST', '/dev/messaging', { token: await devToken(), json: { running: true } });
  });

  it('stores and answers every SMS, then routes and notifies each case exactly once when it is back', async () => {
    const N = 5;
    expect(
      (await api('POST', '/dev/messaging', { token: await devToken(), json: { running: false } })).json(),
    ).toEqual({
      running: false,
    });
    // All at once, so the outage stays short on a loaded machine: a router record's attempts span about a minute
    // before it would go to the dead-letter queue, as the retry policy says.
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        postSms(`The water tank in block ${i + 1} of our camp has been broken for a week`),
      ),
    );
    for (const sms of answers) {
      expect(sms.status).toBe(200);
      expect(sms.reference).toBeDefined();
    }
    const sent = answers.map((sms) => sms.reference as string);
    expect(new Set(sent).size).toBe(N);
    const officer = await tokenFor('officer');
    const stored = await Promise.all(
      sent.map(async (reference) => (await api('GET', `/api/cases/${reference}`, { token: officer })).status),
    );
    expect(stored).toEqual(sent.map(() => 200));

    expect(
      (await api('POST', '/dev/messaging', { token: await devToken(), json: { running: true } })).json(),
    ).toEqual({
      running: true,
    });
    const counts = await eventually(async () => {
      await settle();
      const entries = await inbox();
      const per = sent.map((ref) => entries.filter((e) => e.message.reference === ref));
      return per.every((list) => list.length >= 1) ? per : undefined;
      // Generous: the routing waits behind whatever earlier tests left to do (the 1,000-SMS load test, say).
    }, 240_000);
    for (const list of counts) {
      expect(list).toHaveLength(1);
      expect(list[0]?.focalPointId).toBe('accountability-officer');
    }
    // Still exactly one each once everything has settled.
    await settle();
    const after = await inbox();
    for (const reference of sent)
      expect(after.filter((e) => e.message.reference === reference)).toHaveLength(1);
  }, 330_000);
});
