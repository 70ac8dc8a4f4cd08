import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/stack.ts';
import { api, baseUrl, settle, tokenFor } from '../../support/http.ts';
import { desk, launchChromium, phone, shot } from './chromium.ts';
import { plainWith } from './plain-words.ts';

/**
 * The complainant's side of the web, as people use it: a cheap phone (360×740, touch) in Arabic, Sorani,
 * Kurmanji (in Latin letters and, as Badini is written in Duhok, in Arabic script) and English, with JavaScript on and off, and a desk in English. Each run taps and types into the form,
 * sends it, reads the two codes off the confirmation, opens the status page from the confirmation's link and
 * checks the case. The layout is measured on every screen: nothing wider than the phone, every control big
 * enough for a finger, no text small enough for the phone to zoom in, each code on one line.
 */

type Lang = 'ar' | 'ckb' | 'kmr' | 'kmr-arab' | 'en';
const LANGS: readonly Lang[] = ['ar', 'ckb', 'kmr', 'kmr-arab', 'en'];
const REFERENCE = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
const SECRET = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

/** What a person from each language writes, and what the pages must say back to them. */
const PEOPLE: Record<
  Lang,
  {
    words: string;
    name: string;
    dir: 'rtl' | 'ltr';
    received: string;
    /** How the confirmation words the promise (the date is matched, then looked for on the status page). */
    promise: RegExp;
    /** The language the case is recorded in. */
    language: string;
    sms: RegExp;
    hotline: RegExp;
  }
> = {
  ar: {
    words: 'الماء مقطوع في المخيم منذ ثلاثة أيام',
    name: 'ليلى',
    dir: 'rtl',
    received: 'تم الاستلام',
    promise: /^سنرد عليك خلال ٧ أيام عمل، أي بحلول (.+)\.$/,
    language: 'ar',
    sms: /أرسل لنا رسالة نصية/,
    hotline: /اتصل بالخط الساخن/,
  },
  ckb: {
    words: 'ئاو لە کەمپەکە نییە سێ ڕۆژە',
    name: 'ئاڤان',
    dir: 'rtl',
    received: 'وەرگیرا',
    promise: /^لە ماوەی ٧ ڕۆژی کاردا وەڵامت دەدەینەوە، واتە تا (.+)\.$/,
    language: 'ckb',
    sms: /نامەی کورتمان بۆ بنێرە/,
    hotline: /هێڵی گەرم/,
  },
  kmr: {
    words: 'Sê roj in av li kampê tune ye',
    name: 'Rozerin',
    dir: 'ltr',
    received: 'Hat wergirtin',
    promise: /^Em ê di nava 7 rojên kar de bersiva te bidin, heta (.+)\.$/,
    language: 'kmr',
    sms: /Peyameke kurt \(SMS\)/,
    hotline: /xeta germ/,
  },
  // Badini in Arabic script: its own pages, the case recorded as Kurmanji.
  'kmr-arab': {
    words: 'ئاڤ ل کەمپێ نینە ژ سێ رۆژان ڤە',
    name: 'رۆژین',
    dir: 'rtl',
    received: 'هاتە وەرگرتن',
    promise: /^ئەم دێ د ماوێ ٧ رۆژێن کاری دا بەرسڤا تە دەین، هەتا (.+)\.$/,
    language: 'kmr',
    sms: /پەیامەکا کورت \(مەسج\)/,
    hotline: /هێلا گەرم/,
  },
  en: {
    words: 'The water tank in the camp has been empty for three days',
    name: 'Layla',
    dir: 'ltr',
    received: 'Received',
    promise: /^We will reply within 7 working days, by (.+)\.$/,
    language: 'en',
    sms: /Send us an SMS/,
    hotline: /Call the hotline/,
  },
};

interface Layout {
  scrollWidth: number;
  viewport: number;
  /** Controls and links narrower or lower than a fingertip, or outside the screen. */
  small: string[];
  offscreen: string[];
  /** Text that a phone would zoom into (under 16 CSS px). */
  tinyText: string[];
}

/** Measures the page as the person sees it (hidden things and the bot trap left out). */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const shown = (el: Element) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return (
        style.display !== 'none' &&
        style.visibility !== 'hidden' &&
        box.width > 0 &&
        box.height > 0 &&
        !el.closest('[aria-hidden="true"],[hidden],template')
      );
    };
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.textContent ? ` "${el.textContent.trim().slice(0, 24)}"` : ''}`;
    const small: string[] = [];
    const offscreen: string[] = [];
    const controls = [
      ...document.querySelectorAll('input:not([type=hidden]),select,textarea,button,a'),
    ].filter(shown);
    for (const el of controls) {
      const own = el.getBoundingClientRect();
      // A checkbox is tapped through its label, which wraps it.
      const target = (el as HTMLInputElement).type === 'checkbox' ? (el.closest('label') ?? el) : el;
      const box = target.getBoundingClientRect();
      if (box.height < 44 || box.width < 44) small.push(`${describe(el)} ${box.width}×${box.height}`);
      if (own.left < -0.5 || own.right > vw + 0.5)
        offscreen.push(`${describe(el)} ${own.left}..${own.right}`);
    }
    const tinyText: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
      const field = el.matches('input,select,textarea');
      if ((text || field) && shown(el) && Number.parseFloat(getComputedStyle(el).fontSize) < 16)
        tinyText.push(`${describe(el)} ${getComputedStyle(el).fontSize}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport: vw, small, offscreen, tinyText };
  });
}

async function expectFitsScreen(page: Page, where: string): Promise<void> {
  const layout = await measure(page);
  expect(layout.scrollWidth, `${where}: page width`).toBeLessThanOrEqual(layout.viewport);
  expect(layout.offscreen, `${where}: controls off the screen`).toEqual([]);
  expect(layout.small, `${where}: tap targets under 44 px`).toEqual([]);
  expect(layout.tinyText, `${where}: text under 16 px`).toEqual([]);
}

/** A code as the person reads it: its text, on how many lines, in which direction and typeface. */
function readCode(page: Page, id: string) {
  return page.$eval(`#${id}`, (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
      text: el.textContent ?? '',
      lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
      direction: style.direction,
      font: style.fontFamily,
      clipped: el.scrollWidth > el.clientWidth,
      inside: box.left >= 0 && box.right <= window.innerWidth,
    };
  });
}

async function expectCode(page: Page, id: string, pattern: RegExp): Promise<string> {
  const code = await readCode(page, id);
  expect(code.text).toMatch(pattern);
  expect(code.lines, `${id} on one line`).toBe(1);
  expect(code.direction).toBe('ltr');
  expect(code.font).toMatch(/monospace/);
  expect(code.clipped).toBe(false);
  expect(code.inside).toBe(true);
  return code.text;
}

/** Taps a field and types into it, as a thumb and an on-screen keyboard would. */
async function tapAndType(page: Page, selector: string, text: string): Promise<void> {
  await page.tap(selector);
  await page.keyboard.type(text);
}

/** The officer's view of a case, to see that what the person sent is what was stored. */
async function storedCase(reference: string): Promise<Record<string, unknown>> {
  const token = await tokenFor('officer');
  const found = await api('POST', '/api/cases/lookup', { token, json: { reference } });
  const id = (found.json() as { items: { caseId: string }[] }).items[0]?.caseId;
  if (!id) throw new Error(`no case ${reference}`);
  return ((await api('GET', `/api/cases/${id}`, { token })).json() as { case: Record<string, unknown> }).case;
}

let browser: Browser;

describe('the public form on a cheap phone', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of LANGS) {
    for (const js of [true, false]) {
      const run = `public-phone-${lang}-${js ? 'js' : 'nojs'}`;
      it(`${lang}, JavaScript ${js ? 'on' : 'off'}: fills the form by tapping, sends it, keeps the codes, checks the status`, async () => {
        const person = PEOPLE[lang];
        const context = await phone(browser, lang, js);
        const page = await context.newPage();
        const missing: string[] = [];
        page.on('response', (r) => {
          if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`);
        });

        await page.goto(`${baseUrl()}/${lang}/`);
        expect(await page.getAttribute('html', 'dir')).toBe(person.dir);
        await expectFitsScreen(page, 'form');
        // The other channels, with the local stack's numbers, each a link that keeps its digits left to right.
        expect(await page.textContent('footer')).toMatch(person.sms);
        expect(await page.textContent('footer')).toMatch(person.hotline);
        expect(await page.getAttribute('a[data-channel="sms"]', 'href')).toBe('sms:+9647000000000');
        expect(await page.getAttribute('a[data-channel="hotline"]', 'href')).toBe('tel:+9647000000000');
        expect(await page.$('a[data-channel="whatsapp"]')).toBeNull();
        expect(
          await page.$eval('a[data-channel="hotline"] bdi', (el) => getComputedStyle(el).direction),
        ).toBe('ltr');
        await shot(page, `${run}-1-form`);

        const words = plainWith(person.words);
        await page.selectOption('#about', 'complaint');
        await tapAndType(page, '#description', words);
        await page.selectOption('#governorate', 'IQG15');
        await page.selectOption('#district', 'IQG15Q05');
        await tapAndType(page, '#name', person.name);
        await tapAndType(page, '#phone', '0770 555 1234');
        await page.tap('label[for="consent"]');
        expect(await page.isChecked('#consent')).toBe(true);
        await expectFitsScreen(page, 'filled form');
        await shot(page, `${run}-2-filled`);

        const formUrl = page.url();
        await page.tap('#send');
        await page.waitForSelector('#done-ref');
        // With JavaScript the answer appears in place; without, the browser posted the form and got a page.
        expect(page.url()).toBe(js ? formUrl : `${baseUrl()}/api/public/complaints`);
        expect(await page.getAttribute('html', 'dir')).toBe(person.dir);
        await expectFitsScreen(page, 'confirmation');
        const reference = await expectCode(page, 'done-ref', REFERENCE);
        const secret = await expectCode(page, 'done-secret', SECRET);
        const promise = person.promise.exec((await page.textContent('#done-reply')) ?? '');
        expect(promise, 'the promised reply, in working days').not.toBeNull();
        const promisedDay = promise?.[1] ?? '';
        await shot(page, `${run}-3-confirmation`);

        await page.tap('#done-status');
        await page.waitForSelector('#lookup');
        expect(await page.inputValue('#reference')).toBe(reference);
        expect(await page.inputValue('#secret')).toBe('');
        await expectFitsScreen(page, 'status page');
        await shot(page, `${run}-4-status-opened`);

        await tapAndType(page, '#secret', secret.toLowerCase());
        await page.tap('#lookup button[type="submit"]');
        await page.waitForSelector('#status-result');
        expect(await page.textContent('#status-title')).toContain(person.received);
        // The status page names the same day as the confirmation, counted the same way.
        expect(await page.textContent('#status-reply')).toContain(promisedDay);
        expect(await page.textContent('#status-reply')).toMatch(
          /٧ أيام عمل|٧ ڕۆژی کار|7 rojên kar|٧ رۆژێن کاری|7 working days/,
        );
        await expectFitsScreen(page, 'status answer');
        await shot(page, `${run}-5-status`);
        // No missing file (the icon included) on any screen.
        expect(missing).toEqual([]);
        await context.close();

        expect(await storedCase(reference)).toMatchObject({
          channel: 'web',
          language: person.language,
          narrative: words,
          type: 'complaint',
          location: { governorate: 'IQG15', district: 'IQG15Q05' },
          consentToFollowUp: true,
        });
      });
    }
  }

  it('en at a desk: the same journey with a mouse and keyboard, the status once the router has set the clock', async () => {
    const context = await desk(browser, 'en');
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/en/`);
    const layout = await measure(page);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.tinyText).toEqual([]);
    await shot(page, 'public-desk-en-1-form');
    await page.selectOption('#about', 'question');
    await page.click('#description');
    await page.keyboard.type('When is the next distribution of food baskets in the camp?');
    await page.click('#send');
    await page.waitForSelector('#done-ref');
    const reference = await expectCode(page, 'done-ref', REFERENCE);
    const secret = await expectCode(page, 'done-secret', SECRET);
    // A question's policy: three working days.
    expect(await page.textContent('#done-reply')).toMatch(/^We will reply within 3 working days, by .+\.$/);
    await shot(page, 'public-desk-en-2-confirmation');
    await settle();
    await page.click('#done-status');
    await page.fill('#secret', secret);
    await page.click('#lookup button[type="submit"]');
    await page.waitForSelector('#status-result');
    expect(await page.textContent('#status-reply')).toMatch(
      /within 3 working days of receiving your message/,
    );
    expect(await page.textContent('#status-result')).toContain(reference);
    await shot(page, 'public-desk-en-3-status');
    await context.close();
  });
});

describe('the public pages when something is wrong, on a phone', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of LANGS) {
    for (const js of [true, false]) {
      const run = `public-phone-${lang}-${js ? 'js' : 'nojs'}`;
      it(`${lang}, JavaScript ${js ? 'on' : 'off'}: an empty message, a message too long, a reference typed wrong, a wrong secret`, async () => {
        const context = await phone(browser, lang, js);
        const page = await context.newPage();
        const errorWord = { ar: 'خطأ', ckb: 'هەڵە', kmr: 'Çewtî', 'kmr-arab': 'خەلەتی', en: 'Error' }[lang];
        await page.goto(`${baseUrl()}/${lang}/`);

        // Sends without writing anything: told beside the field and at the top, in the page's language.
        await page.tap('#send');
        await page.waitForSelector('#description-error:not([hidden])');
        expect(await page.getAttribute('#description', 'aria-invalid')).toBe('true');
        expect(await page.title()).toMatch(new RegExp(`^${errorWord}: `));
        expect(await page.isVisible('#summary a[href="#description"]')).toBe(true);
        await expectFitsScreen(page, 'missing message');
        await shot(page, `${run}-error-missing`);

        // A browser that ignores maxlength sends 5,001 letters: the server keeps the text and says the limit.
        await page.$eval('#description', (el) => el.removeAttribute('maxlength'));
        await page.fill('#description', 'م'.repeat(5001));
        await page.tap('#send');
        await page.waitForSelector('#description-error:not([hidden])');
        expect(await page.textContent('#description-error')).toMatch(/٥٠٠٠|5000/);
        expect((await page.inputValue('#description')).length).toBe(5001);
        await expectFitsScreen(page, 'message too long');
        await shot(page, `${run}-error-too-long`);

        await page.goto(`${baseUrl()}/${lang}/status.html`);
        await tapAndType(page, '#reference', 'K7MQ-4XZ');
        await tapAndType(page, '#secret', '7KQM-2XZP-9HTR');
        await page.tap('#lookup button[type="submit"]');
        await page.waitForSelector('#reference-error:not([hidden])');
        expect(await page.getAttribute('#reference', 'aria-invalid')).toBe('true');
        // The example in the message reads left to right even in a right-to-left sentence.
        expect(await page.textContent('#reference-error')).toContain('K7MQ-4XZ9');
        await expectFitsScreen(page, 'bad reference');
        await shot(page, `${run}-error-bad-reference`);

        await page.fill('#reference', 'K7MQ-4XZ9');
        await page.fill('#secret', '7KQM-2XZP-9HTR');
        await page.tap('#lookup button[type="submit"]');
        await page.waitForSelector('#not-found:not([hidden])');
        expect(await page.isVisible('#status-result')).toBe(false);
        expect(await page.title()).toMatch(new RegExp(`^${errorWord}: `));
        await expectFitsScreen(page, 'wrong secret');
        await shot(page, `${run}-error-not-found`);
        await context.close();
      });
    }
  }
});

describe('a deployment with other numbers and a tight limit', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    browser = await launchChromium();
    // Another stack, as `npm start` would run with PUBLIC_SMS_NUMBER= (none), a short-code hotline and WhatsApp.
    stack = await startLocalStack({
      workers: false,
      publicNumbers: { hotline: '5040', whatsapp: '+9647503334444' },
      publicRateLimit: { perMinute: 1, burst: 2 },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the hotline and WhatsApp, says nothing of SMS, and answers a third quick post with a page in Arabic', async () => {
    const context = await phone(browser, 'ar', false);
    const page = await context.newPage();
    await page.goto(`${stack.url}/ar/`);
    const footer = (await page.textContent('footer')) ?? '';
    expect(footer).toContain('اتصل بالخط الساخن');
    expect(footer).toContain('راسلنا على واتساب');
    expect(footer).not.toMatch(/رسالة نصية|SMS/);
    expect(await page.getAttribute('a[data-channel="hotline"]', 'href')).toBe('tel:5040');
    expect(await page.getAttribute('a[data-channel="whatsapp"]', 'href')).toBe('https://wa.me/9647503334444');
    expect(await page.textContent('a[data-channel="whatsapp"]')).toBe('+964 750 333 4444');
    await shot(page, 'public-phone-ar-other-numbers');

    // Two posts pass; the third, at once, is refused: a page in Arabic, not a bare error.
    for (let i = 0; i < 3; i++) {
      await page.goto(`${stack.url}/ar/`);
      await tapAndType(page, '#description', `رسالة رقم ${i + 1}`);
      await Promise.all([page.waitForURL('**/api/public/complaints'), page.tap('#send')]);
    }
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.textContent('[role="alert"]')).toContain('رسائل كثيرة من هذا الاتصال');
    // What she wrote is still in the form, to send again in a minute.
    expect(await page.inputValue('#description')).toBe('رسالة رقم 3');
    await expectFitsScreen(page, 'rate limited');
    await shot(page, 'public-phone-ar-nojs-error-rate-limited');
    await context.close();
  });
});
