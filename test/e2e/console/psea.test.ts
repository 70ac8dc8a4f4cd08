import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { api, baseUrl, eventually, settle, tokenFor } from '../../support/http.ts';
import { launchBrowser, type Person, REFERENCE, signIn, textOf, type, VARIANTS } from './browser.ts';

/**
 * The PSEA focal point's desk in the console: a restricted case in the team queue, asking the person for more and
 * seeing at once when she writes again (the queue flags it, the case shows the follow-up) until the desk acts; and
 * a case restricted by caution, reviewed and made visible to the general team with a reason, then restricted again.
 */
const freshNumber = () => `+96475${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

/** An SMS exactly as Twilio posts it (signed); answers the reference the platform replied with. */
async function texts(from: string, body: string): Promise<string> {
  const res = await sendSms(
    {
      url: baseUrl(),
      publicBaseUrl: baseUrl(),
      authToken: inject('twilioAuthToken'),
      accountSid: LOCAL_TWILIO.accountSid,
    },
    { from, to: LOCAL_TWILIO.messagingFrom, body },
  );
  expect(res.status).toBe(200);
  expect(res.twiml).toContain('<Message>');
  return REFERENCE.exec(res.twiml)?.[0] ?? '';
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(VARIANTS)('the PSEA desk ($name)', (variant) => {
  const words = variant.lang === 'ar' ? ar : en;
  const survivor = freshNumber();
  const said = {
    report:
      variant.lang === 'ar'
        ? 'موظف في التوزيع طلب مني علاقة جنسية مقابل القسيمة'
        : 'A distribution worker asked me for sex in exchange for the voucher.',
    followUp:
      variant.lang === 'ar'
        ? 'جاء إلى خيمتنا مرة أخرى اليوم وهددني'
        : 'He came to our tent again today and threatened me.',
    // Restricted on no explicit word: the rules' caution and the learned model (basis "model").
    unclear:
      variant.lang === 'ar' ? 'الموزع طلب رقم بنتي' : "The distributor asked for my daughter's phone number.",
    caution:
      variant.lang === 'ar'
        ? 'صرخ الحارس عند البوابة على النساء في الطابور'
        : 'The guard at the gate shouted at the women in the queue.',
  };
  let psea: Person;
  let report = '';
  let caution = '';
  let unclear = '';
  const page = () => psea.page;

  beforeAll(async () => {
    report = await texts(survivor, said.report);
    caution = await texts(freshNumber(), said.caution);
    unclear = await texts(freshNumber(), said.unclear);
    expect(report).toMatch(REFERENCE);
    await settle();
    psea = await signIn(browser, variant, 'local-psea', 'psea');
  });
  afterAll(async () => {
    await psea?.context.close();
  });

  it('finds the restricted report in the team queue and asks the person for more', async () => {
    await page().waitForSelector(`tr[data-reference="${report}"]`);
    expect(await page().$(`tr[data-reference="${report}"] .tag.restricted`)).not.toBeNull();
    // The case restricted without explicit words says so, for the desk to review it first; the explicit one not.
    await page().waitForSelector(`tr[data-reference="${unclear}"]`);
    expect(await textOf(page(), `tr[data-reference="${unclear}"] .tag.to-review[data-basis="model"]`)).toBe(
      variant.lang === 'ar' ? 'للمراجعة: النموذج المتعلَّم' : 'To review: Learned model',
    );
    expect(await page().$(`tr[data-reference="${report}"] .tag.to-review`)).toBeNull();
    // Each tab counts its queue: a short filtered page is read on, never shown as "0+" (her own queue is empty
    // until she takes a case, and its first page of restricted cases came back with none of hers).
    // The counts come after the rows (each may read on over several pages): wait for all three.
    await page().waitForFunction(() => document.querySelectorAll('nav.tabs .count').length === 3);
    const counts = await page().$$eval('nav.tabs .count', (els) => els.map((e) => e.textContent?.trim()));
    expect(counts).toHaveLength(3);
    for (const n of counts) expect(n).toMatch(/^\d+\+?$/);
    expect(counts).not.toContain('0+');
    await psea.shot('team-queue');
    await psea.press(`tr[data-reference="${report}"] a.ref`);
    await page().waitForSelector('#case-reference');
    expect(await page().getAttribute('#case-sensitivity', 'data-sensitivity')).toBe('S3');
    // Where the case went, by the names the admin gave the focal points, not their record ids.
    const bare = (s: string) => s.replace(/[\u2066-\u2069]/g, '');
    expect(bare(await textOf(page(), '#case-focal-points dd'))).toBe('PSEA focal point');
    expect(bare(await textOf(page(), '.timeline li[data-event="routed"]'))).toContain(
      words.note_routed.replace('{to}', 'PSEA focal point'),
    );
    expect(await textOf(page(), '.case')).not.toContain('psea-focal-point');
    await psea.press('button[data-action="acknowledge"]');
    await psea.press('#confirm-action');
    await page().waitForSelector('[data-status="acknowledged"]');
    await psea.press('#wait-for-person');
    await type(
      psea,
      '#w-reason',
      variant.lang === 'ar' ? 'طلبت منها وصف ما حدث' : 'Asked her to describe what happened',
    );
    await psea.press('#confirm-wait');
    await page().waitForSelector('#stop-waiting');
    await psea.shot('waiting-for-her');
  });

  it('sees her follow-up flagged in the queue and on the case, until the desk acts on it', async () => {
    // Her follow-up joins the restricted case; the answer names no reference (the phone may not be hers alone).
    expect(await texts(survivor, said.followUp)).toBe('');
    await settle();
    await psea.press('a[href="#/queues/team"]');
    await page().waitForSelector(`tr[data-reference="${report}"][data-new-message="true"]`);
    // How many cases have one depends on what earlier test files left on the shared stack: singular or plural.
    expect(await textOf(page(), '#new-messages')).toMatch(
      variant.lang === 'ar' ? /رسال(?:ة|ئل) جديدة/ : /new message/,
    );
    expect(await textOf(page(), `tr[data-reference="${report}"] .tag.new-message`)).toBe(
      variant.lang === 'ar' ? 'رسالة جديدة' : 'New message',
    );
    await psea.shot('queue-flags-follow-up');

    await psea.press(`tr[data-reference="${report}"] a.ref`);
    await page().waitForSelector('#new-message');
    expect(await textOf(page(), '.narrative')).toContain(said.followUp);
    expect(await page().$('.timeline li.follow-up')).not.toBeNull();
    expect(await textOf(page(), '.timeline li.follow-up')).toContain(words.actor_complainant);
    await psea.shot('case-shows-follow-up');

    await type(
      psea,
      '#note',
      variant.lang === 'ar' ? 'اتصلت بها، واتفقنا على خطة سلامة.' : 'Called her back; safety plan agreed.',
    );
    await psea.press('#add-note');
    await page().waitForSelector('#new-message', { state: 'detached' });
    await psea.press('a[href="#/queues/team"]');
    await page().waitForSelector(`tr[data-reference="${report}"]`);
    expect(await page().getAttribute(`tr[data-reference="${report}"]`, 'data-new-message')).toBeNull();
  });

  it('lifts a restriction put on by caution, with a reason, and restricts the case again', async () => {
    await type(psea, '#jump', caution);
    await psea.press('form[role=search] button');
    await page().waitForSelector('#case-reference');
    expect(await page().getAttribute('#case-sensitivity', 'data-sensitivity')).toBe('S2');
    expect(await textOf(page(), '#restriction h2')).toBe(words.liftTitle);
    await page().selectOption('#r-level', 'S1');
    await type(
      psea,
      '#r-reason',
      variant.lang === 'ar'
        ? 'راجعتها: صراخ عند البوابة، لا سوء سلوك يستدعي التحقيق.'
        : 'Reviewed: shouting at the gate, no misconduct to investigate.',
    );
    await psea.press('#lift-restriction');
    await page().waitForSelector('#case-sensitivity[data-sensitivity="S1"]');
    expect(await page().$('h1 .tag.restricted')).toBeNull();
    expect(await textOf(page(), '.timeline')).toContain(words.note_restriction_lifted);
    await psea.shot('restriction-lifted');

    // The general officer sees it now.
    const officer = await api('GET', `/api/cases/${caution}`, { token: await tokenFor('officer') });
    expect(officer.status).toBe(200);

    await page().selectOption('#r-level', 'S2');
    await type(
      psea,
      '#r-reason',
      variant.lang === 'ar' ? 'اتصل شخص آخر عن الحارس نفسه.' : 'Another caller reported the same guard.',
    );
    await psea.press('#impose-restriction');
    await page().waitForSelector('#case-sensitivity[data-sensitivity="S2"]');
    expect(await textOf(page(), '.timeline')).toContain(words.note_restricted);
    await psea.shot('restricted-again');
    expect((await api('GET', `/api/cases/${caution}`, { token: await tokenFor('officer') })).status).toBe(
      404,
    );

    const trail = await eventually(async () => {
      const res = await api('GET', `/api/admin/audit?caseId=${caution}`, { token: await tokenFor('admin') });
      const items = (res.json() as { items: { action: string; why: string }[] }).items.filter(
        (e) => e.action === 'case.restriction',
      );
      return items.length === 2 ? items : undefined;
    });
    expect(trail.map((e) => e.why.split(':')[0]).sort()).toEqual(['imposed', 'lifted']);
    expect(psea.failures).toEqual([]);
  });
});
