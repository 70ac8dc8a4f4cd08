import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core, as the browser tests launch it (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** A full-page screenshot under test-artifacts/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, scale: 'css' });
}

/**
 * The locale a phone set to this language reports (Kurmanji phones say `ku`; a Badini reader of Arabic script
 * often has a phone set to Arabic, as Android offers no Badini).
 */
const LOCALES = { ar: 'ar-IQ', ckb: 'ckb-IQ', kmr: 'ku', 'kmr-arab': 'ar-IQ', en: 'en-GB' } as const;

/**
 * A cheap Android phone: 360×740 CSS pixels, touch, mobile emulation (the viewport meta tag applies, and a page
 * wider than the screen is zoomed out, as the phone would do), in the person's language.
 */
export function phone(
  browser: Browser,
  lang: keyof typeof LOCALES,
  javaScriptEnabled: boolean,
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
    locale: LOCALES[lang],
    extraHTTPHeaders: viewerAddress(),
  });
}

/** A desk: a laptop screen, mouse and keyboard. */
export function desk(browser: Browser, lang: keyof typeof LOCALES): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: LOCALES[lang],
    extraHTTPHeaders: viewerAddress(),
  });
}

/**
 * In AWS, CloudFront tells the API each viewer's address, and the form's budget counts per address. Each browser
 * context here is a different person on a different phone, so it gets an address of its own, as CloudFront would
 * report it; otherwise every test's posts would share 127.0.0.1's budget.
 */
export function viewerAddress(): Record<string, string> {
  const b = () => Math.floor(Math.random() * 254) + 1;
  return { 'CloudFront-Viewer-Address': `10.${b()}.${b()}.${b()}:${40000 + b()}` };
}
