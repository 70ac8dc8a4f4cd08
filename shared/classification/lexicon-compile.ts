/**
 * Compiles the lexicon into the matcher's character trie, as flat arrays. Run at build time, not at a cold
 * start: scripts/build-lexicon-trie.ts writes the result to lexicon-trie.data.ts, and a unit test fails when
 * that file no longer matches what this module compiles from lexicon.ts.
 *
 * Terms are numbered in lexicon order (entry by entry, then `ar arz ckb kmr en`, then word by word), which is
 * the order {@link lexiconTerms} walks at run time. Nodes are numbered breadth first from the root (0), each
 * node's children in code-unit order, so edge `k` (in that same order) always leads to node `k + 1`: the
 * edges of node `i` are `childCode[childStart[i]..childStart[i+1])`, sorted, and the whole-word and prefix
 * terms ending at it are `exactTerms[exactStart[i]..exactStart[i+1])` and likewise for `prefix`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { LexiconEntry } from './lexicon.ts';
import { normalise } from './normalise.ts';

export const TERM_LANGUAGES = ['ar', 'arz', 'ckb', 'kmr', 'en'] as const;
export type TermLanguage = (typeof TERM_LANGUAGES)[number];

/** One word or phrase of the lexicon, as written. */
export interface LexiconTerm {
  entry: number;
  key: TermLanguage;
  /** The word as written, without the trailing `*`, phrases joined by `_`. */
  surface: string;
  /** Matches any continuation (`*`). */
  prefix: boolean;
}

/** The words of one entry in one language, as written: the term order within an (entry, language) group. */
export const wordsOf = (words: string): string[] => words.split(' ').filter((w) => w !== '');

/** A word as written, without the trailing `*` of a prefix term. */
export const surfaceOf = (raw: string): string => (raw.endsWith('*') ? raw.slice(0, -1) : raw);

/** Every term of the lexicon in term-number order (cheap: no normalisation). */
export function lexiconTerms(lexicon: readonly LexiconEntry[]): LexiconTerm[] {
  const out: LexiconTerm[] = [];
  lexicon.forEach((entry, index) => {
    for (const key of TERM_LANGUAGES) {
      const words = entry[key];
      if (words === undefined) continue;
      for (const raw of wordsOf(words))
        out.push({ entry: index, key, surface: surfaceOf(raw), prefix: raw.endsWith('*') });
    }
  });
  return out;
}

/** The trie as the matcher walks it. */
export interface CompiledTrie {
  /** Normalised length of each term (the depth of the node it ends at). */
  termLength: Uint8Array;
  /** The node each term ends at. */
  termEnd: Int32Array;
  childStart: Int32Array;
  /** The code unit of each edge; edge `k` leads to node `k + 1`. */
  childCode: Uint16Array;
  exactStart: Int32Array;
  exactTerms: Int32Array;
  prefixStart: Int32Array;
  prefixTerms: Int32Array;
}

/**
 * What is stored: the edges' code units, each node's number of children, the node each term ends at, and the
 * terms themselves as counts (how many words each entry has in each language, in term order) and flags.
 */
export interface EncodedTrie {
  /** One character per edge, in edge order. */
  codes: string;
  /** One base-36 digit per node, or `(<base 36>)` for 36 children and more. */
  counts: string;
  /**
   * The end node of each term in term order, one UTF-16 code unit each (the trie stays below 65,536 nodes), so
   * that a cold start copies them natively instead of parsing numbers.
   */
  ends: string;
  /** For each entry and each of {@link TERM_LANGUAGES}, its number of words, coded like `counts`. */
  groups: string;
  /** `1` for a prefix term (`*`), `0` for a whole word, one character per term. */
  prefixes: string;
}

/** The terms as parallel arrays, indexed by term number. */
export interface TermTable {
  entry: Uint16Array;
  /** Index into {@link TERM_LANGUAGES}. */
  key: Uint8Array;
  /** Position among the words of its entry and language. */
  position: Uint16Array;
  prefix: Uint8Array;
}

interface BuildNode {
  children: Map<number, BuildNode>;
  terms: number[];
}

/** Compiles the lexicon; throws on a term that could not match safely. */
export function encodeLexicon(lexicon: readonly LexiconEntry[]): EncodedTrie {
  const terms = lexiconTerms(lexicon);
  const root: BuildNode = { children: new Map(), terms: [] };
  terms.forEach((t, id) => {
    const key = normalise(t.surface.replaceAll('_', ' '));
    if (/\s/.test(t.surface))
      throw new Error(`lexicon: "${t.surface}" holds a space other than one between words`);
    if (key.length === 0) throw new Error(`lexicon: term "${t.surface}" normalises to nothing`);
    if (key.length < 2 && !(t.key === 'en' || t.key === 'kmr' || t.key === 'arz'))
      throw new Error(`lexicon: term "${t.surface}" is too short to match safely`);
    if (key.length > 255) throw new Error(`lexicon: term "${t.surface}" is too long`);
    let node = root;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = node.children.get(c);
      if (child === undefined) {
        child = { children: new Map(), terms: [] };
        node.children.set(c, child);
      }
      node = child;
    }
    node.terms.push(id);
  });
  /** A count as {@link EncodedTrie.counts} codes it. */
  const count = (n: number) => (n < 36 ? n.toString(36) : `(${n.toString(36)})`);
  // Breadth first, children by code unit.
  const order: BuildNode[] = [root];
  let codes = '';
  let counts = '';
  for (let i = 0; i < order.length; i++) {
    const node = order[i] as BuildNode;
    const keys = [...node.children.keys()].sort((a, b) => a - b);
    counts += count(keys.length);
    for (const c of keys) {
      codes += String.fromCharCode(c);
      order.push(node.children.get(c) as BuildNode);
    }
  }
  const ends = new Array<number>(terms.length);
  order.forEach((node, i) => {
    for (const id of node.terms) ends[id] = i;
  });
  const perGroup = new Map<string, number>();
  for (const t of terms) perGroup.set(`${t.entry}/${t.key}`, (perGroup.get(`${t.entry}/${t.key}`) ?? 0) + 1);
  let groups = '';
  lexicon.forEach((_, index) => {
    for (const key of TERM_LANGUAGES) groups += count(perGroup.get(`${index}/${key}`) ?? 0);
  });
  return {
    codes,
    counts,
    ends: codeUnits(ends),
    groups,
    prefixes: terms.map((t) => (t.prefix ? '1' : '0')).join(''),
  };
}

/** Numbers below 65,536 as a string of as many UTF-16 code units. */
function codeUnits(values: readonly number[]): string {
  let out = '';
  for (let i = 0; i < values.length; i += 4096) {
    const chunk = values.slice(i, i + 4096);
    if (chunk.some((v) => v < 0 || v > 0xffff)) throw new Error('lexicon: the trie has 65,536 nodes or more');
    out += String.fromCharCode(...chunk);
  }
  return out;
}

/** The code units of a string, copied natively (Buffer's UTF-16 writes them as they are, lone surrogates too). */
function fromCodeUnits(text: string): Uint16Array {
  const units = new Uint16Array(text.length);
  new Uint8Array(units.buffer).set(Buffer.from(text, 'utf16le'));
  return units;
}

function digit(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x57;
}

/** Reads the counts coded as in {@link EncodedTrie.counts}, calling `each` with every one in order. */
function readCounts(text: string, each: (n: number) => void): void {
  for (let i = 0; i < text.length; i++) {
    let n: number;
    if (text.charCodeAt(i) === 0x28) {
      n = 0;
      for (i++; text.charCodeAt(i) !== 0x29; i++) n = n * 36 + digit(text.charCodeAt(i));
    } else n = digit(text.charCodeAt(i));
    each(n);
  }
}

/** The term table from its stored form: loops over small strings, no per-term objects. */
export function decodeTerms(data: EncodedTrie): TermTable {
  const terms = data.prefixes.length;
  const entry = new Uint16Array(terms);
  const key = new Uint8Array(terms);
  const position = new Uint16Array(terms);
  const prefix = new Uint8Array(terms);
  let slot = 0;
  let id = 0;
  readCounts(data.groups, (n) => {
    for (let k = 0; k < n; k++, id++) {
      entry[id] = Math.floor(slot / TERM_LANGUAGES.length);
      key[id] = slot % TERM_LANGUAGES.length;
      position[id] = k;
    }
    slot++;
  });
  if (id !== terms) throw new Error(`lexicon trie data: ${id} terms in the groups, ${terms} flags`);
  for (let t = 0; t < terms; t++) prefix[t] = data.prefixes.charCodeAt(t) === 0x31 ? 1 : 0;
  return { entry, key, position, prefix };
}

/**
 * Rebuilds the flat trie from its stored form, with the terms' prefix flags from {@link decodeTerms}.
 * Linear in the size of the data, with no per-node objects.
 */
export function decodeTrie(data: EncodedTrie, prefix: Uint8Array): CompiledTrie {
  const nodes = decodeNodes(data.codes, data.counts);
  const t = data.ends.length;
  if (t !== prefix.length)
    throw new Error(`lexicon trie data: ${t} terms stored, the lexicon has ${prefix.length}`);
  const ends = new Int32Array(fromCodeUnits(data.ends));
  for (let id = 0; id < t; id++)
    if (ends[id]! >= nodes.depth.length) throw new Error('lexicon trie data: a term ends past the last node');
  return attachTerms(nodes, ends, prefix);
}

interface TrieNodes {
  childStart: Int32Array;
  childCode: Uint16Array;
  depth: Uint8Array;
}

/** The trie's nodes and edges from the stored edge characters and child counts. */
function decodeNodes(codes: string, counts: string): TrieNodes {
  const nodes = codes.length + 1;
  const childStart = new Int32Array(nodes + 1);
  const depth = new Uint8Array(nodes);
  let node = 0;
  let edge = 0;
  // readCounts inlined: a callback per node costs more than the rest of the decoding together.
  for (let i = 0; i < counts.length; i++) {
    let n = counts.charCodeAt(i);
    if (n === 0x28) {
      n = 0;
      for (i++; counts.charCodeAt(i) !== 0x29; i++) n = n * 36 + digit(counts.charCodeAt(i));
    } else n = n <= 0x39 ? n - 0x30 : n - 0x57;
    childStart[node] = edge;
    const d = depth[node]! + 1;
    for (let k = 1; k <= n; k++) depth[edge + k] = d;
    edge += n;
    node++;
  }
  if (node !== nodes || edge !== codes.length)
    throw new Error('lexicon trie data: counts and codes disagree');
  childStart[nodes] = edge;
  // The code units as they are, copied natively rather than one charCodeAt at a time in a cold process.
  const childCode = new Uint16Array(edge);
  childCode.set(fromCodeUnits(codes));
  return { childStart, childCode, depth };
}

/** The trie with its terms: `ends[t]` is the node term `t` ends at, `prefix[t]` whether it is a prefix term. */
function attachTerms(trieNodes: TrieNodes, ends: Int32Array, prefix: Uint8Array): CompiledTrie {
  const { childStart, childCode, depth } = trieNodes;
  const nodes = depth.length;
  const t = ends.length;
  const termLength = new Uint8Array(t);
  // Counting sort of the terms by end node, kept in term order within a node.
  const exactStart = new Int32Array(nodes + 1);
  const prefixStart = new Int32Array(nodes + 1);
  for (let id = 0; id < t; id++) {
    termLength[id] = depth[ends[id]!]!;
    (prefix[id] ? prefixStart : exactStart)[ends[id]! + 1]!++;
  }
  for (let i = 0; i < nodes; i++) {
    exactStart[i + 1]! += exactStart[i]!;
    prefixStart[i + 1]! += prefixStart[i]!;
  }
  const exactTerms = new Int32Array(exactStart[nodes]!);
  const prefixTerms = new Int32Array(prefixStart[nodes]!);
  const exactFill = exactStart.slice(0, nodes);
  const prefixFill = prefixStart.slice(0, nodes);
  for (let id = 0; id < t; id++) {
    if (prefix[id]) prefixTerms[prefixFill[ends[id]!]!++] = id;
    else exactTerms[exactFill[ends[id]!]!++] = id;
  }
  return {
    termLength,
    termEnd: ends,
    childStart,
    childCode,
    exactStart,
    exactTerms,
    prefixStart,
    prefixTerms,
  };
}

/**
 * What the matcher ships, before compression: the compiled trie as {@link encodeLexicon} stores it, each entry's
 * feature lists, and the words as written where the evidence cannot read them back from the trie (a word whose
 * matching key differs from how it is written: diacritics, capitals, letters the folding merges). The words
 * themselves are not needed to match, only to report evidence, so they are split out on first use.
 */
export interface LexiconPack extends EncodedTrie {
  /** Each entry's features (`f` in lexicon.ts). */
  f: string[];
  /** Each entry's negated features (`n`), empty for an entry without. */
  n: string[];
  /** Each term as written, `_` as spaces, in term order, one per line; empty where it equals its key. */
  display: string;
}

/** The pack's text: what {@link packLexicon} compresses and {@link unpackLexiconText} gives back. */
export function lexiconPackText(lexicon: readonly LexiconEntry[]): string {
  const display = lexiconTerms(lexicon).map((t) => {
    const written = t.surface.replaceAll('_', ' ');
    if (written.includes('\n')) throw new Error(`lexicon: "${t.surface}" holds a line break`);
    return normalise(written) === written ? '' : written;
  });
  const pack: LexiconPack = {
    ...encodeLexicon(lexicon),
    f: lexicon.map((e) => e.f),
    n: lexicon.map((e) => e.n ?? ''),
    display: display.join('\n'),
  };
  return JSON.stringify(pack);
}

/**
 * The lexicon as shipped in a Lambda bundle: {@link lexiconPackText} deflated and in base64, less than half the
 * bytes a cold start would otherwise read and parse as string literals (the lexicon and its trie). The compressed
 * bytes may differ between zlib versions; only the text they hold is compared by the staleness test.
 */
export function packLexicon(lexicon: readonly LexiconEntry[]): string {
  return deflateRawSync(Buffer.from(lexiconPackText(lexicon), 'utf8'), { level: 9 }).toString('base64');
}

/** The text a pack holds. */
export function unpackLexiconText(pack: string): string {
  return inflateRawSync(Buffer.from(pack, 'base64')).toString('utf8');
}

/** What the matcher needs of the lexicon at run time. */
export interface UnpackedLexicon {
  /** Each entry's features, and its negated features (undefined for none). */
  readonly f: readonly string[];
  readonly n: readonly (string | undefined)[];
  readonly terms: TermTable;
  readonly trie: CompiledTrie;
  /** A term as written in the lexicon (without `*`, `_` as spaces), for the evidence. */
  display(term: number): string;
}

/** The lexicon's matching data from a pack; the words as written are read on the first call of `display`. */
export function unpackLexicon(pack: string): UnpackedLexicon {
  const data = JSON.parse(unpackLexiconText(pack)) as LexiconPack;
  const terms = decodeTerms(data);
  const trie = decodeTrie(data, terms.prefix);
  const entries = terms.entry.length === 0 ? 0 : terms.entry[terms.entry.length - 1]! + 1;
  if (data.f.length !== data.n.length || entries > data.f.length)
    throw new Error('lexicon pack: feature lists and term groups disagree');
  let written: string[] | null = null;
  let parent: Int32Array | null = null;
  const display = (term: number): string => {
    written ??= data.display.split('\n');
    const text = written[term];
    if (text === undefined) throw new RangeError(`lexicon pack: no term ${term}`);
    if (text !== '') return text;
    // Written as its key: read the key back from the trie, from the term's end node up to the root.
    if (parent === null) {
      parent = new Int32Array(trie.childStart.length - 1);
      for (let node = 0; node + 1 < trie.childStart.length; node++)
        for (let k = trie.childStart[node]!; k < trie.childStart[node + 1]!; k++) parent[k + 1] = node;
    }
    const codes: number[] = [];
    for (let node = trie.termEnd[term]!; node > 0; node = parent[node]!)
      codes.push(trie.childCode[node - 1]!);
    return String.fromCharCode(...codes.reverse());
  };
  return { f: data.f, n: data.n.map((n) => (n === '' ? undefined : n)), terms, trie, display };
}
