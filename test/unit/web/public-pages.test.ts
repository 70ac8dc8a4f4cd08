import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  displayNumber,
  numberHref,
  PublicNumberConfigError,
  parsePublicNumbers,
  publicNumbersFromEnv,
} from '#functions/public-complaints/contact.ts';
import {
  contactBlock,
  formPage,
  PUBLIC_CSS,
  replyByText,
  replyDueText,
  statusPage,
} from '#functions/public-complaints/pages.ts';
import { formPromiseDays } from '#functions/public-complaints/promise.ts';
import {
  deriveSecret,
  normaliseSecret,
  normaliseTypedReference,
} from '#functions/public-complaints/secret.ts';
import {
  caseLanguage,
  displayLanguage,
  languageFromAcceptLanguage,
  PUBLIC_LANGUAGES,
  PUBLIC_STRINGS,
} from '#functions/public-complaints/strings.ts';
import { gazetteer } from '#shared/gazetteer/gazetteer.ts';
import { LANGUAGE_PLURAL_CATEGORIES } from '#shared/messages/plural.ts';
import { makePersonalDataProtector } from '#shared/privacy/personal-data.ts';
import { publicPageKey, publicPages } from '../../../web/scripts/build-public.ts';
import { publicFirstLoad } from '../../../web/scripts/sizes.ts';

const leaves = (value: unknown, path = ''): [string, unknown][] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
    : [[path, value]];

/** Every string of a table but the plural forms, which each language has in its own number. */
const singular = (lang: (typeof PUBLIC_LANGUAGES)[number]) =>
  leaves(PUBLIC_STRINGS[lang]).filter(([k]) => !k.startsWith('workingDays.'));

const placeholders = (text: unknown) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const ARABIC_SCRIPT = /[\u0600-\u06ff]/;

/** The words a person reads: tags, scripts, styles and attribute values removed, entities decoded. */
const visibleText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<template[\s\S]*?<\/template>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** What each language calls the channels, as the pages would mention them. */
const CHANNEL_WORDS = {
  sms: {
    en: /\bSMS\b/,
    ar: /رسالة نصية/,
    ckb: /نامەی کورت/,
    kmr: /\bSMS\b|peyameke kurt/i,
    'kmr-arab': /پەیامەکا کورت|مەسج/,
  },
  hotline: {
    en: /hotline/i,
    ar: /الخط الساخن/,
    ckb: /هێڵی گەرم/,
    kmr: /xeta germ/i,
    'kmr-arab': /هێلا گەرم/,
  },
  whatsapp: { en: /WhatsApp/i, ar: /واتساب/, ckb: /واتسئاپ/, kmr: /WhatsApp/i, 'kmr-arab': /واتسئاپ/ },
} as const;

const NUMBERS = { sms: '+9647801112222', hotline: '5040', whatsapp: '+9647503334444' };

describe('public strings', () => {
  const english = new Map(singular('en'));

  it.each(PUBLIC_LANGUAGES)(
    '%s has every string English has, none empty, with the same placeholders',
    (lang) => {
      const table = new Map(singular(lang));
      expect([...table.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, value] of table) {
        expect(typeof value, key).toBe('string');
        expect(String(value).trim(), key).not.toBe('');
        expect(placeholders(value), `${lang}.${key}`).toEqual(placeholders(english.get(key)));
      }
    },
  );

  it.each(PUBLIC_LANGUAGES)('%s counts working days in every plural form its language has', (lang) => {
    const forms = PUBLIC_STRINGS[lang].workingDays;
    expect(Object.keys(forms).sort()).toEqual([...LANGUAGE_PLURAL_CATEGORIES[displayLanguage(lang)]].sort());
  });

  it.each(['ar', 'ckb', 'kmr-arab'] as const)(
    '%s is in Arabic script throughout, numbers in Arabic-Indic digits',
    (lang) => {
      for (const [key, value] of leaves(PUBLIC_STRINGS[lang])) {
        // Placeholders are filled in at render time (numbers in the language's digits, codes left to right).
        const words = String(value).replace(/\{\w+\}/g, '');
        if (/[A-Za-z]/.test(words)) expect.fail(`${lang}.${key} has Latin letters: ${String(value)}`);
        if (/[0-9]/.test(words)) expect.fail(`${lang}.${key} has Western digits: ${String(value)}`);
        expect(words, key).toMatch(ARABIC_SCRIPT);
      }
    },
  );

  it('Badini in Arabic script is its own page, recorded as Kurmanji, with Kurdish place names', () => {
    expect(caseLanguage('kmr-arab')).toBe('kmr');
    expect(displayLanguage('kmr-arab')).toBe('ckb');
    const html = formPage('kmr-arab', { numbers: {} });
    expect(html).toContain('<html lang="ku-Arab" dir="rtl" data-lang="kmr-arab">');
    expect(html).toContain('<input type="hidden" name="language" value="kmr-arab">');
    // Duhok governorate by its Kurdish name in Arabic script, not the Latin «Dihok» of the kmr page.
    expect(visibleText(html)).toMatch(/دهۆک/);
    expect(visibleText(formPage('kmr', { numbers: {} }))).not.toMatch(/دهۆک/);
    // Not the Sorani table under another name: the two share a few words («زمان», «تەمەن», «پەنابەر»), no more.
    const sorani = new Map(singular('ckb'));
    const badini = singular('kmr-arab');
    expect(badini.filter(([k, v]) => sorani.get(k) === v).length).toBeLessThan(badini.length / 10);
  });

  it('Kurmanji is translated, not English left in place', () => {
    const same = singular('kmr').filter(([k, v]) => english.get(k) === v && !/^[\d\s+()-]+$/.test(String(v)));
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

describe('public numbers', () => {
  const named = (c: string) => `setting-${c}`;

  it('reads each channel in its stored form and leaves out what is empty', () => {
    expect(parsePublicNumbers({ sms: ' +964 780 111-2222 ', hotline: '5040', whatsapp: '' }, named)).toEqual({
      sms: '+9647801112222',
      hotline: '5040',
    });
    expect(parsePublicNumbers({}, named)).toEqual({});
  });

  it('stops on a number that cannot be dialled, naming the setting', () => {
    expect(() => parsePublicNumbers({ hotline: 'call us' }, named)).toThrow(PublicNumberConfigError);
    expect(() => parsePublicNumbers({ hotline: 'call us' }, named)).toThrow(/^setting-hotline /);
    // WhatsApp has no short codes.
    expect(() => parsePublicNumbers({ whatsapp: '5040' }, named)).toThrow(/setting-whatsapp/);
    expect(() => publicNumbersFromEnv({ PUBLIC_SMS_NUMBER: '+12' })).toThrow(/PUBLIC_SMS_NUMBER/);
  });

  it('reads the environment the Lambda is given', () => {
    expect(
      publicNumbersFromEnv({ PUBLIC_SMS_NUMBER: '+9647801112222', PUBLIC_WHATSAPP_NUMBER: '+9647503334444' }),
    ).toEqual({ sms: '+9647801112222', whatsapp: '+9647503334444' });
  });

  it('groups Iraqi numbers for reading and links each channel to the app that uses it', () => {
    expect(displayNumber('+9647801112222')).toBe('+964 780 111 2222');
    expect(displayNumber('5040')).toBe('5040');
    expect(numberHref('hotline', '5040')).toBe('tel:5040');
    expect(numberHref('sms', '+9647801112222')).toBe('sms:+9647801112222');
    expect(numberHref('whatsapp', '+9647503334444')).toBe('https://wa.me/9647503334444');
  });

  it.each(PUBLIC_LANGUAGES)(
    '%s shows each number left to right, as a link, beside the channel it is for',
    (lang) => {
      const html = contactBlock(lang, NUMBERS);
      expect(html).toContain(
        '<a href="sms:+9647801112222" data-channel="sms"><bdi dir="ltr">+964 780 111 2222</bdi></a>',
      );
      expect(html).toContain('<a href="tel:5040" data-channel="hotline"><bdi dir="ltr">5040</bdi></a>');
      expect(html).toContain(
        '<a href="https://wa.me/9647503334444" data-channel="whatsapp"><bdi dir="ltr">+964 750 333 4444</bdi></a>',
      );
      for (const channel of ['sms', 'hotline', 'whatsapp'] as const)
        expect(visibleText(html)).toMatch(CHANNEL_WORDS[channel][lang]);
    },
  );

  it.each(PUBLIC_LANGUAGES)('%s pages do not mention a channel that has no number', (lang) => {
    const pages = [
      formPage(lang, { numbers: { hotline: '5040' } }),
      statusPage(lang, { numbers: { hotline: '5040' } }),
    ];
    for (const html of pages) {
      const text = visibleText(html);
      expect(text).toMatch(CHANNEL_WORDS.hotline[lang]);
      expect(text).not.toMatch(CHANNEL_WORDS.sms[lang]);
      expect(text).not.toMatch(CHANNEL_WORDS.whatsapp[lang]);
    }
    const none = visibleText(formPage(lang, { numbers: {} }));
    for (const words of Object.values(CHANNEL_WORDS)) expect(none).not.toMatch(words[lang]);
    expect(formPage(lang, { numbers: {} })).not.toContain('class="contact"');
  });
});

describe('the promised reply', () => {
  const reply = { workingDays: 7, by: '2026-12-15T13:00:00.000Z' };

  it('is the built-in complaint policy’s seven working days on the form', () => {
    expect(formPromiseDays()).toBe(7);
  });

  it('is said in working days on the form, the confirmation and the status page, in each language', () => {
    const expected = {
      en: '7 working days',
      ar: '٧ أيام عمل',
      ckb: '٧ ڕۆژی کار',
      kmr: '7 rojên kar',
      'kmr-arab': '٧ رۆژێن کاری',
    } as const;
    for (const lang of PUBLIC_LANGUAGES) {
      const form = visibleText(formPage(lang, { numbers: {} }));
      expect(form, lang).toContain(expected[lang]);
      expect(replyByText(lang, reply), lang).toContain(expected[lang]);
      expect(replyDueText(lang, reply), lang).toContain(expected[lang]);
    }
    expect(replyByText('en', reply)).toBe(
      'We will reply within 7 working days, by Tuesday, 15 December 2026.',
    );
    expect(replyDueText('ar', reply)).toBe(
      'سنرد عليك بحلول الثلاثاء، ١٥ كانون الأول ٢٠٢٦ (أي خلال ٧ أيام عمل من استلام رسالتك).',
    );
  });

  it('takes the Arabic forms for one, two, three and eleven days, never "٣ يوم"', () => {
    const days = (n: number) => replyByText('ar', { workingDays: n, by: reply.by });
    expect(days(1)).toContain('خلال يوم عمل واحد');
    expect(days(2)).toContain('خلال يومَي عمل');
    expect(days(3)).toContain('خلال ٣ أيام عمل');
    expect(days(11)).toContain('خلال ١١ يوم عمل');
    expect(days(3)).not.toMatch(/٣ يوم/);
    expect(replyByText('kmr', { workingDays: 1, by: reply.by })).toContain('1 roja kar');
    expect(replyByText('en', { workingDays: 1, by: reply.by })).toContain('1 working day,');
  });

  it('names the working week on the form in the page language', () => {
    expect(visibleText(formPage('en', { numbers: {} }))).toContain(
      'Working days are Sunday to Thursday; public holidays do not count.',
    );
    expect(visibleText(formPage('ar', { numbers: {} }))).toContain('أيام العمل من الأحد إلى الخميس');
  });
});

describe('public pages', () => {
  const pages = publicPages({ sms: '+9647000000000', hotline: '+9647000000000' });

  it('exist for every language, right-to-left for Arabic and Sorani, with an icon', () => {
    for (const lang of PUBLIC_LANGUAGES) {
      const dir = lang === 'ar' || lang === 'ckb' || lang === 'kmr-arab' ? 'rtl' : 'ltr';
      const tag = lang === 'kmr' ? 'ku' : lang === 'kmr-arab' ? 'ku-Arab' : lang;
      for (const page of [`${lang}/index.html`, `${lang}/status.html`]) {
        expect(pages[page]).toContain(`<html lang="${tag}" dir="${dir}" data-lang="${lang}">`);
        expect(pages[page]).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
      }
    }
  });

  it('are found by the paths a static host serves them at', () => {
    expect(publicPageKey(pages, '/')).toBe('index.html');
    expect(publicPageKey(pages, '/ar/')).toBe('ar/index.html');
    expect(publicPageKey(pages, '/ar')).toBe('ar/index.html');
    expect(publicPageKey(pages, '/complaint')).toBe('complaint.html');
    expect(publicPageKey(pages, '/complaint/')).toBe('complaint.html');
    expect(publicPageKey(pages, '/ckb/status.html')).toBe('ckb/status.html');
    expect(publicPageKey(pages, '/assets/public.js')).toBeUndefined();
  });

  it('post the form to the API without JavaScript, with a visible link to every language in its direction', () => {
    const html = pages['ar/index.html'] ?? '';
    expect(html).toContain('<form id="complaint" method="post" action="/api/public/complaints"');
    for (const lang of PUBLIC_LANGUAGES) {
      const dir = lang === 'ar' || lang === 'ckb' || lang === 'kmr-arab' ? 'rtl' : 'ltr';
      const tag = lang === 'kmr' ? 'ku' : lang === 'kmr-arab' ? 'ku-Arab' : lang;
      expect(html).toContain(`href="/${lang}/" lang="${tag}"`);
      expect(html).toMatch(new RegExp(`href="/${lang}/"[^>]* dir="${dir}"`));
    }
    expect(pages['en/status.html']).toContain('action="/api/public/complaints/status"');
  });

  it('label every visible control', () => {
    for (const html of [formPage('ckb', { numbers: {} }), statusPage('kmr', { numbers: {} })]) {
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

  it.each(['ar', 'ckb'] as const)(
    '%s pages write every number a person reads in Arabic-Indic digits',
    (lang) => {
      for (const page of [`${lang}/index.html`, `${lang}/status.html`]) {
        // Codes, phone numbers and their examples are isolated left to right and keep the keypad's digits.
        const text = visibleText((pages[page] ?? '').replace(/<bdi dir="ltr">[^<]*<\/bdi>/g, ' '));
        expect(text, page).not.toMatch(/[0-9]/);
      }
      // The form's limit, ages and promised days are all written in them.
      const form = visibleText(pages[`${lang}/index.html`] ?? '');
      for (const n of ['٥٠٠٠', '١٨', '٢٤', '٧']) expect(form).toContain(n);
    },
  );

  it('keep the phone example left to right inside right-to-left hints', () => {
    expect(pages['ar/index.html']).toContain('مثلاً <bdi dir="ltr">0770 123 4567</bdi>');
  });

  it('place nothing with a physical left or right offset, which overflows right-to-left pages', () => {
    expect(PUBLIC_CSS).not.toMatch(/(^|[;{])\s*(left|right|margin-left|margin-right|float)\s*:/);
    expect(PUBLIC_CSS).not.toMatch(/(padding|border)-(left|right)\s*:/);
    expect(PUBLIC_CSS).not.toMatch(/text-align:\s*(left|right)/);
    expect(PUBLIC_CSS).toContain('.hp{position:absolute;inset-inline-start:-9999px');
  });

  it('title an error page as one, in its language', () => {
    const html = formPage('ar', { numbers: {}, state: { errors: ['description'] } });
    expect(html).toContain('<title>خطأ: أخبرنا بما حدث · الشكاوى والملاحظات</title>');
    expect(html).toMatch(/<textarea id="description"[^>]*aria-invalid="true"/);
    expect(html).toContain('<li><a href="#description">يرجى كتابة رسالتك (حتى ٥٠٠٠ حرف).</a></li>');
    expect(formPage('ar', { numbers: {} })).toContain('<title>أخبرنا بما حدث · الشكاوى والملاحظات</title>');
  });

  it('keep the first load under 50 KB uncompressed (HTML, inline CSS and the script)', () => {
    for (const path of Object.keys(pages)) {
      const { bytes } = publicFirstLoad(path);
      expect(bytes, path).toBeLessThan(50 * 1024);
    }
  });
});
