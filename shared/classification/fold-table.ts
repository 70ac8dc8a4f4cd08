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
  for (const run of runs.split(',')) {
    const dot = run.indexOf('.');
    const length = Number.parseInt(run.slice(0, dot), 36);
    const kind = run.slice(dot + 1);
    const end = c + length;
    if (kind === 'S') table.fill(RUN_SEPARATOR, c, end);
    else if (kind !== 'X') {
      const delta = Number.parseInt(kind, 36);
      for (; c < end; c++) table[c] = c + delta;
    }
    c = end;
  }
  if (c !== 0x10000) throw new Error(`fold table runs cover ${c} code units, not 65536`);
  return table;
}

/**
 * The runs from their shipped form (deflated, base64). The compressed bytes may differ between zlib versions, so
 * the staleness test compares the runs, not the pack.
 */
export function unpackFoldRuns(pack: string): string {
  return inflateRawSync(Buffer.from(pack, 'base64')).toString('utf8');
}
