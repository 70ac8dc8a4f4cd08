/**
 * The programme manager sees a spike on her dashboard, in Chromium against the local stack, at a desk in English and
 * on a phone (360×740, touch) in Arabic. Before she looks, the hotline logs six complaints about the water in Akre
 * in one morning (a place nobody else complained about this fortnight), and one report of sexual exploitation from
 * the same place, which counts toward nothing.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';
import { launchBrowser, SHOTS, signIn, textOf, VARIANTS } from './browser.ts';

const AKRE = { governorate: 'IQG15', district: 'IQG15Q01' };

async function logCall(narrative: string, category: string): Promise<void> {
  const created = await api('POST', '/api/cases', {
    token: await tokenFor('operator'),
    json: {
      channel: 'hotline',
      narrative,
      language: 'en',
      category,
      type: 'complaint',
      location: AKRE,
      consentToFollowUp: false,
    },
    headers: { 'idempotency-key': `spike-${randomBytes(6).toString('hex')}` },
  });
  expect(created.status, created.text).toBe(201);
}

let browser: Browser;

describe('a spike on the manager’s dashboard', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    for (const text of [
      'No water at the water point in Akre since yesterday.',
      'The water tank in our block in Akre is empty.',
      'We have had no water for two days in Akre.',
      // Not "The water truck did not come to Akre today.": the model reads that one as S3 since the batches from
      // DF-6701 on (README, Known limits), and a restricted case counts toward no spike.
      'The water delivery to Akre did not arrive today.',
      'There is no drinking water for the families in Akre.',
      'Akre: the water pipe is broken and nobody came.',
    ])
      await logCall(text, 'C03');
    await logCall('A guard in Akre asked a woman for sex in return for her food basket.', 'C07');
    await settle();
    await eventually(async () => {
      const res = await api('GET', '/api/reports/spikes', { token: await tokenFor('manager') });
      const found = (res.json() as { spikes: { place: string; count: number }[] }).spikes.find(
        (s) => s.place === AKRE.district,
      );
      return found?.count === 6 ? found : undefined;
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const variant of VARIANTS) {
    it(`${variant.name}: reads the spike in Akre with its count, its usual day and where it alerts`, async () => {
      const manager = await signIn(browser, variant, 'local-manager', 'spikes');
      const { page } = manager;
      expect(await page.getAttribute('html', 'dir')).toBe(variant.dir);
      const row = page.locator(`tr[data-spike="C03#${AKRE.district}"]`);
      await row.waitFor();
      await row.scrollIntoViewIfNeeded();
      await manager.shot('dashboard-spikes');
      // The spikes card alone, at the size it is read (the full page on a phone is too long to look at).
      await page
        .locator('#spikes')
        .screenshot({ path: join(SHOTS, `journey-spikes-${variant.name}-card.png`) });

      // On a phone each row reads as a card, every value under its own column's name.
      const labels = await row
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-label')));
      expect(labels[0]).toBe(variant.lang === 'en' ? 'Place' : 'المكان');
      expect(labels[2]).toBe(variant.lang === 'en' ? 'Cases that day' : 'الحالات في ذلك اليوم');
      const cells = await row.locator('td').allTextContents();
      const [place, , count, baseline, threshold, words] = cells.map((c) => c.trim());
      if (variant.lang === 'en') {
        expect(await textOf(page, '#spikes-title')).toBe('Spikes: today and yesterday');
        expect(await row.locator('th').textContent()).toContain('Quality');
        expect(place).toBe('Aqra · Ninewa');
        expect(count).toBe('n = 6');
        expect(baseline).toBe('0');
        expect(threshold).toBe('5');
        // Lexicon words of the case that crossed, never its text.
        expect(words).not.toBe('–');
        expect(words).not.toMatch(/Akre|\d/);
      } else {
        expect(await textOf(page, '#spikes-title')).toBe('الارتفاعات المفاجئة: اليوم وأمس');
        expect(place).toContain('عقرة');
        // The console writes Arabic with the digits its users' phones show (see i18n.ts).
        expect(count).toBe('العدد = 6');
        expect(baseline).toBe('0');
        expect(threshold).toBe('5');
      }
      expect(await textOf(page, '#spike-rule')).not.toBe('');
      // The restricted report in Akre counts nowhere: no C07 spike, and the water count is six, not seven.
      expect(await page.locator(`tr[data-spike="C07#${AKRE.district}"]`).count()).toBe(0);
      expect(manager.failures).toEqual([]);
      await manager.context.close();
    });
  }
});
