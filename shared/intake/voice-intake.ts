/**
 * The hotline's use-case: runs one IVR step (the menu logic is in ivr.ts), records its effects on the call's case,
 * and records Twilio's recording and transcription callbacks. One call is one case, keyed on the CallSid; every
 * write is idempotent, so Twilio may repeat any request.
 */

import type { Calendar } from '../calendar/calendar-schema.ts';
import { isOfficeHours } from '../calendar/working-time.ts';
import type { Case, NewCaseInput } from '../cases/case-schema.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { Language } from '../classification/taxonomy.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import {
  decide,
  type Effect,
  IvrState,
  isIvrStep,
  readsReference,
  type Screen,
  startCall,
  TOPIC_CLASSIFICATION,
  type Topic,
} from './ivr.ts';
import { appendNarrative } from './narrative.ts';
import { statusNotice } from './status-request.ts';
import { e164OrUndefined, type VoiceRequest } from './twilio-forms.ts';

export interface VoiceIntakeDeps {
  cases: CaseStore;
  calendar: Calendar;
  /** Finds the caller's own cases for "check a case" (by the keyed hash of the number). */
  protector: Pick<PersonalDataProtector, 'hashPhone'>;
  now: () => Date;
}

/** A request to the IVR that cannot be answered from its URL: the caller hears an apology and the call ends. */
export class IvrStepError extends DomainError {
  constructor(
    readonly status: 404 | 400,
    readonly code: 'IVR.UNKNOWN_STEP' | 'IVR.INVALID_STATE',
    /** The language to apologise in, when the URL named one. */
    readonly language: Language,
  ) {
    super(status === 404 ? 'No such IVR step.' : 'The IVR step is missing part of its state.');
  }
}

export interface VoiceAnswer {
  screen: Screen;
  /** The call's case, once there is one (or the case the caller checked on). */
  case?: Case;
}

/** The keypad's letters (ITU E.161), for the letters of the reference alphabet. */
const KEYPAD: Readonly<Record<string, string>> = Object.fromEntries(
  ['ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQRS', 'TUV', 'WXYZ'].flatMap((letters, i) =>
    [...letters].map((letter) => [letter, String(i + 2)]),
  ),
);

/** The keys a caller presses for a reference: a digit is its own key, a letter the key that carries it. */
export const keypadDigits = (reference: string): string =>
  [...reference.replace(/-/g, '')].map((c) => (/[2-9]/.test(c) ? c : (KEYPAD[c] ?? ''))).join('');

/** How many of the caller's cases "check a case" looks through, newest first. */
const CHECKABLE_CASES = 100;

/**
 * The caller's case whose reference the keyed digits spell, if any.
 *
 * Why the caller's own cases, and not a numeric code per case: a reference's letters share keys (K and L are
 * both 5), so eight keys stand for about 4^8 different references and cannot name one case among all of them.
 * Among one number's cases, found through the keyed phone hash index the SMS intake already uses, two references
 * with the same keys are as good as impossible, so the keys name the case unambiguously; and looking only there
 * means a caller can learn nothing about anyone else's case. A numeric code would have been one more thing to hand
 * out, store and index on every channel, for no gain to the person, who has only ever been given the reference.
 * The price: a caller whose number is withheld, or who calls from another phone, cannot check by phone (they hear
 * "not found", and can text the reference instead).
 */
async function findByKeys(
  deps: VoiceIntakeDeps,
  phone: string | undefined,
  digits: string | undefined,
): Promise<Case | undefined> {
  if (!phone || !digits || !/^[2-9]{8}$/.test(digits)) return undefined;
  const { items } = await deps.cases.listByPhoneHash(deps.protector.hashPhone(phone), {
    limit: CHECKABLE_CASES,
  });
  return items.find((c) => keypadDigits(c.reference) === digits);
}

const complainant = { kind: 'complainant' } as const;
const twilioSystem = { kind: 'system', id: 'twilio' } as const;

/** The case a call opens: what the caller chose, the number (encrypted by the store), nothing else yet. */
export function voiceCaseInput(
  call: { callSid: string; phone?: string },
  language: Language,
  topic: Topic | undefined,
): NewCaseInput {
  const chosen = topic ? TOPIC_CLASSIFICATION[topic] : undefined;
  return {
    channel: 'voice',
    idempotencyKey: call.callSid,
    // The voice message, once transcribed, becomes the narrative.
    narrative: '',
    language,
    type: chosen?.type ?? 'incomplete',
    category: chosen?.category ?? null,
    sensitivity: chosen?.sensitivity ?? 'S0',
    urgency: chosen?.urgency ?? 'none',
    classification: chosen
      ? { source: 'person', evidence: [`ivr:${topic}`], changedByOfficer: false }
      : { source: 'pending', evidence: [], changedByOfficer: false },
    // A hotline caller expects an answer; but no automatic SMS goes to the phone of someone reporting abuse (it may
    // not be theirs alone): the PSEA focal point calls back.
    consentToFollowUp: call.phone !== undefined && topic !== 'abuse',
    ...(call.phone ? { phone: call.phone } : {}),
    createdBy: complainant,
  };
}

/** Applies a step's effects in order; returns the call's case when one was opened (or found again). */
async function apply(
  deps: VoiceIntakeDeps,
  call: { callSid: string; phone?: string },
  effects: Effect[],
  closed: boolean,
): Promise<Case | undefined> {
  let opened: Case | undefined;
  for (const effect of effects) {
    if (effect.kind === 'open_case') {
      opened = (await deps.cases.create(voiceCaseInput(call, effect.language, effect.topic))).case;
      continue;
    }
    if (!opened) throw new Error('IVR.CALLBACK_WITHOUT_CASE: a callback effect must follow open_case');
    // One callback request per call: the first reason recorded stands.
    await deps.cases.appendEventOnce(
      opened.caseId,
      {
        type: 'callback_requested',
        actor: complainant,
        data: {
          channel: 'voice',
          urgent: effect.urgent,
          reason: effect.reason,
          reachable: call.phone !== undefined,
          outsideOfficeHours: closed,
        },
      },
      `CALLBACK#${call.callSid}`,
    );
  }
  return opened;
}

/** The first request of a call (`POST /webhooks/twilio/voice`). */
export const answerCall = (): VoiceAnswer => ({ screen: startCall().screen });

/** The state in a step's query string, or an {@link IvrStepError}. */
export function parseState(query: Record<string, string>): IvrState {
  const parsed = IvrState.safeParse(query);
  if (!parsed.success) throw new IvrStepError(400, 'IVR.INVALID_STATE', 'ar');
  return parsed.data;
}

/** One menu step (`POST /webhooks/twilio/voice/<step>`). */
export async function runStep(
  deps: VoiceIntakeDeps,
  step: string,
  query: Record<string, string>,
  form: VoiceRequest,
): Promise<VoiceAnswer> {
  const language = IvrState.shape.l.safeParse(query.l).data ?? 'ar';
  if (!isIvrStep(step)) throw new IvrStepError(404, 'IVR.UNKNOWN_STEP', language);
  const state = parseState(query);
  const phone = e164OrUndefined(form.From);
  const call = { callSid: form.CallSid, ...(phone ? { phone } : {}) };

  if (step === 'recording') {
    await recordRecording(deps, form);
    return { screen: { kind: 'none' } };
  }
  if (step === 'transcription') {
    await recordTranscription(deps, form);
    return { screen: { kind: 'none' } };
  }

  const closed = !isOfficeHours(deps.calendar, deps.now());
  const checked = step === 'status' ? await findByKeys(deps, phone, form.Digits) : undefined;
  const decision = decide(step, {
    digits: form.Digits,
    state,
    closed,
    reachable: phone !== undefined,
    recordingDuration: form.RecordingDuration,
    ...(step === 'status' ? { found: checked ? { notice: statusNotice(checked) } : null } : {}),
  });
  if (decision.screen.kind === 'unknown_step') throw new IvrStepError(400, 'IVR.INVALID_STATE', language);
  const opened = (await apply(deps, call, decision.effects, closed)) ?? checked;
  if (readsReference(decision.screen) && !opened)
    throw new Error('IVR.NO_CASE: the screen reads a reference');
  return { screen: decision.screen, ...(opened ? { case: opened } : {}) };
}

/** What became of a callback Twilio made about a call. */
export type CallbackOutcome = 'recorded' | 'repeat' | 'unknown_call' | 'ignored';

/**
 * Twilio's recording-status callback: a finished recording's URL joins the case's media and a `recording` event
 * records it; an absent or failed recording is recorded as such. Idempotent on RecordingSid and status.
 */
export async function recordRecording(deps: VoiceIntakeDeps, form: VoiceRequest): Promise<CallbackOutcome> {
  if (!form.RecordingSid || !form.RecordingStatus || form.RecordingStatus === 'in-progress') return 'ignored';
  const c = await deps.cases.findIdempotent(form.CallSid);
  if (!c) return 'unknown_call';
  const key = `RECORDING#${form.RecordingSid}#${form.RecordingStatus}`;
  const data = {
    recordingSid: form.RecordingSid,
    status: form.RecordingStatus,
    ...(form.RecordingDuration !== undefined ? { durationSeconds: form.RecordingDuration } : {}),
  };
  const url = form.RecordingUrl;
  if (form.RecordingStatus === 'completed' && url) {
    const result = await deps.cases.mutate(
      c.caseId,
      undefined,
      (current) => ({
        next: { ...current, mediaUrls: [...new Set([...current.mediaUrls, url])].slice(0, 10) },
        events: [{ type: 'recording', actor: complainant, data: { ...data, url } }],
      }),
      { idempotencyKey: key },
    );
    return result.duplicate ? 'repeat' : 'recorded';
  }
  const result = await deps.cases.appendEventOnce(
    c.caseId,
    { type: 'recording', actor: twilioSystem, data },
    key,
  );
  return result.duplicate ? 'repeat' : 'recorded';
}

/**
 * Twilio's transcription callback: the text joins the case narrative (where personal text belongs; the event
 * only says that it happened). Idempotent on TranscriptionSid.
 */
export async function recordTranscription(
  deps: VoiceIntakeDeps,
  form: VoiceRequest,
): Promise<CallbackOutcome> {
  if (!form.TranscriptionSid || !form.TranscriptionStatus) return 'ignored';
  const c = await deps.cases.findIdempotent(form.CallSid);
  if (!c) return 'unknown_call';
  const text = form.TranscriptionStatus === 'completed' ? (form.TranscriptionText ?? '').trim() : '';
  const result = await deps.cases.mutate(
    c.caseId,
    undefined,
    (current) => ({
      next: { ...current, narrative: appendNarrative(current.narrative, text) },
      events: [
        {
          type: 'transcription',
          actor: twilioSystem,
          data: {
            transcriptionSid: form.TranscriptionSid,
            ...(form.RecordingSid ? { recordingSid: form.RecordingSid } : {}),
            status: form.TranscriptionStatus,
            characters: text.length,
          },
        },
      ],
    }),
    { idempotencyKey: `TRANSCRIPTION#${form.TranscriptionSid}` },
  );
  return result.duplicate ? 'repeat' : 'recorded';
}
