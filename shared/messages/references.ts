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

/** Between the halves of a reference: a dash (spaces around it allowed), or a dot or underscore with none. */
const JOINER = /^(\s*[-\u2010-\u2015]\s*|[._])$/;
const SPACES = /^\s+$/;

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

/** A word: a maximal run of letters and digits (of any script). */
interface Run {
  start: number;
  end: number;
  /** Only ASCII letters and digits (a reference's symbols, or their look-alikes). */
  ascii: boolean;
}

const isAsciiAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** The words of `text`, by a scan of its characters (cheaper than a Unicode-aware regular expression). */
function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ascii = isAsciiAlnum(c);
    if (ascii || (c >= 128 && WORD_CHAR.test(text[i] as string))) {
      if (!current) current = { start: i, end: i, ascii: true };
      current.end = i + 1;
      current.ascii &&= ascii;
    } else if (current) {
      runs.push(current);
      current = undefined;
    }
  }
  if (current) runs.push(current);
  return runs;
}

/**
 * The references a message names, read tolerantly, and what it says besides.
 *
 * Written with a dash or as one word, a reference is read at once. Written as two words ("k7mq 4xz9"), its halves
 * are paired with their neighbours by the digits the pair holds, most first, so that "case k7mq 4xz9" pairs the
 * two halves rather than "case" with the first half.
 */
export function findReferences(text: string): ReferenceReading {
  const digits = asciiDigits(text);
  const runs = runsOf(digits);
  const word = (r: Run) => digits.slice(r.start, r.end).toUpperCase();
  const isQuad = (r: Run | undefined): r is Run => r?.ascii === true && r.end - r.start === 4;
  const found: Found[] = [];
  const used = new Set<Run>();
  const take = (first: Run, last: Run, symbols: string, strong: (s: string) => boolean) => {
    const candidates = candidatesOf(symbols);
    if (candidates.length === 0) return false;
    found.push({ candidates, strong: strong(symbols), start: first.start, end: last.end });
    used.add(first).add(last);
    return true;
  };

  runs.forEach((run, i) => {
    const next = runs[i + 1];
    if (used.has(run)) return;
    if (run.ascii && run.end - run.start === 8) take(run, run, word(run), (s) => digitCount(s) > 0);
    else if (isQuad(run) && isQuad(next) && JOINER.test(digits.slice(run.end, next.start)))
      take(run, next, word(run) + word(next), () => true);
  });

  const pairs = runs
    .slice(1)
    .map((second, i) => ({ first: runs[i] as Run, second }))
    .filter(
      (p) =>
        isQuad(p.first) &&
        isQuad(p.second) &&
        !used.has(p.first) &&
        !used.has(p.second) &&
        SPACES.test(digits.slice(p.first.end, p.second.start)),
    )
    .map((p) => ({ ...p, symbols: word(p.first) + word(p.second) }))
    .sort((a, b) => digitCount(b.symbols) - digitCount(a.symbols) || b.first.start - a.first.start);
  for (const p of pairs) {
    if (used.has(p.first) || used.has(p.second)) continue;
    take(p.first, p.second, p.symbols, (s) => digitCount(s) > 0);
  }

  found.sort((a, b) => a.start - b.start);
  let rest = '';
  let last = 0;
  for (const f of found) {
    rest += `${digits.slice(last, f.start)} `;
    last = f.end;
  }
  rest += digits.slice(last);
  return { tokens: found.map(({ candidates, strong }) => ({ candidates, strong })), rest: rest.trim() };
}
