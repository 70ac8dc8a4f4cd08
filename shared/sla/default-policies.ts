/**
 * The default SLA policies, from the design's table of targets. The person's acknowledgement (the reference, in
 * their language) is automatic and immediate on every channel, so it is no staff target here: every target below
 * is a real duration for a person to act, and none makes a case overdue when it arrives. A catch-all policy covers
 * what the table does not name (requests, incomplete or not yet classified contacts) with the complaint targets.
 *
 * The table gives S2 a 24/7 clock "for referral"; its 4-hour first response runs on the same 24/7 clock (one clock
 * per policy), which errs on the side of the person who reported misconduct.
 */
import type { SlaPolicy, SlaPolicyInput } from './sla-schema.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const policies: SlaPolicyInput[] = [
  {
    id: 's3',
    name: 'S3: sexual exploitation and abuse, child safeguarding',
    description:
      'A first response by the PSEA focal point within 1 hour; referred to the PSEA focal point within 24 hours, day or night.',
    match: { sensitivities: ['S3'] },
    clock: '24x7',
    acknowledgeWithin: { ms: HOUR },
    resolveWithin: { ms: 24 * HOUR },
    warnBeforeMs: 15 * MINUTE,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { ms: 4 * HOUR } },
      { level: 'programme_manager', after: { ms: 12 * HOUR } },
    ],
  },
  {
    id: 's2',
    name: 'S2: fraud, staff misconduct, data breach',
    description: 'A first response within 4 hours; referred within 48 hours, day or night.',
    match: { sensitivities: ['S2'] },
    clock: '24x7',
    acknowledgeWithin: { ms: 4 * HOUR },
    resolveWithin: { ms: 48 * HOUR },
    warnBeforeMs: HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { ms: 12 * HOUR } },
      { level: 'programme_manager', after: { ms: 24 * HOUR } },
    ],
  },
  {
    id: 'urgent',
    name: 'Urgent',
    description: 'A first response within 4 working hours; resolved within 3 working days.',
    match: { urgencies: ['urgent'] },
    clock: 'working',
    acknowledgeWithin: { ms: 4 * HOUR },
    resolveWithin: { workingDays: 3 },
    warnBeforeMs: HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { workingDays: 1 } },
      { level: 'programme_manager', after: { workingDays: 2 } },
    ],
  },
  {
    id: 'complaint',
    name: 'Complaint',
    description: 'A first response within 2 working days; resolved within 7.',
    match: { types: ['complaint'] },
    clock: 'working',
    acknowledgeWithin: { workingDays: 2 },
    resolveWithin: { workingDays: 7 },
    warnBeforeMs: 8 * HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { workingDays: 2 } },
      { level: 'programme_manager', after: { workingDays: 5 } },
    ],
  },
  {
    id: 'question',
    name: 'Question',
    description:
      'Answered on the call where possible; otherwise a first response within 1 working day and a callback within 3.',
    match: { types: ['question'] },
    clock: 'working',
    acknowledgeWithin: { workingDays: 1 },
    resolveWithin: { workingDays: 3 },
    warnBeforeMs: 4 * HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { workingDays: 2 } },
    ],
  },
  {
    id: 'feedback',
    name: 'Suggestion, praise or observation',
    description: 'A first response within 5 working days; a reply within 14 where one was promised.',
    match: { types: ['suggestion', 'praise', 'observation'] },
    clock: 'working',
    acknowledgeWithin: { workingDays: 5 },
    resolveWithin: { workingDays: 14 },
    warnBeforeMs: 8 * HOUR,
    escalation: [{ level: 'focal_point', after: { ms: 0 } }],
  },
  {
    id: 'default',
    name: 'Everything else',
    description:
      'Requests and unclassified contacts keep the complaint targets until someone classifies them.',
    match: {},
    clock: 'working',
    acknowledgeWithin: { workingDays: 2 },
    resolveWithin: { workingDays: 7 },
    warnBeforeMs: 8 * HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { workingDays: 2 } },
      { level: 'programme_manager', after: { workingDays: 5 } },
    ],
  },
];

/**
 * The policies with the schema's defaults filled in, typed as the schema's output rather than parsed at import
 * (every Lambda cold start would pay for it); a unit test holds each equal to `SlaPolicySchema.parse` of itself.
 */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicy[] = policies.map(
  (p): SlaPolicy => ({ ...p, match: p.match ?? {}, priority: p.priority ?? 0, active: p.active ?? true }),
);
