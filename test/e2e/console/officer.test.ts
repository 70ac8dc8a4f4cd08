import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { api, baseUrl, devToken, eventually, settle, tokenFor } from '../../support/http.ts';
import { launchBrowser, type Person, signIn, textOf, type, VARIANTS } from './browser.ts';

/**
 * An accountability officer works one case from the queue to closure in the console: reclassifies it while the
 * platform re-routes it and the person writes again (no conflict), meets a colleague's change (told who and what, typed text kept), refers it
 * to a partner that declines (only an anonymous summary: no consent yet), records the person's consent, refers it
 * to one that accepts, resolves it with a message to the person and closes it.
 */
const freshNumber = () => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
type Json = Record<string, unknown> & { case?: Record<string, unknown> };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function tokenOf(userId: string): Promise<string> {
  const res = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', body: JSON.stringify({ userId }) });
  return ((await res.json()) as { token: string }).token;
}

describe.each(VARIANTS)('an officer works a case from queue to closure ($name)', (variant) => {
  const words = variant.lang === 'ar' ? ar : en;
  const phone = freshNumber();
  const message =
    variant.lang === 'ar'
      ? 'سيزوركم فريق المأوى يوم الأحد لاستبدال الخيمة.'
      : 'The shelter team will replace your tent on Sunday.';
  let officer: Person;
  let reference = '';
  let caseId = '';
  const page = () => officer.page;
  const status = async () => page().getAttribute('[data-status]', 'data-status');
  const waitStatus = (s: string) => page().waitForSelector(`[data-status="${s}"]`);
  /** Presses an action's button, fills its form and confirms it. */
  const act = async (action: string, fill?: () => Promise<void>) => {
    await officer.press(`button[data-action="${action}"]`);
    await page().waitForSelector('#confirm-action');
    await fill?.();
    await officer.press('#confirm-action');
  };

  beforeAll(async () => {
    const res = await api('POST', '/api/public/complaints', {
      json: {
        description:
          variant.lang === 'ar'
            ? 'خيمتنا ممزقة ويدخلها المطر منذ أسبوع، ولدينا أطفال صغار.'
            : 'Our tent is torn and the rain has come in for a week; our family has five people.',
        language: variant.lang,
        category: 'C03',
        governorate: 'IQG15',
        phone,
        consent: true,
      },
    });
    expect(res.status).toBe(201);
    reference = (res.json() as { reference: string }).reference;
    caseId = reference;
    await settle();
    officer = await signIn(browser, variant, 'local-officer', 'officer');
  });
  afterAll(async () => {
    await officer?.context.close();
  });

  it('finds the new case in the team queue and opens it', async () => {
    // The queue is the landing page of an officer.
    await page().waitForSelector(`tr[data-reference="${reference}"]`);
    expect(await page().getAttribute('html', 'dir')).toBe(variant.dir);
    const count = await textOf(page(), '#case-count');
    expect(count).not.toMatch(/\b1 cases\b/);
    await officer.shot('team-queue');
    await officer.press(`tr[data-reference="${reference}"] a.ref`);
    await page().waitForSelector('#case-reference');
    expect(await textOf(page(), '#case-reference')).toBe(reference);
    expect(await status()).toBe('new');
    // The number grouped and kept left to right, whatever the page's direction.
    expect(await page().getAttribute('#case-phone bdi', 'dir')).toBe('ltr');
    expect(await textOf(page(), '#case-phone bdi')).toBe(
      `+964 ${phone.slice(4, 7)} ${phone.slice(7, 10)} ${phone.slice(10)}`,
    );
    expect(await textOf(page(), '#case-share dd')).toBe(words.shareNotAsked);
    await officer.shot('case-opened');
  });

  it('changes the priority, re-routed in the same write, and acknowledges it without a conflict', async () => {
    await officer.press('#reclassify >> xpath=..//summary');
    await page().selectOption('#c-urgency', 'urgent');
    await type(
      officer,
      '#c-reason',
      variant.lang === 'ar' ? 'أطفال صغار في خيمة ممزقة' : 'Small children in a torn tent',
    );
    const [patched] = await Promise.all([
      page().waitForResponse((r) => r.request().method() === 'PATCH'),
      officer.press('#reclassify button[type=submit]'),
    ]);
    expect(patched.status()).toBe(200);
    const seen = ((await patched.json()) as { version: number }).version;
    await page().waitForSelector('#case-reference');
    // The change is routed and its SLA re-planned in the officer's own write: nothing writes for it afterwards.
    await settle();
    const now = (
      (await api('GET', `/api/cases/${caseId}`, { token: await tokenFor('officer') })).json() as Json
    ).case as Json;
    expect(now.version).toBe(seen);
    expect(now).toMatchObject({ urgency: 'urgent', sla: { policyId: 'urgent' } });
    await page().waitForSelector('article.case[aria-busy="false"]');

    // The person writes about the case by SMS (signed as Twilio signs it), which joins it: a write by no staff
    // member, after the page read it. The page still holds an older version than the case has.
    const sms = await sendSms(
      {
        url: baseUrl(),
        publicBaseUrl: baseUrl(),
        authToken: inject('twilioAuthToken'),
        accountSid: LOCAL_TWILIO.accountSid,
      },
      {
        from: phone,
        to: LOCAL_TWILIO.messagingFrom,
        body:
          variant.lang === 'ar'
            ? `بخصوص ${reference}: ما زالت الخيمة ممزقة والمطر يدخل`
            : `About ${reference}: the tent is still torn and the rain comes in`,
      },
    );
    expect(sms.status).toBe(200);
    const latest = await eventually(async () => {
      const c = (
        (await api('GET', `/api/cases/${caseId}`, { token: await tokenFor('officer') })).json() as Json
      ).case;
      return Number(c?.version) > Number(now.version) ? c : undefined;
    });

    const [ack] = await Promise.all([
      page().waitForResponse((r) => r.url().endsWith('/transitions')),
      act('acknowledge'),
    ]);
    const held = Number(ack.request().headers()['if-match']);
    expect(held).toBeGreaterThanOrEqual(seen);
    expect(held).toBeLessThan(Number(latest.version));
    expect(ack.status()).toBe(200);
    await waitStatus('acknowledged');
    await officer.shot('acknowledged');
  });

  it('is told who changed the case meanwhile and what, and keeps what it typed through the reload', async () => {
    const colleague = await tokenOf('local-officer-ninewa');
    const current = ((await api('GET', `/api/cases/${caseId}`, { token: colleague })).json() as Json).case;
    const assigned = await api('PATCH', `/api/cases/${caseId}`, {
      token: colleague,
      headers: { 'if-match': String(current?.version) },
      json: { assignee: 'local-officer-ninewa' },
    });
    expect(assigned.status).toBe(200);

    const typed =
      variant.lang === 'ar' ? 'اتصلت بالعائلة وسنزورهم غداً' : 'Called the family; visiting tomorrow';
    await act('start', () => type(officer, '#a-reason', typed));
    await page().waitForSelector('#conflict');
    const told = await textOf(page(), '#conflict');
    expect(told).toContain('local-officer-ninewa');
    expect(told).toContain(words.event_assigned);
    await officer.shot('conflict');
    await officer.press('#conflict-reload');
    await page().waitForSelector('#conflict', { state: 'detached' });
    await page().waitForSelector('article.case[aria-busy="false"]');
    await officer.press('button[data-action="start"]');
    expect(await page().inputValue('#a-reason')).toBe(typed);
    await officer.press('#confirm-action');
    await waitStatus('in_progress');
    expect(await textOf(page(), 'dl.facts')).toContain('local-officer-ninewa');
  });

  it('refers to a partner with an anonymous summary only, as the person has not consented; the partner declines', async () => {
    await officer.press('button[data-action="refer"]');
    await page().waitForSelector('#refer-form');
    expect(await textOf(page(), '#no-consent')).toBe(words.noConsentToShare);
    expect(await page().isDisabled('#a-share-consented')).toBe(true);
    expect(await page().isChecked('#a-share-anonymous')).toBe(true);
    await page().selectOption('#a-partner', 'shelter-partner');
    await officer.shot('refer-anonymous');
    await officer.press('#confirm-action');
    await waitStatus('referred');
    const pkg = await textOf(page(), '#referral-package pre');
    expect(pkg).toContain(reference);
    expect(pkg).not.toContain(phone.slice(-7));
    expect(pkg).not.toMatch(/tent|خيمت/);
    await officer.shot('referred-anonymous');

    await officer.press('#referral-declined');
    await type(
      officer,
      '#ra-reason',
      variant.lang === 'ar'
        ? 'لا يمكنهم المساعدة دون رقم العائلة'
        : 'They cannot help without the family’s number',
    );
    await officer.press('#confirm-referral-answer');
    await waitStatus('in_progress');
    expect(await page().getAttribute('#case-referral', 'data-referral')).toBe('declined');
  });

  it('records the consent the person gave by phone, then refers with what the partner may receive; the partner accepts', async () => {
    await officer.press('#share-consent summary');
    await officer.press('#sc-yes');
    await page().selectOption('#sc-how', 'phone_call');
    await officer.press('#sc-save');
    await page().waitForFunction(
      (no) => !document.querySelector('#case-share dd')?.textContent?.includes(no),
      words.shareNotAsked,
    );
    expect(await textOf(page(), '#case-share dd')).toContain(words.consentHow_phone_call);

    await officer.press('button[data-action="refer"]');
    await page().waitForSelector('#refer-form');
    expect(await page().$('#no-consent')).toBeNull();
    await page().selectOption('#a-partner', 'legal-aid');
    expect(await page().isChecked('#a-share-consented')).toBe(true);
    await officer.press('#confirm-action');
    await waitStatus('referred');
    expect(await textOf(page(), '#referral-package pre')).toContain(phone);
    await officer.shot('referred-with-consent');

    await officer.press('#referral-accepted');
    await officer.press('#confirm-referral-answer');
    await page().waitForSelector('#case-referral[data-referral="accepted"]');
    await officer.shot('referral-accepted');
  });

  it('resolves with the outcome and a message to the person, which the outcome SMS carries, and closes the case', async () => {
    await act('resolve', async () => {
      await page().selectOption('#a-outcome', 'assistance_provided');
      await type(officer, '#a-message', message);
    });
    await waitStatus('resolved');
    expect(await textOf(page(), '#outcome-message')).toBe(message);
    await officer.shot('resolved');
    const sms = await eventually(async () => {
      await settle();
      const res = await api('GET', `/dev/outbox?to=${encodeURIComponent(phone)}`, {
        token: await devToken(),
      });
      return (res.json() as { messages: { body?: string }[] }).messages.find((m) =>
        m.body?.includes(message),
      );
    });
    expect(sms.body).toContain(reference);

    await act('close');
    await waitStatus('closed');
    await officer.shot('closed');
    expect(await status()).toBe('closed');
    // The one refused request was the colleague's conflict.
    expect(officer.failures).toEqual([`409 /api/cases/${caseId}/transitions`]);
  });
});
