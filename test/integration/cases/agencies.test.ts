import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { makeRetention } from '#functions/retention/retain.ts';
import { makeSweeper } from '#functions/sweeper/sweep.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { testPlatform } from '../../support/services.ts';

const HOUR = 3_600_000;
let clock = new Date('2025-01-10T08:00:00.000Z');

/**
 * Agencies at the store: a deployment without agency records writes its cases exactly as before; with one, a case
 * texted to its number is its own, in its own index partitions, and the scheduled jobs still reach it there.
 */
describe('agencies against DynamoDB Local', () => {
  let platform: Platform;
  const create = (receivedOn?: string) =>
    platform.cases.create({
      channel: 'sms',
      idempotencyKey: `SM${randomBytes(12).toString('hex')}`,
      narrative: 'The water tank in the camp has been empty for three days.',
      language: 'en',
      phone: `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`,
      consentToFollowUp: true,
      ...(receivedOn ? { receivedOn } : {}),
      createdBy: { kind: 'complainant' },
    });
  const raw = async (caseId: string) => platform.db.get(platform.tableName, caseKeys.case(caseId), true);

  beforeAll(async () => {
    platform = await testPlatform({ now: () => clock });
  });

  it('without agency records, writes no agency and the keys it always wrote', async () => {
    const { case: c } = await create('+9647700000222');
    const item = await raw(c.caseId);
    expect(item).not.toHaveProperty('agency');
    expect(item).not.toHaveProperty('agencyBasis');
    expect(item).toMatchObject({ gsi1pk: 'STATUS#new', gsi3pk: 'MONTH#2025-01', gsi5pk: 'OPEN' });
  });

  it('with an agency record, a case texted to its number is its own, in its own partitions; the jobs reach it', async () => {
    await makeConfigStore({ db: platform.db, tableName: platform.tableName }).put('agency', {
      agencyId: 'agency-b',
      name: 'Agency B',
      numbers: ['+964 770 000 0222'],
    });
    clock = new Date('2025-01-10T08:00:00.000Z');
    const { case: ofB } = await create('+9647700000222');
    const { case: other } = await create('+9647000000000');
    expect(ofB).toMatchObject({ agency: 'agency-b', agencyBasis: 'number' });
    expect(other).toMatchObject({ agency: 'default', agencyBasis: 'default' });
    expect(await raw(ofB.caseId)).toMatchObject({
      gsi1pk: 'AG#agency-b#STATUS#new',
      gsi3pk: 'AG#agency-b#MONTH#2025-01',
      gsi5pk: 'AG#agency-b#OPEN',
    });
    expect(await raw(other.caseId)).toMatchObject({ gsi1pk: 'STATUS#new', gsi5pk: 'OPEN' });

    // Resolved and waiting on the person's answer for four days: the sweeper closes it, in B's partition too.
    const since = '2025-01-11T08:00:00.000Z';
    for (const c of [ofB, other]) {
      await platform.cases.mutate(c.caseId, undefined, (cur) => ({
        next: {
          ...cur,
          status: 'resolved',
          acknowledgedAt: since,
          firstActionAt: since,
          resolvedAt: since,
          waitingOn: 'complainant',
          waitingSince: since,
        },
        events: [],
      }));
    }
    clock = new Date(Date.parse(since) + 96 * HOUR);
    await makeSweeper(platform, { noAnswerAfterMs: 72 * HOUR }).run();
    expect((await platform.cases.mustGet(ofB.caseId)).status).toBe('closed');
    expect((await platform.cases.mustGet(other.caseId)).status).toBe('closed');

    // A year and more later, retention removes the personal data of both.
    clock = new Date('2026-03-01T00:00:00.000Z');
    await makeRetention(platform, { retentionDays: 365, openInactiveDays: 365 }).run();
    expect((await platform.cases.mustGet(ofB.caseId)).contact).toEqual({});
    expect((await platform.cases.mustGet(other.caseId)).contact).toEqual({});
  });
});
