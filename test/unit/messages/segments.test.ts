import { describe, expect, it } from 'vitest';
import { isGsm7, segmentsOf } from '#shared/messages/segments.ts';

describe('segmentsOf', () => {
  it('counts plain English as GSM-7, one septet a character', () => {
    expect(segmentsOf('Your reference is K7MQ-4XZ9.')).toEqual({ encoding: 'GSM-7', units: 28, segments: 1 });
  });

  it('counts extension-table characters as two septets', () => {
    // "€5 [ok]": € [ and ] are escaped; 7 characters, 10 septets.
    expect(segmentsOf('€5 [ok]')).toEqual({ encoding: 'GSM-7', units: 10, segments: 1 });
  });

  it('keeps the GSM accented letters in GSM-7', () => {
    expect(isGsm7('é è ù ì ò Ç Ø å Ä Ö Ñ Ü ß ¿ ¡ £ ¥ § ¤ Δ Ω')).toBe(true);
  });

  it('sends Arabic script as UCS-2', () => {
    expect(segmentsOf('شكراً لك')).toEqual({ encoding: 'UCS-2', units: 8, segments: 1 });
  });

  it("sends Kurmanji's ê î û ş as UCS-2", () => {
    expect(segmentsOf('Spas, peyama we gihîşt.').encoding).toBe('UCS-2');
    expect(isGsm7('ê')).toBe(false);
    expect(isGsm7('ş')).toBe(false);
  });

  it('fits 160 septets in one segment and splits at 153', () => {
    expect(segmentsOf('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(segmentsOf('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(segmentsOf('a'.repeat(306)).segments).toBe(2);
    expect(segmentsOf('a'.repeat(307)).segments).toBe(3);
  });

  it('does not split an escape pair across segments', () => {
    // 152 septets then "€" (2): 154 in all, but the escape pair cannot straddle the 153 boundary.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(segmentsOf(text)).toEqual({ encoding: 'GSM-7', units: 164, segments: 2 });
    const tight = `${'a'.repeat(152)}€${'a'.repeat(152)}`; // 306 septets: 152 | 2+151 | 1
    expect(segmentsOf(tight).segments).toBe(3);
  });

  it('fits 70 UCS-2 units in one segment and splits at 67', () => {
    expect(segmentsOf('ب'.repeat(70)).segments).toBe(1);
    expect(segmentsOf('ب'.repeat(71)).segments).toBe(2);
    expect(segmentsOf('ب'.repeat(134)).segments).toBe(2);
    expect(segmentsOf('ب'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units and never splits it', () => {
    expect(segmentsOf('ok 👍')).toEqual({ encoding: 'UCS-2', units: 5, segments: 1 });
    const text = `${'ب'.repeat(66)}👍${'ب'.repeat(5)}`; // 73 units; the emoji would straddle 66|67
    expect(segmentsOf(text)).toEqual({ encoding: 'UCS-2', units: 73, segments: 2 });
  });

  it('counts an empty message as one empty segment', () => {
    expect(segmentsOf('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
  });
});
