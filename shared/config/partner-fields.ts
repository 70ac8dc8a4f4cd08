/**
 * What a referral may pass to a partner. The anonymous summary is always the same few fields and identifies
 * nobody; the rest go only to a partner allowed to receive them, and only for a person who consented to sharing.
 * Kept free of zod so that the staff console can offer the same lists without bundling it.
 */
export const ANONYMOUS_SUMMARY_FIELDS = ['type', 'category', 'sector', 'urgency', 'governorate'] as const;
export const PARTNER_FIELDS = [
  ...ANONYMOUS_SUMMARY_FIELDS,
  'district',
  'language',
  'narrative',
  'name',
  'phone',
  'population_group',
  'sex',
  'age_band',
] as const;
export type PartnerField = (typeof PARTNER_FIELDS)[number];
