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
import { gendersOnDuty, operatorsToDial, type RosterOperator } from '../roster/roster.ts';
import {
  type DialTarget,
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
  /** The hotline roster as it stands (read at the steps that offer or place a live call). */
  roster: () => Promise<RosterOperator[]>;
}

/** The steps whose answer depends on who is on duty. */
const ROSTER_STEPS = new Set(['topic', 'action', 'gender', 'consent']);

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
  call: { callSid: string; phone?: string; to?: string },
  language: Language,
  topic: Topic | undefined,
): NewCaseInput {
  const chosen = topic ? TOPIC_CLASSIFICATION[topic] : undefined;
  return {
    channel: 'voice',
    idempotencyKey: call.callSid,
    // The number dialled may be an agency's own (shared/agencies).
    ...(call.to ? { receivedOn: call.to } : {}),
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
  call: { callSid: string; phone?: string; to?: string },
  effects: Effect[],
  closed: boolean,
  roster: readonly RosterOperator[],
): Promise<Case | undefined> {
  let opened: Case | undefined;
  for (const effect of effects) {
    if (effect.kind === 'open_case') {
      opened = (await deps.cases.create(voiceCaseInput(call, effect.language, effect.topic))).case;
      continue;
    }
    if (!opened) throw new Error('IVR.EFFECT_WITHOUT_CASE: a case effect must follow open_case');
    if (effect.kind === 'live_dial') {
      opened = await recordDial(deps, opened, call.callSid, effect, roster);
      continue;
    }
    if (effect.kind === 'live_outcome') {
      opened = await recordDialOutcome(deps, opened, call.callSid, effect);
      continue;
    }
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

/** Records that the call is being put through: who is rung (ids), the gender asked for, the answer on recording. */
async function recordDial(
  deps: VoiceIntakeDeps,
  c: Case,
  callSid: string,
  effect: Extract<Effect, { kind: 'live_dial' }>,
  roster: readonly RosterOperator[],
): Promise<Case> {
  const userIds = [
    ...new Set(effect.operatorIds.flatMap((id) => roster.find((o) => o.operatorId === id)?.userId ?? [])),
  ];
  const result = await deps.cases.mutate(
    c.caseId,
    undefined,
    (current, at) => ({
      next: {
        ...current,
        liveCall: {
          dialledAt: at,
          operatorIds: effect.operatorIds,
          operatorUserIds: userIds,
          ...(effect.gender ? { gender: effect.gender } : {}),
          recordingConsent: effect.record,
          outcome: 'dialling',
        },
      },
      events: [
        {
          type: 'updated',
          actor: complainant,
          data: {
            kind: 'live_call_dialled',
            operatorIds: effect.operatorIds,
            gender: effect.gender ?? null,
            recordingConsent: effect.record,
          },
        },
      ],
    }),
    { idempotencyKey: `LIVE#${callSid}#dial` },
  );
  return result.case;
}

/**
 * Records how the dial ended. An answered call becomes a hotline call (a person took it) that waits for the
 * operator to complete it in the console; a missed one stays an IVR call, and the caller goes on to the fallback.
 */
async function recordDialOutcome(
  deps: VoiceIntakeDeps,
  c: Case,
  callSid: string,
  effect: Extract<Effect, { kind: 'live_outcome' }>,
): Promise<Case> {
  const answered = effect.status === 'completed' || effect.status === 'answered';
  const result = await deps.cases.mutate(
    c.caseId,
    undefined,
    (current) => {
      if (!current.liveCall) return undefined;
      return {
        next: {
          ...current,
          ...(answered ? { channel: 'hotline' as const } : {}),
          liveCall: {
            ...current.liveCall,
            outcome: effect.status,
            ...(effect.durationSeconds !== undefined ? { durationSeconds: effect.durationSeconds } : {}),
          },
        },
        events: [
          {
            type: 'updated',
            actor: twilioSystem,
            data: {
              kind: 'live_call_outcome',
              outcome: effect.status,
              ...(effect.durationSeconds !== undefined ? { durationSeconds: effect.durationSeconds } : {}),
            },
          },
        ],
      };
    },
    { idempotencyKey: `LIVE#${callSid}#outcome` },
  );
  return result.case;
}

/**
 * A rung operator's status callback (`answered`): the call waits in that operator's console. The operator's leg is
 * its own call; the caller's call, and so the case, is its parent. Idempotent on the parent call.
 */
export async function recordAnswered(
  deps: VoiceIntakeDeps,
  form: VoiceRequest,
  operatorId: string | undefined,
): Promise<CallbackOutcome> {
  if (!form.ParentCallSid || !operatorId) return 'ignored';
  const c = await deps.cases.findIdempotent(form.ParentCallSid);
  if (!c?.liveCall) return 'unknown_call';
  const userId = (await deps.roster()).find((o) => o.operatorId === operatorId)?.userId;
  const result = await deps.cases.mutate(
    c.caseId,
    undefined,
    (current) => {
      if (!current.liveCall?.operatorIds.includes(operatorId)) return undefined;
      return {
        next: {
          ...current,
          liveCall: {
            ...current.liveCall,
            answeredBy: operatorId,
            ...(userId ? { answeredByUserId: userId } : {}),
          },
        },
        events: [{ type: 'updated', actor: twilioSystem, data: { kind: 'live_call_answered', operatorId } }],
      };
    },
    { idempotencyKey: `LIVE#${form.ParentCallSid}#answered` },
  );
  return result.duplicate ? 'repeat' : 'recorded';
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
  const call = { callSid: form.CallSid, ...(phone ? { phone } : {}), ...(form.To ? { to: form.To } : {}) };

  if (step === 'recording') {
    await recordRecording(deps, form);
    return { screen: { kind: 'none' } };
  }
  if (step === 'transcription') {
    await recordTranscription(deps, form);
    return { screen: { kind: 'none' } };
  }
  if (step === 'answered') {
    await recordAnswered(deps, form, state.o);
    return { screen: { kind: 'none' } };
  }

  const closed = !isOfficeHours(deps.calendar, deps.now());
  const roster = ROSTER_STEPS.has(step) ? await deps.roster() : [];
  const targets: DialTarget[] = operatorsToDial(roster, language, state.g).map((o) => ({
    operatorId: o.operatorId,
    ...(o.phone ? { phone: o.phone } : {}),
    ...(o.client ? { client: o.client } : {}),
  }));
  const checked = step === 'status' ? await findByKeys(deps, phone, form.Digits) : undefined;
  const decision = decide(step, {
    digits: form.Digits,
    state,
    closed,
    reachable: phone !== undefined,
    recordingDuration: form.RecordingDuration,
    ...(step === 'status' ? { found: checked ? { notice: statusNotice(checked) } : null } : {}),
    live: { genders: gendersOnDuty(roster, language), targets },
    ...(form.DialCallStatus
      ? {
          dial: {
            status: form.DialCallStatus,
            ...(form.DialCallDuration !== undefined ? { durationSeconds: form.DialCallDuration } : {}),
          },
        }
      : {}),
  });
  if (decision.screen.kind === 'unknown_step') throw new IvrStepError(400, 'IVR.INVALID_STATE', language);
  const opened = (await apply(deps, call, decision.effects, closed, roster)) ?? checked;
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
