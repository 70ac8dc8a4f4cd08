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
  SENSITIVITIES,
  URGENCIES,
} from '#shared/classification/taxonomy.ts';
