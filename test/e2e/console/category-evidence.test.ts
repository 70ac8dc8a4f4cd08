import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO, LOCAL_WHATSAPP } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { baseUrl, settle } from '../../support/http.ts';
import { launchBrowser, REFERENCE, signIn, textOf, type, VARIANTS } from './browser.ts';

/**
 * A water cut in a camp, written in Iraqi Arabic on WhatsApp: the rules read it as "outside the programme" (C10), and the
 * category model, which reads the wording beside the rules, files it under quality and timeliness of aid (C03).
 * The officer opening the case sees the category and, under Evidence, a sentence in her own language saying the
 * category was chosen from the wording, not a code shown as if it were a word of the message, and that the message
 * came on WhatsApp.
 */
const freshNumber = () => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

let browser: Browser;
let reference = '';
beforeAll(async () => {
  browser = await launchBrowser();
  const sms = await sendSms(
    {
      url: baseUrl(),
      publicBaseUrl: baseUrl(),
      authToken: inject('twilioAuthToken'),
      accountSid: LOCAL_TWILIO.accountSid,
    },
    {
      from: freshNumber(),
      to: LOCAL_WHATSAPP.from,
      body: 'مي الشرب بالمخيم في زاخو مقطوعة من ثلث ايام',
      whatsapp: true,
    },
  );
  reference = REFERENCE.exec(sms.twiml)?.[0] ?? '';
  expect(reference).toMatch(REFERENCE);
  await settle();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(VARIANTS)('the category model’s choice on the case ($name)', (variant) => {
  const words = variant.lang === 'ar' ? ar : en;

  it('shows the category and says in words that it was chosen from the wording, and the place from the message', {
    timeout: 120_000,
  }, async () => {
    const officer = await signIn(browser, variant, 'local-officer', 'category-evidence');
    try {
      const page = officer.page;
      await type(officer, '#jump', reference);
      await officer.press('form[role=search] button');
      await page.waitForSelector('#case-reference');
      // How it came in: WhatsApp, not "SMS".
      expect(await textOf(page, '#case-channel dd')).toBe(words.transport_whatsapp);
      const section = page.locator('section[aria-labelledby="class-title"]');
      await section.scrollIntoViewIfNeeded();
      expect(await section.locator('dl.facts').textContent()).toContain(words.category_C03);
      const note = words.evidenceCategoryModel.replace('{value}', words.category_C03);
      expect(await textOf(page, 'ul.evidence')).toContain(note);
      // The words it matched are the message's own, never a code such as "category=C03".
      expect(await section.textContent()).not.toMatch(/category=|C03/);
      // The place the router read from the message ("in Zakho") is said in a sentence, not listed as a word.
      expect(await textOf(page, 'ul.evidence')).toContain(words.evidencePlaceFromText);
      expect(await section.textContent()).not.toMatch(/router|place-from-text/);
      await officer.shot('evidence');
      expect(officer.failures).toEqual([]);
    } finally {
      await officer.context.close();
    }
  });
});
