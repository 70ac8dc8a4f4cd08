import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AGENCY_B_NUMBER } from '#local/seed.ts';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { baseUrl, settle } from '../../support/http.ts';
import { launchBrowser, type Person, REFERENCE, signIn, textOf, type, VARIANTS } from './browser.ts';

/**
 * One hotline, two agencies, in the console: the default agency's officer at the desk in English and Agency B's
 * officer on a phone in Arabic each find only their own agency's cases; B's officer records the person's consent
 * and transfers the case from its page, and it moves from B's queue to the default agency's.
 */
const freshNumber = () => `+96478${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

async function texts(to: string, body: string): Promise<string> {
  const res = await sendSms(
    {
      url: baseUrl(),
      publicBaseUrl: baseUrl(),
      authToken: inject('twilioAuthToken'),
      accountSid: LOCAL_TWILIO.accountSid,
    },
    { from: freshNumber(), to, body },
  );
  expect(res.status).toBe(200);
  return REFERENCE.exec(res.twiml)?.[0] ?? '';
}

const [desk, phone] = VARIANTS as [(typeof VARIANTS)[number], (typeof VARIANTS)[number]];
const word = `w${Math.random().toString(36).slice(2, 8)}`;

let browser: Browser;
let officerA: Person;
let officerB: Person;
let caseA = '';
let caseB = '';

/** Searches the "by status" queue for the test's word, and waits for the list to come back. */
async function search(person: Person) {
  await person.page.goto(`${baseUrl()}/console/#/queues/status`);
  // A fresh page, as a person coming back to it: the filters of an earlier search are not kept.
  await person.page.reload();
  await person.page.waitForSelector('#filters summary');
  // On a phone the filters start folded under their heading, so the cases come first: open them, as a person does.
  const open = () => person.page.$eval('#filters', (d) => (d as HTMLDetailsElement).open);
  expect(await open()).toBe(!person.variant.phone);
  if (person.variant.phone) await person.press('#filters summary');
  expect(await open()).toBe(true);
  await type(person, '#f-text', word);
  await person.press('form.filters button[type="submit"]');
  await person.page.waitForSelector('#case-count');
  await person.page.waitForFunction(
    () => document.querySelector('section')?.getAttribute('aria-busy') === 'false',
  );
  // The heading counts the filters applied (here the search text); on a phone they fold again, the cases below.
  expect(await textOf(person.page, '#filters-active')).toBe('1');
  expect(await open()).toBe(!person.variant.phone);
  // One case matches, so nothing more is offered: the server reads the store a stretch per request, and the page
  // reads on until the list ends rather than offer "Load more" for nothing.
  expect(await person.page.$('#load-more')).toBeNull();
}
/**
 * Waits until the list holds one row: the search's answer, not the unfiltered list shown before it (which is also
 * "not busy" and has a count, and on a loaded machine was read first).
 */
const oneRow = (person: Person) =>
  person.page.waitForFunction(() => document.querySelectorAll('tr[data-reference]').length === 1);
const rows = async (person: Person) =>
  person.page.$$eval('tr[data-reference]', (trs) => trs.map((tr) => tr.getAttribute('data-reference')));

beforeAll(async () => {
  caseA = await texts(
    LOCAL_TWILIO.messagingFrom,
    `The water point near the school ${word} has been dry for days`,
  );
  caseB = await texts(LOCAL_AGENCY_B_NUMBER, `نقطة المياه قرب المدرسة ${word} جافة منذ أيام`);
  expect(caseA).toMatch(REFERENCE);
  expect(caseB).toMatch(REFERENCE);
  await settle();
  browser = await launchBrowser();
  officerA = await signIn(browser, desk, 'local-officer', 'agencies-a');
  officerB = await signIn(browser, phone, 'local-officer-b', 'agencies-b');
});
afterAll(async () => {
  await officerA?.context.close();
  await officerB?.context.close();
  await browser?.close();
});

describe('one hotline for two agencies, in the console', () => {
  it('the default agency’s officer finds only the default agency’s case (desk, English)', async () => {
    await search(officerA);
    await officerA.page.waitForSelector(`tr[data-reference="${caseA}"]`);
    await oneRow(officerA);
    expect(await rows(officerA)).toEqual([caseA]);
    await officerA.shot('search-own-only');
    // Typing the other agency's reference finds nothing, as for a case that does not exist.
    await type(officerA, '#jump', caseB);
    await officerA.press('form[role="search"] button[type="submit"]');
    await officerA.page.waitForSelector('form[role="search"] .error, form[role="search"] [role="alert"]');
    expect(await textOf(officerA.page, 'form[role="search"]')).toContain(en.errorNotFound);
    await officerA.shot('other-agency-reference-not-found');
  });

  it('Agency B’s officer sees only B’s case in the team queue and in a search (phone, Arabic)', async () => {
    await officerB.page.goto(`${baseUrl()}/console/#/queues/team`);
    await officerB.page.waitForSelector(`tr[data-reference="${caseB}"]`);
    expect(await rows(officerB)).not.toContain(caseA);
    // On a phone the list starts on the first screen (the filters folded above it), and each case is a card: every
    // value beside its column's name, none off to the side.
    const firstTop = await officerB.page.$eval('tr[data-reference]', (tr) => tr.getBoundingClientRect().top);
    expect(firstTop).toBeLessThan(740);
    const cells = await officerB.page.$$eval(`tr[data-reference="${caseB}"] td`, (tds) =>
      tds.map((td) => {
        const box = td.getBoundingClientRect();
        return {
          inside: box.left >= 0 && box.right <= 360 && box.width > 0,
          label: getComputedStyle(td, '::before').content.replace(/^"|"$/g, ''),
        };
      }),
    );
    expect(cells.map((c) => c.label)).toEqual([
      'none',
      ar.colReceived,
      ar.colStatus,
      ar.colType,
      ar.colCategory,
      ar.colPriority,
      ar.colGovernorate,
      ar.colChannel,
      ar.colSla,
    ]);
    expect(cells.every((c) => c.inside)).toBe(true);
    await officerB.shot('team-queue');
    await search(officerB);
    await officerB.page.waitForSelector(`tr[data-reference="${caseB}"]`);
    await oneRow(officerB);
    expect(await rows(officerB)).toEqual([caseB]);
    await officerB.shot('search-own-only');
  });

  it('B’s officer records the person’s consent and transfers the case from its page', async () => {
    const page = officerB.page;
    await officerB.press(`tr[data-reference="${caseB}"] a.ref`);
    await page.waitForSelector('#case-reference');
    expect(await textOf(page, '#case-agency dd')).toBe('Agency B');
    await officerB.press('#transfer summary');
    // Without the person's consent there is nothing to press.
    await page.waitForSelector('#transfer-no-consent');
    expect(await textOf(page, '#transfer-no-consent')).toBe(ar.transferNeedsConsent);
    expect(await page.isDisabled('#transfer-case')).toBe(true);
    await officerB.shot('transfer-needs-consent');

    await officerB.press('#share-consent summary');
    await officerB.press('#sc-yes');
    await page.selectOption('#sc-how', 'phone_call');
    await officerB.press('#sc-save');
    await page.waitForSelector('#case-share');
    await page.waitForFunction(() => !document.querySelector('#transfer-no-consent'));

    await officerB.press('#transfer summary');
    await page.selectOption('#t-agency', 'default');
    await type(officerB, '#t-reason', 'المخيم تخدمه الجهة الرئيسية');
    await officerB.shot('transfer-filled');
    await officerB.press('#transfer-case');
    await page.waitForSelector('#case-transferred');
    expect(await textOf(page, '#case-transferred')).toContain(ar.agencyDefault);
    await officerB.shot('transferred');

    await officerB.page.goto(`${baseUrl()}/console/#/queues/team`);
    await page.waitForSelector('#case-count');
    await page.waitForFunction(
      () => document.querySelector('section')?.getAttribute('aria-busy') === 'false',
    );
    expect(await rows(officerB)).not.toContain(caseB);
    await officerB.shot('team-queue-after');
  });

  it('the default agency’s officer now finds both, and the transferred case says where it came from', async () => {
    await settle();
    await search(officerA);
    await officerA.page.waitForSelector(`tr[data-reference="${caseB}"]`);
    expect((await rows(officerA)).sort()).toEqual([caseA, caseB].sort());
    await officerA.shot('search-after-transfer');
    await officerA.press(`tr[data-reference="${caseB}"] a.ref`);
    await officerA.page.waitForSelector('#case-reference');
    expect(await textOf(officerA.page, '#case-agency dd')).toBe(en.agencyDefault);
    const moved = await textOf(officerA.page, 'li[data-event="transferred"]');
    expect(moved).toContain(en.event_transferred);
    expect(moved).toContain('Agency B');
    expect(moved).toContain(en.agencyDefault);
    await officerA.shot('transferred-case');
    expect(officerA.failures).toEqual([]);
    expect(officerB.failures).toEqual([]);
  });
});
