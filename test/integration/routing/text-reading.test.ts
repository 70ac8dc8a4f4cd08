/**
 * Every text that reaches a case is read, in the order it happens in the field: the case is classified and routed
 * first, then a transcript, a follow-up or a note arrives. Against DynamoDB Local and the SNS/SQS emulator, with
 * the real voice webhook (Twilio's signature) and the real router over the table's stream.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { routerFor } from '#functions/router/handler.ts';
import { handler as voiceHandler } from '#functions/twilio-voice/handler.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { appendNarrative } from '#shared/intake/narrative.ts';
import { allElements, parseXml, type XmlElement } from '../../../scripts/lib/xml.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { voiceCall } from '../intake/twilio-events.ts';
import { drain, readInbox, StreamReader } from './support.ts';

const PHONE = '+9647701234567';
const SEA_TRANSCRIPT =
  'The distributor told me to come to his house alone at night if I want the extra food basket';
const fp = (focalPointId: string, kind = 'general', restricted = false) => ({
  focalPointId,
  name: focalPointId,
  kind,
  restricted,
  channel: { type: 'local', address: focalPointId },
});
const FOCAL_POINTS = [fp('officers'), fp('fraud', 'fraud', true), fp('psea', 'psea', true)];
const RULES = [
  { ruleId: 'default', isDefault: true, focalPoints: ['officers'] },
  { ruleId: 's2', priority: 50, match: { sensitivities: ['S2'] }, focalPoints: ['fraud'] },
  { ruleId: 's3', priority: 100, match: { sensitivities: ['S3'] }, focalPoints: ['psea'] },
];
const newSid = (p: string) => `${p}${randomBytes(16).toString('hex')}`;
const find = (root: XmlElement, name: string) => allElements(root).find((e) => e.name === name) as XmlElement;

describe('every text that reaches a case is read, and may only raise it', () => {
  let messaging: LocalMessaging;
  let platform: Platform;
  let run: () => Promise<{ failures: string[] }>;

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging });
    usePlatform(platform);
    const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
    for (const f of FOCAL_POINTS) await subscribeFocalPoint(platform, await config.put('focal-point', f));
    for (const r of RULES) await config.put('routing-rule', r);
    const reader = new StreamReader(platform.db, platform.tableName);
    const router = routerFor(platform);
    run = () => drain(reader, router);
  });

  afterAll(async () => {
    await messaging?.stop();
  });

  /** Drains the stream (no failed record) and returns the case as it is then. */
  async function routed(caseId: string): Promise<Case> {
    const { failures } = await run();
    expect(failures).toEqual([]);
    return platform.cases.mustGet(caseId);
  }

  /** A caller who presses 1 (Arabic), 1 (a question), 1 (leave a voice message), signed as Twilio signs. */
  async function questionCall() {
    const callSid = newSid('CA');
    const call = voiceCall(platform, voiceHandler, callSid, PHONE);
    const post = async (url: string, extra: Record<string, string> = {}) => {
      const res = await call(url, extra);
      expect(res.statusCode).toBeLessThan(300);
      return res.body ? parseXml(res.body) : undefined;
    };
    const start = (await post('/webhooks/twilio/voice')) as XmlElement;
    const topic = (await post(find(start, 'Gather').attributes.action as string, {
      Digits: '1',
    })) as XmlElement;
    const action = (await post(find(topic, 'Gather').attributes.action as string, {
      Digits: '1',
    })) as XmlElement;
    const record = (await post(find(action, 'Gather').attributes.action as string, {
      Digits: '1',
    })) as XmlElement;
    const rec = find(record, 'Record');
    const recordingSid = newSid('RE');
    const recording = {
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/${recordingSid}`,
      RecordingDuration: '12',
    };
    await post(rec.attributes.action as string, { ...recording, Digits: '#' });
    const c = (await platform.cases.findIdempotent(callSid)) as Case;
    const transcribe = (text: string) =>
      post(rec.attributes.transcribeCallback as string, {
        ...recording,
        TranscriptionSid: newSid('TR'),
        TranscriptionStatus: 'completed',
        TranscriptionText: text,
      });
    return { caseId: c.caseId, reference: c.reference, transcribe };
  }

  describe('a voice message after the "question" key describes sexual exploitation', () => {
    let first: Case;
    let raised: Case;
    let call: Awaited<ReturnType<typeof questionCall>>;

    beforeAll(async () => {
      call = await questionCall();
      first = await routed(call.caseId);
      await readInbox(messaging, 'officers');
      await call.transcribe(SEA_TRANSCRIPT);
      raised = await routed(call.caseId);
    });

    it('was a question for the officers before the transcript came', () => {
      expect(first).toMatchObject({ type: 'question', sensitivity: 'S0', narrative: '' });
      expect(first.routing?.focalPoints).toEqual(['officers']);
    });

    it('becomes S3 sexual exploitation on the transcript, routed only to PSEA', () => {
      expect(raised).toMatchObject({ sensitivity: 'S3', category: 'C07', narrative: SEA_TRANSCRIPT });
      expect(raised.classification.basis).toBe('explicit');
      expect(raised.routing?.focalPoints).toEqual(['psea']);
    });

    it('leaves the officers’ queue and enters PSEA’s', async () => {
      expect((await platform.cases.listCaseIdsByFocalPoint('officers', { limit: 100 })).items).not.toContain(
        call.caseId,
      );
      expect((await platform.cases.listCaseIdsByFocalPoint('psea', { limit: 100 })).items).toContain(
        call.caseId,
      );
    });

    it('alerts PSEA once, with no personal data and no narrative', async () => {
      const psea = (await readInbox(messaging, 'psea')).filter((m) => m.message.reference === call.reference);
      expect(psea.map((m) => m.message.eventType)).toEqual(['routed']);
      const [m] = psea;
      expect(Object.keys(m?.message ?? {}).sort()).toEqual(
        ['caseId', 'category', 'eventId', 'eventType', 'link', 'reference', 'status'].sort(),
      );
      expect(m?.body).not.toContain('7701234567');
      expect(m?.body).not.toContain('distributor');
      expect((await readInbox(messaging, 'officers')).map((x) => x.message.reference)).not.toContain(
        call.reference,
      );
    });

    it('records the raise on the timeline with the classifier’s basis and no words of the message', async () => {
      const timeline = await platform.cases.timeline(call.caseId);
      const raise = timeline.find((e) => e.type === 'reclassified');
      expect(raise).toMatchObject({
        actor: { kind: 'system', id: 'router' },
        data: {
          kind: 'raised',
          by: 'classifier',
          origin: 'narrative',
          basis: 'explicit',
          before: { sensitivity: 'S0', category: null },
          after: { sensitivity: 'S3', category: 'C07' },
        },
      });
      expect(JSON.stringify(timeline)).not.toContain('distributor');
    });

    it('reads nothing twice: a replayed stream writes nothing and alerts no one again', async () => {
      const again = await routed(call.caseId);
      expect(again.version).toBe(raised.version);
      expect(await readInbox(messaging, 'psea')).toEqual([]);
    });
  });

  it('a focal point’s lifted restriction is not raised again by the words already read; new words may', async () => {
    const call = await questionCall();
    await routed(call.caseId);
    await call.transcribe(SEA_TRANSCRIPT);
    const raised = await routed(call.caseId);
    expect(raised.sensitivity).toBe('S3');
    // The PSEA focal point reviews it and lifts the restriction (an officer's reclassification, as the API writes it).
    await platform.cases.mutate(call.caseId, undefined, (current) => ({
      next: {
        ...current,
        sensitivity: 'S0',
        category: 'C03',
        classification: { ...current.classification, source: 'officer', changedByOfficer: true },
      },
      events: [{ type: 'reclassified', actor: { kind: 'staff', id: 'local-psea', role: 'psea' } }],
    }));
    const lifted = await routed(call.caseId);
    expect(lifted).toMatchObject({ sensitivity: 'S0', category: 'C03' });
    expect(lifted.routing?.focalPoints).toEqual(['officers']);

    // A benign follow-up is read and changes nothing.
    await platform.cases.mutate(call.caseId, undefined, (current) => ({
      next: { ...current, narrative: appendNarrative(current.narrative, 'When is the next distribution?') },
      events: [{ type: 'message_in', actor: { kind: 'complainant' } }],
    }));
    const afterBenign = await routed(call.caseId);
    expect(afterBenign.sensitivity).toBe('S0');
    expect(afterBenign.classification.textRead).toBe(afterBenign.narrative.length);

    // New words that show a bribe raise it again, to S2 this time.
    await platform.cases.mutate(call.caseId, undefined, (current) => ({
      next: {
        ...current,
        narrative: appendNarrative(
          current.narrative,
          'The volunteer asked me to pay 25000 so he puts me on the list',
        ),
      },
      events: [{ type: 'message_in', actor: { kind: 'complainant' } }],
    }));
    const again = await routed(call.caseId);
    expect(again).toMatchObject({ sensitivity: 'S2', category: 'C06' });
    expect(again.routing?.focalPoints).toEqual(['fraud']);
  });

  it('a follow-up that would lower a restricted case does not', async () => {
    const { case: c } = await platform.cases.create({
      channel: 'sms',
      idempotencyKey: newSid('SM'),
      narrative: 'The volunteer asked me to pay 25000 so he puts me on the list',
      language: 'en',
      phone: PHONE,
      consentToFollowUp: true,
      createdBy: { kind: 'complainant' },
    });
    expect((await routed(c.caseId)).sensitivity).toBe('S2');
    await platform.cases.mutate(c.caseId, undefined, (current) => ({
      next: { ...current, narrative: appendNarrative(current.narrative, 'Thank you, the water is back now') },
      events: [{ type: 'message_in', actor: { kind: 'complainant' } }],
    }));
    const after = await routed(c.caseId);
    expect(after).toMatchObject({ sensitivity: 'S2', category: 'C06' });
    expect(after.routing?.focalPoints).toEqual(['fraud']);
  });

  it('an operator’s note that shows abuse raises the case; a PSEA reviewer’s note is not read', async () => {
    const open = async () => {
      const { case: c } = await platform.cases.create({
        channel: 'hotline',
        idempotencyKey: newSid('OP'),
        narrative: 'The caller asks when the next food distribution in the camp will be',
        language: 'en',
        category: 'C03',
        classification: { source: 'person', evidence: [], changedByOfficer: false },
        consentToFollowUp: false,
        createdBy: { kind: 'staff', id: 'local-operator', role: 'operator' },
      });
      expect((await routed(c.caseId)).sensitivity).toBe('S0');
      return c.caseId;
    };
    const note = 'On a second call she said the volunteer touched her daughter during the distribution';

    const byOperator = await open();
    await platform.cases.appendEvent(byOperator, {
      type: 'note',
      actor: { kind: 'staff', id: 'local-operator', role: 'operator' },
      reason: note,
    });
    const raised = await routed(byOperator);
    expect(raised).toMatchObject({ sensitivity: 'S3', category: 'C07' });
    expect(raised.routing?.focalPoints).toEqual(['psea']);
    const timeline = await platform.cases.timeline(byOperator);
    expect(timeline.find((e) => e.type === 'reclassified')?.data).toMatchObject({
      kind: 'raised',
      origin: 'note',
    });

    const byPsea = await open();
    await platform.cases.appendEvent(byPsea, {
      type: 'note',
      actor: { kind: 'staff', id: 'local-psea', role: 'psea' },
      reason: note,
    });
    expect((await routed(byPsea)).sensitivity).toBe('S0');
  });
});
