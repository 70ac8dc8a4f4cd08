/** The closed lists the console offers in its selects: the shared taxonomy and case codes, under the console's names. */
export {
  CASE_STATUSES as STATUSES,
  CHANNELS,
  OPEN_STATUSES,
  OPERATOR_CHANNELS,
} from '#shared/cases/case-codes.ts';
export {
  CATEGORIES,
  FEEDBACK_TYPES as TYPES,
  SECTORS,
  SENSITIVITIES,
  URGENCIES,
} from '#shared/classification/taxonomy.ts';
export { ANONYMOUS_SUMMARY_FIELDS, PARTNER_FIELDS } from '#shared/config/partner-fields.ts';

/**
 * Lists the admin forms offer, copied from shared/config and shared/sla (whose modules load zod, which the console
 * does without); a unit test keeps them equal. The partner fields need no copy: they live in a zod-free module.
 */
export const FOCAL_POINT_KINDS = [
  'general',
  'psea',
  'fraud',
  'protection',
  'supervisor',
  'programme_manager',
] as const;
export const ESCALATION_LEVELS = ['focal_point', 'supervisor', 'programme_manager'] as const;
export const CHANNEL_TYPES = ['email', 'sms', 'https', 'local'] as const;
