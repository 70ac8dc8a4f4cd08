import * as z from 'zod';
import { CATEGORIES, FEEDBACK_TYPES, SENSITIVITIES, URGENCIES } from '../classification/taxonomy.ts';

/**
 * A duration on a policy's clock: plain milliseconds (on a 24/7 clock that is wall time, on a working clock
 * working time), or whole working days (working clocks only). Zero is allowed only where it means "at once" for
 * the platform, as an escalation step's delay after a missed target.
 */
export const SlaTarget = z.union([
  z.strictObject({ ms: z.number().int().nonnegative() }),
  z.strictObject({ workingDays: z.number().int().nonnegative().max(365) }),
]);
export type SlaTarget = z.infer<typeof SlaTarget>;

const NOT_AT_ONCE =
  'a staff target must be longer than zero (the person is acknowledged automatically, at once, on every channel)';

/**
 * A staff target (first response, resolve or refer): a real duration, never zero. The person's acknowledgement is
 * automatic and immediate, so "at once" is no staff target, and a zero target would make every case overdue the
 * moment it arrived.
 */
export const StaffTarget = z.union([
  z.strictObject({ ms: z.number().int().positive(NOT_AT_ONCE) }),
  z.strictObject({ workingDays: z.number().int().min(1, NOT_AT_ONCE).max(365) }),
]);

/** Who hears about a missed target, in order: the case's focal point, their supervisor, the programme manager. */
export const ESCALATION_LEVELS = ['focal_point', 'supervisor', 'programme_manager'] as const;
export const EscalationLevel = z.enum(ESCALATION_LEVELS);
export type EscalationLevel = z.infer<typeof EscalationLevel>;

/** One escalation step: `after` is measured from the missed due time, on the policy's clock. */
export const EscalationStep = z.object({ level: EscalationLevel, after: SlaTarget });
export type EscalationStep = z.infer<typeof EscalationStep>;

const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1).optional();

/** Which cases a policy covers; a missing field matches anything, a listed one must contain the case's value. */
export const SlaMatch = z.object({
  sensitivities: nonEmpty(z.enum(SENSITIVITIES)),
  urgencies: nonEmpty(z.enum(URGENCIES)),
  types: nonEmpty(z.enum(FEEDBACK_TYPES)),
  categories: nonEmpty(z.enum(CATEGORIES)),
});
export type SlaMatch = z.infer<typeof SlaMatch>;

export const SlaPolicySchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(120),
    description: z.string().max(500).optional(),
    match: SlaMatch.default({}),
    /** `24x7` counts every hour; `working` counts only the calendar's working time. */
    clock: z.enum(['24x7', 'working']),
    /** The first staff response (the status leaving `new`). */
    acknowledgeWithin: StaffTarget,
    /** Resolved, or referred where the policy is about referral (S2, S3). */
    resolveWithin: StaffTarget,
    /** How long before a due time the focal point is warned (on the policy's clock). */
    warnBeforeMs: z.number().int().nonnegative(),
    escalation: z.array(EscalationStep).max(ESCALATION_LEVELS.length),
    /** Breaks ties between equally specific policies: higher wins. */
    priority: z.number().int().default(0),
    active: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    const targets: [string, SlaTarget][] = [
      ['acknowledgeWithin', p.acknowledgeWithin],
      ['resolveWithin', p.resolveWithin],
      ...p.escalation.map((s, i): [string, SlaTarget] => [`escalation.${i}.after`, s.after]),
    ];
    if (p.clock === '24x7') {
      for (const [path, t] of targets) {
        if ('workingDays' in t) {
          ctx.addIssue({
            code: 'custom',
            path: path.split('.'),
            message: 'a 24x7 clock counts in ms, not working days',
          });
        }
      }
    }
    const levels = p.escalation.map((s) => s.level);
    if (new Set(levels).size !== levels.length) {
      ctx.addIssue({ code: 'custom', path: ['escalation'], message: 'each level may appear once' });
    }
  });
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;
export type SlaPolicyInput = z.input<typeof SlaPolicySchema>;
