/**
 * SMS length accounting. A message that fits the GSM 03.38 7-bit alphabet costs one septet a character (two
 * for the extension table's characters, sent behind an escape), 160 in one segment or 153 a segment when split.
 * Anything else (Arabic script, Kurdish letters such as ê, î, ş) goes as UCS-2: 70 UTF-16 units in one
 * segment, 67 a segment when split. Carriers bill by segment, and split messages arrive out of order on cheap
 * phones, so every automatic message is written to fit one.
 */

/** The GSM 03.38 default alphabet (ESC at 0x1B is not a character of its own). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: each costs an escape septet plus itself. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type Encoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: Encoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export const SINGLE_SEGMENT_UNITS: Readonly<Record<Encoding, number>> = { 'GSM-7': 160, 'UCS-2': 70 };
const MULTIPART_UNITS: Readonly<Record<Encoding, number>> = { 'GSM-7': 153, 'UCS-2': 67 };

/** Whether every character of `text` is in the GSM-7 alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

/**
 * Packs characters into segments of `size` units; a character is never split across two segments (an escape
 * pair or a surrogate pair travels whole), which is why a long message can need one segment more than
 * units / size.
 */
function pack(costs: number[], size: number): number {
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > size) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

/** The encoding, length and number of segments `text` takes as an SMS. An empty text is one (empty) segment. */
export function segmentsOf(text: string): SegmentCount {
  const encoding: Encoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const costs = [...text].map((ch) => (encoding === 'GSM-7' ? (EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const segments = units <= SINGLE_SEGMENT_UNITS[encoding] ? 1 : pack(costs, MULTIPART_UNITS[encoding]);
  return { encoding, units, segments };
}
