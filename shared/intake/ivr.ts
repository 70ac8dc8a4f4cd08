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
 * ```
 *
 * {@link decide} returns what to say next (a {@link Screen}, rendered to TwiML elsewhere) and what to record first
 * (the {@link Effect}s, applied idempotently on the CallSid by the voice use-case).
 */
import * as z from 'zod';
import type { FeedbackType, Language, Sensitivity, Urgency } from '../classification/taxonomy.ts';
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

export const IVR_STEPS = [
  'language',
  'topic',
  'action',
  'recorded',
  'status',
  'recording',
  'transcription',
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

export type Notice = 'invalid' | 'no_input' | 'not_found';
export type CallbackReason = 'asked' | 'abuse_report' | 'no_choice' | 'empty_recording';

export type Screen =
  | { kind: 'language_menu'; attempt: number; notice?: Notice }
  | { kind: 'topic_menu'; language: Language; attempt: number; notice?: Notice; closed: boolean }
  | { kind: 'action_menu'; language: Language; topic: Topic; attempt: number; notice?: Notice }
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
  | { kind: 'request_callback'; urgent: boolean; reason: CallbackReason };

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
}

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
        screen: { kind: 'action_menu', language, topic, attempt: 0 },
        effects: [{ kind: 'open_case', language, topic }],
      };
    }
    case 'action': {
      if (!state.l || !state.t) return { screen: { kind: 'unknown_step', language }, effects: [] };
      const topic = state.t;
      const picked = choice(input.digits, 2);
      if (picked === undefined) {
        return retry(input, language, topic, (attempt, notice) => ({
          kind: 'action_menu',
          language,
          topic,
          attempt,
          notice,
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
      return { screen: { kind: 'none' }, effects: [] };
  }
}

/** Whether a screen reads the case reference (and so needs the case opened, or found, first). */
export const readsReference = (screen: Screen): boolean =>
  screen.kind === 'recorded' ||
  screen.kind === 'status_result' ||
  screen.kind === 'callback' ||
  screen.kind === 'give_up' ||
  (screen.kind === 'record' && screen.topic === 'abuse');
