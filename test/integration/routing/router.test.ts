import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeFocalPoint, syncFocalPointSubscriptions } from '#functions/admin/subscriptions.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { routerFor, routerServiceFor } from '#functions/router/handler.ts';
import { makeStreamRouter } from '#functions/router/stream-router.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import type { NewCaseInput } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { makePublishMarkers } from '#shared/routing/publish-markers.ts';
import { marshallItem } from '#shared/store/dynamodb.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { type Delivered, drain, readInbox, StreamReader } from './support.ts';

const MOSUL = { governorate: 'IQG15', district: 'IQG15Q05' };
const TELAFAR = { governorate: 'IQG15', district: 'IQG15Q08' };
const NINEWA = { governorate: 'IQG15' };
const BASRA = { governorate: 'IQG02' };
const PHONE = '+9647701234567';
const NAME = 'Layla Hassan';

const fp = (focalPointId: string, kind = 'general', restricted = false) => ({
  focalPointId,
  name: focalPointId,
  kind,
  restricted,
  channel: { type: 'local', address: focalPointId },
});

const FOCAL_POINTS = [
  fp('general'),
  fp('ninewa-officer'),
  fp('mosul-officer'),
  fp('cash-team'),
  fp('ninewa-cash'),
  fp('solutions-team'),
  fp('fraud', 'fraud', true),
  fp('psea', 'psea', true),
];

const RULES = [
  { ruleId: 'default', isDefault: true, focalPoints: ['general'] },
  { ruleId: 'ninewa', match: { governorates: ['IQG15'] }, focalPoints: ['ninewa-officer'] },
  { ruleId: 'mosul', match: { districts: ['IQG15Q05'] }, focalPoints: ['mosul-officer'] },
  { ruleId: 'cash', match: { categories: ['C04'] }, focalPoints: ['cash-team'] },
  {
    ruleId: 'ninewa-cash',
    match: { governorates: ['IQG15'], categories: ['C04'] },
    focalPoints: ['ninewa-cash'],
  },
  { ruleId: 'solutions', match: { programmes: ['durable-solutions'] }, focalPoints: ['solutions-team'] },
  {
    ruleId: 'misconduct',
    priority: 50,
    match: { categories: ['C05', 'C06', 'C09'] },
    focalPoints: ['fraud'],
  },
  { ruleId: 's2', priority: 50, match: { sensitivities: ['S2'] }, focalPoints: ['fraud'] },
  { ruleId: 's3', priority: 100, match: { sensitivities: ['S3'] }, focalPoints: ['psea'] },
];

let keyCounter = 0;
/** A case as intake stores it; `category` makes it the person's choice (web form, IVR), else it is pending. */
function intake(
  narrative: string,
  location: Record<string, string>,
  extra: Partial<NewCaseInput> = {},
): NewCaseInput {
  return {
    channel: 'sms',
    idempotencyKey: `router-it-${Date.now()}-${keyCounter++}`,
    narrative,
    language: 'en',
    location,
    phone: PHONE,
    name: NAME,
    consentToFollowUp: true,
    createdBy: { kind: 'complainant' },
    ...extra,
  };
}
const chose = (category: 'C03' | 'C04'): Partial<NewCaseInput> => ({
  category,
  classification: { source: 'person', evidence: [], changedByOfficer: false },
});

async function setUp(messaging: LocalMessaging, focalPoints = FOCAL_POINTS, rules = RULES) {
  const platform = await testPlatform({ messaging, publicBaseUrl: 'https://cfm.example.org' });
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
  for (const f of focalPoints) {
    const stored = await config.put('focal-point', f);
    await subscribeFocalPoint(platform, stored);
  }
  for (const r of rules) await config.put('routing-rule', r);
  const reader = new StreamReader(platform.db, platform.tableName);
  const router = routerFor(platform);
  return { platform, reader, router, run: () => drain(reader, router) };
}

/** Reads every focal point's inbox once; returns the messages by focal point. */
async function inboxes(messaging: LocalMessaging, ids: string[]): Promise<Record<string, Delivered[]>> {
  const out: Record<string, Delivered[]> = {};
  for (const id of ids) out[id] = await readInbox(messaging, id);
  return out;
}
const references = (messages: Delivered[] = []) => messages.map((m) => m.message.reference).sort();
const ALL = FOCAL_POINTS.map((f) => f.focalPointId);

describe('router with the SNS/SQS emulator and its real filter policies', () => {
  let messaging: LocalMessaging;
  let env: Awaited<ReturnType<typeof setUp>>;
  let platform: Platform;
  const refs: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let firstRun: { delivered: DynamoDBRecord[]; failures: string[] };
  let firstInboxes: Record<string, Delivered[]>;

  beforeAll(async () => {
    messaging = await testMessaging();
    env = await setUp(messaging);
    platform = env.platform;
    const cases: Record<string, NewCaseInput> = {
      mosulC03: intake('The water tank in our street has been broken for a week', MOSUL, chose('C03')),
      telafarC03: intake('The water tank in our street has been broken for a week', TELAFAR, chose('C03')),
      basraC03: intake('The water tank in our street has been broken for a week', BASRA, chose('C03')),
      basraC04: intake('The cash payment was late this month', BASRA, chose('C04')),
      ninewaC04: intake('The cash payment was late this month', NINEWA, chose('C04')),
      mosulC04: intake('The cash payment was late this month', MOSUL, chose('C04')),
      basraProgramme: intake('The water tank in our street has been broken for a week', BASRA, {
        ...chose('C03'),
        programme: 'durable-solutions',
      }),
      bribe: intake('طلبوا مني رشوة حتى يسجلوني بالتوزيع', MOSUL, { language: 'ar' }),
      sea: intake('کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی', MOSUL, { language: 'ckb' }),
    };
    for (const [name, input] of Object.entries(cases)) {
      const { case: c } = await platform.cases.create(input);
      refs[name] = c.reference;
      ids[name] = c.caseId;
    }
    firstRun = await env.run();
    firstInboxes = await inboxes(messaging, ALL);
  });

  afterAll(async () => {
    await messaging?.stop();
  });

  it('routes every case with no failed record', () => {
    expect(firstRun.failures).toEqual([]);
    expect(firstRun.delivered.length).toBeGreaterThan(0);
  });

  it('sends each case to the most specific rule: district, then governorate, then category, then programme', () => {
    expect(references(firstInboxes['mosul-officer'])).toEqual([refs.mosulC03, refs.mosulC04].sort());
    expect(references(firstInboxes['ninewa-officer'])).toEqual([refs.telafarC03]);
    expect(references(firstInboxes['ninewa-cash'])).toEqual([refs.ninewaC04]);
    expect(references(firstInboxes['cash-team'])).toEqual([refs.basraC04]);
    expect(references(firstInboxes['solutions-team'])).toEqual([refs.basraProgramme]);
    expect(references(firstInboxes.general)).toEqual([refs.basraC03]);
  });

  it('sends the S2 bribe only to the fraud focal point and the S3 case only to PSEA', async () => {
    expect(references(firstInboxes.fraud)).toEqual([refs.bribe]);
    expect(references(firstInboxes.psea)).toEqual([refs.sea]);
    const bribe = await platform.cases.mustGet(ids.bribe as string);
    expect(bribe).toMatchObject({ category: 'C06', sensitivity: 'S2' });
    expect(bribe.routing?.focalPoints).toEqual(['fraud']);
    const sea = await platform.cases.mustGet(ids.sea as string);
    expect(sea).toMatchObject({ category: 'C07', sensitivity: 'S3' });
    expect(sea.routing?.focalPoints).toEqual(['psea']);
  });

  it('puts no phone number, name or narrative in any message, and only the minimum for restricted cases', () => {
    const all = Object.values(firstInboxes).flat();
    expect(all.length).toBe(9);
    for (const m of all) {
      expect(m.body).not.toContain('7701234567');
      expect(m.body).not.toContain('Layla');
      expect(m.body).not.toContain('water tank');
      expect(m.body).not.toContain('رشوة');
    }
    const restricted = [...(firstInboxes.fraud ?? []), ...(firstInboxes.psea ?? [])];
    for (const m of restricted) {
      expect(Object.keys(m.message).sort()).toEqual(
        ['caseId', 'category', 'eventId', 'eventType', 'link', 'reference', 'status'].sort(),
      );
      expect(m.message.link).toBe(`https://cfm.example.org/console/#/case/${m.message.caseId}`);
      // What an SMS or e-mail focal point reads: the reference and the link, not the category or the place.
      const texts = JSON.parse(JSON.parse(m.body).Message) as { sms: string; email: string };
      expect(texts.sms).toBe(`CFM ${m.message.reference}: needs your attention. ${m.message.link}`);
      expect(texts.email).toContain(`Case ${m.message.reference}: needs your attention.`);
      for (const text of [texts.sms, texts.email]) {
        expect(text).not.toMatch(/fraud|bribery|sexual|exploitation|Basra|IQG/i);
      }
    }
  });

  it('carries the routing as message attributes', () => {
    const [bribe] = firstInboxes.fraud ?? [];
    expect(bribe?.attributes).toMatchObject({
      focalPoints: '["fraud"]',
      audience: '["focal_points"]',
      category: 'C06',
      governorate: 'IQG15',
      sensitivity: 'S2',
      eventType: 'routed',
    });
    expect(bribe?.attributes.urgency).toBe(bribe?.attributes.priority);
  });

  it('publishes every timeline event once, the "received" entry included, and marks it published', async () => {
    const markers = makePublishMarkers({ db: platform.db, tableName: platform.tableName });
    const timeline = await platform.cases.timeline(ids.bribe as string);
    expect(timeline.map((e) => e.type).sort()).toEqual(['classified', 'received', 'routed']);
    for (const e of timeline) expect(await markers.isPublished(e.eventId)).toBe(true);
  });

  it('links each case to its focal points', async () => {
    const fraudQueue = await platform.cases.listCaseIdsByFocalPoint('fraud');
    expect(fraudQueue.items).toEqual([ids.bribe]);
    const mosulQueue = await platform.cases.listCaseIdsByFocalPoint('mosul-officer');
    expect(mosulQueue.items.sort()).toEqual([ids.mosulC03, ids.mosulC04].sort());
  });

  it('changes nothing and publishes nothing when the stream replays every record', async () => {
    const before = await platform.cases.mustGet(ids.bribe as string);
    const timelineBefore = await platform.cases.timeline(ids.bribe as string);
    const delivered = firstRun.delivered;
    for (let i = 0; i < delivered.length; i += 25) {
      const res = await env.router({ Records: delivered.slice(i, i + 25) });
      expect(res.batchItemFailures).toEqual([]);
    }
    expect(await env.reader.read()).toEqual([]);
    expect(await platform.cases.mustGet(ids.bribe as string)).toEqual(before);
    expect(await platform.cases.timeline(ids.bribe as string)).toEqual(timelineBefore);
    const after = await inboxes(messaging, ALL);
    expect(Object.values(after).flat()).toEqual([]);
  });

  it("re-routes on an officer's reclassification and moves the case's links", async () => {
    const id = ids.basraC03 as string;
    await platform.cases.mutate(id, undefined, (current) => ({
      next: {
        ...current,
        category: 'C06',
        sensitivity: 'S2',
        classification: { ...current.classification, source: 'officer', changedByOfficer: true },
      },
      events: [
        {
          type: 'reclassified',
          actor: { kind: 'staff', id: 'u1', role: 'officer' },
          data: { category: 'C06' },
        },
      ],
    }));
    const run = await env.run();
    expect(run.failures).toEqual([]);
    const c = await platform.cases.mustGet(id);
    expect(c.routing?.focalPoints).toEqual(['fraud']);
    expect(c.classification.source).toBe('officer');
    const delivered = await inboxes(messaging, ALL);
    expect(references(delivered.fraud)).toEqual([refs.basraC03]);
    expect(delivered.fraud?.[0]?.message.eventType).toBe('routed');
    expect(delivered.general).toEqual([]);
    expect((await platform.cases.listCaseIdsByFocalPoint('general')).items).not.toContain(id);
    expect((await platform.cases.listCaseIdsByFocalPoint('fraud')).items).toContain(id);
  });

  it('reports a poisoned record by its sequence number and still handles the rest of the batch', async () => {
    const { case: c } = await platform.cases.create(
      intake('The water tank in our street has been broken for a week', BASRA, chose('C03')),
    );
    const records = await env.reader.read();
    expect(records.length).toBeGreaterThan(0);
    const poisoned: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: {
        Keys: marshallItem({ pk: 'CASE#broken', sk: 'CASE' }) as never,
        NewImage: marshallItem({ pk: 'CASE#broken', sk: 'CASE', entity: 'case', caseId: 'broken' }) as never,
        SequenceNumber: '999999999999999999999',
      },
    };
    const res = await env.router({ Records: [poisoned, ...records] });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '999999999999999999999' }]);
    await env.run();
    expect((await platform.cases.mustGet(c.caseId)).routing?.focalPoints).toEqual(['general']);
    expect(references((await inboxes(messaging, ['general'])).general)).toEqual([c.reference]);
  });
});

describe('router when a publish fails at once', () => {
  let messaging: LocalMessaging;
  afterAll(async () => {
    await messaging?.stop();
  });

  // A new case is routed and its "received" entry published side by side. When the publish fails before the
  // routing has been written, the record must not be answered (and the Lambda frozen) with the routing write still
  // in flight: the router answers only once both have finished, routing stored, the record reported failed.
  it('answers a failed record only after its routing is stored', async () => {
    messaging = await testMessaging();
    const env = await setUp(messaging);
    const real = routerServiceFor(env.platform, () => Promise.reject(new Error('the topic is unreachable')));
    let routed = 0;
    const router = makeStreamRouter({
      ...real,
      routeCase: async (...args: Parameters<typeof real.routeCase>) => {
        const outcome = await real.routeCase(...args);
        routed++;
        return outcome;
      },
    });
    const { case: c } = await env.platform.cases.create(
      intake('The water tank is broken again', BASRA, chose('C03')),
    );
    const records = (await env.reader.read()).filter(
      (r) => r.dynamodb?.Keys?.pk?.S === `CASE#${c.caseId}` && r.dynamodb?.Keys?.sk?.S === 'CASE',
    );
    expect(records).toHaveLength(1);

    const res = await router({ Records: records });
    expect(routed).toBe(1);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }]);
    expect((await env.platform.cases.mustGet(c.caseId)).routing?.focalPoints).toEqual(['general']);
  });
});

describe('router while the SNS/SQS emulator is down', () => {
  let messaging: LocalMessaging;
  afterAll(async () => {
    await messaging?.stop();
  });

  it('routes and stores while publishing fails, then notifies each case exactly once when it returns', async () => {
    messaging = await testMessaging();
    const env = await setUp(messaging);
    await messaging.stop();
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push(
        (await env.platform.cases.create(intake('The water tank is broken again', BASRA, chose('C03')))).case,
      );
    }
    const down = await env.run();
    expect(down.failures.length).toBeGreaterThan(0);
    for (const c of created) {
      expect((await env.platform.cases.mustGet(c.caseId)).routing?.focalPoints).toEqual(['general']);
    }

    await messaging.start();
    await syncFocalPointSubscriptions(env.platform);
    // The event source retries from the first failed record: everything after it comes again.
    const failed = new Set(down.failures);
    const first = down.delivered.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
    const retry = down.delivered.slice(first);
    for (let i = 0; i < retry.length; i += 25) {
      expect((await env.router({ Records: retry.slice(i, i + 25) })).batchItemFailures).toEqual([]);
    }
    const delivered = await inboxes(messaging, ALL);
    expect(references(delivered.general)).toEqual(created.map((c) => c.reference).sort());
    expect(Object.values(delivered).flat()).toHaveLength(3);
  }, 120_000);
});

describe('restricted routing without a designated focal point', () => {
  let messaging: LocalMessaging;
  afterAll(async () => {
    await messaging?.stop();
  });

  it('routes an S3 case to nobody, records the problem, and never falls back to a general queue', async () => {
    messaging = await testMessaging();
    const env = await setUp(
      messaging,
      FOCAL_POINTS.filter((f) => f.kind !== 'psea'),
      RULES.filter((r) => r.ruleId !== 's3'),
    );
    const { case: c } = await env.platform.cases.create(
      intake('کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی', MOSUL, { language: 'ckb' }),
    );
    const run = await env.run();
    expect(run.failures).toEqual([]);
    const stored = await env.platform.cases.mustGet(c.caseId);
    expect(stored.sensitivity).toBe('S3');
    expect(stored.routing).toMatchObject({ focalPoints: [], problem: 'ROUTING.NO_RESTRICTED_FOCAL_POINT' });
    const delivered = await inboxes(
      messaging,
      ALL.filter((id) => id !== 'psea'),
    );
    expect(Object.values(delivered).flat()).toEqual([]);
  });
});
