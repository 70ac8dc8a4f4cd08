/**
 * The spike rule, the places a case counts at, the example words and the alert's message, with values worked out
 * by hand: today ≥ 5 and ≥ 3 × (mean of the 14 days before) + 1.
 */
import { describe, expect, it } from 'vitest';
import { spikeNotification, spikeRecipients } from '#shared/reports/spike-alerts.ts';
import type { SpikeAlert } from '#shared/reports/spike-store.ts';
import { exampleWords, iraqDay, readSpike, spikeContribution, spikePlaces } from '#shared/reports/spikes.ts';
import { classifyCase } from '#shared/routing/classify-case.ts';
import { focalPoint, makeCase, officerCase, rule } from '../routing/fixtures.ts';

const DAY = '2026-12-09';

describe('the spike rule', () => {
  it('a quiet place: 4 cases today are not a spike, 5 are (minimum 5, baseline 0)', () => {
    expect(readSpike({ [DAY]: 4 }, DAY)).toEqual({ count: 4, baseline: 0, threshold: 5, spike: false });
    expect(readSpike({ [DAY]: 5 }, DAY)).toEqual({ count: 5, baseline: 0, threshold: 5, spike: true });
  });

  it('a busy place: 2 a day for 14 days needs 7 today (3 × 2 + 1); 6 is ordinary', () => {
    const counts: Record<string, number> = {};
    for (let d = 25; d <= 30; d++) counts[`2026-11-${d}`] = 2;
    for (let d = 1; d <= 8; d++) counts[`2026-12-0${d}`] = 2;
    expect(readSpike({ ...counts, [DAY]: 6 }, DAY)).toMatchObject({
      baseline: 2,
      threshold: 7,
      spike: false,
    });
    expect(readSpike({ ...counts, [DAY]: 7 }, DAY)).toMatchObject({ baseline: 2, threshold: 7, spike: true });
  });

  it('days without a case count as 0 in the mean, and a day older than 14 days is not in it', () => {
    // 14 cases on one day of the last fourteen: mean 1, threshold 4 → the minimum 5 applies.
    expect(readSpike({ '2026-11-25': 14, [DAY]: 5 }, DAY)).toMatchObject({ baseline: 1, threshold: 5 });
    // 28 on the day before the window (24 Nov) count for nothing.
    expect(readSpike({ '2026-11-24': 28, [DAY]: 5 }, DAY)).toMatchObject({ baseline: 0, spike: true });
    // 3.5 a day: 3 × 3.5 + 1 = 11.5, so 12.
    expect(readSpike({ '2026-12-08': 49, [DAY]: 11 }, DAY)).toMatchObject({ threshold: 12, spike: false });
  });

  it('counts on the Iraqi day: 22:30 UTC on the 8th is already the 9th in Baghdad', () => {
    expect(iraqDay('2026-12-08T20:59:59.000Z')).toBe('2026-12-08');
    expect(iraqDay('2026-12-08T22:30:00.000Z')).toBe('2026-12-09');
  });
});

describe('where a case counts', () => {
  const zakho = { governorate: 'IQG09', district: 'IQG09Q04' };

  it('at its district and its governorate, on the day it was received', () => {
    const c = officerCase({ location: zakho, receivedAt: '2026-12-08T22:30:00.000Z' });
    expect(spikeContribution(c)).toEqual({
      'SPIKE#N#C03#IQG09Q04|2026-12-09': { n: 1 },
      'SPIKE#N#C03#IQG09|2026-12-09': { n: 1 },
    });
  });

  it('a district alone gives its governorate too', () => {
    expect(spikePlaces(officerCase({ location: { district: 'IQG09Q04' } }))).toEqual([
      { level: 'district', pcode: 'IQG09Q04' },
      { level: 'governorate', pcode: 'IQG09' },
    ]);
  });

  it('nowhere when restricted (S2, S3), not yet read by the router or without a place', () => {
    expect(spikeContribution(officerCase({ location: zakho, sensitivity: 'S2' }))).toEqual({});
    expect(spikeContribution(officerCase({ location: zakho, sensitivity: 'S3', category: 'C07' }))).toEqual(
      {},
    );
    expect(spikeContribution(makeCase({ location: zakho }))).toEqual({});
    // The operator chose C03 but the router has not read the text yet: it may still be restricted.
    const chosen = makeCase({
      location: zakho,
      category: 'C03',
      classification: { source: 'person', evidence: [], changedByOfficer: false },
    });
    expect(spikeContribution(chosen)).toEqual({});
    expect(Object.keys(spikeContribution(classifyCase(chosen)))).toHaveLength(2);
    expect(spikeContribution(officerCase({ location: {} }))).toEqual({});
  });
});

describe('the example words of an alert', () => {
  it('are the lexicon words the classifier found, never the message (no name, no number)', () => {
    const c = classifyCase(
      makeCase({ narrative: 'No water in the camp in Zakho, call Ahmed Hassan on 07701234567' }),
    );
    const words = exampleWords(c.classification.evidence);
    expect(words).toContain('water');
    const said = words.join(' ');
    expect(said).not.toMatch(/Ahmed|Hassan|0770|\d/);
  });

  it('leave out the codes the platform records beside the words', () => {
    expect(
      exampleWords([
        'basic_services:water',
        'rule:id-card-not-payment',
        'basis:model',
        'reason:caution',
        'hint:category=C03',
        'router:place-from-text',
        'text-overrides-hint:sensitivity=S2',
        'camp:in the camp',
        'number:7701234567',
      ]),
    ).toEqual(['water', 'in the camp']);
  });
});

describe('an alert', () => {
  const fps = [
    focalPoint('accountability-officer'),
    focalPoint('duhok-officer'),
    focalPoint('programme-manager', 'programme_manager', true),
    focalPoint('old-manager', 'programme_manager', true, false),
    focalPoint('psea-focal-point', 'psea', true),
  ];
  const rules = [
    rule({ ruleId: 'default', isDefault: true, focalPoints: ['accountability-officer'] }),
    rule({ ruleId: 'duhok', match: { governorates: ['IQG09'] }, focalPoints: ['duhok-officer'] }),
  ];

  it('goes to the focal points the rules give a case of that category there, and to active managers', () => {
    expect(spikeRecipients('C03', { level: 'district', pcode: 'IQG09Q04' }, rules, fps)).toEqual([
      'duhok-officer',
      'programme-manager',
    ]);
    expect(spikeRecipients('C03', { level: 'governorate', pcode: 'IQG03' }, rules, fps)).toEqual([
      'accountability-officer',
      'programme-manager',
    ]);
  });

  it('says the count, baseline and threshold, with attributes the focal points’ subscriptions match', () => {
    const alert: SpikeAlert = {
      day: DAY,
      category: 'C03',
      place: 'IQG09Q04',
      level: 'district',
      governorate: 'IQG09',
      count: 5,
      baseline: 0.14,
      threshold: 5,
      example: ['no', 'water'],
      focalPoints: ['duhok-officer', 'programme-manager'],
      raisedAt: '2026-12-09T08:00:00.000Z',
      status: 'pending',
      token: 'a-random-token',
      leaseUntil: Date.parse('2026-12-09T08:00:30.000Z'),
    };
    const n = spikeNotification(alert, 'https://cfm.example.org/console/');
    expect(JSON.parse(n.message)).toEqual({
      eventType: 'spike',
      eventId: 'spike:2026-12-09:C03:IQG09Q04',
      category: 'C03',
      governorate: 'IQG09',
      district: 'IQG09Q04',
      level: 'district',
      day: DAY,
      count: 5,
      baseline: 0.14,
      baselineDays: 14,
      threshold: 5,
      example: ['no', 'water'],
      link: 'https://cfm.example.org/console/#/dashboard',
    });
    expect(n.attributes.focalPoints).toEqual({
      DataType: 'String.Array',
      StringValue: '["duhok-officer","programme-manager"]',
    });
    expect(n.attributes.audience?.StringValue).toBe('["focal_points"]');
    expect(n.message).not.toContain('01JCASE');
  });
});
