import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { type DistrictRecord, gazetteer, placeName } from '#shared/gazetteer/gazetteer.ts';
import { formatCount, NUMBER_LOCALE, plural } from '#shared/messages/plural.ts';
import {
  displayNumber,
  numberHref,
  PUBLIC_CHANNELS,
  type PublicChannel,
  type PublicNumbers,
} from './contact.ts';
import { formPromiseDays, type ReplyPromise } from './promise.ts';
import {
  ABOUT_CHOICES,
  AGE_CHOICES,
  displayLanguage,
  LANGUAGE_NAMES,
  POPULATION_CHOICES,
  PUBLIC_LANGUAGES,
  PUBLIC_STRINGS,
  type PublicLanguage,
  type PublicStrings,
  RTL_LANGUAGES,
  SEX_CHOICES,
  type STATUS_CHOICES,
} from './strings.ts';

/**
 * The public pages as HTML strings: the complaint form, the status lookup, and the answers the server renders for
 * browsers without JavaScript (the result, the form again with its errors, the status). The pages the site
 * serves are rendered from these same functions (web/scripts/build-public.ts), with the deployment's public
 * numbers, so both paths look alike. No framework and no web fonts: one small inline style sheet and one shared
 * script, `/assets/public.js`, that only improves what already works without it.
 *
 * Writing direction: Arabic and Sorani pages are right-to-left. Everything a person must copy exactly (the
 * reference, the secret, phone numbers and their examples) is isolated left-to-right and written in Western
 * digits, as a keypad shows them; counts and dates are in the language's own digits.
 */

/** The form's fields, in the order the form shows them (the error summary and the kept values follow it). */
export const FORM_FIELDS = [
  'about',
  'description',
  'governorate',
  'district',
  'name',
  'phone',
  'consent',
  'populationGroup',
  'sex',
  'ageBand',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** What a re-rendered form shows: the values the person sent and the fields that need another look. */
export interface FormState {
  values?: Partial<Record<FormField, string>>;
  /** The fields to mark; each gets its own message beside it. */
  errors?: readonly FormField[];
  /** A message for the whole form (a rejected or too large submission). */
  message?: string;
}

export interface StatusView {
  reference: string;
  status: (typeof STATUS_CHOICES)[number];
  receivedAt: string;
  updatedAt: string;
  /** The reply the platform promised, while the case is open and its clock counts working days. */
  reply?: ReplyPromise;
}

/** What every page needs from the deployment. */
export interface SiteOptions {
  numbers: PublicNumbers;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escapes text for HTML element content and quoted attribute values. */
export const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Fills `{name}` placeholders of a plain-text template. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/** Fills a template as HTML: its own words escaped, the values inserted as the markup they are. */
const fillHtml = (template: string, html: Record<string, string>): string =>
  template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name !== undefined && html[name] !== undefined ? html[name] : esc(part);
    })
    .join('');

/** Left-to-right inside any page: markup for HTML, Unicode isolates for text the script sets. */
const ltrHtml = (text: string): string => `<bdi dir="ltr">${esc(text)}</bdi>`;
const ltrText = (text: string): string => `\u2066${text}\u2069`;

/** Examples in hints and error messages: a mobile number of the region the language is spoken in. */
const PHONE_EXAMPLE: Readonly<Record<PublicLanguage, string>> = {
  ar: '0770 123 4567',
  ckb: '0750 123 4567',
  kmr: '0750 123 4567',
  'kmr-arab': '0750 123 4567',
  en: '0770 123 4567',
};
export const REFERENCE_EXAMPLE = 'K7MQ-4XZ9';
export const SECRET_EXAMPLE = '7KQM-2XZP-9HTR';
export const DESCRIPTION_MAX = 5000;

/**
 * The `lang` attribute for a page language. Kurmanji is `ku`: the BCP 47 tag browsers, screen readers and
 * spell-checkers know for Kurdish in Latin script (CLDR's `ku` is Kurmanji), and Badini in Arabic script
 * `ku-Arab`; the others are their own tags.
 */
export const htmlLang = (lang: PublicLanguage): string =>
  lang === 'kmr' ? 'ku' : lang === 'kmr-arab' ? 'ku-Arab' : lang;
const dirOf = (lang: PublicLanguage): 'rtl' | 'ltr' => (RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr');

/** Where each page lives: `/<lang>/` and `/<lang>/status.html`. */
export const formPath = (lang: PublicLanguage): string => `/${lang}/`;
export const statusPath = (lang: PublicLanguage): string => `/${lang}/status.html`;
/**
 * The status page opened for one reference: rendered by the server, so the reference is filled in with or
 * without JavaScript. The secret is never put in a link.
 */
export const statusLink = (lang: PublicLanguage, reference: string): string =>
  `/api/public/complaints/status?lang=${lang}&reference=${encodeURIComponent(reference)}`;

export const PUBLIC_CSS = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:1.125rem/1.5 system-ui,-apple-system,"Segoe UI",Tahoma,"Noto Sans Arabic",Arial,sans-serif;color:#1b1b1b;background:#f6f6f3;overflow-wrap:break-word}',
  'header{background:#0b4f6c;color:#fff;padding:.5rem 1rem}',
  'header a{color:#fff}',
  '.site{font-weight:700;text-decoration:none;display:inline-block;padding:.6rem 0;min-height:44px}',
  'nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0 1rem}',
  'nav a{display:inline-block;padding:.6rem .2rem;min-height:44px}',
  'nav a[aria-current]{font-weight:700;text-decoration:none;border-bottom:3px solid #fff}',
  'main{max-width:40rem;margin:0 auto;padding:.5rem 1rem 2rem}',
  'h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .5rem}',
  'h2{font-size:1.3rem;line-height:1.3}',
  'label,legend{display:block;font-weight:700;margin:1.1rem 0 .3rem}',
  'legend{margin:0;padding:0 .3rem}',
  '.hint{display:block;color:#474747;font-size:1rem;margin:0 0 .4rem}',
  '.opt{font-weight:400;color:#474747}',
  'input,select,textarea,button{font:inherit;max-width:100%}',
  'input[type=text],input[type=tel],select,textarea{display:block;width:100%;padding:.6rem;border:2px solid #5a5a5a;border-radius:6px;background:#fff;color:#1b1b1b;min-height:48px}',
  'textarea{min-height:9rem;resize:vertical}',
  'fieldset{border:1px solid #b1b1b1;border-radius:8px;margin:1.5rem 0 0;padding:.6rem 1rem 1rem;min-width:0}',
  '.check{display:flex;gap:.7rem;align-items:flex-start;font-weight:400;min-height:44px;padding:.4rem 0}',
  '.check input{width:1.6rem;height:1.6rem;flex:none;margin:.1rem 0 0}',
  'button,.button{display:inline-block;background:#0b4f6c;color:#fff;border:0;border-radius:6px;padding:.75rem 1.6rem;min-height:48px;font-weight:700;cursor:pointer;text-decoration:none;margin-top:1.2rem}',
  'button[disabled]{background:#5a5a5a}',
  // Links that stand alone (not inside a sentence) get a whole finger's height.
  '.links a,.contact a{display:inline-block;min-height:44px;padding:.55rem 0}',
  '.links{margin:1rem 0}',
  '.links p{margin:.2rem 0}',
  ':focus-visible{outline:3px solid #b34700;outline-offset:2px}',
  '.error{display:block;color:#a10019;font-weight:700;margin:.2rem 0}',
  'input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a10019;border-width:3px}',
  '.alert{border:3px solid #a10019;background:#fff;padding:.75rem 1rem;border-radius:8px;margin:1rem 0}',
  '.alert p{margin:0}',
  '.alert ul{margin:.4rem 0 0;padding-inline-start:1.2rem}',
  '.alert a{color:#a10019;font-weight:700;display:inline-block;min-height:44px;padding:.55rem 0}',
  '.box{background:#fff;border:1px solid #b1b1b1;border-radius:8px;padding:.5rem 1rem 1rem;margin:1rem 0}',
  // A code sits on one line whatever the screen: no wrapping inside it, and a size that fits a 360 px phone.
  '.codeline{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.3rem 0 1rem}',
  '.code{display:inline-block;white-space:nowrap;direction:ltr;unicode-bidi:isolate;font:700 1.4rem/1.3 ui-monospace,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:min(1.5rem,6.2vw);letter-spacing:.1em;background:#fff;border:2px dashed #0b4f6c;border-radius:6px;padding:.3rem .6rem;user-select:all}',
  '.copy{background:#fff;color:#0b4f6c;border:2px solid #0b4f6c;padding:.4rem 1rem;margin:0}',
  '.ltr{direction:ltr;unicode-bidi:isolate}',
  // Left-to-right text in a right-to-left page still lines up with the page's other fields.
  '[dir=rtl] input.ltr{text-align:end}',
  // The bot trap is moved off the start edge: in a right-to-left page that is the right, where nothing scrolls.
  // A physical `left` there made Arabic and Sorani pages 10,000 px wide on phones.
  '.hp{position:absolute;inset-inline-start:-9999px;top:auto;width:1px;height:1px;overflow:hidden}',
  'footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;font-size:1rem}',
  '.contact h2{font-size:1.125rem;margin:1rem 0 .2rem}',
  '.contact ul{list-style:none;margin:0;padding:0}',
  '.contact li{margin:.2rem 0;display:flex;flex-wrap:wrap;align-items:center;gap:0 .5rem}',
  '.contact bdi{font-weight:700;white-space:nowrap}',
  // Last, so that it wins over every display rule of the same weight above (no !important needed).
  '[hidden]{display:none}',
].join('');

/** The weekday names a working week runs between, when the calendar's days are one unbroken run. */
function workingWeek(
  lang: PublicLanguage,
  days: readonly number[],
): { from: string; to: string } | undefined {
  const sorted = [...days].sort((a, b) => a - b);
  if (!sorted.length || sorted.some((d, i) => i > 0 && d !== (sorted[i - 1] ?? d) + 1)) return undefined;
  // 4 January 2026 was a Sunday: day 0 of the calendar's week.
  const name = (day: number) =>
    new Intl.DateTimeFormat(NUMBER_LOCALE[displayLanguage(lang)], {
      weekday: 'long',
      timeZone: 'UTC',
    }).format(Date.UTC(2026, 0, 4 + day));
  return { from: name(sorted[0] ?? 0), to: name(sorted.at(-1) ?? 0) };
}

/** A day as a person reads it in their language: weekday and date, in the language's digits, Baghdad time. */
export function formatDay(lang: PublicLanguage, iso: string): string {
  const locale = NUMBER_LOCALE[displayLanguage(lang)];
  const at = new Date(iso);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'Asia/Baghdad' }).format(at);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Baghdad' }).format(at);
  return `${weekday}${RTL_LANGUAGES.has(lang) ? '، ' : ', '}${date}`;
}

/** A moment (received, last update): date and time, Baghdad time. */
export function formatDateTime(lang: PublicLanguage, iso: string): string {
  return new Intl.DateTimeFormat(NUMBER_LOCALE[displayLanguage(lang)], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Baghdad',
  }).format(new Date(iso));
}

const daysText = (lang: PublicLanguage, n: number): string =>
  plural(displayLanguage(lang), n, PUBLIC_STRINGS[lang].workingDays);

/** The confirmation's promise: within N working days, by a date. */
export const replyByText = (lang: PublicLanguage, reply: ReplyPromise): string =>
  fill(PUBLIC_STRINGS[lang].replyBy, {
    days: daysText(lang, reply.workingDays),
    date: formatDay(lang, reply.by),
  });

/** The status page's promise for an open case. */
export const replyDueText = (lang: PublicLanguage, reply: ReplyPromise): string =>
  fill(PUBLIC_STRINGS[lang].replyDue, {
    days: daysText(lang, reply.workingDays),
    date: formatDay(lang, reply.by),
  });

/** The form's promise, from the built-in policy for a complaint, and what counts as a working day. */
function formPromise(lang: PublicLanguage): string {
  const s = PUBLIC_STRINGS[lang];
  const days = formPromiseDays();
  if (days === undefined) return '';
  const week = workingWeek(lang, IRAQ_CALENDAR.workingDays);
  const sentences = [fill(s.replyWithin, { days: daysText(lang, days) })];
  if (week) sentences.push(fill(s.workingWeek, week));
  return `<p id="promise">${esc(sentences.join(' '))}</p>`;
}

/** The message beside a field that needs another look, as HTML (examples isolated left to right). */
function fieldMessageHtml(lang: PublicLanguage, field: FormField): string {
  const s = PUBLIC_STRINGS[lang];
  if (field === 'description')
    return esc(fill(s.errDescription, { max: formatCount(displayLanguage(lang), DESCRIPTION_MAX) }));
  if (field === 'phone') return fillHtml(s.errPhone, { example: ltrHtml(PHONE_EXAMPLE[lang]) });
  if (field === 'governorate' || field === 'district') return esc(s.errPlace);
  return esc(s.errField);
}

/** The same messages as plain text for the page's script, with Unicode isolates instead of markup. */
function scriptStrings(lang: PublicLanguage): Record<string, string> {
  const s = PUBLIC_STRINGS[lang];
  return {
    sending: s.sending,
    submit: s.submit,
    network: s.networkError,
    fix: s.fixErrors,
    description: fill(s.errDescription, { max: formatCount(displayLanguage(lang), DESCRIPTION_MAX) }),
    phone: fill(s.errPhone, { example: ltrText(PHONE_EXAMPLE[lang]) }),
    place: s.errPlace,
    field: s.errField,
    reference: fill(s.errReference, { example: ltrText(REFERENCE_EXAMPLE) }),
    secret: fill(s.errSecret, { example: ltrText(SECRET_EXAMPLE) }),
    rejected: s.rejected,
    tooLarge: s.tooLarge,
    tooMany: s.tooMany,
    notFound: s.notFound,
    statusLabel: s.statusLabel,
    referenceLabel: s.referenceLabel,
    receivedLabel: s.receivedLabel,
    updatedLabel: s.updatedLabel,
    errorTitle: s.errorTitle,
  };
}

const stringsScript = (lang: PublicLanguage): string =>
  `<script type="application/json" id="strings">${JSON.stringify(scriptStrings(lang)).replace(/</g, '\\u003c')}</script>`;

function languageSwitch(lang: PublicLanguage, page: 'form' | 'status'): string {
  const s = PUBLIC_STRINGS[lang];
  const items = PUBLIC_LANGUAGES.map((l) => {
    const href = page === 'form' ? formPath(l) : statusPath(l);
    const current = l === lang ? ' aria-current="page"' : '';
    return `<li><a href="${href}" lang="${htmlLang(l)}" hreflang="${htmlLang(l)}" dir="${dirOf(l)}"${current}>${esc(LANGUAGE_NAMES[l])}</a></li>`;
  }).join('');
  return `<nav aria-label="${esc(s.languageLabel)}"><ul>${items}</ul></nav>`;
}

const CONTACT_TEXT: Readonly<Record<PublicChannel, 'contactSms' | 'contactHotline' | 'contactWhatsapp'>> = {
  sms: 'contactSms',
  hotline: 'contactHotline',
  whatsapp: 'contactWhatsapp',
};

/** The programme's other channels that have a number, each a link; nothing when none has one. */
export function contactBlock(lang: PublicLanguage, numbers: PublicNumbers): string {
  const s = PUBLIC_STRINGS[lang];
  const items = PUBLIC_CHANNELS.flatMap((channel) => {
    const number = numbers[channel];
    if (!number) return [];
    const link = `<a href="${esc(numberHref(channel, number))}" data-channel="${channel}"><bdi dir="ltr">${esc(displayNumber(number))}</bdi></a>`;
    return [`<li><span>${esc(s[CONTACT_TEXT[channel]])}</span> ${link}</li>`];
  });
  if (!items.length) return '';
  return `<section class="contact" aria-labelledby="contact-title"><h2 id="contact-title">${esc(s.contactTitle)}</h2><ul>${items.join('')}</ul></section>`;
}

/** The frame every public page shares: language, direction, header with the language switch, footer. */
export function layout(options: {
  lang: PublicLanguage;
  title: string;
  page: 'form' | 'status';
  main: string;
  site: SiteOptions;
  /** Whether the page shows an error: its title says so first, for screen readers and the tab list. */
  error?: boolean;
  /** Extra markup for <head> (the root page's language redirect hint). */
  head?: string;
}): string {
  const { lang, page } = options;
  const s = PUBLIC_STRINGS[lang];
  const other =
    page === 'form'
      ? `<a href="${statusPath(lang)}">${esc(s.checkStatus)}</a>`
      : `<a href="${formPath(lang)}">${esc(s.sendAnother)}</a>`;
  const title = `${options.error ? `${s.errorTitle}: ` : ''}${options.title} · ${s.siteName}`;
  return [
    // ckb is the BCP 47 tag for Sorani (ISO 639-3), ku-Arab Kurdish in Arabic script; Biome's lang check knows
    // only two-letter codes and countries.
    '<!doctype html>',
    lang === 'ckb'
      ? '<!-- biome-ignore lint/a11y/useValidLang: ckb (Central Kurdish) is valid BCP 47 -->'
      : lang === 'kmr-arab'
        ? '<!-- biome-ignore lint/a11y/useValidLang: ku-Arab (Kurdish in Arabic script) is valid BCP 47 -->'
        : '',
    `<html lang="${htmlLang(lang)}" dir="${dirOf(lang)}" data-lang="${lang}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(title)}</title>`,
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
    `<style>${PUBLIC_CSS}</style>${options.head ?? ''}</head><body>`,
    `<header><a class="site" href="${formPath(lang)}">${esc(s.siteName)}</a>${languageSwitch(lang, page)}</header>`,
    `<main id="main">${options.main}</main>`,
    `<footer><div class="links"><p>${other}</p></div>${contactBlock(lang, options.site.numbers)}</footer>`,
    '<script src="/assets/public.js" defer></script>',
    '</body></html>',
  ].join('');
}

const option = (value: string, label: string, selected: string | undefined): string =>
  `<option value="${esc(value)}"${selected === value ? ' selected' : ''}>${esc(label)}</option>`;

const hasError = (name: FormField, state: FormState): boolean => state.errors?.includes(name) ?? false;

function select(
  lang: PublicLanguage,
  name: FormField,
  label: string,
  choices: readonly (readonly [string, string])[],
  state: FormState,
  blank: string,
): string {
  const s = PUBLIC_STRINGS[lang];
  const value = state.values?.[name];
  return [
    `<label for="${name}">${esc(label)} <span class="opt">${esc(s.optional)}</span></label>`,
    fieldError(lang, name, state),
    `<select id="${name}" name="${name}"${invalid(name, state)}>`,
    option('', blank, value ?? ''),
    ...choices.map(([v, l]) => option(v, l, value)),
    '</select>',
  ].join('');
}

/** The message slot beside a field: filled and shown when the server found a problem, else for the script. */
const fieldError = (lang: PublicLanguage, name: FormField, state: FormState): string => {
  const shown = hasError(name, state);
  return `<span class="error" id="${name}-error"${shown ? '' : ' hidden'}>${shown ? fieldMessageHtml(lang, name) : ''}</span>`;
};

const invalid = (name: FormField, state: FormState, describedBy: string[] = []): string => {
  const bad = hasError(name, state);
  const ids = bad ? [...describedBy, `${name}-error`] : describedBy;
  return `${bad ? ' aria-invalid="true"' : ''}${ids.length ? ` aria-describedby="${ids.join(' ')}"` : ''}`;
};

function sortedByName<T extends { names: DistrictRecord['names'] }>(
  items: readonly T[],
  lang: PublicLanguage,
): T[] {
  const collator = new Intl.Collator(lang === 'kmr' ? 'ku' : displayLanguage(lang));
  return [...items].sort((a, b) =>
    collator.compare(placeName(a, displayLanguage(lang)), placeName(b, displayLanguage(lang))),
  );
}

/** The governorate select, and the district select grouped by governorate (the script shows only one group). */
function placeFields(lang: PublicLanguage, state: FormState, s: PublicStrings): string {
  const g = gazetteer();
  const govs = sortedByName(g.governorates, lang);
  const governorate = select(
    lang,
    'governorate',
    s.governorateLabel,
    govs.map((gv) => [gv.pcode, placeName(gv, displayLanguage(lang))] as const),
    state,
    s.choose,
  );
  const chosen = state.values?.district;
  const groups = govs
    .map((gv) => {
      const options = sortedByName(g.districtsOf(gv.pcode), lang)
        .map((d) => option(d.pcode, placeName(d, displayLanguage(lang)), chosen))
        .join('');
      return `<optgroup label="${esc(placeName(gv, displayLanguage(lang)))}" data-g="${gv.pcode}">${options}</optgroup>`;
    })
    .join('');
  const district = [
    `<label for="district">${esc(s.districtLabel)} <span class="opt">${esc(s.optional)}</span></label>`,
    fieldError(lang, 'district', state),
    `<select id="district" name="district"${invalid('district', state)}>`,
    option('', s.choose, chosen ?? ''),
    groups,
    '</select>',
  ].join('');
  return `<fieldset><legend>${esc(s.placeLegend)} <span class="opt">${esc(s.optional)}</span></legend>${governorate}${district}</fieldset>`;
}

/** One code on a line of its own, with a copy button that the script reveals. */
function codeLine(lang: PublicLanguage, id: string, value: string): string {
  const s = PUBLIC_STRINGS[lang];
  return [
    `<div class="codeline"><span class="code" id="${id}" dir="ltr" translate="no">${esc(value)}</span>`,
    `<button type="button" class="copy" data-copy="${id}" data-done="${esc(s.copied)}" hidden>${esc(s.copy)}</button></div>`,
  ].join('');
}

/** The reference and secret, large, each on its own line, the promised reply, and the way to the status. */
export function doneBox(
  lang: PublicLanguage,
  reference: string,
  secret: string,
  reply: ReplyPromise | undefined,
): string {
  const s = PUBLIC_STRINGS[lang];
  return [
    '<section class="box" id="done" aria-labelledby="done-title">',
    `<h1 id="done-title" tabindex="-1">${esc(s.doneTitle)}</h1>`,
    `<p>${esc(s.doneIntro)}</p>`,
    `<p id="done-ref-label"><strong>${esc(s.referenceLabel)}</strong></p>`,
    codeLine(lang, 'done-ref', reference),
    `<p id="done-secret-label"><strong>${esc(s.secretLabel)}</strong></p>`,
    codeLine(lang, 'done-secret', secret),
    `<p>${esc(s.doneKeep)}</p>`,
    `<p id="done-reply"${reply ? '' : ' hidden'}>${reply ? esc(replyByText(lang, reply)) : ''}</p>`,
    '<div class="links">',
    `<p><a id="done-status" href="${esc(statusLink(lang, reference))}">${esc(s.statusOfThis)}</a></p>`,
    `<p><a href="${formPath(lang)}">${esc(s.sendAnother)}</a></p>`,
    '</div></section>',
  ].join('');
}

/** The summary at the top of a form with errors: the message, then a link to each field to fix. */
function errorSummary(lang: PublicLanguage, state: FormState, fields: readonly string[]): string {
  const s = PUBLIC_STRINGS[lang];
  const shown = Boolean(state.message || state.errors?.length);
  const links = (state.errors ?? [])
    .filter((f) => fields.includes(f))
    .map((f) => `<li><a href="#${f}">${fieldMessageHtml(lang, f)}</a></li>`)
    .join('');
  return [
    `<div class="alert" id="summary" role="alert" tabindex="-1"${shown ? '' : ' hidden'}>`,
    `<p>${esc(state.message ?? s.fixErrors)}</p>`,
    `<ul id="summary-list"${links ? '' : ' hidden'}>${links}</ul></div>`,
  ].join('');
}

/** The complaint form; with `state`, the form again after a failed submission, values kept, errors beside fields. */
export function formPage(
  lang: PublicLanguage,
  options: SiteOptions & { state?: FormState; root?: boolean },
): string {
  const s = PUBLIC_STRINGS[lang];
  const state = options.state ?? {};
  const v = state.values ?? {};
  const hasErrors = Boolean(state.message || state.errors?.length);
  const main = [
    `<h1>${esc(s.formTitle)}</h1>`,
    `<p>${esc(s.formIntro)}</p>`,
    formPromise(lang),
    errorSummary(lang, state, FORM_FIELDS),
    '<form id="complaint" method="post" action="/api/public/complaints" accept-charset="utf-8">',
    `<input type="hidden" name="language" value="${lang}"><input type="hidden" name="token" value="">`,
    `<div class="hp" aria-hidden="true"><label for="website">${esc(s.honeypotLabel)}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>`,
    select(
      lang,
      'about',
      s.aboutLabel,
      ABOUT_CHOICES.map((c) => [c, s.about[c]] as const),
      state,
      s.aboutNotSure,
    ),
    `<label for="description">${esc(s.descriptionLabel)}</label>`,
    `<span class="hint" id="description-hint">${esc(fill(s.descriptionHint, { max: formatCount(displayLanguage(lang), DESCRIPTION_MAX) }))}</span>`,
    fieldError(lang, 'description', state),
    // No `required`: the browser's own bubble would speak the phone's language, not the page's.
    `<textarea id="description" name="description" aria-required="true" maxlength="${DESCRIPTION_MAX}" rows="6"${invalid('description', state, ['description-hint'])}>${esc(v.description ?? '')}</textarea>`,
    placeFields(lang, state, s),
    `<fieldset><legend>${esc(s.contactLegend)}</legend><span class="hint" id="contact-hint">${esc(s.contactHint)}</span>`,
    `<label for="name">${esc(s.nameLabel)}</label>${fieldError(lang, 'name', state)}`,
    `<input type="text" id="name" name="name" autocomplete="name" maxlength="200" value="${esc(v.name ?? '')}"${invalid('name', state, ['contact-hint'])}>`,
    `<label for="phone">${esc(s.phoneLabel)}</label><span class="hint" id="phone-hint">${fillHtml(s.phoneHint, { example: ltrHtml(PHONE_EXAMPLE[lang]) })}</span>${fieldError(lang, 'phone', state)}`,
    `<input type="tel" id="phone" name="phone" class="ltr" dir="ltr" inputmode="tel" autocomplete="tel" maxlength="32" value="${esc(v.phone ?? '')}"${invalid('phone', state, ['phone-hint'])}>`,
    `<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="yes"${v.consent ? ' checked' : ''}><span>${esc(s.consentLabel)}</span></label>`,
    '</fieldset>',
    `<fieldset><legend>${esc(s.youLegend)} <span class="opt">${esc(s.optional)}</span></legend>`,
    select(
      lang,
      'populationGroup',
      s.populationLabel,
      POPULATION_CHOICES.map((c) => [c, s.population[c]] as const),
      state,
      s.choose,
    ),
    select(
      lang,
      'sex',
      s.sexLabel,
      SEX_CHOICES.map((c) => [c, s.sex[c]] as const),
      state,
      s.choose,
    ),
    select(
      lang,
      'ageBand',
      s.ageLabel,
      AGE_CHOICES.map((c) => [c, s.age[c]] as const),
      state,
      s.choose,
    ),
    '</fieldset>',
    `<p>${esc(s.privacyNote)}</p>`,
    `<button type="submit" id="send">${esc(s.submit)}</button>`,
    '</form>',
    `<template id="done-template">${doneBox(lang, '', '', undefined)}</template>`,
    stringsScript(lang),
  ].join('');
  // The root page (`/`) is the English form; with JavaScript it moves a first-time visitor to their own language.
  const head = options.root ? '<meta name="cfm-root" content="1">' : '';
  return layout({ lang, title: s.formTitle, page: 'form', main, head, site: options, error: hasErrors });
}

/** What the server answers a browser after a successful form post without JavaScript. */
export function resultPage(
  lang: PublicLanguage,
  options: SiteOptions & { reference: string; secret: string; reply?: ReplyPromise },
): string {
  return layout({
    lang,
    title: PUBLIC_STRINGS[lang].doneTitle,
    page: 'form',
    main: doneBox(lang, options.reference, options.secret, options.reply),
    site: options,
  });
}

/** The status of one case, in words a complainant understands; no personal data and no narrative. */
export function statusBox(lang: PublicLanguage, view: StatusView): string {
  const s = PUBLIC_STRINGS[lang];
  return [
    '<section class="box" id="status-result" aria-labelledby="status-title">',
    `<h2 id="status-title" tabindex="-1">${esc(s.statusLabel)}: ${esc(s.statusNames[view.status])}</h2>`,
    `<p>${esc(s.statusExplain[view.status])}</p>`,
    view.reply ? `<p id="status-reply">${esc(replyDueText(lang, view.reply))}</p>` : '',
    `<p>${esc(s.referenceLabel)}: ${ltrHtml(view.reference)}</p>`,
    `<p>${esc(s.receivedLabel)}: ${esc(formatDateTime(lang, view.receivedAt))}</p>`,
    `<p>${esc(s.updatedLabel)}: ${esc(formatDateTime(lang, view.updatedAt))}</p>`,
    '</section>',
  ].join('');
}

export type StatusField = 'reference' | 'secret';

function statusFieldMessageHtml(lang: PublicLanguage, field: StatusField): string {
  const s = PUBLIC_STRINGS[lang];
  return field === 'reference'
    ? fillHtml(s.errReference, { example: ltrHtml(REFERENCE_EXAMPLE) })
    : fillHtml(s.errSecret, { example: ltrHtml(SECRET_EXAMPLE) });
}

/**
 * The status lookup page. With a view, the answer to a lookup; with `notFound`, the one answer for an unknown
 * reference and a wrong secret alike; with `errors`, the fields that cannot be a reference or a secret; with
 * `message`, a look-up refused as a whole; with only `reference`, the page opened from a confirmation, the
 * reference filled in. The secret is never written back into the page.
 */
export function statusPage(
  lang: PublicLanguage,
  options: SiteOptions & {
    view?: StatusView;
    notFound?: boolean;
    reference?: string;
    errors?: readonly StatusField[];
    /** A message for the whole look-up (too many requests, a fault on our side). */
    message?: string;
  },
): string {
  const s = PUBLIC_STRINGS[lang];
  const errors = options.errors ?? [];
  const bad = (f: StatusField) => errors.includes(f);
  const fieldError = (f: StatusField) =>
    `<span class="error" id="${f}-error"${bad(f) ? '' : ' hidden'}>${bad(f) ? statusFieldMessageHtml(lang, f) : ''}</span>`;
  const described = (f: StatusField) => (bad(f) ? ` aria-invalid="true" aria-describedby="${f}-error"` : '');
  const summaryLinks = errors
    .map((f) => `<li><a href="#${f}">${statusFieldMessageHtml(lang, f)}</a></li>`)
    .join('');
  const alert = [
    `<div class="alert" id="not-found" role="alert" tabindex="-1"${options.notFound || options.message || errors.length ? '' : ' hidden'}>`,
    `<p>${esc(options.message ?? (errors.length ? s.fixErrors : s.notFound))}</p>`,
    `<ul id="summary-list"${summaryLinks ? '' : ' hidden'}>${summaryLinks}</ul></div>`,
  ].join('');
  const main = [
    `<h1>${esc(s.statusTitle)}</h1>`,
    `<p>${esc(s.statusIntro)}</p>`,
    alert,
    // A post: the secret goes in the body, never in a URL (history, proxy and CDN logs, Referer headers).
    '<form id="lookup" method="post" action="/api/public/complaints/status" accept-charset="utf-8">',
    `<input type="hidden" name="lang" value="${lang}">`,
    `<label for="reference">${esc(s.referenceLabel)}</label>`,
    fieldError('reference'),
    `<input type="text" id="reference" name="reference" class="ltr" dir="ltr" aria-required="true" maxlength="20" autocomplete="off" autocapitalize="characters" spellcheck="false" value="${esc(options.reference ?? '')}"${described('reference')}>`,
    `<label for="secret">${esc(s.secretLabel)}</label>`,
    fieldError('secret'),
    `<input type="text" id="secret" name="secret" class="ltr" dir="ltr" aria-required="true" maxlength="24" autocomplete="off" autocapitalize="characters" spellcheck="false"${described('secret')}>`,
    `<button type="submit">${esc(s.statusButton)}</button>`,
    '</form>',
    `<div id="lookup-result" aria-live="polite">${options.view ? statusBox(lang, options.view) : ''}</div>`,
    stringsScript(lang),
  ].join('');
  return layout({
    lang,
    title: s.statusTitle,
    page: 'status',
    main,
    site: options,
    error: Boolean(options.notFound || options.message || errors.length),
  });
}

/** A page with one message and a way back (a rejected submission, an oversized body, too many requests). */
export function messagePage(lang: PublicLanguage, message: string, site: SiteOptions): string {
  const s = PUBLIC_STRINGS[lang];
  const main = `<h1>${esc(s.siteName)}</h1><div class="alert" role="alert"><p>${esc(message)}</p></div><div class="links"><p><a href="${formPath(lang)}">${esc(s.goBack)}</a></p></div>`;
  return layout({ lang, title: message, page: 'form', main, site, error: true });
}
