/**
 * The folding table travels as runs (fold-table.data.ts, generated from fold-reference.ts): `<length>.<kind>` in
 * base 36, where kind `S` is a separator, `X` a dropped character (upper case, so never a base-36 number) and anything else the signed difference between
 * the folded code unit and the character itself (0 for a character that stays as it is).
 */
import { inflateRawSync } from 'node:zlib';

export const RUN_SEPARATOR = 0x20;
export const RUN_DROP = 0;

export function encodeFoldTable(table: Uint16Array): string {
  const runs: string[] = [];
  const kindOf = (c: number): string => {
    const f = table[c] as number;
    if (f === RUN_SEPARATOR && c !== RUN_SEPARATOR) return 'S';
    if (f === RUN_DROP) return 'X';
    return (f - c).toString(36);
  };
  let c = 0;
  while (c < table.length) {
    const kind = kindOf(c);
    let end = c + 1;
    while (end < table.length && kindOf(end) === kind) end++;
    runs.push(`${(end - c).toString(36)}.${kind}`);
    c = end;
  }
  return runs.join(',');
}

export function decodeFoldTable(runs: string): Uint16Array {
  const table = new Uint16Array(0x10000);
  let c = 0;
  // One pass over the characters: splitting and parseInt per run cost most of a cold start's decoding.
  for (let i = 0; i < runs.length; ) {
    let length = 0;
    for (let ch = runs.charCodeAt(i); ch !== 0x2e; ch = runs.charCodeAt(++i))
      length = length * 36 + digit36(ch);
    i++; // the dot
    const kind = runs.charCodeAt(i);
    const end = c + length;
    if (kind === 0x53 /* S */) {
      table.fill(RUN_SEPARATOR, c, end);
      i++;
    } else if (kind === 0x58 /* X */) i++;
    else {
      const negative = kind === 0x2d;
      if (negative) i++;
      let delta = 0;
      for (; i < runs.length && runs.charCodeAt(i) !== 0x2c; i++)
        delta = delta * 36 + digit36(runs.charCodeAt(i));
      if (negative) delta = -delta;
      for (; c < end; c++) table[c] = c + delta;
    }
    c = end;
    i++; // the comma
  }
  if (c !== 0x10000) throw new Error(`fold table runs cover ${c} code units, not 65536`);
  return table;
}

/** A base-36 digit's value (0-9, a-z). */
function digit36(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x7a) return code - 0x57;
  throw new Error(`fold table runs: unexpected character ${String.fromCharCode(code)}`);
}

/**
 * The runs from their shipped form (deflated, base64). The compressed bytes may differ between zlib versions, so
 * the staleness test compares the runs, not the pack.
 */
export function unpackFoldRuns(pack: string): string {
  return inflateRawSync(Buffer.from(pack, 'base64')).toString('utf8');
}
