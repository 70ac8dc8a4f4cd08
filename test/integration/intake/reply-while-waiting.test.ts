import { describe, expect, it } from 'vitest';
import { handler as casesHandler } from '#functions/cases/handler.ts';
import { handler } from '#functions/twilio-sms/handler.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { senderKey } from '#shared/intake/sender.ts';
import { render } from '#shared/messages/templates.ts';
import { allElements, parseXml, textOf } from '../../../scripts/lib/xml.ts';
import { newIraqiPhone, smsWebhookTests } from '../../support/sms-webhook.ts';
import { call } from '../cases/helpers.ts';

/**
 * Staff ask the person for more information (the case waits on them, its SLA clock stands still); the person texts
 * back. The answer hands the case back to staff: it stops waiting, its status is what it was, the clock runs again
 * from the reply with the wait not counted, and the desk sees a new message. Through the real webhook (signed as
 * Twilio signs), the inbox worker on the table stream and the staff API, against DynamoDB Local, on a set clock.
 */

const HOUR = 3_600_000;
let clock = new Date('2026-03-01T09:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();

describe('a reply to a request for more information', () => {
  const sms = smsWebhookTests(handler, { now: () => clock });

  /** Texts from `from` at the set clock and returns the one reply, once the inbox worker has carried it out. */
  async function text(from: string, body: string): Promise<string | undefined> {
    const res = await sms.post(sms.params(from, body));
    expect(res.statusCode).toBe(200);
    await sms.inbox.settle();
    return allElements(parseXml(res.body))
      .filter((e) => e.name === 'Message')
      .map(textOf)[0];
  }
  const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

  /** A texted case, in progress, on a 24/7 clock due 1 hour and 48 hours after it arrived (at `clock`). */
  async function caseInProgress(phone: string, body: string): Promise<Case> {
    const received = clock.getTime();
    const ref = REF.exec((await text(phone, body)) ?? '')?.[0] as string;
    const { case: c } = await sms.platform.cases.mutate(ref, undefined, (current) => ({
      next: {
        ...current,
        status: 'in_progress',
        sla: {
          policyId: 'test-24x7',
          clock: '24x7',
          acknowledgeBy: at(received + HOUR),
          resolveBy: at(received + 48 * HOUR),
          pausedMs: 0,
          escalated: [],
          warned: [],
        },
      },
      events: [],
    }));
    return c;
  }

  /** The officer asks the person for more information through the staff API: the case waits on them. */
  async function askForMore(c: Case) {
    const res = await call(casesHandler, 'PATCH /api/cases/{id}', {
      user: 'officer',
      params: { id: c.caseId },
      headers: { 'if-match': String(c.version) },
      body: { waitingOn: 'complainant', reason: 'Asked which block the tank is in' },
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json().waitingOn).toBe('complainant');
    expect(res.json().sla.pausedSince).toBe(clock.toISOString());
  }

  it('comes back to staff in progress, its clock moved on by the 26 hours it waited, flagged as a new message', async () => {
    const phone = newIraqiPhone();
    const received = clock.getTime();
    const c = await caseInProgress(phone, 'The water tank in the camp has been empty for three days');
    clock = new Date(received + 2 * HOUR);
    await askForMore(c);
    const waitingMember = `${c.receivedAt}#${c.caseId}`;
    const sender = () =>
      sms.platform.db.get(sms.platform.tableName, senderKey(sms.platform.protector.hashPhone(phone)), true);
    expect((await sender())?.waiting).toEqual(new Set([waitingMember]));

    clock = new Date(received + 28 * HOUR);
    expect(await text(phone, 'It is block C, next to the school')).toBe(
      render('received', 'en', { ref: c.reference }),
    );

    const after = await sms.platform.cases.mustGet(c.caseId);
    expect(after.status).toBe('in_progress');
    expect(after.waitingOn).toBeUndefined();
    expect(after.waitingSince).toBeUndefined();
    expect(after.narrative).toBe(
      'The water tank in the camp has been empty for three days\n\nIt is block C, next to the school',
    );
    expect(after.lastMessageInAt).toBe(at(received + 28 * HOUR));
    expect(after.sla).toMatchObject({
      pausedMs: 26 * HOUR,
      acknowledgeBy: at(received + 27 * HOUR),
      resolveBy: at(received + 74 * HOUR),
    });
    expect(after.sla?.pausedSince).toBeUndefined();
    const resumed = (await sms.platform.cases.timeline(c.caseId)).filter(
      (e) => e.type === 'updated' && e.data?.clock === 'resumed',
    );
    expect(resumed.map((e) => ({ actor: e.actor.kind, at: e.at, data: e.data }))).toEqual([
      {
        actor: 'complainant',
        at: at(received + 28 * HOUR),
        data: { clock: 'resumed', pausedMs: 26 * HOUR, resumedBy: 'reply' },
      },
    ]);
    // The number no longer lists it as waiting: its next message is a follow-up, not an answer.
    expect((await sender())?.waiting).toBeUndefined();

    // The desk: the case no longer waits and carries the new-message flag, in the list and on the case.
    const detail = await call(casesHandler, 'GET /api/cases/{id}', {
      user: 'officer',
      params: { id: c.caseId },
    });
    expect(detail.status, detail.body).toBe(200);
    expect(detail.json().case).toMatchObject({ status: 'in_progress', newMessage: true });
    expect(detail.json().case.waitingOn).toBeUndefined();
    const list = await call(casesHandler, 'GET /api/cases', {
      user: 'officer',
      query: { status: 'in_progress', limit: '100' },
    });
    expect(list.status, list.body).toBe(200);
    const row = list.json().items.find((i: { caseId: string }) => i.caseId === c.caseId);
    expect(row).toMatchObject({ newMessage: true, dueAt: at(received + 74 * HOUR) });
    expect(row.waitingOn).toBeUndefined();

    // A second message later does not move the clock again.
    clock = new Date(received + 30 * HOUR);
    await text(phone, 'The school is the one by the market');
    expect((await sms.platform.cases.mustGet(c.caseId)).sla).toMatchObject({
      pausedMs: 26 * HOUR,
      resolveBy: at(received + 74 * HOUR),
    });
  });

  it('leaves a resolved case waiting for its satisfaction answer when the person writes something else', async () => {
    const phone = newIraqiPhone();
    const received = clock.getTime();
    const c = await caseInProgress(phone, 'The latrines in block D are broken');
    const pausedSince = at(received + HOUR);
    await sms.platform.cases.mutate(c.caseId, undefined, (current) => ({
      next: {
        ...current,
        status: 'resolved',
        resolvedAt: pausedSince,
        waitingOn: 'complainant',
        waitingSince: pausedSince,
        sla: { ...(current.sla as NonNullable<Case['sla']>), pausedSince },
      },
      events: [],
    }));
    clock = new Date(received + 5 * HOUR);
    await text(phone, 'Thank you, but the door is still broken');
    const after = await sms.platform.cases.mustGet(c.caseId);
    expect(after.status).toBe('resolved');
    expect(after.waitingOn).toBe('complainant');
    expect(after.sla?.pausedSince).toBe(pausedSince);
    expect(after.sla?.pausedMs).toBe(0);
  });

  it('takes a bare "1" to a request for more information as the answer, not as a satisfaction answer', async () => {
    const phone = newIraqiPhone();
    const received = clock.getTime();
    const c = await caseInProgress(phone, 'The food parcels at the distribution point are short');
    clock = new Date(received + HOUR);
    await askForMore(c); // say, which of the camp's two distribution points
    clock = new Date(received + 3 * HOUR);
    expect(await text(phone, '1')).toBe(render('received', 'en', { ref: c.reference }));

    const after = await sms.platform.cases.mustGet(c.caseId);
    expect(after.status).toBe('in_progress');
    expect(after.satisfaction).toBeUndefined();
    expect(after.waitingOn).toBeUndefined();
    expect(after.narrative).toBe('The food parcels at the distribution point are short\n\n1');
    expect(after.sla?.pausedMs).toBe(2 * HOUR);
    const timeline = await sms.platform.cases.timeline(c.caseId);
    expect(timeline.filter((e) => e.type === 'satisfaction')).toEqual([]);

    // Resolved later and asked the question, the same "1" is the answer.
    const resolved = await sms.platform.cases.mutate(c.caseId, undefined, (current) => ({
      next: {
        ...current,
        status: 'resolved',
        resolvedAt: at(received + 4 * HOUR),
        waitingOn: 'complainant',
        waitingSince: at(received + 4 * HOUR),
      },
      events: [],
    }));
    expect(resolved.case.status).toBe('resolved');
    clock = new Date(received + 5 * HOUR);
    expect(await text(phone, '1')).toBe(render('thanks', 'en', {}));
    expect((await sms.platform.cases.mustGet(c.caseId)).satisfaction).toBe('satisfied');
  });
});
