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

const fill = (text: string, vars: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (_, name: string) =>
    vars[name] === undefined
      ? `{${name}}`
      : typeof vars[name] === 'number'
        ? formatNumber(vars[name])
        : vars[name],
  );

/**
 * Text set apart from the sentence around it for the bidirectional algorithm: an id (`local-officer-ninewa`) or a
 * name inside Arabic keeps its own order instead of having its hyphens and brackets moved.
 */
export const isolate = (text: string, ltr = false): string => `${ltr ? '\u2066' : '\u2068'}${text}\u2069`;

/** Names in a list, each set apart, with the language's comma (Arabic and Sorani write «،»). */
export const listOfNames = (names: readonly string[]): string =>
  names.map((n) => isolate(n)).join(isRtl(current) ? '، ' : ', ');

/** A string in the current language with `{name}` placeholders filled (numbers written the language's way). */
export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return fill(TABLES[current][key] ?? en[key], vars);
}

/**
 * The plural form of a count, by the language's plural rules (Arabic has six forms, English two). A plural
 * string lists its forms as `one:{n} case shown|other:{n} cases shown`; `other` is the fallback.
 */
export function pluralForms(text: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (const part of text.split('|')) {
    const m = /^(zero|one|two|few|many|other):(.*)$/s.exec(part.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) forms.set(m[1], m[2]);
  }
  if (forms.size === 0) forms.set('other', text);
  return forms;
}

export function tn(key: StringKey, n: number, vars: Record<string, string | number> = {}): string {
  const forms = pluralForms(TABLES[current][key] ?? en[key]);
  // Arabic's "zero" form is its own; Intl only names it where the language uses it.
  const category = n === 0 && forms.has('zero') ? 'zero' : new Intl.PluralRules(locale(current)).select(n);
  return fill(forms.get(category) ?? forms.get('other') ?? '', { ...vars, n });
}

/** A label for a code from one of the closed lists (`status_new`), or the code itself when there is none. */
export function label(prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return t('none');
  const key = `${prefix}_${code}` as StringKey;
  return key in en ? t(key) : code;
}

/**
 * How a case came in: its channel, and what carried it where that says more (WhatsApp or the local SIM gateway for
 * a message; a KoboToolbox form beside the channel its answers name). Plain Twilio SMS is the channel alone.
 */
export function channelLabel(channel: string, transport: string | undefined): string {
  if (!transport || transport === 'sms') return label('channel', channel);
  if (channel === 'sms') return label('transport', transport);
  return `${label('channel', channel)} · ${label('transport', transport)}`;
}

/**
 * The locale each language is written in. Digits are Latin (0–9) in every language: references, phone numbers
 * and P-codes are written with them, so dates and counts beside them use the same digits rather than mixing
 * Arabic-Indic and Latin in one line.
 */
export const locale = (lang: Lang): string =>
  lang === 'kmr' ? 'ku-u-nu-latn' : lang === 'en' ? 'en-GB' : `${lang}-IQ-u-nu-latn`;

/**
 * A date and time in Baghdad time, written the current language's way. Browsers carry no date words for Sorani or
 * Kurmanji (they would fall back to English month names), so those get the numeric `2026-12-03 11:26`, kept
 * left-to-right as one piece inside Sorani's right-to-left text.
 */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  try {
    const date = new Date(iso);
    if (Intl.DateTimeFormat.supportedLocalesOf([locale(current)]).length === 0) {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-GB', {
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone: 'Asia/Baghdad',
        })
          .formatToParts(date)
          .map((p) => [p.type, p.value]),
      );
      return isolate(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`, true);
    }
    return new Intl.DateTimeFormat(locale(current), {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Baghdad',
      numberingSystem: 'latn',
    }).format(date);
  } catch {
    return iso.slice(0, 16).replace('T', ' ');
  }
}

export function formatNumber(n: number, digits = 0): string {
  try {
    return new Intl.NumberFormat(locale(current), {
      maximumFractionDigits: digits,
      numberingSystem: 'latn',
    }).format(n);
  } catch {
    return n.toFixed(digits);
  }
}

/**
 * A phone number grouped for reading aloud: `+964 770 123 4567` for Iraqi mobiles, the country code and groups
 * of three otherwise. Shown inside a left-to-right isolate (see `Phone` in ui.ts), so right-to-left text around it
 * never moves the plus sign to the end.
 */
export function formatPhone(e164: string | undefined): string {
  if (!e164) return '';
  const iraqi = /^\+964(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (iraqi) return `+964 ${iraqi[1]} ${iraqi[2]} ${iraqi[3]}`;
  // Elsewhere the country code's length varies: the number stays as it is rather than grouped wrongly.
  return e164;
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
