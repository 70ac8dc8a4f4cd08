/**
 * Spike alerts from the projector, on DynamoDB Local and the SNS/SQS emulator with the focal points' real
 * subscriptions: the counters stay exact and the alert goes out once when the same stream records are delivered to
 * three projectors at the same time (as concurrent Lambda invocations and redeliveries would), a busy place's
 * baseline raises its threshold, and restricted cases count for nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { makeProjector } from '#functions/projector/projector.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { NewCaseInput } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { SpikeAlertInFlightError } from '#shared/reports/spike-alerts.ts';
import { makeSpikeStore } from '#shared/reports/spike-store.ts';
import type { Item } from '#shared/store/dynamodb.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { readInbox } from './support.ts';

const ZAKHO = { governorate: 'IQG09', district: 'IQG09Q04' };
const AMEDI = { governorate: 'IQG09', district: 'IQG09Q01' };
const NOW = new Date('2026-12-09T09:00:00.000Z'); // 12:00 in Baghdad, Wednesday 9 December
const TODAY = '2026-12-09';
const DAY = 86_400_000;

const FOCAL_POINTS = [
  { focalPointId: 'general', name: 'general', kind: 'general' },
  { focalPointId: 'duhok-officer', name: 'Duhok officer', kind: 'general' },
  { focalPointId: 'programme-manager', name: 'PM', kind: 'programme_manager', restricted: true },
  { focalPointId: 'psea', name: 'PSEA', kind: 'psea', restricted: true },
].map((f) => ({ ...f, channel: { type: 'local', address: f.focalPointId } }));
const RULES = [
  { ruleId: 'default', isDefault: true, focalPoints: ['general'] },
  { ruleId: 'duhok', match: { governorates: ['IQG09'] }, focalPoints: ['duhok-officer'] },
  { ruleId: 's3', priority: 100, match: { sensitivities: ['S3'] }, focalPoints: ['psea'] },
];

let n = 0;
/** A water complaint an officer has classified, received `daysAgo` days before now. */
const complaint = (location: Record<string, string>, daysAgo = 0, extra: Partial<NewCaseInput> = {}) =>
  ({
    channel: 'hotline',
    idempotencyKey: `spike-it-${Date.now()}-${n++}`,
    narrative: 'No water in the camp for three days, call Layla on 07701234567',
    language: 'en',
    type: 'complaint',
    category: 'C03',
    classification: {
      source: 'officer',
      evidence: ['negation:no', 'basic_services:water', 'camp:in the camp'],
      changedByOfficer: false,
    },
    location,
    receivedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    consentToFollowUp: true,
    createdBy: { kind: 'staff' },
    ...extra,
  }) satisfies NewCaseInput;

describe('spike alerts from the projector', () => {
  let messaging: LocalMessaging;
  let platform: Platform;

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging, now: () => NOW });
    const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
    for (const f of FOCAL_POINTS) await subscribeFocalPoint(platform, await config.put('focal-point', f));
    for (const r of RULES) await config.put('routing-rule', r);
  });
  afterAll(async () => {
    await messaging.stop();
  });

  /** Opens the cases and returns their stored items, as the stream hands them to the projector. */
  async function open(inputs: NewCaseInput[]): Promise<Item[]> {
    const items: Item[] = [];
    for (const input of inputs) {
      const { case: c } = await platform.cases.create(input);
      items.push((await platform.db.get(platform.tableName, caseKeys.case(c.caseId), true)) as Item);
    }
    return items;
  }
  const spikesIn = async (focalPointId: string) =>
    (await readInbox(messaging, focalPointId)).filter((m) => m.message.eventType === 'spike');

  it('six complaints from Zakho, each delivered to three projectors at once, count six and alert once', async () => {
    const items = await open([
      ...Array.from({ length: 6 }, () => complaint(ZAKHO)),
      // A restricted case in the same place, the same day: counts toward nothing.
      complaint(ZAKHO, 0, { category: 'C07', sensitivity: 'S3' }),
    ]);
    const projectors = [makeProjector(platform), makeProjector(platform), makeProjector(platform)];
    const deliveries = projectors.flatMap((p) => items.map((it) => () => p.handle(it, 'INSERT')));
    // A record that meets another projector's claim not yet published fails, and the stream delivers it again.
    let failing = deliveries;
    for (let round = 0; failing.length && round < 5; round++) {
      const results = await Promise.allSettled(failing.map((deliver) => deliver()));
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SpikeAlertInFlightError);
      }
      failing = failing.filter((_, i) => results[i]?.status === 'rejected');
    }
    expect(failing).toEqual([]);

    const store = makeSpikeStore({ db: platform.db, tableName: platform.tableName });
    expect(await store.counts('C03', ZAKHO.district, TODAY)).toEqual({ [TODAY]: 6 });
    expect(await store.counts('C03', ZAKHO.governorate, TODAY)).toEqual({ [TODAY]: 6 });
    expect(await store.counts('C07', ZAKHO.district, TODAY)).toEqual({});

    const [officer, manager, general] = await Promise.all([
      spikesIn('duhok-officer'),
      spikesIn('programme-manager'),
      spikesIn('general'),
    ]);
    expect(officer).toHaveLength(1);
    expect(manager).toHaveLength(1);
    expect(general).toEqual([]);
    expect(officer[0]?.message).toMatchObject({
      category: 'C03',
      district: ZAKHO.district,
      level: 'district',
      baseline: 0,
      threshold: 5,
      example: ['no', 'water', 'in the camp'],
    });
    expect([5, 6]).toContain(officer[0]?.message.count);
    expect(officer[0]?.body).not.toMatch(/Layla|0770|7701234567/);
    // An SMS focal point reads one line: the count, the category, the place, the baseline and the dashboard.
    const texts = JSON.parse(JSON.parse(officer[0]?.body as string).Message) as {
      sms: string;
      email: string;
    };
    expect(texts.sms).toBe(
      `CFM alert: ${officer[0]?.message.count} complaints about quality, quantity or timeliness in Zakho on ${TODAY} (usually 0 a day). ${officer[0]?.message.link}`,
    );
    expect(texts.email).toContain('Words from the complaint that crossed it: no, water, in the camp');
    // The governorate's count crossed too, but its district already alerted: one spike, not two.
    const alerts = await store.ofDay(TODAY);
    expect(alerts.map((a) => `${a.category}#${a.place}#${a.status}`)).toEqual(['C03#IQG09Q04#published']);

    // A replay of every record later changes nothing and sends nothing.
    await Promise.all(items.map((it) => projectors[0]?.handle(it, 'MODIFY')));
    expect(await store.counts('C03', ZAKHO.district, TODAY)).toEqual({ [TODAY]: 6 });
    expect(await spikesIn('duhok-officer')).toEqual([]);
  });

  it('a busy place (two a day for a fortnight) alerts at its seventh case of the day, not its fifth', async () => {
    const projector = makeProjector(platform);
    const history = await open(Array.from({ length: 28 }, (_, i) => complaint(AMEDI, 1 + Math.floor(i / 2))));
    for (const it of history) await projector.handle(it, 'INSERT');
    const store = makeSpikeStore({ db: platform.db, tableName: platform.tableName });
    expect(Object.values(await store.counts('C03', AMEDI.district, TODAY))).toEqual(Array(14).fill(2));

    for (const it of await open(Array.from({ length: 6 }, () => complaint(AMEDI)))) {
      await projector.handle(it, 'INSERT');
    }
    expect(await spikesIn('duhok-officer')).toEqual([]);
    const [seventh] = await open([complaint(AMEDI)]);
    await projector.handle(seventh as Item, 'INSERT');
    const [alert, ...more] = await spikesIn('duhok-officer');
    expect(more).toEqual([]);
    expect(alert?.message).toMatchObject({ district: AMEDI.district, count: 7, baseline: 2, threshold: 7 });
  });
});
