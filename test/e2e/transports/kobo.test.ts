import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_KOBO } from '#local/stack.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { en } from '../../../web/src/strings/en.ts';
import { api, baseUrl, settle, tokenFor } from '../../support/http.ts';
import { launchBrowser, signIn, textOf, VARIANTS } from '../console/browser.ts';
import { notificationsFor } from '../routing/support.ts';

/**
 * Field forms over HTTP against the local stack, posted exactly as KoboToolbox's REST Service posts them: the
 * submission as one JSON object of group-prefixed answers and Kobo's metadata, `Content-Type: application/json`,
 * HTTP basic authentication (python-requests' preemptive header), Kobo's user agent.
 */

const REF = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
const SAMPLE = JSON.parse(
  readFileSync(new URL('../../../docs/kobo/sample-submission.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The sample with a fresh instance id (and the answers given): another submission of the same form. */
function submission(answers: Record<string, unknown> = {}): Record<string, unknown> {
  const id = randomUUID();
  // Kobo stamps the moment its server received the form (UTC, without an offset): a minute ago.
  const receivedByKobo = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
  return {
    ...SAMPLE,
    'meta/instanceID': `uuid:${id}`,
    _uuid: id,
    _submission_time: receivedByKobo,
    ...answers,
  };
}

async function postAsKobo(
  body: unknown,
  o: { authorization?: string | null; contentType?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/json',
    'user-agent': 'KoBoToolbox external service #hQx7KmP2',
    ...o.headers,
  };
  const authorization =
    o.authorization === undefined
      ? `Basic ${Buffer.from(`${LOCAL_KOBO.username}:${LOCAL_KOBO.secret}`).toString('base64')}`
      : o.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(`${baseUrl()}/webhooks/kobo/submission`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as { reference?: string; error?: { code?: string } };
  return { status: res.status, reference: json.reference, code: json.error?.code };
}

async function caseAs(role: string, reference: string) {
  const res = await api('GET', `/api/cases/${reference}`, { token: await tokenFor(role) });
  return {
    status: res.status,
    view: res.status === 200 ? (res.json() as { case: Record<string, unknown> }) : undefined,
  };
}

describe('a field team’s KoboToolbox forms reach the platform', () => {
  it('a complaint-box form becomes a case on that channel, routed like any other', async () => {
    const form = submission();
    const posted = await postAsKobo(form);
    expect(posted.status).toBe(201);
    expect(posted.reference).toMatch(REF);
    const ref = posted.reference as string;
    const [routed] = await notificationsFor(ref);
    expect(routed?.message.eventType).toBe('routed');
    const { view } = await caseAs('officer', ref);
    expect(view?.case).toMatchObject({
      channel: 'complaint_box',
      transport: 'kobo',
      language: 'ar',
      type: 'complaint',
      location: { governorate: 'IQG15', district: 'IQG15Q03' },
      populationGroup: 'idp',
      sex: 'female',
      ageBand: '25-39',
      consentToFollowUp: false,
      consentToShare: { given: false, how: 'intake' },
      // Kobo's own time of receipt: a retried post keeps the SLA clock from when the form arrived.
      receivedAt: `${form._submission_time}.000Z`,
      classification: { source: 'person' },
    });
  });

  it("Kobo's retries, one after another and at the same moment, answer the first case's reference", async () => {
    const s = submission({ 'complaint/description': 'The water truck did not come to our block this week' });
    const first = await postAsKobo(s);
    expect(first.status).toBe(201);
    const later = await Promise.all([postAsKobo(s), postAsKobo(s), postAsKobo(s)]);
    expect(later.map((r) => [r.status, r.reference])).toEqual(Array(3).fill([200, first.reference]));

    const racing = submission({ 'complaint/description': 'The latrines in sector C are broken' });
    const together = await Promise.all(Array.from({ length: 5 }, () => postAsKobo(racing)));
    expect(together.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(together.map((r) => r.reference)).size).toBe(1);
  });

  it('also takes the shared secret in a custom header, as a REST Service can be set up', async () => {
    const posted = await postAsKobo(submission({ 'intake/channel': 'walk_in' }), {
      authorization: null,
      headers: { 'X-Kobo-Secret': LOCAL_KOBO.secret },
    });
    expect(posted.status).toBe(201);
    expect((await caseAs('officer', posted.reference as string)).view?.case.channel).toBe('walk_in');
  });

  it('refuses a post without the credentials, or not as Kobo posts, and stores nothing', async () => {
    const s = submission();
    const basic = (user: string, pass: string) =>
      `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    expect(await postAsKobo(s, { authorization: null })).toMatchObject({
      status: 401,
      code: 'KOBO.AUTH_MISSING',
    });
    expect(await postAsKobo(s, { authorization: basic(LOCAL_KOBO.username, 'guessed') })).toMatchObject({
      status: 401,
      code: 'KOBO.AUTH_INVALID',
    });
    expect(await postAsKobo('<data/>', { contentType: 'application/xml' })).toMatchObject({
      status: 415,
      code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await postAsKobo({ ...s, 'complaint/description': '' })).toMatchObject({
      status: 400,
      code: 'REQUEST.INVALID',
    });
    // Nothing was stored for this submission: its first accepted post opens the case.
    expect((await postAsKobo(s)).status).toBe(201);
  });

  it('a report of sexual exploitation is restricted and goes to the PSEA focal point only', async () => {
    const posted = await postAsKobo(
      submission({
        'intake/language': 'en',
        'complaint/feedback_type': '',
        'complaint/description':
          'The distribution guard told my sister he would put her name on the list if she slept with him',
        'contact/phone': '07701239876',
        'consent/consent_contact': 'yes',
      }),
    );
    expect(posted.status).toBe(201);
    const ref = posted.reference as string;
    const notes = await notificationsFor(ref);
    expect(notes.every((n) => n.focalPointId === 'psea-focal-point')).toBe(true);
    expect(JSON.stringify(notes)).not.toContain('slept');
    expect(JSON.stringify(notes)).not.toContain('1239876');
    expect((await caseAs('officer', ref)).status).toBe(404);
    const psea = await caseAs('psea', ref);
    expect(psea.view?.case).toMatchObject({ sensitivity: 'S3', category: 'C07', transport: 'kobo' });
  });
});

describe.each(VARIANTS)('an officer opens a field form’s case in the console ($name)', (variant) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('finds it in the team queue and reads it as the form recorded it', async () => {
    const description =
      variant.lang === 'ar'
        ? 'صندوق الشكاوى: الخيمة ممزقة ويدخلها المطر منذ أسبوع'
        : 'Complaint box note: our tent is torn and the rain has come in for a week';
    const posted = await postAsKobo(
      submission({
        'intake/language': variant.lang,
        'complaint/description': description,
        'complaint/category': 'C03',
      }),
    );
    expect(posted.status).toBe(201);
    const reference = posted.reference as string;
    await settle();
    const officer = await signIn(browser, variant, 'local-officer', 'kobo-form');
    try {
      const page = officer.page;
      await page.waitForSelector(`tr[data-reference="${reference}"]`);
      await officer.shot('team-queue');
      await officer.press(`tr[data-reference="${reference}"] a.ref`);
      await page.waitForSelector('#case-reference');
      expect(await textOf(page, '#case-reference')).toBe(reference);
      const strings = variant.lang === 'ar' ? ar : en;
      const body = (await page.textContent('main')) ?? '';
      expect(body).toContain(strings.channel_complaint_box);
      expect(body).toContain(description);
      await officer.shot('case');
      expect(officer.failures).toEqual([]);
    } finally {
      await officer.context.close();
    }
  });
});
