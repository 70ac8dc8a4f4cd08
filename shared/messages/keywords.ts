/**
 * Reading the short replies the platform asks for: the STOP / START / HELP keywords (in the four languages, as
 * people type them on any keyboard), the answer to the one-key satisfaction question, and the words of a status
 * request ("STATUS K7MQ-4XZ9", "حالة طلبي", "rewşa dozê").
 *
 * Both compare the whole message, folded by the classifier's normaliser (case, Arabic letter variants, Sorani
 * letters typed on an Arabic keyboard, Kurmanji diacritics, Arabic-Indic and Persian digits, punctuation), so
 * "إيقاف!" and "ايقاف" and "  STOP " are the same word, while "please stop the water cuts" is a message and
 * not an opt-out.
 */
import { normalise } from '../classification/normalise.ts';

export type Keyword = 'stop' | 'start' | 'help';
export type Satisfaction = 'satisfied' | 'not_satisfied';

function table<T extends string>(entries: Record<T, string[]>): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(entries) as [T, string[]][]) {
    for (const w of words) {
      const key = normalise(w);
      const existing = map.get(key);
      if (existing !== undefined && existing !== value)
        throw new Error(`"${w}" means both ${existing} and ${value}`);
      map.set(key, value);
    }
  }
  return map;
}

const KEYWORDS = table<Keyword>({
  stop: [
    // English (the words carriers and Twilio treat as opt-out)
    'stop',
    'stopall',
    'stop all',
    'unsubscribe',
    'cancel',
    'end',
    'quit',
    // Arabic
    'توقف',
    'توقّف',
    'إيقاف',
    'أوقف',
    'وقف',
    'قف',
    'إلغاء',
    'الغاء الاشتراك',
    'إلغاء الاشتراك',
    // Sorani
    'وەستان',
    'بوەستە',
    'ڕاگرتن',
    'ڕایگرە',
    // Kurmanji
    'rawestîne',
    'راوەستینە',
    'راوەستە',
    'rawestin',
    'rawestandin',
    'raweste',
    'bisekine',
    // The English word in Arabic letters, as people in Iraq often type it
    'ستوب',
    'ستاب',
    'ستۆپ',
  ],
  start: [
    'start',
    'unstop',
    'subscribe',
    // Arabic
    'ابدأ',
    'إبدأ',
    'بدء',
    'ابدا من جديد',
    'اشتراك',
    'استئناف',
    // Sorani
    'دەستپێکردن',
    'دەستپێکردنەوە',
    'دەستپێبکە',
    'دەست پێ بکە',
    // Kurmanji
    'dest pê bike',
    'destpêbike',
    'dest pê bikin',
    'destpêk',
    'destpêkirin',
    // The English word in Arabic letters
    'ستارت',
  ],
  help: [
    'help',
    'info',
    // Arabic
    'مساعدة',
    'المساعدة',
    'مساعده',
    // Sorani
    'یارمەتی',
    // Kurmanji and Badini
    'alîkarî',
    'harîkarî',
    'هاریکاری',
    'arîkarî',
    // The English word in Arabic letters
    'هيلب',
    'هێڵپ',
  ],
});

const ANSWERS = table<Satisfaction>({
  satisfied: [
    '1',
    // English
    'yes',
    'y',
    'satisfied',
    // Arabic
    'نعم',
    'اي',
    'إي',
    'ايه',
    'أيوه',
    'راضي',
    'راضية',
    'راض',
    'مرضية',
    // Sorani
    'بەڵێ',
    'بەلێ',
    'ئا',
    'ئەرێ',
    'ڕازیم',
    // Kurmanji
    'erê',
    'ere',
    'belê',
    'razî me',
    'razîme',
  ],
  not_satisfied: [
    '2',
    'no',
    'n',
    'not satisfied',
    // Arabic
    'لا',
    'كلا',
    'غير راضي',
    'غير راضية',
    'غير راض',
    'مو راضي',
    'ما راضي',
    'غير مرضية',
    // Sorani
    'نەخێر',
    'نا',
    'ڕازی نیم',
    // Kurmanji
    'na',
    'nexêr',
    'نە',
    'ne razî me',
    'razî nînim',
    'ne razî',
  ],
});

/** The keyword the whole message is, if it is one. */
export function parseKeyword(text: string): Keyword | undefined {
  return keywordOf(normalise(text));
}

/** The keyword a message already folded by `normalise` is, if it is one. */
export const keywordOf = (folded: string): Keyword | undefined => KEYWORDS.get(folded);

/**
 * A message of question marks alone ("?", "؟؟"): the person asks what is happening, so it is read as a status
 * request for the number's newest case, and answered as HELP where there is none, rather than opening a case with
 * nothing in it. Other punctuation alone stays a message.
 */
export const isBareQuestion = (body: string): boolean => /^[\s?؟¿]+$/u.test(body);

/** The answer to "1 = satisfied, 2 = not satisfied" the whole message gives, if it gives one. */
export function parseSatisfaction(text: string): Satisfaction | undefined {
  return satisfactionOf(normalise(text));
}

/** The satisfaction answer a message already folded by `normalise` gives, if it gives one. */
export const satisfactionOf = (folded: string): Satisfaction | undefined => ANSWERS.get(folded);

/** Words that ask for a case's status, with the misspellings people send. */
const STATUS_WORDS = new Set(
  [
    // English
    'status',
    'staus',
    'statu',
    'satus',
    'stauts',
    'statuss',
    'state',
    'check',
    'track',
    'progress',
    'update',
    // Arabic (and the Iraqi "where has it got to")
    'حالة',
    'الحالة',
    'حالت',
    'وضع',
    'الوضع',
    'متابعة',
    'تابع',
    'استعلام',
    'استفسار',
    'وين صار',
    // Sorani
    'دۆخ',
    'دۆخی',
    'بارودۆخ',
    'بارودۆخی',
    'ڕەوش',
    'ڕەوشی',
    'بەدواداچوون',
    // Kurmanji
    'rewş',
    'rewşa',
    'rews',
    'rewsa',
    'şopandin',
    'sopandin',
    'kontrol',
  ].map(normalise),
);

/** Words that may stand beside a status word or a reference without making the message a message of its own. */
const STATUS_FILLERS = new Set(
  [
    // English
    'my',
    'of',
    'the',
    'a',
    'for',
    'on',
    'is',
    'what',
    'whats',
    'where',
    'case',
    'complaint',
    'request',
    'ref',
    'reference',
    'number',
    'no',
    'nr',
    'please',
    'pls',
    'plz',
    'hi',
    'hello',
    'thanks',
    'thank',
    'you',
    // "what happened to …", "any news on …", "about …"
    'about',
    'with',
    'to',
    'happened',
    'any',
    'news',
    'there',
    // Arabic
    'طلب',
    'طلبي',
    'الطلب',
    'شكوى',
    'شكواي',
    'شكوتي',
    'الشكوى',
    'رقم',
    'المرجع',
    'مرجع',
    'ما',
    'هي',
    'هو',
    'شنو',
    'وين',
    'صار',
    'لو',
    'سمحت',
    'رجاء',
    'من',
    'فضلك',
    'مرحبا',
    'السلام',
    'عليكم',
    'شكرا',
    'ال',
    // "شنو صار على …", "شصار ب…", "أي أخبار عن …": the Iraqi and standard ways of asking what became of a case
    'على',
    'عن',
    'بخصوص',
    'حول',
    'شصار',
    'اخبار',
    'أخبار',
    'اي',
    'أي',
    'ماذا',
    'حدث',
    'جديد',
    // Sorani
    'دۆسیە',
    'دۆسیەی',
    'دۆسیەکەم',
    'سکاڵا',
    'سکاڵاکەم',
    'ژمارە',
    'ژمارەی',
    'چییە',
    'چۆنە',
    'تکایە',
    'سڵاو',
    'سوپاس',
    // "چی بوو بە …", "هەواڵی … چییە": what became of it, any news
    'چی',
    'بوو',
    'بە',
    'لە',
    'هەواڵ',
    'هەواڵی',
    'دەربارەی',
    // Kurmanji
    'doz',
    'doza',
    'doza min',
    'dozê',
    'gilî',
    'hejmar',
    'hejmara',
    'min',
    'çi',
    'çawa',
    'ye',
    'e',
    'ji',
    'kerema',
    'xwe',
    'silav',
    'spas',
    // "çi bû bi …", "nûçe li ser …": what became of it, any news
    'bû',
    'bi',
    'li',
    'ser',
    'nûçe',
    'derbarê',
  ].flatMap((w) => normalise(w).split(' ')),
);

export interface StatusWords {
  /** How many words ask for a status. */
  asking: number;
  /** How many words are neither status words nor the fillers that go with them. */
  other: number;
}

/** Counts the status words in `text` (with references already taken out) and the words that are anything else. */
export const statusWords = (text: string): StatusWords => statusWordsOf(normalise(text));

/**
 * {@link statusWords} of a text already folded by `normalise`; words for which `neutral` holds (say, what may be
 * half a reference) count as neither.
 */
export function statusWordsOf(folded: string, neutral?: (word: string) => boolean): StatusWords {
  if (!folded) return { asking: 0, other: 0 };
  // Two-word status phrases ("وين صار") are matched first, then single words.
  let asking = 0;
  let other = 0;
  const words = folded.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const pair = i + 1 < words.length ? `${w} ${words[i + 1]}` : undefined;
    if (pair !== undefined && STATUS_WORDS.has(pair)) {
      asking++;
      i++;
    } else if (STATUS_WORDS.has(w)) asking++;
    else if (!STATUS_FILLERS.has(w) && !neutral?.(w)) other++;
  }
  return { asking, other };
}
