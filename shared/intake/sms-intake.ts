/**
 * Inbound SMS: store first, answer at once. A message becomes a new case (linked to the number's earlier cases),
 * or joins the number's case that is waiting on the complainant, or is a STOP / START / HELP keyword. Twilio
 * retries a webhook that answers slowly, so everything here is keyed on the MessageSid: a repeat gets the same
 * answer and writes nothing.
 *
 * Classification is left to the router (after the write commits); only the language is detected here, because
 * the reply must be in it.
 */
import type { DynamoDb } from '../aws/dynamodb.ts';
import { caseKeys } from '../cases/case-keys.ts';
import type { Case } from '../cases/case-schema.ts';
import type { CaseStore, EventDraft } from '../cases/case-store.ts';
import { detectLanguage } from '../classification/language.ts';
import type { Language } from '../classification/taxonomy.ts';
import { type Keyword, parseKeyword, parseSatisfaction, type Satisfaction } from '../messages/keywords.ts';
import { render } from '../messages/templates.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import { appendNarrative } from './narrative.ts';
import { optOutKey, setOptedOut } from './opt-out.ts';
import { e164OrUndefined, type InboundSms } from './twilio-forms.ts';

export interface SmsIntakeDeps {
  cases: CaseStore;
  db: DynamoDb;
  tableName: string;
  protector: PersonalDataProtector;
  now: () => Date;
}

export type SmsOutcome =
  | { kind: 'opened'; case: Case; linked: number }
  | { kind: 'repeat'; case: Case }
  | { kind: 'joined'; case: Case; satisfaction?: Satisfaction }
  | { kind: 'keyword'; keyword: Keyword };

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
 * or a photo without text says nothing about the language; the case or the number's last case does).
 */
export function replyLanguage(text: string, fallback: Language): Language {
  const guess = detectLanguage(text);
  return guess.confidence > 0 ? guess.language : fallback;
}

/** The newest of the number's cases that is waiting on the complainant, if any. */
export const waitingCase = (cases: readonly Case[]): Case | undefined =>
  cases.find((c) => c.waitingOn === 'complainant' && !c.redactedAt);

/**
 * What is known about the sender before deciding: whether this MessageSid was already threaded onto a case (the
 * marker a join writes; a message that opened a case needs none, as the store's create is idempotent on the
 * MessageSid itself) and whether the number opted out. Both in one strongly consistent BatchGetItem.
 */
async function senderState(
  db: DynamoDb,
  tableName: string,
  messageSid: string,
  phoneHash: string | undefined,
): Promise<{ joinedCaseId?: string; optedOut: boolean }> {
  const marker = caseKeys.idempotency(messageSid);
  const keys = [marker, ...(phoneHash ? [optOutKey(phoneHash)] : [])];
  const found = await db.batchGet(tableName, keys, true);
  const joined = found.find((it) => it.pk === marker.pk && it.sk === marker.sk);
  const optOut = phoneHash ? found.find((it) => it.pk === optOutKey(phoneHash).pk) : undefined;
  return {
    ...(typeof joined?.caseId === 'string' ? { joinedCaseId: joined.caseId } : {}),
    optedOut: optOut?.optedOut === true,
  };
}

/** The answer to a repeated delivery: what the first delivery answered. */
function repeatReply(sms: InboundSms, previous: Case, joined: boolean): string {
  const language = replyLanguage(sms.body, previous.language);
  return joined && parseSatisfaction(sms.body) !== undefined
    ? render('thanks', language, {})
    : render('received', language, { ref: previous.reference });
}

/** Handles one inbound SMS; safe to call again, and concurrently, with the same MessageSid. */
export async function receiveSms(deps: SmsIntakeDeps, sms: InboundSms): Promise<SmsResult> {
  const { cases, db, tableName, protector } = deps;
  const phone = e164OrUndefined(sms.from);
  const phoneHash = phone ? protector.hashPhone(phone) : undefined;
  // Two independent requests in parallel: one round trip of latency before anything is decided.
  const [{ joinedCaseId: joinedId, optedOut }, earlier] = await Promise.all([
    senderState(db, tableName, sms.messageSid, phoneHash),
    phoneHash
      ? cases.listByPhoneHash(phoneHash, { limit: MAX_LINKED })
      : Promise.resolve({ items: [] as Case[] }),
  ]);
  const answer = (text: string): string | undefined => (optedOut ? undefined : text);

  if (joinedId) {
    const previous = await cases.mustGet(joinedId);
    return { outcome: { kind: 'repeat', case: previous }, reply: answer(repeatReply(sms, previous, true)) };
  }

  const keyword = parseKeyword(sms.body);
  if (keyword) {
    const language = replyLanguage(sms.body, earlier.items[0]?.language ?? 'ar');
    const at = deps.now().toISOString();
    if (keyword === 'stop') {
      if (phoneHash && !optedOut) await setOptedOut(db, tableName, phoneHash, true, at);
      // The confirmation is the last message the number gets (a repeated STOP, or Twilio's retry, gets it again).
      return { outcome: { kind: 'keyword', keyword }, reply: render('stopped', language, {}) };
    }
    if (keyword === 'start') {
      if (phoneHash && optedOut) await setOptedOut(db, tableName, phoneHash, false, at);
      return { outcome: { kind: 'keyword', keyword }, reply: render('started', language, {}) };
    }
    return { outcome: { kind: 'keyword', keyword }, reply: answer(render('help', language, {})) };
  }

  const waiting = waitingCase(earlier.items);
  if (waiting) {
    // A case may have started waiting since this message first opened one of its own: that stays a repeat.
    const opened = await cases.findIdempotent(sms.messageSid);
    if (opened)
      return { outcome: { kind: 'repeat', case: opened }, reply: answer(repeatReply(sms, opened, false)) };
    const satisfaction = parseSatisfaction(sms.body);
    const result = await cases.mutate(
      waiting.caseId,
      undefined,
      (current) => {
        const next: Case = { ...current };
        const recorded = current.waitingOn === 'complainant' ? satisfaction : undefined;
        const events: EventDraft[] = [
          {
            type: 'message_in',
            actor: complainant,
            data: {
              channel: 'sms',
              messageSid: sms.messageSid,
              characters: sms.body.length,
              media: sms.mediaUrls.length,
            },
          },
        ];
        if (recorded) {
          // What follows (closing, or reopening after "not satisfied") is the case workflow's, on the stream.
          delete next.waitingOn;
          next.satisfaction = recorded;
          events.push({
            type: 'satisfaction',
            actor: complainant,
            data: { answer: recorded, channel: 'sms' },
          });
        } else {
          next.narrative = appendNarrative(current.narrative, sms.body);
          next.mediaUrls = [...new Set([...current.mediaUrls, ...sms.mediaUrls])].slice(0, MEDIA_LIMIT);
        }
        return { next, events };
      },
      { idempotencyKey: sms.messageSid },
    );
    const joined = result.case;
    const language = replyLanguage(sms.body, joined.language);
    const recorded = result.events.some((e) => e.type === 'satisfaction');
    return {
      outcome: recorded
        ? { kind: 'joined', case: joined, satisfaction: satisfaction as Satisfaction }
        : { kind: 'joined', case: joined },
      reply: answer(
        recorded || (result.duplicate && satisfaction)
          ? render('thanks', language, {})
          : render('received', language, { ref: joined.reference }),
      ),
    };
  }

  const language = replyLanguage(sms.body, earlier.items[0]?.language ?? 'ar');
  const linkedCaseIds = earlier.items.map((c) => c.caseId);
  const { case: opened, created } = await cases.create({
    channel: 'sms',
    idempotencyKey: sms.messageSid,
    narrative: sms.body,
    language,
    // Texting in asks for an answer on that number, unless the number has opted out of messages.
    consentToFollowUp: phone !== undefined && !optedOut,
    ...(phone ? { phone } : {}),
    mediaUrls: sms.mediaUrls,
    linkedCaseIds,
    createdBy: complainant,
  });
  return {
    outcome: created
      ? { kind: 'opened', case: opened, linked: linkedCaseIds.length }
      : { kind: 'repeat', case: opened },
    reply: answer(render('received', opened.language, { ref: opened.reference })),
  };
}
