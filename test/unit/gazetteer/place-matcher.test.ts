import { describe, expect, it } from 'vitest';
import { matchPlace } from '#shared/gazetteer/place-matcher.ts';

describe('matchPlace', () => {
  it('finds Mosul district and Ninewa from the Arabic name', () => {
    expect(matchPlace('الموصل')).toMatchObject({ governorate: 'IQG15', district: 'IQG15Q05' });
  });

  it('reads through Arabic clitics and spelling variants', () => {
    expect(matchPlace('نحن نازحين بالموصل')).toMatchObject({ district: 'IQG15Q05' });
    expect(matchPlace('وصلت المساعدة للموصل')).toMatchObject({ district: 'IQG15Q05' });
    expect(matchPlace('ساكنين في حلبجه')).toMatchObject({ governorate: 'IQG06', district: 'IQG06Q05' });
    expect(matchPlace('نينوى')).toMatchObject({ governorate: 'IQG15' });
    expect(matchPlace('نحن من اربيل')).toMatchObject({ governorate: 'IQG11' });
  });

  it('reads Sorani, including a locative ending', () => {
    expect(matchPlace('لە هەولێر دەژیم')).toMatchObject({ governorate: 'IQG11' });
    expect(matchPlace('لە شنگالدا')).toMatchObject({ governorate: 'IQG15', district: 'IQG15Q07' });
    expect(matchPlace('لە هەڵەبجە')).toMatchObject({ district: 'IQG06Q05' });
  });

  it('reads Kurmanji with a case ending', () => {
    expect(matchPlace('Em li Dihokê dijîn')).toMatchObject({ governorate: 'IQG09' });
    expect(matchPlace('li Zaxoyê')).toMatchObject({ district: 'IQG09Q04' });
  });

  it('reads English spellings, with or without the article', () => {
    expect(matchPlace('our tent in Sinjar flooded')).toMatchObject({ district: 'IQG15Q07' });
    expect(matchPlace('Tal Afar')).toMatchObject({ district: 'IQG15Q08' });
    expect(matchPlace('Al-Falluja')).toMatchObject({ district: 'IQG01Q01' });
    expect(matchPlace('Salah ad-Din')).toMatchObject({ governorate: 'IQG16' });
  });

  it('prefers the longer name: a market town, not a word inside it', () => {
    expect(matchPlace('في سوق الشيوخ')).toMatchObject({ governorate: 'IQG17', district: 'IQG17Q05' });
  });

  it('finds a well-known town and its district', () => {
    expect(matchPlace('مخيم حمام العليل')).toEqual({
      governorate: 'IQG15',
      district: 'IQG15Q05',
      subDistrict: 'IQG15Q05N02',
      matched: ['حمام العليل'],
    });
  });

  it('counts a name shared with the governorate capital as the governorate', () => {
    expect(matchPlace('Duhok')).toEqual({ governorate: 'IQG09', matched: ['duhok'] });
  });

  it('ignores place names that are everyday words unless the message says they are places', () => {
    expect(matchPlace('سألت عنه الموظف')).toBeUndefined(); // "عنه" = "about him", also Ana district
    expect(matchPlace('في الحي مشكلة ماء')).toBeUndefined(); // "the neighbourhood", also Al-Hai district
    expect(matchPlace('نحن من قضاء عنه')).toMatchObject({ governorate: 'IQG01', district: 'IQG01Q05' });
    expect(matchPlace('الحي في واسط')).toMatchObject({ governorate: 'IQG18', district: 'IQG18Q01' });
  });

  it('reads a first name as a name, and the same word with its article as the place', () => {
    expect(matchPlace('Zubair from the municipality came to our tent')).toBeUndefined();
    expect(matchPlace('we live in Al-Zubair')).toMatchObject({ governorate: 'IQG02', district: 'IQG02Q06' });
  });

  it('takes the governorate from the first place named and a district named within it', () => {
    expect(matchPlace('نازحين من تلعفر وساكنين بدهوك')).toMatchObject({
      governorate: 'IQG15',
      district: 'IQG15Q08',
    });
    expect(matchPlace('Ninewa, Sinjar')).toMatchObject({ governorate: 'IQG15', district: 'IQG15Q07' });
  });

  it('answers undefined when no place is named', () => {
    expect(matchPlace('لم استلم المساعدة النقدية')).toBeUndefined();
    expect(matchPlace('')).toBeUndefined();
    expect(matchPlace('hello')).toBeUndefined();
  });
});
