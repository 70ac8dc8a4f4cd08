/**
 * Inbound SMS: store first, answer at once. A message becomes a new case (linked to the number's earlier cases),
 * or joins the number's case that is waiting on the complainant, or is a STOP / START / HELP keyword. Twilio
 * retries a webhook that answers slowly, so everything here is keyed on the MessageSid: a repeat gets the same
 * answer and writes nothing.
 *
 * The webhook makes one request to DynamoDB. It writes the message onto the number's own item (sender.ts) and
 * gets back, in the same UpdateItem, what the number's item held before: whether it opted out, which of its cases
 * waits on it, its language. That decides the answer (the reference of the case the message opens, or of the one
 * it joins) before the webhook returns. The inbox worker (functions/sms-inbox) then carries the decision out from
 * the table stream, from the very same "before" image: it opens the case, or threads the message onto the waiting
 * one, and keeps only the outcome on the number's item. Nothing is lost in between: the message is in the table
 * before Twilio gets its answer, and the stream hands it to the worker until the worker succeeds.
 *
 * A message without a usable number (a short code, an alphanumeric sender) has no number item and is stored
 * directly, as is one whose number's item is full (a number that keeps texting while the worker is down).
 *
 * Classification is left to the router; only the language is detected here, because the reply must be in it.
 */
import type { Case } from '../cases/case-schema.ts';
import type { CaseStore, EventDraft } from '../cases/case-store.ts';
import { detectLanguage } from '../classification/language.ts';
import type { Language } from '../classification/taxonomy.ts';
import { ConditionFailedError, ItemTooLargeError } from '../errors/aws-errors.ts';
import { CaseNotFoundError } from '../errors/domain-error.ts';
import { type Keyword, parseKeyword, parseSatisfaction } from '../messages/keywords.ts';
import { render } from '../messages/templates.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';
import { appendNarrative } from './narrative.ts';
import { setOptedOut } from './opt-out.ts';
import {
  decide,
  encodeEntry,
  inboxAttribute,
  inboxEntry,
  isOutcome,
  type MessageOutcome,
  OUTCOME_KEPT_MS,
  type PendingMessage,
  type SenderState,
  type SmsDecision,
  senderKey,
  senderState,
  stateBefore,
} from './sender.ts';
import { e164OrUndefined, type InboundSms } from './twilio-forms.ts';

export interface SmsIntakeDeps {
  cases: CaseStore;
  db: DynamoDb;
  tableName: string;
  protector: PersonalDataProtector;
  now: () => Date;
}

export type SmsOutcome =
  /** Written onto the number's item; the inbox worker opens or joins the case. */
  | { kind: 'accepted'; decision: SmsDecision }
  /** A repeated delivery: answered as the first one was, nothing written. */
  | { kind: 'repeat'; caseId: string }
  /** Stored directly (no number item): the case opened or joined. */
  | { kind: 'stored'; outcome: MessageOutcome }
  | { kind: 'keyword'; keyword: Keyword };

/** The case an outcome names (the one announced, for a message not yet carried out); none for a keyword. */
export function caseIdOf(outcome: SmsOutcome): string | undefined {
  switch (outcome.kind) {
    case 'accepted':
      return outcome.decision.kind === 'open' ? outcome.decision.reference : outcome.decision.caseId;
    case 'repeat':
      return outcome.caseId;
    case 'stored':
      return outcome.outcome.caseId;
    case 'keyword':
      return undefined;
  }
}

export interface SmsResult {
  outcome: SmsOutcome;
  /** The text to answer with, or undefined for an empty answer (an opted-out number gets nothing). */
  reply?: string;
}

/** How many of the number's earlier cases a new case is linked to (newest first). */
export const MAX_LINKED = 20;
const MEDIA_LIMIT = 10;
const complainant = { kind: 'complainant' } as const;

/**
 * The language to answer in: the message's own when the detector saw any evidence, else `fallback` (a lone "1"
 * or a photo without text says nothing about the language; the number's last message does).
 */
export const replyLanguage = (text: string, fallback: Language): Language => languageShown(text) ?? fallback;

/** The message's language when the detector saw any evidence of one. */
function languageShown(text: string): Language | undefined {
  const guess = detectLanguage(text);
  return guess.confidence > 0 ? guess.language : undefined;
}

/** The answer to a message: its reference, or the thanks for a satisfaction answer; nothing when opted out. */
function answerFor(
  state: SenderState,
  body: string,
  result: { caseId: string; thanks: boolean },
): string | undefined {
  if (state.optedOut) return undefined;
  const language = replyLanguage(body, state.lang ?? 'ar');
  return result.thanks
    ? render('thanks', language, {})
    : render('received', language, { ref: result.caseId });
}

/** What the answer to a decision says before the worker has carried it out. */
const expected = (decision: SmsDecision, body: string) =>
  decision.kind === 'open'
    ? { caseId: decision.reference, thanks: false }
    : { caseId: decision.caseId, thanks: parseSatisfaction(body) !== undefined };

const isItemTooLarge = (err: unknown) => err instanceof ItemTooLargeError;

/** Handles one inbound SMS; safe to call again, and concurrently, with the same MessageSid. */
export async function receiveSms(deps: SmsIntakeDeps, sms: InboundSms): Promise<SmsResult> {
  const { db, tableName, protector } = deps;
  const phone = e164OrUndefined(sms.from);
  const phoneHash = phone ? protector.hashPhone(phone) : undefined;

  const keyword = parseKeyword(sms.body);
  if (keyword) return receiveKeyword(deps, sms, keyword, phoneHash);
  const pending: PendingMessage = {
    at: deps.now().toISOString(),
    body: sms.body,
    media: sms.mediaUrls,
    phone: phone ? protector.encrypt(phone) : '',
  };
  if (!phoneHash) return receiveDirect(deps, sms.messageSid, pending, undefined);

  let before: Item | undefined;
  try {
    // The message goes in unless a delivery of it is already there; either way the item comes back as it was.
    before = await db.update({
      TableName: tableName,
      Key: senderKey(phoneHash),
      UpdateExpression: 'SET #in = if_not_exists(#in, :in)',
      ExpressionAttributeNames: { '#in': inboxAttribute(sms.messageSid) },
      ExpressionAttributeValues: { ':in': encodeEntry(pending) },
      ReturnValues: 'ALL_OLD',
    });
  } catch (err) {
    if (isItemTooLarge(err)) return receiveDirect(deps, sms.messageSid, pending, phoneHash);
    throw err;
  }
  const state = senderState(before);
  if (state.inbox.has(sms.messageSid)) return repeatOf(sms, state);
  const decision = decide(state, sms.messageSid);
  return {
    outcome: { kind: 'accepted', decision },
    reply: answerFor(state, sms.body, expected(decision, sms.body)),
  };
}

/** A delivery whose MessageSid is already on the number's item: the first delivery's answer again. */
function repeatOf(sms: InboundSms, now: SenderState): SmsResult {
  const entry = inboxEntry(now, sms.messageSid);
  if (entry && isOutcome(entry)) {
    return {
      outcome: { kind: 'repeat', caseId: entry.caseId },
      reply: answerFor(now, sms.body, { caseId: entry.caseId, thanks: entry.thanks === true }),
    };
  }
  // Not carried out yet: decided again from the number's state without this message, which is what the first
  // delivery saw unless a case started or stopped waiting in the moment between.
  const decision = decide(stateBefore(now, sms.messageSid), sms.messageSid);
  const result = expected(decision, sms.body);
  return { outcome: { kind: 'repeat', caseId: result.caseId }, reply: answerFor(now, sms.body, result) };
}

async function receiveKeyword(
  deps: SmsIntakeDeps,
  sms: InboundSms,
  keyword: Keyword,
  phoneHash: string | undefined,
): Promise<SmsResult> {
  const { db, tableName } = deps;
  const at = deps.now().toISOString();
  const before = phoneHash
    ? keyword === 'help'
      ? await db.get(tableName, senderKey(phoneHash))
      : await setOptedOut(db, tableName, phoneHash, keyword === 'stop', at)
    : undefined;
  const state = senderState(before);
  const language = replyLanguage(sms.body, state.lang ?? 'ar');
  const outcome = { kind: 'keyword', keyword } as const;
  // The STOP confirmation is the last message the number gets (a repeated STOP, or Twilio's retry, gets it again).
  if (keyword === 'stop') return { outcome, reply: render('stopped', language, {}) };
  if (keyword === 'start') return { outcome, reply: render('started', language, {}) };
  return { outcome, reply: state.optedOut ? undefined : render('help', language, {}) };
}

/**
 * Stores a message at once, without the number's item as a go-between: read the number's state, then open or
 * join as the inbox worker would.
 */
async function receiveDirect(
  deps: SmsIntakeDeps,
  messageSid: string,
  message: PendingMessage,
  phoneHash: string | undefined,
): Promise<SmsResult> {
  const state = senderState(
    phoneHash ? await deps.db.get(deps.tableName, senderKey(phoneHash), true) : undefined,
  );
  const outcome = await carryOut(deps, {
    messageSid,
    phoneHash,
    message,
    before: stateBefore(state, messageSid),
  });
  return {
    outcome: { kind: 'stored', outcome },
    reply: answerFor(state, message.body, { caseId: outcome.caseId, thanks: outcome.thanks === true }),
  };
}

export interface InboundToCarryOut {
  messageSid: string;
  phoneHash: string | undefined;
  message: PendingMessage;
  /** The number's state before the message was written (the stream record's old image). */
  before: SenderState;
}

/**
 * Carries out what an inbound message decided: opens its case (linked to the number's earlier cases) or threads it
 * onto the case waiting on the number. Idempotent on the MessageSid, so a redelivered stream record does nothing
 * twice. `redrawn` is set when the reference the webhook announced was already taken and the case got the next one.
 */
export async function carryOut(
  deps: SmsIntakeDeps,
  inbound: InboundToCarryOut,
): Promise<MessageOutcome & { redrawn?: boolean }> {
  const { cases, protector } = deps;
  const { messageSid, phoneHash, message, before } = inbound;
  const decision = decide(before, messageSid);
  const language = replyLanguage(message.body, before.lang ?? 'ar');
  const at = deps.now().toISOString();

  if (decision.kind === 'join') {
    // A case may have started waiting since this message first opened one of its own: that stays as it was.
    const opened = await cases.findIdempotent(messageSid);
    if (opened) return { at, kind: 'opened', caseId: opened.caseId };
    try {
      return await join(cases, decision.caseId, messageSid, message, at);
    } catch (err) {
      // The waiting case is gone: the message opens a case of its own.
      if (!(err instanceof CaseNotFoundError)) throw err;
    }
  }

  const earlier = phoneHash ? (await cases.listByPhoneHash(phoneHash, { limit: MAX_LINKED + 1 })).items : [];
  // A redelivered record finds the case it opened the first time among the number's cases: not a link.
  const linkedCaseIds = earlier.filter((c) => c.idempotencyKey !== messageSid).map((c) => c.caseId);
  const phone = message.phone ? protector.decrypt(message.phone) : undefined;
  const { case: opened } = await cases.create({
    channel: 'sms',
    idempotencyKey: messageSid,
    narrative: message.body,
    language,
    receivedAt: message.at,
    // Texting in asks for an answer on that number, unless the number has opted out of messages.
    consentToFollowUp: phone !== undefined && !before.optedOut,
    ...(phone ? { phone } : {}),
    mediaUrls: message.media,
    linkedCaseIds: linkedCaseIds.slice(0, MAX_LINKED),
    createdBy: complainant,
  });
  return {
    at,
    kind: 'opened',
    caseId: opened.caseId,
    ...(decision.kind === 'open' && opened.reference !== decision.reference ? { redrawn: true } : {}),
  };
}

async function join(
  cases: CaseStore,
  caseId: string,
  messageSid: string,
  message: PendingMessage,
  at: string,
): Promise<MessageOutcome> {
  const satisfaction = parseSatisfaction(message.body);
  const result = await cases.mutate(
    caseId,
    undefined,
    (current) => {
      const next: Case = { ...current };
      const recorded = current.waitingOn === 'complainant' ? satisfaction : undefined;
      const events: EventDraft[] = [
        {
          type: 'message_in',
          actor: complainant,
          at: message.at,
          data: {
            channel: 'sms',
            messageSid,
            characters: message.body.length,
            media: message.media.length,
          },
        },
      ];
      if (recorded) {
        // What follows (closing, or reopening after "not satisfied") is the case workflow's, on the stream.
        delete next.waitingOn;
        next.satisfaction = recorded;
        events.push({ type: 'satisfaction', actor: complainant, data: { answer: recorded, channel: 'sms' } });
      } else {
        next.narrative = appendNarrative(current.narrative, message.body);
        next.mediaUrls = [...new Set([...current.mediaUrls, ...message.media])].slice(0, MEDIA_LIMIT);
      }
      return { next, events };
    },
    { idempotencyKey: messageSid },
  );
  const recorded = result.events.some((e) => e.type === 'satisfaction');
  return {
    at,
    kind: 'joined',
    caseId: result.case.caseId,
    thanks: recorded || (result.duplicate === true && satisfaction !== undefined),
  };
}

/**
 * Keeps only the outcome of a message on the number's item (its text and the encrypted number go), and drops the
 * outcomes older than {@link OUTCOME_KEPT_MS}. Does nothing if the entry is already gone.
 */
export async function recordOutcome(
  deps: Pick<SmsIntakeDeps, 'db' | 'tableName' | 'now'>,
  phoneHash: string,
  messageSid: string,
  message: PendingMessage,
  outcome: MessageOutcome,
  current: SenderState,
): Promise<void> {
  // The language the message showed becomes the number's, for answering its next message that shows none.
  const shown = languageShown(message.body);
  const cutoff = new Date(deps.now().getTime() - OUTCOME_KEPT_MS).toISOString();
  const expired = [...current.inbox.keys()].filter((sid) => {
    const e = sid === messageSid ? undefined : inboxEntry(current, sid);
    return e !== undefined && isOutcome(e) && e.at < cutoff;
  });
  const names: Record<string, string> = { '#in': inboxAttribute(messageSid) };
  expired.forEach((sid, i) => {
    names[`#x${i}`] = inboxAttribute(sid);
  });
  try {
    await deps.db.update({
      TableName: deps.tableName,
      Key: senderKey(phoneHash),
      UpdateExpression: `SET #in = :outcome, entity = :entity${shown ? ', lang = :lang' : ''}${expired.length ? ` REMOVE ${expired.map((_, i) => `#x${i}`).join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(#in)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':outcome': encodeEntry(outcome),
        ':entity': 'sender',
        ...(shown ? { ':lang': shown } : {}),
      },
    });
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
  }
}
