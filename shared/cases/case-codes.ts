/**
 * The closed value lists of a case as plain tuples, with no dependency: case-schema.ts builds its zod enums from
 * them, and the console and the public pages offer them without loading zod.
 */
export const CASE_STATUSES = [
  'new',
  'acknowledged',
  'in_progress',
  'referred',
  'resolved',
  'closed',
  'reopened',
] as const;
export const OPEN_STATUSES = ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'] as const;
export const CHANNELS = [
  'sms',
  'voice',
  'web',
  'hotline',
  'walk_in',
  'complaint_box',
  'community_meeting',
] as const;
/**
 * What carried a person's message, for the cases of the `sms` channel: Twilio SMS, WhatsApp through Twilio, or SMS
 * relayed by a local gateway. Kept on the case (`transport`), so a report can tell them apart.
 */
export const TRANSPORTS = ['sms', 'whatsapp', 'gateway'] as const;
/**
 * What carried a case in, as kept on the case: the message transports above, and `kobo` for a field form received
 * from a KoboToolbox REST Service (nothing goes back that way; a person who gave a number hears back by SMS).
 */
export const CASE_TRANSPORTS = [...TRANSPORTS, 'kobo'] as const;
/** The channels staff log by hand: a hotline call, a walk-in, a complaint-box note, a community meeting. */
export const OPERATOR_CHANNELS = [
  'hotline',
  'walk_in',
  'complaint_box',
  'community_meeting',
] as const satisfies readonly (typeof CHANNELS)[number][];
export const POPULATION_GROUPS = ['idp', 'returnee', 'host_community', 'refugee', 'other'] as const;
export const SEXES = ['female', 'male', 'other', 'undisclosed'] as const;
export const AGE_BANDS = ['0-17', '18-24', '25-39', '40-59', '60+', 'undisclosed'] as const;
