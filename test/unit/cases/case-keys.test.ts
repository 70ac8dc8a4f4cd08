import { describe, expect, it } from 'vitest';
import { caseIndexAttributes } from '#shared/cases/case-keys.ts';
import { type Case, CaseSchema } from '#shared/cases/case-schema.ts';

const base = CaseSchema.parse({
  caseId: 'K7MQ-4XZ9',
  reference: 'K7MQ-4XZ9',
  version: 1,
  status: 'new',
  channel: 'sms',
  language: 'ar',
  type: null,
  category: null,
  sector: null,
  sensitivity: 'S0',
  urgency: 'none',
  classification: { source: 'pending' },
  narrative: 'x',
  consentToFollowUp: false,
  contact: { phoneHash: 'h1' },
  idempotencyKey: 'SM1',
  receivedAt: '2026-03-01T06:00:00.000Z',
  createdBy: { kind: 'complainant' },
  updatedAt: '2026-03-01T06:00:00.000Z',
  sla: {
    policyId: 'complaint',
    clock: 'working',
    acknowledgeBy: '2026-03-03T06:00:00.000Z',
    resolveBy: '2026-03-10T06:00:00.000Z',
  },
});
const attrs = (patch: Partial<Case>) => caseIndexAttributes({ ...base, ...patch });

describe('case index attributes', () => {
  it('files open cases by status and due time, restricted ones in partitions of their own', () => {
    expect(attrs({})).toMatchObject({
      gsi1pk: 'STATUS#new',
      gsi1sk: '2026-03-03T06:00:00.000Z#K7MQ-4XZ9',
      gsi2pk: 'PHONE#h1',
      gsi3pk: 'MONTH#2026-03',
    });
    expect(attrs({ sensitivity: 'S3' })).toMatchObject({
      gsi1pk: 'STATUS#new#R',
      gsi3pk: 'MONTH#2026-03#R',
      gsi2pk: 'PHONE#h1',
    });
    expect(attrs({ sensitivity: 'S2', status: 'in_progress' })).toMatchObject({
      gsi1pk: 'STATUS#in_progress#R',
      gsi1sk: '2026-03-10T06:00:00.000Z#K7MQ-4XZ9',
    });
  });

  it('files an accepted referral by the partner’s due time', () => {
    expect(
      attrs({
        status: 'referred',
        referral: { partner: 'p', status: 'accepted', dueBy: '2026-03-08T00:00:00.000Z' },
      }).gsi1sk,
    ).toBe('2026-03-08T00:00:00.000Z#K7MQ-4XZ9');
  });

  it('files resolved cases waiting on the complainant by waiting time, closed ones by closing time', () => {
    expect(
      attrs({
        status: 'resolved',
        resolvedAt: '2026-03-04T00:00:00.000Z',
        waitingOn: 'complainant',
        waitingSince: '2026-03-04T01:00:00.000Z',
      }).gsi1sk,
    ).toBe('W#2026-03-04T01:00:00.000Z#K7MQ-4XZ9');
    expect(attrs({ status: 'resolved', resolvedAt: '2026-03-04T00:00:00.000Z' }).gsi1sk).toBe(
      'R#2026-03-04T00:00:00.000Z#K7MQ-4XZ9',
    );
    expect(attrs({ status: 'closed', closedAt: '2026-03-05T00:00:00.000Z' })).toMatchObject({
      gsi1pk: 'STATUS#closed',
      gsi1sk: '2026-03-05T00:00:00.000Z#K7MQ-4XZ9',
    });
  });

  it('files open cases with a category by category, status and due time, restricted ones apart', () => {
    expect(attrs({ category: 'C03' })).toMatchObject({
      gsi4pk: 'CAT#C03#new',
      gsi4sk: '2026-03-03T06:00:00.000Z#K7MQ-4XZ9',
    });
    expect(attrs({ category: 'C03', status: 'in_progress', sensitivity: 'S3' })).toMatchObject({
      gsi4pk: 'CAT#C03#in_progress#R',
      gsi4sk: '2026-03-10T06:00:00.000Z#K7MQ-4XZ9',
    });
    expect(
      attrs({
        category: 'C01',
        status: 'referred',
        referral: { partner: 'p', status: 'accepted', dueBy: '2026-03-08T00:00:00.000Z' },
      }),
    ).toMatchObject({ gsi4pk: 'CAT#C01#referred', gsi4sk: '2026-03-08T00:00:00.000Z#K7MQ-4XZ9' });
    expect(attrs({ category: 'C02', status: 'reopened' }).gsi4pk).toBe('CAT#C02#reopened');
  });

  it('leaves cases without a category, and resolved or closed ones, out of the category index', () => {
    for (const patch of [
      {},
      { category: 'C03', status: 'resolved', resolvedAt: '2026-03-04T00:00:00.000Z' },
      { category: 'C03', status: 'closed', closedAt: '2026-03-05T00:00:00.000Z' },
    ] as Partial<Case>[]) {
      const a = attrs(patch);
      expect(a.gsi4pk).toBeUndefined();
      expect(a.gsi4sk).toBeUndefined();
    }
  });

  it('files every open case under OPEN by its due time, restricted ones under OPEN#R', () => {
    expect(attrs({})).toMatchObject({ gsi5pk: 'OPEN', gsi5sk: '2026-03-03T06:00:00.000Z#K7MQ-4XZ9' });
    expect(attrs({ status: 'acknowledged', category: 'C03' })).toMatchObject({
      gsi5pk: 'OPEN',
      gsi5sk: '2026-03-10T06:00:00.000Z#K7MQ-4XZ9',
    });
    expect(attrs({ status: 'in_progress', sensitivity: 'S2' })).toMatchObject({
      gsi5pk: 'OPEN#R',
      gsi5sk: '2026-03-10T06:00:00.000Z#K7MQ-4XZ9',
    });
    expect(
      attrs({
        status: 'referred',
        sensitivity: 'S3',
        referral: { partner: 'p', status: 'accepted', dueBy: '2026-03-08T00:00:00.000Z' },
      }),
    ).toMatchObject({ gsi5pk: 'OPEN#R', gsi5sk: '2026-03-08T00:00:00.000Z#K7MQ-4XZ9' });
    expect(attrs({ status: 'reopened', waitingOn: 'complainant' })).toMatchObject({
      gsi5pk: 'OPEN',
      gsi5sk: '2026-03-03T06:00:00.000Z#K7MQ-4XZ9',
    });
  });

  it('leaves resolved and closed cases out of the open-cases index', () => {
    for (const patch of [
      { status: 'resolved', resolvedAt: '2026-03-04T00:00:00.000Z' },
      { status: 'resolved', resolvedAt: '2026-03-04T00:00:00.000Z', waitingOn: 'complainant' },
      { status: 'closed', closedAt: '2026-03-05T00:00:00.000Z', sensitivity: 'S3' },
    ] as Partial<Case>[]) {
      const a = attrs(patch);
      expect(a.gsi5pk).toBeUndefined();
      expect(a.gsi5sk).toBeUndefined();
    }
  });

  it('takes a redacted case out of the phone index', () => {
    expect(attrs({ redactedAt: '2027-01-01T00:00:00.000Z' }).gsi2pk).toBeUndefined();
  });
});
