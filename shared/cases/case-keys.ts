import { tableDefinition } from '../store/table-definition.ts';
import { type Case, OPEN_STATUSES } from './case-schema.ts';

const ix = tableDefinition.indexes;

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
  statusPartition: (status: string) => `STATUS#${status}`,
  phonePartition: (hash: string) => `PHONE#${hash}`,
  monthPartition: (month: string) => `MONTH#${month}`,
};

/** The instant a case is next due: acknowledgement while it waits for one, else resolution. */
export function nextDueAt(c: Case): string {
  if (!c.sla) return c.receivedAt;
  return c.status === 'new' || c.status === 'reopened' ? c.sla.acknowledgeBy : c.sla.resolveBy;
}

/** The index attributes of a case item, derived from the case so they can never drift from it. */
export function caseIndexAttributes(c: Case): Record<string, string | undefined> {
  const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
  const phoneHash = c.redactedAt ? undefined : c.contact.phoneHash;
  return {
    [ix.byStatusDue.partitionKey]: open ? caseKeys.statusPartition(c.status) : undefined,
    [ix.byStatusDue.sortKey]: open ? `${nextDueAt(c)}#${c.caseId}` : undefined,
    [ix.byPhone.partitionKey]: phoneHash ? caseKeys.phonePartition(phoneHash) : undefined,
    [ix.byPhone.sortKey]: phoneHash ? `${c.receivedAt}#${c.caseId}` : undefined,
    [ix.byMonth.partitionKey]: caseKeys.monthPartition(c.receivedAt.slice(0, 7)),
    [ix.byMonth.sortKey]: `${c.receivedAt}#${c.caseId}`,
  };
}
