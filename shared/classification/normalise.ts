/**
 * Text normalisation for matching. The output is a matching key, not display text: it folds spelling variants
 * that people on phones use interchangeably, so one lexicon entry matches all of them.
 *
 * - Arabic: alef forms (أ إ آ ٱ) to ا; ى and ی to ي; ة to ه; hamza seats ؤ to و and ئ to ي, lone ء dropped;
 *   tashkeel, Quranic marks and tatweel removed; Arabic-Indic and Persian digits to ASCII.
 * - Sorani: ک to ك; ە and ھ to ه; ێ to ي, ۆ to و, ڕ to ر, ڵ to ل, ڤ to ف, and پ چ ژ گ to ب ج ز ك, because
 *   Sorani typed on an Arabic keyboard writes them that way.
 * - Latin: lower case; Kurmanji ç ş ê î û (and other accented letters) to their bare letters; apostrophes
 *   dropped so that "didn't" stays one word.
 * - Everything that is neither a letter nor a digit becomes a single space; zero-width joiners vanish.
 */

import { FOLD_PACK } from './fold-table.data.ts';
import { decodeFoldTable, unpackFoldRuns } from './fold-table.ts';

const SPACE = 0x20;
const DROP = 0;

/** Maps each UTF-16 code unit to its folded code unit, SPACE for separators, DROP for characters removed. */
const FOLD = decodeFoldTable(unpackFoldRuns(FOLD_PACK));

let buffer = new Uint16Array(1024);

/**
 * Folds `text` into the shared module buffer: single spaces between words, none at either end.
 * Returns the number of code units written. The buffer is reused by the next call, so callers must read it
 * before normalising again; exposed for the classifier's allocation-free matching.
 */
export function normaliseToBuffer(text: string): number {
  if (buffer.length < text.length + 1) buffer = new Uint16Array(text.length * 2 + 1);
  let n = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const f = FOLD[text.charCodeAt(i)]!;
    if (f === DROP) continue;
    if (f === SPACE) {
      pendingSpace = n > 0;
      continue;
    }
    if (pendingSpace) {
      buffer[n++] = SPACE;
      pendingSpace = false;
    }
    buffer[n++] = f;
  }
  return n;
}

/** The buffer filled by the last `normaliseToBuffer` call. */
export function normalisedBuffer(): Uint16Array {
  return buffer;
}

const CHUNK = 8192;

function bufferToString(length: number): string {
  if (length <= CHUNK)
    return String.fromCharCode.apply(null, buffer.subarray(0, length) as unknown as number[]);
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode.apply(
      null,
      buffer.subarray(i, Math.min(length, i + CHUNK)) as unknown as number[],
    );
  }
  return out;
}

/** Normalises text to its matching key (see the module comment for what is folded). */
export function normalise(text: string): string {
  return bufferToString(normaliseToBuffer(text));
}

/** Normalised words of `text`, in order. */
export function tokenise(text: string): string[] {
  const length = normaliseToBuffer(text);
  if (length === 0) return [];
  return bufferToString(length).split(' ');
}
