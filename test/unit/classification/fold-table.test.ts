import { describe, expect, it } from 'vitest';
import { buildFoldReference } from '../../../shared/classification/fold-reference.ts';
import { FOLD_PACK } from '../../../shared/classification/fold-table.data.ts';
import {
  decodeFoldTable,
  encodeFoldTable,
  unpackFoldRuns,
} from '../../../shared/classification/fold-table.ts';
import { normalise } from '../../../shared/classification/normalise.ts';

describe('the shipped folding table', () => {
  const reference = buildFoldReference();
  const shippedRuns = unpackFoldRuns(FOLD_PACK);

  it('decodes to exactly the table its definition builds, for every UTF-16 code unit', () => {
    const decoded = decodeFoldTable(shippedRuns);
    const mismatches: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (decoded[c] !== reference[c]) mismatches.push(c);
    expect(mismatches).toEqual([]);
  });

  it('is up to date with its definition (run npm run build:fold-table after changing fold-reference.ts)', () => {
    expect(encodeFoldTable(reference)).toBe(shippedRuns);
  });

  it('still folds the way the classifier relies on', () => {
    expect(normalise('أَنَا  مِنْ الموصلـــة ١٢')).toBe('انا من الموصله 12');
    expect(normalise('Ez ji Dihokê me, ÇAWA?')).toBe('ez ji dihoke me cawa');
    expect(normalise('ڕێکخراوەکە')).toBe('ريكخراوهكه');
  });

  it('refuses runs that do not cover the whole table', () => {
    expect(() => decodeFoldTable('a.0')).toThrow(/65536/);
  });
});
