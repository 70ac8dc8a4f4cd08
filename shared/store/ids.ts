import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A sortable id: 10 characters of millisecond time then 16 of randomness, Crockford base 32 (the ULID layout).
 * Ids made in the same millisecond sort arbitrarily among themselves, which is all a case id needs.
 */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[(bytes[i] ?? 0) % 32];
  return time + rand;
}

/** Letters and digits that cannot be confused when read aloud or written by hand: no 0/O, 1/I/L, U. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_PATTERN = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

/**
 * A case reference such as `K7MQ-4XZ9`: 8 symbols from a 30-symbol alphabet (6.6 × 10^11 values), random so that
 * one reference says nothing about another. Uniqueness is enforced by the store, which claims each reference with
 * a conditional write and draws again on the rare collision.
 */
export function newReference(): string {
  // Rejection sampling keeps the symbols uniform (256 is not a multiple of 30).
  const out: string[] = [];
  while (out.length < 8) {
    for (const b of randomBytes(12)) {
      if (b < 240 && out.length < 8) out.push(REFERENCE_ALPHABET[b % 30] ?? '2');
    }
  }
  return `${out.slice(0, 4).join('')}-${out.slice(4).join('')}`;
}

/**
 * The n-th reference drawn for an idempotency key: the same key always draws the same sequence, so a repeated
 * delivery lands on the reference of its first delivery, and the store's conditional write both keeps references
 * unique and makes creation idempotent in one request. A SHA-256 of the key spreads references uniformly; they
 * reveal nothing useful (a status lookup also needs the secret handed out with the reference).
 */
export function referenceFor(idempotencyKey: string, n: number): string {
  const out: string[] = [];
  for (let round = 0; out.length < 8; round++) {
    const digest = createHash('sha256').update(`${idempotencyKey}\u0000${n}\u0000${round}`).digest();
    for (const b of digest) {
      if (b < 240 && out.length < 8) out.push(REFERENCE_ALPHABET[b % 30] ?? '2');
    }
  }
  return `${out.slice(0, 4).join('')}-${out.slice(4).join('')}`;
}

/** Accepts what a person types (lower case, spaces, a missing hyphen) and returns the canonical form. */
export function normaliseReference(input: string): string | undefined {
  // 0/O and 1/I/L are not in the alphabet at all, so a reference containing them is a typing error, never a variant.
  const cleaned = input.toUpperCase().replace(/[\s\-_.]/g, '');
  if (cleaned.length !== 8) return undefined;
  const ref = `${cleaned.slice(0, 4)}-${cleaned.slice(4)}`;
  return REFERENCE_PATTERN.test(ref) ? ref : undefined;
}
