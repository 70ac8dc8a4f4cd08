import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { senderKey } from '#shared/intake/sender.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { render } from '#shared/messages/templates.ts';
import { referenceFor } from '#shared/store/ids.ts';
import { allElements, parseXml, textOf } from '../../../scripts/lib/xml.ts';
import type { startInbox } from '../../support/inbox.ts';
import { newIraqiPhone, smsWebhookTests } from '../../support/sms-webhook.ts';
import { allItems } from './twilio-events.ts';

/**
 * The conversation a number has with the platform over the SMS webhook, against DynamoDB Local with the inbox
 * worker on the table stream: status requests, follow-ups that name a case, the language that stays the
 * person's, and the follow-ups of a person with a restricted case.
 */

const { handler } = await import('#functions/twilio-sms/handler.ts');

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

describe('an SMS conversation against DynamoDB Local', () => {
  const sms = smsWebhookTests(handler);
  let platform: Platform;
  let inbox: ReturnType<typeof startInbox>;

  beforeAll(() => {
    ({ platform, inbox } = sms);
  });

  /** Posts a text as Twilio would (signed), lets the inbox worker carry it out, and returns the one reply. */
  async function text(from: string, body: string): Promise<string | undefined> {
    const res = await sms.post(sms.params(from, body));
    expect(res.statusCode).toBe(200);
    await inbox.settle();
    const messages = allElements(parseXml(res.body)).filter((e) => e.name === 'Message');
    expect(messages.length).toBeLessThanOrEqual(1);
    const reply = messages[0] ? textOf(messages[0]) : undefined;
    if (reply !== undefined) expect(segmentsOf(reply).segments, reply).toBe(1);
    return reply;
  }
  const refIn = (reply: string | undefined) => REF.exec(reply ?? '')?.[0] as string;
  const casesOf = async (phone: string) =>
    (await platform.cases.listByPhoneHash(platform.protector.hashPhone(phone))).items;
  const senderItem = (phone: string) =>
    platform.db.get(platform.tableName, senderKey(platform.protector.hashPhone(phone)), true);
  /** Moves a case as the router or an officer would, through the store. */
  const change = (caseId: string, patch: Partial<Case>) =>
    platform.cases.mutate(caseId, undefined, (c) => ({ next: { ...c, ...patch }, events: [] }));
  const classifyAs = (caseId: string, sensitivity: Case['sensitivity'], category: Case['category']) =>
    change(caseId, {
      sensitivity,
      category,
      classification: { source: 'classifier', evidence: [], changedByOfficer: false },
    });

  describe('status by SMS', () => {
    it('answers a reference, with or without a keyword and however it is typed, with the status, opening nothing', async () => {
      const phone = newIraqiPhone();
      const ref = refIn(await text(phone, 'الماء مقطوع في المخيم منذ ثلاثة أيام'));
      const itemsBefore = (await allItems(platform.db, platform.tableName)).length;
      const spaced = `${ref.slice(0, 4)} ${ref.slice(5)}`.toLowerCase();
      const arabicDigits = ref.replace(/[2-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
      for (const body of [
        ref,
        `STATUS ${ref}`,
        `status ${spaced}`,
        `staus ${ref.replace('-', '')}`,
        `حالة ${arabicDigits}`,
        `حاله طلبي ${ref.toLowerCase()}`,
        `rewş ${ref}`,
        `دۆخ ${ref}؟`,
      ]) {
        expect(await text(phone, body), body).toBe(render('status_new', 'ar', { ref }));
      }
      // Nothing was written: no case, no message on the number's item.
      expect(await casesOf(phone)).toHaveLength(1);
      expect((await allItems(platform.db, platform.tableName)).length).toBe(itemsBefore);
    });

    it('follows the case through its life: working, referred, resolved with the question, closed', async () => {
      const phone = newIraqiPhone();
      const ref = refIn(await text(phone, 'We have not received the cash assistance for three months'));
      const ask = () => text(phone, `status ${ref}`);
      await change(ref, { status: 'acknowledged' });
      expect(await ask()).toBe(render('status_working', 'en', { ref }));
      await change(ref, { status: 'referred' });
      expect(await ask()).toBe(render('status_referred', 'en', { ref }));
      await change(ref, { status: 'resolved', outcome: 'assistance_provided', waitingOn: 'complainant' });
      expect(await ask()).toBe(render('resolved', 'en', { ref, outcome: 'assistance_provided' }));
      await change(ref, { status: 'closed', waitingOn: undefined });
      expect(await ask()).toBe(render('status_closed', 'en', { ref }));
    });

    it('answers a reference of another number exactly as one nobody has, and STATUS alone with the newest case', async () => {
      const owner = newIraqiPhone();
      const theirs = refIn(await text(owner, 'Li kampê av tune ye, ji kerema xwe alîkarî bikin'));
      const other = newIraqiPhone();
      const mine = refIn(await text(other, 'Em sê meh in alîkarî negihîştiye me'));
      const unknown = referenceFor(`nobody-${randomBytes(4).toString('hex')}`, 0);

      const forTheirs = await text(other, `rewş ${theirs}`);
      const forUnknown = await text(other, `rewş ${unknown}`);
      expect(forTheirs).toBe(render('not_found', 'kmr', {}));
      expect(forUnknown).toBe(forTheirs);
      expect(forTheirs).not.toContain(theirs);
      expect(await text(other, 'STATUS')).toBe(render('status_new', 'kmr', { ref: mine }));
      // A number never seen is answered in the language of its one word.
      expect(await text(newIraqiPhone(), 'STATUS')).toBe(render('not_found', 'en', {}));
      expect(await text(newIraqiPhone(), 'حالة')).toBe(render('not_found', 'ar', {}));
      expect(await casesOf(other)).toHaveLength(1);
    });

    it('reads a misread look-alike (U for V, O for Q or D) as the number’s own reference', async () => {
      const phone = newIraqiPhone();
      // A case whose reference has a V and a Q or a D, opened for this number through the store.
      const keyFor = (i: number) => `SM${String(i).padStart(32, '0')}`;
      let i = 0;
      while (!/V/.test(referenceFor(keyFor(i), 0)) || !/[QD]/.test(referenceFor(keyFor(i), 0))) i++;
      const key = keyFor(i);
      const { case: c } = await platform.cases.create({
        channel: 'sms',
        idempotencyKey: key,
        narrative: 'ئاو لە کەمپەکەدا نییە',
        language: 'ckb',
        phone,
        consentToFollowUp: true,
        createdBy: { kind: 'complainant' },
      });
      const misread = c.reference.replace(/V/g, 'U').replace(/[QD]/, 'O');
      expect(await text(phone, `دۆخ ${misread}`)).toBe(render('status_new', 'ckb', { ref: c.reference }));
    });

    it('answers a status request for a case announced a moment ago, before the worker has opened it', async () => {
      const phone = newIraqiPhone();
      // No settling between the two: the first message may still be pending on the number's item.
      const first = await sms.post(sms.params(phone, 'The water tank in the camp is empty'));
      const ref = refIn(first.body);
      expect(await text(phone, `status ${ref}`)).toBe(render('status_new', 'en', { ref }));
    });
  });

  describe('the number’s language', () => {
    it('is not changed by a reference, a number, an emoji, a one-word reply or a keyword', async () => {
      const phone = newIraqiPhone();
      const ref = refIn(await text(phone, 'ما وصلتنا المساعدات هذا الشهر'));
      expect((await senderItem(phone))?.lang).toBe('ar');
      expect(await text(phone, ref)).toBe(render('status_new', 'ar', { ref }));
      // Four stored messages with the first and the last: within the number's budget of five an hour.
      for (const body of ['👍', '12', 'Thanks']) {
        const reply = await text(phone, body);
        expect(reply, body).toBe(render('received', 'ar', { ref: refIn(reply) }));
      }
      expect(await text(phone, 'HELP')).toBe(render('help', 'ar', {}));
      expect(await text(phone, 'STOP')).toBe(render('stopped', 'ar', {}));
      expect(await text(phone, 'START')).toBe(render('started', 'ar', {}));
      expect((await senderItem(phone))?.lang).toBe('ar');
      // A message that clearly shows another language does change it.
      const en = await text(phone, 'The latrines in block C are broken again');
      expect(en).toBe(render('received', 'en', { ref: refIn(en) }));
      expect((await senderItem(phone))?.lang).toBe('en');
    });

    it('answers a question mark alone with the newest case, or how to write to us where there is none, opening nothing', async () => {
      // A number with no case yet: how this works.
      const phone = newIraqiPhone();
      expect(await text(phone, '؟')).toBe(render('help', 'ar', {}));
      expect(await casesOf(phone)).toEqual([]);
      // After a complaint: "?" asks what is happening with it.
      const ref = refIn(await text(phone, 'ما وصلتنا المساعدات هذا الشهر'));
      expect(ref).toMatch(REF);
      expect(await text(phone, '؟')).toBe(render('status_new', 'ar', { ref }));
      expect(await text(phone, '?')).toBe(render('status_new', 'ar', { ref }));
      // STOP typed in Arabic letters is STOP.
      expect(await text(phone, 'ستوب')).toBe(render('stopped', 'ar', {}));
      expect((await casesOf(phone)).map((c) => c.reference)).toEqual([ref]);
    });

    it('answers a question mark alone from a number whose only case is restricted with how to write to us, never with the case', async () => {
      const phone = newIraqiPhone();
      const ref = refIn(await text(phone, 'المسؤول عن التوزيع طلب مني أن أزوره في الليل وحدي'));
      const [opened] = await casesOf(phone);
      await classifyAs(opened?.caseId as string, 'S3', 'C07');
      const reply = await text(phone, '؟');
      expect(reply).toBe(render('help', 'ar', {}));
      expect(reply).not.toContain(ref);
      expect((await casesOf(phone)).map((c) => c.reference)).toEqual([ref]);
    });

    it('answers Badini written in Arabic letters in them, through a status request and a keyword, until the person writes Latin', async () => {
      const phone = newIraqiPhone();
      const first = await text(phone, 'ئاڤ ل کەمپا مە نینە ژ سێ رۆژان ڤە، زارۆک تێهنینە');
      const ref = refIn(first);
      expect(first).toBe(`سوپاس، پەیاما هەوە گەهشت. ژمارا شوپاندنێ: ${ref}. بپارێزن.`);
      expect(await senderItem(phone)).toMatchObject({ lang: 'kmr', langScript: 'arabic' });
      const [opened] = await casesOf(phone);
      expect(opened?.language).toBe('kmr');
      // A status request in Latin letters and a keyword show no script of their own: the number's stays.
      expect(await text(phone, `STATUS ${ref}`)).toBe(`دۆسیا ${ref}: گەهشت، تیما مە دێ زوو سەحکەتێ.`);
      expect(await text(phone, 'HELP')).toBe(
        'گازندە یان تێبینیا خۆ بهنێرن، دێ بەرسڤێ دەین. راوەستاندن: راوەستینە',
      );
      // The same person writing Kurmanji in Latin letters is answered in them from then on.
      const latin = await text(phone, 'Hê jî av nehatiye, zarok tî ne');
      expect(latin).toBe(`Spas, peyama we gihîşt. Hejmara şopandinê: ${refIn(latin)}. Wê biparêzin.`);
      expect((await senderItem(phone))?.langScript).toBeUndefined();
      expect(await text(phone, `STATUS ${ref}`)).toBe(`Doza ${ref}: gihîşt, tîma me dê zû lê binêre.`);
    });
  });

  describe('follow-ups', () => {
    it('a message naming one of the number’s open cases joins it and records when the person wrote', async () => {
      const phone = newIraqiPhone();
      const ref = refIn(await text(phone, 'ئێمە سێ مانگە یارمەتیمان پێنەگەیشتووە'));
      const reply = await text(phone, `${ref} هێشتا هیچمان پێنەگەیشتووە، تکایە وەڵاممان بدەنەوە`);
      expect(reply).toBe(render('received', 'ckb', { ref }));
      const c = await platform.cases.mustGet(ref);
      expect(c.narrative).toBe(
        'ئێمە سێ مانگە یارمەتیمان پێنەگەیشتووە\n\n' +
          `${ref} هێشتا هیچمان پێنەگەیشتووە، تکایە وەڵاممان بدەنەوە`,
      );
      expect(c.lastMessageInAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      const inbound = (await platform.cases.timeline(ref)).filter((e) => e.type === 'message_in');
      expect(inbound.map((e) => e.data?.joined)).toEqual(['named']);
      expect(await casesOf(phone)).toHaveLength(1);
    });

    it('a message naming a closed case, or another number’s case, opens a new case instead', async () => {
      const phone = newIraqiPhone();
      const ref = refIn(await text(phone, 'The water tank in the camp is empty'));
      await change(ref, { status: 'closed' });
      const again = refIn(await text(phone, `${ref} the tank is empty again this week`));
      expect(again).not.toBe(ref);
      expect((await platform.cases.mustGet(again)).linkedCaseIds).toEqual([ref]);

      const stranger = newIraqiPhone();
      const theirs = refIn(await text(stranger, `${ref} I have the same problem with the water`));
      expect(theirs).not.toBe(ref);
      expect((await platform.cases.mustGet(ref)).narrative).toBe('The water tank in the camp is empty');
    });
  });

  describe('a number with an open restricted case', () => {
    it('has its next messages joined to that case, never a new case, and its satisfaction answers go where asked', async () => {
      const phone = newIraqiPhone();
      const sea = refIn(await text(phone, 'کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی'));
      // The router classifies it S3; the number's item lists it in the same transaction.
      await classifyAs(sea, 'S3', 'C07');
      expect((await senderItem(phone))?.restricted).toEqual(
        new Set([`${(await platform.cases.mustGet(sea)).receivedAt}#${sea}`]),
      );

      const before = (await casesOf(phone)).length;
      // Acknowledged without the reference: the phone may not be the person's alone.
      const reply = await text(phone, 'هەمان کارمەند دووبارە هاتەوە بۆ ماڵەکەمان');
      expect(reply).toBe(render('noted', 'ckb', {}));
      // Even a message that names another of the number's cases goes to the restricted one.
      const water = (
        await platform.cases.create({
          channel: 'web',
          idempotencyKey: `web-${randomBytes(6).toString('hex')}`,
          narrative: 'ئاو نییە',
          language: 'ckb',
          phone,
          consentToFollowUp: true,
          createdBy: { kind: 'complainant' },
        })
      ).case;
      expect(await text(phone, `${water.reference} ئەو کارمەندە هەڕەشەی لێکردم`)).toBe(
        render('noted', 'ckb', {}),
      );
      // "STATUS" alone answers for the newest case that is not restricted; by its reference, the restricted case
      // is only "received, being handled".
      expect(await text(phone, 'دۆخ')).toBe(render('status_new', 'ckb', { ref: water.reference }));
      expect(await text(phone, `دۆخ ${sea}`)).toBe(render('status_restricted', 'ckb', { ref: sea }));
      expect(await casesOf(phone)).toHaveLength(before + 1);
      const restricted = await platform.cases.mustGet(sea);
      expect(restricted.narrative).toContain('هەمان کارمەند دووبارە هاتەوە');
      expect(restricted.narrative).toContain('هەڕەشەی لێکردم');
      expect(restricted.lastMessageInAt).toBeDefined();
      expect((await platform.cases.mustGet(water.caseId)).narrative).toBe('ئاو نییە');
      const joined = (await platform.cases.timeline(sea)).filter((e) => e.type === 'message_in');
      expect(joined.map((e) => e.data?.joined)).toEqual(['restricted', 'restricted']);
      expect(JSON.stringify(joined)).not.toContain('کارمەند');

      // The other case asks the satisfaction question: "1" answers it, and does not join the restricted case.
      await change(water.caseId, { status: 'resolved', waitingOn: 'complainant' });
      expect(await text(phone, '1')).toBe(render('thanks', 'ckb', {}));
      expect((await platform.cases.mustGet(water.caseId)).satisfaction).toBe('satisfied');

      // Once the restricted case is closed, the number's messages are new cases again.
      await change(sea, { status: 'closed' });
      expect((await senderItem(phone))?.restricted).toBeUndefined();
      const later = refIn(await text(phone, 'ئاو لە کەمپەکەدا نییە، تکایە یارمەتیمان بدەن'));
      expect(later).not.toBe(sea);
    });

    it('a case restricted from the start (an abuse report on the hotline) is listed on the number at once', async () => {
      const phone = newIraqiPhone();
      const { case: c } = await platform.cases.create({
        channel: 'voice',
        idempotencyKey: `CA${randomBytes(16).toString('hex')}`,
        narrative: '',
        language: 'ar',
        type: 'complaint',
        category: 'C07',
        sensitivity: 'S3',
        urgency: 'urgent',
        phone,
        createdBy: { kind: 'complainant' },
      });
      expect((await senderItem(phone))?.restricted).toEqual(new Set([`${c.receivedAt}#${c.caseId}`]));
      expect(await text(phone, 'أريد أن أضيف شيئاً عما حدث')).toBe(render('noted', 'ar', {}));
      expect((await platform.cases.mustGet(c.caseId)).narrative).toBe('أريد أن أضيف شيئاً عما حدث');
      // Nothing else of the number's to answer for: "STATUS" alone does not name the restricted case.
      expect(await text(phone, 'حالة')).toBe(render('not_found', 'ar', {}));
      // An officer's reclassification below S2 takes it off the list.
      await classifyAs(c.caseId, 'S0', 'C03');
      expect((await senderItem(phone))?.restricted).toBeUndefined();
    });

    it('a message that arrives before the number’s item lists the restricted case opens a restricted case beside it', async () => {
      const phone = newIraqiPhone();
      const { case: c } = await platform.cases.create({
        channel: 'web',
        idempotencyKey: `web-${randomBytes(6).toString('hex')}`,
        narrative: 'طلبوا مني رشوة حتى يسجلوني بالتوزيع',
        language: 'ar',
        phone,
        createdBy: { kind: 'complainant' },
      });
      // As stored by a version that kept no list: S2 on the case, nothing on the number's item.
      const raw = await platform.db.get(platform.tableName, caseKeys.case(c.caseId), true);
      await platform.db.put({ TableName: platform.tableName, Item: { ...raw, sensitivity: 'S2' } });

      const ref = refIn(await text(phone, 'وطلبوا مني مرة ثانية نفس المبلغ'));
      expect(ref).not.toBe(c.reference);
      const opened = await platform.cases.mustGet(ref);
      expect(opened.sensitivity).toBe('S2');
      expect(opened.linkedCaseIds).toEqual([c.caseId]);
    });
  });
});
