import { describe, expect, it } from 'vitest';
import { parseKeyword, parseSatisfaction } from '#shared/messages/keywords.ts';

describe('parseKeyword', () => {
  it.each([
    ['STOP', 'stop'],
    ['  stop ', 'stop'],
    ['Stop.', 'stop'],
    ['unsubscribe', 'stop'],
    ['توقف', 'stop'],
    ['إيقاف', 'stop'],
    ['ايقاف!', 'stop'],
    ['الغاء', 'stop'],
    ['وەستان', 'stop'],
    ['ڕاگرتن', 'stop'],
    ['راگرتن', 'stop'], // Sorani typed on an Arabic keyboard
    ['Rawestîne', 'stop'],
    ['rawestine', 'stop'],
    ['START', 'start'],
    ['ابدأ', 'start'],
    ['ابدا', 'start'],
    ['دەستپێکردن', 'start'],
    ['dest pê bike', 'start'],
    ['Dest pe bike', 'start'],
    ['HELP', 'help'],
    ['مساعدة', 'help'],
    ['مساعده', 'help'],
    ['یارمەتی', 'help'],
    ['يارمهتي', 'help'],
    ['alîkarî', 'help'],
    ['alikari', 'help'],
    // The English words typed in Arabic letters
    ['ستوب', 'stop'],
    ['ستۆپ', 'stop'],
    ['ستارت', 'start'],
    ['هيلب', 'help'],
  ])('reads %j as %s', (text, expected) => {
    expect(parseKeyword(text)).toBe(expected);
  });

  it.each([
    'please stop the water cuts',
    'توقف توزيع المساعدات في المخيم',
    'نحتاج مساعدة عاجلة',
    'stopped',
    '',
    'K7MQ-4XZ9',
    '...',
    '!',
    '؟',
    'ستوب التوزيع',
    'why? no water',
  ])('does not read %j as a keyword', (text) => {
    expect(parseKeyword(text)).toBeUndefined();
  });
});

describe('parseSatisfaction', () => {
  it.each([
    ['1', 'satisfied'],
    [' 1 ', 'satisfied'],
    ['١', 'satisfied'],
    ['۱', 'satisfied'],
    ['yes', 'satisfied'],
    ['Yes!', 'satisfied'],
    ['نعم', 'satisfied'],
    ['بەڵێ', 'satisfied'],
    ['بەلێ', 'satisfied'],
    ['erê', 'satisfied'],
    ['Ere', 'satisfied'],
    ['2', 'not_satisfied'],
    ['٢', 'not_satisfied'],
    ['۲', 'not_satisfied'],
    ['no', 'not_satisfied'],
    ['لا', 'not_satisfied'],
    ['غير راضي', 'not_satisfied'],
    ['نەخێر', 'not_satisfied'],
    ['na', 'not_satisfied'],
    ['nexêr', 'not_satisfied'],
  ])('reads %j as %s', (text, expected) => {
    expect(parseSatisfaction(text)).toBe(expected);
  });

  it.each(['3', '12', '1 2', 'maybe', 'لم يصلني شيء بعد', ''])('does not read %j as an answer', (text) => {
    expect(parseSatisfaction(text)).toBeUndefined();
  });
});
