import type { Platform } from '#functions/lib/platform.ts';
import type { PersonalDataProtector } from '#shared/privacy/personal-data.ts';
import type { StatusView } from './pages.ts';
import { normaliseSecret, normaliseTypedReference } from './secret.ts';

const decoys = new WeakMap<PersonalDataProtector, string>();
/** A hash no secret matches, compared against when the reference is unknown so both paths do the same work. */
function decoyHash(protector: PersonalDataProtector): string {
  let hash = decoys.get(protector);
  if (!hash) {
    hash = protector.hashSecret('\u0000no case has this secret\u0000');
    decoys.set(protector, hash);
  }
  return hash;
}

/** A case id that never exists (ids are Crockford base 32, which has no U), read when the reference is unknown. */
const DECOY_CASE_ID = 'UUUUUUUUUUUUUUUUUUUUUUUUUU';

/**
 * The status of a web case for the person holding its reference and secret, or undefined. An unknown reference, a
 * case opened by another channel (it has no secret) and a wrong secret all give undefined after the same reads
 * and the same hash comparison, so the answer and its timing say nothing about which it was.
 */
export async function lookupStatus(
  platform: Platform,
  referenceInput: string,
  secretInput: string,
): Promise<StatusView | undefined> {
  const reference = normaliseTypedReference(referenceInput);
  const secret = normaliseSecret(secretInput) ?? '';
  let found = reference ? await platform.cases.getByReference(reference) : undefined;
  // A known reference costs two reads (the reference claim, then the case); make an unknown one cost two as well.
  if (reference && !found) await platform.cases.get(DECOY_CASE_ID);
  const stored = found?.lookupSecretHash;
  const matches = platform.protector.verifySecret(secret, stored ?? decoyHash(platform.protector));
  if (!matches || !stored || !found) found = undefined;
  if (!found) return undefined;
  return {
    reference: found.reference,
    status: found.status,
    receivedAt: found.receivedAt,
    updatedAt: found.updatedAt,
  };
}
