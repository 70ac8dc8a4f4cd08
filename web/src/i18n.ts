import { ar } from './strings/ar.ts';
import { ckb } from './strings/ckb.ts';
import { en, type StringKey, type StringTable } from './strings/en.ts';
import { kmr } from './strings/kmr.ts';

/** The console's four languages, their tables and writing direction. */
export const LANGUAGES = ['ar', 'ckb', 'kmr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const TABLES: Readonly<Record<Lang, StringTable>> = { ar, ckb, kmr, en };
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = {
  ar: 'العربية',
  ckb: 'کوردی (سۆرانی)',
  kmr: 'Kurdî (Badînî)',
  en: 'English',
};
export const isRtl = (lang: Lang): boolean => lang === 'ar' || lang === 'ckb';

const STORAGE_KEY = 'cfm.console.lang';
let current: Lang = 'en';

/** The language a tag names (Kurdish in Arabic script is Sorani, other Kurdish Kurmanji), or undefined. */
export function langFromTag(tag: string): Lang | undefined {
  const t = tag.toLowerCase();
  const primary = t.split('-')[0] ?? '';
  if (primary === 'ku') return /-arab\b/.test(t) ? 'ckb' : 'kmr';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Lang) : undefined;
}

/** The saved choice, else the browser's first language the console speaks, else English. */
export function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Lang;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const lang = langFromTag(tag);
    if (lang) return lang;
  }
  return 'en';
}

/** Switches the language for every later `t` call and sets the page's `lang` and `dir`. */
export function setLang(lang: Lang): void {
  current = lang;
  globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lang;
    document.documentElement.dir = isRtl(lang) ? 'rtl' : 'ltr';
  }
}

export const getLang = (): Lang => current;

/** A string in the current language with `{name}` placeholders filled. */
export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  const text = TABLES[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A label for a code from one of the closed lists (`status_new`), or the code itself when there is none. */
export function label(prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return t('none');
  const key = `${prefix}_${code}` as StringKey;
  return key in en ? t(key) : code;
}

const locale = (lang: Lang): string => (lang === 'kmr' ? 'ku' : lang === 'en' ? 'en-GB' : `${lang}-IQ`);

/** A date and time in Baghdad time, written the current language's way. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat(locale(current), {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Baghdad',
    }).format(new Date(iso));
  } catch {
    return iso.slice(0, 16).replace('T', ' ');
  }
}

export function formatNumber(n: number, digits = 0): string {
  try {
    return new Intl.NumberFormat(locale(current), { maximumFractionDigits: digits }).format(n);
  } catch {
    return n.toFixed(digits);
  }
}

/** A share (0 to 1) as a percentage, written the current language's way (`85 %`, `٨٥٪`). */
export function formatPercent(share: number): string {
  try {
    return new Intl.NumberFormat(locale(current), { style: 'percent', maximumFractionDigits: 0 }).format(
      share,
    );
  } catch {
    return `${Math.round(share * 100)}%`;
  }
}

/** A month (`yyyy-mm`) written the current language's way (`Mar 2026`, `آذار ٢٠٢٦`). */
export function formatMonth(month: string): string {
  try {
    return new Intl.DateTimeFormat(locale(current), {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${month}-01T00:00:00Z`));
  } catch {
    return month;
  }
}

/** A calendar day (`yyyy-mm-dd`) written short, the current language's way (`1 Mar`, `١ آذار`). */
export function formatDay(day: string): string {
  try {
    return new Intl.DateTimeFormat(locale(current), {
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    }).format(new Date(`${day}T00:00:00Z`));
  } catch {
    return day;
  }
}

/** Every run of digits in a label (`0–2`, `>90`) written in the current language's digits. */
export const localDigits = (text: string): string => text.replace(/\d+/g, (d) => formatNumber(Number(d)));
