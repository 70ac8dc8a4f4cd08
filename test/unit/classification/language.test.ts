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

  it.each([
    'ئاڤا کەمپێ سێ ڕۆژە یا بڕیایە',
    'هاریکاری نەگەهشتە گوندێ مە',
    'کارمەندی گۆت وەرە مالا من ب تنێ',
    'ئەز چاوا دشێم خۆ تۆمار بکەم؟ گەلەک سپاس',
  ])('recognises Badini written in Arabic script as Kurmanji, and says the script: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ language: 'kmr', script: 'arabic', arabizi: false });
  });

  it.each([
    'پاره ی ئه م مانگه نه هاته سه ر كارته كه',
    'كارمهندهكه وتي بي باره ناتنووسم',
    'دوو مانگه پاره نههاتووه',
  ])('recognises Sorani typed on an Arabic keyboard (ه for ە, ي for ی/ێ, ك for ک): %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ language: 'ckb', script: 'arabic' });
  });

  it.each([
    'du meh in pere nehatiye',
    'nave min ji listeye hat jebirin',
    'karmend bi awayeki xirab bi jinan re dipeyivin',
  ])('recognises Kurmanji typed without ç ş ê î û: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ language: 'kmr', script: 'latin' });
  });

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

  // A number's first message is often one word: the SMS conversation answers it in the language detected here.
  it.each([
    ['STATUS', 'en'],
    ['track', 'en'],
    ['update', 'en'],
    ['STOP', 'en'],
    ['HELP', 'en'],
    ['حالة', 'ar'],
    ['متابعة', 'ar'],
    ['توقف', 'ar'],
    ['مساعدة', 'ar'],
    ['دۆخ', 'ckb'],
    ['بارودۆخ', 'ckb'],
    ['ڕەوش', 'ckb'],
    ['وەستان', 'ckb'],
    ['یارمەتی', 'ckb'],
    ['rewş', 'kmr'],
    ['rewşa', 'kmr'],
    ['kontrol', 'kmr'],
    ['rawestîne', 'kmr'],
    ['alîkarî', 'kmr'],
  ])('reads the one-word status request or keyword %s as %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});
