import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { koboAuthenticated } from '#functions/lib/kobo-webhook.ts';
import { TransportConfigError, transportsFromEnv } from '#functions/lib/platform.ts';
import {
  gatherKoboAnswers,
  KOBO_FIELDS,
  KoboAnswers,
  koboCaseInput,
  koboIdempotencyKey,
} from '#shared/intake/transports/kobo.ts';
import { csv, koboFormSheets } from '../../../scripts/lib/kobo-form.ts';
import { xlsx } from '../../../scripts/lib/xlsx.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z');
const INSTANCE = 'uuid:5d3c1e9a-8b7f-4c2d-9e1a-0b2c3d4e5f60';
const answers = (extra: Record<string, unknown> = {}) =>
  KoboAnswers.parse({
    instanceId: INSTANCE,
    channel: 'complaint_box',
    language: 'ckb',
    description: 'ئاو لە کەمپەکە نییە سێ ڕۆژە',
    ...extra,
  });

describe('reading a Kobo submission', () => {
  it('finds each question by its own name, whatever group holds it, and leaves Kobo’s metadata alone', () => {
    const got = gatherKoboAnswers({
      'intake/channel': 'walk_in',
      'deep/nested/group/language': 'en',
      description: 'top level',
      'meta/instanceID': INSTANCE,
      'formhub/uuid': 'abc',
      _uuid: INSTANCE.slice(5),
      _submission_time: '2026-12-03T09:58:12',
      _notes: [],
      'extra/unrelated_question': 'kept out',
    });
    expect(got).toEqual({
      answers: {
        channel: 'walk_in',
        language: 'en',
        description: 'top level',
        instanceId: INSTANCE,
        submittedAt: '2026-12-03T09:58:12',
      },
    });
  });

  it('names a question that occurs under two groups instead of guessing', () => {
    expect(gatherKoboAnswers({ 'a/phone': '07701234567', 'b/phone': '07701234568' })).toEqual({
      duplicate: { field: 'phone' },
    });
  });

  it('keys the case by the instance id, whichever of meta/instanceID and _uuid carried it', () => {
    const fromMeta = gatherKoboAnswers({ 'meta/instanceID': INSTANCE });
    const fromUuid = gatherKoboAnswers({ _uuid: INSTANCE.slice(5) });
    expect(fromMeta).toEqual(fromUuid);
    expect(koboIdempotencyKey(INSTANCE)).toBe('kobo:5d3c1e9a-8b7f-4c2d-9e1a-0b2c3d4e5f60');
    expect(koboIdempotencyKey(INSTANCE.toUpperCase().replace('UUID:', 'uuid:'))).toBe(
      koboIdempotencyKey(INSTANCE),
    );
  });
});

describe('the case a submission opens', () => {
  it('leaves classification to the router when the form chose nothing', () => {
    const input = koboCaseInput(answers({ governorate: 'IQG15', district: 'IQG15Q05' }), NOW);
    expect(input).toMatchObject({
      channel: 'complaint_box',
      transport: 'kobo',
      idempotencyKey: 'kobo:5d3c1e9a-8b7f-4c2d-9e1a-0b2c3d4e5f60',
      language: 'ckb',
      type: null,
      category: null,
      sensitivity: 'S0',
      classification: { source: 'pending' },
      location: { governorate: 'IQG15', district: 'IQG15Q05' },
      consentToFollowUp: false,
      createdBy: { kind: 'system', id: 'kobo' },
    });
  });

  it('takes a chosen category as the person’s choice with its default sensitivity', () => {
    expect(koboCaseInput(answers({ category: 'C07', feedback_type: 'complaint' }), NOW)).toMatchObject({
      type: 'complaint',
      category: 'C07',
      sensitivity: 'S3',
      classification: { source: 'person', evidence: ['kobo form: complaint C07'] },
    });
    expect(koboCaseInput(answers({ category: 'C06' }), NOW)).toMatchObject({ sensitivity: 'S2' });
  });

  it('finds the governorate of a district given alone', () => {
    expect(koboCaseInput(answers({ district: 'IQG15Q05' }), NOW).location).toEqual({
      governorate: 'IQG15',
      district: 'IQG15Q05',
    });
  });

  it('records consent to contact only with a number, and consent to share as answered at intake', () => {
    expect(koboCaseInput(answers({ consent_contact: 'yes' }), NOW).consentToFollowUp).toBe(false);
    const input = koboCaseInput(
      answers({ consent_contact: 'yes', consent_share: 'yes', phone: '0770 123 4567' }),
      NOW,
    );
    expect(input).toMatchObject({
      phone: '+9647701234567',
      consentToFollowUp: true,
      consentToShare: { given: true, how: 'intake', at: NOW.toISOString() },
    });
    expect(koboCaseInput(answers(), NOW)).not.toHaveProperty('consentToShare');
  });

  it('keeps Kobo’s time of receipt (UTC without an offset), but never one in the future', () => {
    expect(koboCaseInput(answers({ submittedAt: '2026-12-03T09:58:12' }), NOW).receivedAt).toBe(
      '2026-12-03T09:58:12.000Z',
    );
    expect(koboCaseInput(answers({ submittedAt: '2026-12-03T12:58:12+03:00' }), NOW).receivedAt).toBe(
      '2026-12-03T09:58:12.000Z',
    );
    expect(koboCaseInput(answers({ submittedAt: '2026-12-04T09:58:12' }), NOW)).not.toHaveProperty(
      'receivedAt',
    );
  });
});

describe('Kobo credentials', () => {
  const KOBO = { username: 'kobo-iq', secret: 'a-shared-secret-of-24ch' };
  const event = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayProxyEventV2;
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  it('accepts basic authentication with the user name and secret, or the secret in X-Kobo-Secret', () => {
    expect(koboAuthenticated(event({ Authorization: basic(KOBO.username, KOBO.secret) }), KOBO)).toBe(true);
    expect(koboAuthenticated(event({ 'X-Kobo-Secret': KOBO.secret }), KOBO)).toBe(true);
    // A password holding a colon is still the password: only the first colon separates.
    const colon = { ...KOBO, secret: 'pass:with:colons-xyz' };
    expect(koboAuthenticated(event({ authorization: basic(colon.username, colon.secret) }), colon)).toBe(
      true,
    );
  });

  it('refuses anything else, and says when nothing was sent', () => {
    expect(koboAuthenticated(event({}), KOBO)).toBeUndefined();
    const wrong: Record<string, string>[] = [
      { authorization: basic(KOBO.username, `${KOBO.secret}x`) },
      { authorization: basic('other', KOBO.secret) },
      { authorization: `Bearer ${KOBO.secret}` },
      { authorization: 'Basic !!!' },
      { 'x-kobo-secret': KOBO.secret.slice(0, -1) },
      { 'x-kobo-secret': '' },
    ];
    for (const headers of wrong) {
      expect({ headers, ok: koboAuthenticated(event(headers), KOBO) }).toEqual({ headers, ok: false });
    }
  });
});

describe('enabling field forms', () => {
  const secret = {
    twilioAccountSid: 'AC1',
    twilioAuthToken: 't',
    dataKey: 'k'.repeat(44),
    phoneHashKey: 'h'.repeat(44),
  };
  it('is off without KOBO_USERNAME, on with it and the secret’s koboSecret, and refused without that', () => {
    expect(transportsFromEnv({}, { ...secret, koboSecret: 'x'.repeat(16) })).not.toHaveProperty('kobo');
    expect(
      transportsFromEnv({ KOBO_USERNAME: 'kobo-iq' }, { ...secret, koboSecret: 'x'.repeat(16) }).kobo,
    ).toEqual({ username: 'kobo-iq', secret: 'x'.repeat(16) });
    expect(() => transportsFromEnv({ KOBO_USERNAME: 'kobo-iq' }, secret)).toThrow(TransportConfigError);
  });
});

describe('the XLSForm template in docs/kobo/', () => {
  const sheets = koboFormSheets();
  const sheet = (name: string) => sheets.find((s) => s.name === name)?.rows ?? [];
  const survey = sheet('survey');
  const choices = sheet('choices');
  const col = (rows: readonly (readonly string[])[], name: string) => (rows[0] ?? []).indexOf(name);

  it('is committed as built from the platform’s lists (npm run build:kobo-form)', () => {
    const dir = new URL('../../../docs/kobo/', import.meta.url);
    expect(readFileSync(new URL('complaint-form.xlsx', dir)).equals(xlsx(sheets))).toBe(true);
    for (const s of sheets) {
      expect(readFileSync(new URL(`complaint-form.${s.name}.csv`, dir), 'utf8')).toBe(csv(s));
    }
  });

  it('asks every question the webhook reads, under the names it reads, with choice lists that exist', () => {
    const names = survey.slice(1).map((r) => r[col(survey, 'name')]);
    for (const f of KOBO_FIELDS) expect(names).toContain(f);
    const lists = new Set(choices.slice(1).map((r) => r[0]));
    for (const r of survey.slice(1)) {
      const [kind, list] = (r[0] ?? '').split(' ');
      if (kind === 'select_one') expect({ list, exists: lists.has(list) }).toEqual({ list, exists: true });
    }
  });

  it('offers only answers the webhook accepts, and each district under its own governorate', () => {
    const listOf = (q: string) =>
      survey
        .slice(1)
        .find((r) => r[col(survey, 'name')] === q)?.[0]
        ?.split(' ')[1];
    const filter = col(choices, 'governorate');
    for (const field of KOBO_FIELDS) {
      const list = listOf(field);
      if (!list) continue;
      for (const row of choices.slice(1).filter((r) => r[0] === list)) {
        const value = row[1] as string;
        const input = {
          instanceId: INSTANCE,
          channel: 'complaint_box',
          language: 'en',
          description: 'x',
          ...(field === 'district' ? { governorate: row[filter] } : {}),
          [field]: value,
        };
        const parsed = KoboAnswers.safeParse(input);
        expect({ field, value, ok: parsed.success }).toEqual({ field, value, ok: true });
      }
    }
  });

  it('is a submission the webhook reads whole, as Kobo posts it with the template’s groups', () => {
    // The keys Kobo writes: each question's name under its groups' names.
    const keys: Record<string, string> = {};
    const groups: string[] = [];
    for (const r of survey.slice(1)) {
      const [type, name] = [r[0] as string, r[col(survey, 'name')] as string];
      if (type === 'begin_group') groups.push(name);
      else if (type === 'end_group') groups.pop();
      else keys[name] = [...groups, name].join('/');
    }
    const submission = {
      [keys.channel as string]: 'walk_in',
      [keys.language as string]: 'kmr',
      [keys.description as string]: 'Av li kampê tune ye',
      [keys.governorate as string]: 'IQG08',
      [keys.phone as string]: '07501234567',
      [keys.consent_contact as string]: 'yes',
      'meta/instanceID': INSTANCE,
    };
    const gathered = gatherKoboAnswers(submission);
    if (!('answers' in gathered)) throw new Error('duplicate field');
    expect(koboCaseInput(KoboAnswers.parse(gathered.answers), NOW)).toMatchObject({
      channel: 'walk_in',
      language: 'kmr',
      location: { governorate: 'IQG08' },
      phone: '+9647501234567',
      consentToFollowUp: true,
    });
  });
});
