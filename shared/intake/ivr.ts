/**
 * The hotline's menu as a pure state machine. Twilio posts to a step (`/webhooks/twilio/voice/<step>`) with the
 * keys pressed; the state travels in the step URL's query string (`l` language, `t` topic, `n` attempt), which
 * Twilio signs with the rest of the request, so a step needs no session store and is safe to repeat.
 *
 * ```
 * (call) ─▶ language menu ─1..4─▶ topic menu ─1..4─▶ [case opened] action menu ─1─▶ record ─▶ recorded (reference)
 *               │ no input /          │ 5 (abuse by an aid worker) ─▶ [S3 case, urgent callback] record (reference)
 *               │ invalid key,        │                                 └─2─▶ [callback] (reference)
 *               └── up to 3 tries ──▶ give up: [case opened, callback requested] (reference), goodbye
 *                                     │ 6 (check a case) ─▶ type the reference ─▶ its status, goodbye
 *                                                             │ not found / no input: again (3 tries), * back
 *
 * speak to a person (action menu, key 3; offered in office hours while the roster has someone on duty in the
 * caller's language):
 *   [gender menu: woman 1 / man 2 / whoever is free 3, only when both are on duty] ─▶ consent to recording
 *   (1 yes; anything else, or nothing, no) ─▶ <Dial> the matching on-duty operators ─▶ dialled (DialCallStatus):
 *   completed ─▶ reference, goodbye │ no-answer, busy, failed, canceled ─▶ apology, action menu without key 3
 *   (voice message or callback). Nobody on duty when the key is pressed ─▶ the same apology and menu.
 * ```
 *
 * {@link decide} returns what to say next (a {@link Screen}, rendered to TwiML elsewhere) and what to record first
 * (the {@link Effect}s, applied idempotently on the CallSid by the voice use-case).
 */
import * as z from 'zod';
import type { FeedbackType, Language, Sensitivity, Urgency } from '../classification/taxonomy.ts';
import { OPERATOR_GENDERS, type OperatorGender } from '../roster/roster.ts';
import type { StatusNotice } from './status-request.ts';

/** The language menu's keys, in the order they are offered. */
export const MENU_LANGUAGES = ['ar', 'ckb', 'kmr', 'en'] as const satisfies readonly Language[];
/** The topic menu's keys, in the order they are offered (key = index + 1). */
export const TOPICS = ['question', 'request', 'complaint', 'praise', 'abuse'] as const;
export type Topic = (typeof TOPICS)[number];
/** The topic menu's key for "check a case I already reported", after the topics. */
export const CHECK_KEY = String(TOPICS.length + 1);
/** At the reference prompt: back to the topic menu. */
export const BACK_KEY = '*';
/** Tries per menu: the first and two more after no input or a wrong key. */
export const MAX_ATTEMPTS = 3;
/** Longest voice message, in seconds. */
export const MAX_RECORDING_SECONDS = 120;

/** At the action menu: speak to a person (offered only in office hours with someone on duty). */
export const LIVE_KEY = '3';
/** Seconds the operators' phones ring before the dial gives up. */
export const DIAL_TIMEOUT_SECONDS = 25;

export const IVR_STEPS = [
  'language',
  'topic',
  'action',
  'recorded',
  'status',
  'recording',
  'transcription',
  'gender',
  'consent',
  'dialled',
  'answered',
] as const;
export type IvrStep = (typeof IVR_STEPS)[number];
export const isIvrStep = (step: string): step is IvrStep => (IVR_STEPS as readonly string[]).includes(step);

/** The state a step URL carries. Unknown query fields are ignored. */
export const IvrState = z.object({
  l: z.enum(MENU_LANGUAGES).optional(),
  t: z.enum(TOPICS).optional(),
  n: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_ATTEMPTS - 1)
    .default(0),
  /** The operator's gender the caller asked for (absent: whoever is free). */
  g: z.enum(OPERATOR_GENDERS).optional(),
  /** `1` once a live call was tried (or found nobody): the menu no longer offers it. */
  x: z.literal('1').optional(),
  /** At the dialled step: `1` when the caller consented to recording. */
  r: z.literal('1').optional(),
  /** At the answered step: the operator whose phone answered. */
  o: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .optional(),
});
export type IvrState = z.output<typeof IvrState>;

/** What the person's choice of topic says about the case: the person chose it, so it is not the classifier's. */
export interface TopicClassification {
  type: FeedbackType;
  category: 'C07' | null;
  sensitivity: Sensitivity;
  urgency: Urgency;
}

export const TOPIC_CLASSIFICATION: Readonly<Record<Topic, TopicClassification>> = {
  question: { type: 'question', category: null, sensitivity: 'S0', urgency: 'none' },
  request: { type: 'request', category: null, sensitivity: 'S0', urgency: 'none' },
  complaint: { type: 'complaint', category: null, sensitivity: 'S0', urgency: 'none' },
  praise: { type: 'praise', category: null, sensitivity: 'S0', urgency: 'none' },
  // Abuse or exploitation by an aid worker is sexual exploitation and abuse until a PSEA focal point says otherwise.
  abuse: { type: 'complaint', category: 'C07', sensitivity: 'S3', urgency: 'urgent' },
};

export type Notice = 'invalid' | 'no_input' | 'not_found' | 'live_unavailable' | 'live_missed';

/** Twilio's `DialCallStatus` at a `<Dial action>`. */
export const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialStatus = (typeof DIAL_STATUSES)[number];

/** Who a live call rings (decrypted numbers travel only into the TwiML, never into an effect or an event). */
export interface DialTarget {
  operatorId: string;
  phone?: string;
  client?: string;
}
export type CallbackReason = 'asked' | 'abuse_report' | 'no_choice' | 'empty_recording';

export type Screen =
  | { kind: 'language_menu'; attempt: number; notice?: Notice }
  | { kind: 'topic_menu'; language: Language; attempt: number; notice?: Notice; closed: boolean }
  /** `live`: key 3 (speak to a person) is offered; `tried`: it was tried already on this call. */
  | {
      kind: 'action_menu';
      language: Language;
      topic: Topic;
      attempt: number;
      notice?: Notice;
      live: boolean;
      tried?: boolean;
    }
  | { kind: 'gender_menu'; language: Language; topic: Topic; attempt: number; notice?: Notice }
  | { kind: 'consent_menu'; language: Language; topic: Topic; gender?: OperatorGender }
  | { kind: 'dial'; language: Language; topic: Topic; targets: DialTarget[]; record: boolean }
  /** After an answered live call: the reference and goodbye. */
  | { kind: 'live_done'; language: Language }
  /** `reachable`: the caller's number is shown, so the promised callback is possible. */
  | { kind: 'record'; language: Language; topic: Topic; reachable: boolean }
  | { kind: 'recorded'; language: Language }
  | { kind: 'callback'; language: Language; emptyRecording: boolean; reachable: boolean }
  | { kind: 'give_up'; language: Language; reachable: boolean }
  /** Asks for the reference on the keypad. */
  | { kind: 'status_entry'; language: Language; attempt: number; notice?: Notice }
  /** Reads the found case's reference and its status. */
  | { kind: 'status_result'; language: Language; notice: StatusNotice }
  /** No case found after the last try: a goodbye that says how else to ask. */
  | { kind: 'status_give_up'; language: Language }
  | { kind: 'unknown_step'; language: Language }
  /** The answer to a status or transcription callback: nothing to say. */
  | { kind: 'none' };

export type Effect =
  /** Opens the call's case (idempotent on the CallSid); `topic: undefined` is a call that never got that far. */
  | { kind: 'open_case'; language: Language; topic: Topic | undefined }
  | { kind: 'request_callback'; urgent: boolean; reason: CallbackReason }
  /** The call is put through: who is rung (ids only), the gender asked for, and the caller's answer on recording. */
  | { kind: 'live_dial'; operatorIds: string[]; gender?: OperatorGender; record: boolean }
  /** How the dial ended. */
  | { kind: 'live_outcome'; status: DialStatus; durationSeconds?: number };

export interface Decision {
  screen: Screen;
  effects: Effect[];
}

/** The keys pressed at a menu step, with the state from its URL; `closed` is true outside office hours. */
export interface StepInput {
  digits?: string;
  state: IvrState;
  closed: boolean;
  /** Whether the caller's number is shown (a withheld number cannot be called back). */
  reachable: boolean;
  /** Seconds recorded, from `<Record action>` (absent when nothing was recorded). */
  recordingDuration?: number;
  /**
   * At the `status` step: what the keyed reference found among the caller's own cases (the use-case looks it up
   * before deciding), or `null` for nothing found.
   */
  found?: { notice: StatusNotice } | null;
  /**
   * The roster as it stands for this caller (read by the use-case at the steps that need it): the genders on duty
   * in the caller's language, and the operators a dial now would ring (of the gender in the state, if any).
   */
  live?: { genders: readonly OperatorGender[]; targets: readonly DialTarget[] };
  /** At the dialled step: Twilio's `DialCallStatus` and `DialCallDuration`. */
  dial?: { status: DialStatus; durationSeconds?: number };
}

/** Whether the action menu offers a live call: office hours, someone on duty, not tried yet on this call. */
const liveOffered = (input: StepInput): boolean =>
  !input.closed && !input.state.x && (input.live?.genders.length ?? 0) > 0;

/**
 * Back to the action menu with "nobody is free", the live call no longer offered on this call: the office closed or
 * the last operator went off duty between the offer and the caller's key, or before the dial.
 */
const liveUnavailable = (language: Language, topic: Topic): Decision => ({
  screen: {
    kind: 'action_menu',
    language,
    topic,
    attempt: 0,
    notice: 'live_unavailable',
    live: false,
    tried: true,
  },
  effects: [],
});

/** The first answer of every call: greeting and language menu. */
export const startCall = (): Decision => ({ screen: { kind: 'language_menu', attempt: 0 }, effects: [] });

/** The key at a menu, as an index into its options (0-based), or undefined for anything else. */
function choice(digits: string | undefined, options: number): number | undefined {
  if (!digits || !/^[1-9]$/.test(digits)) return undefined;
  const n = Number(digits) - 1;
  return n < options ? n : undefined;
}

/**
 * After no input or a wrong key: the same menu again with an apology, or, once the tries are used up, a goodbye
 * with a callback request recorded on a case (a call that reached the hotline is never dropped without a trace).
 */
function retry(
  input: StepInput,
  language: Language,
  topic: Topic | undefined,
  again: (attempt: number, notice: Notice) => Screen,
): Decision {
  const notice: Notice = input.digits ? 'invalid' : 'no_input';
  const attempt = input.state.n + 1;
  if (attempt < MAX_ATTEMPTS) return { screen: again(attempt, notice), effects: [] };
  return {
    screen: { kind: 'give_up', language, reachable: input.reachable },
    effects: [
      { kind: 'open_case', language, topic },
      { kind: 'request_callback', urgent: topic === 'abuse', reason: 'no_choice' },
    ],
  };
}

/**
 * The next screen and the effects of one step. `recording` and `transcription` (Twilio's callbacks) are recorded
 * by the use-case itself and answer nothing.
 */
export function decide(step: IvrStep, input: StepInput): Decision {
  const { state } = input;
  // Before a language is chosen, apologies and the goodbye are in Arabic, the language most callers speak.
  const language: Language = state.l ?? 'ar';

  switch (step) {
    case 'language': {
      const picked = choice(input.digits, MENU_LANGUAGES.length);
      if (picked === undefined) {
        return retry(input, language, undefined, (attempt, notice) => ({
          kind: 'language_menu',
          attempt,
          notice,
        }));
      }
      const chosen = MENU_LANGUAGES[picked] as Language;
      return {
        screen: { kind: 'topic_menu', language: chosen, attempt: 0, closed: input.closed },
        effects: [],
      };
    }
    case 'topic': {
      if (!state.l) return { screen: { kind: 'unknown_step', language }, effects: [] };
      if (input.digits === CHECK_KEY) {
        return { screen: { kind: 'status_entry', language, attempt: 0 }, effects: [] };
      }
      const picked = choice(input.digits, TOPICS.length);
      if (picked === undefined) {
        return retry(input, language, undefined, (attempt, notice) => ({
          kind: 'topic_menu',
          language,
          attempt,
          notice,
          closed: input.closed,
        }));
      }
      const topic = TOPICS[picked] as Topic;
      if (topic === 'abuse') {
        return {
          screen: { kind: 'record', language, topic, reachable: input.reachable },
          effects: [
            { kind: 'open_case', language, topic },
            { kind: 'request_callback', urgent: true, reason: 'abuse_report' },
          ],
        };
      }
      return {
        screen: { kind: 'action_menu', language, topic, attempt: 0, live: liveOffered(input) },
        effects: [{ kind: 'open_case', language, topic }],
      };
    }
    case 'action': {
      if (!state.l || !state.t) return { screen: { kind: 'unknown_step', language }, effects: [] };
      const topic = state.t;
      const live = liveOffered(input);
      const tried = state.x === '1';
      if (input.digits === LIVE_KEY && !tried) {
        if (!live) {
          // Offered a moment ago, but the office closed or the last operator went off duty since.
          return liveUnavailable(language, topic);
        }
        if ((input.live?.genders.length ?? 0) > 1) {
          return { screen: { kind: 'gender_menu', language, topic, attempt: 0 }, effects: [] };
        }
        return { screen: { kind: 'consent_menu', language, topic }, effects: [] };
      }
      const picked = choice(input.digits, 2);
      if (picked === undefined) {
        return retry(input, language, topic, (attempt, notice) => ({
          kind: 'action_menu',
          language,
          topic,
          attempt,
          notice,
          live,
          tried,
        }));
      }
      if (picked === 0) {
        return {
          screen: { kind: 'record', language, topic, reachable: input.reachable },
          effects: [{ kind: 'open_case', language, topic }],
        };
      }
      return {
        screen: { kind: 'callback', language, emptyRecording: false, reachable: input.reachable },
        effects: [
          { kind: 'open_case', language, topic },
          { kind: 'request_callback', urgent: false, reason: 'asked' },
        ],
      };
    }
    case 'gender': {
      if (!state.l || !state.t) return { screen: { kind: 'unknown_step', language }, effects: [] };
      const topic = state.t;
      const picked = choice(input.digits, 3);
      if (picked === undefined) {
        return retry(input, language, topic, (attempt, notice) => ({
          kind: 'gender_menu',
          language,
          topic,
          attempt,
          notice,
        }));
      }
      const gender = OPERATOR_GENDERS[picked];
      return {
        screen: { kind: 'consent_menu', language, topic, ...(gender ? { gender } : {}) },
        effects: [],
      };
    }
    case 'consent': {
      if (!state.l || !state.t) return { screen: { kind: 'unknown_step', language }, effects: [] };
      const topic = state.t;
      // Nothing is recorded without a yes: no answer, or any other key, is a no.
      const record = input.digits === '1';
      const targets = input.live?.targets ?? [];
      if (input.closed || targets.length === 0) {
        return liveUnavailable(language, topic);
      }
      return {
        screen: { kind: 'dial', language, topic, targets: [...targets], record },
        effects: [
          { kind: 'open_case', language, topic },
          {
            kind: 'live_dial',
            operatorIds: targets.map((t) => t.operatorId),
            ...(state.g ? { gender: state.g } : {}),
            record,
          },
        ],
      };
    }
    case 'dialled': {
      if (!state.l || !state.t || !input.dial)
        return { screen: { kind: 'unknown_step', language }, effects: [] };
      const topic = state.t;
      const outcome: Effect = {
        kind: 'live_outcome',
        status: input.dial.status,
        ...(input.dial.durationSeconds !== undefined ? { durationSeconds: input.dial.durationSeconds } : {}),
      };
      if (input.dial.status === 'completed' || input.dial.status === 'answered') {
        return {
          screen: { kind: 'live_done', language },
          effects: [{ kind: 'open_case', language, topic }, outcome],
        };
      }
      // Nobody answered: the caller may still leave a voice message or ask for a callback, on the same case.
      return {
        screen: {
          kind: 'action_menu',
          language,
          topic,
          attempt: 0,
          notice: 'live_missed',
          live: false,
          tried: true,
        },
        effects: [{ kind: 'open_case', language, topic }, outcome],
      };
    }
    case 'recorded': {
      if (!state.l || !state.t) return { screen: { kind: 'unknown_step', language }, effects: [] };
      const topic = state.t;
      if ((input.recordingDuration ?? 0) > 0) {
        return { screen: { kind: 'recorded', language }, effects: [{ kind: 'open_case', language, topic }] };
      }
      // Nothing was said: the person still wanted to reach us, so a callback is requested instead.
      return {
        screen: { kind: 'callback', language, emptyRecording: true, reachable: input.reachable },
        effects: [
          { kind: 'open_case', language, topic },
          { kind: 'request_callback', urgent: topic === 'abuse', reason: 'empty_recording' },
        ],
      };
    }
    case 'status': {
      if (!state.l) return { screen: { kind: 'unknown_step', language }, effects: [] };
      if (input.digits?.includes(BACK_KEY)) {
        return { screen: { kind: 'topic_menu', language, attempt: 0, closed: input.closed }, effects: [] };
      }
      if (input.found)
        return { screen: { kind: 'status_result', language, notice: input.found.notice }, effects: [] };
      // Nothing typed, or nothing found: the same prompt again, saying why; after the last try, a goodbye. A status
      // check opens no case: the caller asked about one they already have.
      const attempt = state.n + 1;
      if (attempt >= MAX_ATTEMPTS) return { screen: { kind: 'status_give_up', language }, effects: [] };
      const notice: Notice = input.digits ? 'not_found' : 'no_input';
      return { screen: { kind: 'status_entry', language, attempt, notice }, effects: [] };
    }
    case 'recording':
    case 'transcription':
    case 'answered':
      return { screen: { kind: 'none' }, effects: [] };
  }
}

/** Whether a screen reads the case reference (and so needs the case opened, or found, first). */
export const readsReference = (screen: Screen): boolean =>
  screen.kind === 'recorded' ||
  screen.kind === 'status_result' ||
  screen.kind === 'callback' ||
  screen.kind === 'give_up' ||
  screen.kind === 'live_done' ||
  (screen.kind === 'record' && screen.topic === 'abuse');
