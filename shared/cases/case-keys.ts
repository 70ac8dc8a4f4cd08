import { agencyOf, DEFAULT_AGENCY } from '../agencies/agency-id.ts';
import { tableDefinition } from '../store/table-definition.ts';
import { type Case, isRestricted, OPEN_STATUSES } from './case-schema.ts';

const ix = tableDefinition.indexes;

/**
 * Restricted (S2/S3) cases live in index partitions of their own (`…#R`), so that a list for a role without the
 * right never reads one: it simply does not query those partitions.
 */
export const RESTRICTED_SUFFIX = '#R';
const suffix = (restricted: boolean) => (restricted ? RESTRICTED_SUFFIX : '');
/**
 * Each agency's cases live in index partitions of their own (`AG#<agency>#…`), so an agency's lists read only its
 * cases. The default agency keeps the unprefixed keys: a deployment without agencies, and every case stored before
 * agencies existed, are where they always were.
 */
const prefix = (agency: string) => (agency === DEFAULT_AGENCY ? '' : `AG#${agency}#`);

/** Key builders for every item the case aggregate owns. No other module spells these keys. */
export const caseKeys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  event: (caseId: string, at: string, eventId: string) => ({
    pk: `CASE#${caseId}`,
    sk: `EVENT#${at}#${eventId}`,
  }),
  eventPrefix: 'EVENT#',
  reference: (reference: string) => ({ pk: `REF#${reference}`, sk: 'REF' }),
  idempotency: (key: string) => ({ pk: `IDEMP#${key}`, sk: 'IDEMP' }),
  focalPointLink: (focalPointId: string, receivedAt: string, caseId: string) => ({
    pk: `FP#${focalPointId}`,
    sk: `CASE#${receivedAt}#${caseId}`,
  }),
  focalPointPartition: (focalPointId: string) => `FP#${focalPointId}`,
  /** `STATUS#<status>`, or `STATUS#<status>#R` for restricted cases (`AG#<agency>#…` for other agencies). */
  statusPartition: (status: string, restricted = false, agency = DEFAULT_AGENCY) =>
    `${prefix(agency)}STATUS#${status}${suffix(restricted)}`,
  /** `CAT#<category>#<status>`, or `…#R` for restricted cases (open cases with a category only). */
  categoryStatusPartition: (category: string, status: string, restricted = false, agency = DEFAULT_AGENCY) =>
    `${prefix(agency)}CAT#${category}#${status}${suffix(restricted)}`,
  /** `OPEN`, or `OPEN#R` for restricted cases: every open case, whatever its open status. */
  openPartition: (restricted = false, agency = DEFAULT_AGENCY) =>
    `${prefix(agency)}OPEN${suffix(restricted)}`,
  phonePartition: (hash: string) => `PHONE#${hash}`,
  /** `MONTH#<yyyy-mm>`, or `MONTH#<yyyy-mm>#R` for restricted cases. */
  monthPartition: (month: string, restricted = false, agency = DEFAULT_AGENCY) =>
    `${prefix(agency)}MONTH#${month}${suffix(restricted)}`,
};

/**
 * The instant a case is next due: acknowledgement while it waits for one, the partner's own due time while an
 * accepted referral runs, else resolution.
 */
export function nextDueAt(c: Case): string {
  if (c.status === 'referred' && c.referral?.dueBy) return c.referral.dueBy;
  if (!c.sla) return c.receivedAt;
  return c.status === 'new' || c.status === 'reopened' ? c.sla.acknowledgeBy : c.sla.resolveBy;
}

/**
 * Sort key of a resolved case in its status partition. Cases waiting on the complainant's answer sort first
 * (`W#<since>`), so the sweeper finds the unanswered ones with one bounded range read; the others follow by
 * resolution time (`R#<resolvedAt>`).
 */
export function resolvedSortKey(c: Case): string {
  const since = c.waitingSince ?? c.sla?.pausedSince ?? c.resolvedAt ?? c.updatedAt;
  return c.waitingOn ? `W#${since}#${c.caseId}` : `R#${c.resolvedAt ?? c.updatedAt}#${c.caseId}`;
}

/**
 * The byStatusDue entry of a case: open cases by due time (the queues and the SLA sweeper), resolved cases by
 * waiting time (the no-answer sweep), closed cases by closing time (lists and the retention sweep).
 */
function statusEntry(c: Case): { pk: string; sk: string } {
  const restricted = isRestricted(c.sensitivity);
  const pk = caseKeys.statusPartition(c.status, restricted, agencyOf(c));
  if ((OPEN_STATUSES as readonly string[]).includes(c.status))
    return { pk, sk: `${nextDueAt(c)}#${c.caseId}` };
  if (c.status === 'resolved') return { pk, sk: resolvedSortKey(c) };
  return { pk, sk: `${c.closedAt ?? c.updatedAt}#${c.caseId}` };
}

/**
 * The index attributes of a case item, derived from the case so they can never drift from it. An attribute left
 * undefined is absent from the item, which takes the case out of that (sparse) index.
 */
export function caseIndexAttributes(c: Case): Record<string, string | undefined> {
  const status = statusEntry(c);
  const phoneHash = c.redactedAt ? undefined : c.contact.phoneHash;
  const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
  const byCategory = open && c.category ? c.category : undefined;
  const restricted = isRestricted(c.sensitivity);
  const agency = agencyOf(c);
  return {
    [ix.byStatusDue.partitionKey]: status.pk,
    [ix.byStatusDue.sortKey]: status.sk,
    [ix.byPhone.partitionKey]: phoneHash ? caseKeys.phonePartition(phoneHash) : undefined,
    [ix.byPhone.sortKey]: phoneHash ? `${c.receivedAt}#${c.caseId}` : undefined,
    [ix.byMonth.partitionKey]: caseKeys.monthPartition(c.receivedAt.slice(0, 7), restricted, agency),
    [ix.byMonth.sortKey]: `${c.receivedAt}#${c.caseId}`,
    // Open cases with a category, by the same due-time key as byStatusDue, so a category list is a key read.
    [ix.byCategoryStatus.partitionKey]: byCategory
      ? caseKeys.categoryStatusPartition(byCategory, c.status, restricted, agency)
      : undefined,
    [ix.byCategoryStatus.sortKey]: byCategory ? status.sk : undefined,
    // Every open case under one key by the same due-time key, so the overdue list is one range read; a resolved
    // or closed case leaves it (the store writes the whole item, so the absent attributes are removed).
    [ix.byOpenDue.partitionKey]: open ? caseKeys.openPartition(restricted, agency) : undefined,
    [ix.byOpenDue.sortKey]: open ? status.sk : undefined,
  };
}
