/**
 * Reading SLA policies stored before staff targets had to be real durations. Earlier seeds stored "at once" as a
 * zero acknowledgement target, which made questions, urgent, S2 and S3 cases overdue the moment they arrived.
 * Such a record is read as the design's defaults instead, so no stored data has to be rewritten first and an
 * admin's next save stores the corrected policy:
 *
 * - a policy with a default's id (`s3`, `urgent`, ...) takes that default's targets, warning and escalation, and
 *   keeps what an admin may have changed about which cases it covers (name, description, match, priority,
 *   active);
 * - any other policy keeps everything but its zero targets, each of which becomes the shortest design target on
 *   its clock (1 hour on a 24/7 clock, 4 working hours on a working clock): the strictest reading of "at once"
 *   that is still a target a person can meet.
 *
 * A policy without a zero target is returned as it is, so reading is idempotent. Writes still go through
 * {@link SlaPolicySchema}, which refuses a zero target.
 */
import * as z from 'zod';
import { DEFAULT_SLA_POLICIES } from './default-policies.ts';
import { SlaPolicySchema } from './sla-schema.ts';

const HOUR = 3_600_000;
const SHORTEST = { '24x7': { ms: HOUR }, working: { ms: 4 * HOUR } } as const;
const STAFF_TARGETS = ['acknowledgeWithin', 'resolveWithin'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a stored target is the old "at once": zero milliseconds or zero working days. */
const isZero = (t: unknown): boolean => isRecord(t) && (t.ms === 0 || t.workingDays === 0);

/** A stored policy record as the design's defaults would have it; anything else is returned unchanged. */
export function upgradeStoredSlaPolicy(raw: unknown): unknown {
  if (!isRecord(raw) || !STAFF_TARGETS.some((k) => isZero(raw[k]))) return raw;
  const standard = DEFAULT_SLA_POLICIES.find((p) => p.id === raw.id);
  if (standard) {
    return {
      ...raw,
      clock: standard.clock,
      acknowledgeWithin: standard.acknowledgeWithin,
      resolveWithin: standard.resolveWithin,
      warnBeforeMs: standard.warnBeforeMs,
      escalation: standard.escalation,
    };
  }
  const clock = raw.clock === '24x7' ? '24x7' : 'working';
  const out: Record<string, unknown> = { ...raw };
  for (const k of STAFF_TARGETS) if (isZero(raw[k])) out[k] = SHORTEST[clock];
  return out;
}

/** The schema a stored policy is read with: upgraded first, then validated like any write. */
export const StoredSlaPolicySchema = z.preprocess(upgradeStoredSlaPolicy, SlaPolicySchema);
