import { type HashedText, hashText, LANGUAGE_BITS, MODEL_BITS, wordHash } from './features.ts';
import { LANGUAGE_MODEL_DATA } from './language-model.data.ts';
import { loadModel, predict } from './linear-model.ts';
import { LANGUAGES, type Language } from './taxonomy.ts';

/** What `detectLanguage` decided, and how sure it is (0..1). */
export interface LanguageGuess {
  language: Language;
  /** The script the message is written in (Badini is often typed in Arabic script: `kmr` with `arabic`). */
  script: 'arabic' | 'latin';
  /** Arabic written in Latin letters ("ma wasalna el mosa3ada"). */
  arabizi: boolean;
  confidence: number;
}

// Letters only Sorani writes (ڕ ڵ ۆ ێ ە ڤ), and letters it shares with Persian keyboards (ک ی ھ پ).
const SORANI_LETTERS = new Set([...'ڕڵۆێەڤ'].map((c) => c.charCodeAt(0)));
const SORANI_WEAK_LETTERS = new Set([...'کیھپژ'].map((c) => c.charCodeAt(0)));
// Letters Sorani does not use: taa marbuta, alef maqsura, hamza on alef, and the interdental/emphatic letters.
const ARABIC_LETTERS = new Set([...'ةىأإآؤثذضظ'].map((c) => c.charCodeAt(0)));
const KURMANJI_LETTERS = new Set([...'çşêîûÇŞÊÎÛ'].map((c) => c.charCodeAt(0)));

/** The words of a list as written (they are folded when hashed, so variants meet). */
const wordsOf = (list: string): string[] => list.split(/\s+/).filter(Boolean);

// Function words and very common words, as people type them. Normalised at load, so variants fold together;
// words that collide across languages after folding are left out.
const AR_WORDS = wordsOf(`
  في من على الى إلى عن مع هذا هذه هاي هذي هاذا ذلك اللي الي التي الذي لم لن ليس ماكو اكو أكو شكو شلون شوكت
  وين ليش لماذا متى هل كيف احنا إحنا نحن اني آني انا أنا انتو انتم هو هي هم كلش هواية واجد بس مال مالت
  مالتي مالنا يعني حتى لان لأن لحد هسه هسة الآن كل كلشي جماعة يمعود والله ان أن انو إنو لو بعد قبل عدنا
  عندي عندنا ماعدنا شنو منو شكد اريد أريد نريد نحتاج محتاجين ممكن رجاء ارجو نرجو شكرا مرحبا السلام عليكم
  وصلت وصلنا استلمنا منذ قد كان كانت مو مش لا ما و ال بي بيه ويانا ياه جان چان يمكن همين هم ايضا
`);
const CKB_WORDS = wordsOf(`
  لە بۆ ئەوە ئەو ئەم ئێمە ئێوە من تۆ ئەوان نییە نیە نین هەیە هەن دەکەن دەکات دەکەین کرد کردن بوو بووە
  و یان کە چی چۆن کەی کوێ بۆچی ئایا چەند کێ تکایە سوپاس زۆر هیچ هەموو تەنها هێشتا ئێستا پێویست
  پێویستە دەمەوێت دەتوانم ناتوانین لەگەڵ بەڵام چونکە ئەگەر باشترە دەڵێن بەڵێ نا سڵاو خێزان ناو پارە
  یارمەتی کەمپ ماڵ خانوو منداڵ کارمەند ڕێکخراو
`);
// Badini (Kurmanji) typed in Arabic script: its function words and common words, as Sorani does not write them.
const BADINI_WORDS = wordsOf(`
  ئەز ژ ل ب د دگەل ئەڤ ئەڤە ڤێ ڤان ڤی هەوە هوین نینە یێ یا یێن دێ دڤێت دڤێ دبێژیت دبێژن گۆت کەنگی چاوا
  زارۆک زارۆکێن هاریکاری هاریکاریێ گەلەک سپاس مە تە وی وێ دکەت دکەن بکەن نەهات هاتە هاتن ژی کو چ ئێک
  دەف ناڤ ناڤێ ناڤێن پارێن هەیڤ هەیڤێ شەڤ شەڤێ ب_تنێ تنێ بەلاڤکرن بەلاڤکرنێ کارڤان کارڤانێ دشێم نەشێت
  ئاڤ ئاڤا خوارن خوارنێ بابێ دایکا کچا کوڕێ مێرێ ژنا دا نوکە هێشتا ڤێرێ کیرێ بۆچ هەتا چونکی
`);
const KMR_WORDS = wordsOf(`
  ez em tu hûn ew wî wê min te me we ji li di bi bo ku û jî ne na nîne tune tuneye heye hene niha nuha
  heta hêj kengî çawa çima çi kî kanê ku derê gelek pir spas sipas destxweş xêr silav belê erê alîkarî
  harîkarî pere pare malbat malbata zarok xanî kon kamp karmend rêxistin hat hatin nehat nehatiye
  negihîşt gihîşt wergirt wernegirt dixwazim dikim dike dikin bike bikin bû bûn e in ye ne de da ve re
  hemû tenê lê û ji kerema xwe pêdivî baştir em nikarin dibêjin bihîst navê lîste lîsteyê
`);
const EN_WORDS = wordsOf(`
  the a an and or but is are was were be been have has had do does did didnt dont doesnt not no never
  we i my our you your they their he she his her it this that there here to of for in on at from with
  by about when where how why what who which can cant could will wont would should please thank thanks
  thx hello hi yes ok okay still yet only all any some get got give given receive received help need want
  money aid family name list people staff camp house tent water food work us me him them so very too
  because since after before
`);
// Arabic in Latin letters. Words such as "min" and "mal" are also Kurmanji; the digit-letters decide those.
const ARABIZI_WORDS = wordsOf(`
  el al il ma maku aku shaku shlon shlonak shkon wein wen lesh leish laish ana ani ehna e7na a7na inta
  enta hay hatha hathi bas kulish kilish hwaya hwaye wallah inshallah insha2allah shukran habibi 3ad mn
  fi bil lil 3ala 3al wa mo mu mosh shi flus flous floos fulus mosa3ada musa3ada msa3ada mosaada munathama
  munadhama monazama mowazaf muwadhaf mowadaf tawzee3 tawzi3 esmi ismi qa2ima qayma hesa hassa hisa hissa
  lhad l7ad nezlat wasalna wsalna wasal tlab 6elab talab tsawon sawo ajee aji kteer ktir katheer sabna
  tradna ya3ni yani lazim akhoya akhooya 3ammi khala marhaba salam alaykum 3alaykum asajel ysajel
  7ata hata a7san ahsan sob7 lo law
`);

const ARABIZI_DIGIT_LETTERS = new Set([...'2356789'].map((c) => c.charCodeAt(0)));

/** Margin over the runner-up, damped when there is little evidence (one word is never a sure answer). */
function confidenceFrom(best: number, second: number, evidence: number): number {
  if (best <= 0) return 0.1;
  const margin = (best - second) / best;
  const amount = Math.min(1, evidence / 5);
  return Math.round((0.15 + 0.8 * margin * amount) * 100) / 100;
}

// Each word list as a bit, so that one lookup of a word's hash (the one the n-gram features compute) says which
// lists hold it.
const AR = 0;
const CKB = 1;
const KMR = 2;
const EN = 3;
const ARABIZI = 4;
const BADINI = 5;
const LIST_BITS: ReadonlyMap<number, number> = (() => {
  const bits = new Map<number, number>();
  const lists: [number, readonly string[]][] = [
    [AR, AR_WORDS],
    [CKB, CKB_WORDS],
    [KMR, KMR_WORDS],
    [EN, EN_WORDS],
    [ARABIZI, ARABIZI_WORDS],
    [BADINI, BADINI_WORDS],
  ];
  lists.forEach(([bit, list]) => {
    for (const w of list) {
      const h = wordHash(w);
      bits.set(h, (bits.get(h) ?? 0) | (1 << bit));
    }
  });
  return bits;
})();
const inList = (hash: number, list: number): boolean => ((LIST_BITS.get(hash) ?? 0) & (1 << list)) !== 0;

/** Letters and words seen in a message: what both the word-list scoring and the model's dense inputs use. */
interface Evidence {
  arabicScript: number;
  latinScript: number;
  soraniLetters: number;
  soraniWeak: number;
  arabicLetters: number;
  kurmanjiLetters: number;
  /** Words as typed (split on anything that is not a letter, a digit or a zero-width non-joiner). */
  rawWords: number;
  /** Latin words with a digit standing for an Arabic letter («mosa3ada»). */
  digitWords: number;
  // Badini and Sorani in Arabic script differ in their grammar more than in their letters: Badini puts the
  // verb's present prefix «د» straight on the stem (دکەت, دبێژیت) where Sorani writes «دە» (دەکات, دەڵێت), ends
  // nouns in ێ (کەمپێ, کارتێ) and writes ڤ; Sorani marks the definite noun with «ەکە»/«ەکان». The hashed n-grams
  // see folded text (ێ and ی fold together), so these are counted on the words as typed.
  badiniPresent: number;
  soraniPresent: number;
  endsInE: number;
  definite: number;
  ve: number;
}

// The letter sets above as bits of one table over the code units they live in (0 to 0x6ff), read once per letter.
const SORANI = 1;
const SORANI_WEAK = 2;
const ARABIC_ONLY = 4;
const KURMANJI = 8;
const DIGIT_LETTER = 16;
const LETTER_CLASS = (() => {
  const table = new Uint8Array(0x700);
  const mark = (set: ReadonlySet<number>, bit: number): void => {
    for (const c of set) table[c]! |= bit;
  };
  mark(SORANI_LETTERS, SORANI);
  mark(SORANI_WEAK_LETTERS, SORANI_WEAK);
  mark(ARABIC_LETTERS, ARABIC_ONLY);
  mark(KURMANJI_LETTERS, KURMANJI);
  mark(ARABIZI_DIGIT_LETTERS, DIGIT_LETTER);
  return table;
})();
const classOf = (c: number): number => (c < 0x700 ? LETTER_CLASS[c]! : 0);

const DAL = 0x062f;
const HEH = 0x0647;
const ALEF = 0x0627;
const KAF = 0x06a9; // ک
const AE = 0x06d5; // ە
const E_BAR = 0x06ce; // ێ
const VE = 0x06a4; // ڤ
const ZWNJ = 0x200c;

const isLatin = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f);
const isWordChar = (c: number): boolean =>
  (c >= 0x0620 && c <= 0x064a) ||
  (c >= 0x0660 && c <= 0x0669) ||
  (c >= 0x066e && c <= 0x06d5) ||
  (c >= 0x06ee && c <= 0x06ff) ||
  isLatin(c) ||
  (c >= 0x30 && c <= 0x39) ||
  c === ZWNJ;

const evidence: Evidence = {
  arabicScript: 0,
  latinScript: 0,
  soraniLetters: 0,
  soraniWeak: 0,
  arabicLetters: 0,
  kurmanjiLetters: 0,
  rawWords: 0,
  digitWords: 0,
  badiniPresent: 0,
  soraniPresent: 0,
  endsInE: 0,
  definite: 0,
  ve: 0,
};

/** Reads `text` once, letter by letter and word by word, into the module's evidence record (reused). */
function evidenceOf(text: string): Evidence {
  const e = evidence;
  e.arabicScript = e.latinScript = e.soraniLetters = e.soraniWeak = e.arabicLetters = e.kurmanjiLetters = 0;
  e.rawWords = e.digitWords = e.badiniPresent = e.soraniPresent = e.endsInE = e.definite = e.ve = 0;
  let start = -1;
  let latin = 0;
  let digits = 0;
  let other = 0;
  let last = 0;
  let previous = 0;
  let hasDefinite = false;
  const endWord = (i: number): void => {
    e.rawWords++;
    const length = i - start;
    const c0 = text.charCodeAt(start);
    const c1 = length > 1 ? text.charCodeAt(start + 1) : 0;
    if (c0 === DAL && length >= 3 && c1 !== AE && c1 !== HEH && c1 !== ALEF) e.badiniPresent++;
    if (c0 === DAL && (c1 === AE || c1 === HEH) && length >= 4) e.soraniPresent++;
    if (last === E_BAR) e.endsInE++;
    if (hasDefinite) e.definite++;
    if (latin >= 1 && digits >= 1 && other === 0) e.digitWords++;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const k = classOf(c);
    if (c >= 0x0600 && c <= 0x06ff) {
      e.arabicScript++;
      if (k & SORANI) e.soraniLetters++;
      else if (k & SORANI_WEAK) e.soraniWeak++;
      else if (k & ARABIC_ONLY) e.arabicLetters++;
      if (c === VE) e.ve++;
    } else if (isLatin(c)) {
      e.latinScript++;
      if (k & KURMANJI) e.kurmanjiLetters++;
    }
    if (isWordChar(c)) {
      if (start < 0) {
        start = i;
        latin = digits = other = 0;
        hasDefinite = false;
        previous = 0;
      }
      if (isLatin(c)) latin++;
      else if (k & DIGIT_LETTER) digits++;
      else other++;
      if (previous === AE && c === KAF) hasDefinite = true;
      previous = c;
      last = c;
    } else if (start >= 0) {
      endWord(i);
      start = -1;
    }
  }
  if (start >= 0) endWord(text.length);
  return e;
}

/** Number of dense inputs the language model takes after the hashed n-grams. */
export const LANGUAGE_DENSE = 18;

/**
 * The language model's dense inputs: the shares of script-specific letters, of words found in each language's
 * word list (Arabizi and Badini in Arabic script included), and of Badini and Sorani grammar marks, so that the
 * model can weigh what the hand-made lists know against the n-grams it learnt.
 */
function denseOf(e: Evidence, hashed: HashedText, out: Float64Array): Float64Array {
  const letters = Math.max(1, e.arabicScript + e.latinScript);
  const arabic = Math.max(1, e.arabicScript);
  const latin = Math.max(1, e.latinScript);
  const lists = [0, 0, 0, 0, 0, 0];
  for (let k = 0; k < hashed.words; k++) {
    const bits = LIST_BITS.get(hashed.wordHashes[k]!);
    if (bits === undefined) continue;
    for (let b = 0; b < 6; b++) if (bits & (1 << b)) lists[b]!++;
  }
  const n = Math.max(1, hashed.words);
  out[0] = e.arabicScript / letters;
  out[1] = (4 * e.soraniLetters) / arabic;
  out[2] = (4 * e.soraniWeak) / arabic;
  out[3] = (4 * e.arabicLetters) / arabic;
  out[4] = (4 * e.kurmanjiLetters) / latin;
  // In the order of the lists' bits: Arabic, Sorani, Kurmanji, English, Arabizi, Badini.
  for (let b = 0; b < 6; b++) out[5 + b] = (2 * lists[b]!) / n;
  out[11] = (2 * e.digitWords) / n;
  out[12] = hashed.words <= 2 ? 1 : 0;
  const r = Math.max(1, e.rawWords);
  const inArabic = e.arabicScript > 0;
  out[13] = inArabic ? (2 * e.badiniPresent) / r : 0;
  out[14] = inArabic ? (2 * e.soraniPresent) / r : 0;
  out[15] = inArabic ? (2 * e.endsInE) / r : 0;
  out[16] = inArabic ? (2 * e.definite) / r : 0;
  out[17] = Math.min(1, e.ve / r);
  return out;
}

/** The dense inputs of `text`, for training (scripts/build-classifier-model.ts). */
export function languageDense(text: string): Float64Array {
  const e = evidenceOf(text);
  return denseOf(e, hashText(text, MODEL_BITS), new Float64Array(LANGUAGE_DENSE));
}

/** The shipped language model, or null before the first build (see `loadModel`). */
export const LANGUAGE_MODEL = loadModel(LANGUAGE_MODEL_DATA, LANGUAGE_BITS, LANGUAGE_DENSE, LANGUAGES);

const dense = new Float64Array(LANGUAGE_DENSE);
const probabilities = new Float64Array(LANGUAGES.length);
// The languages each script can carry: Arabic script (Arabic, Sorani, Badini), Latin (English, Kurmanji, Arabizi).
const IN_ARABIC_SCRIPT: readonly Language[] = ['ar', 'ckb', 'kmr'];
const IN_LATIN_SCRIPT: readonly Language[] = ['en', 'kmr', 'ar'];

/**
 * Detects the language of a message: Arabic (also Arabizi), Sorani, Kurmanji (in Latin or Arabic script) or
 * English. Letters decide the script; within it, the learned model (n-grams, script-specific letters and the
 * word lists) decides the language. Empty or unreadable text gets Arabic, the platform's majority language,
 * with confidence 0.
 */
export function detectLanguage(text: string): LanguageGuess {
  return detectLanguageOf(text, null);
}

/**
 * {@link detectLanguage} with the message's hashed features already computed (the classifier hashes once for
 * both models); `null` hashes here.
 */
export function detectLanguageOf(text: string, hashed: HashedText | null): LanguageGuess {
  const e = evidenceOf(text);
  if (e.arabicScript === 0 && e.latinScript === 0) {
    return { language: 'ar', script: 'arabic', arabizi: false, confidence: 0 };
  }
  const script = e.arabicScript >= e.latinScript ? 'arabic' : 'latin';
  const features = hashed ?? hashText(text, MODEL_BITS);
  if (LANGUAGE_MODEL === null) return byWordLists(e, features, script);
  predict(LANGUAGE_MODEL, features, denseOf(e, features, dense), probabilities);
  let best: Language = script === 'arabic' ? 'ar' : 'en';
  let first = -1;
  let second = 0;
  for (const language of script === 'arabic' ? IN_ARABIC_SCRIPT : IN_LATIN_SCRIPT) {
    const p = probabilities[LANGUAGE_MODEL.labels.indexOf(language)]!;
    if (p > first) {
      second = Math.max(second, first);
      first = p;
      best = language;
    } else if (p > second) second = p;
  }
  const total = first + second;
  const margin = total > 0 ? (first - second) / total : 0;
  const amount = Math.min(1, features.words / 5);
  const confidence = Math.round((0.15 + 0.8 * margin * amount) * 100) / 100;
  return { language: best, script, arabizi: script === 'latin' && best === 'ar', confidence };
}

/** The word-list scoring, used when no model is shipped (a first build). */
function byWordLists(e: Evidence, hashed: HashedText, script: 'arabic' | 'latin'): LanguageGuess {
  const words = Array.from(hashed.wordHashes.subarray(0, hashed.words));
  if (script === 'arabic') {
    let ar = e.arabicLetters * 2;
    let ckb = e.soraniLetters * 3 + e.soraniWeak;
    for (const w of words) {
      if (inList(w, AR)) ar += 2;
      if (inList(w, CKB)) ckb += 2;
    }
    const language: Language = ckb > ar ? 'ckb' : 'ar';
    const best = Math.max(ar, ckb);
    const confidence = confidenceFrom(best, Math.min(ar, ckb), Math.min(words.length, best));
    return { language, script: 'arabic', arabizi: false, confidence };
  }

  let kmr = e.kurmanjiLetters * 3;
  let en = 0;
  let arabizi = 0;
  arabizi += 3 * e.digitWords;
  for (const w of words) {
    if (inList(w, ARABIZI)) arabizi += 1.5;
    if (inList(w, KMR)) kmr += 1.5;
    if (inList(w, EN)) en += 1.5;
  }
  let language: Language = 'en';
  let best = en;
  let second = Math.max(kmr, arabizi);
  if (kmr > en && kmr >= arabizi) {
    language = 'kmr';
    best = kmr;
    second = Math.max(en, arabizi);
  } else if (arabizi > en && arabizi > kmr) {
    language = 'ar';
    best = arabizi;
    second = Math.max(en, kmr);
  }
  const confidence = confidenceFrom(best, second, Math.min(words.length, best));
  return { language, script: 'latin', arabizi: language === 'ar', confidence };
}
