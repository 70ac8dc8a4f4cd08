/**
 * What every console journey needs: Debian's Chromium through playwright-core, a context per person at desk size
 * in English or at phone size (360×740, touch) in Arabic, signing in by clicking one's name, pressing controls as a
 * person does (a tap on the phone, a click at the desk), waiting on what the page shows, and a screenshot per step.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensureConsoleBuilt } from '../../../web/scripts/sizes.ts';
import { baseUrl } from '../../support/http.ts';

export const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** The two ways a journey is walked. */
export interface Variant {
  name: 'desk-en' | 'phone-ar';
  lang: 'en' | 'ar';
  dir: 'ltr' | 'rtl';
  phone: boolean;
}
export const VARIANTS: readonly Variant[] = [
  { name: 'desk-en', lang: 'en', dir: 'ltr', phone: false },
  { name: 'phone-ar', lang: 'ar', dir: 'rtl', phone: true },
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  ensureConsoleBuilt();
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A person at work: their page, and how they press and fill controls in this variant. */
export interface Person {
  context: BrowserContext;
  page: Page;
  variant: Variant;
  /** Taps on the phone, clicks at the desk; the control is scrolled into view first, as a person would. */
  press(selector: string | Locator): Promise<void>;
  /**
   * A screenshot of the page; `screen` takes what is on the screen rather than the whole page (the local Inbox
   * lists every message the run has sent, tens of thousands of pixels tall, which Chromium could not capture
   * within its timeout on a loaded machine).
   */
  shot(step: string, extent?: 'page' | 'screen'): Promise<void>;
  /** Requests the page answered with 4xx/5xx (a favicon 404 would show here). */
  failures: string[];
}

/** Opens the console and signs in by clicking the user's name on the sign-in page. */
export async function signIn(
  browser: Browser,
  variant: Variant,
  userId: string,
  journey: string,
): Promise<Person> {
  const context = await browser.newContext(
    variant.phone
      ? {
          viewport: { width: 360, height: 740 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
          locale: 'ar-IQ',
        }
      : { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  );
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${baseUrl()}/console/`);
  const press = async (target: string | Locator) => {
    const el = typeof target === 'string' ? page.locator(target).first() : target;
    await el.scrollIntoViewIfNeeded();
    if (variant.phone) await el.tap();
    else await el.click();
  };
  await press(`button[data-user="${userId}"]`);
  await page.waitForSelector('.who');
  let n = 0;
  return {
    context,
    page,
    variant,
    press,
    failures,
    shot: async (step, extent = 'page') => {
      n++;
      // Nothing may push the page sideways on a phone (wide tables scroll inside their own box).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${step}: the page is wider than the screen`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: join(SHOTS, `journey-${journey}-${variant.name}-${String(n).padStart(2, '0')}-${step}.png`),
        fullPage: extent === 'page',
        scale: 'css',
      });
    },
  };
}

/** Fills a field the way a person types into it (the field is focused first). */
export async function type(person: Person, selector: string, text: string): Promise<void> {
  const field = person.page.locator(selector).first();
  await field.scrollIntoViewIfNeeded();
  await field.fill(text);
}

/** A case reference in a text. */
export const REFERENCE = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

/** The text of an element, trimmed. */
export const textOf = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();
