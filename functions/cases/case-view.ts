/**
 * What the staff API returns for a case: a summary for lists and look-ups (never personal data), and the detail
 * with its timeline (personal data decrypted only for roles allowed it). Store-only attributes (ciphertexts,
 * hashes, idempotency keys, the lookup secret's hash) never leave the API.
 */
import type { Principal } from '#shared/auth/principal.ts';
import { canSeePersonalData } from '#shared/cases/access.ts';
import type { Case, CaseEvent } from '#shared/cases/case-schema.ts';
import { isRestricted, OPEN_STATUSES } from '#shared/cases/case-schema.ts';
import type { PersonalDataProtector } from '#shared/privacy/personal-data.ts';

const SNIPPET = 140;

/**
 * The person wrote again after the last thing staff did on an open case (the desks' follow-up flag). A closed case
 * is not flagged: its last message was the answer that closed it.
 */
export const hasNewMessage = (c: Case): boolean =>
  (OPEN_STATUSES as readonly string[]).includes(c.status) &&
  c.lastMessageInAt !== undefined &&
  c.lastMessageInAt > (c.lastStaffActionAt ?? '');

/** A list row: enough to pick the case, nothing that identifies the complainant. */
export function caseSummary(c: Case) {
  return {
    caseId: c.caseId,
    reference: c.reference,
    version: c.version,
    status: c.status,
    channel: c.channel,
    transport: c.transport,
    language: c.language,
    type: c.type,
    category: c.category,
    sensitivity: c.sensitivity,
    urgency: c.urgency,
    restricted: isRestricted(c.sensitivity),
    /**
     * Why the platform's reading restricted the case (explicit words, caution, the learned model, the person's own
     * choice), while that restriction stands: the focal point's desk reviews caution and the model first.
     */
    restrictedBy:
      isRestricted(c.sensitivity) && c.classification.source === 'classifier'
        ? c.classification.restrictedBasis
        : undefined,
    location: c.location,
    programme: c.programme,
    assignee: c.assignee,
    focalPoints: c.routing?.focalPoints ?? [],
    receivedAt: c.receivedAt,
    dueAt: c.sla
      ? c.status === 'new' || c.status === 'reopened'
        ? c.sla.acknowledgeBy
        : c.sla.resolveBy
      : undefined,
    waitingOn: c.waitingOn,
    outcome: c.outcome,
    newMessage: hasNewMessage(c),
    redacted: Boolean(c.redactedAt),
    snippet: c.narrative.length > SNIPPET ? `${c.narrative.slice(0, SNIPPET)}…` : c.narrative,
  };
}
export type CaseSummary = ReturnType<typeof caseSummary>;

/** The contact block: clear text for roles allowed personal data, otherwise only whether there is any. */
function contactView(c: Case, principal: Principal | undefined, protector: PersonalDataProtector) {
  const hasPhone = Boolean(c.contact.phoneCipher);
  const hasName = Boolean(c.contact.nameCipher);
  if (!principal || !canSeePersonalData(principal)) return { hasPhone, hasName };
  return {
    hasPhone,
    hasName,
    ...(c.contact.phoneCipher ? { phone: protector.decrypt(c.contact.phoneCipher) } : {}),
    ...(c.contact.nameCipher ? { name: protector.decrypt(c.contact.nameCipher) } : {}),
  };
}

/** The case as its reader may see it. `principal` undefined means an admin's break-glass view: no personal data. */
export function caseDetail(c: Case, principal: Principal | undefined, protector: PersonalDataProtector) {
  const { contact: _contact, idempotencyKey: _key, lookupSecretHash: _secret, ...rest } = c;
  return {
    ...rest,
    restricted: isRestricted(c.sensitivity),
    newMessage: hasNewMessage(c),
    contact: contactView(c, principal, protector),
  };
}

export const eventView = (e: CaseEvent) => ({
  eventId: e.eventId,
  at: e.at,
  type: e.type,
  actor: e.actor,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  reason: e.reason,
  data: e.data,
});

/** The focal points a case page names: where the case is routed, and where each routing or escalation sent it. */
function focalPointIdsOf(c: Case, timeline: readonly CaseEvent[]): Set<string> {
  const ids = new Set(c.routing?.focalPoints ?? []);
  for (const e of timeline) {
    const sentTo = e.type === 'routed' || e.type === 'escalated' ? e.data?.focalPoints : undefined;
    if (Array.isArray(sentTo)) for (const id of sentTo) if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/**
 * The names of the focal points a case page mentions, so that staff read "PSEA focal point" where the records say
 * `psea-focal-point`: ids and names only, never where a focal point is notified. A focal point deleted since is left
 * out, and the page shows its id.
 */
export const focalPointNames = (
  c: Case,
  timeline: readonly CaseEvent[],
  focalPoints: readonly { focalPointId: string; name: string }[],
) => {
  const ids = focalPointIdsOf(c, timeline);
  return focalPoints
    .filter((f) => ids.has(f.focalPointId))
    .map((f) => ({ focalPointId: f.focalPointId, name: f.name }));
};
