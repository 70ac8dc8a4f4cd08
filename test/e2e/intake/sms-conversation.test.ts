import { describe, expect, inject, it } from 'vitest';
import { LOCAL_GATEWAY, LOCAL_TWILIO, LOCAL_WHATSAPP } from '#local/stack.ts';
import type { Language } from '#shared/classification/taxonomy.ts';
import type { Transport } from '#shared/intake/conversation.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { render } from '#shared/messages/templates.ts';
import { sendThroughGateway } from '../../../scripts/lib/gateway-sim.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, settle, tokenFor } from '../../support/http.ts';
import { notificationsFor } from '../routing/support.ts';

/**
 * A person's conversation with the platform, over HTTP against the local stack, on each transport that carries it:
 * Twilio SMS and WhatsApp (posted exactly as Twilio posts them: form-encoded, signed with the Twilio SDK's own
 * signing function and checked by its validator; the answer is the TwiML reply), and the local SMS gateway (the
 * relay phone's JSON webhook, signed as "SMS Gateway for Android" signs it; the answer is what the platform asks the
 * fake relay to send). A complaint, a status request by reference, a follow-up, STOP and START, in each of the four
 * languages. Every answer is checked for its language, what it says, and that it fits one SMS segment.
 */

const target = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});
const newPhone = () => `+96475${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
const TRANSPORTS: Transport[] = ['sms', 'whatsapp', 'gateway'];

/** Texts the platform from `from` on `transport` and returns its one reply, after checking it fits one segment. */
async function textOn(transport: Transport, from: string, body: string): Promise<string> {
  let replies: string[];
  if (transport === 'gateway') {
    // Iraqi phones report a sender in national form; the relay passes it on as the phone gave it.
    const outcome = await sendThroughGateway(
      { url: inject('baseUrl'), signingKey: LOCAL_GATEWAY.signingKey },
      { from: `0${from.slice(4)}`, body },
    );
    expect(outcome.status, outcome.error).toBe(200);
    replies = outcome.replies;
  } else {
    const whatsapp = transport === 'whatsapp';
    const outcome = await sendSms(target(), {
      from,
      to: whatsapp ? LOCAL_WHATSAPP.from : LOCAL_TWILIO.messagingFrom,
      body,
      whatsapp,
    });
    expect(outcome.status, outcome.error).toBe(200);
    replies = outcome.replies;
  }
  expect(replies, body).toHaveLength(1);
  const reply = replies[0] as string;
  const { segments, encoding } = segmentsOf(reply);
  expect(segments, `${reply} (${encoding})`).toBe(1);
  return reply;
}

interface CaseView {
  case: {
    reference: string;
    narrative: string;
    language: string;
    sensitivity: string;
    transport?: string;
    version: number;
    lastMessageInAt?: string;
    linkedCaseIds?: string[];
  };
  timeline: { type: string; data?: Record<string, unknown> }[];
}
async function caseAs(role: string, reference: string): Promise<{ status: number; view?: CaseView }> {
  const res = await api('GET', `/api/cases/${reference}`, { token: await tokenFor(role) });
  return { status: res.status, ...(res.status === 200 ? { view: res.json() as CaseView } : {}) };
}
async function casesOfPhone(phone: string): Promise<string[]> {
  const res = await api('POST', '/api/cases/lookup', { token: await tokenFor('psea'), json: { phone } });
  return (res.json() as { items: { reference: string }[] }).items.map((i) => i.reference);
}

const CONVERSATIONS: {
  language: Language;
  complaint: string;
  status: (ref: string) => string;
  followUp: (ref: string) => string;
  stop: string;
  start: string;
}[] = [
  {
    language: 'ar',
    complaint: 'الماء مقطوع في المخيم منذ ثلاثة أيام ولم يأت أحد',
    status: (ref) => `حالة ${ref.toLowerCase().replace('-', ' ')}`,
    followUp: (ref) => `${ref} وما زال الخزان فارغاً في القطاع الرابع`,
    stop: 'توقف',
    start: 'ابدأ',
  },
  {
    language: 'ckb',
    complaint: 'ئێمە سێ مانگە یارمەتیمان پێنەگەیشتووە، تکایە یارمەتیمان بدەن',
    status: (ref) => `دۆخی ${ref.replace('-', '')}`,
    followUp: (ref) => `${ref} هێشتا هیچمان پێنەگەیشتووە و منداڵەکانمان برسین`,
    stop: 'وەستان',
    start: 'دەستپێکردن',
  },
  {
    language: 'kmr',
    complaint: 'Em sê meh in alîkarî negihîştiye me, ji kerema xwe alîkarî bikin',
    status: (ref) => `rewş ${ref}`,
    followUp: (ref) => `${ref} hêj tiştek negihîştiye me û zarokên me birçî ne`,
    stop: 'rawestîne',
    start: 'dest pê bike',
  },
  {
    language: 'en',
    complaint: 'We have not received the cash assistance for three months',
    status: (ref) => `STATUS ${ref}`,
    followUp: (ref) => `${ref} we still have nothing and the children are hungry`,
    stop: 'STOP',
    start: 'START',
  },
];

const PER_TRANSPORT = TRANSPORTS.flatMap((transport) => CONVERSATIONS.map((c) => ({ transport, ...c })));

describe('a conversation over HTTP, on each transport, in each language', () => {
  it.each(PER_TRANSPORT)(
    '$transport, $language: complaint, status by reference, follow-up, STOP, START',
    async ({ transport, language, complaint, status, followUp, stop, start }) => {
      const phone = newPhone();
      const texts = (from: string, body: string) => textOn(transport, from, body);

      // The complaint: the reference, in the person's language.
      const received = await texts(phone, complaint);
      const ref = REF.exec(received)?.[0] as string;
      expect(received).toBe(render('received', language, { ref }));
      await settle();

      // The status, by reference, in the person's language; nothing opened.
      expect(await texts(phone, status(ref))).toBe(render('status_new', language, { ref }));

      // A follow-up naming the case joins it.
      expect(await texts(phone, followUp(ref))).toBe(render('received', language, { ref }));
      await settle();
      expect(await casesOfPhone(phone)).toEqual([ref]);
      const { view } = await caseAs('officer', ref);
      expect(view?.case.narrative).toBe(`${complaint}\n\n${followUp(ref)}`);
      expect(view?.case.language).toBe(language);
      expect(view?.case.transport).toBe(transport);
      expect(view?.case.lastMessageInAt).toBeDefined();
      expect(view?.timeline.filter((e) => e.type === 'message_in').map((e) => e.data?.joined)).toEqual([
        'named',
      ]);

      // STOP and START, confirmed in the person's language.
      expect(await texts(phone, stop)).toBe(render('stopped', language, {}));
      expect(await texts(phone, start)).toBe(render('started', language, {}));
    },
  );

  it.each(TRANSPORTS)(
    '%s: a reference of another number gets exactly the answer of one nobody has',
    async (transport) => {
      const texts = (from: string, body: string) => textOn(transport, from, body);
      const owner = newPhone();
      const theirs = REF.exec(await texts(owner, 'The latrines in block C have been broken for a week'))?.[0];
      await settle();
      const asker = newPhone();
      await texts(asker, 'ما وصلتنا المساعدات هذا الشهر');
      const forTheirs = await texts(asker, `حالة ${theirs}`);
      const forNobody = await texts(asker, 'حالة ZZZZ-2222');
      expect(forTheirs).toBe(render('not_found', 'ar', {}));
      expect(forNobody).toBe(forTheirs);
      await settle();
      expect(await casesOfPhone(asker)).toHaveLength(1);
    },
  );
});

describe('a person who reported sexual exploitation writes again', () => {
  it.each(TRANSPORTS)(
    '%s: joins the restricted case, alerts only its focal point with no narrative, and stays hidden from officers',
    async (transport) => {
      const phone = newPhone();
      const texts = (from: string, body: string) => textOn(transport, from, body);
      // An ordinary complaint first, then the report.
      const water = REF.exec(await texts(phone, 'ئاو لە کەمپەکەدا نییە سێ ڕۆژە'))?.[0] as string;
      await settle();
      const report = await texts(phone, 'کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی');
      const sea = REF.exec(report)?.[0] as string;
      const [routed] = await notificationsFor(sea);
      expect(routed?.focalPointId).toBe('psea-focal-point');

      // The next message, about the same thing: it joins the S3 case, acknowledged without naming it.
      const followUp = 'هەمان کارمەند دووبارە هاتەوە بۆ ماڵەکەمان';
      expect(await texts(phone, followUp)).toBe(render('noted', 'ckb', {}));
      const alerts = await notificationsFor(sea, 2);
      const alert = alerts.find((n) => n.message.eventType === 'message_in');
      expect(alert?.focalPointId).toBe('psea-focal-point');
      expect(alerts.every((n) => n.focalPointId === 'psea-focal-point')).toBe(true);
      expect(JSON.stringify(alerts)).not.toContain('کارمەند');
      expect(JSON.stringify(alerts)).not.toContain(phone.slice(4));

      expect((await casesOfPhone(phone)).sort()).toEqual([water, sea].sort());
      const psea = await caseAs('psea', sea);
      expect(psea.view?.case.narrative).toContain(followUp);
      expect(psea.view?.case.sensitivity).toBe('S3');
      expect(psea.view?.case.lastMessageInAt).toBeDefined();
      expect((await caseAs('officer', sea)).status).toBe(404);

      // A status request about it says only that it was received and is being handled.
      expect(await texts(phone, `دۆخ ${sea}`)).toBe(render('status_restricted', 'ckb', { ref: sea }));

      // Once the focal point has closed it, a new message is a new case; its link to the restricted case is shown
      // to the PSEA focal point and to nobody else.
      const psToken = await tokenFor('psea');
      let version = psea.view?.case.version as number;
      for (const body of [{ action: 'resolve', outcome: 'referred' }, { action: 'close' }]) {
        const r = await api('POST', `/api/cases/${sea}/transitions`, {
          token: psToken,
          json: body,
          headers: { 'if-match': String(version) },
        });
        expect(r.status, r.text).toBe(200);
        version = (r.json() as { version: number }).version;
      }
      await settle();
      const later = REF.exec(await texts(phone, 'ئاو هێشتا نییە لە کەمپەکەدا، تکایە یارمەتیمان بدەن'))?.[0];
      expect(later).not.toBe(sea);
      await settle();
      const asPsea = await caseAs('psea', later as string);
      expect(asPsea.view?.case.linkedCaseIds?.sort()).toEqual([water, sea].sort());
      const asOfficer = await caseAs('officer', later as string);
      expect(asOfficer.status).toBe(200);
      expect(asOfficer.view?.case.linkedCaseIds).toEqual([water]);
    },
  );
});
