/**
 * An officer resolves a cluster of similar complaints together, in Chromium against the local stack, at a desk in
 * English and on a phone (360×740, touch) in Arabic. Before she looks, people at one camp text that the water is out
 * (signed SMS, as Twilio posts them) and the hotline logs one more call about it from a caller who did not agree to
 * be contacted. She opens one of the cases from its notification link, sees the cluster on the case, opens the
 * cluster and resolves it with one message. Meanwhile a colleague acknowledges one of the cases: that one is left
 * as it is and reported back. Each person who texted, and whose case was resolved, gets the outcome SMS once; the
 * caller who did not consent and the case that moved on get none.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, baseUrl, devToken, eventually, settle, tokenFor } from '../../support/http.ts';
import { newPhone, postSms } from '../routing/support.ts';
import { launchBrowser, SHOTS, signIn, textOf, type, VARIANTS } from './browser.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted on
type Json = Record<string, any>;

/** Each walk has its own camp, so the two clusters never meet. */
const CAMPS = {
  'desk-en': {
    district: 'IQG11Q06',
    texts: [
      'No water in the camp in Shaqlawa',
      'There is no water in our camp in Shaqlawa since yesterday',
      'The water has been cut off in the camp in Shaqlawa',
    ],
    call: 'Caller says the camp in Shaqlawa has had no water for two days.',
    message: 'The water network in the camp was repaired this morning.',
  },
  'phone-ar': {
    district: 'IQG11Q03',
    texts: ['ماكو ماي بالمخيم في كويه', 'الماء مقطوع عن المخيم في كويه', 'ماكو ماي بمخيم كويه من يومين'],
    call: 'المتصل يقول إن المخيم في كويه بدون ماء منذ يومين.',
    message: 'تم إصلاح شبكة الماء في المخيم هذا الصباح.',
  },
} as const;

const outboxTo = async (phone: string): Promise<Json[]> => {
  const r = await api('GET', `/dev/outbox?to=${encodeURIComponent(phone)}`, { token: await devToken() });
  return (r.json() as Json).messages as Json[];
};

let browser: Browser;

describe('an officer resolves a cluster together', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const variant of VARIANTS) {
    it(`${variant.name}: opens a case, sees its cluster, resolves the cluster; each consenting person is texted once`, async () => {
      const camp = CAMPS[variant.name];
      const officerToken = await tokenFor('officer');
      const texted: { phone: string; reference: string }[] = [];
      for (const body of camp.texts) {
        const phone = newPhone();
        const sent = await postSms(body, phone);
        expect(sent.status).toBe(200);
        texted.push({ phone, reference: sent.reference as string });
      }
      const callerPhone = newPhone();
      const logged = await api('POST', '/api/cases', {
        token: await tokenFor('operator'),
        json: {
          channel: 'hotline',
          narrative: camp.call,
          language: variant.lang,
          category: 'C03',
          type: 'complaint',
          location: { governorate: camp.district.slice(0, 5), district: camp.district },
          phone: callerPhone,
          consentToFollowUp: false,
        },
        headers: { 'idempotency-key': `cluster-${randomBytes(6).toString('hex')}` },
      });
      expect(logged.status, logged.text).toBe(201);
      const callRef = (logged.json() as Json).reference as string;
      await settle();
      const first = texted[0]!;
      const cluster = await eventually(async () => {
        const r = await api('GET', `/api/cases/${first.reference}`, { token: officerToken });
        const c = (r.json() as Json).cluster;
        return c && c.size === 4 ? c : undefined;
      });

      const officer = await signIn(browser, variant, 'local-officer', 'clusters');
      const { page } = officer;
      expect(await page.getAttribute('html', 'dir')).toBe(variant.dir);
      // As from the notification's link.
      await page.goto(`${baseUrl()}/console/#/case/${first.reference}`);
      const panel = page.locator('#case-cluster');
      await panel.waitFor();
      await panel.scrollIntoViewIfNeeded();
      await officer.shot('case-with-cluster');
      await panel.screenshot({ path: join(SHOTS, `journey-clusters-${variant.name}-case-panel.png`) });
      const others = await panel
        .locator('li[data-reference]')
        .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-reference')));
      expect(others.sort()).toEqual([...texted.slice(1).map((t) => t.reference), callRef].sort());
      expect(await textOf(page, '#case-cluster p')).toContain('4');

      await officer.press('#open-cluster');
      await page.locator('#cluster-members tbody tr').nth(3).waitFor();
      await page.waitForSelector('article.cluster[aria-busy="false"]');
      expect(await page.locator('#cluster-members tbody tr').count()).toBe(4);
      await officer.shot('cluster');

      // A colleague acknowledges one case while she writes: it has moved on, and is left as it is.
      const movedOn = texted[2]!;
      const current = (await api('GET', `/api/cases/${movedOn.reference}`, { token: officerToken }).then(
        (r) => r.json(),
      )) as Json;
      const ack = await api('POST', `/api/cases/${movedOn.reference}/transitions`, {
        token: await tokenFor('psea'),
        json: { action: 'acknowledge' },
        headers: { 'if-match': String(current.case.version) },
      });
      expect(ack.status, ack.text).toBe(200);

      await type(officer, '#c-message', camp.message);
      await officer.press('#confirm-cluster-resolve');
      const result = page.locator('#cluster-result');
      await result.waitFor();
      await page.waitForSelector('article.cluster[aria-busy="false"]');
      await result.scrollIntoViewIfNeeded();
      await officer.shot('cluster-resolved');
      expect(await textOf(page, '#cluster-result h2')).toContain('3');
      const skipped = await page
        .locator('#cluster-skipped li')
        .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-reference')));
      expect(skipped).toEqual([movedOn.reference]);
      expect(officer.failures).toEqual([]);

      // The people: each consenting, resolved person is texted the outcome once; nobody else is.
      const resolvedTexters = texted.filter((t) => t !== movedOn);
      await eventually(async () => {
        const got = await Promise.all(resolvedTexters.map((t) => outboxTo(t.phone)));
        return got.every((ms) => ms.some((m) => String(m.body).includes(camp.message))) ? got : undefined;
      });
      await settle();
      for (const t of resolvedTexters) {
        const outcome = (await outboxTo(t.phone)).filter((m) => String(m.body).includes(camp.message));
        expect(outcome, t.reference).toHaveLength(1);
        expect(String(outcome[0]?.body)).toContain(t.reference);
      }
      expect((await outboxTo(movedOn.phone)).filter((m) => String(m.body).includes(camp.message))).toEqual(
        [],
      );
      expect((await outboxTo(callerPhone)).filter((m) => String(m.body).includes(camp.message))).toEqual([]);

      // Each resolved case carries the resolution on its own timeline; the acknowledged one is still open.
      for (const ref of [...resolvedTexters.map((t) => t.reference), callRef]) {
        const c = (await api('GET', `/api/cases/${ref}`, { token: officerToken }).then((r) =>
          r.json(),
        )) as Json;
        expect(c.case.status, ref).toBe('resolved');
        expect(c.case.outcome).toBe('assistance_provided');
      }
      const still = (await api('GET', `/api/cases/${movedOn.reference}`, { token: officerToken }).then((r) =>
        r.json(),
      )) as Json;
      expect(still.case.status).toBe('acknowledged');

      // The cluster is still open (one case is), with its size, in the clusters list and on the dashboard.
      await officer.press('nav a[href="#/clusters"]');
      const listed = page.locator(`#clusters-table tr[data-cluster="${cluster.clusterId}"]`);
      await listed.waitFor();
      expect(await listed.locator('td[data-size]').getAttribute('data-size')).toBe('4');
      expect(await listed.locator('td[data-size]').textContent()).toContain(
        variant.lang === 'en' ? 'n = 4' : 'العدد = 4',
      );
      await officer.shot('clusters-list');
      await officer.press('nav a[href="#/dashboard"]');
      const card = page.locator(`#dash-clusters tr[data-cluster="${cluster.clusterId}"]`);
      await card.waitFor();
      await card.scrollIntoViewIfNeeded();
      await page
        .locator('#clusters')
        .screenshot({ path: join(SHOTS, `journey-clusters-${variant.name}-dashboard-card.png`) });
      expect(officer.failures).toEqual([]);
      await officer.context.close();
    });
  }
});
