import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { api, baseUrl, eventually, settle, tokenFor } from '../../support/http.ts';
import { notificationsFor } from '../routing/support.ts';
import { launchBrowser, type Person, REFERENCE, signIn, type, VARIANTS } from './browser.ts';

/**
 * A reclassification across the restriction line moves the case between queues at once: the PSEA focal point (at
 * her desk, in English) reviews a message restricted by caution and reclassifies it as praise, not restricted; it
 * leaves her team queue and is in the officers' queue before anything else runs, and the officers are alerted.
 * Then an officer (on her phone, in Arabic) restricts it again: it leaves her sight and queue, and PSEA is alerted.
 */
const [desk, phone] = VARIANTS as [(typeof VARIANTS)[0], (typeof VARIANTS)[1]];
const freshNumber = () => `+96475${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

/** The ids in a focal point's team queue, as the console asks for them. */
async function teamQueue(role: 'psea' | 'officer', focalPointId: string): Promise<string[]> {
  const res = await api('GET', `/api/cases?focalPoint=${focalPointId}&limit=100`, {
    token: await tokenFor(role),
  });
  expect(res.status).toBe(200);
  return (res.json() as { items: { reference: string }[] }).items.map((i) => i.reference);
}

/** The focal points alerted that the case was routed to them, once `count` such alerts have arrived. */
async function routedAlerts(reference: string, count: number): Promise<string[]> {
  return eventually(async () => {
    const found = (await notificationsFor(reference)).filter((n) => n.message.eventType === 'routed');
    return found.length >= count ? found.map((n) => n.focalPointId) : undefined;
  }, 60_000);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('reclassification moves a case between queues at once', () => {
  let reference = '';
  let psea: Person | undefined;
  let officer: Person | undefined;

  beforeAll(async () => {
    const sms = await sendSms(
      {
        url: baseUrl(),
        publicBaseUrl: baseUrl(),
        authToken: inject('twilioAuthToken'),
        accountSid: LOCAL_TWILIO.accountSid,
      },
      {
        from: freshNumber(),
        to: LOCAL_TWILIO.messagingFrom,
        body: 'The guard was kind and visited us alone',
      },
    );
    reference = REFERENCE.exec(sms.twiml)?.[0] ?? '';
    expect(reference).toMatch(REFERENCE);
    await settle();
  });
  afterAll(async () => {
    await psea?.context.close();
    await officer?.context.close();
  });

  it('the PSEA focal point reviews a restriction by caution and reclassifies it as praise (desk, English)', {
    timeout: 120_000,
  }, async () => {
    expect(await teamQueue('psea', 'psea-focal-point')).toContain(reference);
    psea = await signIn(browser, desk, 'local-psea', 'reclassification');
    const page = psea.page;
    await page.waitForSelector(`tr[data-reference="${reference}"]`);
    await psea.shot('in-psea-queue');
    await psea.press(`tr[data-reference="${reference}"] a.ref`);
    await page.waitForSelector('#case-sensitivity[data-sensitivity="S3"]');
    await psea.press('#reclassify >> xpath=ancestor::details/summary');
    await page.selectOption('#c-type', 'praise');
    await page.selectOption('#c-category', 'C03');
    await page.selectOption('#c-sensitivity', 'S0');
    await type(
      psea,
      '#c-reason',
      'Reviewed: she thanks the guard for checking on them; nothing to investigate.',
    );
    await psea.shot('reclassify-form');
    await psea.press('#reclassify button[type=submit]');
    await page.waitForSelector('#case-sensitivity[data-sensitivity="S0"]');
    // The queues changed with the write itself: no stream consumer has had to run.
    expect(await teamQueue('psea', 'psea-focal-point')).not.toContain(reference);
    expect(await teamQueue('officer', 'accountability-officer')).toContain(reference);
    await psea.shot('reclassified');
    await psea.press('a[href="#/queues/team"]');
    await page.waitForSelector('table, .empty, #case-count');
    expect(await page.$(`tr[data-reference="${reference}"]`)).toBeNull();
    await psea.shot('left-psea-queue');
    expect(await routedAlerts(reference, 2)).toEqual(['psea-focal-point', 'accountability-officer']);

    // Her dashboard counts the lifted restriction under caution, once the report aggregates have caught up.
    await settle();
    await psea.press('a[href="#/dashboard"]');
    const lifted = page.locator('table[data-report="downgrades"] tr[data-basis="caution"] td').nth(1);
    await lifted.waitFor();
    expect(Number(await lifted.textContent())).toBeGreaterThanOrEqual(1);
    await page.locator('#reclassifications').scrollIntoViewIfNeeded();
    // The gauges show a share and its "n of N", never NaN.
    const gauges = page.locator('#reclassifications');
    expect(await gauges.textContent()).not.toMatch(/NaN|undefined/);
    expect(await page.textContent('figure[data-chart="downgraded"] .figure-value')).toMatch(
      /^\d+(\.\d+)?\s?%$/,
    );
    expect(await page.textContent('figure[data-chart="classifications-changed"] .figure-value')).toMatch(
      /^\d+(\.\d+)?\s?%$/,
    );
    await psea.shot('dashboard-downgrades');
    expect(psea.failures).toEqual([]);
  });

  it('an officer restricts it again from her phone (Arabic): it leaves her queue and PSEA is alerted', {
    timeout: 120_000,
  }, async () => {
    officer = await signIn(browser, phone, 'local-officer', 'reclassification');
    const page = officer.page;
    await page.waitForSelector(`tr[data-reference="${reference}"]`);
    await officer.shot('in-officer-queue');
    await officer.press(`tr[data-reference="${reference}"] a.ref`);
    await page.waitForSelector('#case-sensitivity[data-sensitivity="S0"]');
    await page.selectOption('#r-level', 'S3');
    await type(officer, '#r-reason', 'اتصلت امرأة أخرى وقالت إن الحارس نفسه يطلب منها أن تأتي وحدها');
    await officer.shot('restrict-form');
    await officer.press('#impose-restriction');
    await page.waitForSelector('#case-gone');
    expect(await teamQueue('officer', 'accountability-officer')).not.toContain(reference);
    expect(await teamQueue('psea', 'psea-focal-point')).toContain(reference);
    // The case id is its reference.
    expect((await api('GET', `/api/cases/${reference}`, { token: await tokenFor('officer') })).status).toBe(
      404,
    );
    await officer.shot('case-gone');
    expect(await routedAlerts(reference, 3)).toEqual([
      'psea-focal-point',
      'accountability-officer',
      'psea-focal-point',
    ]);
    expect(officer.failures).toEqual([]);
  });
});
