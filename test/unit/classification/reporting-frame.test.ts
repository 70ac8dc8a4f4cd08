import { describe, expect, it } from 'vitest';
import { classify } from '../../../shared/classification/classify.ts';
import { withoutReportingFrame } from '../../../shared/classification/reporting-frame.ts';

describe('withoutReportingFrame', () => {
  it.each([
    ['تقول المتصلة إن الماء مقطوع في المخيم', 'الماء مقطوع في المخيم'],
    ['يقول المتصل ان الخيمة تسرب', 'الخيمة تسرب'],
    ['افادت المتصله بان البطاقة لا تعمل', 'البطاقة لا تعمل'],
    ['المتصلة تقول إن اسمها ليس في القائمة', 'اسمها ليس في القائمة'],
    ['پەیوەندیکەر دەڵێت کە ئاو نییە', 'ئاو نییە'],
    // Sorani on an Arabic keyboard.
    ['بةيوةنديكةر دةليت كة ئاو نيية', 'ئاو نيية'],
    ['پەیوەندیکار گوتی کارتەکەی کار ناکات', 'کارتەکەی کار ناکات'],
    ['Gazîker dibêje ku av tune', 'av tune'],
    ['gaziker dibeje ku av tune', 'av tune'],
    ['The caller says that the tent leaks', 'the tent leaks'],
    ['Caller reported the card is blocked', 'the card is blocked'],
  ])('takes the operator’s frame off %s', (text, rest) => {
    expect(withoutReportingFrame(text)).toBe(rest);
  });

  it.each([
    // Nothing follows the frame: the text is read as it is.
    'The caller says',
    'تقول المتصلة إن',
    // Not an operator's frame: someone else's words, or a worker speaking.
    'my sister says the guard came at night',
    'قال لي الموظف تعالي وحدك',
    'the guard says come alone tonight',
    // The complaint verb is the complaint's own cue, so it stays.
    'المتصلة تشتكي من انقطاع الماء',
    'The caller complains that nobody answered',
    // A frame in the middle of the text is part of it.
    'the water is cut and the caller says that the children are sick',
  ])('leaves %s as it is', (text) => {
    expect(withoutReportingFrame(text)).toBe(text);
  });
});

describe('classify: an operator’s summary is read without its frame', () => {
  it('reads a female caller’s water cut as the service complaint it is (C03, S0), as the bare sentence', () => {
    for (const text of [
      'تقول المتصلة إن الماء مقطوع في المخيم منذ ثلاثة أيام',
      'يقول المتصل إن الماء مقطوع في المخيم منذ ثلاثة أيام',
      'الماء مقطوع في المخيم منذ ثلاثة أيام',
    ])
      expect(classify(text), text).toMatchObject({ category: 'C03', sensitivity: 'S0', basis: 'none' });
  });

  it('still restricts what the caller reports: an invitation to come alone at night (S3)', () => {
    expect(classify('تقول المتصلة إن الموظف طلب منها أن تأتي وحدها في الليل')).toMatchObject({
      category: 'C07',
      sensitivity: 'S3',
    });
    expect(classify('The caller says that the distributor asked her to come to his car alone')).toMatchObject(
      {
        sensitivity: 'S3',
      },
    );
  });

  // The same complaint with a male caller's frame, a female caller's, and none: what the caller is does not
  // decide how sensitive the complaint is (before, the frame alone restricted 9 of these 20 with a male caller
  // and 12 with a female one, against 2 without it).
  const complaints = [
    'الماء مقطوع في المخيم منذ ثلاثة أيام',
    'الخيمة تسرب الماء عند المطر',
    'لم يستلموا السلة الغذائية هذا الشهر',
    'بطاقة الصراف لا تعمل',
    'اسمهم غير موجود في قائمة التوزيع',
    'المدفأة عاطلة والأطفال مرضى',
    'الحمامات في البلوك وسخة',
    'المولدة لا تعمل في الليل',
    'المبلغ النقدي تأخر شهرين',
    'الطريق الى المستوصف مقطوع',
  ];
  it.each(complaints)('gives "%s" the same sensitivity whoever the caller is', (complaint) => {
    const bare = classify(complaint).sensitivity;
    expect(classify(`يقول المتصل إن ${complaint}`).sensitivity).toBe(bare);
    expect(classify(`تقول المتصلة إن ${complaint}`).sensitivity).toBe(bare);
  });
});
