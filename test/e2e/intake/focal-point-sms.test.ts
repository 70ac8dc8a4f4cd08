import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_FOCAL_POINT_PHONE } from '#local/seed.ts';
import { LOCAL_GATEWAY, LOCAL_TWILIO } from '#local/stack.ts';
import { sendThroughGateway } from '../../../scripts/lib/gateway-sim.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, devToken, eventually, settle, tokenFor } from '../../support/http.ts';

/**
 * A focal point's day on the phone, against the local stack: a notification arrives, she answers it with short
 * codes from her registered number (SMS, WhatsApp, the local gateway), and the case moves as it would in the
 * console. Everything is posted as Twilio (or the relay) posts it, signed; the answers are compared with the
 * words a focal point reads, written out here.
 */

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
const twilio = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});
const gateway = () => ({ url: inject('baseUrl'), signingKey: LOCAL_GATEWAY.signingKey });
const newPhone = () => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
/** The seeded general accountability officer's phone (its notification channel is SMS to this number). */
const OFFICER = LOCAL_FOCAL_POINT_PHONE;
/** The misconduct focal point's phone, registered by the admin below. */
const MISCONDUCT = newPhone();

type Json = Record<string, unknown>;
interface CaseView {
  case: {
    status: string;
    version: number;
    routing?: { focalPoints: string[] };
    referral?: Json;
    outcomeMessage?: string;
  };
  timeline: { type: string; toStatus?: string; actor: Json; data?: Json }[];
}

/** Texts the platform, as a person does, and returns the one reply. */
async function text(from: string, body: string, options: { whatsapp?: boolean; messageSid?: string } = {}) {
  const out = await sendSms(twilio(), { from, to: LOCAL_TWILIO.messagingFrom, body, ...options });
  expect(out.status, out.error).toBe(200);
  expect(out.replies).toHaveLength(1);
  return { reply: out.replies[0] as string, messageSid: out.messageSid };
}

/** A complaint from a new number, routed by the router (the stack settles), and its reference. */
async function complaint(body: string): Promise<{ ref: string; phone: string }> {
  const phone = newPhone();
  const { reply } = await text(phone, body);
  const ref = REF.exec(reply)?.[0] as string;
  expect(ref, reply).toMatch(REF);
  await settle();
  return { ref, phone };
}

async function view(ref: string, role = 'psea'): Promise<CaseView> {
  const res = await api('GET', `/api/cases/${ref}`, { token: await tokenFor(role) });
  expect(res.status, res.text).toBe(200);
  return res.json() as CaseView;
}

async function auditOf(ref: string): Promise<{ who: Json; action: string; why: string; via: string }[]> {
  const res = await api('GET', `/api/admin/audit?caseId=${ref}`, { token: await tokenFor('admin') });
  expect(res.status, res.text).toBe(200);
  return (res.json() as { items: { who: Json; action: string; why: string; via: string }[] }).items;
}

/** The `routed` notification of case `ref` in a focal point's local inbox, once it is there. */
async function routedNotice(focalPointId: string, ref: string) {
  const admin = await devToken();
  return eventually(async () => {
    const inbox = (await api('GET', `/dev/inbox?focalPoint=${focalPointId}`, { token: admin })).json() as {
      notifications: { message: Json; texts?: { sms?: string; email?: string } }[];
    };
    return inbox.notifications.find((n) => n.message.reference === ref && n.message.eventType === 'routed');
  });
}

const transitions = (v: CaseView) => v.timeline.filter((e) => e.type === 'transition');

const WATER = 'The water tank in the camp has been empty for three days and nobody came';
const FRAUD = 'The distributor asked us for money to keep our names on the assistance list';

describe('a focal point acts on her cases from her registered phone', () => {
  it('is told the codes in the notification, acknowledges, then resolves with words the person receives', async () => {
    const { ref, phone } = await complaint(WATER);
    expect((await view(ref)).case.routing?.focalPoints).toEqual(['accountability-officer']);

    // The notification she gets by SMS carries the codes, with the reference, in one line.
    const notice = await routedNotice('accountability-officer', ref);
    expect(notice.message.reply).toBe(
      `Reply: ACK ${ref}, WIP ${ref}, DONE ${ref} <outcome>, REF ${ref} <partner>`,
    );
    // Her phone reads a line of text, not the JSON: what happened, where, the link, and the codes.
    const link = notice.message.link as string;
    expect(link).toMatch(new RegExp(`^http://localhost:\\d+/console/#/case/${ref}$`));
    expect(notice.texts?.sms).toBe(
      `CFM ${ref}: new case - quality, quantity or timeliness. ${link}\n` +
        `Reply: ACK ${ref}, WIP ${ref}, DONE ${ref} <outcome>, REF ${ref} <partner>`,
    );

    // Acknowledges: answered in Arabic (her focal point has no language set).
    expect((await text(OFFICER, `ACK ${ref}`)).reply).toBe(`${ref}: أصبحت مستلمة.`);
    const acknowledged = await view(ref);
    expect(acknowledged.case.status).toBe('acknowledged');
    expect(transitions(acknowledged).at(-1)).toMatchObject({
      toStatus: 'acknowledged',
      actor: { kind: 'staff', id: 'focal-point:accountability-officer' },
      data: { action: 'acknowledge', via: 'sms', transport: 'sms' },
    });

    // Resolves it: her words are what the person is told.
    expect((await text(OFFICER, `DONE ${ref} The tank was refilled this morning`)).reply).toBe(
      `${ref}: أصبحت محلولة.`,
    );
    await settle();
    const resolved = await view(ref);
    expect(resolved.case.status).toBe('resolved');
    expect(resolved.case.outcomeMessage).toBe('The tank was refilled this morning.');
    const outbox = (
      await api('GET', `/dev/outbox?to=${encodeURIComponent(phone)}`, { token: await devToken() })
    ).json() as { messages: { body: string }[] };
    expect(outbox.messages.map((m) => m.body)).toEqual([
      `Your case ${ref} has been resolved. The tank was refilled this morning. Are you satisfied? Reply 1 = satisfied, 2 = not satisfied.`,
    ]);

    // The audit trail names the focal point and the transport for each action.
    const audit = await auditOf(ref);
    expect(audit.map((a) => [a.who.userId, a.action, a.why, a.via]).reverse()).toEqual([
      ['focal-point:accountability-officer', 'case.write', 'acknowledge', 'SMS short code (sms)'],
      ['focal-point:accountability-officer', 'case.write', 'resolve', 'SMS short code (sms)'],
    ]);
  });

  it('acts once on a redelivered message, and says so when a step is not possible', async () => {
    const { ref } = await complaint(WATER);
    const first = await text(OFFICER, `ack ${ref.toLowerCase().replace('-', ' ')}`);
    expect(first.reply).toBe(`${ref}: أصبحت مستلمة.`);
    // Twilio retries the same MessageSid: the same answer, nothing done twice.
    const again = await text(OFFICER, `ack ${ref.toLowerCase().replace('-', ' ')}`, {
      messageSid: first.messageSid,
    });
    expect(again.reply).toBe(first.reply);
    // A new message asking the same is a step the case has taken already.
    expect((await text(OFFICER, `ACK ${ref}`)).reply).toBe(
      `${ref}: الحالة مستلمة، هذه الخطوة غير ممكنة الآن.`,
    );
    // DONE without words says what is missing.
    expect((await text(OFFICER, `DONE ${ref}`)).reply).toBe(`أضف ما تم: تم ${ref} <النتيجة>`);
    const v = await view(ref);
    expect(transitions(v).map((e) => e.toStatus)).toEqual(['acknowledged']);
    expect(v.case.status).toBe('acknowledged');
    expect((await auditOf(ref)).length).toBe(1);
  });

  it('takes the keypad digits and each transport: 1 through the gateway, 2 on WhatsApp, REF by SMS', async () => {
    const { ref } = await complaint(WATER);
    const relayed = await sendThroughGateway(gateway(), { from: OFFICER, body: `1 ${ref}` });
    expect(relayed.status).toBe(200);
    expect(relayed.replies).toEqual([`${ref}: أصبحت مستلمة.`]);
    expect((await text(OFFICER, `2 ${ref}`, { whatsapp: true })).reply).toBe(`${ref}: أصبحت قيد المعالجة.`);
    // The person gave no consent to sharing on SMS: the partner gets the anonymous summary only.
    expect((await text(OFFICER, `REF ${ref} legal-aid`)).reply).toBe(`${ref}: أصبحت محالة (ملخص دون هوية).`);
    const v = await view(ref);
    expect(v.case.status).toBe('referred');
    expect(v.case.referral).toMatchObject({ partnerId: 'legal-aid', share: 'anonymous', status: 'pending' });
    expect(transitions(v).map((e) => [e.toStatus, e.data?.transport])).toEqual([
      ['acknowledged', 'gateway'],
      ['in_progress', 'whatsapp'],
      ['referred', 'sms'],
    ]);
    expect((await auditOf(ref)).map((a) => [a.action, a.via]).reverse()).toEqual([
      ['case.write', 'SMS short code (gateway)'],
      ['case.write', 'SMS short code (whatsapp)'],
      ['case.referral', 'SMS short code (sms)'],
    ]);
  });

  it('gets the codes for anything else, in the language it was written in, and no case is opened', async () => {
    expect((await text(OFFICER, 'مرحبا، هل يعمل هذا الرقم؟')).reply).toBe(
      'الرموز: استلام <مرجع>، جاري <مرجع>، تم <مرجع> <النتيجة>، احالة <مرجع> <شريك>. أو 1 2 3 4',
    );
    expect((await text(OFFICER, 'Hello, is this number working?')).reply).toBe(
      'Codes: ACK <ref>, WIP <ref>, DONE <ref> <outcome>, REF <ref> <partner>. Or 1, 2, 3, 4 for them.',
    );
    await settle();
    const cases = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('psea'),
      json: { phone: OFFICER },
    });
    expect((cases.json() as { items: unknown[] }).items).toEqual([]);
  });
});

describe('what a phone may not do', () => {
  it('a code for a case routed to another focal point is answered as an unknown reference; nothing changes', async () => {
    const { ref } = await complaint(FRAUD);
    const before = await view(ref);
    expect(before.case.routing?.focalPoints).toEqual(['misconduct-focal-point']);
    const theirs = (await text(OFFICER, `ACK ${ref}`)).reply;
    const unknown = (await text(OFFICER, 'ACK KKKK-2222')).reply;
    expect(theirs).toBe(`${ref}: غير موجودة ضمن حالاتك.`);
    expect(theirs.replace(ref, '<ref>')).toBe(unknown.replace('KKKK-2222', '<ref>'));
    const after = await view(ref);
    expect(after.case.status).toBe('new');
    expect(after.case.version).toBe(before.case.version);
    expect(await auditOf(ref)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ action: 'case.write' })]),
    );
  });

  it("a stranger's ACK <ref> is an ordinary message: it opens a case of its own and leaves the named one alone", async () => {
    const { ref } = await complaint(WATER);
    const stranger = newPhone();
    const { reply } = await text(stranger, `ACK ${ref}`);
    const opened = REF.exec(reply)?.[0];
    expect(opened).toMatch(REF);
    expect(opened).not.toBe(ref);
    await settle();
    const v = await view(ref);
    expect(v.case.status).toBe('new');
    expect(transitions(v)).toEqual([]);
  });
});

describe('a restricted case, in Sorani and Kurmanji', () => {
  let saved: Json | undefined;
  beforeAll(async () => {
    // The admin registers the misconduct focal point's phone as its notification channel.
    const admin = await tokenFor('admin');
    const got = await api('GET', '/api/admin/focal-points/misconduct-focal-point', { token: admin });
    expect(got.status, got.text).toBe(200);
    saved = (got.json() as { focalPoint: Json }).focalPoint;
    const put = await api('PUT', '/api/admin/focal-points/misconduct-focal-point', {
      token: admin,
      json: { ...saved, channel: { type: 'sms', address: MISCONDUCT } },
    });
    expect(put.status, put.text).toBe(200);
  });
  afterAll(async () => {
    if (!saved) return;
    await api('PUT', '/api/admin/focal-points/misconduct-focal-point', {
      token: await tokenFor('admin'),
      json: saved,
    });
  });

  it('answers with the reference and the new state only', async () => {
    const { ref } = await complaint(FRAUD);
    expect((await view(ref)).case.routing?.focalPoints).toEqual(['misconduct-focal-point']);

    // The notification's SMS names the reference and the link only: no category, no place.
    const notice = await routedNotice('misconduct-focal-point', ref);
    expect(notice.texts?.sms).toBe(
      `CFM ${ref}: needs your attention. ${notice.message.link as string}\n` +
        `Reply: ACK ${ref}, WIP ${ref}, DONE ${ref} <outcome>, REF ${ref} <partner>`,
    );
    expect(notice.texts?.email).not.toContain(String(notice.message.category));
    const acknowledged = (await text(MISCONDUCT, `وەرگیرا ${ref}`)).reply;
    expect(acknowledged).toBe(`${ref}: ئێستا وەرگیراو.`);
    const referred = (await text(MISCONDUCT, `şand ${ref} legal-aid`)).reply;
    // No share mode, partner, category, text or place: the reference and the state.
    expect(referred).toBe(`${ref}: niha şandî e.`);
    const v = await view(ref);
    expect(v.case.status).toBe('referred');
    expect(transitions(v).map((e) => e.actor.id)).toEqual([
      'focal-point:misconduct-focal-point',
      'focal-point:misconduct-focal-point',
    ]);
    // The general officer's phone cannot touch it.
    expect((await text(OFFICER, `WIP ${ref}`)).reply).toBe(`${ref}: غير موجودة ضمن حالاتك.`);
  });
});
