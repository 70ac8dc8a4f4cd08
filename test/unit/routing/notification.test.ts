import { describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '#shared/cases/case-schema.ts';
import {
  audienceFor,
  buildNotification,
  consoleLink,
  focalPointFilterPolicy,
} from '#shared/routing/notification.ts';
import { focalPoint, officerCase } from './fixtures.ts';

const FOCAL_POINTS = [
  focalPoint('general'),
  focalPoint('fraud', 'fraud', true),
  focalPoint('psea', 'psea', true),
];
const CONSOLE = 'https://d111.cloudfront.net/console/';
const PHONE = '+9647701234567';
const NAME = 'Layla Hassan';
const NARRATIVE = `My name is ${NAME}, call me on ${PHONE}: the staff asked me for money to register`;

const event = (type: CaseEvent['type'], extra: Partial<CaseEvent> = {}): CaseEvent => ({
  caseId: '01JCASE0000000000000000001',
  eventId: '01JEVENT000000000000000001',
  at: '2026-12-09T07:00:05.000Z',
  type,
  actor: { kind: 'system', id: 'router' },
  ...extra,
});
const routed = (focalPoints: string[]) => event('routed', { data: { focalPoints, ruleId: 'x' } });

const restricted = (sensitivity: 'S2' | 'S3'): Case =>
  officerCase({
    narrative: NARRATIVE,
    category: sensitivity === 'S3' ? 'C07' : 'C06',
    sensitivity,
    location: { governorate: 'IQG15', district: 'IQG15Q05' },
    routing: {
      focalPoints: [sensitivity === 'S3' ? 'psea' : 'fraud'],
      ruleId: 'x',
      routedAt: '2026-12-09T07:00:05.000Z',
    },
  });

describe('message content', () => {
  it('never carries the phone number, the name or the narrative, at any sensitivity', () => {
    for (const sensitivity of ['S0', 'S1', 'S2', 'S3'] as const) {
      const c = officerCase({ narrative: NARRATIVE, sensitivity, location: { governorate: 'IQG15' } });
      for (const e of [
        routed(['general']),
        event('transition', { toStatus: 'resolved', fromStatus: 'in_progress' }),
      ]) {
        const n = buildNotification(e, c, { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS });
        const text = n.message + JSON.stringify(n.attributes);
        expect(text).not.toContain('7701234567');
        expect(text).not.toContain('Layla');
        expect(text).not.toContain('asked me for money');
        expect(text).not.toContain('cipher');
        expect(text).not.toContain('hash');
      }
    }
  });

  it('gives an S2 or S3 case only the reference, case id, category, status, event type, event id and link', () => {
    for (const sensitivity of ['S2', 'S3'] as const) {
      const c = restricted(sensitivity);
      const n = buildNotification(routed(c.routing?.focalPoints ?? []), c, {
        consoleUrl: CONSOLE,
        focalPoints: FOCAL_POINTS,
      });
      expect(JSON.parse(n.message)).toEqual({
        eventId: '01JEVENT000000000000000001',
        eventType: 'routed',
        caseId: c.caseId,
        reference: 'K7MQ-4XZ9',
        category: c.category,
        status: 'new',
        link: `https://d111.cloudfront.net/console/#/case/${c.caseId}`,
      });
    }
  });

  it('treats a case nobody has classified yet like a restricted one', () => {
    const c = officerCase({ classification: { source: 'pending', evidence: [], changedByOfficer: false } });
    const n = buildNotification(event('received'), c, { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS });
    expect(Object.keys(JSON.parse(n.message)).sort()).toEqual(
      ['caseId', 'category', 'eventId', 'eventType', 'link', 'reference', 'status'].sort(),
    );
  });

  it('gives a non-sensitive case its metadata for triage', () => {
    const c = officerCase({
      location: { governorate: 'IQG15', district: 'IQG15Q05' },
      programme: 'durable-solutions',
    });
    const n = buildNotification(routed(['general']), c, { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS });
    expect(JSON.parse(n.message)).toMatchObject({
      reference: 'K7MQ-4XZ9',
      type: 'complaint',
      category: 'C03',
      governorate: 'IQG15',
      district: 'IQG15Q05',
      programme: 'durable-solutions',
      urgency: 'action',
    });
  });

  it("builds the console link on the console's base URL, to its case route", () => {
    expect(consoleLink('https://d111.cloudfront.net/console/', 'K7MQ-4XZ9')).toBe(
      'https://d111.cloudfront.net/console/#/case/K7MQ-4XZ9',
    );
    expect(consoleLink('https://cfm.example.org/console', 'K7MQ-4XZ9')).toBe(
      'https://cfm.example.org/console/#/case/K7MQ-4XZ9',
    );
  });
});

describe('message attributes', () => {
  it('carries the routing the subscriptions filter on', () => {
    const c = restricted('S2');
    const n = buildNotification(routed(['fraud']), c, { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS });
    expect(n.attributes).toEqual({
      focalPoints: { DataType: 'String.Array', StringValue: '["fraud"]' },
      audience: { DataType: 'String.Array', StringValue: '["focal_points"]' },
      eventType: { DataType: 'String', StringValue: 'routed' },
      category: { DataType: 'String', StringValue: 'C06' },
      governorate: { DataType: 'String', StringValue: 'IQG15' },
      sensitivity: { DataType: 'String', StringValue: 'S2' },
      urgency: { DataType: 'String', StringValue: 'action' },
      priority: { DataType: 'String', StringValue: 'action' },
    });
  });

  it('never names a general focal point on a restricted case, whoever the event names', () => {
    const c = restricted('S3');
    const e = event('escalated', { data: { focalPoints: ['general', 'psea'] } });
    const n = buildNotification(e, c, { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS });
    expect(n.focalPoints).toEqual(['psea']);
  });

  it("addresses escalations to the people they name, other events to the case's focal points", () => {
    const c = officerCase({
      routing: { focalPoints: ['general'], ruleId: 'default', routedAt: '2026-12-09T07:00:05.000Z' },
    });
    const opts = { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS };
    expect(
      buildNotification(event('escalated', { data: { focalPointId: 'supervisor' } }), c, opts).focalPoints,
    ).toEqual(['supervisor']);
    expect(buildNotification(event('message_in'), c, opts).focalPoints).toEqual(['general']);
  });

  it('uses "none" for a missing category or governorate (SNS takes no empty strings)', () => {
    const c = officerCase({ category: null, location: {} });
    const n = buildNotification(event('received'), c, { consoleUrl: CONSOLE, focalPoints: FOCAL_POINTS });
    expect(n.attributes.category?.StringValue).toBe('none');
    expect(n.attributes.governorate?.StringValue).toBe('none');
  });
});

describe('audience', () => {
  const open = officerCase();
  it('asks focal points to act on routing, escalations and replies, and not on bookkeeping', () => {
    expect(audienceFor(routed(['general']), open)).toEqual(['focal_points']);
    expect(audienceFor(event('escalated'), open)).toEqual(['focal_points']);
    expect(audienceFor(event('message_in'), open)).toEqual(['focal_points']);
    for (const type of [
      'received',
      'classified',
      'note',
      'assigned',
      'delivery_status',
      'reclassified',
    ] as const) {
      expect(audienceFor(event(type), open)).toEqual([]);
    }
  });

  it('tells the complainant about resolution, closure, reopening and the satisfaction question', () => {
    expect(
      audienceFor(event('transition', { toStatus: 'resolved' }), officerCase({ status: 'resolved' })),
    ).toEqual(['complainant']);
    expect(
      audienceFor(event('transition', { toStatus: 'closed' }), officerCase({ status: 'closed' })),
    ).toEqual(['complainant']);
    expect(
      audienceFor(event('transition', { toStatus: 'reopened' }), officerCase({ status: 'reopened' })),
    ).toEqual(['focal_points', 'complainant']);
    expect(audienceFor(event('satisfaction', { data: { kind: 'asked' } }), open)).toEqual(['complainant']);
    expect(audienceFor(event('transition', { toStatus: 'acknowledged' }), open)).toEqual([]);
  });

  it('asks focal points to read a message that joins a resolved case, but not the satisfaction answer', () => {
    const resolved = officerCase({ status: 'resolved' });
    expect(audienceFor(event('message_in', { data: { joined: 'waiting' } }), resolved)).toEqual([
      'focal_points',
    ]);
    expect(audienceFor(event('message_in', { data: { joined: 'restricted' } }), resolved)).toEqual([
      'focal_points',
    ]);
    expect(audienceFor(event('message_in', { data: { joined: 'satisfaction' } }), resolved)).toEqual([]);
    expect(audienceFor(event('message_in'), officerCase({ status: 'closed' }))).toEqual([]);
  });

  it('does not ask focal points to act on a case routed after it was already resolved', () => {
    expect(audienceFor(routed(['general']), officerCase({ status: 'resolved' }))).toEqual([]);
  });

  it("filters a focal point's subscription on its id and the focal-point audience", () => {
    expect(focalPointFilterPolicy('psea')).toEqual({ focalPoints: ['psea'], audience: ['focal_points'] });
  });
});
