/**
 * The one engine for state changes: the lifecycle's transitions (functions/cases/lifecycle.ts, with the rules of
 * shared/cases/transitions.ts) written through the case store's optimistic concurrency (`cases.mutate`), as the
 * case API, the sweeper, the projector and the notifier make them. Against DynamoDB Local.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import type { Platform } from '#functions/lib/platform.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import type { TransitionAction } from '#shared/cases/transitions.ts';
import { DomainError } from '#shared/errors/domain-error.ts';
import { testPlatform } from '../../support/services.ts';

const staff = { kind: 'staff', id: 'u-officer', role: 'officer' } as const;
const NOW = new Date('2026-05-10T09:00:00.000Z');
const LATER = new Date('2026-05-12T10:30:00.000Z');

describe('case transitions through the store against DynamoDB Local', () => {
  let platform: Platform;
  let clock = NOW;

  beforeAll(async () => {
    platform = await testPlatform({ now: () => clock });
  });

  const open = async (): Promise<Case> =>
    (
      await platform.cases.create({
        channel: 'hotline',
        idempotencyKey: `transition-${randomBytes(6).toString('hex')}`,
        narrative: 'The water tank in the camp has been empty for three days.',
        language: 'en',
        consentToFollowUp: false,
        createdBy: staff,
      })
    ).case;

  const transition = (caseId: string, action: TransitionAction, expectedVersion?: number) =>
    platform.cases.mutate(caseId, expectedVersion, (current, at) =>
      transitionChange(current, action, at, { actor: staff, reason: `${action} by the officer` }),
    );

  it('two concurrent transitions from the same version: one wins, the other is a 409 with a stable code', async () => {
    const c = await open();
    const attempts = await Promise.allSettled([
      transition(c.caseId, 'acknowledge', c.version),
      transition(c.caseId, 'acknowledge', c.version),
    ]);
    const ok = attempts.filter((a) => a.status === 'fulfilled');
    const failed = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const err = failed[0]?.reason as DomainError;
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(409);
    expect(err.code).toBe('CASE.VERSION_CONFLICT');
    const timeline = await platform.cases.timeline(c.caseId);
    expect(timeline.filter((e) => e.type === 'transition')).toHaveLength(1);
    expect((await platform.cases.mustGet(c.caseId)).version).toBe(2);
  });

  it('a forbidden transition is a 409 CASE.INVALID_TRANSITION and changes nothing', async () => {
    const c = await open();
    await expect(transition(c.caseId, 'close')).rejects.toMatchObject({
      status: 409,
      code: 'CASE.INVALID_TRANSITION',
    });
    const after = await platform.cases.mustGet(c.caseId);
    expect(after.status).toBe('new');
    expect(after.version).toBe(1);
    expect((await platform.cases.timeline(c.caseId)).map((e) => e.type)).toEqual(['received']);
  });

  it('a transition of an unknown case is a 404 CASE.NOT_FOUND', async () => {
    await expect(transition('K7MQ4XZ9', 'acknowledge')).rejects.toMatchObject({
      status: 404,
      code: 'CASE.NOT_FOUND',
    });
  });

  it('resolving a new case stamps the steps it skipped, and reopening clears the outcome', async () => {
    const c = await open();
    const resolved = await platform.cases.mutate(c.caseId, c.version, (current, at) =>
      transitionChange(current, 'resolve', at, {
        actor: staff,
        data: { outcome: 'Water truck sent' },
        patch: { outcome: 'Water truck sent' },
      }),
    );
    expect(resolved.case).toMatchObject({
      status: 'resolved',
      version: 2,
      outcome: 'Water truck sent',
      acknowledgedAt: NOW.toISOString(),
      firstActionAt: NOW.toISOString(),
      resolvedAt: NOW.toISOString(),
    });
    clock = LATER;
    const reopened = await transition(c.caseId, 'reopen', 2);
    clock = NOW;
    expect(reopened.case.status).toBe('reopened');
    expect(reopened.case.outcome).toBeUndefined();
    expect(reopened.case.resolvedAt).toBeUndefined();
    expect(reopened.case.reopenedAt).toBe(LATER.toISOString());
    const transitions = (await platform.cases.timeline(c.caseId)).filter((e) => e.type === 'transition');
    expect(transitions.map((e) => [e.fromStatus, e.toStatus, e.data?.action])).toEqual([
      ['new', 'resolved', 'resolve'],
      ['resolved', 'reopened', 'reopen'],
    ]);
  });
});
