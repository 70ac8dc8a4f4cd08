import { describe, expect, it } from 'vitest';
import { classify } from '../../../shared/classification/classify.ts';
import { ClassificationSchema } from '../../../shared/classification/schema.ts';

describe('classify', () => {
  it('returns a result that satisfies the schema, even for empty text', () => {
    for (const text of ['', '   ', 'وين المساعدة؟', 'spas', 'ok']) {
      const result = classify(text);
      expect(ClassificationSchema.parse(result)).toEqual(result);
    }
    expect(classify('')).toMatchObject({ type: 'incomplete', category: null, confidence: 0 });
  });

  describe('negation', () => {
    it.each([
      ['ما وصلتنا المساعدات', 'ar'],
      ['لم نستلم اي شي من المنظمة', 'ar'],
      ['یارمەتییەکە نەگەیشتووە بە ئێمە', 'ckb'],
      ['alîkarî nehatiye bo me', 'kmr'],
      ['we have not received the assistance', 'en'],
    ])('reads "%s" as a complaint that aid did not arrive', (text, language) => {
      const result = classify(text);
      expect(result).toMatchObject({ language, type: 'complaint', category: 'C01' });
      expect(result.evidence.some((e) => e.startsWith('notrecv:'))).toBe(true);
    });

    it('does not read an arrival as a complaint', () => {
      expect(classify('الحمد لله وصلت المساعدات، شكرا الكم')).toMatchObject({
        type: 'praise',
        category: null,
      });
      expect(classify('the cash arrived, thank you')).toMatchObject({ type: 'praise', category: null });
    });

    it('names the negator in the evidence', () => {
      expect(classify('ما وصلتنا المساعدات').evidence).toContain('negation:ما');
    });

    it('lets a negator after the word negate it (Kurdish word order)', () => {
      expect(classify('ڕێگای کەمپ بە شەو ئەمن نییە')).toMatchObject({ category: 'C08' });
      expect(classify('riya kampê bi şev ne ewle ye')).toMatchObject({ category: 'C08' });
    });

    it('reads money that did not arrive as a payment complaint', () => {
      expect(classify('el flus ma nezlat bil card')).toMatchObject({
        type: 'complaint',
        category: 'C04',
        sector: 'cash',
      });
      expect(classify('pere negihîşt karta min')).toMatchObject({ category: 'C04' });
    });
  });

  describe('hints', () => {
    it('lets each hint override the classifier and says so in the evidence', () => {
      const text = 'ما وصلتنا المساعدات';
      const plain = classify(text);
      expect(plain).toMatchObject({ type: 'complaint', category: 'C01', urgency: 'action' });
      const hinted = classify(text, { type: 'question', category: 'C03', urgency: 'monitor' });
      expect(hinted).toMatchObject({ type: 'question', category: 'C03', urgency: 'monitor' });
      expect(hinted.evidence).toEqual(
        expect.arrayContaining(['hint:type=question', 'hint:category=C03', 'hint:urgency=monitor']),
      );
    });

    it('raises sensitivity to a hint above what the text shows', () => {
      expect(classify('ما وصلتنا المساعدات', { sensitivity: 'S2' }).sensitivity).toBe('S2');
    });

    it('never lowers sensitivity below what the text shows', () => {
      const result = classify('the distributor asked me to meet him alone to get the assistance', {
        type: 'question',
        sensitivity: 'S0',
      });
      expect(result).toMatchObject({ type: 'question', sensitivity: 'S3' });
      expect(result.evidence).toContain('text-overrides-hint:sensitivity=S3');
    });

    it('takes the sensitivity of a hinted category when the text shows less', () => {
      expect(classify('I want to report something about a staff member', { category: 'C07' })).toMatchObject({
        category: 'C07',
        sensitivity: 'S3',
      });
    });
  });

  describe('sexual exploitation and abuse is always S3 (recall first)', () => {
    it.each([
      'he said come to his house alone if I want the food basket',
      'the man who registers us keeps texting me at night',
      'the distributor offered to marry my sister in exchange for the cash card',
      'a worker from the organisation put his hand on my leg during the interview',
      'الموزع يكول تعالي لوحدك حتى اعطيج الحصة',
      'الموظف يطلب رقم البنات ويتصل بيهن بالليل',
      'کارمەندەکە داوای لێکردم بە تەنها بچم بۆ نووسینگەکەی بۆ ئەوەی ناوم بنووسێت',
      'karmend got eger tu bi tenê werî ez ê alîkariyê bidim te',
      'el mowazaf gal ta3ali wa7dich bil lail',
    ])('%s', (text) => {
      const result = classify(text);
      expect(result.sensitivity).toBe('S3');
      expect(result.category).toBe('C07');
      expect(result.urgency).toBe('urgent');
    });

    it('treats harm to a child as S3 child safeguarding', () => {
      expect(classify('my 12 year old son is forced to work in the market')).toMatchObject({
        category: 'C08',
        sensitivity: 'S3',
      });
      expect(classify('بنت عمرها ١٤ سنة زوجوها غصب')).toMatchObject({ category: 'C08', sensitivity: 'S3' });
    });

    it('keeps an ordinary complaint about a staff member at S2, not S3', () => {
      expect(classify('the staff member shouted at us and insulted my father')).toMatchObject({
        category: 'C05',
        sensitivity: 'S2',
      });
    });
  });

  describe('categories and types', () => {
    it.each([
      ['واحد من جماعة المنظمة طلب مني فلوس حتى يسجلني', 'C06'],
      ['ناوم لە لیستەکەدا نییە', 'C02'],
      ['the blankets were torn and dirty', 'C03'],
      ['they posted our names and phone numbers on facebook', 'C09'],
      ['کارەبای حکومەت چەند ڕۆژە نییە', 'C10'],
    ])('%s → %s', (text, category) => {
      expect(classify(text)).toMatchObject({ type: 'complaint', category });
    });

    it.each([
      ['شوكت التوزيع؟', 'question'],
      ['please we need blankets for the children', 'request'],
      ['pêşniyar dikim belavkirin li gundan be', 'suggestion'],
      ['سوپاس بۆ هاوکارییەکانتان', 'praise'],
      ['people say the cash will stop next month', 'observation'],
      ['alo', 'incomplete'],
    ])('%s → %s', (text, type) => {
      expect(classify(text).type).toBe(type);
    });

    it('understands Iraqi dialect and code-switching', () => {
      expect(classify('ماكو ماي بالمخيم من يومين')).toMatchObject({
        type: 'complaint',
        sector: 'basic_services',
      });
      expect(classify('ال staff كلش rude ويانا')).toMatchObject({ category: 'C05' });
      expect(classify('we did not receive the مساعدات yet')).toMatchObject({
        category: 'C01',
        language: 'en',
      });
    });
  });

  describe('words read in the language they belong to', () => {
    it('does not strip the Arabic «ك» ("like") from a Kurdish word: «کچەکەم» is my daughter, not «چەک», a weapon', () => {
      const sick = classify('کچەکەم نەخۆشە و تای هەیە');
      expect(sick).toMatchObject({ language: 'ckb', sensitivity: 'S0' });
      expect(sick.evidence.some((e) => e.startsWith('C08:'))).toBe(false);
      // In Arabic the clitic is still stripped: «كرشوة», as a bribe.
      expect(classify('ياخذون منا فلوس كرشوة حتى يسجلونا').evidence).toContain('C06:رشو');
    });

    it('reads a phone number as a phone number, and four to seven digits beside an aid worker as money', () => {
      const phone = 'the volunteer said to call him on 07501234567 about the kit';
      expect(classify(phone, undefined, { model: false })).toMatchObject({
        sensitivity: 'S0',
        basis: 'none',
      });
      // Nor does the model read it: the result is the one without the number.
      const { evidence: _, ...withNumber } = classify(phone);
      const { evidence: __, ...without } = classify(phone.replace(' on 07501234567', ''));
      expect(withNumber).toEqual(without);
      expect(
        classify('the volunteer said to bring 250000 for the kit', undefined, { model: false }),
      ).toMatchObject({ sensitivity: 'S2', basis: 'caution', reasons: ['caution.actor+money'] });
    });

    it('does not read Badini «ئەینی» (Friday) as the Arabic insult verb it folds into, in Badini only', () => {
      for (const friday of ['ئەینی دێ هاریکاریێ بەلاڤ کەن؟', 'ئەينى دى هاريكاريى بەلاڤ كەن؟'])
        expect(classify(friday), friday).toMatchObject({ language: 'kmr', sensitivity: 'S0' });
      expect(classify('الموظف يهيني كل يوم')).toMatchObject({ category: 'C05', sensitivity: 'S2' });
    });

    it('reads marriage in secret offered by a worker in Arabizi as sexual exploitation, on the rules alone', () => {
      expect(
        classify('el mowazaf ygoul yitzawwajni bsirr w yzeed el kart', undefined, { model: false }),
      ).toMatchObject({ language: 'ar', sensitivity: 'S3', basis: 'explicit', category: 'C07' });
    });

    it('reads «المرضى» (the sick) as people who need care, and "they know my illness" as a breach', () => {
      const patients = classify('المرضى في المخيم ما عدهم دواء من اسبوع');
      expect(patients.sensitivity).toBe('S0');
      expect(patients.category).not.toBe('C09');
      expect(classify('عرفوا مرضي كل الجيران')).toMatchObject({ category: 'C09', sensitivity: 'S2' });
    });

    it('reads «فاسد» about food as the quality of the aid, and about a person, money or the list as corruption', () => {
      const rules = (text: string) => classify(text, undefined, { model: false });
      for (const food of ['الطحين بالسلة فاسد', 'المعلبات فاسدة ومنتهية الصلاحية'])
        expect(rules(food), food).toMatchObject({ category: 'C03', sensitivity: 'S0' });
      for (const corrupt of ['المختار فاسد', 'موظفين التسجيل فاسدين', 'الموظف فاسد ياخذ فلوس'])
        expect(rules(corrupt), corrupt).toMatchObject({
          category: 'C06',
          sensitivity: 'S2',
          basis: 'explicit',
        });
    });

    it('keeps the money-asked and the amount-short rules apart, with or without «فاسد»', () => {
      const rules = (text: string) =>
        classify(text, undefined, { model: false }).evidence.filter((e) => e.startsWith('rule:'));
      // Money asked for the list is fraud, not a short payment as well.
      expect(rules('الموزع طلب فلوس حتى يسجلنا والمبلغ ناقص')).toEqual(['rule:money-asked-for-aid→C06']);
      // A corrupt leader and a short payment: both are read.
      expect(rules('المختار فاسد والمبلغ ناقص')).toEqual([
        'rule:money+quantity→C04',
        'rule:corrupt-person→C06',
      ]);
    });

    it('reads Kurmanji «qebûl nekir» (would not accept) as a refusal, not as consent withheld', () => {
      expect(classify('qebûl nekir ku navê min binivîse', undefined, { model: false }).category).not.toBe(
        'C09',
      );
      expect(classify('bê razîbûna min wêneyê min kişand')).toMatchObject({
        category: 'C09',
        sensitivity: 'S2',
      });
    });

    it('reads staff treating people «كالحيوانات» (like animals) as degrading talk, on the rules alone', () => {
      expect(classify('الموظفين يعاملونا كالحيوانات', undefined, { model: false })).toMatchObject({
        category: 'C05',
        sensitivity: 'S2',
        basis: 'explicit',
      });
    });
  });
});
