/**
 * A phone number's own item: everything the SMS webhook must know about a number to answer it, in the one item
 * its single write touches. Keyed by the number's keyed hash (the number itself is never stored here in clear):
 * pk `SENDER#<hash>`, sk `SENDER`.
 *
 * - `optedOut`, `optOutChangedAt`: STOP / START (see opt-out.ts).
 * - `lang`: the language to answer a message in when it shows none (a lone "1", a photo): that of the number's last
 *   message that showed one (the inbox worker keeps it), or of its case that last started waiting on an answer.
 * - `waiting`: a string set of `<receivedAt>#<caseId>`, one per case of this number that is waiting on the
 *   complainant. The case store keeps it in the same transaction as the case, so it is never staler than the case.
 * - `surveyed`: the members of `waiting` whose case is resolved and waits on the satisfaction answer: a bare "1" or
 *   "2" answers one of these, never a request for more information (which may well be answered "1").
 * - `restricted`: the same for the number's restricted (S2/S3) cases that are not closed, kept the same way, so a
 *   later message from the number joins its restricted case (see conversation.ts).
 * - `in#<MessageSid>`: an inbound message, as a JSON string (DynamoDB never looks inside it). The webhook writes it
 *   pending (`at`, `body`, `media`, the encrypted `phone`, and what it read from the text and looked up: `read`,
 *   `own`); the inbox worker turns it into a case or threads it onto a case, then keeps only the outcome (`kind`,
 *   `caseId`), for as long as Twilio may retry the delivery.
 * - `via`: the transport of the number's last stored message and the platform number it was sent to
 *   (`{ transport, to, at }`): loop-closure and survey messages go back that way. `waAt`: when the number last wrote
 *   on WhatsApp, which opens WhatsApp's 24-hour window for free-text messages. The webhook sets both in its one
 *   write.
 */
import * as z from 'zod';
import { type Case, isRestricted, OPEN_STATUSES } from '../cases/case-schema.ts';
import { LANGUAGES, type Language } from '../classification/taxonomy.ts';
import type { Script } from '../messages/templates.ts';
import type { Item } from '../store/dynamodb.ts';
import { MessageReading, OwnCase, TRANSPORTS, type Transport } from './message-reading.ts';

export const SENDER_PK_PREFIX = 'SENDER#';
export const senderKey = (phoneHash: string) => ({ pk: `${SENDER_PK_PREFIX}${phoneHash}`, sk: 'SENDER' });
export const phoneHashOfSender = (pk: string): string => pk.slice(SENDER_PK_PREFIX.length);

const INBOX_PREFIX = 'in#';
export const inboxAttribute = (messageSid: string): string => `${INBOX_PREFIX}${messageSid}`;
/** How long a handled message's outcome stays on the number's item: far longer than Twilio retries a webhook. */
export const OUTCOME_KEPT_MS = 48 * 3_600_000;

export const PendingMessage = z.object({
  at: z.string(),
  body: z.string(),
  media: z.array(z.string()).default([]),
  /** The sender's number, encrypted by the PersonalDataProtector. */
  phone: z.string(),
  /** What the webhook read from the text (absent on messages stored before it did). */
  read: MessageReading.optional(),
  /** The number's own cases among those the text names, as the webhook found them. */
  own: z.array(OwnCase).max(5).default([]),
  /** What carried it (absent on messages stored before there was more than Twilio SMS). */
  transport: z.enum(TRANSPORTS).default('sms'),
  /** The platform's number it was sent to: it may name the agency of the case it opens (shared/agencies). */
  to: z.string().max(64).optional(),
});
export type PendingMessage = z.infer<typeof PendingMessage>;

export const MessageOutcome = z.object({
  at: z.string(),
  kind: z.enum(['opened', 'joined']),
  caseId: z.string(),
  /** The answer was the thanks for a satisfaction answer rather than the reference. */
  thanks: z.boolean().optional(),
  /** The message joined a restricted case: the answer named no reference. */
  restricted: z.boolean().optional(),
  /** The message was past the number's budget (sender-budget.ts): answered with the notice, or not at all. */
  budget: z.enum(['notice', 'over']).optional(),
});
export type MessageOutcome = z.infer<typeof MessageOutcome>;

const InboxEntry = z.union([MessageOutcome, PendingMessage]);
export type InboxEntry = z.infer<typeof InboxEntry>;
export const isOutcome = (e: InboxEntry): e is MessageOutcome => 'kind' in e;

export interface SenderState {
  optedOut: boolean;
  lang?: Language;
  /** The script of `lang` the number writes in, where the language has more than one (Badini in Arabic letters). */
  script?: Script;
  /** `<receivedAt>#<caseId>` of the cases waiting on this number. */
  waiting: string[];
  /** Those of `waiting` that wait on the satisfaction answer (resolved cases). */
  surveyed: string[];
  /** `<receivedAt>#<caseId>` of this number's restricted cases that are not closed. */
  restricted: string[];
  /** The messages on the item by MessageSid, still encoded (most readers need one of them at most). */
  inbox: Map<string, string>;
  /** How the number last wrote, and to which of the platform's numbers. */
  via?: LastContact;
  /** When the number last wrote on WhatsApp. */
  whatsappAt?: string;
}

/** The transport and platform number of a number's last stored message. */
export const LastContact = z.object({
  transport: z.enum(TRANSPORTS),
  to: z.string().min(1).max(64),
  at: z.string(),
});
export type LastContact = z.infer<typeof LastContact>;

/** The SET clauses (and their values) that record how a message came, for the webhook's one UpdateItem. */
export function lastContactUpdate(
  transport: Transport,
  to: string,
  at: string,
): { set: string; values: Record<string, unknown> } {
  const via = { transport, to, at };
  return transport === 'whatsapp'
    ? { set: ', via = :via, waAt = :viaAt', values: { ':via': via, ':viaAt': at } }
    : { set: ', via = :via', values: { ':via': via } };
}

/** One message on the number's item, decoded; undefined when absent or not readable. */
export function inboxEntry(state: SenderState, messageSid: string): InboxEntry | undefined {
  const raw = state.inbox.get(messageSid);
  if (raw === undefined) return undefined;
  try {
    const entry = InboxEntry.safeParse(JSON.parse(raw));
    return entry.success ? entry.data : undefined;
  } catch {
    return undefined;
  }
}

export const encodeEntry = (entry: InboxEntry): string => JSON.stringify(entry);

const LanguageCode = z.enum(LANGUAGES);

/** Reads a number's item (undefined: a number never seen). */
export function senderState(item: Item | undefined): SenderState {
  const state: SenderState = {
    optedOut: item?.optedOut === true,
    waiting: [],
    surveyed: [],
    restricted: [],
    inbox: new Map(),
  };
  if (!item) return state;
  const lang = LanguageCode.safeParse(item.lang);
  if (lang.success) state.lang = lang.data;
  if (item.langScript === 'arabic') state.script = 'arabic';
  if (item.waiting instanceof Set) state.waiting = [...item.waiting].map(String);
  if (item.surveyed instanceof Set) state.surveyed = [...item.surveyed].map(String);
  if (item.restricted instanceof Set) state.restricted = [...item.restricted].map(String);
  const via = LastContact.safeParse(item.via);
  if (via.success) state.via = via.data;
  if (typeof item.waAt === 'string') state.whatsappAt = item.waAt;
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(INBOX_PREFIX)) continue;
    if (typeof value === 'string') state.inbox.set(name.slice(INBOX_PREFIX.length), value);
  }
  return state;
}

/** The `waiting` (and `restricted`) member for a case: its receipt time first, so the newest sorts last. */
export const waitingMember = (c: Pick<Case, 'receivedAt' | 'caseId'>): string =>
  `${c.receivedAt}#${c.caseId}`;

/** Whether a case is one a reply from its number should join. */
export const waitsOnComplainant = (c: Case): boolean =>
  c.waitingOn === 'complainant' && !c.redactedAt && c.contact.phoneHash !== undefined;

/** Whether a case waits on its person's satisfaction answer (it is resolved and the question went out). */
export const awaitsSatisfaction = (c: Case): boolean => waitsOnComplainant(c) && c.status === 'resolved';

/**
 * Whether a message from the person at `at` answers staff's request for more information: the case is open and
 * has waited on them since before the message. (A resolved case that waits is waiting for the satisfaction answer;
 * a message older than the request did not answer it.)
 */
export const answersRequest = (c: Case, at: string): boolean =>
  c.waitingOn === 'complainant' &&
  (OPEN_STATUSES as readonly string[]).includes(c.status) &&
  (c.waitingSince ?? c.sla?.pausedSince ?? '') <= at;

/**
 * Whether a case is one a later message from its number should join because it is restricted: S2/S3, not closed,
 * not redacted, with a number. Kept while resolved too, so a follow-up after the outcome still reaches the focal
 * points rather than opening a case that others could read.
 */
export const holdsFollowUps = (c: Case): boolean =>
  isRestricted(c.sensitivity) && c.status !== 'closed' && !c.redactedAt && c.contact.phoneHash !== undefined;

/** The number's state before `messageSid` was written: its item with that message taken out. */
export function stateBefore(state: SenderState, messageSid: string): SenderState {
  const inbox = new Map(state.inbox);
  inbox.delete(messageSid);
  return { ...state, inbox };
}
