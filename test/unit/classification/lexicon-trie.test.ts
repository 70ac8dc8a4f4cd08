import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LEXICON, type LexiconEntry } from '../../../shared/classification/lexicon.ts';
import {
  type CompiledTrie,
  decodeTerms,
  decodeTrie,
  encodeLexicon,
  lexiconPackText,
  lexiconTerms,
  TERM_LANGUAGES,
  unpackLexicon,
  unpackLexiconText,
} from '../../../shared/classification/lexicon-compile.ts';
import { LEXICON_PACK } from '../../../shared/classification/lexicon-trie.data.ts';
import { normalise } from '../../../shared/classification/normalise.ts';

/** Follows `key` edge by edge with a linear search (not the matcher's binary search); -1 when it falls off. */
function nodeOf(trie: CompiledTrie, key: string): number {
  let node = 0;
  for (const ch of key) {
    let next = -1;
    for (let k = trie.childStart[node]!; k < trie.childStart[node + 1]!; k++)
      if (trie.childCode[k] === ch.charCodeAt(0)) next = k + 1;
    if (next < 0) return -1;
    node = next;
  }
  return node;
}

const termsAt = (starts: Int32Array, terms: Int32Array, node: number) =>
  Array.from(terms.subarray(starts[node]!, starts[node + 1]!));

describe('the shipped lexicon trie', () => {
  const words = lexiconTerms(LEXICON);
  const shipped = unpackLexicon(LEXICON_PACK);
  const table = shipped.terms;
  const trie = shipped.trie;
  const compiled = encodeLexicon(LEXICON);

  it('is up to date with the lexicon (run npm run build:lexicon-trie after changing lexicon.ts)', () => {
    expect(unpackLexiconText(LEXICON_PACK)).toBe(lexiconPackText(LEXICON));
    expect(shipped.f).toEqual(LEXICON.map((e) => e.f));
    expect(shipped.n).toEqual(LEXICON.map((e) => e.n));
  });

  it('gives every term back as written, for the evidence, whether stored or read back from the trie', () => {
    const display = words.map((_, id) => shipped.display(id));
    expect(display).toEqual(words.map((w) => w.surface.replaceAll('_', ' ')));
    // Most are their own key and are read back from the trie rather than stored.
    const stored = JSON.parse(unpackLexiconText(LEXICON_PACK)).display.split('\n');
    expect(stored.filter((s: string) => s === '').length).toBeGreaterThan(words.length / 2);
    expect(() => shipped.display(words.length)).toThrow(RangeError);
  });

  it('rebuilds at load the very term table and trie the compiler stores in full', () => {
    const stored = decodeTerms(compiled);
    expect(table).toEqual(stored);
    expect(trie).toEqual(decodeTrie(compiled, stored.prefix));
  });

  it('numbers the terms in lexicon order, with their entry, language, position and kind', () => {
    const positions = new Map<string, number>();
    const expected = words.map((w) => {
      const group = `${w.entry}/${w.key}`;
      const position = positions.get(group) ?? 0;
      positions.set(group, position + 1);
      return [w.entry, w.key, position, w.prefix ? 1 : 0];
    });
    const decoded = words.map((_, id) => [
      table.entry[id],
      TERM_LANGUAGES[table.key[id]!],
      table.position[id],
      table.prefix[id],
    ]);
    expect(table.entry.length).toBe(words.length);
    expect(decoded).toEqual(expected);
  });

  it('leads every term, normalised, to a node that lists it as whole-word or prefix, and nothing else there', () => {
    const expected = new Map<number, { exact: number[]; prefix: number[] }>();
    words.forEach((w, id) => {
      const key = normalise(w.surface.replaceAll('_', ' '));
      const node = nodeOf(trie, key);
      expect(node, w.surface).toBeGreaterThan(0);
      expect(trie.termLength[id], w.surface).toBe(key.length);
      const at = expected.get(node) ?? { exact: [], prefix: [] };
      (w.prefix ? at.prefix : at.exact).push(id);
      expected.set(node, at);
    });
    for (const [node, { exact, prefix }] of expected) {
      expect(termsAt(trie.exactStart, trie.exactTerms, node)).toEqual(exact);
      expect(termsAt(trie.prefixStart, trie.prefixTerms, node)).toEqual(prefix);
    }
    // Every listed term was accounted for above: no term sits at a second node.
    expect(trie.exactTerms.length + trie.prefixTerms.length).toBe(words.length);
  });

  it('keeps each node’s edges sorted, as the matcher’s binary search needs', () => {
    for (let node = 0; node + 1 < trie.childStart.length; node++)
      for (let k = trie.childStart[node]! + 1; k < trie.childStart[node + 1]!; k++)
        expect(trie.childCode[k]!).toBeGreaterThan(trie.childCode[k - 1]!);
  });

  it('round-trips a small lexicon, a node with forty children included', () => {
    // Thirty-six distinct first letters and digits, and ا: the root has 37 edges, past one base-36 digit.
    const firsts = [...'abcdefghijklmnopqrstuvwxyz0123456789'].map((c) => `${c}q`).join(' ');
    const small: LexiconEntry[] = [
      { f: 'C01', en: `water wat* tap_water ${firsts}`, ar: 'ماء' },
      { f: 'C02', en: 'wat', kmr: 'av' },
    ];
    const smallWords = lexiconTerms(small);
    const encoded = encodeLexicon(small);
    const decoded = decodeTrie(encoded, decodeTerms(encoded).prefix);
    expect(encoded.counts.startsWith('(11)')).toBe(true);
    expect(decoded.childStart[1]! - decoded.childStart[0]!).toBe(37);
    smallWords.forEach((w, id) => {
      const node = nodeOf(decoded, normalise(w.surface.replaceAll('_', ' ')));
      const listed = w.prefix
        ? termsAt(decoded.prefixStart, decoded.prefixTerms, node)
        : termsAt(decoded.exactStart, decoded.exactTerms, node);
      expect(listed, w.surface).toContain(id);
    });
    // «wat» ends where the prefix «wat*» does: both kinds at one node, in term order.
    const wat = nodeOf(decoded, 'wat');
    const idOf = (prefix: boolean) => smallWords.findIndex((w) => w.surface === 'wat' && w.prefix === prefix);
    expect(termsAt(decoded.prefixStart, decoded.prefixTerms, wat)).toEqual([idOf(true)]);
    expect(termsAt(decoded.exactStart, decoded.exactTerms, wat)).toEqual([idOf(false)]);
  });

  it('refuses a term too short to match safely, and data that does not fit the lexicon', () => {
    expect(() => encodeLexicon([{ f: 'C01', ar: 'ب' }])).toThrow(/too short/);
    expect(() => decodeTrie({ ...compiled, ends: '\u0001\u0002' }, Uint8Array.of(0))).toThrow(
      /2 terms stored/,
    );
    expect(() => decodeTerms({ ...compiled, prefixes: '01' })).toThrow(/2 flags/);
    expect(() => decodeTrie({ ...compiled, ends: '\uffff' }, Uint8Array.of(0))).toThrow(/past the last node/);
    // A pack whose term groups do not fit its feature lists (the lexicon changed, the trie did not).
    const packOf = (text: string) => deflateRawSync(Buffer.from(text, 'utf8')).toString('base64');
    const small = JSON.parse(lexiconPackText([{ f: 'C01', en: 'water' }]));
    expect(() => unpackLexicon(packOf(JSON.stringify({ ...small, f: ['C01', 'C02'] })))).toThrow(
      /feature lists and term groups disagree/,
    );
  });
});
