/**
 * The experiment the similarity threshold was chosen from: twenty ways people at one camp say the water is out (the
 * spike test's texts, in Arabic, Sorani, Kurmanji and English) must all be similar to each other, and other
 * complaints from the same camp (food, electricity, toilets, school, a question, thanks) must not be similar to
 * any of them. Concept Jaccard of a water text with a food or electricity text at the same camp is 0.5 (they share
 * "missing" and "camp"); within the twenty it is 1; so the threshold sits between them, at 0.6.
 */
import { describe, expect, it } from 'vitest';
import { SIMILARITY_THRESHOLD, signature, similarity } from '#shared/clusters/similarity.ts';

const NO_WATER = [
  'ماكو ماي بالمخيم في زاخو',
  'المخيم في زاخو بدون ماء منذ ثلاثة أيام',
  'ماكو ماي شرب بمخيم زاخو من يومين',
  'انقطع الماء عن المخيم في زاخو',
  'الماء مقطوع بالمخيم قرب زاخو والأطفال عطشانين',
  'ئاو نییە لە کەمپەکە لە زاخۆ',
  'سێ ڕۆژە ئاو نییە لە کەمپی زاخۆ',
  'ئاوی خواردنەوە نییە لە کەمپەکەمان لە زاخۆ',
  'ئاو بڕاوە لە کەمپەکە لە زاخۆ',
  'لە کەمپی زاخۆ ئاو نییە',
  'av tune li kampê li Zaxo',
  'Li kampa Zaxoyê av nîne',
  'sê roj e av tune li kampa Zaxo',
  'ava vexwarinê li kampê li Zaxo tune',
  'li kampa me li Zaxo av nayê',
  'No water in the camp in Zakho for three days',
  'There is no drinking water in our camp near Zakho',
  'The water has been cut off in the camp in Zakho',
  'Zakho camp has had no water since Sunday',
  'We have no water in the camp at Zakho, the children are thirsty',
];

const SAME_CAMP_OTHER = [
  'The food basket was late in the camp in Zakho',
  'No electricity in the camp in Zakho',
  'ماكو كهرباء بالمخيم في زاخو',
  'السلة الغذائية متأخرة بالمخيم في زاخو',
  'کارەبا نییە لە کەمپی زاخۆ',
  'li kampa Zaxo elektrîk tune',
  'The toilets in the camp in Zakho are broken',
  'The school in the camp has no teachers',
  'When is the next distribution in Zakho?',
  'Thank you for the help in Zakho',
];

describe('similarity across the four languages', () => {
  it('finds every pair of the twenty water complaints similar', () => {
    const sigs = NO_WATER.map(signature);
    for (let i = 0; i < sigs.length; i++)
      for (let j = i + 1; j < sigs.length; j++)
        expect(similarity(sigs[i]!, sigs[j]!), `${NO_WATER[i]} / ${NO_WATER[j]}`).toBeGreaterThanOrEqual(
          SIMILARITY_THRESHOLD,
        );
  });

  it('finds no other complaint from the same camp similar to any of them', () => {
    for (const w of NO_WATER)
      for (const o of SAME_CAMP_OTHER)
        expect(similarity(signature(w), signature(o)), `${w} / ${o}`).toBeLessThan(SIMILARITY_THRESHOLD);
  });

  it('reads a missing topic the same way in each language', () => {
    expect(signature('No electricity in the camp').concepts).toEqual(['camp', 'electricity', 'lack']);
    expect(signature('ماكو كهرباء بالمخيم').concepts).toEqual(['camp', 'electricity', 'lack']);
    expect(signature('کارەبا نییە لە کەمپەکە').concepts).toEqual(['camp', 'electricity', 'lack']);
    expect(signature('li kampê elektrîk tune').concepts).toEqual(['camp', 'electricity', 'lack']);
  });

  it('compares texts without a known topic by their letters: a repeat is similar, another message is not', () => {
    const a = signature('The distributor in Sinjar asked everyone for their ID cards twice');
    const b = signature('the distributor in Sinjar asked everyone for their ID cards twice!!');
    const c = signature('When will the registration team come back to Sinjar?');
    expect(a.topical || b.topical || c.topical).toBe(false);
    expect(similarity(a, b)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(similarity(a, c)).toBeLessThan(SIMILARITY_THRESHOLD);
  });
});
