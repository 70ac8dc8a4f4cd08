/**
 * The SNS message for one case event: who it is for (message attributes that subscriptions filter on) and what
 * it says. Pure, so the rules for personal data can be tested without a topic.
 *
 * What a message never carries: a phone number, a name, or the narrative. The narrative is left out of every
 * message, not only restricted ones: free text can hold names and numbers that no filter removes reliably, and
 * the message leaves the platform (e-mail, SMS). Focal points read the text in the console behind the link.
 * A restricted (S2/S3) or not yet classified case's message says only the reference, case id, category,
 * status, event type and the console link (and the event id, for de-duplication), and, for a focal point notified
 * by SMS, the short codes to answer with (which name only the reference).
 *
 * Attributes: `focalPoints` (String.Array, who the event concerns), `audience` (String.Array:
 * `focal_points` when it needs a focal point's attention, `complainant` when it may lead to an SMS to the
 * complainant), `category`, `governorate`, `sensitivity`, `urgency` and its alias `priority`, `eventType`.
 * A focal point's subscription matches its own id in `focalPoints` and `focal_points` in `audience`; the
 * notifier's queue matches `complainant`.
 */

import { type Case, type CaseEvent, isRestricted, OPEN_STATUSES } from '../cases/case-schema.ts';
import { CATEGORY_LABELS, type Category } from '../classification/taxonomy.ts';
import type { FocalPoint } from '../config/schemas.ts';
import { findDistrict, findGovernorate } from '../gazetteer/gazetteer.ts';
import type { MessageAttributeValue, ProtocolTexts } from '../messaging/sns.ts';
import { governorateOf } from './select-focal-points.ts';

export const AUDIENCES = ['focal_points', 'complainant'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Statuses a complainant hears about (outcome SMS, satisfaction question, reopening). */
const COMPLAINANT_STATUSES = new Set(['resolved', 'closed', 'reopened']);
/** Events that ask something of the focal points the event concerns. */
const ATTENTION_EVENTS = new Set([
  'routed',
  'escalated',
  'sla_warning',
  'message_in',
  'callback_requested',
  'referral',
]);

/** The SNS filter policy of a focal point's subscription. */
export function focalPointFilterPolicy(focalPointId: string): Record<string, string[]> {
  return { focalPoints: [focalPointId], audience: ['focal_points'] };
}

/** Where a focal point opens the case: the console's own route, under the console's base URL (`…/console/`). */
export const consoleLink = (consoleUrl: string, caseId: string): string =>
  `${consoleUrl.replace(/\/?$/, '/')}#/case/${encodeURIComponent(caseId)}`;

const isOpen = (c: Case) => (OPEN_STATUSES as readonly string[]).includes(c.status);

/** Who an event is for. */
export function audienceFor(event: CaseEvent, c: Case): Audience[] {
  const out: Audience[] = [];
  const reopened = event.type === 'transition' && event.toStatus === 'reopened';
  // A message that joins a resolved case (a follow-up after the outcome, not the satisfaction answer) still needs
  // someone to read it: the person wrote after being told the case was done.
  const lateMessage =
    event.type === 'message_in' && c.status === 'resolved' && event.data?.joined !== 'satisfaction';
  // A number past its message budget alerts its focal points once (with the first such message), not per message.
  const flooding = event.type === 'message_in' && event.data?.budget === 'over';
  if (!flooding && ((ATTENTION_EVENTS.has(event.type) && isOpen(c)) || reopened || lateMessage))
    out.push('focal_points');
  const toComplainant =
    (event.type === 'transition' &&
      event.toStatus !== undefined &&
      COMPLAINANT_STATUSES.has(event.toStatus)) ||
    (event.type === 'satisfaction' && (event.data?.kind === 'asked' || event.data?.asked === true));
  if (toComplainant) out.push('complainant');
  return out;
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/**
 * The focal points an event concerns: for `routed`, the ones it routed to; for escalations and warnings, the
 * people they name (`data.focalPoints`, `data.focalPointId`, `data.to`) when they name any; otherwise the case's
 * current focal points. For a restricted case only focal points allowed restricted cases remain, whoever the
 * event named.
 */
export function recipientsFor(event: CaseEvent, c: Case, focalPoints: readonly FocalPoint[]): string[] {
  const data = event.data ?? {};
  let named: string[] | undefined;
  if (event.type === 'routed') named = stringList(data.focalPoints) ?? [];
  else if (event.type === 'escalated' || event.type === 'sla_warning') {
    named =
      stringList(data.focalPoints) ??
      (typeof data.focalPointId === 'string' ? [data.focalPointId] : undefined) ??
      (typeof data.to === 'string' ? [data.to] : undefined);
  }
  const ids = [...new Set(named ?? c.routing?.focalPoints ?? [])];
  if (!restrictedContent(c)) return ids;
  const allowed = new Set(focalPoints.filter((f) => f.restricted).map((f) => f.focalPointId));
  return ids.filter((id) => allowed.has(id));
}

/** Restricted cases, and cases nobody has classified yet, get the minimal message. */
export const restrictedContent = (c: Case): boolean =>
  isRestricted(c.sensitivity) || c.classification.source === 'pending';

export interface CaseNotification {
  message: string;
  attributes: Record<string, MessageAttributeValue>;
  /** What focal points notified by e-mail and SMS read (present when the event is for focal points). */
  texts: ProtocolTexts;
  focalPoints: string[];
  audience: Audience[];
}

const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const list = (values: readonly string[]): MessageAttributeValue => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(values),
});

/**
 * The one line a notification carries for focal points notified by SMS: the short codes that act on the case from
 * that phone (shared/intake/staff-commands.ts), in their Latin form, which every phone can type whatever its
 * language. Plain GSM-7 and one segment on its own; it names nothing but the reference the message already has.
 */
export const replyCodesLine = (ref: string): string =>
  `Reply: ACK ${ref}, WIP ${ref}, DONE ${ref} <outcome>, REF ${ref} <partner>`;

/** What an event asks of a focal point, in the few words an SMS or a subject line has room for. */
const EVENT_WORDS: Record<string, string> = {
  routed: 'new case',
  escalated: 'escalated to you',
  sla_warning: 'due soon',
  message_in: 'new message from the person',
  callback_requested: 'call-back requested',
  referral: 'referral update',
  transition: 'status changed',
};

/** A place's English name for a line of text, or its P-code when the gazetteer does not know it. */
const placeName = (pcode: string): string =>
  (pcode.length > 5 ? findDistrict(pcode)?.names.en : findGovernorate(pcode)?.names.en) ?? pcode;

/**
 * The e-mail and SMS texts of a notification to focal points. They say no more than the JSON does, and for a
 * restricted case less: an SMS can be read over someone's shoulder or on a shared phone, so it names the
 * reference and the link only (no category, no place). Latin script and plain ASCII punctuation keep an SMS in
 * GSM-7, two segments at most with the reply line.
 */
export function focalPointTexts(
  event: CaseEvent,
  c: Case,
  link: string,
  options: { restricted: boolean; reply?: string },
): ProtocolTexts {
  const what = EVENT_WORDS[event.type] ?? 'update';
  const where = c.location.district ?? governorateOf(c.location);
  const about = options.restricted
    ? 'needs your attention'
    : [
        what,
        c.category ? `- ${CATEGORY_LABELS[c.category as Category] ?? c.category}` : undefined,
        where ? `in ${placeName(where)}` : undefined,
      ]
        .filter(Boolean)
        .join(' ');
  const subject = `CFM case ${c.reference}: ${options.restricted ? 'needs your attention' : what}`;
  return {
    subject,
    sms: [`CFM ${c.reference}: ${about}. ${link}`, options.reply].filter(Boolean).join('\n'),
    email: [
      `Case ${c.reference}: ${about}.`,
      ...(options.restricted
        ? ['This case is restricted: its details are in the console only.']
        : [`Status: ${c.status.replace(/_/g, ' ')}. Urgency: ${c.urgency}.`]),
      '',
      `Open it in the console: ${link}`,
    ].join('\n'),
  };
}

/** The message and attributes published for `event` of case `c`. */
export function buildNotification(
  event: CaseEvent,
  c: Case,
  options: { consoleUrl: string; focalPoints: readonly FocalPoint[] },
): CaseNotification {
  const focalPoints = recipientsFor(event, c, options.focalPoints);
  const audience = audienceFor(event, c);
  const governorate = governorateOf(c.location);
  // Only where one of the focal points it is for reads it as an SMS, and only when it asks for their attention.
  const bySms =
    audience.includes('focal_points') &&
    options.focalPoints.some((f) => f.channel.type === 'sms' && focalPoints.includes(f.focalPointId));
  const minimal = {
    eventId: event.eventId,
    eventType: event.type,
    caseId: c.caseId,
    reference: c.reference,
    category: c.category,
    status: c.status,
    link: consoleLink(options.consoleUrl, c.caseId),
    ...(bySms ? { reply: replyCodesLine(c.reference) } : {}),
  };
  const body = restrictedContent(c)
    ? minimal
    : {
        ...minimal,
        at: event.at,
        type: c.type,
        sector: c.sector,
        sensitivity: c.sensitivity,
        urgency: c.urgency,
        channel: c.channel,
        language: c.language,
        ...(governorate ? { governorate } : {}),
        ...(c.location.district ? { district: c.location.district } : {}),
        ...(c.programme ? { programme: c.programme } : {}),
        ...(event.fromStatus ? { fromStatus: event.fromStatus } : {}),
        ...(event.toStatus ? { toStatus: event.toStatus } : {}),
      };
  return {
    message: JSON.stringify(body),
    focalPoints,
    audience,
    texts: audience.includes('focal_points')
      ? focalPointTexts(event, c, minimal.link, {
          restricted: restrictedContent(c),
          ...(minimal.reply ? { reply: minimal.reply } : {}),
        })
      : {},
    attributes: {
      focalPoints: list(focalPoints),
      audience: list(audience),
      eventType: str(event.type),
      category: str(c.category ?? 'none'),
      governorate: str(governorate ?? 'none'),
      sensitivity: str(c.sensitivity),
      urgency: str(c.urgency),
      priority: str(c.urgency),
    },
  };
}
