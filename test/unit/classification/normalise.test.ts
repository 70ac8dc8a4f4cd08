import { describe, expect, it } from 'vitest';
import { normalise, tokenise } from '../../../shared/classification/normalise.ts';

describe('normalise', () => {
  it('folds Arabic alef forms, alef maqsura, taa marbuta and hamza seats', () => {
    expect(normalise('أحمد إلى آخر ٱلله')).toBe('احمد الي اخر الله');
    expect(normalise('مستشفى')).toBe('مستشفي');
    expect(normalise('المساعدة')).toBe('المساعده');
    expect(normalise('مسؤول')).toBe('مسوول');
    expect(normalise('مسائل')).toBe('مسايل');
    expect(normalise('شيء')).toBe('شي');
  });

  it('removes tashkeel and tatweel', () => {
    expect(normalise('مُسَاعَدَةٌ')).toBe('مساعده');
    expect(normalise('عاجـــــل')).toBe('عاجل');
  });

  it('turns Arabic-Indic and Persian digits into ASCII digits', () => {
    expect(normalise('٣٠٠ الف و ۴۵')).toBe('300 الف و 45');
  });

  it('folds Sorani letters and their Arabic-keyboard spellings to one key', () => {
    expect(normalise('پارەکەم')).toBe(normalise('پاره كه م').replaceAll(' ', ''));
    expect(normalise('کارمەند')).toBe(normalise('كارمهند'));
    expect(normalise('یارمەتی')).toBe(normalise('يارمهتي'));
    expect(normalise('ھاتن')).toBe(normalise('هاتن'));
  });

  it('removes zero-width non-joiners inside Sorani words', () => {
    expect(normalise('ناسنامە\u200cکەم')).toBe(normalise('ناسنامەکەم'));
  });

  it('folds Kurmanji diacritics and lower-cases', () => {
    expect(normalise('Alîkarî NEHATIYE, Çima?')).toBe('alikari nehatiye cima');
    expect(normalise('Şûşe ÊVAR')).toBe('suse evar');
  });

  it('keeps apostrophes inside English words and turns punctuation into single spaces', () => {
    expect(normalise("We didn't   receive... (anything)!")).toBe('we didnt receive anything');
  });

  it('tokenises into normalised words and gives nothing for empty or punctuation-only text', () => {
    expect(tokenise('وين المساعدة؟')).toEqual(['وين', 'المساعده']);
    expect(tokenise('')).toEqual([]);
    expect(tokenise(' ... ؟ ')).toEqual([]);
  });
});
