import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../shared/classification/language.ts';

describe('detectLanguage', () => {
  it.each([
    ['ما وصلتنا المساعدات لحد هسه', 'ar'],
    ['شكو ماكو توزيع هالشهر؟ هواية عوائل محتاجة', 'ar'],
    ['جماعة المنظمة ما يردون على التلفون', 'ar'],
  ])('recognises Iraqi Arabic: %s', (text, language) => {
    expect(detectLanguage(text)).toMatchObject({ language, script: 'arabic', arabizi: false });
  });

  it.each([
    'ئەوە بۆ ئێمە نییە، یارمەتییەکە نەگەیشت',
    'کارمەندەکان هاوکاری دەکەن',
    'پاره كه م نه هاتووه هيشتا',
  ])('tells Sorani from Arabic in the same script: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ language: 'ckb', script: 'arabic' });
  });

  it.each(['alîkarî nehatiye bo me', 'ez nikarim biçim cihê belavkirinê', 'me pare negirtine heta niha'])(
    'recognises Kurmanji/Badini, with or without diacritics: %s',
    (text) => {
      expect(detectLanguage(text)).toMatchObject({ language: 'kmr', script: 'latin', arabizi: false });
    },
  );

  it.each(['ma wasalna el mosa3ada', 'wein el flus? sar 3 ashhur', 'el mowazaf 6elab mni flous'])(
    'recognises Arabizi as Arabic in Latin letters: %s',
    (text) => {
      expect(detectLanguage(text)).toMatchObject({ language: 'ar', script: 'latin', arabizi: true });
    },
  );

  it('recognises English', () => {
    expect(detectLanguage('We did not receive the cash this month')).toMatchObject({
      language: 'en',
      arabizi: false,
    });
  });

  it('still answers for very short or empty text, with lower confidence than for a sentence', () => {
    const sentence = detectLanguage('we have not received any help from the organisation');
    for (const text of ['spas', 'ok', '?', '']) {
      const guess = detectLanguage(text);
      expect(['ar', 'ckb', 'kmr', 'en']).toContain(guess.language);
      expect(guess.confidence).toBeLessThan(sentence.confidence);
    }
    expect(detectLanguage('spas').language).toBe('kmr');
    expect(detectLanguage('').confidence).toBe(0);
  });
});
