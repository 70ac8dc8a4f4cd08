import { type Case, CaseSchema } from '#shared/cases/case-schema.ts';
import { FocalPointSchema, RoutingRuleSchema } from '#shared/config/schemas.ts';

/** A stored case as intake leaves it (nobody has classified it), with the fields a test sets. */
export function makeCase(overrides: Partial<Case> = {}): Case {
  return CaseSchema.parse({
    caseId: '01JCASE0000000000000000001',
    reference: 'K7MQ-4XZ9',
    version: 1,
    status: 'new',
    channel: 'sms',
    language: 'en',
    type: null,
    category: null,
    sector: null,
    sensitivity: 'S0',
    urgency: 'none',
    classification: { source: 'pending' },
    narrative: 'The water tank in our street has been broken for a week',
    location: {},
    consentToFollowUp: true,
    contact: { phoneCipher: 'cipher', phoneHash: 'hash', nameCipher: 'cipher' },
    idempotencyKey: 'SM1',
    receivedAt: '2026-12-09T07:00:00.000Z',
    createdBy: { kind: 'complainant' },
    updatedAt: '2026-12-09T07:00:00.000Z',
    ...overrides,
  });
}

/** A case an officer has classified (the router neither classifies nor lowers it). */
export const officerCase = (overrides: Partial<Case> = {}): Case =>
  makeCase({
    type: 'complaint',
    category: 'C03',
    sector: 'basic_services',
    urgency: 'action',
    classification: { source: 'officer', evidence: [], changedByOfficer: true },
    ...overrides,
  });

export const focalPoint = (focalPointId: string, kind = 'general', restricted = false, active = true) =>
  FocalPointSchema.parse({
    focalPointId,
    name: focalPointId,
    kind,
    restricted,
    active,
    channel: { type: 'email', address: `${focalPointId}@example.org` },
  });

export const rule = (r: Record<string, unknown>) => RoutingRuleSchema.parse(r);
