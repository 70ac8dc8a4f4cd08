/**
 * The feedback taxonomy from the design ("Taxonomy"): the closed value lists every part of the platform shares.
 * Kept as `as const` tuples so zod enums and TypeScript unions come from one place.
 */

/** Feedback type, after the IFRC community-engagement coding framework. */
export const FEEDBACK_TYPES = [
  'question',
  'request',
  'suggestion',
  'complaint',
  'praise',
  'observation',
  'incomplete',
] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

/** Complaint categories C01 to C10. */
export const CATEGORIES = ['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Short English labels for the categories, for reports and consoles. */
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  C01: 'access and exclusion',
  C02: 'targeting, selection, registration',
  C03: 'quality, quantity or timeliness',
  C04: 'cash, payment, financial service provider',
  C05: 'staff or partner conduct',
  C06: 'fraud, corruption, bribery, diversion',
  C07: 'sexual exploitation, abuse or harassment',
  C08: 'safety, security, protection risk',
  C09: 'data protection or privacy breach',
  C10: 'outside the programme: refer',
};

export const SECTORS = [
  'shelter',
  'livelihoods',
  'basic_services',
  'protection',
  'documentation_hlp',
  'mhpss',
  'cash',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/** S0 not sensitive, S1 sensitive to the person, S2 misconduct, S3 sexual exploitation and abuse, child safeguarding. */
export const SENSITIVITIES = ['S0', 'S1', 'S2', 'S3'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const URGENCIES = ['urgent', 'action', 'monitor', 'none'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Arabic, Sorani Kurdish (Arabic script), Kurmanji/Badini Kurdish (Latin script), English. */
export const LANGUAGES = ['ar', 'ckb', 'kmr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * How a labelled message is written, for figures per variant. Arabic, Sorani and Kurmanji messages carry exactly
 * one form: Arabic as Modern Standard (`msa`), Iraqi dialect (`iraqi`) or in Latin letters with digits for letters
 * (`arabizi`); Sorani typed on a Kurdish keyboard (`sorani-keyboard`) or on an Arabic one, with ه for ە, ي for ی/ێ,
 * ك for ک, ر for ڕ, و for ۆ (`arabic-keyboard`); Kurmanji in Latin letters with or without ç ş ê î û
 * (`latin-diacritics`, `latin-plain`) or, as Badini is often typed, in Arabic script (`arabic-script`). The other
 * tags cross languages: four words or fewer (`short`), a harm named by euphemism (`euphemism`), two languages in
 * one message (`code-switch`).
 */
export const VARIANTS = [
  'msa',
  'iraqi',
  'arabizi',
  'sorani-keyboard',
  'arabic-keyboard',
  'latin-diacritics',
  'latin-plain',
  'arabic-script',
  'short',
  'euphemism',
  'code-switch',
] as const;
export type Variant = (typeof VARIANTS)[number];

/** The form tags each language's messages choose one of (English has none). */
export const LANGUAGE_FORMS: Readonly<Record<Language, readonly Variant[]>> = {
  ar: ['msa', 'iraqi', 'arabizi'],
  ckb: ['sorani-keyboard', 'arabic-keyboard'],
  kmr: ['latin-diacritics', 'latin-plain', 'arabic-script'],
  en: [],
};

/** Default sensitivity of each category (design table); C08 rises to S3 with a child or an aid worker. */
export const CATEGORY_SENSITIVITY: Readonly<Record<Category, Sensitivity>> = {
  C01: 'S0',
  C02: 'S0',
  C03: 'S0',
  C04: 'S0',
  C05: 'S2',
  C06: 'S2',
  C07: 'S3',
  C08: 'S1',
  C09: 'S2',
  C10: 'S0',
};

const SENSITIVITY_RANK: Readonly<Record<Sensitivity, number>> = { S0: 0, S1: 1, S2: 2, S3: 3 };

/** The higher of two sensitivities. */
export function maxSensitivity(a: Sensitivity, b: Sensitivity): Sensitivity {
  return SENSITIVITY_RANK[a] >= SENSITIVITY_RANK[b] ? a : b;
}

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { none: 0, monitor: 1, action: 2, urgent: 3 };

/** The more pressing of two urgencies. */
export function maxUrgency(a: Urgency, b: Urgency): Urgency {
  return URGENCY_RANK[a] >= URGENCY_RANK[b] ? a : b;
}
