import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as adminHandler } from '#functions/admin/handler.ts';
import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import { handler as casesHandler } from '#functions/cases/handler.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler as liveCallsHandler } from '#functions/live-calls/handler.ts';
import { routerFor } from '#functions/router/handler.ts';
import { handler as voiceHandler } from '#functions/twilio-voice/handler.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { DEFAULT_IVR_PROMPTS } from '#shared/intake/ivr-prompts.ts';
import { allElements, childElements, parseXml, textOf, type XmlElement } from '../../../scripts/lib/xml.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { call as caseCall } from '../cases/helpers.ts';
import { adminEvent, call } from '../routing/http.ts';
import { drain, StreamReader } from '../routing/support.ts';
import { allItems, invoke, twilioEvent, voiceCall } from './twilio-events.ts';

// Tuesday 2026-03-10, 10:00 in Baghdad (07:00 UTC): office hours. Friday 2026-03-13 is the weekend.
const OPEN = new Date('2026-03-10T07:00:00.000Z');
const CLOSED = new Date('2026-03-13T07:00:00.000Z');
const HUDA = '+9647501110001';
const SARA = '+9647501110002';
const ALI = '+9647501110003';
const CALLER = '+9647701234567';
const SEA_SUMMARY =
  'She says the food distributor told her to come to his house alone at night if she wants the extra basket';

const newSid = (p: string) => `${p}${randomBytes(16).toString('hex')}`;
const say = (id: keyof typeof DEFAULT_IVR_PROMPTS.en.prompts, language: 'ar' | 'en' = 'ar') =>
  (DEFAULT_IVR_PROMPTS[language].prompts[id] as { say: string }).say;
const find = (root: XmlElement, name: string) => allElements(root).find((e) => e.name === name) as XmlElement;
const named = (root: XmlElement, name: string) => allElements(root).filter((e) => e.name === name);
const spoken = (root: XmlElement) => named(root, 'Say').map(textOf);
const actionOf = (root: XmlElement) => find(root, 'Gather').attributes.action as string;

const operator = (operatorId: string, extra: Record<string, unknown>) => ({
  operatorId,
  name: operatorId,
  languages: ['ar'],
  onDuty: true,
  ...extra,
});

describe('live hotline: the caller speaks to a person, against DynamoDB Local', () => {
  let messaging: LocalMessaging;
  let platform: Platform;
  let clock = OPEN;
  let route: () => Promise<{ failures: string[] }>;

  const admin = (method: string, sub: string, body?: unknown) =>
    call(adminHandler, adminEvent(method, sub, body === undefined ? {} : { body }));

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging, now: () => clock });
    usePlatform(platform);
    const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
    const fp = (focalPointId: string, kind: string, restricted: boolean) => ({
      focalPointId,
      name: focalPointId,
      kind,
      restricted,
      channel: { type: 'local', address: focalPointId },
    });
    for (const f of [fp('officers', 'general', false), fp('psea', 'psea', true), fp('fraud', 'fraud', true)])
      await subscribeFocalPoint(platform, await config.put('focal-point', f));
    await config.put('routing-rule', { ruleId: 'default', isDefault: true, focalPoints: ['officers'] });
    await config.put('routing-rule', {
      ruleId: 's2',
      priority: 50,
      match: { sensitivities: ['S2'] },
      focalPoints: ['fraud'],
    });
    await config.put('routing-rule', {
      ruleId: 's3',
      priority: 100,
      match: { sensitivities: ['S3'] },
      focalPoints: ['psea'],
    });
    const reader = new StreamReader(platform.db, platform.tableName);
    const router = routerFor(platform);
    route = () => drain(reader, router);
  });

  afterAll(async () => {
    await messaging?.stop();
  });

  /** One call, each request posted and signed as Twilio posts it. */
  const caller = (from = CALLER) => {
    const callSid = newSid('CA');
    const post = voiceCall(platform, voiceHandler, callSid, from);
    const press = async (url: string, digits?: string) => {
      const res = await post(url, digits === undefined ? {} : { Digits: digits });
      expect(res.statusCode, res.body).toBe(200);
      return parseXml(res.body);
    };
    /** Arabic, then a complaint: the action menu. */
    const toActionMenu = async () => {
      const topic = await press('/webhooks/twilio/voice/language', '1');
      return press(actionOf(topic), '3');
    };
    return { callSid, post, press, toActionMenu };
  };

  it('an admin keeps the roster: numbers encrypted at rest, never echoed in an error, every change audited', async () => {
    clock = OPEN;
    for (const o of [
      operator('huda', { gender: 'female', phone: HUDA, userId: 'u-operator' }),
      operator('sara', { gender: 'female', phone: SARA, onDuty: false }),
      operator('ali', { gender: 'male', phone: ALI, client: 'ali-desk' }),
      operator('karwan', { gender: 'male', languages: ['ckb'], client: 'karwan' }),
    ]) {
      const res = await admin('POST', 'roster', o);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const listed = await admin('GET', 'roster');
    expect(listed.status).toBe(200);
    expect((listed.body as { items: { operatorId: string; phone?: string }[] }).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ operatorId: 'huda', phone: HUDA, onDuty: true })]),
    );
    const stored = JSON.stringify(await allItems(platform.db, platform.tableName));
    expect(stored).not.toContain(HUDA);
    expect(stored).not.toContain(ALI);

    const noEndpoint = await admin('POST', 'roster', operator('nobody', { gender: 'male' }));
    expect(noEndpoint).toMatchObject({ status: 400, body: { error: { code: 'ROSTER.NO_ENDPOINT' } } });
    const badNumber = await admin(
      'PUT',
      'roster/huda',
      operator('huda', { gender: 'female', phone: '0750111000' }),
    );
    expect(badNumber).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.INVALID' } } });
    expect(JSON.stringify(badNumber.body)).not.toContain('0750111000');
    expect((await admin('POST', 'roster', operator('huda', { gender: 'female', phone: HUDA }))).status).toBe(
      409,
    );
    expect((await admin('GET', 'roster/nobody')).body).toMatchObject({ error: { code: 'ROSTER.NOT_FOUND' } });

    const trail = await makeAuditTrail({ db: platform.db, tableName: platform.tableName }).list({
      userId: 'u-test',
    });
    const roster = trail.items.filter((e) => e.action === 'roster.write');
    expect(roster.map((e) => e.why).sort()).toEqual([
      'operator ali created',
      'operator huda created',
      'operator karwan created',
      'operator sara created',
    ]);
    expect(JSON.stringify(trail)).not.toContain(HUDA);
  });

  it('an Arabic caller asks for a woman, agrees to recording, and the dial rings her number only', async () => {
    clock = OPEN;
    const call = caller();
    const action = await call.toActionMenu();
    expect(spoken(action)).toEqual([say('actionMenu'), say('liveOption')]);
    const gender = await call.press(actionOf(action), '3');
    expect(spoken(gender)).toEqual([say('genderMenu')]);
    const consent = await call.press(actionOf(gender), '1');
    expect(spoken(consent)).toEqual([say('recordConsent')]);
    const dialling = await call.press(actionOf(consent), '1');
    expect(spoken(dialling)).toEqual([say('connecting')]);
    const dial = find(dialling, 'Dial');
    expect(dial.attributes).toMatchObject({
      timeout: '25',
      record: 'record-from-answer-dual',
      method: 'POST',
    });
    expect(named(dial, 'Number').map(textOf)).toEqual([HUDA]);
    expect(named(dial, 'Client')).toEqual([]);

    // Huda picks up (her leg's status callback), talks, and the dial ends.
    const answered = await call.post(find(dial, 'Number').attributes.statusCallback as string, {
      CallSid: newSid('CA'),
      ParentCallSid: call.callSid,
      CallStatus: 'in-progress',
      Direction: 'outbound-dial',
    });
    expect(answered.statusCode).toBe(204);
    const dialled = await call.post(dial.attributes.action as string, {
      DialCallStatus: 'completed',
      DialCallSid: newSid('CA'),
      DialCallDuration: '185',
    });
    expect(dialled.statusCode).toBe(200);
    const done = parseXml(dialled.body);
    expect(spoken(done)[0]).toBe(say('liveThanks'));
    expect(childElements(done).at(-1)?.name).toBe('Hangup');

    const c = (await platform.cases.findIdempotent(call.callSid)) as Case;
    expect(c).toMatchObject({
      channel: 'hotline',
      status: 'new',
      language: 'ar',
      type: 'complaint',
      liveCall: {
        operatorIds: ['huda'],
        operatorUserIds: ['u-operator'],
        gender: 'female',
        recordingConsent: true,
        outcome: 'completed',
        durationSeconds: 185,
        answeredBy: 'huda',
        answeredByUserId: 'u-operator',
      },
    });
    const timeline = JSON.stringify(await platform.cases.timeline(c.caseId));
    expect(timeline).toContain('live_call_dialled');
    expect(timeline).not.toContain(HUDA);
    expect(timeline).not.toContain(CALLER);
    expect((await route()).failures).toEqual([]);

    // The operator sees the call waiting for her, and completes it with her summary.
    const waiting = await caseCall(liveCallsHandler, 'GET /api/live-calls', { user: 'operator' });
    expect(waiting.status).toBe(200);
    const item = waiting.json().items.find((i: { caseId: string }) => i.caseId === c.caseId);
    expect(item).toMatchObject({ reference: c.reference, answeredBy: 'huda', recordingConsent: true });
    const othersList = await caseCall(liveCallsHandler, 'GET /api/live-calls', { user: 'officer' });
    expect(othersList.json().items.map((i: { caseId: string }) => i.caseId)).not.toContain(c.caseId);

    const complete = (
      version: string | undefined,
      body: unknown,
      user: 'operator' | 'officer' = 'operator',
    ) =>
      caseCall(liveCallsHandler, 'POST /api/live-calls/{id}/complete', {
        user,
        params: { id: c.caseId },
        body,
        headers: version === undefined ? {} : { 'if-match': version },
      });
    const summary = { summary: SEA_SUMMARY, category: 'C03', location: { governorate: 'IQG15' } };
    expect((await complete(undefined, summary)).status).toBe(428);
    // An officer changes the case after the operator read it: her completion meets a conflict, then goes in.
    const patched = await caseCall(casesHandler, 'PATCH /api/cases/{id}', {
      user: 'officer',
      params: { id: c.caseId },
      body: { assignee: 'u-officer', reason: 'I follow up this caller' },
      headers: { 'if-match': `"${item.version}"` },
    });
    expect(patched.status, patched.body).toBe(200);
    expect((await complete(`"${item.version}"`, summary)).json()).toMatchObject({
      error: { code: 'CASE.VERSION_CONFLICT' },
    });
    const reread = await caseCall(liveCallsHandler, 'GET /api/live-calls', { user: 'operator' });
    const current = reread.json().items.find((i: { caseId: string }) => i.caseId === c.caseId);
    expect(current.version).toBeGreaterThan(item.version);
    expect((await complete(`"${current.version}"`, { summary: 'x' })).status).toBe(400);
    expect((await complete(`"${current.version}"`, summary, 'officer')).json()).toMatchObject({
      error: { code: 'LIVE_CALL.NOT_YOURS' },
    });
    const completed = await complete(`"${current.version}"`, summary);
    expect(completed.status, completed.body).toBe(200);
    expect(completed.json()).toMatchObject({ status: 'acknowledged', reference: c.reference });

    // The router reads the summary like any text: exploitation makes the case restricted, for PSEA only.
    expect((await route()).failures).toEqual([]);
    const after = await platform.cases.mustGet(c.caseId);
    expect(after).toMatchObject({ status: 'acknowledged', category: 'C07', sensitivity: 'S3' });
    expect(after.routing?.focalPoints).toEqual(['psea']);
    expect(after.liveCall?.completedBy).toBe('u-operator');
    const audit = await makeAuditTrail({ db: platform.db, tableName: platform.tableName }).list({
      caseId: c.caseId,
    });
    expect(audit.items.map((e) => [e.action, e.who.userId, e.why])).toContainEqual([
      'case.write',
      'u-operator',
      'live call completed',
    ]);
    const again = await caseCall(liveCallsHandler, 'GET /api/live-calls', { user: 'operator' });
    expect(again.json().items.map((i: { caseId: string }) => i.caseId)).not.toContain(c.caseId);
  });

  it('without consent nothing is recorded; a man is asked for and nobody answers: the caller asks for a callback', async () => {
    clock = OPEN;
    const call = caller('+9647709876543');
    const gender = await call.press(actionOf(await call.toActionMenu()), '3');
    const consent = await call.press(actionOf(gender), '2');
    // No key pressed at the consent question: Twilio's redirect comes without digits, which is a no.
    const dialling = await call.press(find(consent, 'Redirect') ? textOf(find(consent, 'Redirect')) : '');
    const dial = find(dialling, 'Dial');
    expect(dial.attributes.record).toBeUndefined();
    expect(dial.attributes.recordingStatusCallback).toBeUndefined();
    expect(named(dial, 'Number').map(textOf)).toEqual([ALI]);
    expect(named(dial, 'Client').map(textOf)).toEqual(['ali-desk']);

    const missed = await call.post(dial.attributes.action as string, {
      DialCallStatus: 'no-answer',
      DialCallSid: newSid('CA'),
      DialCallDuration: '0',
    });
    expect(missed.statusCode).toBe(200);
    const fallback = parseXml(missed.body);
    expect(spoken(fallback)).toEqual([say('liveMissed'), say('actionMenu')]);
    const callback = await call.press(actionOf(fallback), '2');
    expect(spoken(callback)).toContain(say('callbackConfirmed'));

    const c = (await platform.cases.findIdempotent(call.callSid)) as Case;
    expect(c).toMatchObject({
      channel: 'voice',
      mediaUrls: [],
      liveCall: { operatorIds: ['ali'], gender: 'male', recordingConsent: false, outcome: 'no-answer' },
    });
    const types = (await platform.cases.timeline(c.caseId)).map((e) => e.type);
    expect(types).toContain('callback_requested');
    // Nobody answered: it waits in nobody's console.
    const waiting = await caseCall(liveCallsHandler, 'GET /api/live-calls', { user: 'operator' });
    expect(waiting.json().items.map((i: { caseId: string }) => i.caseId)).not.toContain(c.caseId);
  });

  it('with nobody on duty the choice is not offered, and a late key 3 falls back to message or callback', async () => {
    clock = OPEN;
    const call = caller();
    const offered = await call.toActionMenu();
    expect(spoken(offered)).toContain(say('liveOption'));
    for (const [id, gender, phone] of [
      ['huda', 'female', HUDA],
      ['ali', 'male', ALI],
    ] as const) {
      const res = await admin('PUT', `roster/${id}`, operator(id, { gender, phone, onDuty: false }));
      expect(res.status).toBe(200);
    }
    const late = await call.press(actionOf(offered), '3');
    expect(spoken(late)).toEqual([say('liveUnavailable'), say('actionMenu')]);
    const message = await call.press(actionOf(late), '1');
    expect(find(message, 'Record')).toBeDefined();

    const next = caller();
    expect(spoken(await next.toActionMenu())).toEqual([say('actionMenu')]);
  });

  it('outside working hours the choice is not offered, even with operators on duty', async () => {
    await admin('PUT', 'roster/huda', operator('huda', { gender: 'female', phone: HUDA, onDuty: true }));
    clock = OPEN;
    expect(spoken(await caller().toActionMenu())).toContain(say('liveOption'));
    clock = CLOSED;
    const call = caller();
    const menu = await call.toActionMenu();
    expect(spoken(menu)).toEqual([say('actionMenu')]);
    const pressed = await call.press(actionOf(menu), '3');
    expect(spoken(pressed)).toEqual([say('liveUnavailable'), say('actionMenu')]);
    clock = OPEN;
  });

  it('refuses a dial result without its status, and one with a forged signature', async () => {
    clock = OPEN;
    const call = caller();
    const noStatus = await call.post('/webhooks/twilio/voice/dialled?l=ar&t=complaint');
    expect(noStatus.statusCode).toBe(400);
    expect(noStatus.headers?.['x-error-code']).toBe('IVR.INVALID_STATE');
    const forged = await invoke(
      voiceHandler,
      twilioEvent(platform, {
        routeKey: 'POST /webhooks/twilio/voice/{step}',
        path: '/webhooks/twilio/voice/dialled',
        query: 'l=ar&t=complaint',
        pathParameters: { step: 'dialled' },
        params: {
          CallSid: call.callSid,
          AccountSid: platform.twilio.accountSid,
          DialCallStatus: 'completed',
        },
        signature: 'bm90IGEgc2lnbmF0dXJl',
      }),
    );
    expect(forged.statusCode).toBe(403);
  });
});
