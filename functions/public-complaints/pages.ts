import type { Language } from '#shared/classification/taxonomy.ts';
import { type DistrictRecord, gazetteer, placeName } from '#shared/gazetteer/gazetteer.ts';
import {
  ABOUT_CHOICES,
  AGE_CHOICES,
  LANGUAGE_NAMES,
  POPULATION_CHOICES,
  PUBLIC_LANGUAGES,
  PUBLIC_STRINGS,
  type PublicStrings,
  RTL_LANGUAGES,
  SEX_CHOICES,
  type STATUS_CHOICES,
} from './strings.ts';

/**
 * The public pages as HTML strings: the complaint form, the status lookup, and the answers the server renders for
 * browsers without JavaScript (the result, the form again with its errors, the status). The static files in
 * web/public are written from these same functions by web/scripts/build-public.ts, so both paths look alike.
 * No framework and no web fonts: one small inline style sheet and one shared script, `/assets/public.js`, that
 * only improves what already works without it.
 */

export type FormField =
  | 'about'
  | 'description'
  | 'governorate'
  | 'district'
  | 'name'
  | 'phone'
  | 'consent'
  | 'populationGroup'
  | 'sex'
  | 'ageBand';

/** What a re-rendered form shows: the values the person sent and the fields that need another look. */
export interface FormState {
  values?: Partial<Record<FormField, string>>;
  errors?: Partial<Record<FormField, string>>;
  /** A message for the whole form (a rejected or too large submission). */
  message?: string;
}

export interface StatusView {
  reference: string;
  status: (typeof STATUS_CHOICES)[number];
  receivedAt: string;
  updatedAt: string;
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

/**
 * The `lang` attribute for a page language. Kurmanji is `ku`: the BCP 47 tag browsers, screen readers and
 * spell-checkers know for Kurdish in Latin script (CLDR's `ku` is Kurmanji); the others are their own tags.
 */
export const htmlLang = (lang: Language): string => (lang === 'kmr' ? 'ku' : lang);

/** Where each page lives: `/<lang>/` and `/<lang>/status.html`. */
export const formPath = (lang: Language): string => `/${lang}/`;
export const statusPath = (lang: Language): string => `/${lang}/status.html`;

export const PUBLIC_CSS = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:1.125rem/1.5 system-ui,-apple-system,"Segoe UI",Tahoma,"Noto Sans Arabic",Arial,sans-serif;color:#1b1b1b;background:#f6f6f3}',
  'header{background:#0b4f6c;color:#fff;padding:.5rem 1rem}',
  'header a{color:#fff}',
  '.site{font-weight:700;text-decoration:none;display:inline-block;padding:.5rem 0}',
  'nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0 1rem}',
  'nav a{display:inline-block;padding:.6rem .2rem;min-height:44px}',
  'nav a[aria-current]{font-weight:700;text-decoration:none;border-bottom:3px solid #fff}',
  'main{max-width:40rem;margin:0 auto;padding:.5rem 1rem 2rem}',
  'h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .5rem}',
  'h2{font-size:1.3rem}',
  'label,legend{display:block;font-weight:700;margin:1.1rem 0 .3rem}',
  'legend{margin:0;padding:0 .3rem}',
  '.hint{display:block;color:#474747;font-size:1rem;margin:0 0 .4rem}',
  '.opt{font-weight:400;color:#474747}',
  'input,select,textarea,button{font:inherit}',
  'input[type=text],input[type=tel],select,textarea{display:block;width:100%;padding:.6rem;border:2px solid #5a5a5a;border-radius:6px;background:#fff;color:#1b1b1b;min-height:48px}',
  'textarea{min-height:9rem;resize:vertical}',
  'fieldset{border:1px solid #b1b1b1;border-radius:8px;margin:1.5rem 0 0;padding:.6rem 1rem 1rem}',
  '.check{display:flex;gap:.7rem;align-items:flex-start;font-weight:400}',
  '.check input{width:1.6rem;height:1.6rem;flex:none;margin:.1rem 0 0}',
  'button,.button{display:inline-block;background:#0b4f6c;color:#fff;border:0;border-radius:6px;padding:.75rem 1.6rem;min-height:48px;font-weight:700;cursor:pointer;text-decoration:none;margin-top:1.2rem}',
  'button[disabled]{background:#5a5a5a}',
  '.copy{background:#fff;color:#0b4f6c;border:2px solid #0b4f6c;padding:.4rem 1rem;margin:0 .5rem}',
  ':focus-visible{outline:3px solid #b34700;outline-offset:2px}',
  '.error{display:block;color:#a10019;font-weight:700;margin:.2rem 0}',
  'input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a10019;border-width:3px}',
  '.alert{border:3px solid #a10019;background:#fff;padding:.75rem 1rem;border-radius:8px;margin:1rem 0}',
  '.box{background:#fff;border:1px solid #b1b1b1;border-radius:8px;padding:.5rem 1rem 1rem;margin:1rem 0}',
  '.code{display:inline-block;direction:ltr;unicode-bidi:isolate;font:700 1.8rem/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.12em;background:#fff;border:2px dashed #0b4f6c;border-radius:6px;padding:.3rem .7rem;user-select:all}',
  '.ltr{direction:ltr;unicode-bidi:isolate}',
  '[dir=rtl] input.ltr{text-align:right}',
  '.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}',
  'footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;font-size:1rem}',
  // Last, so that it wins over every display rule of the same weight above (no !important needed).
  '[hidden]{display:none}',
].join('');

function languageSwitch(lang: Language, page: 'form' | 'status'): string {
  const s = PUBLIC_STRINGS[lang];
  const items = PUBLIC_LANGUAGES.map((l) => {
    const href = page === 'form' ? formPath(l) : statusPath(l);
    const current = l === lang ? ' aria-current="page"' : '';
    return `<li><a href="${href}" lang="${htmlLang(l)}" hreflang="${htmlLang(l)}"${current}>${esc(LANGUAGE_NAMES[l])}</a></li>`;
  }).join('');
  return `<nav aria-label="${esc(s.languageLabel)}"><ul>${items}</ul></nav>`;
}

/** The frame every public page shares: language, direction, header with the language switch, footer. */
export function layout(options: {
  lang: Language;
  title: string;
  page: 'form' | 'status';
  main: string;
  /** Extra markup for <head> (the root page's language redirect hint). */
  head?: string;
}): string {
  const { lang, page } = options;
  const s = PUBLIC_STRINGS[lang];
  const dir = RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
  const other =
    page === 'form'
      ? `<a href="${statusPath(lang)}">${esc(s.checkStatus)}</a>`
      : `<a href="${formPath(lang)}">${esc(s.sendAnother)}</a>`;
  return [
    // ckb is the BCP 47 tag for Sorani (ISO 639-3); Biome's lang check knows only two-letter codes.
    '<!doctype html>',
    lang === 'ckb'
      ? '<!-- biome-ignore lint/a11y/useValidLang: ckb (Central Kurdish) is valid BCP 47 -->'
      : '',
    `<html lang="${htmlLang(lang)}" dir="${dir}" data-lang="${lang}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(options.title)} · ${esc(s.siteName)}</title>`,
    `<style>${PUBLIC_CSS}</style>${options.head ?? ''}</head><body>`,
    `<header><a class="site" href="${formPath(lang)}">${esc(s.siteName)}</a>${languageSwitch(lang, page)}</header>`,
    `<main id="main">${options.main}</main>`,
    `<footer><p>${other}</p><p>${esc(s.otherWays)}</p></footer>`,
    '<script src="/assets/public.js" defer></script>',
    '</body></html>',
  ].join('');
}

const option = (value: string, label: string, selected: string | undefined): string =>
  `<option value="${esc(value)}"${selected === value ? ' selected' : ''}>${esc(label)}</option>`;

function select(
  name: FormField,
  label: string,
  choices: readonly (readonly [string, string])[],
  state: FormState,
  s: PublicStrings,
  blank: string,
): string {
  const value = state.values?.[name];
  return [
    `<label for="${name}">${esc(label)} <span class="opt">${esc(s.optional)}</span></label>`,
    fieldError(name, state),
    `<select id="${name}" name="${name}"${invalid(name, state)}>`,
    option('', blank, value ?? ''),
    ...choices.map(([v, l]) => option(v, l, value)),
    '</select>',
  ].join('');
}

const fieldError = (name: FormField, state: FormState): string => {
  const message = state.errors?.[name];
  return `<span class="error" id="${name}-error"${message ? '' : ' hidden'}>${esc(message ?? '')}</span>`;
};

const invalid = (name: FormField, state: FormState, describedBy: string[] = []): string => {
  const ids = state.errors?.[name] ? [...describedBy, `${name}-error`] : describedBy;
  return `${state.errors?.[name] ? ' aria-invalid="true"' : ''}${ids.length ? ` aria-describedby="${ids.join(' ')}"` : ''}`;
};

function sortedByName<T extends { names: DistrictRecord['names'] }>(
  items: readonly T[],
  lang: Language,
): T[] {
  const collator = new Intl.Collator(lang === 'kmr' ? 'ku' : lang);
  return [...items].sort((a, b) => collator.compare(placeName(a, lang), placeName(b, lang)));
}

/** The governorate select, and the district select grouped by governorate (the script shows only one group). */
function placeFields(lang: Language, state: FormState, s: PublicStrings): string {
  const g = gazetteer();
  const govs = sortedByName(g.governorates, lang);
  const governorate = select(
    'governorate',
    s.governorateLabel,
    govs.map((gv) => [gv.pcode, placeName(gv, lang)] as const),
    state,
    s,
    s.choose,
  );
  const chosen = state.values?.district;
  const groups = govs
    .map((gv) => {
      const options = sortedByName(g.districtsOf(gv.pcode), lang)
        .map((d) => option(d.pcode, placeName(d, lang), chosen))
        .join('');
      return `<optgroup label="${esc(placeName(gv, lang))}" data-g="${gv.pcode}">${options}</optgroup>`;
    })
    .join('');
  const district = [
    `<label for="district">${esc(s.districtLabel)} <span class="opt">${esc(s.optional)}</span></label>`,
    fieldError('district', state),
    `<select id="district" name="district"${invalid('district', state)}>`,
    option('', s.choose, chosen ?? ''),
    groups,
    '</select>',
  ].join('');
  return `<fieldset><legend>${esc(s.placeLegend)} <span class="opt">${esc(s.optional)}</span></legend>${governorate}${district}</fieldset>`;
}

/** The reference and secret, large, each with a copy button that the script reveals. */
export function doneBox(lang: Language, reference: string, secret: string): string {
  const s = PUBLIC_STRINGS[lang];
  const copy = (what: string) =>
    `<button type="button" class="copy" data-copy="${what}" data-done="${esc(s.copied)}" hidden>${esc(s.copy)}</button>`;
  return [
    '<section class="box" id="done" aria-labelledby="done-title">',
    `<h1 id="done-title" tabindex="-1">${esc(s.doneTitle)}</h1>`,
    `<p>${esc(s.doneIntro)}</p>`,
    `<p><strong>${esc(s.referenceLabel)}</strong></p>`,
    `<p><span class="code" id="done-ref">${esc(reference)}</span>${copy('done-ref')}</p>`,
    `<p><strong>${esc(s.secretLabel)}</strong></p>`,
    `<p><span class="code" id="done-secret">${esc(secret)}</span>${copy('done-secret')}</p>`,
    `<p>${esc(s.doneKeep)}</p>`,
    `<p><a id="done-status" href="${statusPath(lang)}?reference=${encodeURIComponent(reference)}">${esc(s.checkStatus)}</a></p>`,
    `<p><a href="${formPath(lang)}">${esc(s.sendAnother)}</a></p>`,
    '</section>',
  ].join('');
}

/** The complaint form; with `state`, the form again after a failed submission, values kept, errors beside fields. */
export function formPage(lang: Language, state: FormState = {}, options: { root?: boolean } = {}): string {
  const s = PUBLIC_STRINGS[lang];
  const v = state.values ?? {};
  const hasErrors = Boolean(state.message || (state.errors && Object.keys(state.errors).length));
  const summary = `<div class="alert" id="summary" role="alert" tabindex="-1"${hasErrors ? '' : ' hidden'}>${esc(state.message ?? s.fixErrors)}</div>`;
  const strings = {
    sending: s.sending,
    submit: s.submit,
    network: s.networkError,
    fix: s.fixErrors,
    description: s.errDescription,
    phone: s.errPhone,
    place: s.errPlace,
    field: s.errField,
    rejected: s.rejected,
    tooLarge: s.tooLarge,
    tooMany: s.tooMany,
  };
  const main = [
    `<h1>${esc(s.formTitle)}</h1>`,
    `<p>${esc(s.formIntro)}</p>`,
    summary,
    '<form id="complaint" method="post" action="/api/public/complaints" accept-charset="utf-8">',
    `<input type="hidden" name="language" value="${lang}"><input type="hidden" name="token" value="">`,
    `<div class="hp" aria-hidden="true"><label for="website">${esc(s.honeypotLabel)}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>`,
    select(
      'about',
      s.aboutLabel,
      ABOUT_CHOICES.map((c) => [c, s.about[c]] as const),
      state,
      s,
      s.aboutNotSure,
    ),
    `<label for="description">${esc(s.descriptionLabel)}</label>`,
    `<span class="hint" id="description-hint">${esc(s.descriptionHint)}</span>`,
    fieldError('description', state),
    `<textarea id="description" name="description" required maxlength="5000" rows="6"${invalid('description', state, ['description-hint'])}>${esc(v.description ?? '')}</textarea>`,
    placeFields(lang, state, s),
    `<fieldset><legend>${esc(s.contactLegend)}</legend><span class="hint" id="contact-hint">${esc(s.contactHint)}</span>`,
    `<label for="name">${esc(s.nameLabel)}</label>${fieldError('name', state)}`,
    `<input type="text" id="name" name="name" autocomplete="name" maxlength="200" value="${esc(v.name ?? '')}"${invalid('name', state, ['contact-hint'])}>`,
    `<label for="phone">${esc(s.phoneLabel)}</label><span class="hint" id="phone-hint">${esc(s.phoneHint)}</span>${fieldError('phone', state)}`,
    `<input type="tel" id="phone" name="phone" class="ltr" dir="ltr" inputmode="tel" autocomplete="tel" maxlength="32" value="${esc(v.phone ?? '')}"${invalid('phone', state, ['phone-hint'])}>`,
    `<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="yes"${v.consent ? ' checked' : ''}><span>${esc(s.consentLabel)}</span></label>`,
    '</fieldset>',
    `<fieldset><legend>${esc(s.youLegend)} <span class="opt">${esc(s.optional)}</span></legend>`,
    select(
      'populationGroup',
      s.populationLabel,
      POPULATION_CHOICES.map((c) => [c, s.population[c]] as const),
      state,
      s,
      s.choose,
    ),
    select(
      'sex',
      s.sexLabel,
      SEX_CHOICES.map((c) => [c, s.sex[c]] as const),
      state,
      s,
      s.choose,
    ),
    select(
      'ageBand',
      s.ageLabel,
      AGE_CHOICES.map((c) => [c, s.age[c]] as const),
      state,
      s,
      s.choose,
    ),
    '</fieldset>',
    `<p>${esc(s.privacyNote)}</p>`,
    `<button type="submit" id="send">${esc(s.submit)}</button>`,
    '</form>',
    `<template id="done-template">${doneBox(lang, '', '')}</template>`,
    `<script type="application/json" id="strings">${JSON.stringify(strings).replace(/</g, '\\u003c')}</script>`,
  ].join('');
  // The root page (`/`) is the English form; with JavaScript it moves a first-time visitor to their own language.
  const head = options.root ? '<meta name="cfm-root" content="1">' : '';
  return layout({ lang, title: s.formTitle, page: 'form', main, head });
}

/** What the server answers a browser after a successful form post without JavaScript. */
export function resultPage(lang: Language, reference: string, secret: string): string {
  return layout({
    lang,
    title: PUBLIC_STRINGS[lang].doneTitle,
    page: 'form',
    main: doneBox(lang, reference, secret),
  });
}

function formatDate(iso: string, lang: Language): string {
  const locale = lang === 'kmr' ? 'ku' : `${lang}-IQ`;
  try {
    return new Intl.DateTimeFormat(locale, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Asia/Baghdad',
    }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
  }
}

/** The status of one case, in words a complainant understands; no personal data and no narrative. */
export function statusBox(lang: Language, view: StatusView): string {
  const s = PUBLIC_STRINGS[lang];
  return [
    '<section class="box" id="status-result" aria-labelledby="status-title">',
    `<h2 id="status-title" tabindex="-1">${esc(s.statusLabel)}: ${esc(s.statusNames[view.status])}</h2>`,
    `<p>${esc(s.statusExplain[view.status])}</p>`,
    `<p>${esc(s.referenceLabel)}: <span class="ltr">${esc(view.reference)}</span></p>`,
    `<p>${esc(s.receivedLabel)}: ${esc(formatDate(view.receivedAt, lang))}</p>`,
    `<p>${esc(s.updatedLabel)}: ${esc(formatDate(view.updatedAt, lang))}</p>`,
    '</section>',
  ].join('');
}

/** The status lookup page; with a view or `notFound`, the server's answer to the no-JavaScript lookup. */
export function statusPage(
  lang: Language,
  answer: { view?: StatusView; notFound?: boolean; reference?: string } = {},
): string {
  const s = PUBLIC_STRINGS[lang];
  const notFound = `<div class="alert" id="not-found" role="alert" tabindex="-1"${answer.notFound ? '' : ' hidden'}>${esc(s.notFound)}</div>`;
  const main = [
    `<h1>${esc(s.statusTitle)}</h1>`,
    `<p>${esc(s.statusIntro)}</p>`,
    notFound,
    '<form id="lookup" method="get" action="/api/public/complaints/status">',
    `<input type="hidden" name="lang" value="${lang}">`,
    `<label for="reference">${esc(s.referenceLabel)}</label>`,
    `<input type="text" id="reference" name="reference" class="ltr" dir="ltr" required maxlength="20" autocomplete="off" autocapitalize="characters" spellcheck="false" value="${esc(answer.reference ?? '')}">`,
    `<label for="secret">${esc(s.secretLabel)}</label>`,
    '<input type="text" id="secret" name="secret" class="ltr" dir="ltr" required maxlength="24" autocomplete="off" autocapitalize="characters" spellcheck="false">',
    `<button type="submit">${esc(s.statusButton)}</button>`,
    '</form>',
    `<div id="lookup-result" aria-live="polite">${answer.view ? statusBox(lang, answer.view) : ''}</div>`,
    `<script type="application/json" id="strings">${JSON.stringify({
      statusLabel: s.statusLabel,
      referenceLabel: s.referenceLabel,
      receivedLabel: s.receivedLabel,
      updatedLabel: s.updatedLabel,
      network: s.networkError,
    }).replace(/</g, '\\u003c')}</script>`,
  ].join('');
  return layout({ lang, title: s.statusTitle, page: 'status', main });
}

/** A page with one message and a way back (a rejected submission, an oversized body, too many requests). */
export function messagePage(lang: Language, message: string): string {
  const s = PUBLIC_STRINGS[lang];
  const main = `<h1>${esc(s.siteName)}</h1><div class="alert" role="alert">${esc(message)}</div><p><a href="${formPath(lang)}">${esc(s.goBack)}</a></p>`;
  return layout({ lang, title: s.siteName, page: 'form', main });
}
