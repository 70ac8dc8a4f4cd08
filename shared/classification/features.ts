/**
 * Hashed character n-gram features of a message, for the learned models (see linear-model.ts). The text is
 * folded by normalise.ts first, so the spelling variants people type on phones (Sorani on an Arabic keyboard,
 * Kurmanji without ç ş ê î û, missing hamzas and diacritics) already share their n-grams; Arabizi keeps its
 * digits, which are letters there.
 *
 * Features: character 2-, 3- and 4-grams of the folded text with a space before and after it (so n-grams that
 * touch a space mark the start and end of words, and those across a space stand in for word pairs), and each
 * whole word. Each feature is hashed (FNV-1a) into one of `2^bits` buckets with a sign from the hash, so the
 * models need no vocabulary; values are 1/sqrt(number of features), so long and short messages weigh alike.
 *
 * Everything is written into module scratch arrays reused by the next call, as the matcher does: no allocation
 * per message.
 */
import { normalisedBuffer, normaliseToBuffer } from './normalise.ts';

/** Largest bucket count the hashing supports (the sign comes from bit 31). */
export const MAX_BUCKET_BITS = 16;
/** Buckets (2^bits) of the language model's hashed features. */
export const LANGUAGE_BITS = 11;
/** Buckets (2^bits) of the sensitivity model's hashed features. */
export const SENSITIVITY_BITS = 12;
/** Buckets (2^bits) of the category model's hashed features. */
export const CATEGORY_BITS = 10;
/**
 * The classifier hashes a message once, into the larger of the two; a model with fewer buckets keeps the low bits
 * of each bucket (`predict` in linear-model.ts), which is the bucket it would have hashed into itself.
 */
export const MODEL_BITS = Math.max(LANGUAGE_BITS, SENSITIVITY_BITS, CATEGORY_BITS);

/**
 * The mask that keeps a bucket of `2^bits`: hashing uses it, and a model with fewer buckets than a message was
 * hashed into folds each bucket with it, at training (model-build.ts) and prediction (linear-model.ts) alike.
 */
export function bucketMask(bits: number): number {
  return (1 << bits) - 1;
}

const SPACE = 0x20;
const FNV_PRIME = 16777619;
/** Seeds that keep the n-gram lengths and whole words apart in the hash. */
const SEED_NGRAM = [0, 0, 0x811c9dc5, 0x050c5d1f, 0x2b3a8e6d] as const;
const SEED_WORD = 0x6a09e667;

/** The hashed features of the last message given to {@link hashText}. */
export interface HashedText {
  /** Bucket of each feature, in `[0, 2^bits)`; only the first `count` entries are meaningful. */
  readonly index: Int32Array;
  /** Signed value of each feature. */
  readonly value: Float32Array;
  readonly count: number;
  /** Words in the folded text. */
  readonly words: number;
  /** The hash of each folded word (see {@link wordHash}); the first `words` entries are meaningful. */
  readonly wordHashes: Int32Array;
}

let index = new Int32Array(512);
let wordHashes = new Int32Array(64);
let value = new Float32Array(512);
let padded = new Uint16Array(512);

function grow(size: number): void {
  if (index.length >= size) return;
  const bigger = Math.max(size, index.length * 2);
  index = new Int32Array(bigger);
  value = new Float32Array(bigger);
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Drops every number of three digits or more from the padded text, in place, and returns the new length: a phone
 * number, a ration card or a case reference says nothing about what happened. Hashed, its digits landed in
 * whatever buckets they fell into, and even masked to one shape, they diluted the rest of a short message towards
 * the model's prior: a six-digit number beside an ordinary message restricted about one in five of them. Shorter
 * numbers stay (an age, a block, "25 thousand"); amounts are still seen by the lexicon's features. Words with
 * letters and digits (Arabizi: 7, 3, 5) are left as they are.
 */
function dropLongNumbers(chars: Uint16Array, total: number): number {
  let out = 0;
  let start = 0;
  for (let i = 0; i < total; i++) {
    if (chars[i] !== SPACE) continue;
    // chars[start..i) is a word (or nothing), chars[i] the space after it.
    let number = i - start >= 3;
    for (let k = start; number && k < i; k++) number = chars[k]! >= DIGIT_0 && chars[k]! <= DIGIT_9;
    if (!number) {
      chars.copyWithin(out, start, i + 1);
      out += i + 1 - start;
    }
    start = i + 1;
  }
  return out;
}

/**
 * Folds `text` (normalise.ts) and hashes its features into `2^bits` buckets. The result lives in scratch arrays
 * that the next call overwrites; the normalisation buffer holds the folded text afterwards.
 */
export function hashText(text: string, bits: number): HashedText {
  if (bits < 1 || bits > MAX_BUCKET_BITS) throw new Error(`hashText: bits must be 1..${MAX_BUCKET_BITS}`);
  const length = normaliseToBuffer(text);
  const buffer = normalisedBuffer();
  if (padded.length < length + 2) padded = new Uint16Array(length * 2 + 2);
  padded[0] = SPACE;
  padded.set(buffer.subarray(0, length), 1);
  padded[length + 1] = SPACE;
  const total = dropLongNumbers(padded, length + 2);
  const mask = bucketMask(bits);
  grow(total * 3 + total);

  let count = 0;
  const add = (hash: number): void => {
    index[count] = hash & mask;
    value[count] = hash < 0 ? -1 : 1;
    count++;
  };
  if (total > 2) {
    for (let start = 0; start < total; start++) {
      let h = 0;
      for (let n = 1; n <= 4 && start + n <= total; n++) {
        h = n === 1 ? SEED_NGRAM[2] ^ padded[start]! : h ^ padded[start + n - 1]!;
        h = Math.imul(h, FNV_PRIME);
        if (n >= 2) add(Math.imul(h ^ SEED_NGRAM[n]!, FNV_PRIME) | 0);
      }
    }
  }
  let words = 0;
  let h = SEED_WORD;
  for (let i = 1; i < total; i++) {
    const c = padded[i]!;
    if (c === SPACE) {
      if (h !== SEED_WORD) {
        const word = Math.imul(h, FNV_PRIME) | 0;
        add(word);
        if (words >= wordHashes.length) {
          const bigger = new Int32Array(wordHashes.length * 2);
          bigger.set(wordHashes);
          wordHashes = bigger;
        }
        wordHashes[words++] = word;
      }
      h = SEED_WORD;
    } else {
      h = Math.imul(h ^ c, FNV_PRIME);
    }
  }
  const scale = count === 0 ? 0 : 1 / Math.sqrt(count);
  for (let k = 0; k < count; k++) value[k]! *= scale;
  return { index, value, count, words, wordHashes };
}

/** The hash {@link hashText} gives the word `word` once folded (normalise.ts), for word lists. */
export function wordHash(word: string): number {
  const length = normaliseToBuffer(word);
  const buffer = normalisedBuffer();
  let h = SEED_WORD;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ buffer[i]!, FNV_PRIME);
  return Math.imul(h, FNV_PRIME) | 0;
}
