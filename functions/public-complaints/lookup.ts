import type { Platform } from '#functions/lib/platform.ts';
import type { PersonalDataProtector } from '#shared/privacy/personal-data.ts';
import type { StatusView } from './pages.ts';
import { replyPromise } from './promise.ts';

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
 * The status of a web case for the person holding its reference and secret, or undefined. Both come in their
 * canonical form (the handler has already told a person whose input cannot be either). An unknown reference, a
 * case opened by another channel (it has no secret) and a wrong secret all give undefined after the same reads
 * and the same hash comparison, so the answer and its timing say nothing about which it was.
 */
export async function lookupStatus(
  platform: Platform,
  reference: string,
  secret: string,
): Promise<StatusView | undefined> {
  let found = await platform.cases.getByReference(reference);
  // A known reference costs two reads (the reference claim, then the case); make an unknown one cost two as well.
  if (!found) await platform.cases.get(DECOY_CASE_ID);
  const stored = found?.lookupSecretHash;
  const matches = platform.protector.verifySecret(secret, stored ?? decoyHash(platform.protector));
  if (!matches || !stored || !found) found = undefined;
  if (!found) return undefined;
  const reply = await replyPromise(platform, found);
  return {
    reference: found.reference,
    status: found.status,
    receivedAt: found.receivedAt,
    updatedAt: found.updatedAt,
    ...(reply ? { reply } : {}),
  };
}
