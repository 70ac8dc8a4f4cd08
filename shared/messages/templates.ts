/**
 * Every SMS the platform sends on its own, in Arabic, Sorani (Arabic script), Kurmanji/Badini (in Latin script,
 * and in Arabic script for a person who writes Badini in it, as Duhok's schools teach it) and English. Each must
 * fit one segment with the longest reference and outcome (70 UTF-16 units for Arabic script and for Kurmanji's
 * ê î û ş, 160 for plain GSM-7 English); a unit test checks every combination, so a wording change that spills
 * into a second segment fails the build.
 *
 * Register: polite plural in Kurdish (-تان, "hûn/we"), plain standard Arabic, gender-neutral where Arabic
 * allows it ("هل النتيجة مرضية؟" rather than "هل أنت راضٍ؟"). Keywords quoted in the texts are the ones
 * keywords.ts understands.
 */
import type { Language } from '../classification/taxonomy.ts';

/** How a case was resolved, as recorded on the case (`outcome`) and told to the complainant. */
export const OUTCOMES = [
  'assistance_provided',
  'information_given',
  'referred',
  'corrected',
  'not_possible',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

const OUTCOME_TEXT: Readonly<Record<Outcome, Readonly<Record<Language, string>>>> = {
  assistance_provided: {
    ar: 'تم تقديم المساعدة',
    ckb: 'یارمەتی پێشکەشکرا',
    kmr: 'alîkarî hat dayîn',
    en: 'assistance was provided',
  },
  information_given: {
    ar: 'تم تقديم المعلومات',
    ckb: 'زانیاری پێدرا',
    kmr: 'agahî hat dayîn',
    en: 'the information you needed was given',
  },
  referred: {
    ar: 'أحيل إلى جهة مختصة',
    ckb: 'ڕەوانەی لایەنی پسپۆڕ کرا',
    kmr: 'ji aliyê pispor re hat şandin',
    en: 'it was referred to an organisation that can help',
  },
  corrected: {
    ar: 'تم حل المشكلة',
    ckb: 'کێشەکە چارەسەرکرا',
    kmr: 'pirsgirêk hat çareserkirin',
    en: 'the problem was fixed',
  },
  not_possible: {
    ar: 'تعذرت تلبية الطلب',
    ckb: 'نەتوانرا جێبەجێ بکرێت',
    kmr: 'ne pêkan bû',
    en: 'we could not meet the request this time',
  },
};

/** The outcomes in Badini written in Arabic script. */
const OUTCOME_KMR_ARABIC: Readonly<Record<Outcome, string>> = {
  assistance_provided: 'هاریکاری هاتە دان',
  information_given: 'زانیاری هاتنە دان',
  referred: 'بۆ لایەنێ پسپۆر هاتە هنارتن',
  corrected: 'ئاریشە هاتە چارەسەرکرن',
  not_possible: 'نەشیاین جێبەجێ بکەین',
};

/**
 * The scripts a person may write their language in, where it has more than one: Kurmanji is written in Latin
 * letters (Syria, Turkey, phones) and, in Iraq's Badini areas, in Arabic script. Absent means the language's usual
 * script (Latin for Kurmanji).
 */
export const SCRIPTS = ['arabic', 'latin'] as const;
export type Script = (typeof SCRIPTS)[number];

/** Letters (not digits or punctuation) of the Arabic and of the Latin script. */
const ARABIC_LETTER = /(?=\p{L})\p{Script=Arabic}/gu;
const LATIN_LETTER = /(?=\p{L})\p{Script=Latin}/gu;

/**
 * The script to answer a text in `language`: Arabic for Kurmanji written mostly in Arabic letters, else nothing
 * (the language's usual script). Only Kurmanji has a choice. The letters decide, as in the language detector,
 * which the functions that only send messages do not load.
 */
export function scriptOf(language: Language, text: string | undefined): Script | undefined {
  if (language !== 'kmr' || !text) return undefined;
  const arabic = text.match(ARABIC_LETTER)?.length ?? 0;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  return arabic > 0 && arabic >= latin ? 'arabic' : undefined;
}

/** The outcome in `language` (and script), or undefined for a code that is not one of {@link OUTCOMES}. */
export function outcomeText(outcome: string, language: Language, script?: Script): string | undefined {
  if (!(OUTCOMES as readonly string[]).includes(outcome)) return undefined;
  return language === 'kmr' && script === 'arabic'
    ? OUTCOME_KMR_ARABIC[outcome as Outcome]
    : OUTCOME_TEXT[outcome as Outcome][language];
}

interface Vars {
  ref: string;
  /** An outcome code; unknown codes are left out of the text rather than shown raw. */
  outcome?: string;
  /**
   * The officer's own words to the person, written in their language, put between the outcome and the question.
   * Free text is not held to one segment: a message of a few sentences costs a few segments.
   */
  message?: string;
}

/** The variables each template needs. */
export interface TemplateVars {
  received: Pick<Vars, 'ref'>;
  help: Record<string, never>;
  stopped: Record<string, never>;
  started: Record<string, never>;
  resolved: Vars;
  thanks: Record<string, never>;
  reopened: Pick<Vars, 'ref'>;
  closed_no_answer: Pick<Vars, 'ref'>;
  status_new: Pick<Vars, 'ref'>;
  status_working: Pick<Vars, 'ref'>;
  status_referred: Pick<Vars, 'ref'>;
  status_resolved: Pick<Vars, 'ref'>;
  status_closed: Pick<Vars, 'ref'>;
  status_restricted: Pick<Vars, 'ref'>;
  not_found: Record<string, never>;
  noted: Record<string, never>;
  many_messages: Record<string, never>;
}
export type TemplateId = keyof TemplateVars;
export const TEMPLATE_IDS = [
  'received',
  'help',
  'stopped',
  'started',
  'resolved',
  'thanks',
  'reopened',
  'closed_no_answer',
  'status_new',
  'status_working',
  'status_referred',
  'status_resolved',
  'status_closed',
  'status_restricted',
  'not_found',
  'noted',
  'many_messages',
] as const satisfies readonly TemplateId[];

type Text = (v: Vars & { said?: string }) => string;

/** The officer's message as it sits in the outcome SMS: one space before it, none when there is none. */
/**
 * The officer's words to the person, as a sentence of their own: a full stop is added when they end without one,
 * so the question that follows does not run on («…سوبەهی دێ هێتە کەمپێ هوین رازینە؟»).
 */
const words = (v: Vars): string => {
  const message = v.message?.trim();
  if (!message) return '';
  return ` ${/[.!?؟…۔]["'»”)]*$/u.test(message) ? message : `${message}.`}`;
};

const TEXTS: Readonly<Record<TemplateId, Readonly<Record<Language, Text>>>> = {
  received: {
    ar: (v) => `شكراً، وصلتنا رسالتك. رقم المرجع: ${v.ref}. احتفظ به للمتابعة.`,
    ckb: (v) => `سوپاس، پەیامەکەتان گەیشت. ژمارەی بەدواداچوون: ${v.ref}. بیپارێزن.`,
    kmr: (v) => `Spas, peyama we gihîşt. Hejmara şopandinê: ${v.ref}. Wê biparêzin.`,
    en: (v) =>
      `Thank you, we have received your message. Your reference is ${v.ref}. Please keep it to follow up.`,
  },
  help: {
    ar: () => 'أرسل لنا شكواك أو ملاحظتك برسالة وسنرد عليك. للإيقاف أرسل: توقف',
    ckb: () => 'سکاڵا یان تێبینییەکەتان بنێرن، وەڵامتان دەدەینەوە. بۆ ڕاگرتن: وەستان',
    kmr: () => 'Gilî an nêrîna xwe bişînin, em ê bersiv bidin. Rawestandin: rawestîne',
    en: () =>
      'Send us your complaint, question or feedback in any language and we will reply. Reply STOP to stop ' +
      'messages, START to restart.',
  },
  stopped: {
    ar: () => 'لن نرسل لك رسائل بعد الآن. لإعادة الاشتراك أرسل: ابدأ',
    ckb: () => 'ئیتر پەیامتان بۆ نانێرین. بۆ دەستپێکردنەوە بنێرن: دەستپێکردن',
    kmr: () => 'Êdî em ji we re peyam naşînin. Bo dîsa wergirtinê: dest pê bike',
    en: () => 'You will not receive further messages from us. Reply START to receive them again.',
  },
  started: {
    ar: () => 'سنرسل لك رسائلنا من جديد. لإيقافها أرسل: توقف',
    ckb: () => 'پەیامەکانمان دووبارە بۆتان دێنەوە. بۆ ڕاگرتن بنێرن: وەستان',
    kmr: () => 'Peyamên me dîsa ji we re tên. Bo rawestandinê: rawestîne',
    en: () => 'You will receive our messages again. Reply STOP at any time to stop them.',
  },
  resolved: {
    ar: (v) => `طلبك ${v.ref}: ${v.said ?? 'تمت معالجته'}.${words(v)} هل النتيجة مرضية؟ 1=نعم 2=لا`,
    ckb: (v) => `دۆسیەی ${v.ref}: ${v.said ?? 'چارەسەرکرا'}.${words(v)} ڕازین؟ 1=بەڵێ 2=نەخێر`,
    kmr: (v) => `Doza ${v.ref}: ${v.said ?? 'hat çareserkirin'}.${words(v)} Hûn razî ne? 1=erê 2=na`,
    en: (v) =>
      v.said
        ? `Your case ${v.ref} has been resolved: ${v.said}.${words(v)} Are you satisfied? Reply 1 = satisfied, 2 = not satisfied.`
        : `Your case ${v.ref} has been resolved.${words(v)} Are you satisfied? Reply 1 = satisfied, 2 = not satisfied.`,
  },
  thanks: {
    ar: () => 'شكراً لردك، رأيك يساعدنا على تحسين عملنا.',
    ckb: () => 'سوپاس بۆ وەڵامەکەتان، یارمەتیمان دەدات کارەکانمان باشتر بکەین.',
    kmr: () => 'Spas ji bo bersiva we. Ew ji me re dibe alîkar ku em baştir bibin.',
    en: () => 'Thank you for your answer. It helps us improve our work.',
  },
  reopened: {
    ar: (v) => `نأسف لذلك. أعدنا فتح طلبك ${v.ref} وسنتواصل معك قريباً.`,
    ckb: (v) => `ببورن. دۆسیەی ${v.ref} دووبارە کرایەوە و پەیوەندیتان پێوە دەکەین.`,
    kmr: (v) => `Bibore. Doza ${v.ref} dîsa hat vekirin û em ê bi we re têkilî daynin.`,
    en: (v) => `We are sorry. Your case ${v.ref} has been reopened and we will contact you soon.`,
  },
  closed_no_answer: {
    ar: (v) => `لم يصلنا ردك، فأغلقنا طلبك ${v.ref}. يمكنك مراسلتنا في أي وقت.`,
    ckb: (v) => `وەڵاممان پێنەگەیشت، دۆسیەی ${v.ref} داخرا. هەر کات دەتوانن بنووسن.`,
    kmr: (v) => `Bersiv negihîşt, doza ${v.ref} hat girtin. Her dem dikarin binivîsin.`,
    en: (v) =>
      `We did not hear back from you, so case ${v.ref} is now closed. You can write to us again at any time.`,
  },
  // The answers to a status request: where the case is and what happens next. A resolved case that waits on the
  // person's answer gets the `resolved` text again instead (it asks the question), and a restricted case says
  // only that it was received and is being handled, whatever its state.
  status_new: {
    ar: (v) => `طلبك ${v.ref}: استلمناه وسيراجعه فريقنا قريباً.`,
    ckb: (v) => `دۆسیەی ${v.ref}: گەیشت، تیمەکەمان بەم زووانە سەیری دەکات.`,
    kmr: (v) => `Doza ${v.ref}: gihîşt, tîma me dê zû lê binêre.`,
    en: (v) => `Case ${v.ref}: received. Our team will review it soon.`,
  },
  status_working: {
    ar: (v) => `طلبك ${v.ref}: قيد المعالجة، وسنتواصل معك عند وجود جديد.`,
    ckb: (v) => `دۆسیەی ${v.ref}: کاری لەسەر دەکرێت، هەواڵمان هەبێت پێتان دەڵێین.`,
    kmr: (v) => `Doza ${v.ref}: li ser tê xebitandin, em ê we agahdar bikin.`,
    en: (v) => `Case ${v.ref}: we are working on it and will contact you when there is news.`,
  },
  status_referred: {
    ar: (v) => `طلبك ${v.ref}: أحيل إلى جهة مختصة ستتواصل معك.`,
    ckb: (v) => `دۆسیەی ${v.ref}: ڕەوانەی لایەنی پسپۆڕ کرا، پەیوەندیتان پێوە دەکەن.`,
    kmr: (v) => `Doza ${v.ref}: ji pispor re hat şandin, ew ê têkilî daynin.`,
    en: (v) => `Case ${v.ref}: referred to an organisation that can help. They will contact you.`,
  },
  status_resolved: {
    ar: (v) => `طلبك ${v.ref}: تمت معالجته. يمكنك مراسلتنا في أي وقت.`,
    ckb: (v) => `دۆسیەی ${v.ref}: چارەسەرکرا. هەر کات دەتوانن بنووسن.`,
    kmr: (v) => `Doza ${v.ref}: hat çareserkirin. Her dem dikarin binivîsin.`,
    en: (v) => `Case ${v.ref}: resolved. You can write to us again at any time.`,
  },
  status_closed: {
    ar: (v) => `طلبك ${v.ref}: أغلق. يمكنك مراسلتنا في أي وقت.`,
    ckb: (v) => `دۆسیەی ${v.ref}: داخرا. هەر کات دەتوانن بنووسن.`,
    kmr: (v) => `Doza ${v.ref}: hat girtin. Her dem dikarin binivîsin.`,
    en: (v) => `Case ${v.ref}: closed. You can write to us again at any time.`,
  },
  status_restricted: {
    ar: (v) => `طلبك ${v.ref}: وصلنا وهو قيد المتابعة.`,
    ckb: (v) => `دۆسیەی ${v.ref}: گەیشت و بەدواداچوونی بۆ دەکرێت.`,
    kmr: (v) => `Doza ${v.ref}: gihîşt û li ser tê xebitandin.`,
    en: (v) => `Case ${v.ref}: received and being handled.`,
  },
  // The answer to a message that joins a restricted case: no reference, so that whoever else reads the phone does
  // not learn that there is a report to ask after.
  noted: {
    ar: () => 'شكراً، وصلتنا رسالتك وسنتابعها.',
    ckb: () => 'سوپاس، پەیامەکەتان گەیشت و بەدواداچوونی بۆ دەکەین.',
    kmr: () => 'Spas, peyama we gihîşt û em ê li ser bixebitin.',
    en: () => 'Thank you, we have received your message and will follow it up.',
  },
  // The one answer to a number past its message budget (intake/sender-budget.ts); its later messages in the hour
  // get none. No reference: the messages may join a restricted case.
  many_messages: {
    ar: () => 'وصلتنا رسائل كثيرة منك. نضيفها إلى طلبك ولن نرد على كل رسالة.',
    ckb: () => 'پەیامی زۆرتان گەیشت. دەخرێنە سەر دۆسیەکەتان، وەڵامی هەمووی نادەینەوە.',
    kmr: () => 'Gelek peyamên we gihîştin. Em wan li doza we zêde dikin.',
    en: () =>
      'We have received many messages from you. We add them to your case and will not answer each one.',
  },
  // The same answer for a reference nobody has and for one of another number's cases: it discloses nothing.
  not_found: {
    ar: () => 'لم نجد طلباً بهذا الرقم لهاتفك. تأكد من الرقم وأرسله مجدداً.',
    ckb: () => 'دۆسیەیەک بەم ژمارەیە بۆ تەلەفۆنەکەتان نەدۆزرایەوە. دووبارە بینێرن.',
    kmr: () => 'Bi vê hejmarê ji telefona we doz nehat dîtin. Dîsa bişînin.',
    en: () =>
      'We found no case with that reference for this phone number. Please check it and send it again.',
  },
};

/**
 * Badini written in Arabic script, for a person who writes it so: the Kurmanji texts above in Duhok's spelling
 * (ڤ for v, ێ for ê, وو for û, the short i unwritten) and Badini words (هەوە "your", دشێن "you can", ئاریشە
 * "problem", هنارتن "to send"). The keywords it quotes are in keywords.ts.
 */
const KMR_ARABIC: Readonly<Record<TemplateId, Text>> = {
  received: (v) => `سوپاس، پەیاما هەوە گەهشت. ژمارا شوپاندنێ: ${v.ref}. بپارێزن.`,
  help: () => 'گازندە یان تێبینیا خۆ بهنێرن، دێ بەرسڤێ دەین. راوەستاندن: راوەستینە',
  stopped: () => 'ئێدی ئەم پەیامان بۆ هەوە ناهنێرین. بۆ وەرگرتنێ دیسا: دەست پێ بکە',
  started: () => 'پەیامێن مە دیسا بۆ هەوە دهێن. بۆ راوەستاندنێ: راوەستینە',
  resolved: (v) => `دۆسیا ${v.ref}: ${v.said ?? 'هاتە چارەسەرکرن'}.${words(v)} هوین رازینە؟ 1=ئەرێ 2=نە`,
  thanks: () => 'سوپاس بۆ بەرسڤا هەوە، هاریکاریا مە دکەت کو کارێ خۆ باشتر بکەین.',
  reopened: (v) => `ببورن. دۆسیا ${v.ref} دیسا هاتە ڤەکرن و دێ پەیوەندیێ ب هەوە کەین.`,
  closed_no_answer: (v) => `بەرسڤا هەوە نەگەهشت، دۆسیا ${v.ref} هاتە گرتن. هەر دەم دشێن بنڤیسن.`,
  status_new: (v) => `دۆسیا ${v.ref}: گەهشت، تیما مە دێ زوو سەحکەتێ.`,
  status_working: (v) => `دۆسیا ${v.ref}: کار ل سەر دهێتە کرن، دێ هەوە ئاگەهدار کەین.`,
  status_referred: (v) => `دۆسیا ${v.ref}: بۆ لایەنێ پسپۆر هاتە هنارتن، دێ پەیوەندیێ ب هەوە کەن.`,
  status_resolved: (v) => `دۆسیا ${v.ref}: هاتە چارەسەرکرن. هەر دەم دشێن بنڤیسن.`,
  status_closed: (v) => `دۆسیا ${v.ref}: هاتە گرتن. هەر دەم دشێن بنڤیسن.`,
  status_restricted: (v) => `دۆسیا ${v.ref}: گەهشت و کار ل سەر دهێتە کرن.`,
  noted: () => 'سوپاس، پەیاما هەوە گەهشت و دێ کار ل سەر کەین.',
  many_messages: () => 'گەلەک پەیامێن هەوە گەهشتن. دێ وان ل دۆسیا هەوە زێدە کەین.',
  not_found: () => 'ب ڤێ ژمارێ چ دۆسیە بۆ تەلەفونا هەوە نەهاتە دیتن. دیسا بهنێرن.',
};

const NEEDS_REF: ReadonlySet<TemplateId> = new Set([
  'received',
  'resolved',
  'reopened',
  'closed_no_answer',
  'status_new',
  'status_working',
  'status_referred',
  'status_resolved',
  'status_closed',
  'status_restricted',
]);

/**
 * The text of `template` in `language` with its variables filled in; `script` chooses Badini in Arabic script for
 * Kurmanji (see {@link scriptOf}) and means nothing for the other languages.
 */
export function render<T extends TemplateId>(
  template: T,
  language: Language,
  vars: TemplateVars[T],
  script?: Script,
): string {
  const v = vars as Partial<Vars>;
  if (NEEDS_REF.has(template) && !v.ref) throw new TypeError(`template ${template} needs a reference`);
  const said = v.outcome === undefined ? undefined : outcomeText(v.outcome, language, script);
  const message = v.message?.replace(/\s+/g, ' ').trim();
  const text = language === 'kmr' && script === 'arabic' ? KMR_ARABIC[template] : TEXTS[template][language];
  return text({
    ref: v.ref ?? '',
    ...(said ? { said } : {}),
    ...(message ? { message } : {}),
  });
}
