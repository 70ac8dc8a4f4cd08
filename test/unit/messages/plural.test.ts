import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/classification/taxonomy.ts';
import {
  formatCount,
  LANGUAGE_PLURAL_CATEGORIES,
  NUMBER_LOCALE,
  plural,
  pluralCategory,
} from '#shared/messages/plural.ts';

const ICU_LOCALE = { ar: 'ar', ckb: 'ckb', kmr: 'ku', en: 'en' } as const;

describe('plural categories', () => {
  it.each(LANGUAGES)('%s matches the CLDR rules Node ships, for 0 to 1,200', (lang) => {
    const cldr = new Intl.PluralRules(ICU_LOCALE[lang]);
    expect([...LANGUAGE_PLURAL_CATEGORIES[lang]].sort()).toEqual(
      [...cldr.resolvedOptions().pluralCategories].sort(),
    );
    for (let n = 0; n <= 1200; n++) expect(pluralCategory(lang, n), `${lang} ${n}`).toBe(cldr.select(n));
  });

  it('gives Arabic its six forms', () => {
    expect([0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111].map((n) => pluralCategory('ar', n))).toEqual([
      'zero',
      'one',
      'two',
      'few',
      'few',
      'many',
      'many',
      'other',
      'other',
      'few',
      'many',
    ]);
  });

  it('refuses what is not a count', () => {
    expect(() => pluralCategory('en', -1)).toThrow(RangeError);
    expect(() => pluralCategory('ar', 1.5)).toThrow(RangeError);
  });
});

describe('counts in the language’s digits', () => {
  it.each(LANGUAGES)('%s writes the digits its locale writes', (lang) => {
    const icu = new Intl.NumberFormat(NUMBER_LOCALE[lang], { useGrouping: false });
    for (const n of [0, 3, 7, 14, 2026, 5000]) expect(formatCount(lang, n)).toBe(icu.format(n));
  });

  it('writes Arabic and Sorani in Arabic-Indic digits, Kurmanji and English in Western ones', () => {
    expect(formatCount('ar', 14)).toBe('١٤');
    expect(formatCount('ckb', 7)).toBe('٧');
    expect(formatCount('kmr', 7)).toBe('7');
    expect(formatCount('en', 5000)).toBe('5000');
  });
});

describe('plural', () => {
  const days = {
    zero: '{n} أيام',
    one: 'يوم واحد',
    two: 'يومان',
    few: '{n} أيام',
    many: '{n} يوماً',
    other: '{n} يوم',
  };

  it('never writes "3 يوم": three days take the plural, eleven the singular accusative', () => {
    expect(plural('ar', 3, days)).toBe('٣ أيام');
    expect(plural('ar', 11, days)).toBe('١١ يوماً');
    expect(plural('ar', 1, days)).toBe('يوم واحد');
    expect(plural('ar', 2, days)).toBe('يومان');
    expect(plural('ar', 100, days)).toBe('١٠٠ يوم');
  });

  it('falls back to the other form where a language has no form of its own', () => {
    expect(plural('en', 1, { one: '{n} day', other: '{n} days' })).toBe('1 day');
    expect(plural('en', 7, { one: '{n} day', other: '{n} days' })).toBe('7 days');
    expect(plural('ar', 2, { other: '{n} x' })).toBe('٢ x');
  });
});
