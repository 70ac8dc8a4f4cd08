import { randomUUID } from 'node:crypto';
import type { PersonalDataProtector } from '#shared/privacy/personal-data.ts';
import { normaliseReference, REFERENCE_ALPHABET } from '#shared/store/ids.ts';

/**
 * The lookup secret a web submission hands back: 12 symbols from the reference alphabet in three groups of four
 * (`7KQM-2XZP-9HTR`, about 59 bits). Only its keyed hash is stored.
 *
 * The secret is derived from the submission's idempotency key with the platform's hash key rather than drawn
 * afresh, so a repeated submission (a double tap, a retry after a dropped connection) answers with the same
 * secret the stored hash belongs to. Without the hash key the secret cannot be computed from the idempotency key,
 * and server-made keys are random, so the secret is as unpredictable as a random draw.
 */
export function deriveSecret(protector: PersonalDataProtector, idempotencyKey: string): string {
  const out: string[] = [];
  for (let round = 0; out.length < 12; round++) {
    const bytes = Buffer.from(
      protector.hashSecret(`derive\u0000${round}\u0000${idempotencyKey}`),
      'base64url',
    );
    for (const b of bytes) {
      // Rejection sampling keeps the 30 symbols equally likely (256 is not a multiple of 30).
      if (b < 240 && out.length < 12) out.push(REFERENCE_ALPHABET[b % 30] ?? '2');
    }
  }
  return `${out.slice(0, 4).join('')}-${out.slice(4, 8).join('')}-${out.slice(8).join('')}`;
}

const ARABIC_INDIC = /[٠-٩]/g;
const EXTENDED_ARABIC_INDIC = /[۰-۹]/g;

/** What a person types, in any digits and case, with or without dashes and spaces, to the canonical form. */
function canonical(input: string): string {
  return input
    .replace(ARABIC_INDIC, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(EXTENDED_ARABIC_INDIC, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toUpperCase()
    .replace(/[\s\-_.–—]/g, '');
}

/** A typed secret in its stored form (`XXXX-XXXX-XXXX`), or undefined when it cannot be one. */
export function normaliseSecret(input: string): string | undefined {
  const c = canonical(input);
  if (c.length !== 12) return undefined;
  for (const ch of c) if (!REFERENCE_ALPHABET.includes(ch)) return undefined;
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`;
}

/**
 * A typed reference in its canonical form. References never contain 0, O, 1, I, L or U, so nothing is guessed
 * for those; Arabic-Indic digits (a phone keyboard set to Arabic or Kurdish) are read as the digits they are.
 */
export const normaliseTypedReference = (input: string): string | undefined =>
  normaliseReference(canonical(input));

/** A fresh idempotency key for a JSON client that sent no token of its own. */
export const serverIdempotencyKey = (): string => `web:${randomUUID()}`;
