import { FEATURES, type Feature } from './lexicon.ts';
import { TERM_LANGUAGES, type UnpackedLexicon, unpackLexicon } from './lexicon-compile.ts';
import { LEXICON_PACK } from './lexicon-trie.data.ts';
import { normalise, normalisedBuffer, normaliseToBuffer } from './normalise.ts';
import type { Language } from './taxonomy.ts';

/**
 * The lexicon's character trie over normalised text (compiled at build time, see lexicon-compile.ts, shipped
 * with the lexicon as one compressed pack and decoded into flat arrays at module load), and a matcher that walks it over the shared normalisation buffer without
 * allocating per word. Phrases are walked across the single spaces of the buffer, so words and phrases share
 * one trie.
 */

export const FEATURE_COUNT = FEATURES.length;
const FEATURE_INDEX: ReadonlyMap<string, number> = new Map(FEATURES.map((f, i) => [f, i]));

/** Index of a feature in the per-message feature vector. */
export function featureIndex(feature: Feature): number {
  return FEATURE_INDEX.get(feature)!;
}

// The bundle carries the lexicon only inside the pack: lexicon.ts itself is read by the build, not at run time.
// The pack is decoded on the first match rather than at import: a function that imports the classifier but does
// not classify in a given cold start (a status request, a signature failure) does not pay for it, and one that
// does pays it once, in its first message. Until then the names below are unset.
let LEXICON!: UnpackedLexicon;

const NEG = featureIndex('neg');
const NEGPOST = featureIndex('negpost');

interface CompiledEntry {
  /** Pairs of feature index and weight, counted when present. */
  readonly f: Float64Array;
  /** Pairs counted instead when negated, or null when negation does not change the entry. */
  readonly n: Float64Array | null;
  readonly negator: 'forward' | 'backward' | null;
}

export type Script = 'arabic' | 'latin';

function parseFeatures(spec: string, where: string): Float64Array {
  const parts = spec.split(/\s+/).filter(Boolean);
  const out = new Float64Array(parts.length * 2);
  parts.forEach((part, i) => {
    const [name, weight] = part.split(':');
    const index = FEATURE_INDEX.get(name!);
    if (index === undefined) throw new Error(`lexicon: unknown feature "${name}" in ${where}`);
    out[i * 2] = index;
    out[i * 2 + 1] = weight === undefined ? 1 : Number(weight);
  });
  return out;
}

function labelOf(spec: string): string {
  return (spec.split(/\s+/).find(Boolean) ?? 'feature').split(':')[0]!;
}

// Many entries share a feature list («staff», «C05:2.5 problem»): each list is parsed once.
const PARSED = new Map<string, Float64Array>();
function parsedFeatures(spec: string): Float64Array {
  let parsed = PARSED.get(spec);
  if (parsed === undefined) {
    parsed = parseFeatures(spec, spec);
    PARSED.set(spec, parsed);
  }
  return parsed;
}

let ENTRIES!: CompiledEntry[];
let LABELS!: { label: string; negLabel: string }[];
let CHILD_START!: Int32Array;
let CHILD_CODE!: Uint16Array;
let EXACT_START!: Int32Array;
let PREFIX_START!: Int32Array;
let EXACT_TERMS!: Int32Array;
let PREFIX_TERMS!: Int32Array;
/** Entry, language key and normalised length of each term, by term number. */
let TERM_ENTRY!: Uint16Array;
let TERM_KEY!: Uint8Array;
let TERM_LENGTH!: Uint8Array;
/** Per entry and negation, the stamp of the last message that counted it. */
let seen!: Int32Array;

/** Decodes the lexicon pack into the matcher's arrays, once. */
function load(): void {
  LEXICON = unpackLexicon(LEXICON_PACK);
  const { terms, trie } = LEXICON;
  ENTRIES = compileEntries();
  LABELS = entryLabels();
  CHILD_START = trie.childStart;
  CHILD_CODE = trie.childCode;
  EXACT_START = trie.exactStart;
  PREFIX_START = trie.prefixStart;
  EXACT_TERMS = trie.exactTerms;
  PREFIX_TERMS = trie.prefixTerms;
  TERM_ENTRY = terms.entry;
  TERM_KEY = terms.key;
  TERM_LENGTH = trie.termLength;
  seen = new Int32Array(ENTRIES.length * 2);
  FALSE_FRIENDS = new Map(
    Object.entries(FALSE_FRIEND_WORDS).map(([language, words]) => [
      language as Language,
      new Set(words.map(normalise)),
    ]),
  );
}

/**
 * Words of a language that fold into another language's term and mean something else: in a message of that
 * language they are not read with the other language's terms. Badini «ئەینی» (Friday) folds to «يهيني», which
 * the Arabic insult verb «يهين…» would read; a Badini question about Friday's distribution was restricted as
 * staff conduct.
 */
const FALSE_FRIEND_WORDS: Readonly<Partial<Record<Language, readonly string[]>>> = { kmr: ['ئەینی'] };
let FALSE_FRIENDS!: Map<Language, Set<string>>;
/** Per word of the message being matched: 1 when it is a false friend in the message's language. */
let falseFriend = new Uint8Array(64);

const compileEntries = (): CompiledEntry[] =>
  LEXICON.f.map((spec, index) => {
    const f = parsedFeatures(spec);
    const negated = LEXICON.n[index];
    const n = negated === undefined ? null : parsedFeatures(negated);
    let negator: CompiledEntry['negator'] = null;
    for (let i = 0; i < f.length; i += 2) {
      if (f[i] === NEG) negator = 'forward';
      else if (f[i] === NEGPOST) negator = 'backward';
    }
    return { f, n, negator };
  });
/** Evidence labels of each entry: its first feature, and the first of its negated features. */
const entryLabels = () =>
  LEXICON.f.map((spec, index) => {
    const label = labelOf(spec) || 'feature';
    const negated = LEXICON.n[index];
    return {
      label: label === 'neg' || label === 'negpost' ? 'negation' : label,
      negLabel: negated === undefined ? label : labelOf(negated),
    };
  });

/** The language and script of each lexicon key (Arabizi counts as Arabic written in Latin letters). */
const KEY_LANG: readonly Language[] = TERM_LANGUAGES.map((k) => (k === 'arz' ? 'ar' : k));
const KEY_SCRIPT: readonly Script[] = TERM_LANGUAGES.map((k) =>
  k === 'ar' || k === 'ckb' ? 'arabic' : 'latin',
);

/** The evidence a term gives, negated or not (built when it is reported, not at start). */
function evidenceOf(term: number, negated: boolean): string {
  const cache = negated ? NEGATED_EVIDENCE : EVIDENCE;
  const known = cache[term];
  if (known !== undefined) return known;
  const display = LEXICON.display(term);
  const { label, negLabel } = LABELS[TERM_ENTRY[term]!]!;
  const text = negated ? `${negLabel}:not ${display}` : `${label}:${display}`;
  cache[term] = text;
  return text;
}
// Evidence strings, built the first time a term is reported and kept (splitting an entry's words per hit cost
// more than the matching).
const EVIDENCE: (string | undefined)[] = [];
const NEGATED_EVIDENCE: (string | undefined)[] = [];

/**
 * The node reached from `node` over code unit `c`, or -1 (binary search over its sorted edges). The arrays are
 * passed in: the hot loop reads locals rather than the module's late-bound names.
 */
function childOf(childStart: Int32Array, childCode: Uint16Array, node: number, c: number): number {
  let lo = childStart[node]!;
  let hi = childStart[node + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const code = childCode[mid]!;
    if (code === c) return mid + 1;
    if (code < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Number of compiled terms (for tests and the benchmark's report). */
export function termCount(): number {
  if (LEXICON === undefined) load();
  return TERM_ENTRY.length;
}

// Suffixes a whole-word term may carry: Arabic and Sorani pronoun, plural and definite endings; English and
// Kurmanji inflections.
const ARABIC_SUFFIXES = new Set(
  'ه ها هم هن نا ي ك كم ات ين ون وا تي تنا م ت مان تان يان هكه هكان هكهم هكهمان يهك هيه كه يش'
    .split(' ')
    .map(normalise),
);
const LATIN_SUFFIXES = new Set(
  's es ed d ing ly er e a an en ek eke ekî ya ye yê yên in ne î ê ên'.split(' ').map(normalise),
);

const ALEF = 0x0627;
const LAM = 0x0644;
const WAW = 0x0648;
const FAA = 0x0641;
const BAA = 0x0628;
const KAF = 0x0643;
const DAL = 0x062f;
const HEH = 0x0647;
const MEEM = 0x0645;
const NOON = 0x0646;

// Scratch space reused by every call.
let tokenStart = new Int32Array(64);
let tokenEnd = new Int32Array(64);
let hitTerm = new Int32Array(128);
let hitToken = new Int32Array(128);
let hitNeg = new Uint8Array(128);
let hitCount = 0;
const candidateOffset = new Int32Array(8);
const candidateNeg = new Uint8Array(8);
/** 1 when the candidate lost a preposition or the article (not only «و»/«ف»): it cannot be a negator then. */
const candidateBound = new Uint8Array(8);

function grow<T extends Int32Array | Uint8Array>(array: T, size: number): T {
  if (array.length >= size) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

function pushHit(term: number, token: number, negated: boolean): void {
  if (hitCount >= hitTerm.length) {
    hitTerm = grow(hitTerm, hitCount + 1);
    hitToken = grow(hitToken, hitCount + 1);
    hitNeg = grow(hitNeg, hitCount + 1);
  }
  hitTerm[hitCount] = term;
  hitToken[hitCount] = token;
  hitNeg[hitCount] = negated ? 1 : 0;
  hitCount++;
}

function suffixAllowed(buf: Uint16Array, from: number, to: number, script: Script): boolean {
  const length = to - from;
  if (length <= 0) return true;
  if (length > 5) return false;
  const suffix = String.fromCharCode.apply(null, buf.subarray(from, to) as unknown as number[]);
  return script === 'arabic' ? ARABIC_SUFFIXES.has(suffix) : LATIN_SUFFIXES.has(suffix);
}

function endOfWord(buf: Uint16Array, from: number, length: number): number {
  let i = from;
  while (i < length && buf[i] !== 0x20) i++;
  return i;
}

/**
 * Walks the trie from `start`; negated walks (after a negation prefix) keep only negatable entries.
 * Returns whether a whole-word term ended exactly where the word ends (the word is known as it stands).
 */
function walk(
  buf: Uint16Array,
  length: number,
  start: number,
  token: number,
  negated: boolean,
  bound = false,
): boolean {
  const childStart = CHILD_START;
  const childCode = CHILD_CODE;
  const prefixStart = PREFIX_START;
  const exactStart = EXACT_START;
  const entries = ENTRIES;
  const termEntry = TERM_ENTRY;
  let node = 0;
  let i = start;
  let whole = false;
  while (i < length) {
    node = childOf(childStart, childCode, node, buf[i]!);
    if (node < 0) return whole;
    i++;
    for (let k = prefixStart[node]!, end = prefixStart[node + 1]!; k < end; k++) {
      const term = PREFIX_TERMS[k]!;
      if (bound && entries[termEntry[term]!]!.negator !== null) continue;
      if (!negated || entries[termEntry[term]!]!.n !== null) pushHit(term, token, negated);
    }
    const exactEnd = exactStart[node + 1]!;
    if (exactStart[node]! < exactEnd) {
      const atEnd = i === length || buf[i] === 0x20;
      for (let k = exactStart[node]!; k < exactEnd; k++) {
        const term = EXACT_TERMS[k]!;
        if (negated && entries[termEntry[term]!]!.n === null) continue;
        // «الما» is not «ال» + «ما»: a word that had the article or a preposition stripped is no negator.
        if (bound && entries[termEntry[term]!]!.negator !== null) continue;
        if (atEnd || suffixAllowed(buf, i, endOfWord(buf, i, length), KEY_SCRIPT[TERM_KEY[term]!]!))
          pushHit(term, token, negated);
        if (atEnd && !negated && i <= tokenEnd[token]!) whole = true;
      }
    }
  }
  return whole;
}

/**
 * Offsets at which a word may start once clitics are stripped: Arabic conjunctions, prepositions and the
 * article (و ف ب ل ك ال لل), the Iraqi progressive د, Sorani verb prefixes (دە, ب); and negation prefixes
 * (Sorani نە/نا, attached Iraqi ما, Kurmanji ne/na), which mark the walk as negated. The Arabic «ك» ("like") is
 * stripped only in Arabic: in Kurdish ک begins words (کچ, a girl, is not ک + چ).
 */
function candidates(buf: Uint16Array, s: number, e: number, arabicKaf: boolean): number {
  let count = 0;
  const add = (offset: number, neg: boolean, bound = offset > 0): void => {
    if (e - (s + offset) < 2 || count >= candidateOffset.length) return;
    candidateOffset[count] = offset;
    candidateNeg[count] = neg ? 1 : 0;
    candidateBound[count] = bound ? 1 : 0;
    count++;
  };
  add(0, false);
  const c0 = buf[s]!;
  if (c0 >= 0x0600 && c0 <= 0x06ff) {
    let o = 0;
    if (c0 === WAW || c0 === FAA) {
      o = 1;
      add(o, false, false);
    }
    const c = buf[s + o];
    if (c === ALEF && buf[s + o + 1] === LAM) add(o + 2, false);
    else if (c === LAM && buf[s + o + 1] === LAM) add(o + 2, false);
    else if (c === BAA || c === LAM || (c === KAF && arabicKaf)) {
      add(o + 1, false);
      if (buf[s + o + 1] === ALEF && buf[s + o + 2] === LAM) add(o + 3, false);
    } else if (c === DAL) {
      add(o + 1, false);
      if (buf[s + o + 1] === HEH) add(o + 2, false);
    }
    if (o === 0 && c0 === NOON && (buf[s + 1] === HEH || buf[s + 1] === ALEF)) add(2, true);
    if (o === 0 && c0 === MEEM && buf[s + 1] === ALEF) add(2, true);
  } else if (c0 >= 0x61 && c0 <= 0x7a) {
    const c1 = buf[s + 1];
    if (c0 === 0x6e && (c1 === 0x65 || c1 === 0x61)) add(2, true); // ne-, na-
    if ((c0 === 0x64 || c0 === 0x62) && c1 === 0x69) add(2, false); // di-, bi-
  }
  return count;
}

/** Result of matching one message: features (already weighted and deduplicated) and the evidence for them. */
export interface MatchResult {
  /** Weighted feature totals, indexed by `featureIndex`. Reused by the next call. */
  readonly features: Float64Array;
  /** Number of words in the normalised text. */
  readonly tokens: number;
  /** Lexicon terms and rules that fired, for the classification's evidence. */
  readonly evidence: string[];
  /** A number below 18 next to a "years" word: the message is about a child. */
  readonly youngAge: boolean;
}

const features = new Float64Array(FEATURE_COUNT);
let stamp = 0;
let negForward = new Int32Array(16);
let negBackward = new Int32Array(16);
let negConsumed = new Int32Array(16);
let negBackTarget = new Int32Array(16);
const YEARS = featureIndex('years');
const SMALLNUM = featureIndex('smallnum');

function accumulate(pairs: Float64Array): void {
  for (let i = 0; i < pairs.length; i += 2) features[pairs[i]!]! += pairs[i + 1]!;
}

/**
 * Matches `text` against the lexicon. Terms of another language count only when they cannot be confused:
 * a different script, or four letters and more (code-switched nouns such as «مساعدات» in English text).
 */
export function match(text: string, language: Language, script: Script): MatchResult {
  if (LEXICON === undefined) load();
  const length = normaliseToBuffer(text);
  const buf = normalisedBuffer();
  // Words
  let tokens = 0;
  let i = 0;
  while (i < length) {
    let j = i;
    while (j < length && buf[j] !== 0x20) j++;
    if (tokens >= tokenStart.length) {
      tokenStart = grow(tokenStart, tokens + 1);
      tokenEnd = grow(tokenEnd, tokens + 1);
    }
    tokenStart[tokens] = i;
    tokenEnd[tokens] = j;
    tokens++;
    i = j + 1;
  }
  // False friends of the message's language
  if (falseFriend.length < tokens) falseFriend = new Uint8Array(tokens * 2);
  falseFriend.fill(0, 0, tokens);
  const friends = FALSE_FRIENDS.get(language);
  if (friends !== undefined)
    for (let t = 0; t < tokens; t++) {
      const word = String.fromCharCode.apply(
        null,
        buf.subarray(tokenStart[t]!, tokenEnd[t]!) as unknown as number[],
      );
      if (friends.has(word)) falseFriend[t] = 1;
    }
  // Raw hits
  hitCount = 0;
  for (let t = 0; t < tokens; t++) {
    const s = tokenStart[t]!;
    const n = candidates(buf, s, tokenEnd[t]!, language === 'ar');
    // A word found as it stands is not re-read with a prefix stripped (بکەم is a verb, not ب + کەم).
    if (walk(buf, length, s, t, false)) continue;
    for (let k = 1; k < n; k++)
      walk(buf, length, s + candidateOffset[k]!, t, candidateNeg[k] === 1, candidateBound[k] === 1);
  }
  if (script === 'arabic' && language !== 'ar') joinSplitWords(buf, length, tokens);
  // Negators first, then everything else with negation scope applied.
  let forward = 0;
  let backward = 0;
  for (let h = 0; h < hitCount; h++) {
    const term = hitTerm[h]!;
    if (!accepted(term, language, script, hitToken[h]!)) continue;
    const kind = ENTRIES[TERM_ENTRY[term]!]!.negator;
    if (kind === 'forward') {
      negForward = grow(negForward, forward + 1);
      negForward[forward++] = hitToken[h]!;
    } else if (kind === 'backward') {
      negBackward = grow(negBackward, backward + 1);
      negBackward[backward++] = hitToken[h]!;
    }
  }
  // A negator after the word (Kurdish نییە, nake, nagirin) negates the nearest negatable word within five before.
  negBackTarget = grow(negBackTarget, backward);
  for (let k = 0; k < backward; k++) {
    let target = -1;
    for (let h = 0; h < hitCount; h++) {
      const term = hitTerm[h]!;
      const entry = ENTRIES[TERM_ENTRY[term]!]!;
      const t = hitToken[h]!;
      if (entry.n === null || entry.negator !== null || !accepted(term, language, script, t)) continue;
      if (t < negBackward[k]! && t >= negBackward[k]! - 5 && t > target) target = t;
    }
    negBackTarget[k] = target;
  }
  negConsumed = grow(negConsumed, forward);
  negConsumed.fill(-1, 0, forward);
  features.fill(0);
  stamp++;
  if (stamp > 0x3fffffff) {
    seen.fill(0);
    stamp = 1;
  }
  const evidence: string[] = [];
  let yearsAt = -10;
  let numberAt = -10;
  let youngAge = false;
  for (let h = 0; h < hitCount; h++) {
    const term = hitTerm[h]!;
    if (!accepted(term, language, script, hitToken[h]!)) continue;
    const entry = ENTRIES[TERM_ENTRY[term]!]!;
    const token = hitToken[h]!;
    let negated = hitNeg[h] === 1;
    if (!negated && entry.n !== null && entry.negator === null) {
      // A negator before the word negates the first negatable word within three words («ما يكفي، انطونا»
      // negates only يكفي); one after it (Kurdish نییە, nake) reaches four words back.
      for (let k = 0; k < forward && !negated; k++) {
        const d = token - negForward[k]!;
        if (d >= 1 && d <= 3 && (negConsumed[k] === -1 || negConsumed[k] === token)) {
          negated = true;
          negConsumed[k] = token;
        }
      }
      for (let k = 0; k < backward && !negated; k++) negated = negBackTarget[k] === token;
    }
    const slot = TERM_ENTRY[term]! * 2 + (negated ? 1 : 0);
    if (seen[slot] === stamp) continue;
    seen[slot] = stamp;
    const pairs = negated && entry.n !== null ? entry.n : entry.f;
    accumulate(pairs);
    if (evidence.length < 24 && pairs.length > 0)
      evidence.push(evidenceOf(term, negated && entry.n !== null));
    for (let p = 0; p < pairs.length; p += 2) {
      if (pairs[p] === YEARS) yearsAt = token;
      else if (pairs[p] === SMALLNUM) numberAt = token;
    }
    if (yearsAt >= 0 && numberAt >= 0 && Math.abs(yearsAt - numberAt) <= 2) youngAge = true;
  }
  // Digits below 18 next to a "years" word: «عمرها ١٣ سنة», «14 year old», «١٠ سنين».
  if (!youngAge && features[YEARS]! > 0) {
    for (let t = 0; t < tokens; t++) {
      const value = smallNumber(buf, tokenStart[t]!, tokenEnd[t]!);
      if (value > 0 && value < 18 && nearYears(t)) youngAge = true;
    }
  }
  return { features, tokens, evidence, youngAge };
}

let joined = new Uint16Array(256);

/**
 * Kurdish typed on an Arabic keyboard writes ە as ه, which joins the next letter, so people type a space after
 * it inside a word («به رپرسه كه» for بەرپرسەکە). Each word that ends in ه is read again joined to the words
 * after it (up to three), and what that finds counts for the word.
 */
function joinSplitWords(buf: Uint16Array, length: number, tokens: number): void {
  for (let t = 0; t + 1 < tokens; t++) {
    if (buf[tokenEnd[t]! - 1] !== HEH) continue;
    if (joined.length < length + 1) joined = new Uint16Array(length * 2);
    let n = 0;
    let u = t;
    for (; u < tokens; u++) {
      for (let i = tokenStart[u]!; i < tokenEnd[u]!; i++) joined[n++] = buf[i]!;
      if (u - t >= 3 || buf[tokenEnd[u]! - 1] !== HEH) break;
    }
    if (u === t) continue;
    const wordEnd = n;
    for (let i = tokenEnd[Math.min(u, tokens - 1)]!; i < length; i++) joined[n++] = buf[i]!;
    const count = candidates(joined, 0, wordEnd, false);
    for (let k = 0; k < count; k++)
      walk(joined, n, candidateOffset[k]!, t, candidateNeg[k] === 1, candidateBound[k] === 1);
  }
}

/** Whether a "years" word was matched within two words of word `t`. */
function nearYears(t: number): boolean {
  for (let h = 0; h < hitCount; h++) {
    const pairs = ENTRIES[TERM_ENTRY[hitTerm[h]!]!]!.f;
    for (let p = 0; p < pairs.length; p += 2) {
      if (pairs[p] === YEARS && Math.abs(hitToken[h]! - t) <= 2) return true;
    }
  }
  return false;
}

function smallNumber(buf: Uint16Array, s: number, e: number): number {
  if (e - s > 2) return -1;
  let value = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

function accepted(term: number, language: Language, script: Script, token: number): boolean {
  const key = TERM_KEY[term]!;
  if (KEY_LANG[key] === language) return true;
  if (falseFriend[token] === 1) return false;
  if (KEY_SCRIPT[key] !== script) return true;
  return TERM_LENGTH[term]! >= (script === 'arabic' ? 3 : 4);
}
