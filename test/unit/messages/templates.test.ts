import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/classification/taxonomy.ts';
import { parseKeyword } from '#shared/messages/keywords.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { OUTCOMES, outcomeText, render, TEMPLATE_IDS, type TemplateId } from '#shared/messages/templates.ts';

// The reference format is fixed (4 + dash + 4), so any reference is as long as this one.
const REF = 'K7MQ-4XZ9';

function renderings(template: TemplateId) {
  return LANGUAGES.flatMap((language) =>
    template === 'resolved'
      ? [undefined, ...OUTCOMES].map((outcome) => ({
          language,
          outcome,
          text: render('resolved', language, { ref: REF, ...(outcome ? { outcome } : {}) }),
        }))
      : [{ language, outcome: undefined, text: render(template, language, { ref: REF } as never) }],
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

  it('writes Arabic and Sorani in Arabic script, Kurmanji in Latin script', () => {
    for (const template of TEMPLATE_IDS) {
      for (const { language, text } of renderings(template)) {
        const arabicLetters = (text.match(/[\u0600-\u06ff]/g) ?? []).length;
        if (language === 'ar' || language === 'ckb') expect(arabicLetters, text).toBeGreaterThan(10);
        else expect(arabicLetters, text).toBe(0);
      }
    }
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
      en: ['STOP', 'START'],
    };
    for (const [language, [stop, start]] of Object.entries(quoted)) {
      const stopped = render('stopped', language as never, {});
      const help = render('help', language as never, {});
      expect(stopped, language).toContain(start);
      expect(help, language).toContain(stop);
      expect(parseKeyword(stop!)).toBe('stop');
      expect(parseKeyword(start!)).toBe('start');
    }
  });
});
