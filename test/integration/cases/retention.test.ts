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
    const job = makeRetention(platform, { retentionDays: 365 });
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
    expect(second).toEqual({ examined: 0, redacted: 0 });
    clock = new Date('2026-12-25T00:00:00.000Z');
    expect((await job.run()).redacted).toBe(1);
    expect((await platform.cases.mustGet(recent.caseId)).contact).toEqual({});
  });
});
