/**
 * What the hotline says, per language: each prompt is either text for Twilio's `<Say>` (read with the language's
 * voice) or the URL of a recording for `<Play>`. The defaults below are text in all four languages.
 *
 * Kurdish has no text-to-speech voice at Twilio (neither Amazon Polly nor Google offers Sorani or Kurmanji). The
 * defaults therefore make the best of what exists and say so: Badini (Kurmanji, Latin script) is read by the
 * Turkish voice, whose spelling rules are close to the Kurdish Latin alphabet (ç, ş, î, û), which gives
 * understandable if accented speech; Sorani (Arabic script) is read by the Arabic voice, which reads the letters it
 * shares with Arabic and stumbles over Sorani's own vowels (ە ێ ۆ) — understandable in parts, not good. A real
 * deployment should have native speakers record every Kurdish prompt (and the reference characters) and configure
 * them as `play` URLs; the schema allows any mix of `say` and `play` per prompt.
 *
 * Overrides are stored as one record (pk `CONFIG#ivr-prompts`, sk `default`, the record in `record`, the same shape
 * the config store uses) and merged over the defaults prompt by prompt.
 *
 * Prompts that send the caller to another channel name its public number with a placeholder in brackets
 * (prompt-template.ts): `[, or send us a text message to {sms}]` is said, number and all, where the deployment has an
 * SMS number, and left out where it has none.
 */
import * as z from 'zod';
import { LANGUAGES } from '../classification/taxonomy.ts';
import { RequestError } from '../errors/domain-error.ts';
import type { DynamoDb } from '../store/dynamodb.ts';
import { REFERENCE_ALPHABET } from '../store/ids.ts';
import { isTemplateProblem, PROMPT_TEMPLATE_CODES, parseTemplate } from './prompt-template.ts';

/** A recording: an absolute http(s) URL, or a path under the platform's public base URL (`/audio/ckb/menu.mp3`). */
const AudioUrl = z.union([
  z.url({ protocol: /^https?$/ }),
  z.string().regex(/^\/[A-Za-z0-9._~\-/]+$/, 'must be an http(s) URL or a path such as /audio/ckb/menu.mp3'),
]);

const RECORDINGS_MESSAGE =
  'must be recordings (http(s) URLs or paths such as /audio/ckb/menu.mp3) and placeholders, separated by spaces';

/** Checks a prompt's placeholders and brackets; in a `play` prompt, every word must be a recording. */
const template =
  (kind: 'say' | 'play') =>
  (value: string, ctx: z.RefinementCtx): void => {
    const nodes = parseTemplate(value);
    if (isTemplateProblem(nodes)) {
      ctx.addIssue({ code: 'custom', message: nodes.message, params: { code: nodes.code } });
      return;
    }
    if (kind === 'say') return;
    const words = nodes.flatMap((n) => ('optional' in n ? n.optional : [n]));
    for (const w of words) {
      if (!('text' in w)) continue;
      for (const url of w.text.split(/\s+/).filter(Boolean)) {
        if (!AudioUrl.safeParse(url).success) {
          ctx.addIssue({
            code: 'custom',
            message: RECORDINGS_MESSAGE,
            params: { code: PROMPT_TEMPLATE_CODES.syntax },
          });
          return;
        }
      }
    }
  };

/**
 * One prompt: `{ say: text }` for `<Say>`, or `{ play: recordings }` for `<Play>` (one URL, or several with numbers
 * between them). Either may name public numbers (see prompt-template.ts).
 */
export const Prompt = z
  .strictObject({
    say: z.string().trim().min(1).max(1000).superRefine(template('say')).optional(),
    play: z.string().trim().min(1).max(2000).superRefine(template('play')).optional(),
  })
  .refine(
    (p) => (p.say === undefined) !== (p.play === undefined),
    'must be { say: text } or { play: recording }',
  )
  .transform((p): { say: string } | { play: string } =>
    p.say !== undefined ? { say: p.say } : { play: p.play as string },
  );
export type Prompt = z.output<typeof Prompt>;

export const PROMPT_IDS = [
  'greeting',
  'languageOption',
  'topicMenu',
  'officeClosed',
  'actionMenu',
  'recordInstructions',
  'abuseIntro',
  'abuseRecord',
  'recordedThanks',
  'emptyRecording',
  'callbackConfirmed',
  'noNumber',
  'referenceIs',
  'referenceAgain',
  'invalidChoice',
  'noInput',
  'giveUp',
  'goodbye',
  'unknownStep',
  'statusOption',
  'statusEnter',
  'statusNotFound',
  'statusGiveUp',
  'statusNew',
  'statusWorking',
  'statusReferred',
  'statusAwaitingAnswer',
  'statusResolved',
  'statusClosed',
  'statusRestricted',
  'liveOption',
  'genderMenu',
  'recordConsent',
  'connecting',
  'liveUnavailable',
  'liveMissed',
  'liveThanks',
] as const;
export type PromptId = (typeof PROMPT_IDS)[number];

/** Twilio `<Say>` settings: an Amazon Polly or Google voice and its language code. */
export const SayVoice = z.object({
  voice: z.string().regex(/^(Polly|Google)\.[A-Za-z0-9._-]+$|^(man|woman|alice)$/, 'must be a Twilio voice'),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as arb or en-GB'),
});
export type SayVoice = z.infer<typeof SayVoice>;

/** The characters recordings can be given for: a reference's, and every digit, which public numbers need. */
const RECORDED_CHARACTERS = `01${REFERENCE_ALPHABET}`;
const referenceCharacter = z.string().refine((c) => c.length === 1 && RECORDED_CHARACTERS.includes(c), {
  message: 'must be a digit or a reference character',
});

const PromptSet = z.strictObject(
  Object.fromEntries(PROMPT_IDS.map((id) => [id, Prompt])) as Record<PromptId, typeof Prompt>,
);

export const LanguagePrompts = z.object({
  say: SayVoice,
  /**
   * Recordings of each reference character and digit; when every character of a reference (or every digit of a
   * public number) has one, it is played, not said.
   */
  characters: z.record(referenceCharacter, AudioUrl).optional(),
  prompts: PromptSet,
});
export type LanguagePrompts = z.infer<typeof LanguagePrompts>;

export const IvrPrompts = z.strictObject({
  ar: LanguagePrompts,
  ckb: LanguagePrompts,
  kmr: LanguagePrompts,
  en: LanguagePrompts,
});
export type IvrPrompts = z.infer<typeof IvrPrompts>;

const LanguageOverride = z
  .strictObject({
    say: SayVoice.optional(),
    characters: LanguagePrompts.shape.characters,
    prompts: PromptSet.partial().optional(),
  })
  .optional();

/** A stored override: any language, any prompt, the voice or the character recordings. */
export const IvrPromptsOverride = z.strictObject({
  id: z.literal('default').default('default'),
  languages: z
    .strictObject({
      ar: LanguageOverride,
      ckb: LanguageOverride,
      kmr: LanguageOverride,
      en: LanguageOverride,
    })
    .default({}),
});
export type IvrPromptsOverride = z.infer<typeof IvrPromptsOverride>;

const say = (text: string): Prompt => ({ say: text });
const texts = (t: Record<PromptId, string>): LanguagePrompts['prompts'] =>
  Object.fromEntries(PROMPT_IDS.map((id) => [id, say(t[id])])) as LanguagePrompts['prompts'];

/**
 * The default prompts. Digits are written as numerals; every voice reads them in its own language. Not parsed at
 * import (a unit test checks them against the schema), to keep the hotline's cold start short.
 */
export const DEFAULT_IVR_PROMPTS: IvrPrompts = {
  ar: {
    say: { voice: 'Polly.Zeina', language: 'arb' },
    prompts: texts({
      greeting: 'أهلاً بكم في خط الشكاوى والملاحظات.',
      languageOption: 'للغة العربية، اضغط 1.',
      topicMenu:
        'لطرح سؤال، اضغط 1. لتقديم طلب، اضغط 2. لتقديم شكوى، اضغط 3. لتقديم شكر أو ملاحظة إيجابية، اضغط 4. ' +
        'للإبلاغ عن إساءة أو استغلال من قبل أحد العاملين في المجال الإنساني، اضغط 5.',
      officeClosed:
        'مكتبنا مغلق الآن. أوقات الدوام من الأحد إلى الخميس، من الثامنة صباحاً حتى الرابعة عصراً. ' +
        'يمكنك ترك رسالة وسنعاود الاتصال بك.',
      actionMenu: 'لترك رسالة صوتية، اضغط 1. لكي نعاود الاتصال بك، اضغط 2.',
      recordInstructions:
        'تحدث بعد سماع الصافرة. لديك دقيقتان. عند الانتهاء اضغط على مفتاح المربع أو أغلق الخط.',
      abuseIntro: 'شكراً لاتصالك. ما تخبرنا به يبقى سرياً. سيتصل بك أحد الزملاء المختصين في أقرب وقت ممكن.',
      abuseRecord: 'إذا أردت، اترك رسالة بعد الصافرة ثم اضغط على مفتاح المربع. ويمكنك أيضاً إغلاق الخط الآن.',
      recordedThanks: 'شكراً لك. تم تسجيل رسالتك.',
      emptyRecording: 'لم نسمع أي رسالة.',
      callbackConfirmed: 'سنعاود الاتصال بك على هذا الرقم في أقرب وقت ممكن.',
      noNumber:
        'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. ' +
        'يرجى الاتصال مجدداً من رقم غير مخفي[، أو إرسال رسالة نصية إلى الرقم {sms}]' +
        '[، أو مراسلتنا على واتساب على الرقم {whatsapp}].',
      referenceIs: 'رقم المرجع الخاص بك هو',
      referenceAgain: 'أكرر، رقم المرجع هو',
      invalidChoice: 'عذراً، هذا ليس من الخيارات المتاحة.',
      noInput: 'عذراً، لم نسمع اختيارك.',
      giveUp: 'لم نتمكن من فهم اختيارك، وقد سجلنا اتصالك.',
      goodbye: 'شكراً لاتصالك. مع السلامة.',
      unknownStep: 'عذراً، حدث خطأ من جهتنا. يرجى الاتصال مرة أخرى. مع السلامة.',
      statusOption: 'للاستعلام عن طلب قدمته سابقاً، اضغط 6.',
      statusEnter:
        'أدخل رقم المرجع على لوحة المفاتيح، وهو ثمانية رموز. للحرف، اضغط المفتاح الذي يحمل هذا الحرف. ' +
        'للعودة إلى القائمة، اضغط على مفتاح النجمة.',
      statusNotFound: 'عذراً، لم نجد طلباً بهذا المرجع للرقم الذي تتصل منه.',
      statusGiveUp:
        'لم نتمكن من إيجاد طلبك. يمكنك الاتصال مجدداً[، أو إرسال رقم المرجع إلينا برسالة نصية إلى الرقم {sms}]' +
        '[، أو إرسال رقم المرجع إلينا على واتساب على الرقم {whatsapp}].',
      statusNew: 'استلمنا طلبك، وسيراجعه فريقنا قريباً.',
      statusWorking: 'طلبك قيد المعالجة، وسنتواصل معك عند وجود جديد.',
      statusReferred: 'أحيل طلبك إلى جهة مختصة ستتواصل معك.',
      statusAwaitingAnswer:
        'تمت معالجة طلبك. أرسلنا لك رسالة نصية نسألك فيها إن كانت النتيجة مرضية، يرجى الرد عليها.',
      statusResolved: 'تمت معالجة طلبك. يمكنك التواصل معنا في أي وقت.',
      statusClosed: 'أغلق طلبك. يمكنك التواصل معنا في أي وقت.',
      statusRestricted: 'استلمنا طلبك، وهو قيد المتابعة.',
      liveOption: 'للتحدث مع أحد موظفينا، اضغط 3.',
      genderMenu: 'للتحدث مع موظفة، اضغط 1. للتحدث مع موظف، اضغط 2. للتحدث مع أول من يتوفر، اضغط 3.',
      recordConsent:
        'هل توافق على تسجيل هذه المكالمة لمساعدتنا في متابعة طلبك؟ للموافقة اضغط 1. إذا لم توافق، اضغط 2، ولن يتم تسجيل المكالمة.',
      connecting: 'يرجى الانتظار، جارٍ تحويلك إلى أحد موظفينا.',
      liveUnavailable: 'عذراً، لا يوجد موظف متاح الآن.',
      liveMissed: 'عذراً، لم يتمكن أحد من الرد على مكالمتك.',
      liveThanks: 'شكراً لتحدثك معنا.',
    }),
  },
  ckb: {
    say: { voice: 'Polly.Zeina', language: 'arb' },
    prompts: texts({
      greeting: 'بەخێربێن بۆ هێڵی سکاڵا و تێبینی.',
      languageOption: 'بۆ کوردیی سۆرانی، 2 دابگرن.',
      topicMenu:
        'بۆ پرسیارکردن، 1 دابگرن. بۆ داواکاری، 2 دابگرن. بۆ سکاڵا، 3 دابگرن. بۆ سوپاس و ستایش، 4 دابگرن. ' +
        'بۆ ڕاگەیاندنی خراپ بەکارهێنان یان چەوساندنەوە لەلایەن کارمەندێکی ڕێکخراوێکی مرۆیی، 5 دابگرن.',
      officeClosed:
        'ئێستا نووسینگەکەمان داخراوە. کاتی کارکردن لە یەکشەممە تا پێنجشەممەیە، لە 8ی بەیانی تا 4ی دوانیوەڕۆ. ' +
        'دەتوانن پەیامێک بەجێبهێڵن و پەیوەندیتان پێوە دەکەینەوە.',
      actionMenu: 'بۆ بەجێهێشتنی پەیامی دەنگی، 1 دابگرن. بۆ ئەوەی پەیوەندیتان پێوە بکەینەوە، 2 دابگرن.',
      recordInstructions:
        'دوای دەنگی بیپەکە قسە بکەن. دوو خولەکتان هەیە. کە تەواو بوون، دوگمەی هاش دابگرن یان تەلەفۆنەکە دابخەن.',
      abuseIntro:
        'سوپاس بۆ پەیوەندیکردنتان. ئەوەی پێمانی دەڵێن بە نهێنی دەمێنێتەوە. ' +
        'هاوکارێکی ڕاهێنراو بە زووترین کات پەیوەندیتان پێوە دەکات.',
      abuseRecord:
        'ئەگەر بتانەوێت، دوای دەنگی بیپەکە پەیامێک بەجێبهێڵن و پاشان دوگمەی هاش دابگرن. ' +
        'دەشتوانن ئێستا تەلەفۆنەکە دابخەن.',
      recordedThanks: 'سوپاس. پەیامەکەتان تۆمارکرا.',
      emptyRecording: 'هیچ پەیامێکمان نەبیست.',
      callbackConfirmed: 'بە زووترین کات لەسەر ئەم ژمارەیە پەیوەندیتان پێوە دەکەینەوە.',
      noNumber:
        'ژمارەی تەلەفۆنەکەتان دیار نییە، بۆیە ناتوانین پەیوەندیتان پێوە بکەینەوە. ' +
        'تکایە لە ژمارەیەکی نەشاراوەوە دووبارە پەیوەندی بکەن[، یان نامەیەکمان بۆ بنێرن بۆ ژمارە {sms}]' +
        '[، یان لە واتسئاپ نامەمان بۆ بنێرن بۆ ژمارە {whatsapp}].',
      referenceIs: 'ژمارەی بەدواداچوونەکەتان ئەمەیە',
      referenceAgain: 'دووبارە، ژمارەی بەدواداچوون',
      invalidChoice: 'ببورن، ئەمە یەکێک نییە لە هەڵبژاردنەکان.',
      noInput: 'ببورن، هەڵبژاردنەکەتانمان نەبیست.',
      giveUp: 'نەمانتوانی لە هەڵبژاردنەکەتان تێبگەین، بەڵام پەیوەندییەکەتان تۆمارکرا.',
      goodbye: 'سوپاس بۆ پەیوەندیکردنتان. خواتان لەگەڵ بێت.',
      unknownStep: 'ببورن، هەڵەیەک لەلایەن ئێمەوە ڕوویدا. تکایە دووبارە پەیوەندی بکەنەوە. خواتان لەگەڵ بێت.',
      statusOption: 'بۆ زانینی دۆخی دۆسیەیەک کە پێشتر تۆمارتان کردووە، 6 دابگرن.',
      statusEnter:
        'ژمارەی بەدواداچوونەکەتان بە دوگمەکان بنووسن، هەشت هێمایە. بۆ پیتێک، ئەو دوگمەیە دابگرن کە پیتەکەی لەسەرە. ' +
        'بۆ گەڕانەوە بۆ لیستەکە، دوگمەی ئەستێرە دابگرن.',
      statusNotFound: 'ببورن، دۆسیەیەکمان بەم ژمارەیە بۆ ئەو تەلەفۆنەی لێیەوە پەیوەندی دەکەن نەدۆزییەوە.',
      statusGiveUp:
        'نەمانتوانی دۆسیەکەتان بدۆزینەوە. دەتوانن دووبارە پەیوەندی بکەن' +
        '[، یان ژمارەی بەدواداچوونەکە بە نامە بنێرن بۆ ژمارە {sms}]' +
        '[، یان ژمارەی بەدواداچوونەکە لە واتسئاپ بنێرن بۆ ژمارە {whatsapp}].',
      statusNew: 'دۆسیەکەتان گەیشت و تیمەکەمان بەم زووانە سەیری دەکات.',
      statusWorking: 'کار لەسەر دۆسیەکەتان دەکرێت و کە هەواڵێک هەبوو پەیوەندیتان پێوە دەکەین.',
      statusReferred: 'دۆسیەکەتان ڕەوانەی لایەنێکی پسپۆڕ کرا و ئەوان پەیوەندیتان پێوە دەکەن.',
      statusAwaitingAnswer:
        'دۆسیەکەتان چارەسەرکرا. نامەیەکمان بۆ ناردن و پرسیمان ئایا ڕازین، تکایە وەڵامی بدەنەوە.',
      statusResolved: 'دۆسیەکەتان چارەسەرکرا. هەر کات دەتوانن پەیوەندیمان پێوە بکەن.',
      statusClosed: 'دۆسیەکەتان داخرا. هەر کات دەتوانن پەیوەندیمان پێوە بکەن.',
      statusRestricted: 'دۆسیەکەتان گەیشت و بەدواداچوونی بۆ دەکرێت.',
      liveOption: 'بۆ قسەکردن لەگەڵ یەکێک لە کارمەندەکانمان، 3 دابگرن.',
      genderMenu:
        'بۆ قسەکردن لەگەڵ کارمەندێکی ئافرەت، 1 دابگرن. بۆ قسەکردن لەگەڵ کارمەندێکی پیاو، 2 دابگرن. بۆ یەکەم کارمەندی بەردەست، 3 دابگرن.',
      recordConsent:
        'ئایا ڕازین ئەم پەیوەندییە تۆمار بکرێت بۆ ئەوەی یارمەتیمان بدات لە بەدواداچوونی داواکەتان؟ بۆ ڕازیبوون 1 دابگرن. ئەگەر ڕازی نین، 2 دابگرن و پەیوەندییەکە تۆمار ناکرێت.',
      connecting: 'تکایە چاوەڕێ بن، پەیوەندیتان پێوە دەکەین بە یەکێک لە کارمەندەکانمان.',
      liveUnavailable: 'ببورن، ئێستا هیچ کارمەندێک بەردەست نییە.',
      liveMissed: 'ببورن، کەس نەیتوانی وەڵامی پەیوەندییەکەتان بداتەوە.',
      liveThanks: 'سوپاس بۆ قسەکردنتان لەگەڵمان.',
    }),
  },
  kmr: {
    say: { voice: 'Polly.Filiz', language: 'tr-TR' },
    prompts: texts({
      greeting: 'Hûn bi xêr hatin xeta gilî û nêrînan.',
      languageOption: 'Ji bo Kurdiya Badînî, bişkoka 3 bitikînin.',
      topicMenu:
        'Ji bo pirsekê, 1 bitikînin. Ji bo daxwazekê, 2 bitikînin. Ji bo gilîkirinê, 3 bitikînin. ' +
        'Ji bo spas û pesnê, 4 bitikînin. Ji bo ragihandina destdirêjî an îstismarê ji aliyê karmendekî ' +
        'rêxistineke mirovî ve, 5 bitikînin.',
      officeClosed:
        'Niha ofîsa me girtî ye. Em ji Yekşemê heta Pêncşemê, ji saet 8ê sibehê heta 4ê piştî nîvro kar dikin. ' +
        'Hûn dikarin peyamekê bihêlin û em ê li we vegerin.',
      actionMenu: 'Ji bo hiştina peyameke dengî, 1 bitikînin. Ji bo ku em li we vegerin, 2 bitikînin.',
      recordInstructions:
        'Piştî dengê bîpê biaxivin. Du deqeyên we hene. Dema ku we xilas kir, bişkoka hash bitikînin an telefonê ' +
        'bigirin.',
      abuseIntro:
        'Spas ji bo telefona we. Tiştê ku hûn ji me re dibêjin veşartî dimîne. ' +
        'Hevkarekî perwerdekirî dê di zûtirîn dem de li we vegere.',
      abuseRecord:
        'Heke hûn bixwazin, piştî dengê bîpê peyamekê bihêlin û paşê bişkoka hash bitikînin. ' +
        'Hûn dikarin niha telefonê jî bigirin.',
      recordedThanks: 'Spas. Peyama we hat tomarkirin.',
      emptyRecording: 'Me tu peyam nebihîst.',
      callbackConfirmed: 'Em ê di zûtirîn dem de li ser vê hejmarê li we vegerin.',
      noNumber:
        'Hejmara telefona we xuya nake, ji ber vê yekê em nikarin li we vegerin. Ji kerema xwe ji hejmareke ' +
        'ne veşartî dîsa telefon bikin[, an peyamekê ji me re bişînin li hejmara {sms}]' +
        '[, an li ser WhatsAppê ji me re binivîsin li hejmara {whatsapp}].',
      referenceIs: 'Hejmara şopandina we ev e',
      referenceAgain: 'Dîsa, hejmara şopandinê',
      invalidChoice: 'Bibexşînin, ev ne yek ji vebijarkan e.',
      noInput: 'Bibexşînin, me bijartina we nebihîst.',
      giveUp: 'Me bijartina we fêm nekir, lê telefona we hat tomarkirin.',
      goodbye: 'Spas ji bo telefona we. Xatirê we.',
      unknownStep: 'Bibexşînin, ji aliyê me ve çewtiyek çêbû. Ji kerema xwe dîsa telefon bikin. Xatirê we.',
      statusOption: 'Ji bo rewşa dozeke ku we berê ragihandiye, 6 bitikînin.',
      statusEnter:
        'Hejmara şopandina xwe bi bişkokan binivîsin, heşt nîşan in. Ji bo tîpekê, bişkoka ku tîp li ser e ' +
        'bitikînin. Ji bo vegerê, bişkoka stêrkê bitikînin.',
      statusNotFound: 'Bibexşînin, me bi vê hejmarê ji bo telefona ku hûn jê digerin tu doz nedît.',
      statusGiveUp:
        'Me doza we nedît. Hûn dikarin dîsa telefon bikin[, an hejmara şopandinê bi peyamekê bişînin li hejmara {sms}]' +
        '[, an hejmara şopandinê li ser WhatsAppê bişînin li hejmara {whatsapp}].',
      statusNew: 'Doza we gihîşt me, û tîma me dê zû lê binêre.',
      statusWorking: 'Em li ser doza we dixebitin, û dema nûçe hebe em ê bi we re têkilî daynin.',
      statusReferred: 'Doza we ji rêxistineke pispor re hat şandin, û ew ê bi we re têkilî daynin.',
      statusAwaitingAnswer:
        'Doza we hat çareserkirin. Me peyamek ji we re şand û pirsî gelo hûn razî ne; ji kerema xwe bersiv bidin.',
      statusResolved: 'Doza we hat çareserkirin. Hûn dikarin her dem dîsa bi me re têkilî daynin.',
      statusClosed: 'Doza we hat girtin. Hûn dikarin her dem dîsa bi me re têkilî daynin.',
      statusRestricted: 'Doza we gihîşt me û li ser tê xebitandin.',
      liveOption: 'Ji bo axaftina bi yek ji karmendên me re, 3 bitikînin.',
      genderMenu:
        'Ji bo axaftina bi karmendeke jin re, 1 bitikînin. Ji bo axaftina bi karmendekî mêr re, 2 bitikînin. Ji bo karmendê yekem ê amade, 3 bitikînin.',
      recordConsent:
        'Hûn razî ne ku ev telefon were tomarkirin da ku alîkariya me bike di şopandina doza we de? Ji bo erê, 1 bitikînin. Heke hûn ne razî ne, 2 bitikînin, û telefon nayê tomarkirin.',
      connecting: 'Ji kerema xwe bisekinin, em we bi yek ji karmendên xwe re girêdidin.',
      liveUnavailable: 'Bibexşînin, niha tu karmend amade nîne.',
      liveMissed: 'Bibexşînin, kesî nikarîbû bersiva telefona we bide.',
      liveThanks: 'Spas ji bo axaftina we bi me re.',
    }),
  },
  en: {
    say: { voice: 'Polly.Amy', language: 'en-GB' },
    prompts: texts({
      greeting: 'Welcome to the feedback and complaints line.',
      languageOption: 'For English, press 4.',
      topicMenu:
        'To ask a question, press 1. To make a request, press 2. To make a complaint, press 3. ' +
        'To thank us or tell us what went well, press 4. ' +
        'To report abuse or exploitation by an aid worker, press 5.',
      officeClosed:
        'Our office is closed now. We are open Sunday to Thursday, from 8 in the morning to 4 in the afternoon. ' +
        'You can still leave a message, and we will call you back.',
      actionMenu: 'To leave a voice message, press 1. To ask us to call you back, press 2.',
      recordInstructions:
        'Please speak after the tone. You have up to two minutes. When you have finished, press the hash key or ' +
        'hang up.',
      abuseIntro:
        'Thank you for calling. What you tell us stays confidential. ' +
        'A trained colleague will call you back as soon as possible.',
      abuseRecord:
        'If you wish, leave a message after the tone, then press the hash key. You can also hang up now.',
      recordedThanks: 'Thank you. Your message has been recorded.',
      emptyRecording: 'We did not hear a message.',
      callbackConfirmed: 'We will call you back on this number as soon as we can.',
      noNumber:
        'We cannot see your phone number, so we cannot call you back. ' +
        'Please call again from a number that is not hidden[, or send us a text message to {sms}]' +
        '[, or write to us on WhatsApp at {whatsapp}].',
      referenceIs: 'Your reference is',
      referenceAgain: 'Once again, your reference is',
      invalidChoice: 'Sorry, that is not one of the choices.',
      noInput: 'Sorry, we did not hear your choice.',
      giveUp: 'We could not understand your choice, but we have noted your call.',
      goodbye: 'Thank you for calling. Goodbye.',
      unknownStep: 'Sorry, something went wrong on our side. Please call again. Goodbye.',
      statusOption: 'To check on a case you have already reported, press 6.',
      statusEnter:
        'Please type your reference on the keypad, all eight characters. For a letter, press the key that shows ' +
        'it. To go back to the menu, press star.',
      statusNotFound: 'Sorry, we found no case with that reference for the number you are calling from.',
      statusGiveUp:
        'We could not find your case. You can call again[, or send us your reference in a text message to {sms}]' +
        '[, or send us your reference on WhatsApp at {whatsapp}].',
      statusNew: 'We have received it, and our team will review it soon.',
      statusWorking: 'We are working on it, and will contact you when there is news.',
      statusReferred: 'It has been referred to an organisation that can help, and they will contact you.',
      statusAwaitingAnswer:
        'It has been resolved. We sent you a text message asking whether you are satisfied. Please answer it.',
      statusResolved: 'It has been resolved. You can contact us again at any time.',
      statusClosed: 'It is closed. You can contact us again at any time.',
      statusRestricted: 'It has been received and is being handled.',
      liveOption: 'To speak to a member of our team, press 3.',
      genderMenu:
        'To speak to a woman, press 1. To speak to a man, press 2. To speak to whoever is free first, press 3.',
      recordConsent:
        'We would like to record this call, to help us follow up your case. To agree, press 1. If you do not agree, press 2, and the call will not be recorded.',
      connecting: 'Please hold while we put you through to a member of our team.',
      liveUnavailable: 'Sorry, nobody from our team is free to take your call now.',
      liveMissed: 'Sorry, nobody from our team could answer your call.',
      liveThanks: 'Thank you for speaking with us.',
    }),
  },
};

/** The defaults with a stored override laid over them, prompt by prompt. */
export function mergePrompts(base: IvrPrompts, override: IvrPromptsOverride): IvrPrompts {
  const out = { ...base };
  for (const language of LANGUAGES) {
    const o = override.languages[language];
    if (!o) continue;
    const b = base[language];
    out[language] = {
      say: o.say ?? b.say,
      ...(o.characters || b.characters ? { characters: { ...b.characters, ...o.characters } } : {}),
      prompts: { ...b.prompts, ...o.prompts } as LanguagePrompts['prompts'],
    };
  }
  return IvrPrompts.parse(out);
}

export const ivrPromptsKey = { pk: 'CONFIG#ivr-prompts', sk: 'default' } as const;

/**
 * An override as an admin sent it, checked: a placeholder problem is a 400 with its own stable code (an unknown
 * placeholder, a number outside brackets, a broken bracket); anything else is `REQUEST.INVALID`. Both name the
 * failing prompts by path.
 */
export function parseIvrPromptsOverride(input: unknown): IvrPromptsOverride {
  const parsed = IvrPromptsOverride.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const coded = parsed.error.issues.find(
    (i): i is z.core.$ZodIssueCustom => i.code === 'custom' && typeof i.params?.code === 'string',
  );
  const code = (coded?.params?.code as string | undefined) ?? 'REQUEST.INVALID';
  throw new RequestError(
    400,
    code,
    coded ? `${coded.path.join('.')}: ${coded.message}` : 'The prompts are not valid.',
    issues,
  );
}

/** Stores an override (validated); the admin side calls this. Returns what was stored. */
export async function putIvrPromptsOverride(
  db: DynamoDb,
  tableName: string,
  override: unknown,
): Promise<IvrPromptsOverride> {
  const record = parseIvrPromptsOverride(override);
  await db.put({
    TableName: tableName,
    Item: { ...ivrPromptsKey, kind: 'ivr-prompts', record, updatedAt: new Date().toISOString() },
  });
  return record;
}

/** The stored override, or an empty one (the defaults in force) when there is none or it no longer parses. */
export async function getIvrPromptsOverride(db: DynamoDb, tableName: string): Promise<IvrPromptsOverride> {
  const item = await db.get(tableName, ivrPromptsKey);
  const parsed = IvrPromptsOverride.safeParse(item?.record ?? {});
  return parsed.success ? parsed.data : IvrPromptsOverride.parse({});
}

/**
 * The prompts in force: the defaults merged with the stored override. A stored override that no longer passes the
 * schema is ignored (the hotline must keep answering) and reported through `onInvalid`.
 */
export async function loadIvrPrompts(
  db: DynamoDb,
  tableName: string,
  onInvalid: () => void = () => undefined,
): Promise<IvrPrompts> {
  const item = await db.get(tableName, ivrPromptsKey);
  if (!item) return DEFAULT_IVR_PROMPTS;
  const parsed = IvrPromptsOverride.safeParse(item.record);
  if (!parsed.success) {
    onInvalid();
    return DEFAULT_IVR_PROMPTS;
  }
  return mergePrompts(DEFAULT_IVR_PROMPTS, parsed.data);
}
