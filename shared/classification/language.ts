import { normalise, tokenise } from './normalise.ts';
import type { Language } from './taxonomy.ts';

/** What `detectLanguage` decided, and how sure it is (0..1). */
export interface LanguageGuess {
  language: Language;
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

function normalisedSet(words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter(Boolean).map(normalise));
}

// Function words and very common words, as people type them. Normalised at load, so variants fold together;
// words that collide across languages after folding are left out.
const AR_WORDS = normalisedSet(`
  في من على الى إلى عن مع هذا هذه هاي هذي هاذا ذلك اللي الي التي الذي لم لن ليس ماكو اكو أكو شكو شلون شوكت
  وين ليش لماذا متى هل كيف احنا إحنا نحن اني آني انا أنا انتو انتم هو هي هم كلش هواية واجد بس مال مالت
  مالتي مالنا يعني حتى لان لأن لحد هسه هسة الآن كل كلشي جماعة يمعود والله ان أن انو إنو لو بعد قبل عدنا
  عندي عندنا ماعدنا شنو منو شكد اريد أريد نريد نحتاج محتاجين ممكن رجاء ارجو نرجو شكرا مرحبا السلام عليكم
  وصلت وصلنا استلمنا منذ قد كان كانت مو مش لا ما و ال بي بيه ويانا ياه جان چان يمكن همين هم ايضا
`);
const CKB_WORDS = normalisedSet(`
  لە بۆ ئەوە ئەو ئەم ئێمە ئێوە من تۆ ئەوان نییە نیە نین هەیە هەن دەکەن دەکات دەکەین کرد کردن بوو بووە
  و یان کە چی چۆن کەی کوێ بۆچی ئایا چەند کێ تکایە سوپاس زۆر هیچ هەموو تەنها هێشتا ئێستا پێویست
  پێویستە دەمەوێت دەتوانم ناتوانین لەگەڵ بەڵام چونکە ئەگەر باشترە دەڵێن بەڵێ نا سڵاو خێزان ناو پارە
  یارمەتی کەمپ ماڵ خانوو منداڵ کارمەند ڕێکخراو
`);
const KMR_WORDS = normalisedSet(`
  ez em tu hûn ew wî wê min te me we ji li di bi bo ku û jî ne na nîne tune tuneye heye hene niha nuha
  heta hêj kengî çawa çima çi kî kanê ku derê gelek pir spas sipas destxweş xêr silav belê erê alîkarî
  harîkarî pere pare malbat malbata zarok xanî kon kamp karmend rêxistin hat hatin nehat nehatiye
  negihîşt gihîşt wergirt wernegirt dixwazim dikim dike dikin bike bikin bû bûn e in ye ne de da ve re
  hemû tenê lê û ji kerema xwe pêdivî baştir em nikarin dibêjin bihîst navê lîste lîsteyê
`);
const EN_WORDS = normalisedSet(`
  the a an and or but is are was were be been have has had do does did didnt dont doesnt not no never
  we i my our you your they their he she his her it this that there here to of for in on at from with
  by about when where how why what who which can cant could will wont would should please thank thanks
  thx hello hi yes ok okay still yet only all any some get got give given receive received help need want
  money aid family name list people staff camp house tent water food work us me him them so very too
  because since after before
`);
// Arabic in Latin letters. Words such as "min" and "mal" are also Kurmanji; the digit-letters decide those.
const ARABIZI_WORDS = normalisedSet(`
  el al il ma maku aku shaku shlon shlonak shkon wein wen lesh leish laish ana ani ehna e7na a7na inta
  enta hay hatha hathi bas kulish kilish hwaya hwaye wallah inshallah insha2allah shukran habibi 3ad mn
  fi bil lil 3ala 3al wa mo mu mosh shi flus flous floos fulus mosa3ada musa3ada msa3ada mosaada munathama
  munadhama monazama mowazaf muwadhaf mowadaf tawzee3 tawzi3 esmi ismi qa2ima qayma hesa hassa hisa hissa
  lhad l7ad nezlat wasalna wsalna wasal tlab 6elab talab tsawon sawo ajee aji kteer ktir katheer sabna
  tradna ya3ni yani lazim akhoya akhooya 3ammi khala marhaba salam alaykum 3alaykum asajel ysajel
  7ata hata a7san ahsan sob7 lo law
`);

const ARABIZI_DIGIT_LETTERS = new Set([...'2356789'].map((c) => c.charCodeAt(0)));

/** A Latin word with a digit standing for an Arabic letter (3 = ع, 7 = ح, 2 = ء, ...), e.g. "mosa3ada". */
function isArabiziDigitWord(word: string): boolean {
  let letters = 0;
  let digitLetters = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) letters++;
    else if (ARABIZI_DIGIT_LETTERS.has(c)) digitLetters++;
  }
  return letters >= 1 && digitLetters >= 1 && letters + digitLetters === word.length;
}

/** Margin over the runner-up, damped when there is little evidence (one word is never a sure answer). */
function confidenceFrom(best: number, second: number, evidence: number): number {
  if (best <= 0) return 0.1;
  const margin = (best - second) / best;
  const amount = Math.min(1, evidence / 5);
  return Math.round((0.15 + 0.8 * margin * amount) * 100) / 100;
}

/**
 * Detects the language of a message: Arabic (also Arabizi), Sorani, Kurmanji or English.
 * Letters decide the script; within it, script-specific letters and common words decide the language.
 * Empty or unreadable text gets Arabic, the platform's majority language, with confidence 0.
 */
export function detectLanguage(text: string): LanguageGuess {
  let arabicScript = 0;
  let latinScript = 0;
  let soraniLetters = 0;
  let soraniWeak = 0;
  let arabicLetters = 0;
  let kurmanjiLetters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x0600 && c <= 0x06ff) {
      arabicScript++;
      if (SORANI_LETTERS.has(c)) soraniLetters++;
      else if (SORANI_WEAK_LETTERS.has(c)) soraniWeak++;
      else if (ARABIC_LETTERS.has(c)) arabicLetters++;
    } else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) {
      latinScript++;
      if (KURMANJI_LETTERS.has(c)) kurmanjiLetters++;
    }
  }
  if (arabicScript === 0 && latinScript === 0) {
    return { language: 'ar', script: 'arabic', arabizi: false, confidence: 0 };
  }
  const words = tokenise(text);

  if (arabicScript >= latinScript) {
    let ar = arabicLetters * 2;
    let ckb = soraniLetters * 3 + soraniWeak;
    for (const w of words) {
      if (AR_WORDS.has(w)) ar += 2;
      if (CKB_WORDS.has(w)) ckb += 2;
      // The Arabic article; Sorani borrows it only in whole Arabic words.
      if (w.length > 3 && w.charCodeAt(0) === 0x0627 && w.charCodeAt(1) === 0x0644) ar += 1;
    }
    const language: Language = ckb > ar ? 'ckb' : 'ar';
    const best = Math.max(ar, ckb);
    const confidence = confidenceFrom(best, Math.min(ar, ckb), Math.min(words.length, best));
    return { language, script: 'arabic', arabizi: false, confidence };
  }

  let kmr = kurmanjiLetters * 3;
  let en = 0;
  let arabizi = 0;
  for (const w of words) {
    if (isArabiziDigitWord(w)) arabizi += 3;
    if (ARABIZI_WORDS.has(w)) arabizi += 1.5;
    if (KMR_WORDS.has(w)) kmr += 1.5;
    if (EN_WORDS.has(w)) en += 1.5;
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
