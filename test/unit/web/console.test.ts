import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import type { CaseRecord } from '../../../web/src/api.ts';
import { channelLabel, setLang } from '../../../web/src/i18n.ts';
import { slaState, splitDuration } from '../../../web/src/sla-clock.ts';
import { durationText } from '../../../web/src/sla-view.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { ckb } from '../../../web/src/strings/ckb.ts';
import { en } from '../../../web/src/strings/en.ts';
import { kmr } from '../../../web/src/strings/kmr.ts';
import { signaturePayload, twilioSignature } from '../../../web/src/twilio-signature.ts';
import { dashboardFigures, weekStart } from '../../../web/src/views/dashboard.ts';

const require = createRequire(import.meta.url);
const { getExpectedTwilioSignature, validateRequest } = require('twilio/lib/webhooks/webhooks.js') as {
  getExpectedTwilioSignature: (token: string, url: string, params: Record<string, string>) => string;
  validateRequest: (token: string, signature: string, url: string, params: Record<string, string>) => boolean;
};

/** The distinct placeholders of a string (a plural string names `{n}` in some of its forms only). */
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('console strings', () => {
  const tables = { ar, ckb, kmr } as const;

  it.each(Object.keys(tables) as (keyof typeof tables)[])(
    '%s has every English key, filled, with the same placeholders',
    (lang) => {
      const table: Record<string, string> = tables[lang];
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const [key, english] of Object.entries(en)) {
        const text = table[key] ?? '';
        expect(text.trim(), `${lang}.${key}`).not.toBe('');
        // A plural string may leave the count out of a form ("one case"), never bring in another placeholder.
        const allowed = placeholders(english);
        expect(
          placeholders(text).filter((p) => !allowed.includes(p)),
          `${lang}.${key}`,
        ).toEqual([]);
        if (!english.includes('other:')) expect(placeholders(text), `${lang}.${key}`).toEqual(allowed);
      }
    },
  );

  it.each(['ar', 'ckb'] as const)('%s is written in Arabic script', (lang) => {
    for (const [key, text] of Object.entries(tables[lang])) {
      if (/^[\d\s{}\w()./:-]*$/.test(text) && !/[A-Za-z]{3}/.test(text)) continue; // codes and numbers only
      expect(text, `${lang}.${key}`).toMatch(/[\u0600-\u06ff]/);
    }
  });

  it('Kurmanji is translated, not English left in place', () => {
    // A product's name is written the same in both.
    const names = new Set(['transport_whatsapp']);
    const same = Object.entries(kmr).filter(
      ([k, v]) => !names.has(k) && en[k as keyof typeof en] === v && /[a-z]{3}/.test(v),
    );
    expect(same).toEqual([]);
  });
});

describe('browser-side Twilio signature', () => {
  const url = 'https://cfm.example.org/webhooks/twilio/voice/menu?lang=ar';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    From: '+9647701234567',
    To: '+9647000000000',
    Digits: '2',
    Body: 'الماء مقطوع & لا يوجد خبز',
    AccountSid: `AC${'0'.repeat(31)}1`,
  };

  it('agrees with the Twilio SDK', async () => {
    const ours = await twilioSignature('local-twilio-auth-token', url, params);
    expect(ours).toBe(getExpectedTwilioSignature('local-twilio-auth-token', url, params));
    expect(validateRequest('local-twilio-auth-token', ours, url, params)).toBe(true);
  });

  it('changes with any parameter, and with the token', async () => {
    const base = await twilioSignature('token-a', url, params);
    expect(await twilioSignature('token-a', url, { ...params, Digits: '3' })).not.toBe(base);
    expect(await twilioSignature('token-b', url, params)).not.toBe(base);
  });

  it('concatenates the URL and the parameters in name order', () => {
    expect(signaturePayload('https://x/y', { b: '2', a: '1', C: '3' })).toBe('https://x/yC3a1b2');
  });
});

const baseCase = (extra: Partial<CaseRecord>): CaseRecord => ({
  caseId: '01J',
  reference: 'K7MQ-4XZ9',
  version: 2,
  status: 'acknowledged',
  channel: 'web',
  language: 'en',
  type: 'complaint',
  category: 'C03',
  sensitivity: 'S0',
  urgency: 'action',
  receivedAt: '2026-11-18T07:00:00.000Z',
  updatedAt: '2026-11-18T07:00:00.000Z',
  ...extra,
});

describe('SLA clock', () => {
  const working = (acknowledgeBy: string, resolveBy: string) => ({
    policyId: 'complaint',
    clock: 'working' as const,
    acknowledgeBy,
    resolveBy,
  });

  it('counts working time left: Thursday 15:00 to Monday 16:00 is 17 working hours', () => {
    // Baghdad is UTC+3: Thursday 2026-11-19 15:00 local is 12:00Z; Monday 2026-11-23 16:00 local is 13:00Z.
    const c = baseCase({
      acknowledgedAt: '2026-11-18T08:00:00.000Z',
      sla: working('2026-11-18T10:00:00.000Z', '2026-11-23T13:00:00.000Z'),
    });
    const s = slaState(c, new Date('2026-11-19T12:00:00.000Z'), IRAQ_CALENDAR);
    expect(s).toEqual({
      kind: 'running',
      target: 'resolve',
      due: '2026-11-23T13:00:00.000Z',
      remainingMs: 17 * 3_600_000,
      clock: 'working',
    });
    // 17 working hours are two 8-hour working days and one hour.
    expect(splitDuration(17 * 3_600_000, 'working', IRAQ_CALENDAR)).toEqual({
      days: 2,
      hours: 1,
      minutes: 0,
    });
  });

  it('counts overdue time in working hours, skipping the weekend', () => {
    // Due Thursday 12:00 local; now Sunday 10:00 local: 4 hours on Thursday and 2 on Sunday.
    const c = baseCase({
      status: 'new',
      sla: working('2026-11-19T09:00:00.000Z', '2026-11-30T13:00:00.000Z'),
    });
    const s = slaState(c, new Date('2026-11-22T07:00:00.000Z'), IRAQ_CALENDAR);
    expect(s).toMatchObject({ kind: 'running', target: 'acknowledge', remainingMs: -6 * 3_600_000 });
  });

  it('skips the region’s public holidays: Victory Day (10 December) is federal', () => {
    // Wednesday 2026-12-09 16:00 local to Friday: Thursday 10 December is a federal holiday, a working day in Erbil.
    const sla = working('2026-12-09T05:00:00.000Z', '2026-12-13T13:00:00.000Z');
    const now = new Date('2026-12-09T13:00:00.000Z');
    const baghdad = baseCase({
      acknowledgedAt: '2026-12-09T05:00:00.000Z',
      location: { governorate: 'IQG08' },
      sla,
    });
    const erbil = baseCase({
      acknowledgedAt: '2026-12-09T05:00:00.000Z',
      location: { governorate: 'IQG11' },
      sla,
    });
    expect(slaState(baghdad, now, IRAQ_CALENDAR)).toMatchObject({ remainingMs: 8 * 3_600_000 });
    expect(slaState(erbil, now, IRAQ_CALENDAR)).toMatchObject({ remainingMs: 16 * 3_600_000 });
  });

  it('counts around the clock for a 24/7 policy, stops while paused, and says whether a closed case was in time', () => {
    const sla = {
      policyId: 's3',
      clock: '24x7' as const,
      acknowledgeBy: '2026-11-21T10:00:00.000Z',
      resolveBy: '2026-11-22T10:00:00.000Z',
    };
    const now = new Date('2026-11-21T04:00:00.000Z'); // a Saturday
    expect(slaState(baseCase({ status: 'new', sla }), now, IRAQ_CALENDAR)).toMatchObject({
      remainingMs: 6 * 3_600_000,
    });
    expect(
      slaState(baseCase({ sla: { ...sla, pausedSince: '2026-11-21T03:00:00.000Z' } }), now, IRAQ_CALENDAR),
    ).toMatchObject({ kind: 'paused' });
    expect(
      slaState(
        baseCase({ status: 'resolved', resolvedAt: '2026-11-22T09:00:00.000Z', sla }),
        now,
        IRAQ_CALENDAR,
      ),
    ).toEqual({ kind: 'done', met: true });
    expect(
      slaState(
        baseCase({ status: 'closed', resolvedAt: '2026-11-22T11:00:00.000Z', sla }),
        now,
        IRAQ_CALENDAR,
      ),
    ).toEqual({ kind: 'done', met: false });
    expect(slaState(baseCase({}), now, IRAQ_CALENDAR)).toEqual({ kind: 'none' });
  });

  it('reads a list row’s due time around the clock', () => {
    const row = baseCase({ status: 'new', dueAt: '2026-11-21T10:00:00.000Z' });
    expect(slaState(row, new Date('2026-11-21T12:00:00.000Z'), IRAQ_CALENDAR)).toMatchObject({
      kind: 'running',
      target: 'acknowledge',
      remainingMs: -2 * 3_600_000,
    });
  });

  it('says "less than 1 min" rather than "0 min" for a case just past or just short of its time', () => {
    setLang('en');
    expect(durationText(-30_000, '24x7')).toBe('less than 1 min');
    expect(durationText(59_000, '24x7')).toBe('less than 1 min');
    expect(durationText(-61_000, '24x7')).toBe('1 min');
    expect(durationText(-(3_600_000 + 30_000), '24x7')).toBe('1 h 0 min');
    setLang('ar');
    expect(durationText(-30_000, '24x7')).toBe('أقل من دقيقة');
    setLang('en');
  });
});

describe('dashboard figures', () => {
  it('starts weeks on Sunday in Baghdad time', () => {
    expect(weekStart('2026-11-19T12:00:00.000Z')).toBe('2026-11-15'); // Thursday
    expect(weekStart('2026-11-21T22:30:00.000Z')).toBe('2026-11-22'); // Sunday 01:30 in Baghdad
  });

  it('bins closing times, open-case ages, the share within SLA and loop closure', () => {
    const now = new Date('2026-11-30T09:00:00.000Z');
    const sla = {
      policyId: 'p',
      clock: '24x7' as const,
      acknowledgeBy: '2026-11-21T00:00:00.000Z',
      resolveBy: '2026-11-25T00:00:00.000Z',
    };
    const cases = [
      baseCase({
        status: 'closed',
        receivedAt: '2026-11-20T00:00:00.000Z',
        resolvedAt: '2026-11-22T00:00:00.000Z',
        closedAt: '2026-11-22T00:00:00.000Z',
        loopClosedBy: 'sms',
        sla,
      }),
      baseCase({
        status: 'closed',
        receivedAt: '2026-11-20T00:00:00.000Z',
        resolvedAt: '2026-11-28T00:00:00.000Z',
        closedAt: '2026-11-28T00:00:00.000Z',
        sla,
      }),
      baseCase({ status: 'new', channel: 'sms', category: null, receivedAt: '2026-11-29T09:00:00.000Z' }),
      baseCase({ status: 'in_progress', receivedAt: '2026-11-10T09:00:00.000Z' }),
    ];
    const f = dashboardFigures(cases, now, 'channel');
    expect(f.ttc.map((b) => b.value)).toEqual([0, 1, 0, 1, 0, 0]); // 2 days and 8 days
    expect(f.backlog.map((b) => b.value)).toEqual([1, 0, 0, 1, 0]); // 1 day and 20 days old
    expect(f.withinSla).toBe(0.5);
    expect(f.loop).toBe(0.5);
    const smsIndex = f.keys.indexOf('sms');
    expect(f.perWeek.map((w) => w[smsIndex])).toEqual([0, 0, 1]);
  });
});

describe('how a case came in', () => {
  it('names WhatsApp and the local SIM for a message, a Kobo form beside its channel, plain SMS as the channel', () => {
    setLang('en');
    expect(channelLabel('sms', undefined)).toBe('SMS');
    expect(channelLabel('sms', 'sms')).toBe('SMS');
    expect(channelLabel('sms', 'whatsapp')).toBe('WhatsApp');
    expect(channelLabel('sms', 'gateway')).toBe('SMS to the local number');
    expect(channelLabel('walk_in', 'kobo')).toBe('Walk-in · KoboToolbox form');
    expect(channelLabel('hotline', undefined)).toBe('Hotline call');
    setLang('ar');
    expect(channelLabel('sms', 'whatsapp')).toBe('واتساب');
    expect(channelLabel('sms', undefined)).toBe('رسالة نصية');
    setLang('en');
  });
});
