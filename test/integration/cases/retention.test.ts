import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { makeRetention } from '#functions/retention/retain.ts';
import { testPlatform } from '../../support/services.ts';

let clock = new Date('2025-01-10T08:00:00.000Z');

describe('retention against DynamoDB Local', () => {
  let platform: Platform;

  const closedCase = async (closedAt: string, phone: string) => {
    clock = new Date('2025-01-10T08:00:00.000Z');
    const { case: c } = await platform.cases.create({
      channel: 'web',
      idempotencyKey: `web-${randomBytes(8).toString('hex')}`,
      narrative: 'My neighbour Ahmed was left off the list.',
      language: 'en',
      phone,
      name: 'Layla',
      consentToFollowUp: true,
      createdBy: { kind: 'complainant' },
    });
    await platform.cases.appendEvent(c.caseId, {
      type: 'note',
      actor: { kind: 'staff', id: 'u1' },
      reason: 'Called Layla back',
    });
    await platform.cases.mutate(c.caseId, undefined, (cur) => ({
      next: {
        ...cur,
        status: 'closed',
        acknowledgedAt: closedAt,
        firstActionAt: closedAt,
        resolvedAt: closedAt,
        closedAt,
      },
      events: [],
    }));
    return c;
  };

  beforeAll(async () => {
    platform = await testPlatform({ now: () => clock });
  });

  it('removes personal data from cases closed longer than the retention period, once, keeping the clock', async () => {
    const old = await closedCase('2025-01-15T10:00:00.000Z', '+9647701000001');
    const recent = await closedCase('2025-12-20T10:00:00.000Z', '+9647701000002');
    clock = new Date('2026-03-01T00:00:00.000Z');
    const job = makeRetention(platform, { retentionDays: 365, openInactiveDays: 365 });
    const first = await job.run();
    expect(first.redacted).toBe(1);

    const redacted = await platform.cases.mustGet(old.caseId);
    expect(redacted.contact).toEqual({});
    expect(redacted.narrative).toBe('');
    expect(redacted.redactedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(redacted.closedAt).toBe('2025-01-15T10:00:00.000Z');
    expect(redacted.receivedAt).toBe('2025-01-10T08:00:00.000Z');
    const timeline = await platform.cases.timeline(old.caseId);
    expect(timeline.some((e) => e.type === 'redacted')).toBe(true);
    expect(JSON.stringify(timeline)).not.toContain('Layla');
    const byPhone = await platform.cases.listByPhoneHash(platform.protector.hashPhone('+9647701000001'));
    expect(byPhone.items).toEqual([]);
    expect((await platform.cases.mustGet(recent.caseId)).contact.phoneCipher).toBeDefined();

    const second = await job.run();
    expect(second).toEqual({ examined: 0, redacted: 0, openExamined: 0, openRedacted: 0 });
    clock = new Date('2026-12-25T00:00:00.000Z');
    expect((await job.run()).redacted).toBe(1);
    expect((await platform.cases.mustGet(recent.caseId)).contact).toEqual({});
  });

  const openCase = async (
    at: string,
    phone: string,
    options: { sensitivity?: 'S0' | 'S3'; status?: 'acknowledged' | 'resolved' } = {},
  ) => {
    clock = new Date(at);
    const { case: c } = await platform.cases.create({
      channel: 'sms',
      idempotencyKey: `SM${randomBytes(16).toString('hex')}`,
      narrative: 'Rania was refused the cash transfer at the distribution point.',
      language: 'ar',
      phone,
      name: 'Rania',
      sensitivity: options.sensitivity ?? 'S0',
      consentToFollowUp: true,
      createdBy: { kind: 'complainant' },
    });
    await platform.cases.mutate(c.caseId, undefined, (cur, now) => ({
      next: {
        ...cur,
        status: options.status ?? 'acknowledged',
        acknowledgedAt: now,
        ...(options.status === 'resolved' ? { firstActionAt: now, resolvedAt: now } : {}),
      },
      events: [{ type: 'note', actor: { kind: 'staff', id: 'u1' }, reason: 'Rania asked for a call' }],
    }));
    return c;
  };

  it('removes personal data from cases left open with no change past the open-case period, keeping status and clock', async () => {
    const inactive = await openCase('2025-02-01T09:00:00.000Z', '+9647702000001');
    const restricted = await openCase('2025-02-01T09:30:00.000Z', '+9647702000002', { sensitivity: 'S3' });
    const resolved = await openCase('2025-02-02T09:00:00.000Z', '+9647702000003', { status: 'resolved' });
    const followedUp = await openCase('2025-02-01T10:00:00.000Z', '+9647702000004');
    clock = new Date('2025-09-01T12:00:00.000Z');
    await platform.cases.mutate(followedUp.caseId, undefined, (cur) => ({
      next: cur,
      events: [
        {
          type: 'message_in',
          actor: { kind: 'complainant' },
          data: { text: 'Rania again: still no answer' },
        },
      ],
    }));
    const job = makeRetention(platform, { retentionDays: 365, openInactiveDays: 300 });

    // 299 days after the last change of the first three: nothing goes yet.
    clock = new Date('2025-11-27T09:00:00.000Z');
    expect(await job.run()).toEqual({ examined: 0, redacted: 0, openExamined: 0, openRedacted: 0 });
    expect((await platform.cases.mustGet(inactive.caseId)).contact.phoneCipher).toBeDefined();

    clock = new Date('2025-12-05T00:00:00.000Z');
    expect(await job.run()).toEqual({ examined: 0, redacted: 0, openExamined: 3, openRedacted: 3 });

    for (const [c, status] of [
      [inactive, 'acknowledged'],
      [restricted, 'acknowledged'],
      [resolved, 'resolved'],
    ] as const) {
      const after = await platform.cases.mustGet(c.caseId);
      expect(after.status).toBe(status);
      expect(after.contact).toEqual({});
      expect(after.narrative).toBe('');
      expect(after.redactedAt).toBe('2025-12-05T00:00:00.000Z');
      expect(after.receivedAt).toBe(c.receivedAt);
      const timeline = await platform.cases.timeline(c.caseId);
      const redacted = timeline.find((e) => e.type === 'redacted');
      expect(redacted?.reason).toBe(
        'Personal data removed: the case was left open with no change for 300 days.',
      );
      expect(JSON.stringify(timeline)).not.toContain('Rania');
    }
    const byPhone = await platform.cases.listByPhoneHash(platform.protector.hashPhone('+9647702000001'));
    expect(byPhone.items).toEqual([]);
    // Still in its queue for a focal point to close, now without anything that names the person.
    const queue = await platform.cases.listByStatusDue('acknowledged');
    expect(queue.items.map((c) => c.caseId)).toContain(inactive.caseId);

    const kept = await platform.cases.mustGet(followedUp.caseId);
    expect(kept.contact.phoneCipher).toBeDefined();
    expect(kept.narrative).toContain('Rania');
    expect(kept.redactedAt).toBeUndefined();

    expect(await job.run()).toEqual({ examined: 0, redacted: 0, openExamined: 0, openRedacted: 0 });
    clock = new Date('2026-06-28T13:00:00.000Z');
    expect((await job.run()).openRedacted).toBe(1);
    expect((await platform.cases.mustGet(followedUp.caseId)).contact).toEqual({});
  });
});
