/**
 * Inbound messages: store first, answer at once. What a message means is decided by conversation.ts (a keyword,
 * a status request, a satisfaction answer, a follow-up that joins one of the number's cases, or a new case); this
 * module does the reads and writes around that decision. The transport (Twilio SMS today) only shapes the
 * {@link InboundMessage} and the answer's envelope. Twilio retries a webhook that answers slowly, so everything here
 * is keyed on the message id: a repeat gets the same answer and writes nothing.
 *
 * A message that becomes or joins a case costs the webhook one request to DynamoDB. It writes the message (and what
 * was read from it) onto the number's own item (sender.ts) and gets back, in the same UpdateItem, what the item
 * held before: whether the number opted out, its language, which of its cases waits on it, which are restricted.
 * That decides the answer (the reference of the case the message opens, or of the one it joins) before the webhook
 * returns. The inbox worker (functions/sms-inbox) then carries the decision out from the table stream, from the
 * stored reading and the very same "before" image, and keeps only the outcome on the number's item. Nothing is lost
 * in between: the message is in the table before Twilio gets its answer, and the stream hands it to the worker
 * until the worker succeeds.
 *
 * A message that names a reference costs one read more, before the write: the named cases and the number's item in
 * one BatchGetItem, to learn whether they are the number's own. A status request is only that read: it writes
 * nothing and opens nothing. A keyword is one request (STOP / START write the opt-out, HELP reads).
 *
 * A message without a usable number (a short code, an alphanumeric sender) has no number item and is stored
 * directly, as is one whose number's item is full (a number that keeps texting while the worker is down).
 *
 * Classification is left to the router; only the language is read here, because the answer must be in it.
 *
 * A registered focal point's number is asked about first (`deps.staff`, before anything is stored): its messages
 * are staff short codes (shared/intake/staff-commands.ts), acted on at once and never stored as a complainant's.
 */
import { caseKeys } from '../cases/case-keys.ts';
import { type Case, CaseSchema, isRestricted } from '../cases/case-schema.ts';
import type { CaseStore, EventDraft } from '../cases/case-store.ts';
import { ConditionFailedError, ItemTooLargeError } from '../errors/aws-errors.ts';
import { CaseNotFoundError } from '../errors/domain-error.ts';
import { render } from '../messages/templates.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';
import { referenceFor } from '../store/ids.ts';
import {
  answerIn,
  answerLanguage,
  type Decision,
  decide,
  type InboundMessage,
  type MessageReading,
  type NumberState,
  type OwnCase,
  readMessage,
} from './conversation.ts';
import { appendNarrative } from './narrative.ts';
import { setOptedOut } from './opt-out.ts';
import {
  answersRequest,
  encodeEntry,
  holdsFollowUps,
  inboxAttribute,
  inboxEntry,
  isOutcome,
  lastContactUpdate,
  type MessageOutcome,
  OUTCOME_KEPT_MS,
  type PendingMessage,
  type SenderState,
  senderKey,
  senderState,
  stateBefore,
} from './sender.ts';
import { type BudgetStanding, budgetStanding } from './sender-budget.ts';
import type { StaffMessageHandler } from './staff-commands.ts';
import { statusReply } from './status-request.ts';
import { e164OrUndefined } from './twilio-forms.ts';

export interface SmsIntakeDeps {
  cases: CaseStore;
  db: DynamoDb;
  tableName: string;
  protector: PersonalDataProtector;
  now: () => Date;
  /**
   * Reads a registered focal point's message as a staff command (functions/cases/focal-point-sms.ts): the sender's
   * number decides, before anything is stored, so a focal point's "ACK K7MQ-4XZ9" never opens a case.
   */
  staff?: StaffMessageHandler;
}

/** A decision that becomes or joins a case. */
export type CaseDecision = Extract<Decision, { kind: 'open' | 'join' }>;

export type SmsOutcome =
  /**
   * Written onto the number's item; the inbox worker opens or joins the case. `budget` when past the number's
   * budget: the worker threads it onto the number's open case instead of opening one.
   */
  | { kind: 'accepted'; decision: CaseDecision; budget?: Exclude<BudgetStanding, 'within'> }
  /** A repeated delivery: answered as the first one was, nothing written. */
  | { kind: 'repeat'; caseId: string }
  /** Stored directly (no number item): the case opened or joined. */
  | { kind: 'stored'; outcome: MessageOutcome }
  | { kind: 'keyword'; keyword: 'stop' | 'start' | 'help' }
  /** A status request, answered from the case it names (`caseId`), or "not found"; nothing written. */
  | { kind: 'status'; caseId?: string }
  /** A registered focal point's message, read as a staff command (`code` says what came of it). */
  | { kind: 'staff'; code: string };

/** The case an outcome names (the one announced, for a message not yet carried out). */
export function caseIdOf(outcome: SmsOutcome): string | undefined {
  switch (outcome.kind) {
    case 'accepted':
      return outcome.decision.kind === 'open' ? outcome.decision.reference : outcome.decision.caseId;
    case 'repeat':
    case 'status':
      return outcome.caseId;
    case 'stored':
      return outcome.outcome.caseId;
    case 'keyword':
    // A focal point's answer is about the focal point's own message, not a complainant's case: a delivery report
    // of it must not land on the case's timeline.
    case 'staff':
      return undefined;
  }
}

export interface SmsResult {
  outcome: SmsOutcome;
  /** The text to answer with, or undefined for an empty answer (an opted-out number gets nothing). */
  reply?: string;
}

/** How many of the number's newest cases "STATUS" alone looks through for one that is not restricted. */
const NEWEST_LOOKED_AT = 10;
/** How many of the number's earlier cases a new case is linked to (newest first). */
export const MAX_LINKED = 20;
const MEDIA_LIMIT = 10;
const complainant = { kind: 'complainant' } as const;

/** The decision's inputs about the number, from its item before the message and the cases the message names. */
const numberState = (state: SenderState, own: readonly OwnCase[]): NumberState => ({
  waiting: state.waiting,
  surveyed: state.surveyed,
  restricted: state.restricted,
  own,
});

interface Answered {
  caseId: string;
  /** Past the number's budget: the notice (the first time), or no answer. */
  budget?: Exclude<BudgetStanding, 'within'>;
  /** The thanks for a satisfaction answer. */
  thanks: boolean;
  /** Joined a restricted case: acknowledged without its reference. */
  restricted: boolean;
}

/**
 * The answer to a message that opens or joins a case: its reference, the thanks for a satisfaction answer, or, for
 * a message that joins a restricted case, an acknowledgement that names no reference (the phone may be shared, and
 * a reference would invite whoever else reads it to ask after the report).
 */
function answerFor(state: SenderState, reading: MessageReading, result: Answered): string | undefined {
  if (state.optedOut || result.budget === 'over') return undefined;
  const { language, script } = answerIn(reading, state);
  if (result.budget === 'notice') return render('many_messages', language, {}, script);
  if (result.thanks) return render('thanks', language, {}, script);
  if (result.restricted) return render('noted', language, {}, script);
  return render('received', language, { ref: result.caseId }, script);
}

/** What the answer to a decision says before the worker has carried it out. */
const expected = (decision: CaseDecision, standing: BudgetStanding): Answered => ({
  ...(decision.kind === 'open'
    ? { caseId: decision.reference, thanks: false, restricted: false }
    : {
        caseId: decision.caseId,
        thanks: decision.because === 'satisfaction',
        restricted: decision.because === 'restricted',
      }),
  ...(standing === 'within' ? {} : { budget: standing }),
});

/** What a carried-out message was answered with. */
const answeredWith = (outcome: MessageOutcome): Answered => ({
  caseId: outcome.caseId,
  thanks: outcome.thanks === true,
  restricted: outcome.restricted === true,
  ...(outcome.budget ? { budget: outcome.budget } : {}),
});

const isItemTooLarge = (err: unknown) => err instanceof ItemTooLargeError;

/** What a webhook's one extra read found: the number's item and its own cases among those the message names. */
interface Lookup {
  state: SenderState;
  own: OwnCase[];
  /** The number's own cases, by id, as stored (absent for a case announced but not opened yet). */
  cases: Map<string, Case>;
}

/**
 * Reads the number's item and every candidate reference the message names in one BatchGetItem, and keeps the
 * references that are the number's own cases. A case of another number and a reference nobody has look the same
 * from here on. A reference the number was given a moment ago, whose case the inbox worker has not opened yet,
 * counts as the number's own: its message is still pending on the number's item.
 */
async function lookUp(
  deps: SmsIntakeDeps,
  phoneHash: string,
  tokens: readonly (readonly string[])[],
): Promise<Lookup> {
  const candidates = [...new Set(tokens.flat())];
  const items = await deps.db.batchGet(
    deps.tableName,
    [senderKey(phoneHash), ...candidates.map((ref) => caseKeys.case(ref))],
    true,
  );
  const senderPk = senderKey(phoneHash).pk;
  const state = senderState(items.find((it) => it.pk === senderPk));
  const cases = new Map<string, Case>();
  for (const it of items) {
    if (it.sk !== caseKeys.case('').sk) continue;
    // A case item that no longer reads is nobody's case here, rather than a failed answer.
    const parsed = CaseSchema.safeParse(it);
    const c = parsed.success ? parsed.data : undefined;
    if (c && c.contact.phoneHash === phoneHash && !c.redactedAt) cases.set(c.caseId, c);
  }
  const announced = new Set(
    [...state.inbox.keys()].filter((sid) => {
      const entry = inboxEntry(state, sid);
      return entry !== undefined && !isOutcome(entry);
    }),
  );
  const pendingRefs = new Set([...announced].map((sid) => referenceFor(sid, 0)));
  const own: OwnCase[] = [];
  for (const token of tokens) {
    const ref = token.find((r) => cases.has(r) || pendingRefs.has(r));
    if (!ref || own.some((o) => o.caseId === ref)) continue;
    const c = cases.get(ref);
    own.push({ caseId: ref, joinable: c ? c.status !== 'closed' : true });
  }
  return { state, own, cases };
}

/** Handles one inbound message; safe to call again, and concurrently, with the same message id. */
export async function receiveMessage(deps: SmsIntakeDeps, message: InboundMessage): Promise<SmsResult> {
  const { db, tableName, protector } = deps;
  const phone = e164OrUndefined(message.from);
  const phoneHash = phone ? protector.hashPhone(phone) : undefined;
  const reading = readMessage(message.body);

  // STOP and START always work, whoever sends them; anything else from a focal point's number is a staff command.
  if (reading.keyword === 'stop' || reading.keyword === 'start')
    return receiveKeyword(deps, reading, reading.keyword, phoneHash);
  const staff = phone && deps.staff ? await deps.staff({ ...message, from: phone }) : undefined;
  if (staff) return { outcome: { kind: 'staff', code: staff.code }, reply: staff.reply };
  if (reading.keyword) return receiveKeyword(deps, reading, reading.keyword, phoneHash);
  // Nothing said and nothing attached (an empty SMS; on WhatsApp, what Twilio passes on without a body or media):
  // nothing to store, so the person is told how to write to us, as HELP would, and no empty case is opened.
  if (!message.body.trim() && message.media.length === 0)
    return receiveKeyword(deps, reading, 'help', phoneHash);
  const named = reading.status?.references ?? reading.references;
  const looked = phoneHash && named.length ? await lookUp(deps, phoneHash, named) : undefined;
  if (reading.status) return answerStatus(deps, reading, phoneHash, looked, message.messageId);

  const pending: PendingMessage = {
    at: deps.now().toISOString(),
    body: message.body,
    media: message.media,
    phone: phone ? protector.encrypt(phone) : '',
    read: reading,
    own: looked?.own ?? [],
    transport: message.transport,
    ...(message.to ? { to: message.to } : {}),
  };
  if (!phoneHash) return receiveDirect(deps, message.messageId, pending, undefined);

  // Only a message that clearly shows its language changes the number's (and the script it is written in); a hint
  // sets one for a number without.
  const language = reading.shown
    ? reading.script
      ? { set: ', lang = :lang, langScript = :script', value: reading.shown, script: reading.script }
      : { set: ', lang = :lang', remove: ' REMOVE langScript', value: reading.shown }
    : reading.hint
      ? { set: ', lang = if_not_exists(lang, :lang)', value: reading.hint }
      : undefined;
  // Where later messages to the number go (the notifier reads it): set in the same write, at no extra request.
  const via = lastContactUpdate(message.transport, message.to, pending.at);
  let before: Item | undefined;
  try {
    // The message goes in unless a delivery of it is already there; either way the item comes back as it was.
    before = await db.update({
      TableName: tableName,
      Key: senderKey(phoneHash),
      UpdateExpression: `SET #in = if_not_exists(#in, :in)${language?.set ?? ''}${via.set}${language?.remove ?? ''}`,
      ExpressionAttributeNames: { '#in': inboxAttribute(message.messageId) },
      ExpressionAttributeValues: {
        ':in': encodeEntry(pending),
        ...(language ? { ':lang': language.value } : {}),
        ...(language?.script ? { ':script': language.script } : {}),
        ...via.values,
      },
      ReturnValues: 'ALL_OLD',
    });
  } catch (err) {
    if (isItemTooLarge(err)) return receiveDirect(deps, message.messageId, pending, phoneHash);
    throw err;
  }
  const state = senderState(before);
  if (state.inbox.has(message.messageId)) return repeatOf(message.messageId, state);
  const decision = decideStored(reading, state, pending.own, message.messageId);
  const standing = budgetStanding(state, pending.at);
  return {
    outcome: { kind: 'accepted', decision, ...(standing === 'within' ? {} : { budget: standing }) },
    reply: answerFor(state, reading, expected(decision, standing)),
  };
}

/** The stored reading of a pending message (read again only for messages stored before the webhook kept it). */
const readingOf = (message: PendingMessage): MessageReading => message.read ?? readMessage(message.body);

/** A delivery whose message id is already on the number's item: the first delivery's answer again. */
function repeatOf(messageId: string, now: SenderState): SmsResult {
  const entry = inboxEntry(now, messageId);
  if (entry && isOutcome(entry)) {
    // The reading is gone with the text; the number's language is what the first answer used, or close to it.
    const reading: MessageReading = { references: [] };
    return {
      outcome: { kind: 'repeat', caseId: entry.caseId },
      reply: answerFor(now, reading, answeredWith(entry)),
    };
  }
  // Not carried out yet: decided again from the number's state without this message, which is what the first
  // delivery saw unless a case started or stopped waiting in the moment between.
  const reading = entry ? readingOf(entry) : { references: [] };
  const before = stateBefore(now, messageId);
  const decision = decideStored(reading, before, entry && !isOutcome(entry) ? entry.own : [], messageId);
  const result = expected(decision, entry ? budgetStanding(before, entry.at) : 'within');
  return { outcome: { kind: 'repeat', caseId: result.caseId }, reply: answerFor(now, reading, result) };
}

/**
 * The decision about a message that is stored (so neither a keyword nor a status request, except one stored by the
 * version before the webhook read messages, which opened a case for every message: so does this).
 */
function decideStored(
  reading: MessageReading,
  before: SenderState,
  own: readonly OwnCase[],
  messageId: string,
): CaseDecision {
  const decision = decide(reading, numberState(before, own), messageId);
  return decision.kind === 'open' || decision.kind === 'join'
    ? decision
    : { kind: 'open', reference: referenceFor(messageId, 0) };
}

async function receiveKeyword(
  deps: SmsIntakeDeps,
  reading: MessageReading,
  keyword: 'stop' | 'start' | 'help',
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
  // The number's language, not the keyword's: a number that always wrote Arabic gets its STOP answer in Arabic.
  const { language, script } = answerIn(reading, state);
  const outcome = { kind: 'keyword', keyword } as const;
  // The STOP confirmation is the last message the number gets (a repeated STOP, or Twilio's retry, gets it again).
  if (keyword === 'stop') return { outcome, reply: render('stopped', language, {}, script) };
  if (keyword === 'start') return { outcome, reply: render('started', language, {}, script) };
  return { outcome, reply: state.optedOut ? undefined : render('help', language, {}, script) };
}

/**
 * A status request: the named case's status and next step, or "not found" for a reference that is not one of the
 * number's cases (unknown or another number's: the same answer). "STATUS" alone answers for the number's newest
 * case. Writes nothing.
 */
async function answerStatus(
  deps: SmsIntakeDeps,
  reading: MessageReading,
  phoneHash: string | undefined,
  looked: Lookup | undefined,
  messageId: string,
): Promise<SmsResult> {
  let state = looked?.state ?? senderState(undefined);
  let cases = looked?.cases ?? new Map<string, Case>();
  let newest: string | undefined;
  if (phoneHash && !looked) {
    const [item, page] = await Promise.all([
      deps.db.get(deps.tableName, senderKey(phoneHash), true),
      deps.cases.listByPhoneHash(phoneHash, { limit: NEWEST_LOOKED_AT }),
    ]);
    state = senderState(item);
    // "STATUS" alone never answers for a restricted case: whoever else reads the phone must name the reference.
    const latest = page.items.find((c) => !isRestricted(c.sensitivity));
    if (latest) {
      newest = latest.caseId;
      cases = new Map([[latest.caseId, latest]]);
    }
    if (state.restricted.length === 0) newest = newestAnnounced(state, latest) ?? newest;
  }
  const decision = decide(reading, { ...numberState(state, looked?.own ?? []), newest }, messageId);
  const caseId = decision.kind === 'status' ? decision.caseId : undefined;
  const outcome = { kind: 'status', ...(caseId ? { caseId } : {}) } as const;
  if (state.optedOut) return { outcome };
  const { language, script } = answerIn(reading, state);
  // A bare "?" from a number with no case it may be told about is asking how this works.
  if (!caseId)
    return { outcome, reply: render(reading.question ? 'help' : 'not_found', language, {}, script) };
  // A case announced a moment ago and not opened yet is new, and not yet classified as anything.
  const c = cases.get(caseId);
  return { outcome, reply: statusReply(c ?? { reference: caseId, status: 'new' }, language, script) };
}

/** The reference of the number's newest message still pending on its item, when it is newer than its newest case. */
function newestAnnounced(state: SenderState, latest: Case | undefined): string | undefined {
  let best: { at: string; sid: string } | undefined;
  for (const sid of state.inbox.keys()) {
    const entry = inboxEntry(state, sid);
    if (!entry || isOutcome(entry)) continue;
    if (!best || entry.at > best.at) best = { at: entry.at, sid };
  }
  if (!best || (latest && latest.receivedAt >= best.at)) return undefined;
  return referenceFor(best.sid, 0);
}

/**
 * Stores a message at once, without the number's item as a go-between: read the number's state, then open or
 * join as the inbox worker would.
 */
async function receiveDirect(
  deps: SmsIntakeDeps,
  messageId: string,
  message: PendingMessage,
  phoneHash: string | undefined,
): Promise<SmsResult> {
  const state = senderState(
    phoneHash ? await deps.db.get(deps.tableName, senderKey(phoneHash), true) : undefined,
  );
  const outcome = await carryOut(deps, {
    messageSid: messageId,
    phoneHash,
    message,
    before: stateBefore(state, messageId),
  });
  return {
    outcome: { kind: 'stored', outcome },
    reply: answerFor(state, readingOf(message), answeredWith(outcome)),
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
 * onto the case it joins. Idempotent on the message id, so a redelivered stream record does nothing twice.
 * `redrawn` is set when the reference the webhook announced was already taken and the case got the next one.
 */
export async function carryOut(
  deps: SmsIntakeDeps,
  inbound: InboundToCarryOut,
): Promise<MessageOutcome & { redrawn?: boolean }> {
  const { cases, protector } = deps;
  const { messageSid, phoneHash, message, before } = inbound;
  const reading = readingOf(message);
  const decision = decideStored(reading, before, message.own, messageSid);
  const language = answerLanguage(reading, before.lang);
  const at = deps.now().toISOString();
  const standing = budgetStanding(before, message.at);
  const budget = standing === 'within' ? {} : { budget: standing };

  if (decision.kind === 'join') {
    // A case may have started waiting since this message first opened one of its own: that stays as it was.
    const opened = await cases.findIdempotent(messageSid);
    if (opened) return { at, kind: 'opened', caseId: opened.caseId, ...budget };
    try {
      return { ...(await join(deps, decision, messageSid, message, reading, at, standing)), ...budget };
    } catch (err) {
      // The case is gone: the message opens a case of its own.
      if (!(err instanceof CaseNotFoundError)) throw err;
    }
  }

  const earlier = phoneHash ? (await cases.listByPhoneHash(phoneHash, { limit: MAX_LINKED + 1 })).items : [];
  // A redelivered record finds the case it opened the first time among the number's cases: not a link.
  const others = earlier.filter((c) => c.idempotencyKey !== messageSid);
  if (standing !== 'within') {
    // Past the budget: onto the number's open case (its restricted one first, so nothing leaves its focal points);
    // only a number with no open case left gets one opened, unanswered.
    const open = others.find(holdsFollowUps) ?? others.find((c) => c.status !== 'closed' && !c.redactedAt);
    // A redelivered record whose first run found no open case, and opened one, keeps that case.
    const opened = open ? await cases.findIdempotent(messageSid) : undefined;
    if (opened) return { at, kind: 'opened', caseId: opened.caseId, ...budget };
    if (open) {
      const onto = { kind: 'join', caseId: open.caseId, because: 'budget' } as const;
      try {
        return { ...(await join(deps, onto, messageSid, message, reading, at, standing)), ...budget };
      } catch (err) {
        if (!(err instanceof CaseNotFoundError)) throw err;
      }
    }
  }
  const phone = message.phone ? protector.decrypt(message.phone) : undefined;
  // The number's restricted case became restricted after the webhook read the number's item: the message cannot join
  // it (its answer named a new reference), so it opens a restricted case beside it, for the same focal points to
  // review, rather than one that officers could read.
  const besideRestricted = others.some(holdsFollowUps);
  const { case: opened } = await cases.create({
    channel: 'sms',
    transport: message.transport,
    ...(message.to ? { receivedOn: message.to } : {}),
    idempotencyKey: messageSid,
    narrative: message.body,
    language,
    receivedAt: message.at,
    ...(besideRestricted ? { sensitivity: 'S2' as const } : {}),
    // Texting in asks for an answer on that number, unless the number has opted out of messages.
    consentToFollowUp: phone !== undefined && !before.optedOut,
    ...(phone ? { phone } : {}),
    mediaUrls: message.media,
    linkedCaseIds: others.map((c) => c.caseId).slice(0, MAX_LINKED),
    createdBy: complainant,
  });
  return {
    at,
    kind: 'opened',
    caseId: opened.caseId,
    ...budget,
    ...(decision.kind === 'open' && opened.reference !== decision.reference ? { redrawn: true } : {}),
  };
}

/**
 * A reply to staff's request for more information hands the case back to them (shared/cases/clock.ts). The clock's
 * code, the calendar and the gazetteer are loaded only when the case joined is waiting on such an answer, not for
 * every message the webhook and the inbox worker handle.
 */
async function replyClock(deps: SmsIntakeDeps, caseId: string, at: string) {
  const waiting = await deps.cases.get(caseId);
  if (!waiting || !answersRequest(waiting, at)) return undefined;
  const [{ loadClockConfig, resumeOnReply }, { makeConfigStore }] = await Promise.all([
    import('../cases/clock.ts'),
    import('../config/config-store.ts'),
  ]);
  const cfg = await loadClockConfig(
    makeConfigStore({ db: deps.db, tableName: deps.tableName, now: deps.now }),
  );
  return (c: Case) => resumeOnReply(c, at, complainant, cfg);
}

async function join(
  deps: SmsIntakeDeps,
  decision: Extract<CaseDecision, { kind: 'join' }> | { kind: 'join'; caseId: string; because: 'budget' },
  messageSid: string,
  message: PendingMessage,
  reading: MessageReading,
  at: string,
  standing: BudgetStanding,
): Promise<MessageOutcome> {
  const { cases } = deps;
  const satisfaction = decision.because === 'satisfaction' ? reading.satisfaction : undefined;
  const resume = await replyClock(deps, decision.caseId, message.at);
  const result = await cases.mutate(
    decision.caseId,
    undefined,
    (current) => {
      let next: Case = { ...current, lastMessageInAt: message.at };
      // Only a resolved case's question takes the answer: one reopened or asking for more information since
      // reads the "1" as what the person wrote.
      const recorded =
        current.waitingOn === 'complainant' && current.status === 'resolved' ? satisfaction : undefined;
      const events: EventDraft[] = [
        {
          type: 'message_in',
          actor: complainant,
          at: message.at,
          data: {
            channel: 'sms',
            transport: message.transport,
            messageSid,
            characters: message.body.length,
            media: message.media.length,
            joined: decision.because,
            // Past the number's budget: the focal points are alerted to the first such message only.
            ...(standing === 'within' ? {} : { budget: standing }),
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
        const resumed = resume?.(next);
        if (resumed) {
          next = resumed.next;
          events.push(...resumed.events);
        }
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
    ...(decision.because === 'restricted' ? { restricted: true } : {}),
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
  outcome: MessageOutcome,
  current: SenderState,
): Promise<void> {
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
      UpdateExpression: `SET #in = :outcome, entity = :entity${expired.length ? ` REMOVE ${expired.map((_, i) => `#x${i}`).join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(#in)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':outcome': encodeEntry(outcome), ':entity': 'sender' },
    });
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
  }
}
