/**
 * Finding case references (`K7MQ-4XZ9`) in what people type: in lower case, with a space or no dash, with
 * Arabic-Indic or Persian digits (a phone set to Arabic types ٤ for 4), and with the look-alike characters the
 * reference alphabet leaves out (0/O, 1/I/L, U) because they are misread for the ones it keeps.
 *
 * A look-alike is read as every symbol it may stand for, so one token gives a few candidate references. That is
 * safe only because a candidate counts for nothing unless it is a case of the sender's own number (the caller
 * checks that): a misread can at worst find the person's own case, never someone else's.
 */
import { REFERENCE_PATTERN } from '../store/ids.ts';

/** Characters the alphabet excludes, and the symbols of the alphabet a person may have meant by them. */
const LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = {
  O: ['Q', 'D'],
  '0': ['Q', 'D'],
  I: ['J', '7'],
  '1': ['J', '7'],
  L: ['J', '7'],
  U: ['V'],
};
/** A token with more look-alikes than this is taken for a word, not a mistyped reference. */
const MAX_LOOK_ALIKES = 2;

export interface ReferenceToken {
  /** The references the token may be, canonical (`K7MQ-4XZ9`), the exact reading first. */
  candidates: string[];
  /**
   * Whether the token looks like a reference on its own: it has a digit or a dash. Two four-letter words in a
   * sentence ("HAVE BEEN") also fit the pattern, so a token without either counts only in a message that is
   * nothing but references and status words.
   */
  strong: boolean;
}

export interface ReferenceReading {
  tokens: ReferenceToken[];
  /** The text with the tokens taken out (what else the message says). */
  rest: string;
}

/** Arabic-Indic (U+0660…) and Persian (U+06F0…) digits to ASCII. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0x0f) % 10));
}

const SEPARATOR = /[-_.\u2010-\u2015]/;
/** Four and four symbols joined by a dash (spaces around it allowed) or written as one word of eight. */
const JOINED =
  /(?<![\p{L}\p{N}])([A-Za-z0-9]{4})(\s*[-_.\u2010-\u2015]\s*)?([A-Za-z0-9]{4})(?![\p{L}\p{N}])/gu;
/** A word of exactly four symbols. */
const QUAD = /(?<![\p{L}\p{N}])[A-Za-z0-9]{4}(?![\p{L}\p{N}])/gu;
/** Stands in for a token already read, so the second pass cannot reuse its halves (not a letter or digit). */
const MASK = '\u2063';

/** Every canonical reference `symbols` (8 characters, upper case) may stand for; none for a word. */
function candidatesOf(symbols: string): string[] {
  let out = [''];
  let lookAlikes = 0;
  for (const ch of symbols) {
    const meant = LOOK_ALIKES[ch];
    if (meant) lookAlikes++;
    const options = meant ?? [ch];
    out = out.flatMap((prefix) => options.map((o) => prefix + o));
  }
  if (lookAlikes > MAX_LOOK_ALIKES) return [];
  return out.map((s) => `${s.slice(0, 4)}-${s.slice(4)}`).filter((ref) => REFERENCE_PATTERN.test(ref));
}

const digitCount = (s: string) => (s.match(/[0-9]/g) ?? []).length;

interface Found extends ReferenceToken {
  start: number;
  end: number;
}

/**
 * The references a message names, read tolerantly, and what it says besides.
 *
 * Written with a dash or as one word, a reference is read at once. Written as two words ("k7mq 4xz9"), its halves
 * are paired with their neighbours by the digits the pair holds, most first, so that "case k7mq 4xz9" pairs the
 * two halves rather than "case" with the first half.
 */
export function findReferences(text: string): ReferenceReading {
  let masked = asciiDigits(text);
  const original = masked;
  const found: Found[] = [];
  for (const m of original.matchAll(JOINED)) {
    const [whole, head = '', separator = '', tail = ''] = m;
    const symbols = (head + tail).toUpperCase();
    const candidates = candidatesOf(symbols);
    if (candidates.length === 0) continue;
    const strong = SEPARATOR.test(separator) || digitCount(symbols) > 0;
    found.push({ candidates, strong, start: m.index, end: m.index + whole.length });
    masked = masked.slice(0, m.index) + MASK.repeat(whole.length) + masked.slice(m.index + whole.length);
  }

  const quads = [...masked.matchAll(QUAD)].map((m) => ({ start: m.index, end: m.index + 4, text: m[0] }));
  const pairs = quads
    .slice(1)
    .map((second, i) => ({ first: quads[i] as (typeof quads)[number], second }))
    .filter((p) => /^\s+$/.test(masked.slice(p.first.end, p.second.start)))
    .map((p) => ({ ...p, symbols: (p.first.text + p.second.text).toUpperCase() }))
    .sort((a, b) => digitCount(b.symbols) - digitCount(a.symbols) || b.first.start - a.first.start);
  const used = new Set<number>();
  for (const p of pairs) {
    if (used.has(p.first.start) || used.has(p.second.start)) continue;
    const candidates = candidatesOf(p.symbols);
    if (candidates.length === 0) continue;
    used.add(p.first.start).add(p.second.start);
    found.push({ candidates, strong: digitCount(p.symbols) > 0, start: p.first.start, end: p.second.end });
  }

  found.sort((a, b) => a.start - b.start);
  let rest = '';
  let last = 0;
  for (const f of found) {
    rest += `${original.slice(last, f.start)} `;
    last = f.end;
  }
  rest += original.slice(last);
  return { tokens: found.map(({ candidates, strong }) => ({ candidates, strong })), rest: rest.trim() };
}
