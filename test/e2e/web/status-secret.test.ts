import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl } from '../../support/http.ts';
import { desk, launchChromium, phone, shot } from './chromium.ts';

/**
 * The person looks up their complaint's status with its reference and secret code, and the secret never stands in a
 * URL: not in the address bar (browser history), not in any request the page makes (proxy, CloudFront and API
 * access logs), so never in a Referer either. On a 360×740 touch phone in Arabic with JavaScript off (the form
 * posts and the answer is a page) and at a desk in English with JavaScript on (the page's script asks the API).
 */

let browser: Browser;

/** Every URL the page requests (documents, scripts, fetches), and every Referer it sends, from now on. */
function watchUrls(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req) => {
    seen.push(req.url());
    const referer = req.headers().referer;
    if (referer) seen.push(referer);
  });
  return seen;
}

describe('the status lookup keeps the secret out of every URL', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('on a phone in Arabic without JavaScript: sends the form, follows the status link, looks it up by post', async () => {
    const context = await phone(browser, 'ar', false);
    const page = await context.newPage();
    const urls = watchUrls(page);
    await page.goto(`${baseUrl()}/ar/`);
    await page.tap('#description');
    await page.fill('#description', 'لم نستلم السلة الغذائية هذا الشهر في مخيم الخازر');
    await Promise.all([page.waitForURL('**/api/public/complaints'), page.tap('#send')]);
    const reference = (await page.textContent('#done-ref'))?.trim() ?? '';
    const secret = (await page.textContent('#done-secret'))?.trim() ?? '';
    expect(reference).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(secret).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){2}$/);
    await shot(page, 'public-status-secret-nojs-ar-1-confirmation');

    // The confirmation's status link carries the reference only; the page opens with it filled in.
    expect(await page.getAttribute('#done-status', 'href')).not.toContain(secret);
    await Promise.all([page.waitForURL('**/api/public/complaints/status?**'), page.tap('#done-status')]);
    expect(await page.inputValue('#reference')).toBe(reference);
    expect(await page.inputValue('#secret')).toBe('');
    await shot(page, 'public-status-secret-nojs-ar-2-form');

    await page.tap('#secret');
    await page.fill('#secret', secret.toLowerCase());
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/public/complaints/status') && r.method() === 'POST'),
      page.waitForURL((u) => u.pathname === '/api/public/complaints/status' && u.search === ''),
      page.tap('#lookup button'),
    ]);
    expect(new URLSearchParams(request.postData() ?? '').get('secret')).toBe(secret.toLowerCase());
    await page.waitForSelector('#status-result');
    expect(await page.textContent('#status-title')).toContain('تم الاستلام');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // The answer does not write the secret back into the page.
    expect(await page.inputValue('#secret')).toBe('');
    await shot(page, 'public-status-secret-nojs-ar-3-answer');

    expect(page.url()).not.toContain(secret);
    expect(urls.filter((u) => u.toUpperCase().includes(secret))).toEqual([]);
    expect(urls.some((u) => u.includes(`reference=${reference}`))).toBe(true);
    await context.close();
  });

  it('at a desk in English with JavaScript: the answer in place, the secret only in a request header', async () => {
    const context = await desk(browser, 'en');
    const page = await context.newPage();
    const urls = watchUrls(page);
    const headerSecrets: string[] = [];
    page.on('request', (req) => {
      const sent = req.headers()['x-lookup-secret'];
      if (sent) headerSecrets.push(sent);
    });
    await page.goto(`${baseUrl()}/en/`);
    await page.fill('#description', 'The water point in block C has been dry since Sunday');
    await page.click('#send');
    await page.waitForSelector('#done-secret:not(:empty)');
    const reference = (await page.textContent('#done-ref'))?.trim() ?? '';
    const secret = (await page.textContent('#done-secret'))?.trim() ?? '';
    expect(secret).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){2}$/);
    await shot(page, 'public-status-secret-js-en-1-confirmation');

    await page.click('#done-status');
    await page.waitForURL('**/api/public/complaints/status?**');
    expect(await page.inputValue('#reference')).toBe(reference);
    await page.fill('#secret', secret);
    const before = page.url();
    await page.click('#lookup button');
    await page.waitForSelector('#status-result');
    expect(await page.textContent('#status-title')).toContain('Received');
    await shot(page, 'public-status-secret-js-en-2-answer');

    // No page load: the script asked the API, the secret in its header.
    expect(page.url()).toBe(before);
    expect(headerSecrets).toEqual([secret]);
    expect(page.url()).not.toContain(secret);
    expect(urls.filter((u) => u.toUpperCase().includes(secret))).toEqual([]);
    await context.close();
  });
});
