import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { api, settle, tokenFor } from '../../support/http.ts';
import { launchBrowser, type Person, signIn, textOf, type, VARIANTS } from './browser.ts';

/**
 * An administrator's setup in the console: focal points listed by name with their members, a new focal point and
 * a routing rule to it (flagged, as nobody holds it yet), an edit of the focal point, an SLA policy and a referral
 * partner; then break-glass into a restricted case with a written reason, found again in the audit trail.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(VARIANTS)('an administrator’s setup ($name)', (variant) => {
  const words = variant.lang === 'ar' ? ar : en;
  const suffix = `${variant.lang}${Math.floor(Math.random() * 1e6)}`;
  const ids = {
    focalPoint: `fp-basra-${suffix}`,
    rule: `basra-${suffix}`,
    policy: `cash-${suffix}`,
    partner: `wash-${suffix}`,
  };
  let admin: Person;
  let restricted = '';
  const page = () => admin.page;
  const tab = async (name: string) => {
    await admin.press(`nav.tabs a[href="#/admin/${name}"]`);
    await page().waitForSelector(`nav.tabs a[href="#/admin/${name}"][aria-current="page"]`);
  };

  beforeAll(async () => {
    const res = await api('POST', '/api/public/complaints', {
      json: {
        about: 'abuse',
        description:
          'A guard at the distribution point touched my daughter and asked her to come back alone.',
        language: 'en',
      },
    });
    restricted = (res.json() as { reference: string }).reference;
    await settle();
    admin = await signIn(browser, variant, 'local-admin', 'admin');
  });
  afterAll(async () => {
    await admin?.context.close();
    const token = await tokenFor('admin');
    await api('DELETE', `/api/admin/routing-rules/${ids.rule}`, { token });
    await api('DELETE', `/api/admin/focal-points/${ids.focalPoint}`, { token });
    await api('DELETE', `/api/admin/sla-policies/${ids.policy}`, { token });
    await api('DELETE', `/api/admin/partners/${ids.partner}`, { token });
  });

  it('lists the focal points by name, with the people who hold them and the rules that route to them', async () => {
    await page().waitForSelector('#focal-points tr[data-id="misconduct-focal-point"]');
    expect(await page().getAttribute('html', 'dir')).toBe(variant.dir);
    const row = await textOf(page(), '#focal-points tr[data-id="misconduct-focal-point"]');
    expect(row).toContain('Fraud and misconduct focal point');
    expect(row).toContain('misconduct-s2');
    expect(await textOf(page(), '#focal-points tbody')).not.toContain('?');
    for (const id of ['accountability-officer', 'psea-focal-point', 'misconduct-focal-point'])
      expect(await page().$(`#focal-points tr[data-id="${id}"].has-warning`), id).toBeNull();
    // The local admin sees the local mailboxes; no one else does.
    expect(await page().$('a[href="#/inbox"]')).not.toBeNull();
    await admin.shot('focal-points');
  });

  it('creates a focal point with "New", and edits it under its id', async () => {
    await admin.press('#new-focal-point summary');
    await type(admin, '#fp-new-id', ids.focalPoint);
    await type(admin, '#fp-new-name', 'Basra team');
    await page().selectOption('#fp-new-kind', 'general');
    await page().selectOption('#fp-new-channel', 'email');
    await type(admin, '#fp-new-address', 'basra.team@example.org');
    await admin.shot('new-focal-point');
    const [created] = await Promise.all([
      page().waitForResponse(
        (r) => r.url().endsWith('/api/admin/focal-points') && r.request().method() === 'POST',
      ),
      admin.press('#fp-new-save'),
    ]);
    expect(created.status()).toBe(201);
    await page().waitForSelector(`#focal-points tr[data-id="${ids.focalPoint}"]`);

    const edit = page().locator('details.record', { has: page().locator(`#fp-${ids.focalPoint}-form`) });
    await admin.press(edit.locator('summary'));
    await type(admin, `#fp-${ids.focalPoint}-name`, 'Basra accountability team');
    const [saved] = await Promise.all([
      page().waitForResponse((r) => r.request().method() === 'PUT'),
      admin.press(`#fp-${ids.focalPoint}-save`),
    ]);
    expect(new URL(saved.url()).pathname).toBe(`/api/admin/focal-points/${ids.focalPoint}`);
    expect(saved.status()).toBe(200);
    await page().waitForFunction(
      (id) =>
        document
          .querySelector(`#focal-points tr[data-id="${id}"]`)
          ?.textContent?.includes('Basra accountability team'),
      ids.focalPoint,
    );
  });

  it('adds a routing rule to it, and both are flagged: nobody holds the focal point yet', async () => {
    await tab('routing-rules');
    await admin.press('#new-rule summary');
    await type(admin, '#rule-new-id', ids.rule);
    await type(admin, '#rule-new-name', 'Basra governorate');
    await admin.press(`input[name="rule-new-gov"][value="IQG02"]`);
    await admin.press(`input[name="rule-new-fp"][value="${ids.focalPoint}"]`);
    await admin.press('#rule-new-save');
    await page().waitForSelector(
      '#rule-new-form .warning[data-code="ADMIN.RULE_TO_FOCAL_POINT_WITHOUT_MEMBERS"]',
    );
    await page().waitForSelector(`#routing-rules tr[data-id="${ids.rule}"].has-warning`);
    await admin.shot('rule-flagged');

    await tab('focal-points');
    const flagged = await page().waitForSelector(`#focal-points tr[data-id="${ids.focalPoint}"].has-warning`);
    expect(await flagged.textContent()).toContain(words.noMembers);
    await admin.shot('focal-point-flagged');
  });

  it('adds an SLA policy in working days and a referral partner', async () => {
    await tab('sla-policies');
    await admin.press('#new-sla-policy summary');
    await type(admin, '#sla-new-id', ids.policy);
    await type(admin, '#sla-new-name', 'Cash complaints, Basra');
    await page().selectOption('#sla-new-clock', 'working');
    await type(admin, '#sla-new-ack', '1');
    await page().selectOption('#sla-new-ack-unit', 'workingDays');
    await type(admin, '#sla-new-resolve', '5');
    await page().selectOption('#sla-new-resolve-unit', 'workingDays');
    await admin.press('input[name="sla-new-cat"][value="C04"]');
    await admin.press('#sla-new-save');
    await page().waitForSelector(`#sla-policies tr[data-id="${ids.policy}"]`);
    expect(await textOf(page(), `#sla-policies tr[data-id="${ids.policy}"]`)).toContain(
      variant.lang === 'ar' ? 'يوم دوام واحد' : '1 working day',
    );
    await admin.shot('sla-policy');
    const stored = await api('GET', `/api/admin/sla-policies/${ids.policy}`, {
      token: await tokenFor('admin'),
    });
    expect(stored.json()).toMatchObject({
      clock: 'working',
      acknowledgeWithin: { workingDays: 1 },
      resolveWithin: { workingDays: 5 },
      match: { categories: ['C04'] },
      // A new policy tells one level at a time, not everyone at the missed due time.
      escalation: [
        { level: 'focal_point', after: { ms: 0 } },
        { level: 'supervisor', after: { workingDays: 1 } },
        { level: 'programme_manager', after: { workingDays: 2 } },
      ],
    });

    await tab('partners');
    await admin.press('#new-partner summary');
    await type(admin, '#partner-new-id', ids.partner);
    await type(admin, '#partner-new-name', 'WASH partner, Basra');
    await type(admin, '#partner-new-email', 'referrals@wash.example.org');
    await admin.press('input[name="partner-new-receives"][value="narrative"]');
    await admin.press('#partner-new-save');
    await page().waitForSelector(`#partners tr[data-id="${ids.partner}"]`);
    const partner = await api('GET', `/api/admin/partners/${ids.partner}`, {
      token: await tokenFor('admin'),
    });
    expect((partner.json() as { receives: string[] }).receives).toContain('narrative');
    await admin.shot('partner');
  });

  it('opens a restricted case with break-glass and a written reason, and finds it in the audit trail', async () => {
    await tab('break-glass');
    await type(admin, '#bg-reference', restricted);
    const reason =
      variant.lang === 'ar'
        ? 'طلب الشرطة رقم 2026/311 يسأل هل سُجّلت القضية.'
        : 'Police request 2026/311 asks to confirm the case was reported.';
    await type(admin, '#bg-reason', reason);
    await admin.press('#bg-open');
    await page().waitForSelector('#bg-case-reference');
    expect(await textOf(page(), '#bg-case-reference')).toBe(restricted);
    expect(await textOf(page(), '#break-glass-case')).toContain(words.note_break_glass);
    await admin.shot('break-glass');

    await tab('audit');
    await type(admin, '#au-case', restricted);
    await admin.press('#au-apply');
    await page().waitForSelector('#audit tr[data-action="case.break_glass"]');
    const entry = await textOf(page(), '#audit tr[data-action="case.break_glass"]');
    expect(entry).toContain(reason);
    expect(entry).toContain(words.audit_case_break_glass);
    await admin.shot('audit-by-case');
    await type(admin, '#au-case', '');
    await type(admin, '#au-user', 'local-admin');
    await admin.press('#au-apply');
    await page().waitForSelector('#audit tr[data-action="case.break_glass"]');
    expect(admin.failures).toEqual([]);
  });

  it('reads in the local Inbox what the PSEA focal point is sent: the reference and the link, no details', async () => {
    await admin.press('a[href="#/inbox"]');
    const line = page().locator('ol.mailbox li p.message', {
      hasText: `CFM ${restricted}: needs your attention.`,
    });
    await line.first().waitFor();
    const shown = (await line.first().textContent()) ?? '';
    expect(shown).toMatch(
      new RegExp(
        `^CFM ${restricted}: needs your attention\\. http://localhost:\\d+/console/#/case/${restricted}$`,
      ),
    );
    expect(shown).not.toMatch(/sexual|exploitation|guard|daughter/i);
    // The link wraps on a phone rather than running off the page.
    expect(await page().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      page().viewportSize()?.width ?? 0,
    );
    await admin.shot('inbox', 'screen');
    expect(admin.failures).toEqual([]);
  });
});
