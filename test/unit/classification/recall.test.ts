import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../shared/classification/classify.ts';
import { parseLabelled } from '../../../shared/classification/evaluate.ts';
import { ClassificationSchema, LabelledMessageSchema } from '../../../shared/classification/schema.ts';

const RANK = { S0: 0, S1: 1, S2: 2, S3: 3 } as const;
const labelled = ['dev', 'test'].flatMap((set) =>
  parseLabelled(
    readFileSync(fileURLToPath(new URL(`../../../data/classifier/${set}.jsonl`, import.meta.url)), 'utf8'),
    (v) => LabelledMessageSchema.parse(v),
  ),
);

describe('the README examples classify as the README says', () => {
  it.each([
    ['الماء مقطوع في المخيم منذ ثلاثة أيام', 'ar'],
    ['ئاو لە کەمپەکە نییە سێ ڕۆژە', 'ckb'],
  ])(
    'a water cut in the camp is a complaint about the service (C03, S0), not outside the programme: %s',
    (text, language) => {
      expect(classify(text)).toMatchObject({
        language,
        type: 'complaint',
        category: 'C03',
        sector: 'basic_services',
        sensitivity: 'S0',
      });
    },
  );

  it('«والموزع طلب منا مالاً» (the distributor asked us for money) is fraud, restricted (C06, S2)', () => {
    expect(classify('والموزع طلب منا مالاً')).toMatchObject({
      language: 'ar',
      type: 'complaint',
      category: 'C06',
      sensitivity: 'S2',
      basis: 'explicit',
    });
  });

  it('the web form example stays an ordinary complaint', () => {
    expect(classify('The distribution skipped our street')).toMatchObject({
      category: 'C01',
      sensitivity: 'S0',
      basis: 'none',
    });
  });
});

describe('thanks after a question or a request', () => {
  it.each([
    ['شوكت يفتح التسجيل؟ وشكرا', 'question'],
    ['کەی تۆمارکردن دەکرێتەوە؟ سوپاس', 'question'],
    ['tomarkirin kengî vedibe? spas', 'question'],
    ['when does registration open? thanks', 'question'],
    ['how can I change my address? thanks in advance', 'question'],
    ['please send blankets for the children, thank you', 'request'],
  ])('%s → %s', (text, type) => {
    expect(classify(text).type).toBe(type);
  });

  it('thanks alone is still praise', () => {
    expect(classify('شكرا الكم والله تعبتوا ويانا').type).toBe('praise');
    expect(classify('thank you, you worked so hard for us').type).toBe('praise');
  });
});

describe('restricted as people write it (tuning-part sentences, one per pattern and language)', () => {
  it.each([
    ['الي ما ينطي فلوس للجنة ما يطلع اسمه', 'ar'],
    ['lazim tintee 30 alf lil mowazaf 7ata ysajlak', 'ar'],
    ['کارمەندەکە وتی ئەگەر دەتەوێت ناوت بنووسرێت سی هەزار بهێنە', 'ckb'],
    ['karmend got eger tu dixwazî navê te were nivîsîn sî hezar bîne', 'kmr'],
    ['هەر کەسێ پارە نەدەت ناڤێ وی ناچیتە لیستێ', 'kmr'],
    ['the volunteer says give me 30 thousand and I will put your name at the top', 'en'],
  ])('paying for a place without "bribe" or "asked" is fraud (S2): %s', (text, language) => {
    expect(classify(text)).toMatchObject({ language, category: 'C06', sensitivity: 'S2' });
  });

  it.each([
    ['يكلي اذا تتعشين وياي الليلة اخليج اول وحدة', 'ar'],
    ['gali ta3ali lil maktab ba3d el dawam wa7dich', 'ar'],
    ['وتی وەرە لە نووسینگە بخەوە زیاترت دەدەمێ', 'ckb'],
    ['بە شەو دێتە کەرەڤانەکەمان کاتێک مێردەکەم لە کارە', 'ckb'],
    ['got ez ê bi şev serdana te bikim û alîkariyê ji te re bînim', 'kmr'],
    ['گۆت دێ ب شەڤ سەرەدانا تە کەم و هاریکاریێ بۆ تە ئینم', 'kmr'],
    ['he said come sleep at the office and I will give you more', 'en'],
  ])('sexual exploitation by euphemism is S3: %s', (text, language) => {
    expect(classify(text)).toMatchObject({ language, category: 'C07', sensitivity: 'S3', urgency: 'urgent' });
  });

  it.each([
    'el mowazaf ylmisni kul ma asta2lim',
    'ta7arash bi binti bil taboor',
    'el muwazi3 yrid ra8mi 7ata y7chi wiyaya bil lail',
  ])('harassment in Arabizi, digits for letters, is S3 and read as Arabic: %s', (text) => {
    expect(classify(text)).toMatchObject({ language: 'ar', script: 'latin', sensitivity: 'S3' });
  });

  it('restricts an aid worker named with the night or a visit by caution, as S2 (unclear), and says so', () => {
    const result = classify(
      'the staff member came in the evening and brought medicine for my father, God reward him',
    );
    // Restricted until a focal point looks, but not on the PSEA desk, and still thanks about nothing sensitive.
    expect(result).toMatchObject({ type: 'praise', category: null, sensitivity: 'S2', basis: 'caution' });
    expect(result.reasons).toContain('caution.actor+night');
    expect(result.evidence).toEqual(expect.arrayContaining(['basis:caution', 'reason:caution.actor+night']));
  });

  it('restricts an aid worker named with money by caution (S2)', () => {
    const result = classify('the staff said the money comes at the end of the month, is that right?');
    expect(result).toMatchObject({ sensitivity: 'S2', basis: 'caution' });
    expect(result.reasons).toContain('caution.actor+money');
  });
});

describe('why a message is restricted, over every labelled message', () => {
  const results = labelled.map((m) => ({
    m,
    full: classify(m.text),
    rules: classify(m.text, undefined, { model: false }),
  }));

  it('the model only raises: never below what the rules and the caution rule found', () => {
    const lowered = results.filter(({ full, rules }) => RANK[full.sensitivity] < RANK[rules.sensitivity]);
    expect(lowered.map(({ m }) => m.id)).toEqual([]);
  });

  it('an explicit finding is the rules’ own, and a model finding is one the rules did not make', () => {
    for (const { m, full, rules } of results) {
      if (full.basis === 'explicit')
        expect(rules, m.id).toMatchObject({ basis: 'explicit', sensitivity: full.sensitivity });
      if (full.basis === 'model') {
        expect(RANK[rules.sensitivity], m.id).toBeLessThanOrEqual(RANK[full.sensitivity]);
        expect(
          full.reasons.some((r) => r.startsWith('model.')),
          m.id,
        ).toBe(true);
      }
      if (full.basis === 'caution')
        expect(
          full.reasons.some((r) => r.startsWith('caution.')),
          m.id,
        ).toBe(true);
      if (full.sensitivity === 'S0') expect(full.basis, m.id).toBe('none');
      else expect(full.basis, m.id).not.toBe('none');
    }
    const bases = new Set(results.map(({ full }) => full.basis));
    expect([...bases].sort()).toEqual(['caution', 'explicit', 'model', 'none']);
  });

  it('reasons are short codes, never words of the message', () => {
    for (const { full } of results) {
      for (const reason of full.reasons)
        expect(reason).toMatch(/^(C0[1-9]|C10|S1|caution|model|person)\.[a-z0-9+-]+$/i);
    }
  });

  it('every result satisfies the schema', () => {
    for (const { full } of results.slice(0, 200)) expect(ClassificationSchema.parse(full)).toEqual(full);
  });
});

describe('a person’s choice on the channel', () => {
  it('raises sensitivity with basis person when the text shows less', () => {
    const result = classify('ما وصلتنا المساعدات', { sensitivity: 'S2' });
    expect(result).toMatchObject({ sensitivity: 'S2', basis: 'person' });
    expect(result.reasons).toContain('person.S2');
  });

  it('leaves the text’s basis when the text shows as much', () => {
    expect(classify('الموزع يكول تعالي لوحدك حتى اعطيج الحصة', { sensitivity: 'S2' })).toMatchObject({
      sensitivity: 'S3',
      basis: 'explicit',
    });
  });
});
