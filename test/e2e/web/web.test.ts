import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../../web/scripts/sizes.ts';
import { api, baseUrl, settle, tokenFor } from '../../support/http.ts';
import { viewerAddress } from './chromium.ts';
import { plainWith } from './plain-words.ts';

/**
 * The web in a real browser (Debian's Chromium through playwright-core) against the local stack: the public form
 * with JavaScript off and on, the console's officer flow, the dashboard, the restricted-case rule, and a
 * screenshot of every page under test-artifacts/screenshots/.
 */
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const REFERENCE = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
const SECRET = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

let browser: Browser;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, scale: 'css' });

async function newPage(options: { javaScriptEnabled?: boolean; locale?: string } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1200, height: 900 },
    extraHTTPHeaders: viewerAddress(),
  });
  return { context, page: await context.newPage() };
}

/** Opens the console signed in as one of the local users, by clicking that user on the sign-in page. */
async function consoleAs(userId: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage();
  await opened.page.goto(`${baseUrl()}/console/`);
  await opened.page.click(`button[data-user="${userId}"]`);
  await opened.page.waitForSelector('.who');
  return opened;
}

async function caseIdOf(reference: string, role = 'officer'): Promise<string> {
  const res = await api('POST', '/api/cases/lookup', { token: await tokenFor(role), json: { reference } });
  const { items } = res.json() as { items: { caseId: string }[] };
  const id = items[0]?.caseId;
  if (!id) throw new Error(`no case ${reference} for ${role}`);
  return id;
}

describe('the web in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureConsoleBuilt();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('takes a complaint in Arabic with JavaScript off: a plain post, the codes on a page, the status by form', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false, locale: 'ar-IQ' });
    await page.goto(`${baseUrl()}/ar/`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await shot(page, 'public-form-ar');
    const words = plainWith('المياه مقطوعة في المخيم منذ ثلاثة أيام');
    await page.selectOption('#about', 'complaint');
    await page.fill('#description', words);
    await page.selectOption('#governorate', 'IQG15');
    await page.selectOption('#district', 'IQG15Q05');
    await Promise.all([page.waitForURL('**/api/public/complaints'), page.click('#send')]);
    const reference = (await page.textContent('#done-ref'))?.trim() ?? '';
    const secret = (await page.textContent('#done-secret'))?.trim() ?? '';
    expect(reference).toMatch(REFERENCE);
    expect(secret).toMatch(SECRET);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await shot(page, 'public-result-nojs-ar');

    await page.click('#done-status');
    await page.fill('#reference', reference.toLowerCase().replace('-', ''));
    await page.fill('#secret', secret);
    await Promise.all([page.waitForURL('**/api/public/complaints/status'), page.click('#lookup button')]);
    expect(page.url()).not.toContain(secret);
    expect(await page.textContent('#status-title')).toContain('تم الاستلام');
    await shot(page, 'public-status-nojs-ar');
    await context.close();

    const detail = await api('GET', `/api/cases/${await caseIdOf(reference)}`, {
      token: await tokenFor('officer'),
    });
    expect(detail.json()).toMatchObject({
      case: {
        channel: 'web',
        language: 'ar',
        narrative: words,
        location: { governorate: 'IQG15', district: 'IQG15Q05' },
      },
    });
  });

  it('takes a complaint in Arabic with JavaScript on: JSON in place, no page load, districts follow the governorate', async () => {
    const { context, page } = await newPage({ locale: 'ar-IQ' });
    await page.goto(`${baseUrl()}/`);
    await page.waitForURL('**/ar/');
    await page.selectOption('#governorate', 'IQG09');
    const districts = await page.$$eval('#district option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(districts.filter(Boolean).every((d) => d.startsWith('IQG09'))).toBe(true);
    // An empty message is caught beside the field, and focus goes to it.
    await page.click('#send');
    expect(await page.getAttribute('#description', 'aria-invalid')).toBe('true');
    expect(await page.isVisible('#description-error')).toBe(true);
    await shot(page, 'public-form-errors-ar');

    await page.fill('#description', 'أحتاج إلى معلومات عن موعد توزيع القسائم');
    await page.fill('#phone', '0770 555 1234');
    await page.check('#consent');
    const url = page.url();
    await page.click('#send');
    await page.waitForSelector('#done-title');
    expect(page.url()).toBe(url);
    const reference = (await page.textContent('#done-ref'))?.trim() ?? '';
    expect(reference).toMatch(REFERENCE);
    expect((await page.textContent('#done-secret'))?.trim()).toMatch(SECRET);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('done-title');
    await shot(page, 'public-result-js-ar');
    await context.close();
  });

  it('shows every public page in its language and direction', async () => {
    const { context, page } = await newPage();
    for (const [lang, dir] of [
      ['ar', 'rtl'],
      ['ckb', 'rtl'],
      ['kmr', 'ltr'],
      ['en', 'ltr'],
    ] as const) {
      await page.goto(`${baseUrl()}/${lang}/`);
      expect(await page.getAttribute('html', 'dir')).toBe(dir);
      await shot(page, `public-form-${lang}`);
      await page.goto(`${baseUrl()}/${lang}/status.html`);
      await shot(page, `public-status-${lang}`);
    }
    await context.close();
  });

  it('lets an officer find a case, acknowledge it and resolve it', async () => {
    const submitted = await api('POST', '/api/public/complaints', {
      json: {
        description: 'No water delivered to our block this week.',
        language: 'en',
        governorate: 'IQG08',
      },
    });
    const { reference } = submitted.json() as { reference: string };
    await settle();

    const { context, page } = await consoleAs('local-officer');
    await page.goto(`${baseUrl()}/console/#/queues/status`);
    await page.selectOption('#f-status', 'new');
    await page.click('form.filters button[type=submit]');
    // The list before the filter is also "not busy": wait for the filtered one (every row new), or fail on timeout.
    await page.waitForFunction(
      () => {
        const cells = [...document.querySelectorAll('table.cases .status')];
        return cells.length > 0 && cells.every((c) => c.classList.contains('status-new'));
      },
      undefined,
      { timeout: 15_000 },
    );
    const statuses = await page.$$eval('table.cases .status', (cells) => cells.map((c) => c.className));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((c) => c.includes('status-new'))).toBe(true);
    await shot(page, 'console-queues');
    await page.fill('#jump', reference);
    await page.click('form[role=search] button');
    await page.waitForSelector('#case-reference');
    expect(await page.textContent('#case-reference')).toBe(reference);
    expect(await page.getAttribute('[data-status]', 'data-status')).toBe('new');
    await shot(page, 'console-case');

    await page.click('button[data-action="acknowledge"]');
    await page.click('#confirm-action');
    await page.waitForSelector('[data-status="acknowledged"]');

    await page.click('button[data-action="resolve"]');
    await page.selectOption('#a-outcome', 'assistance_provided');
    await page.fill('#a-reason', 'Water truck rescheduled for the block.');
    await page.click('#confirm-action');
    await page.waitForSelector('[data-status="resolved"]');
    await shot(page, 'console-case-resolved');
    await context.close();

    const detail = await api('GET', `/api/cases/${await caseIdOf(reference)}`, {
      token: await tokenFor('officer'),
    });
    expect(detail.json()).toMatchObject({ case: { status: 'resolved', outcome: 'assistance_provided' } });
  });

  it('draws the dashboard charts', async () => {
    const { context, page } = await consoleAs('local-officer');
    await page.goto(`${baseUrl()}/console/#/dashboard`);
    await page.waitForSelector('figure[data-chart="within-sla"]');
    await page.waitForSelector('figure[data-chart="over-time"] svg rect.bar');
    // The report and the case list arrive separately (the report may draw a chart before the list has come):
    // wait for every chart, not only the first.
    for (const chart of ['over-time', 'time-to-close', 'backlog', 'within-sla', 'loop-closure']) {
      // Playwright's own default (30 s) is short on a loaded machine; the wait ends as soon as the chart is drawn.
      const drawn = await page.waitForSelector(`figure[data-chart="${chart}"] svg[role="img"]`, {
        timeout: 90_000,
      });
      expect(drawn, chart).not.toBeNull();
    }
    await shot(page, 'console-dashboard');

    // The export goes through the API with the bearer token and arrives as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toMatch(/^cases-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
    const csv = await download.path().then((p) => (p ? readFileSync(p, 'utf8') : ''));
    expect(csv.split('\n')[0]).toMatch(/reference/i);
    await context.close();
  });

  it('does not open a restricted (S3) case to an officer, while the PSEA focal point sees it', async () => {
    const submitted = await api('POST', '/api/public/complaints', {
      json: {
        about: 'abuse',
        description: 'A distributor asked for a favour in exchange for the voucher.',
        language: 'en',
      },
    });
    const { reference } = submitted.json() as { reference: string };
    await settle();
    const caseId = await caseIdOf(reference, 'psea');

    const officer = await consoleAs('local-officer');
    await officer.page.goto(`${baseUrl()}/console/#/case/${caseId}`);
    await officer.page.waitForSelector('.alert');
    expect(await officer.page.$('#case-reference')).toBeNull();
    await shot(officer.page, 'console-case-restricted-officer');
    await officer.context.close();

    const psea = await consoleAs('local-psea');
    await psea.page.goto(`${baseUrl()}/console/#/case/${caseId}`);
    await psea.page.waitForSelector('#case-reference');
    expect(await psea.page.textContent('#case-reference')).toBe(reference);
    await psea.context.close();
  });

  it('shows the operator screen, admin, simulator, outbox and inbox, and the console right-to-left in Sorani', async () => {
    const operator = await consoleAs('local-operator');
    await operator.page.goto(`${baseUrl()}/console/#/operator`);
    await operator.page.waitForSelector('#o-narrative');
    await operator.page.fill('#o-phone', '07701112233');
    await operator.page.fill('#o-narrative', 'Caller asks when the next cash round starts.');
    await operator.page.check('#o-resolve');
    await operator.page.click('.log-call button[type=submit]');
    await operator.page.waitForSelector('.notice');
    const logged = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(
      (await operator.page.textContent('.notice')) ?? '',
    )?.[0];
    expect(logged).toBeDefined();
    // Answered on the call: the case is resolved at once (and the platform may already have closed it).
    const found = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('operator'),
      json: { reference: logged },
    });
    const [row] = (
      found.json() as { items: { reference: string; status: string; channel: string; outcome?: string }[] }
    ).items;
    expect(row).toMatchObject({ reference: logged, channel: 'hotline', outcome: 'information_given' });
    expect(['resolved', 'closed']).toContain(row?.status);
    await shot(operator.page, 'console-operator');
    await operator.page.goto(`${baseUrl()}/console/#/simulator`);
    await operator.page.waitForSelector('main h1');
    await shot(operator.page, 'console-simulator');
    // The local mailboxes are the admin's: an operator asking for one lands on their own page.
    await operator.page.goto(`${baseUrl()}/console/#/inbox`);
    await operator.page.waitForSelector('#o-narrative');
    await operator.context.close();

    // Something in the focal points' inbox to read.
    await api('POST', '/api/public/complaints', {
      json: { description: 'The latrines in block D are blocked.', language: 'en', governorate: 'IQG08' },
    });
    await settle();
    const admin = await consoleAs('local-admin');
    await admin.page.goto(`${baseUrl()}/console/#/admin/focal-points`);
    await admin.page.waitForSelector('details.record');
    await shot(admin.page, 'console-admin');
    for (const view of ['outbox', 'inbox']) {
      await admin.page.goto(`${baseUrl()}/console/#/${view}`);
      await admin.page.waitForSelector('main h1');
      expect(await admin.page.$('main .alert')).toBeNull();
      await shot(admin.page, `console-${view}`);
    }
    await admin.page.selectOption('#lang-select', 'ckb');
    expect(await admin.page.getAttribute('html', 'dir')).toBe('rtl');
    // Chromium has no Sorani date words: dates are numeric, never English month names.
    await admin.page.waitForSelector('.mailbox time');
    const times = await admin.page.$$eval('time', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(times.length).toBeGreaterThan(0);
    for (const time of times) expect(time).toMatch(/^\u2066\d{4}-\d{2}-\d{2} \d{2}:\d{2}\u2069$/);
    await shot(admin.page, 'console-inbox-ckb');
    await admin.context.close();
  });

  it('sends an SMS from the phone simulator, signed in the browser, and shows the reply', async () => {
    const { context, page } = await consoleAs('local-operator');
    await page.goto(`${baseUrl()}/console/#/simulator`);
    await page.fill('#s-token', (await import('vitest')).inject('twilioAuthToken'));
    await page.fill('#s-from', '+9647709998877');
    await page.fill('#s-text', 'The food parcels did not arrive in our village');
    await page.click('#sim-send');
    await page.waitForSelector('pre.twiml');
    const reply = (await page.textContent('pre.twiml')) ?? '';
    expect(reply).toContain('<Message>');
    expect(reply).toMatch(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/);
    await shot(page, 'console-simulator-sms');

    // The hotline: the greeting offers a menu; pressing a key moves to the next step, signed again.
    await page.click('#sim-call');
    await page.waitForSelector('#s-digits');
    const greeting = await page.textContent('.phone details pre');
    expect(greeting).toContain('<Gather');
    await page.fill('#s-digits', '4');
    await page.click('#sim-press');
    await page.waitForFunction(
      (before) => document.querySelector('.phone details pre')?.textContent !== before,
      greeting,
    );
    expect(await page.textContent('.phone details pre')).toContain('<Response>');
    await shot(page, 'console-simulator-call');
    await context.close();
  });
});
