/**
 * Counted words in the platform's four languages: CLDR plural categories and numbers in each language's own
 * digits. Arabic needs six forms ("يوم عمل واحد", "يومَي عمل", "٣ أيام عمل", "١١ يوم عمل"); Sorani, Kurmanji
 * and English need two. The rules are written out here rather than read from `Intl.PluralRules`, so a runtime
 * with trimmed ICU data cannot silently fall back to English rules; a unit test holds them equal to CLDR's.
 */
import type { Language } from '../classification/taxonomy.ts';

export const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
export type PluralCategory = (typeof PLURAL_CATEGORIES)[number];

/** The categories each language distinguishes for whole numbers (CLDR cardinal rules). */
export const LANGUAGE_PLURAL_CATEGORIES: Readonly<Record<Language, readonly PluralCategory[]>> = {
  ar: ['zero', 'one', 'two', 'few', 'many', 'other'],
  ckb: ['one', 'other'],
  kmr: ['one', 'other'],
  en: ['one', 'other'],
};

/** One text per category the language distinguishes; `{n}` stands for the number in the language's digits. */
export type PluralForms = Partial<Record<PluralCategory, string>> & { other: string };

/** The CLDR cardinal category of a non-negative whole number in `lang`. */
export function pluralCategory(lang: Language, n: number): PluralCategory {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('counts are non-negative whole numbers');
  if (lang !== 'ar') return n === 1 ? 'one' : 'other';
  const lastTwo = n % 100;
  if (n === 0) return 'zero';
  if (n === 1) return 'one';
  if (n === 2) return 'two';
  if (lastTwo >= 3 && lastTwo <= 10) return 'few';
  if (lastTwo >= 11 && lastTwo <= 99) return 'many';
  return 'other';
}

/**
 * The locale whose digits and month names a language's pages use: Arabic and Sorani write Arabic-Indic digits
 * (٠١٢٣), Kurmanji and English Western digits. English dates are written day-month-year, as in Iraq.
 */
export const NUMBER_LOCALE: Readonly<Record<Language, string>> = {
  ar: 'ar-IQ',
  ckb: 'ckb-IQ',
  kmr: 'ku',
  en: 'en-GB',
};

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

/**
 * A count in the language's own digits, without grouping (counts here are small, and a grouping mark between
 * Arabic-Indic digits is easily misread). Done by hand for the same reason as the plural rules.
 */
export function formatCount(lang: Language, n: number): string {
  const western = String(n);
  if (lang !== 'ar' && lang !== 'ckb') return western;
  return western.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)] ?? d);
}

/** The form of `forms` for `n` in `lang`, with `{n}` filled in; a missing category falls back to `other`. */
export function plural(lang: Language, n: number, forms: PluralForms): string {
  const form = forms[pluralCategory(lang, n)] ?? forms.other;
  return form.replaceAll('{n}', formatCount(lang, n));
}
