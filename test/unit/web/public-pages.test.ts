import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formPage, statusPage } from '#functions/public-complaints/pages.ts';
import {
  deriveSecret,
  normaliseSecret,
  normaliseTypedReference,
} from '#functions/public-complaints/secret.ts';
import {
  languageFromAcceptLanguage,
  PUBLIC_LANGUAGES,
  PUBLIC_STRINGS,
} from '#functions/public-complaints/strings.ts';
import { gazetteer } from '#shared/gazetteer/gazetteer.ts';
import { makePersonalDataProtector } from '#shared/privacy/personal-data.ts';
import { PUBLIC_DIR, publicPages } from '../../../web/scripts/build-public.ts';
import { publicFirstLoad } from '../../../web/scripts/sizes.ts';

const leaves = (value: unknown, path = ''): [string, unknown][] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
    : [[path, value]];

const ARABIC_SCRIPT = /[\u0600-\u06ff]/;

describe('public strings', () => {
  const english = new Map(leaves(PUBLIC_STRINGS.en));

  it.each(PUBLIC_LANGUAGES)('%s has every string English has, none empty', (lang) => {
    const table = new Map(leaves(PUBLIC_STRINGS[lang]));
    expect([...table.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, value] of table) {
      expect(typeof value, key).toBe('string');
      expect(String(value).trim(), key).not.toBe('');
    }
  });

  it.each(['ar', 'ckb'] as const)('%s is written in Arabic script throughout', (lang) => {
    for (const [key, value] of leaves(PUBLIC_STRINGS[lang])) {
      // Age bands are digits only in some languages; everything with letters must use Arabic letters.
      if (/[A-Za-z]/.test(String(value))) expect.fail(`${lang}.${key} has Latin letters: ${String(value)}`);
      if (!/^[\d\s()+-]+$/.test(String(value))) expect(String(value), key).toMatch(ARABIC_SCRIPT);
    }
  });

  it('Kurmanji is translated, not English left in place', () => {
    const same = leaves(PUBLIC_STRINGS.kmr).filter(
      ([k, v]) => english.get(k) === v && !/^[\d\s+()-]+$/.test(String(v)),
    );
    expect(same).toEqual([]);
  });

  it('picks the page language from Accept-Language', () => {
    expect(languageFromAcceptLanguage('ar-IQ,ar;q=0.9,en;q=0.8')).toBe('ar');
    expect(languageFromAcceptLanguage('fr-FR, ckb;q=0.7, en;q=0.5')).toBe('ckb');
    expect(languageFromAcceptLanguage('ku-Arab')).toBe('ckb');
    expect(languageFromAcceptLanguage('ku')).toBe('kmr');
    expect(languageFromAcceptLanguage('en;q=0.2, kmr;q=0.9')).toBe('kmr');
    expect(languageFromAcceptLanguage('de, fr')).toBe('en');
    expect(languageFromAcceptLanguage(undefined)).toBe('en');
  });
});

describe('lookup secrets', () => {
  const protector = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });

  it('derives three groups of four symbols from the reference alphabet, the same for the same key', () => {
    const a = deriveSecret(protector, 'web:token-1');
    expect(a).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(deriveSecret(protector, 'web:token-1')).toBe(a);
    expect(deriveSecret(protector, 'web:token-2')).not.toBe(a);
    const other = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });
    expect(deriveSecret(other, 'web:token-1')).not.toBe(a);
  });

  it('reads secrets and references typed loosely', () => {
    expect(normaliseSecret('k7mq 2xzp 9htr')).toBe('K7MQ-2XZP-9HTR');
    expect(normaliseSecret('K7MQ-2XZP-9HT')).toBeUndefined();
    expect(normaliseSecret('K7MQ-2XZP-9HT0')).toBeUndefined();
    expect(normaliseTypedReference('k٧mq٤xz٩')).toBe('K7MQ-4XZ9');
    expect(normaliseTypedReference('K7MQ 4XZ9')).toBe('K7MQ-4XZ9');
    expect(normaliseTypedReference('K7MQ-4XZ')).toBeUndefined();
  });
});

describe('public pages', () => {
  const pages = publicPages();

  it('are committed exactly as the generator writes them (run web/scripts/build-public.ts)', () => {
    for (const [path, html] of Object.entries(pages)) {
      expect(readFileSync(join(PUBLIC_DIR, path), 'utf8'), path).toBe(`${html}\n`);
    }
  });

  it('exist for every language, right-to-left for Arabic and Sorani', () => {
    for (const lang of PUBLIC_LANGUAGES) {
      const dir = lang === 'ar' || lang === 'ckb' ? 'rtl' : 'ltr';
      const tag = lang === 'kmr' ? 'ku' : lang;
      expect(pages[`${lang}/index.html`]).toContain(`<html lang="${tag}" dir="${dir}" data-lang="${lang}">`);
      expect(pages[`${lang}/status.html`]).toContain(`<html lang="${tag}" dir="${dir}" data-lang="${lang}">`);
    }
  });

  it('post the form to the API without JavaScript, with a visible link to every language', () => {
    const html = pages['ar/index.html'] ?? '';
    expect(html).toContain('<form id="complaint" method="post" action="/api/public/complaints"');
    for (const lang of PUBLIC_LANGUAGES)
      expect(html).toContain(`href="/${lang}/" lang="${lang === 'kmr' ? 'ku' : lang}"`);
    expect(pages['en/status.html']).toContain('action="/api/public/complaints/status"');
  });

  it('label every visible control', () => {
    for (const html of [formPage('ckb'), statusPage('kmr')]) {
      const controls = [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
        .map((m) => m[2] ?? '')
        .filter((attrs) => !/type="hidden"/.test(attrs));
      expect(controls.length).toBeGreaterThanOrEqual(2);
      for (const attrs of controls) {
        const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
        expect(id, attrs).toBeDefined();
        expect(new RegExp(`<label[^>]*\\bfor="${id}"`).test(html), `label for ${id}`).toBe(true);
      }
    }
  });

  it('list the 18 governorates and every district, named in the page language', () => {
    const html = pages['ar/index.html'] ?? '';
    const g = gazetteer();
    expect(g.governorates).toHaveLength(18);
    for (const gov of g.governorates)
      expect(html).toContain(`<option value="${gov.pcode}">${gov.names.ar}</option>`);
    for (const d of g.districts) expect(html).toContain(`<option value="${d.pcode}">`);
    expect(pages['en/index.html']).toContain('<option value="IQG11">Erbil</option>');
  });

  it('keep the first load under 50 KB uncompressed (HTML, inline CSS and the script)', () => {
    for (const path of Object.keys(pages)) {
      const { bytes } = publicFirstLoad(path);
      expect(bytes, path).toBeLessThan(50 * 1024);
    }
  });
});
