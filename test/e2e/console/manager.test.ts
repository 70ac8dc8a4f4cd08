/**
 * A programme manager's look at the dashboard, in Chromium against the local stack: at a desk in English and on a
 * phone (360×740, touch) in Arabic, she signs in, reads the figures (each with its n, the restricted cases
 * counted and said to be counted), chooses a period and downloads the CSV export; a screenshot per step lands in
 * test-artifacts/screenshots/.
 *
 * Before she looks, the day's work is done as the other roles do it, with the local clock moved forward so cases
 * take hours rather than seconds to close: an operator logs three complaints and a report of sexual exploitation,
 * an officer closes two complaints 5 and 26 hours after they came in, the PSEA focal point closes the report.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../../web/scripts/sizes.ts';
import { api, baseUrl, eventually, settle, tokenFor } from '../../support/http.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted on
type Json = Record<string, any>;

const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const HOUR = 3_600_000;
let browser: Browser;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, scale: 'css' });

async function desk(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'ar-IQ',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  return { context, page: await context.newPage() };
}

/** Logs a hotline case as the operator would (the console's operator page posts the same request). */
async function logCall(narrative: string, category: string): Promise<string> {
  const created = await api('POST', '/api/cases', {
    token: await tokenFor('operator'),
    json: {
      channel: 'hotline',
      narrative,
      language: 'en',
      category,
      type: 'complaint',
      consentToFollowUp: false,
    },
    headers: { 'idempotency-key': `mgr-${randomBytes(6).toString('hex')}` },
  });
  expect(created.status, created.text).toBe(201);
  return (created.json() as Json).caseId as string;
}

/** Takes a case through acknowledge, resolve and close as its officer would, reloading it before each step. */
async function closeAsStaff(caseId: string, role: 'officer' | 'psea'): Promise<Json> {
  const token = await tokenFor(role);
  let last: Json = {};
  for (const body of [
    { action: 'acknowledge' },
    { action: 'resolve', outcome: 'assistance_provided' },
    { action: 'close' },
  ]) {
    const current = (await api('GET', `/api/cases/${caseId}`, { token })).json() as Json;
    const r = await api('POST', `/api/cases/${caseId}/transitions`, {
      token,
      json: body,
      headers: { 'if-match': String(current.case.version) },
    });
    expect(r.status, r.text).toBe(200);
    last = r.json() as Json;
  }
  return last;
}

const thisMonth = () => new Date().toISOString().slice(0, 7);

/** What the CSV export says about one category: its closed cases' hours to close, as a spreadsheet reads them. */
function closedHours(csv: string, category: string): number[] {
  const [header, ...lines] = csv.trim().split('\r\n');
  const cols = (header ?? '').split(',');
  const at = (name: string) => cols.indexOf(name);
  return lines
    .map((l) => l.split(','))
    .filter((cells) => cells[at('category')] === category && cells[at('closedAt')])
    .map((cells) => Number(cells[at('hoursToClose')]));
}

/** The interpolated percentile a spreadsheet's MEDIAN and PERCENTILE.INC give. */
function spreadsheetPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(rank)] as number;
  const hi = sorted[Math.ceil(rank)] as number;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}

const cellText = async (page: Page, table: string, group: string, column: number) =>
  (
    await page.textContent(`table[data-report="${table}"] tr[data-group="${group}"] > :nth-child(${column})`)
  )?.trim();

describe("a manager's dashboard in Chromium", () => {
  let restrictedId: string;
  let report: Json;
  let byMonth: Json;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureConsoleBuilt();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });

    const admin = await tokenFor('admin');
    const quick = await logCall('The food basket was missing rice and oil this month.', 'C03');
    const slow = await logCall('Nobody has come to fix the water tank in block 4 since last week.', 'C03');
    await logCall('The latrines near the school are still not cleaned.', 'C03');
    restrictedId = await logCall(
      'A guard at the distribution asked a woman for sex in return for her food basket.',
      'C07',
    );
    const officer = await tokenFor('officer');
    const psea = await tokenFor('psea');
    for (const [id, token] of [
      [quick, officer],
      [slow, officer],
      [restrictedId, psea],
    ] as const) {
      await eventually(async () => {
        const c = ((await api('GET', `/api/cases/${id}`, { token })).json() as Json).case;
        return c?.sla && c?.routing ? c : undefined;
      }, 60_000);
    }
    try {
      await api('POST', '/dev/clock', { token: admin, json: { advance: 'PT5H' } });
      await closeAsStaff(quick, 'officer');
      await api('POST', '/dev/clock', { token: admin, json: { advance: 'PT21H' } });
      const closed = await closeAsStaff(slow, 'officer');
      expect(Date.parse(closed.closedAt) - Date.parse(closed.receivedAt)).toBeGreaterThanOrEqual(26 * HOUR);
      await closeAsStaff(restrictedId, 'psea');
    } finally {
      await api('POST', '/dev/clock', { token: admin, json: { reset: true } });
    }
    await settle();
    const month = thisMonth();
    report = (
      await api('GET', `/api/reports/time-to-close?groupBy=category&from=${month}&to=${month}`, {
        token: await tokenFor('manager'),
      })
    ).json() as Json;
    expect(report.restricted.received).toBeGreaterThanOrEqual(1);
    byMonth = (
      await api('GET', `/api/reports/time-to-close?groupBy=month&from=${month}&to=${month}`, {
        token: await tokenFor('manager'),
      })
    ).json() as Json;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('at her desk in English: signs in, reads every figure with its n, chooses the month, downloads the CSV', async () => {
    const { context, page } = await desk();
    await page.goto(`${baseUrl()}/console/`);
    await shot(page, 'manager-desk-en-1-sign-in');
    await page.click('button[data-user="local-manager"]');
    await page.waitForSelector('.figure-card[data-figure="received"]');
    await page.waitForSelector('table[data-report="category"]');
    await shot(page, 'manager-desk-en-2-dashboard');

    // Chooses this month only.
    const month = thisMonth();
    await page.selectOption('#d-from', month);
    await page.selectOption('#d-to', month);
    const monthName = new Intl.DateTimeFormat('en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${month}-01T00:00:00Z`));
    await page.waitForFunction(
      (name) =>
        document.querySelector('#period')?.textContent?.startsWith(`Cases received from ${name} to ${name}`),
      monthName,
    );
    await page.waitForFunction(
      (n) => document.querySelector('[data-figure="received"] .figure-value')?.textContent === n,
      report.total.received.toLocaleString('en-GB'),
    );
    await shot(page, 'manager-desk-en-3-this-month');

    // Every figure says what it counts and over how many cases; the restricted ones are counted, and said to be.
    const figure = async (id: string) =>
      (await page.locator(`[data-figure="${id}"]`).allInnerTexts()).join(' ').replace(/\s+/g, ' ').trim();
    expect(await figure('received')).toContain(`of which restricted (S2/S3): ${report.restricted.received}`);
    expect(await figure('closed')).toContain(`Closed, of the cases received ${report.total.closed}`);
    expect(await figure('median')).toContain(`n = ${report.total.timeToClose.calendar.count}`);
    expect(await figure('within-sla')).toContain(
      `${report.total.withinSla.within} of ${report.total.withinSla.resolved}`,
    );
    expect(await figure('loop')).toContain(
      `${report.total.loopClosed.loopClosed} of ${report.total.loopClosed.closed}`,
    );
    expect(await page.textContent('#restricted-note')).toContain('never broken down');
    const restrictedRow = await cellText(page, 'category', 'restricted', 2);
    expect(restrictedRow).toBe(String(report.restricted.received));
    expect(await page.$('table[data-report="category"] tr[data-group="C07"]')).toBeNull();
    // The month's median bar says how many closed cases it is over; cases without a place say so.
    const monthClosed = byMonth.groups.find((g: Json) => g.group === month).timeToClose.calendar.count;
    expect(monthClosed).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('[data-chart="time-to-close"] .bar-note')).toBe(`n = ${monthClosed}`);
    expect(await cellText(page, 'governorate', 'none', 1)).toBe('Place not given');
    const body = (await page.locator('main').allInnerTexts()).join(' ');
    expect(body).not.toMatch(/By By|by By/);
    expect(body).not.toContain('psea-focal-point');

    // The export, and the C03 median the dashboard shows is the one a spreadsheet computes from it.
    await page.locator('table[data-report="category"]').scrollIntoViewIfNeeded();
    await shot(page, 'manager-desk-en-4-tables');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toBe(`cases-${month}-${month}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const header = csv.split('\r\n')[0] ?? '';
    for (const personal of ['phone', 'name', 'narrative']) expect(header.split(',')).not.toContain(personal);
    expect(csv).not.toContain(restrictedId);
    expect(csv).not.toContain('food basket');
    const hours = closedHours(csv, 'C03');
    expect(hours.length).toBeGreaterThanOrEqual(2);
    const shownMedian = Number(await cellText(page, 'category', 'C03', 4));
    const shownP90 = Number(await cellText(page, 'category', 'C03', 5));
    expect(Math.abs(shownMedian - spreadsheetPercentile(hours, 50))).toBeLessThanOrEqual(0.06);
    expect(Math.abs(shownP90 - spreadsheetPercentile(hours, 90))).toBeLessThanOrEqual(0.06);
    expect(Number(await cellText(page, 'category', 'C03', 3))).toBe(hours.length);
    await shot(page, 'manager-desk-en-5-exported');
    await context.close();
  });

  it('on her phone in Arabic: the same figures in Arabic words and digits, a period chosen, the CSV downloaded', async () => {
    const { context, page } = await phone();
    await page.goto(`${baseUrl()}/console/`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await shot(page, 'manager-phone-ar-1-sign-in');
    await page.tap('button[data-user="local-manager"]');
    await page.waitForSelector('.figure-card[data-figure="received"]');
    await page.waitForSelector('table[data-report="category"]');
    await shot(page, 'manager-phone-ar-2-dashboard');

    const month = thisMonth();
    // The months are named in Arabic in the chooser itself; the console writes every figure in one digit system, the
    // Western digits staff type and read on phones and in spreadsheets (web/src/i18n.ts `locale`).
    const arMonth = new Intl.DateTimeFormat('ar-IQ-u-nu-latn', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${month}-01T00:00:00Z`));
    expect(await page.textContent(`#d-from option[value="${month}"]`)).toBe(arMonth);
    await page.selectOption('#d-from', month);
    await page.selectOption('#d-to', month);
    const ar = (n: number) => new Intl.NumberFormat('ar-IQ-u-nu-latn').format(n);
    await page.waitForFunction(
      (n) => document.querySelector('[data-figure="received"] .figure-value')?.textContent === n,
      ar(report.total.received),
    );
    await shot(page, 'manager-phone-ar-3-this-month');

    const text = (await page.locator('main').allInnerTexts()).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('الحالات الواردة');
    expect(text).toContain(`منها مقيّدة (S2/S3): ${ar(report.restricted.received)}`);
    expect(text).toContain(`العدد = ${ar(report.total.timeToClose.calendar.count)}`);
    expect(text).toContain('مدة الإغلاق حسب الفئة');
    expect(text).not.toContain('حسب حسب');
    expect(text).toContain('المكان غير مذكور');
    const monthClosed = byMonth.groups.find((g: Json) => g.group === month).timeToClose.calendar.count;
    expect(await page.textContent('[data-chart="time-to-close"] .bar-note')).toBe(
      `العدد = ${ar(monthClosed)}`,
    );
    // No English left on the page, and no figure in a second digit system.
    for (const english of ['Cases received', 'Median', 'Closed', 'Restricted (', 'Time to close', 'of which'])
      expect(text).not.toContain(english);
    const values = await page.$$eval('.figure-value, table[data-report] td', (cells) =>
      cells.map((c) => c.textContent ?? ''),
    );
    for (const v of values) expect(v).not.toMatch(/[\u0660-\u0669\u06F0-\u06F9]/);
    // Nothing wider than the phone but the tables, which scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.locator('table[data-report="category"]').scrollIntoViewIfNeeded();
    await shot(page, 'manager-phone-ar-4-tables');
    const [download] = await Promise.all([page.waitForEvent('download'), page.tap('#export-csv')]);
    expect(download.suggestedFilename()).toBe(`cases-${month}-${month}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^caseId,reference,/);
    expect(csv).not.toContain(restrictedId);
    await shot(page, 'manager-phone-ar-5-exported');
    await context.close();
  });

  it('shows an admin of the local stack that its clock runs ahead, and nothing when it does not', async () => {
    const admin = await tokenFor('admin');
    const { context, page } = await desk();
    try {
      await api('POST', '/dev/clock', { token: admin, json: { advance: 'P2DT3H' } });
      await page.goto(`${baseUrl()}/console/`);
      await page.click('button[data-user="local-admin"]');
      await page.waitForSelector('.who');
      await page.goto(`${baseUrl()}/console/#/dashboard`);
      const note = await page.waitForSelector('#local-clock');
      expect(await note.textContent()).toContain('Local clock: 2 d 3 h ahead of this computer');
      await shot(page, 'admin-desk-en-local-clock');
    } finally {
      await api('POST', '/dev/clock', { token: admin, json: { reset: true } });
    }
    await page.reload();
    await page.waitForSelector('.figure-card[data-figure="received"]');
    expect(await page.$('#local-clock')).toBeNull();
    await context.close();
  });
});
