/**
 * What a person hears about a case they ask after, by SMS or on the hotline: where it is and what happens next.
 * A restricted (S2/S3) case says only that it was received and is being handled, whatever its state: the person
 * may not be the only one reading the phone.
 */
import { type Case, isRestricted } from '../cases/case-schema.ts';
import type { Language } from '../classification/taxonomy.ts';
import { render, type Script } from '../messages/templates.ts';

export const STATUS_NOTICES = [
  'new',
  'working',
  'referred',
  'awaiting_answer',
  'resolved',
  'closed',
  'restricted',
] as const;
export type StatusNotice = (typeof STATUS_NOTICES)[number];

export type CaseForStatus = Pick<Case, 'reference' | 'status'> &
  Partial<Pick<Case, 'sensitivity' | 'waitingOn' | 'outcome'>>;

/** Which notice a case gets. */
export function statusNotice(c: CaseForStatus): StatusNotice {
  if (c.sensitivity && isRestricted(c.sensitivity)) return 'restricted';
  switch (c.status) {
    case 'new':
      return 'new';
    case 'acknowledged':
    case 'in_progress':
    case 'reopened':
      return 'working';
    case 'referred':
      return 'referred';
    case 'resolved':
      return c.waitingOn === 'complainant' ? 'awaiting_answer' : 'resolved';
    case 'closed':
      return 'closed';
  }
}

/** The SMS that answers a status request, in one segment. */
export function statusReply(c: CaseForStatus, language: Language, script?: Script): string {
  const ref = c.reference;
  switch (statusNotice(c)) {
    case 'new':
      return render('status_new', language, { ref }, script);
    case 'working':
      return render('status_working', language, { ref }, script);
    case 'referred':
      return render('status_referred', language, { ref }, script);
    case 'awaiting_answer':
      // The outcome and the one-key question again: the person may have lost the first message.
      return render('resolved', language, { ref, ...(c.outcome ? { outcome: c.outcome } : {}) }, script);
    case 'resolved':
      return render('status_resolved', language, { ref }, script);
    case 'closed':
      return render('status_closed', language, { ref }, script);
    case 'restricted':
      return render('status_restricted', language, { ref }, script);
  }
}
