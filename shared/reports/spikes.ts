/**
 * Spikes: a category × place whose count today is well above its own recent days. Pure: the counters, keys and
 * the rule; the store (spike-store.ts) reads and writes them.
 *
 * Counters, kept by the projector in the same transaction (and under the same per-case marker) as the report
 * aggregates, so they are exact and idempotent: pk `SPIKE#N#<category>#<place>`, sk `<yyyy-mm-dd>` (the Iraqi day
 * the case was received, UTC+3), `n` cases. A case counts once at its district and once at its governorate, from
 * the version the router has read. A restricted (S2/S3) case counts nowhere, and a case without a place neither;
 * a case that later becomes restricted, or moves category or place, leaves the counters it was in.
 *
 * The rule ({@link SPIKE_RULE}): today's count is at least 5 and at least 3 × the mean of the 14 days before + 1.
 * A quiet place (mean 0) alerts at its fifth case of a category in a day; a place with 2 such cases a day on
 * average, at its seventh. Both numbers are at the top of this file; the README's "Spikes and clusters" says why.
 *
 * Alerts: pk `SPIKE#A#<yyyy-mm-dd>`, sk `<category>#<place>` (see spike-store.ts), one per category, place and
 * day, created by a conditional write.
 */
import { type Case, isRestricted } from '../cases/case-schema.ts';

export const SPIKE_RULE = {
  /** Fewest cases in a day that can be a spike. */
  minimum: 5,
  /** How many times the baseline's daily mean (plus {@link SPIKE_RULE.plus}) today must reach. */
  ratio: 3,
  plus: 1,
  /** Days before today whose counts make the baseline. */
  baselineDays: 14,
} as const;

/** Iraq keeps UTC+3 all year (no daylight saving since 2008). */
const IRAQ_OFFSET_MS = 3 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Iraqi calendar day (`yyyy-mm-dd`) of an instant. */
export const iraqDay = (at: string | Date): string =>
  new Date((typeof at === 'string' ? Date.parse(at) : at.getTime()) + IRAQ_OFFSET_MS)
    .toISOString()
    .slice(0, 10);

/** The day `n` days after `day` (negative: before). */
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);

export type PlaceLevel = 'district' | 'governorate';
export interface SpikePlace {
  level: PlaceLevel;
  /** A district P-code (`IQG08Q03`) or a governorate's (`IQG08`). */
  pcode: string;
}

/**
 * Whether the router has read the case (shared/routing/classify-case.ts): only then is its sensitivity what the text
 * says (a hotline case the operator called C03 may read as S3), and its evidence words are there for the alert.
 */
const routerHasRead = (c: Pick<Case, 'classification'>): boolean =>
  c.classification.source === 'classifier' ||
  c.classification.source === 'officer' ||
  (c.classification.source === 'person' && c.classification.automatic !== undefined);

/**
 * The places a case counts at: its district (when known) and its governorate; none for a restricted case, nor for
 * one the router has not read yet.
 */
export function spikePlaces(
  c: Pick<Case, 'sensitivity' | 'category' | 'location' | 'classification'>,
): SpikePlace[] {
  if (isRestricted(c.sensitivity) || !c.category || !routerHasRead(c)) return [];
  const governorate = c.location.governorate ?? c.location.district?.slice(0, 5);
  const out: SpikePlace[] = [];
  if (c.location.district) out.push({ level: 'district', pcode: c.location.district });
  if (governorate) out.push({ level: 'governorate', pcode: governorate });
  return out;
}

export const levelOf = (pcode: string): PlaceLevel => (pcode.length > 5 ? 'district' : 'governorate');

export const spikeKeys = {
  counterPartition: (category: string, place: string) => `SPIKE#N#${category}#${place}`,
  counter: (category: string, place: string, day: string) => ({
    pk: spikeKeys.counterPartition(category, place),
    sk: day,
  }),
  alertPartition: (day: string) => `SPIKE#A#${day}`,
  alert: (day: string, category: string, place: string) => ({
    pk: spikeKeys.alertPartition(day),
    sk: `${category}#${place}`,
  }),
};

/** Whether a contribution key (`<pk>|<sk>`) is one of the spike counters. */
export const isSpikeKey = (key: string): boolean => key.startsWith('SPIKE#N#');

/**
 * What one case adds to the spike counters (`<pk>|<sk>` → `{ n: 1 }`), merged into its report contribution so
 * both move in one transaction under one marker.
 */
export function spikeContribution(c: Case): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (!c.category) return out;
  const day = iraqDay(c.receivedAt);
  for (const place of spikePlaces(c)) {
    const k = spikeKeys.counter(c.category, place.pcode, day);
    out[`${k.pk}|${k.sk}`] = { n: 1 };
  }
  return out;
}

export interface SpikeReading {
  count: number;
  /** The mean daily count over the baseline days (days without a case count as 0). */
  baseline: number;
  /** The count at which today is a spike. */
  threshold: number;
  spike: boolean;
}

/** Reads today's count against the days before it; `counts` maps days to counts (missing days are 0). */
export function readSpike(counts: Readonly<Record<string, number>>, day: string): SpikeReading {
  let sum = 0;
  for (let i = 1; i <= SPIKE_RULE.baselineDays; i++) sum += counts[addDays(day, -i)] ?? 0;
  const baseline = sum / SPIKE_RULE.baselineDays;
  const threshold = Math.max(SPIKE_RULE.minimum, Math.ceil(SPIKE_RULE.ratio * baseline + SPIKE_RULE.plus));
  const count = counts[day] ?? 0;
  return { count, baseline: Math.round(baseline * 100) / 100, threshold, spike: count >= threshold };
}

/** Evidence entries that are codes about the reading, not words of the message. */
const CODE_PREFIXES = new Set(['rule', 'basis', 'reason', 'hint', 'raised', 'router']);
const MAX_EXAMPLE_WORDS = 6;

/**
 * An example of what people wrote, without personal data: the words of one case that the classifier found in its
 * lexicon (its evidence, `<family>:<words>`), never the message itself. Lexicon words are the vocabulary of
 * complaints ("water", "ماي", "in the camp"), not names or numbers; anything with a digit is left out all the
 * same. Empty when the case has no such words (the alert then names the category and place only).
 */
export function exampleWords(evidence: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of evidence) {
    const cut = e.indexOf(':');
    if (cut <= 0) continue;
    const family = e.slice(0, cut);
    const words = e.slice(cut + 1).trim();
    if (!/^[a-z_]+$/.test(family) || CODE_PREFIXES.has(family)) continue;
    if (!words || words.length > 40 || /[\d٠-٩۰-۹@+]/.test(words) || words.includes('=')) continue;
    if (!out.includes(words)) out.push(words);
    if (out.length >= MAX_EXAMPLE_WORDS) break;
  }
  return out;
}
