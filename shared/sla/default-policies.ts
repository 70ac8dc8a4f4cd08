/**
 * The default SLA policies, from the design's table of targets. "At once" is a zero target: the platform
 * acknowledges these automatically (the reference SMS) the moment the case is stored. A catch-all policy covers
 * what the table does not name (requests, incomplete or not yet classified contacts) with the complaint targets.
 */
import type { SlaPolicy, SlaPolicyInput } from './sla-schema.ts';

const HOUR = 3_600_000;

const policies: SlaPolicyInput[] = [
  {
    id: 's3',
    name: 'S3: sexual exploitation and abuse, child safeguarding',
    description: 'Acknowledged at once; referred to the PSEA focal point within 24 hours, day or night.',
    match: { sensitivities: ['S3'] },
    clock: '24x7',
    acknowledgeWithin: { ms: 0 },
    resolveWithin: { ms: 24 * HOUR },
    warnBeforeMs: 6 * HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { ms: 4 * HOUR } },
      { level: 'programme_manager', after: { ms: 12 * HOUR } },
    ],
  },
  {
    id: 's2',
    name: 'S2: fraud, staff misconduct, data breach',
    description: 'Acknowledged at once; referred within 48 hours, day or night.',
    match: { sensitivities: ['S2'] },
    clock: '24x7',
    acknowledgeWithin: { ms: 0 },
    resolveWithin: { ms: 48 * HOUR },
    warnBeforeMs: 12 * HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { ms: 12 * HOUR } },
      { level: 'programme_manager', after: { ms: 24 * HOUR } },
    ],
  },
  {
    id: 'urgent',
    name: 'Urgent',
    description: 'Acknowledged at once; resolved within 3 working days.',
    match: { urgencies: ['urgent'] },
    clock: 'working',
    acknowledgeWithin: { ms: 0 },
    resolveWithin: { workingDays: 3 },
    warnBeforeMs: 4 * HOUR,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { workingDays: 1 } },
      { level: 'programme_manager', after: { workingDays: 2 } },
    ],
  },
  {
    id: 'complaint',
    name: 'Complaint',
    description: 'Acknowledged by a person within 2 working days (the SMS goes at once); resolved within 7.',
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
    description: 'Answered on first contact where possible; a callback within 3 working days.',
    match: { types: ['question'] },
    clock: 'working',
    acknowledgeWithin: { ms: 0 },
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
    description: 'Acknowledged at once; a reply within 14 working days where one was promised.',
    match: { types: ['suggestion', 'praise', 'observation'] },
    clock: 'working',
    acknowledgeWithin: { ms: 0 },
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
