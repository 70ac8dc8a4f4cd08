/**
 * The folding table's definition: what every UTF-16 code unit becomes when text is normalised for matching (see
 * normalise.ts). Building it tests 65,536 characters against Unicode property regexes, which costs about 10 ms, so
 * the runtime does not run this: `npm run build:fold-table` encodes its output into fold-table.data.ts, and a unit
 * test checks that the decoded table equals this definition, character for character.
 */
export const SPACE = 0x20;
export const DROP = 0;

/** Maps each UTF-16 code unit to its folded code unit, SPACE for separators, DROP for characters removed. */
export function buildFoldReference(): Uint16Array {
  const FOLD = new Uint16Array(0x10000);
  const letterOrDigit = /[\p{L}\p{N}]/u;
  const mark = /\p{M}/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      FOLD[c] = SPACE; // surrogate halves: emoji and other astral symbols separate words
      continue;
    }
    const ch = String.fromCharCode(c);
    if (mark.test(ch)) {
      FOLD[c] = DROP;
    } else if (letterOrDigit.test(ch)) {
      const lower = ch.toLowerCase();
      FOLD[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
    } else {
      FOLD[c] = SPACE;
    }
  }
  const set = (from: string, to: string | null): void => {
    for (const ch of from) FOLD[ch.charCodeAt(0)] = to === null ? DROP : to.charCodeAt(0);
  };
  // Arabic letters
  set('أإآٱ', 'ا');
  set('ىیێ', 'ي');
  set('ةەھ', 'ه');
  set('ؤۆ', 'و');
  set('ئ', 'ي');
  set('ء', null);
  set('کگ', 'ك');
  set('ڕ', 'ر');
  set('ڵ', 'ل');
  set('ڤ', 'ف');
  set('پ', 'ب');
  set('چ', 'ج');
  set('ژ', 'ز');
  set('\u0640', null); // tatweel
  for (let c = 0x064b; c <= 0x065f; c++) FOLD[c] = DROP; // tashkeel
  FOLD[0x0670] = DROP; // superscript alef
  for (let c = 0x0610; c <= 0x061a; c++) FOLD[c] = DROP;
  for (let c = 0x06d6; c <= 0x06ed; c++) FOLD[c] = DROP;
  // Digits
  for (let d = 0; d < 10; d++) {
    FOLD[0x0660 + d] = 0x30 + d;
    FOLD[0x06f0 + d] = 0x30 + d;
  }
  // Zero-width characters join rather than separate
  set('\u200b\u200c\u200d\u200e\u200f\ufeff', null);
  // Apostrophes inside Latin words
  set("'\u2019\u02bc", null);
  // Latin letters with diacritics (Kurmanji first) to bare letters
  const latin: Record<string, string> = {
    c: 'çćčÇĆČ',
    s: 'şšśŞŠŚ',
    e: 'êéèëēÊÉÈËĒ',
    i: 'îíìïīıİÎÍÌÏĪ',
    u: 'ûúùüūÛÚÙÜŪ',
    a: 'âáàäãāÂÁÀÄÃĀ',
    o: 'ôóòöõōÔÓÒÖÕŌ',
    g: 'ğĞ',
    n: 'ñÑ',
    x: 'ẍẌ',
  };
  for (const [bare, variants] of Object.entries(latin)) set(variants, bare);
  return FOLD;
}
