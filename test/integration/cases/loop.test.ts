import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as casesApi } from '#functions/cases/handler.ts';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler as notifier } from '#functions/notifier/handler.ts';
import { handler as projector } from '#functions/projector/handler.ts';
import { handler as reports } from '#functions/reports/handler.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { defaultConfig } from '#shared/config/defaults.ts';
import { setOptedOut } from '#shared/intake/opt-out.ts';
import { caseIdForMessage } from '#shared/intake/outbound-index.ts';
import { buildNotification } from '#shared/routing/notification.ts';
import { marshallItem } from '#shared/store/dynamodb.ts';
import { testPlatform } from '../../support/services.ts';
import { call, seedConfig } from './helpers.ts';

const HOUR = 3_600_000;
const RECEIVED = '2026-03-01T06:00:00.000Z'; // Sunday 09:00 Baghdad
let clock = new Date(RECEIVED);
const staff = { kind: 'staff', id: 'u-officer', role: 'officer' } as const;

/** Stands in for Twilio's REST API (an external service): records each message and answers like Twilio. */
function fakeTwilio() {
  const sent: Record<string, string>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      sent.push(form);
      const sid = `SM${randomBytes(16).toString('hex')}`;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From, body: form.Body }));
    });
  });
  return { server, sent };
}

describe('closing the loop and the time-to-close report', () => {
  let platform: Platform;
  const twilio = fakeTwilio();
  let seq = 0;

  const stream = async (caseId: string, which: 'case' | { eventId: string }) => {
    const items = await platform.db.query({
      TableName: platform.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': caseKeys.case(caseId).pk },
      ConsistentRead: true,
    });
    const item = items.items.find((it) =>
      which === 'case' ? it.sk === 'CASE' : it.eventId === which.eventId,
    );
    if (!item) throw new Error('no such item');
    return item;
  };
  const feed = async (items: Record<string, unknown>[]) => {
    const event = {
      Records: items.map((it) => ({
        eventName: it.sk === 'CASE' && it.version === 1 ? 'INSERT' : it.sk === 'CASE' ? 'MODIFY' : 'INSERT',
        dynamodb: { NewImage: marshallItem(it), SequenceNumber: String(++seq) },
      })),
    } as unknown as DynamoDBStreamEvent;
    const res = await projector(event);
    expect(res.batchItemFailures).toEqual([]);
  };
  const sqs = (body: string): SQSEvent => ({
    Records: [{ messageId: `m-${++seq}`, body } as SQSEvent['Records'][number]],
  });

  const newCase = async (extra: Record<string, unknown> = {}) =>
    (
      await platform.cases.create({
        channel: 'sms',
        idempotencyKey: `SM${randomBytes(12).toString('hex')}`,
        narrative: 'The water tank in the camp is empty.',
        language: 'ar',
        receivedAt: RECEIVED,
        consentToFollowUp: true,
        phone: '+9647701234567',
        category: 'C03',
        type: 'complaint',
        createdBy: { kind: 'complainant' },
        ...extra,
      })
    ).case;

  const routeIt = (c: Case, focalPoints = ['accountability-officer']) =>
    platform.cases.mutate(c.caseId, undefined, (cur) => ({
      next: {
        ...cur,
        classification: {
          ...cur.classification,
          source: 'classifier',
          automatic: {
            type: 'complaint',
            category: cur.category,
            sensitivity: cur.sensitivity,
            urgency: 'none',
          },
        },
        routing: { focalPoints, ruleId: 'default', routedAt: RECEIVED },
        sla: {
          policyId: 'complaint',
          clock: 'working',
          acknowledgeBy: '2026-03-03T06:00:00.000Z',
          resolveBy: '2026-03-10T06:00:00.000Z',
          pausedMs: 0,
          escalated: [],
          warned: [],
        },
      },
      events: [],
    }));

  const move = (caseId: string, action: 'acknowledge' | 'resolve' | 'close', at: string, patch = {}) => {
    clock = new Date(at);
    return platform.cases.mutate(caseId, undefined, (cur, now) =>
      transitionChange(cur, action, now, {
        actor: staff,
        patch: action === 'resolve' ? { outcome: 'corrected', ...patch } : patch,
      }),
    );
  };

  beforeAll(async () => {
    await new Promise<void>((r) => twilio.server.listen(0, '127.0.0.1', () => r()));
    const base = await testPlatform({ now: () => clock, publicBaseUrl: 'https://cfm.example.org' });
    const port = (twilio.server.address() as AddressInfo).port;
    platform = { ...base, twilio: { ...base.twilio, apiBaseUrl: `http://127.0.0.1:${port}` } };
    usePlatform(platform);
    await seedConfig(platform);
  });
  afterAll(async () => {
    usePlatform(undefined);
    await new Promise<void>((r) => twilio.server.close(() => r()));
  });

  it('sends the outcome and the satisfaction question once, pauses the clock, and closes on "satisfied"', async () => {
    const c = await newCase();
    await routeIt(c);
    const resolved = await move(c.caseId, 'resolve', '2026-03-02T06:00:00.000Z');
    const event = resolved.events.find((e) => e.type === 'transition');
    if (!event) throw new Error('no transition event');
    const message = buildNotification(event, resolved.case, {
      consoleUrl: platform.consoleUrl,
      focalPoints: defaultConfig().focalPoints,
    });
    expect(message.audience).toContain('complainant');
    const before = twilio.sent.length;
    // SQS delivers the message twice (at least once): one SMS.
    expect((await notifier(sqs(message.message))).batchItemFailures).toEqual([]);
    expect((await notifier(sqs(message.message))).batchItemFailures).toEqual([]);
    const sent = twilio.sent.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.To).toBe('+9647701234567');
    expect(sent[0]?.Body).toContain(c.reference);
    expect(sent[0]?.Body).toContain('1=');
    expect(sent[0]?.StatusCallback).toBe('https://cfm.example.org/webhooks/twilio/status');

    const waiting = await platform.cases.mustGet(c.caseId);
    expect(waiting).toMatchObject({ waitingOn: 'complainant', loopClosedBy: 'sms' });
    expect(waiting.sla?.pausedSince).toBe('2026-03-02T06:00:00.000Z');
    const out = (await platform.cases.timeline(c.caseId)).find((e) => e.type === 'message_out');
    expect(await caseIdForMessage(platform.db, platform.tableName, String(out?.data?.sid))).toBe(c.caseId);

    // The SMS webhook records the answer as the intake agent does; the projector reacts to the event.
    clock = new Date('2026-03-02T10:00:00.000Z');
    const answered = await platform.cases.mutate(c.caseId, undefined, (cur) => {
      const next = { ...cur, satisfaction: 'satisfied' as const };
      delete next.waitingOn;
      return {
        next,
        events: [
          {
            type: 'satisfaction',
            actor: { kind: 'complainant' },
            data: { answer: 'satisfied', channel: 'sms' },
          },
        ],
      };
    });
    const answer = answered.events[0];
    if (!answer) throw new Error('no answer event');
    await feed([await stream(c.caseId, { eventId: answer.eventId })]);
    await feed([await stream(c.caseId, { eventId: answer.eventId })]); // a replay changes nothing
    const closed = await platform.cases.mustGet(c.caseId);
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 'satisfied', loopClosedBy: 'sms' });
    expect(closed.closedAt).toBe('2026-03-02T10:00:00.000Z');
    expect(closed.sla?.pausedSince).toBeUndefined();
    expect(closed.sla?.pausedMs).toBe(4 * HOUR);
  });

  /**
   * An officer resolves the routed case `c` through the cases API ("corrected", with `message` to the person), and
   * the notifier handles the resolution once: the SMS it sent.
   */
  const resolveAndNotify = async (c: Case, message: string) => {
    const routed = await routeIt(c);
    clock = new Date('2026-03-02T07:00:00.000Z');
    const res = await call(casesApi, 'POST /api/cases/{id}/transitions', {
      user: 'officer',
      params: { id: c.caseId },
      headers: { 'if-match': String(routed.case.version) },
      body: { action: 'resolve', outcome: 'corrected', message },
    });
    expect(res.status, res.body).toBe(200);
    const event = (await platform.cases.timeline(c.caseId)).find((e) => e.toStatus === 'resolved');
    if (!event) throw new Error('no resolution event');
    const n = buildNotification(event, await platform.cases.mustGet(c.caseId), {
      consoleUrl: platform.consoleUrl,
      focalPoints: defaultConfig().focalPoints,
    });
    const before = twilio.sent.length;
    expect((await notifier(sqs(n.message))).batchItemFailures).toEqual([]);
    return twilio.sent.slice(before)[0];
  };

  it("puts the officer's own words to the person in the outcome SMS, in the person's language", async () => {
    const c = await newCase({ phone: '+9647701239911' });
    const message = 'سيُملأ الخزان كل صباح ابتداءً من الغد.';
    const sms = await resolveAndNotify(c, message);
    expect(sms?.To).toBe('+9647701239911');
    expect(sms?.Body).toBe(`طلبك ${c.reference}: تم حل المشكلة. ${message} هل النتيجة مرضية؟ 1=نعم 2=لا`);
  });

  it('writes the outcome SMS in Arabic letters to a person who wrote Badini in them, and in Latin to one who did not', async () => {
    const officerWords = 'تانکەر دێ هەر رۆژ ئێت.';
    const badini = await newCase({
      phone: '+9647501239101',
      narrative: 'ئاڤ ل کەمپا مە نینە ژ سێ رۆژان ڤە',
      language: 'kmr',
    });
    const arabic = await resolveAndNotify(badini, officerWords);
    expect(arabic?.To).toBe('+9647501239101');
    expect(arabic?.Body).toBe(
      `دۆسیا ${badini.reference}: ئاریشە هاتە چارەسەرکرن. ${officerWords} هوین رازینە؟ 1=ئەرێ 2=نە`,
    );
    const kurmanji = await newCase({
      phone: '+9647501239102',
      narrative: 'Li kampa me sê roj in av tune ye',
      language: 'kmr',
    });
    const latin = await resolveAndNotify(kurmanji, officerWords);
    expect(latin?.To).toBe('+9647501239102');
    expect(latin?.Body).toBe(
      `Doza ${kurmanji.reference}: pirsgirêk hat çareserkirin. ${officerWords} Hûn razî ne? 1=erê 2=na`,
    );
  });

  it('reopens on "not satisfied" with a fresh clock, and sends nothing to an opted-out number or for S3', async () => {
    const c = await newCase({ phone: '+9647701239999' });
    await routeIt(c);
    await move(c.caseId, 'resolve', '2026-03-02T06:00:00.000Z');
    const answered = await platform.cases.mutate(c.caseId, undefined, (cur) => ({
      next: cur,
      events: [
        {
          type: 'satisfaction',
          actor: { kind: 'complainant' },
          data: { answer: 'not_satisfied', channel: 'sms' },
        },
      ],
    }));
    await feed([await stream(c.caseId, { eventId: answered.events[0]?.eventId as string })]);
    const reopened = await platform.cases.mustGet(c.caseId);
    expect(reopened.status).toBe('reopened');
    expect(reopened.sla?.acknowledgeBy).toBe('2026-03-04T06:00:00.000Z'); // two working days from Monday 09:00

    const before = twilio.sent.length;
    const optedOut = await newCase({ phone: '+9647701238888' });
    await routeIt(optedOut);
    await setOptedOut(
      platform.db,
      platform.tableName,
      platform.protector.hashPhone('+9647701238888'),
      true,
      RECEIVED,
    );
    const s3 = await newCase({ phone: '+9647701237777', sensitivity: 'S3', category: 'C07' });
    await routeIt(s3, ['psea-focal-point']);
    for (const x of [optedOut, s3]) {
      const r = await move(x.caseId, 'resolve', '2026-03-02T06:00:00.000Z');
      const e = r.events.find((ev) => ev.type === 'transition');
      if (!e) throw new Error('no transition');
      const m = buildNotification(e, r.case, {
        consoleUrl: platform.consoleUrl,
        focalPoints: defaultConfig().focalPoints,
      });
      expect((await notifier(sqs(m.message))).batchItemFailures).toEqual([]);
    }
    expect(twilio.sent.length).toBe(before);
  });

  it('closes a hotline case with an automated call in Arabic, and refuses one in Kurdish', async () => {
    const ar = await newCase({ channel: 'hotline', phone: '+9647701235555' });
    const ckb = await newCase({ channel: 'hotline', phone: '+9647701236666', language: 'ckb' });
    for (const c of [ar, ckb]) {
      await routeIt(c);
      await move(c.caseId, 'resolve', '2026-03-02T06:00:00.000Z');
    }
    const before = twilio.sent.length;
    const closeByCall = async (c: Case) =>
      call(casesApi, 'POST /api/cases/{id}/transitions', {
        user: 'officer',
        params: { id: c.caseId },
        headers: { 'if-match': String((await platform.cases.mustGet(c.caseId)).version) },
        body: { action: 'close', callComplainant: true },
      });
    const refused = await closeByCall(ckb);
    expect(refused.status).toBe(409);
    expect(refused.json().error.code).toBe('CASE.CANNOT_CALL');
    expect(twilio.sent.length).toBe(before);
    const ok = await closeByCall(ar);
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'closed', loopClosedBy: 'call' });
    const placed = twilio.sent.slice(before);
    expect(placed).toHaveLength(1);
    expect(placed[0]?.To).toBe('+9647701235555');
    expect(placed[0]?.Twiml).toContain('<Say language="ar-AE">');
    expect(placed[0]?.Twiml).toContain(ar.reference.replace('-', '').split('').join(' '));
  });

  it('projects cases into aggregates idempotently and reports hand-computed figures, restricted cases apart', async () => {
    // Three C04 complaints received Sunday 09:00 Baghdad, closed 24 h, 48 h and 72 h later (calendar time):
    // working time 8 h (Sun 09-16 + Mon 08-09), 16 h, and 24 h.
    const ids: string[] = [];
    for (const [i, hours] of [24, 48, 72].entries()) {
      const c = await newCase({ category: 'C04', phone: `+96477012300${i}0` });
      await routeIt(c);
      clock = new Date(RECEIVED);
      await feed([await stream(c.caseId, 'case')]);
      const at = new Date(Date.parse(RECEIVED) + hours * HOUR).toISOString();
      await move(c.caseId, 'acknowledge', new Date(Date.parse(RECEIVED) + HOUR).toISOString());
      const stale = await stream(c.caseId, 'case');
      await move(c.caseId, 'resolve', at, i < 2 ? { loopClosedBy: 'sms' } : {});
      await move(c.caseId, 'close', at);
      const latest = await stream(c.caseId, 'case');
      // The latest image, a replay of it, then an older image arriving late: counted once, as the latest.
      await feed([latest, latest, stale]);
      ids.push(c.caseId);
    }
    const s3 = await newCase({ category: 'C07', sensitivity: 'S3', phone: '+9647701231111' });
    await routeIt(s3, ['psea-focal-point']);
    await move(s3.caseId, 'resolve', '2026-03-02T06:00:00.000Z');
    await move(s3.caseId, 'close', '2026-03-02T06:00:00.000Z');
    await feed([await stream(s3.caseId, 'case')]);

    clock = new Date('2026-03-20T06:00:00.000Z');
    const q = { groupBy: 'category', from: '2026-03', to: '2026-03' };
    const manager = await call(reports, 'GET /api/reports/time-to-close', { user: 'manager', query: q });
    expect(manager.status).toBe(200);
    const groups = manager.json().groups as { group: string }[];
    expect(groups.map((g) => g.group)).not.toContain('C07');
    expect(manager.body).not.toContain('psea-focal-point');
    const c04 = manager.json().groups.find((g: { group: string }) => g.group === 'C04');
    expect(c04.received).toBe(3);
    expect(c04.closed).toBe(3);
    // Exact over the three cases, interpolated between ranks as a spreadsheet's PERCENTILE.INC: 48 + 0.8 × 24 h.
    expect(c04.timeToClose.calendar).toEqual({ count: 3, medianMs: 48 * HOUR, p90Ms: 67.2 * HOUR });
    expect(c04.timeToClose.working).toEqual({ count: 3, medianMs: 16 * HOUR, p90Ms: 22.4 * HOUR });
    expect(c04.timeToClose.meanCalendarMs).toBe(48 * HOUR);
    expect(c04.timeToClose.meanWorkingMs).toBe(16 * HOUR);
    expect(c04.withinSla).toEqual({ resolved: 3, within: 3, share: 1 });
    expect(c04.loopClosed).toEqual({ closed: 3, loopClosed: 2, share: 0.667 });
    expect(c04.steps.acknowledge.count).toBe(3);

    const psea = await call(reports, 'GET /api/reports/time-to-close', { user: 'psea', query: q });
    expect(psea.json().groups.map((g: { group: string }) => g.group)).toContain('C07');
    const officer = await call(reports, 'GET /api/reports/time-to-close', {
      user: 'officer',
      query: { ...q, groupBy: 'month' },
    });
    expect(officer.json().groups[0].group).toBe('2026-03');

    const csv = await call(reports, 'GET /api/reports/cases.csv', {
      user: 'manager',
      query: { from: '2026-03', to: '2026-03' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    for (const id of ids) expect(csv.body).toContain(id);
    expect(csv.body).not.toContain(s3.caseId);
    expect(csv.body).not.toContain('+96477');
    expect(csv.body).not.toContain('water tank');
    const officerCsv = await call(reports, 'GET /api/reports/cases.csv', {
      user: 'officer',
      query: { from: '2026-03' },
    });
    expect(officerCsv.body).toContain('+9647701230000');
    expect(officerCsv.body).not.toContain(s3.caseId);
  });
});
