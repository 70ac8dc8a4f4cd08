import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as configSchemas from '#shared/config/schemas.ts';
import { ROUTER_EVIDENCE } from '#shared/routing/router-evidence.ts';
import { ESCALATION_LEVELS as SLA_LEVELS } from '#shared/sla/sla-schema.ts';
import { ApiError } from '../../../web/src/api.ts';
import * as codes from '../../../web/src/codes.ts';
import {
  formatDateTime,
  formatNumber,
  formatPhone,
  pluralForms,
  setLang,
  t,
  tn,
} from '../../../web/src/i18n.ts';
import { parseRoute } from '../../../web/src/routes.ts';
import { ar } from '../../../web/src/strings/ar.ts';
import { ckb } from '../../../web/src/strings/ckb.ts';
import { en } from '../../../web/src/strings/en.ts';
import { kmr } from '../../../web/src/strings/kmr.ts';
import { actorLabel, eventSummary } from '../../../web/src/timeline.ts';
import { errorKey, errorText, fieldErrors } from '../../../web/src/ui.ts';
import { evidenceLines } from '../../../web/src/views/case.ts';

const session = (role: string) => ({
  token: 't',
  userId: `local-${role}`,
  name: role,
  roles: [role as 'admin'],
  governorates: [],
  mode: 'local' as const,
});

afterEach(() => setLang('en'));

describe('plural forms', () => {
  it('says "1 case shown" and "2 cases shown" in English', () => {
    setLang('en');
    expect(tn('caseCount', 1)).toBe('1 case shown');
    expect(tn('caseCount', 2)).toBe('2 cases shown');
    expect(tn('caseCount', 0)).toBe('0 cases shown');
  });

  it('uses the six Arabic forms', () => {
    setLang('ar');
    expect(tn('caseCount', 0)).toBe('لا توجد قضايا معروضة');
    expect(tn('caseCount', 1)).toBe('قضية واحدة معروضة');
    expect(tn('caseCount', 2)).toBe('قضيتان معروضتان');
    expect(tn('caseCount', 3)).toBe('3 قضايا معروضة');
    expect(tn('caseCount', 11)).toBe('11 قضية معروضة');
    expect(tn('caseCount', 100)).toBe('100 قضية معروضة');
  });

  it('gives every plural string an "other" form in every language, and only known categories', () => {
    for (const table of [en, ar, ckb, kmr]) {
      for (const [key, text] of Object.entries(table)) {
        if (!/^(zero|one|two|few|many|other):/.test(text)) continue;
        const forms = pluralForms(text);
        expect(forms.has('other'), key).toBe(true);
        for (const part of text.split('|')) expect(part, key).toMatch(/^(zero|one|two|few|many|other):/);
      }
    }
  });
});

describe('numbers, dates and phone numbers', () => {
  it('groups an Iraqi number and keeps its plus sign first', () => {
    expect(formatPhone('+9647801000021')).toBe('+964 780 100 0021');
    expect(formatPhone('+441632960961')).toBe('+441632960961');
  });

  it('writes Latin digits in Arabic and Sorani, as references and phone numbers are', () => {
    for (const lang of ['ar', 'ckb'] as const) {
      setLang(lang);
      expect(formatNumber(1234)).toMatch(/^1.?234$/);
      const when = formatDateTime('2026-11-23T09:30:00.000Z');
      expect(when, lang).toContain('12');
      expect(when, lang).not.toMatch(/[٠-٩۰-۹]/);
    }
  });
});

describe('errors in the person’s language', () => {
  /** Every stable code the staff API answers with, read from the code that throws them. */
  function apiCodes(): string[] {
    const roots = [
      'functions/cases',
      'functions/admin',
      'functions/lib',
      'shared/cases',
      'shared/config',
      'shared/errors',
      'shared/store',
    ];
    const found = new Set<string>();
    for (const root of roots) {
      for (const file of readdirSync(root)) {
        if (!file.endsWith('.ts')) continue;
        const text = readFileSync(join(root, file), 'utf8');
        for (const m of text.matchAll(/'((?:CASE|ADMIN|CONFIG|REQUEST|AUTH)\.[A-Z_]+)'/g))
          found.add(m[1] ?? '');
      }
    }
    return [...found].sort();
  }

  it('has words for every code the staff API can answer with', () => {
    // Warnings have their own sentences (warnFocalPointNoMembers, warnRuleNoMembers); the third is a log line's
    // code; the last two stop a function at start when a stage's transport settings or its secret's place are wrong
    // (deployment faults, which the API answers as any internal error).
    const notErrors = [
      'ADMIN.FOCAL_POINT_WITHOUT_MEMBERS',
      'ADMIN.RULE_TO_FOCAL_POINT_WITHOUT_MEMBERS',
      'ADMIN.SUBSCRIPTION_SYNC_FAILED',
      'CONFIG.TRANSPORT',
      'CONFIG.SECRET_SOURCE',
    ];
    const codesFound = apiCodes().filter((c) => !notErrors.includes(c));
    expect(codesFound).toContain('CASE.NO_CONSENT_TO_SHARE');
    expect(codesFound.filter((c) => errorKey(c) === undefined)).toEqual([]);
  });

  it('explains a refused referral in Arabic, never as a generic error', () => {
    setLang('ar');
    const text = errorText(new ApiError(409, 'CASE.NO_CONSENT_TO_SHARE', 'The person has not consented'));
    expect(text).toBe(ar.err_CASE_NO_CONSENT_TO_SHARE);
    expect(text).not.toMatch(/[A-Za-z]{4}/);
  });

  it('names a code it does not know yet, inside a translated sentence', () => {
    setLang('kmr');
    expect(errorText(new ApiError(409, 'CASE.SOMETHING_NEW', 'x'))).toBe(
      kmr.errorUnknown.replace('{code}', 'CASE.SOMETHING_NEW'),
    );
  });

  it('ties a 400 to the fields it names, and a code to the field it always concerns', () => {
    const invalid = new ApiError(400, 'REQUEST.INVALID', 'x', [
      { path: 'body.narrative', message: 'Too small' },
      { path: 'body.location.governorate', message: 'bad' },
    ]);
    expect([...fieldErrors(invalid)].sort()).toEqual(['location', 'narrative']);
    expect([...fieldErrors(new ApiError(400, 'CASE.INVALID_PHONE', 'x'))]).toEqual(['phone']);
  });
});

describe('routes', () => {
  it('opens a case from the console route and from the old #/cases/ form of notification links', () => {
    expect(parseRoute('#/case/K7MQ-4XZ9', session('officer'))).toEqual({ view: 'case', caseId: 'K7MQ-4XZ9' });
    expect(parseRoute('#/cases/K7MQ-4XZ9', session('officer'))).toEqual({
      view: 'case',
      caseId: 'K7MQ-4XZ9',
    });
  });

  it('shows the Inbox and Outbox pages to admins only', () => {
    expect(parseRoute('#/inbox', session('officer'))).toEqual({ view: 'queues', queue: 'team' });
    expect(parseRoute('#/outbox', session('operator'))).toEqual({ view: 'operator' });
    expect(parseRoute('#/inbox', session('admin'))).toEqual({ view: 'inbox' });
  });

  it('reaches the audit trail and break-glass pages', () => {
    expect(parseRoute('#/admin/audit', session('admin'))).toEqual({ view: 'admin', tab: 'audit' });
    expect(parseRoute('#/admin/break-glass', session('admin'))).toEqual({
      view: 'admin',
      tab: 'break-glass',
    });
  });
});

describe('timeline and evidence in plain words', () => {
  it('tells an escalation in Arabic from its codes, without the worker’s English sentence', () => {
    setLang('ar');
    const e = {
      type: 'escalated',
      actor: { kind: 'system', id: 'sweeper' },
      reason: 'The acknowledge target was missed.',
      data: { level: 'supervisor', target: 'acknowledge' },
    };
    expect(eventSummary(e)).toBe('فاتت مهلة الرد الأول؛ صُعّدت إلى المشرف');
    // Whom the sweeper told, by name where the case page knows it.
    const told = { ...e, data: { ...e.data, focalPoints: ['cfm-supervisor'] } };
    expect(eventSummary(told, { focalPoint: () => 'مشرف آلية الشكاوى' })).toBe(
      'فاتت مهلة الرد الأول؛ صُعّدت إلى المشرف · أُرسلت إلى \u2068مشرف آلية الشكاوى\u2069',
    );
    expect(actorLabel(e.actor)).toBe('المنصة (المهل)');
    expect(actorLabel({ kind: 'staff', id: 'local-officer', role: 'officer' })).toBe(
      'مسؤول المساءلة (\u2066local-officer\u2069)',
    );
  });

  it('says where a case was sent by the focal points’ names, with the language’s comma, and an id it cannot name', () => {
    const e = {
      type: 'routed',
      actor: { kind: 'system', id: 'router' },
      data: { focalPoints: ['psea-focal-point', 'fp-gone'] },
    };
    const names = { focalPoint: (id: string) => (id === 'psea-focal-point' ? 'مسؤولة الحماية' : id) };
    setLang('ar');
    expect(eventSummary(e, names)).toBe('أُرسلت إلى \u2068مسؤولة الحماية\u2069، \u2068fp-gone\u2069');
    setLang('en');
    expect(eventSummary(e, names)).toBe('Sent to \u2068مسؤولة الحماية\u2069, \u2068fp-gone\u2069');
    expect(eventSummary(e)).toBe('Sent to \u2068psea-focal-point\u2069, \u2068fp-gone\u2069');
  });

  it('turns classifier evidence into the words it matched and sentences for the rest', () => {
    setLang('en');
    const lines = evidenceLines([
      'sex:sex',
      'exchange:in exchange',
      'basic_services:water',
      'staff:worker',
      'rule:child-at-risk→C08',
      'hint:category=C07',
      'router:content-not-readable→S2',
    ]);
    expect(lines.words).toEqual(['sex', 'in exchange', 'water', 'worker']);
    expect(lines.notes).toEqual([
      'Several words together pointed to Safety and protection.',
      `The person chose Category: ${en.category_C07}`,
      en.evidenceUnreadable,
    ]);
  });

  it('tells every note the router adds in each language, never as a word the person wrote', () => {
    for (const lang of ['en', 'ar', 'ckb', 'kmr'] as const) {
      setLang(lang);
      const notes = Object.values(ROUTER_EVIDENCE);
      const lines = evidenceLines(['water:water', ...notes]);
      expect(lines.words).toEqual(['water']);
      expect(lines.notes).toHaveLength(notes.length);
      for (const note of lines.notes) expect(note).not.toMatch(/router|place-from-text|[a-z]+-[a-z]+-/);
    }
    setLang('en');
    expect(evidenceLines(['router:place-from-text']).notes).toEqual([
      'The place was read from the message, as the person gave none.',
    ]);
  });

  it('says what a classifier rule pointed to in the reader’s language, never its English id', () => {
    setLang('ar');
    expect(evidenceLines(['rule:possible-SEA→C07', 'rule:id-card-not-payment']).notes).toEqual([
      `أشارت عدة كلمات معاً إلى: ${ar.category_C07}.`,
      'قُرئت البطاقة المذكورة مع وثيقة هوية على أنها بطاقة هوية، لا بطاقة دفع.',
    ]);
  });

  it('says why the classifier restricted a case in words, and no code as a matched word', () => {
    setLang('en');
    const lines = evidenceLines([
      'worker:worker',
      'night:night',
      'text-overrides-hint:sensitivity=S2',
      'basis:caution',
      'reason:caution.actor+night',
    ]);
    expect(lines.words).toEqual(['worker', 'night']);
    expect(lines.notes).toEqual([
      'The words show more than the person chose: S2 misconduct (restricted)',
      'Restricted by caution: an aid worker is named with money, a favour, being alone, a visit, the night, a relationship or touching. A focal point should review it.',
    ]);
    expect(evidenceLines(['water:water', 'model:category=C03'])).toEqual({
      words: ['water'],
      notes: [
        `The category was chosen from the wording, by comparison with earlier reports: ${en.category_C03}`,
      ],
    });
    setLang('ar');
    expect(evidenceLines(['model:category=none']).notes).toEqual([
      `اختيرت الفئة من صياغة الرسالة بمقارنتها ببلاغات سابقة: ${ar.none}`,
    ]);
    expect(evidenceLines(['basis:model', 'reason:model.S2']).notes).toEqual([
      'قُيّدت لأن الصياغة تشبه بلاغات حساسة سابقة. ينبغي أن تراجعها جهة التنسيق.',
    ]);
  });

  it('has a label for every timeline and audit code it may meet', () => {
    for (const key of [
      'note_restriction_lifted',
      'note_restricted',
      'note_reclassified',
      'note_reprioritised',
    ])
      expect(key in en, key).toBe(true);
    setLang('ckb');
    expect(t('audit_case_break_glass')).toBe(ckb.audit_case_break_glass);
  });
});

describe('the admin forms’ lists', () => {
  it('match the platform’s own', () => {
    expect(codes.FOCAL_POINT_KINDS).toEqual(configSchemas.FOCAL_POINT_KINDS);
    expect(codes.ESCALATION_LEVELS).toEqual(SLA_LEVELS);
  });
});
