import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/classification/taxonomy.ts';
import { parseKeyword, parseSatisfaction } from '#shared/messages/keywords.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import {
  OUTCOMES,
  outcomeText,
  render,
  type Script,
  scriptOf,
  TEMPLATE_IDS,
  type TemplateId,
} from '#shared/messages/templates.ts';

// The reference format is fixed (4 + dash + 4), so any reference is as long as this one.
const REF = 'K7MQ-4XZ9';

/** Every language, and Kurmanji once more in Arabic script (Badini as Duhok writes it). */
const WRITINGS = [
  ...LANGUAGES.map((language) => ({ language, script: undefined })),
  { language: 'kmr', script: 'arabic' },
] as const satisfies readonly { language: (typeof LANGUAGES)[number]; script: Script | undefined }[];

function renderings(template: TemplateId) {
  return WRITINGS.flatMap(({ language, script }) =>
    template === 'resolved'
      ? [undefined, ...OUTCOMES].map((outcome) => ({
          language,
          script,
          outcome,
          text: render('resolved', language, { ref: REF, ...(outcome ? { outcome } : {}) }, script),
        }))
      : [
          {
            language,
            script,
            outcome: undefined,
            text: render(template, language, { ref: REF } as never, script),
          },
        ],
  );
}

describe('SMS templates', () => {
  it.each(TEMPLATE_IDS)('%s fits one segment in every language and with every outcome', (template) => {
    for (const { language, outcome, text } of renderings(template)) {
      const { encoding, units, segments } = segmentsOf(text);
      const limit = encoding === 'GSM-7' ? 160 : 70;
      expect(units, `${template}/${language}/${outcome ?? '-'}: ${text}`).toBeLessThanOrEqual(limit);
      expect(segments).toBe(1);
    }
  });

  it('writes Arabic and Sorani in Arabic script, Kurmanji in Latin script unless asked for Arabic script', () => {
    for (const template of TEMPLATE_IDS) {
      for (const { language, script, text } of renderings(template)) {
        const arabicLetters = (text.match(/[\u0600-\u06ff]/g) ?? []).length;
        const latinLetters = text.replace(REF, '').match(/[a-zçêîşû]/gi) ?? [];
        if (language === 'ar' || language === 'ckb' || script === 'arabic') {
          expect(arabicLetters, text).toBeGreaterThan(10);
          expect(latinLetters, text).toEqual([]);
        } else expect(arabicLetters, text).toBe(0);
      }
    }
  });

  it('writes Badini in Arabic script with its own words, not Sorani’s', () => {
    expect(render('received', 'kmr', { ref: REF }, 'arabic')).toBe(
      'سوپاس، پەیاما هەوە گەهشت. ژمارا شوپاندنێ: K7MQ-4XZ9. بپارێزن.',
    );
    expect(render('resolved', 'kmr', { ref: REF, outcome: 'corrected' }, 'arabic')).toBe(
      'دۆسیا K7MQ-4XZ9: ئاریشە هاتە چارەسەرکرن. هوین رازینە؟ 1=ئەرێ 2=نە',
    );
    expect(outcomeText('referred', 'kmr', 'arabic')).toBe('بۆ لایەنێ پسپۆر هاتە هنارتن');
    // Sorani's "your" (-تان) and "case" (دۆسیەی) are not Badini's (هەوە, دۆسیا).
    for (const template of TEMPLATE_IDS) {
      const text = render(template, 'kmr', { ref: REF, outcome: 'corrected' } as never, 'arabic');
      expect(text).not.toMatch(/تان\b|دۆسیەی/u);
      expect(text).not.toBe(render(template, 'ckb', { ref: REF, outcome: 'corrected' } as never));
    }
    // The script means nothing for the other languages.
    expect(render('received', 'ckb', { ref: REF }, 'arabic')).toBe(render('received', 'ckb', { ref: REF }));
    expect(render('received', 'en', { ref: REF }, 'arabic')).toBe(render('received', 'en', { ref: REF }));
  });

  it('answers Kurmanji in Arabic script only when its letters are mostly Arabic', () => {
    expect(scriptOf('kmr', 'ئەز ژ کەمپا شاریا مە هاریکاری وەرنەگرتیە')).toBe('arabic');
    expect(scriptOf('kmr', 'ئاڤ نینە ل کەمپێ K7MQ-4XZ9')).toBe('arabic');
    expect(scriptOf('kmr', 'Av li kampê tune ye')).toBeUndefined();
    expect(scriptOf('kmr', 'rewş K7MQ-4XZ9 ئەز')).toBeUndefined();
    expect(scriptOf('kmr', '')).toBeUndefined();
    expect(scriptOf('kmr', undefined)).toBeUndefined();
    // Sorani and Arabic have one script.
    expect(scriptOf('ckb', 'ئاو لە کەمپەکە نییە')).toBeUndefined();
    expect(scriptOf('ar', 'الماء مقطوع')).toBeUndefined();
  });

  it('uses Sorani letters in Sorani and not in Arabic', () => {
    const soraniOnly = /[ەێۆڕڵ]/;
    for (const template of TEMPLATE_IDS) {
      expect(render(template, 'ckb', { ref: REF, outcome: 'corrected' } as never)).toMatch(soraniOnly);
      expect(render(template, 'ar', { ref: REF, outcome: 'corrected' } as never)).not.toMatch(soraniOnly);
    }
  });

  it('puts the reference in the messages about a case', () => {
    for (const template of [
      'received',
      'resolved',
      'reopened',
      'closed_no_answer',
      'status_new',
      'status_working',
      'status_referred',
      'status_resolved',
      'status_closed',
      'status_restricted',
    ] as const) {
      for (const { text } of renderings(template)) expect(text).toContain(REF);
    }
  });

  it('says the outcome and asks the one-key question', () => {
    expect(render('resolved', 'en', { ref: REF, outcome: 'assistance_provided' })).toBe(
      'Your case K7MQ-4XZ9 has been resolved: assistance was provided. Are you satisfied? ' +
        'Reply 1 = satisfied, 2 = not satisfied.',
    );
    expect(render('resolved', 'ar', { ref: REF, outcome: 'corrected' })).toBe(
      'طلبك K7MQ-4XZ9: تم حل المشكلة. هل النتيجة مرضية؟ 1=نعم 2=لا',
    );
    for (const { text } of renderings('resolved')) {
      expect(text).toContain('1');
      expect(text).toContain('2');
    }
  });

  it('ends the officer’s words with a full stop when they have none, so the question does not run on', () => {
    const badini = render(
      'resolved',
      'kmr',
      { ref: REF, outcome: 'assistance_provided', message: 'تانکەرا ئاڤێ سوبەهی دێ هێتە کەمپێ' },
      'arabic',
    );
    expect(badini).toContain('تانکەرا ئاڤێ سوبەهی دێ هێتە کەمپێ. هوین رازینە؟');
    expect(render('resolved', 'en', { ref: REF, message: 'The water truck comes tomorrow ' })).toBe(
      'Your case K7MQ-4XZ9 has been resolved. The water truck comes tomorrow. Are you satisfied? ' +
        'Reply 1 = satisfied, 2 = not satisfied.',
    );
    // Words that already end a sentence are left as written.
    for (const message of ['It comes tomorrow!', 'هل وصلكم الماء؟', 'Call «5040».', 'Done (today).'])
      expect(render('resolved', 'en', { ref: REF, message })).toContain(`${message} Are you satisfied?`);
  });

  it('leaves out an outcome code it does not know rather than showing it', () => {
    const text = render('resolved', 'en', { ref: REF, outcome: 'some_internal_code' });
    expect(text).not.toContain('some_internal_code');
    expect(text).toBe(
      'Your case K7MQ-4XZ9 has been resolved. Are you satisfied? Reply 1 = satisfied, 2 = not satisfied.',
    );
    expect(outcomeText('some_internal_code', 'ar')).toBeUndefined();
  });

  it('refuses to render a case message without a reference', () => {
    expect(() => render('received', 'ar', { ref: '' })).toThrow(/reference/);
  });

  it('quotes keywords that the keyword parser understands', () => {
    const quoted: Record<string, string[]> = {
      ar: ['توقف', 'ابدأ'],
      ckb: ['وەستان', 'دەستپێکردن'],
      kmr: ['rawestîne', 'dest pê bike'],
      'kmr-arabic': ['راوەستینە', 'دەست پێ بکە'],
      en: ['STOP', 'START'],
    };
    for (const [writing, [stop, start]] of Object.entries(quoted)) {
      const [language, script] = writing.split('-') as [never, Script | undefined];
      const stopped = render('stopped', language, {}, script);
      const help = render('help', language, {}, script);
      expect(render('started', language, {}, script), writing).toContain(stop);
      expect(stopped, writing).toContain(start);
      expect(help, writing).toContain(stop);
      expect(parseKeyword(stop!)).toBe('stop');
      expect(parseKeyword(start!)).toBe('start');
    }
  });

  it('reads back the one-key answers the Badini question offers', () => {
    const question = render('resolved', 'kmr', { ref: REF }, 'arabic');
    const [yes, no] = [/1=(\S+)/u.exec(question)?.[1], /2=(\S+)/u.exec(question)?.[1]];
    expect([yes, no]).toEqual(['ئەرێ', 'نە']);
    expect(parseSatisfaction(yes as string)).toBe('satisfied');
    expect(parseSatisfaction(no as string)).toBe('not_satisfied');
  });
});
