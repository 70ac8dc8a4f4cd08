import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';
import { launchBrowser, type Person, REFERENCE, signIn, textOf, type, VARIANTS } from './browser.ts';

/**
 * A hotline operator's shift, in the console, without reloading the page: a new caller, the same caller again
 * (their history on screen), an information request answered on the call, a sensitive call that leaves the
 * operator's view once logged, and a callback request after a mistyped number.
 */
const freshNumber = () => `0770${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
const e164 = (local: string) => `+964${local.slice(1)}`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(VARIANTS)('an operator’s shift ($name)', (variant) => {
  const words = variant.lang === 'ar' ? ar : en;
  let op: Person;
  const caller = freshNumber();
  const logged: string[] = [];

  beforeAll(async () => {
    op = await signIn(browser, variant, 'local-operator', 'operator');
    await op.page.waitForSelector('#o-narrative');
    // A mark on the page: if anything reloads it during the shift, the mark is gone.
    await op.page.evaluate(() => {
      (window as unknown as { shift: string }).shift = 'one page all shift';
    });
  });
  afterAll(async () => {
    await op?.context.close();
  });

  /** Logs the call on screen and reads the reference from the notice. */
  async function logTheCall(): Promise<string> {
    const before = logged.at(-1);
    await op.press('#o-log');
    await op.page.waitForFunction((prev) => {
      const ref = document.querySelector('#logged')?.getAttribute('data-reference');
      return ref && ref !== prev;
    }, before ?? '');
    const reference = (await op.page.getAttribute('#logged', 'data-reference')) ?? '';
    expect(reference).toMatch(REFERENCE);
    logged.push(reference);
    return reference;
  }

  async function expectEmptyForm() {
    expect(await op.page.inputValue('#o-phone')).toBe('');
    expect(await op.page.inputValue('#o-narrative')).toBe('');
    expect(await op.page.inputValue('#o-gov')).toBe('');
    expect(await op.page.inputValue('#o-category')).toBe('');
    expect(await op.page.isChecked('#o-consent')).toBe(false);
    expect(await op.page.isChecked('#o-share-not_asked')).toBe(true);
    expect(await op.page.isChecked('#o-resolve')).toBe(false);
    expect(await op.page.$('#earlier')).toBeNull();
  }

  it('opens on the call form, in the person’s language and direction, with no Inbox or Outbox for an operator', async () => {
    expect(await op.page.getAttribute('html', 'dir')).toBe(variant.dir);
    expect(await op.page.getAttribute('html', 'lang')).toBe(variant.lang);
    expect(await textOf(op.page, 'main h1')).toBe(words.operatorTitle);
    expect(await op.page.$('a[href="#/inbox"]')).toBeNull();
    expect(await op.page.$('a[href="#/outbox"]')).toBeNull();
    await op.shot('call-form');
  });

  it('logs a first call from a new caller, and the form starts empty again', async () => {
    await type(op, '#o-phone', caller);
    await op.press('#o-find');
    await op.page.waitForSelector('#earlier');
    expect(await textOf(op.page, '#earlier p')).toBe(words.noEarlierCases);
    await op.page.selectOption('#o-type', 'complaint');
    await op.page.selectOption('#o-category', 'C03');
    await op.page.selectOption('#o-gov', 'IQG15');
    await op.page.selectOption('#o-district', 'IQG15Q05');
    await type(op, '#o-narrative', 'The water tank in block C has been empty for three days.');
    await op.press('#o-consent');
    await op.press('#o-share-yes');
    await op.shot('first-call-filled');
    const ref = await logTheCall();
    expect(await op.page.getAttribute('#logged', 'data-visible')).toBe('true');
    expect(await op.page.$(`#logged a[href^="#/case/"]`)).not.toBeNull();
    await expectEmptyForm();
    await op.shot('first-call-logged');

    const detail = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('operator'),
      json: { reference: ref },
    });
    expect((detail.json() as { items: { channel: string; location: unknown }[] }).items[0]).toMatchObject({
      channel: 'hotline',
      location: { governorate: 'IQG15', district: 'IQG15Q05' },
    });
  });

  /** Waits until the number's index (a moment behind the write) finds `reference` for `role`. */
  const indexed = (role: string, reference: string) =>
    eventually(async () => {
      const res = await api('POST', '/api/cases/lookup', {
        token: await tokenFor(role),
        json: { phone: e164(caller) },
      });
      const refs = (res.json() as { items: { reference: string }[] }).items.map((i) => i.reference);
      return refs.includes(reference) ? refs : undefined;
    });

  it('logs the same caller’s second call with their history on screen', async () => {
    await indexed('operator', logged[0] ?? '');
    await type(op, '#o-phone', caller);
    await op.press('#o-find');
    await op.page.waitForSelector(`#earlier tr[data-reference="${logged[0]}"]`);
    await op.shot('returning-caller-history');
    await type(op, '#o-narrative', 'Calling again: the tank is still empty and my family is getting sick.');
    await op.page.selectOption('#o-category', 'C03');
    await op.press('#o-consent');
    await logTheCall();
    await expectEmptyForm();
  });

  it('answers an information request on the call, with the outcome list filled on this call too', async () => {
    await type(op, '#o-narrative', 'When is the next cash distribution in Hamdaniya?');
    await op.page.selectOption('#o-type', 'question');
    await op.press('#o-resolve');
    await op.page.waitForSelector('#o-outcome');
    expect(await op.page.inputValue('#o-outcome')).toBe('information_given');
    expect(await op.page.$$eval('#o-outcome option', (os) => os.length)).toBe(5);
    await op.shot('information-request');
    const ref = await logTheCall();
    await expectEmptyForm();
    await settle();
    const found = await api('POST', '/api/cases/lookup', {
      token: await tokenFor('operator'),
      json: { reference: ref },
    });
    const [row] = (found.json() as { items: { status: string; outcome: string }[] }).items;
    expect(row).toMatchObject({ status: 'closed', outcome: 'information_given' });
  });

  it('logs a sensitive call, which leaves the operator’s view once logged', async () => {
    await type(op, '#o-phone', caller);
    await op.page.selectOption('#o-category', 'C07');
    await type(
      op,
      '#o-narrative',
      'The caller says a distribution volunteer asked her for sex in exchange for the voucher.',
    );
    await op.press('#o-consent');
    const ref = await logTheCall();
    expect(await op.page.getAttribute('#logged', 'data-visible')).toBe('false');
    expect(await textOf(op.page, '#logged p')).toBe(words.loggedRestricted);
    expect(await op.page.$('#logged a')).toBeNull();
    await op.shot('sensitive-call-logged');

    // The caller's history no longer shows it: the two earlier cases, not the third (which the PSEA desk finds).
    await indexed('psea', ref);
    await type(op, '#o-phone', caller);
    await op.press('#o-find');
    await op.page.waitForSelector(`#earlier tr[data-reference="${logged[0]}"]`);
    const shown = await op.page.$$eval('#earlier tr[data-reference]', (rows) =>
      rows.map((r) => r.getAttribute('data-reference')),
    );
    expect(shown.sort()).toEqual([logged[0], logged[1]].sort());
    expect(shown).not.toContain(ref);
    await op.press('#o-new-call');
    await expectEmptyForm();
  });

  it('takes a callback request after correcting a mistyped number, the refusal explained beside the field', async () => {
    await type(op, '#o-phone', '0770 12');
    await op.press('#o-find');
    await op.page.waitForSelector('#o-phone-error');
    expect(await textOf(op.page, '#o-phone-error')).toBe(words.err_CASE_INVALID_PHONE);
    expect(await op.page.getAttribute('#o-phone', 'aria-invalid')).toBe('true');
    await op.shot('mistyped-number');

    const number = freshNumber();
    await type(op, '#o-phone', number);
    await type(op, '#o-narrative', 'Asks where the new health centre in the camp is and when it opens.');
    await op.page.selectOption('#o-type', 'question');
    await op.press('#o-consent');
    await op.press('#o-callback');
    await type(op, '#o-callback-note', variant.lang === 'ar' ? 'بعد الساعة الرابعة عصراً' : 'After 4 pm');
    await op.shot('callback-request');
    const ref = await logTheCall();
    await expectEmptyForm();

    await settle();
    const token = await tokenFor('operator');
    // The number's index catches up with the write a moment later.
    const row = await eventually(async () => {
      const res = await api('POST', '/api/cases/lookup', { token, json: { phone: e164(number) } });
      return (res.json() as { items: { caseId: string; reference: string }[] }).items[0];
    });
    expect(row?.reference).toBe(ref);
    const detail = (await api('GET', `/api/cases/${row?.caseId}`, { token })).json() as {
      timeline: { type: string; actor: { id?: string } }[];
    };
    expect(detail.timeline.find((e) => e.type === 'callback_requested')?.actor.id).toBe('local-operator');
  });

  it('did all five calls on one page, without a reload or a failed request the operator did not cause', async () => {
    expect(logged).toHaveLength(5);
    expect(new Set(logged).size).toBe(5);
    expect(await op.page.evaluate(() => (window as unknown as { shift?: string }).shift)).toBe(
      'one page all shift',
    );
    // The one refusal was the mistyped number; nothing else (no favicon) failed.
    expect(op.failures).toEqual(['400 /api/cases/lookup']);
  });
});
