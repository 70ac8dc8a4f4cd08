/**
 * TwiML for the intake webhooks, built with the Twilio SDK's own `MessagingResponse` and `VoiceResponse` (loaded by
 * subpath: the rest of the SDK stays out of the bundle).
 */
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { Language } from '../classification/taxonomy.ts';
import type { PublicNumbers } from '../config/public-numbers.ts';
import {
  DIAL_TIMEOUT_SECONDS,
  type IvrState,
  type IvrStep,
  MAX_RECORDING_SECONDS,
  MENU_LANGUAGES,
  type Notice,
  type Screen,
} from './ivr.ts';
import type { IvrPrompts, Prompt, PromptId } from './ivr-prompts.ts';
import {
  dialledDigits,
  fillTemplate,
  isTemplateProblem,
  parseTemplate,
  spokenNumber,
  type TemplateNode,
} from './prompt-template.ts';
import type { StatusNotice } from './status-request.ts';

/** The answer to an inbound SMS: one `<Message>`, or an empty `<Response/>` when nothing is to be sent. */
export function smsTwiml(reply: string | undefined): string {
  const response = new MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}

export const VOICE_PATH = '/webhooks/twilio/voice';

/** The URL of an IVR step with its state; absolute, on the platform's public base URL, which Twilio signs over. */
export function stepUrl(publicBaseUrl: string, step: IvrStep, state: Partial<IvrState> = {}): string {
  const query = new URLSearchParams();
  if (state.l) query.set('l', state.l);
  if (state.t) query.set('t', state.t);
  if (state.n) query.set('n', String(state.n));
  if (state.g) query.set('g', state.g);
  if (state.x) query.set('x', state.x);
  if (state.r) query.set('r', state.r);
  if (state.o) query.set('o', state.o);
  const qs = query.toString();
  return `${publicBaseUrl.replace(/\/$/, '')}${VOICE_PATH}/${step}${qs ? `?${qs}` : ''}`;
}

export interface VoiceContext {
  prompts: IvrPrompts;
  publicBaseUrl: string;
  /** The call's case reference, for the screens that read it. */
  reference?: string;
  /** The deployment's public numbers, said where a prompt names them; none configured when absent. */
  numbers?: PublicNumbers;
}

/** What `<Say>`, `<Play>` and `<Pause>` can be nested in: the response itself or a `<Gather>`. */
interface Speaker {
  say(attributes: VoiceResponse.SayAttributes, message: string): unknown;
  play(attributes: VoiceResponse.PlayAttributes, url: string): unknown;
  pause(attributes: VoiceResponse.PauseAttributes): unknown;
}

const GATHER_TIMEOUT_SECONDS = 6;
/** Keys of a reference: eight, and time to find each letter on the keypad. */
const REFERENCE_KEYS = 8;
const REFERENCE_TIMEOUT_SECONDS = 10;

/** What the hotline says about a case's status. */
const STATUS_PROMPTS: Readonly<Record<StatusNotice, PromptId>> = {
  new: 'statusNew',
  working: 'statusWorking',
  referred: 'statusReferred',
  awaiting_answer: 'statusAwaitingAnswer',
  resolved: 'statusResolved',
  closed: 'statusClosed',
  restricted: 'statusRestricted',
};
// The prompts schema checks voices and language codes loosely; Twilio's list changes more often than the SDK's.
type SayVoiceName = NonNullable<VoiceResponse.SayAttributes['voice']>;
type SayLanguageCode = NonNullable<VoiceResponse.SayAttributes['language']>;

/** The reference as it is read aloud: one character at a time, with pauses ("K, 7, M, Q, 4, X, Z, 9"). */
export const spokenReference = (reference: string): string => [...reference.replace(/-/g, '')].join(', ');

/**
 * A prompt's template. Stored prompts were checked when they were saved; a default that somehow fails is said as
 * written rather than dropped, so the hotline keeps answering.
 */
function templateOf(source: string): TemplateNode[] {
  const nodes = parseTemplate(source);
  return isTemplateProblem(nodes) ? [{ text: source }] : nodes;
}

/** Renders a screen of the IVR as TwiML. */
export function voiceTwiml(screen: Screen, ctx: VoiceContext): string {
  const response = new VoiceResponse();
  const base = ctx.publicBaseUrl.replace(/\/$/, '');
  const audio = (url: string) => (url.startsWith('/') ? `${base}${url}` : url);

  const numbers = ctx.numbers ?? {};
  const voiceOf = (language: Language) => ({
    voice: ctx.prompts[language].say.voice as SayVoiceName,
    language: ctx.prompts[language].say.language as SayLanguageCode,
  });

  /** A public number in a recorded prompt: the language's digit recordings when it has them all, else said. */
  const readNumber = (target: Speaker, language: Language, number: string) => {
    const recordings = ctx.prompts[language].characters;
    const digits = [...dialledDigits(number)];
    if (recordings && digits.every((d) => recordings[d])) {
      for (const d of digits) target.play({}, audio(recordings[d] as string));
    } else {
      target.say(voiceOf(language), spokenNumber(number));
    }
  };

  const speak = (target: Speaker, language: Language, id: PromptId) => {
    const prompt: Prompt = ctx.prompts[language].prompts[id];
    if ('say' in prompt) {
      const text = fillTemplate(templateOf(prompt.say), numbers)
        .map((part) => ('text' in part ? part.text : spokenNumber(part.number)))
        .join('');
      if (text.trim()) target.say(voiceOf(language), text);
      return;
    }
    for (const part of fillTemplate(templateOf(prompt.play), numbers)) {
      if ('number' in part) readNumber(target, language, part.number);
      else for (const url of part.text.split(/\s+/).filter(Boolean)) target.play({}, audio(url));
    }
  };

  const readReference = (language: Language) => {
    const reference = ctx.reference;
    if (!reference) throw new Error('IVR.NO_REFERENCE: this screen reads the case reference');
    const set = ctx.prompts[language];
    const characters = [...reference.replace(/-/g, '')];
    const recordings = set.characters;
    const sayAll = () =>
      response.say(
        {
          voice: set.say.voice as SayVoiceName,
          language: set.say.language as SayLanguageCode,
        },
        spokenReference(reference),
      );
    const playAll = () => {
      for (const c of characters) response.play({}, audio(recordings?.[c] as string));
    };
    const read = recordings && characters.every((c) => recordings[c]) ? playAll : sayAll;
    speak(response, language, 'referenceIs');
    read();
    response.pause({ length: 1 });
    speak(response, language, 'referenceAgain');
    read();
  };

  const NOTICE_PROMPTS: Record<Notice, PromptId> = {
    invalid: 'invalidChoice',
    no_input: 'noInput',
    not_found: 'statusNotFound',
    live_unavailable: 'liveUnavailable',
    live_missed: 'liveMissed',
  };
  const notice = (language: Language, n: Notice | undefined) => {
    if (n) speak(response, language, NOTICE_PROMPTS[n]);
  };

  /** A one-key menu; when the caller presses nothing, the redirect brings them to the same step without digits. */
  const menu = (action: string, fill: (gather: Speaker) => void) => {
    const gather = response.gather({
      input: ['dtmf'],
      numDigits: 1,
      timeout: GATHER_TIMEOUT_SECONDS,
      action,
      method: 'POST',
    });
    fill(gather);
    response.redirect({ method: 'POST' }, action);
  };

  const goodbye = (language: Language) => {
    speak(response, language, 'goodbye');
    response.hangup();
  };

  switch (screen.kind) {
    case 'language_menu': {
      notice('ar', screen.notice);
      menu(stepUrl(base, 'language', { n: screen.attempt }), (g) => {
        if (screen.attempt === 0) speak(g, 'ar', 'greeting');
        for (const language of MENU_LANGUAGES) speak(g, language, 'languageOption');
      });
      break;
    }
    case 'topic_menu': {
      const { language } = screen;
      notice(language, screen.notice);
      if (screen.closed && screen.attempt === 0) speak(response, language, 'officeClosed');
      menu(stepUrl(base, 'topic', { l: language, n: screen.attempt }), (g) => {
        speak(g, language, 'topicMenu');
        speak(g, language, 'statusOption');
      });
      break;
    }
    case 'status_entry': {
      const { language } = screen;
      notice(language, screen.notice);
      const action = stepUrl(base, 'status', { l: language, n: screen.attempt });
      // Eight keys, or fewer ended with #; a * among them goes back to the menu.
      const gather = response.gather({
        input: ['dtmf'],
        numDigits: REFERENCE_KEYS,
        finishOnKey: '#',
        timeout: REFERENCE_TIMEOUT_SECONDS,
        action,
        method: 'POST',
      });
      speak(gather, language, 'statusEnter');
      response.redirect({ method: 'POST' }, action);
      break;
    }
    case 'status_result': {
      const { language } = screen;
      readReference(language);
      speak(response, language, STATUS_PROMPTS[screen.notice]);
      goodbye(language);
      break;
    }
    case 'status_give_up': {
      speak(response, screen.language, 'statusGiveUp');
      goodbye(screen.language);
      break;
    }
    case 'action_menu': {
      const { language } = screen;
      notice(language, screen.notice);
      const state = {
        l: language,
        t: screen.topic,
        n: screen.attempt,
        ...(screen.tried ? { x: '1' as const } : {}),
      };
      menu(stepUrl(base, 'action', state), (g) => {
        speak(g, language, 'actionMenu');
        if (screen.live) speak(g, language, 'liveOption');
      });
      break;
    }
    case 'gender_menu': {
      const { language } = screen;
      notice(language, screen.notice);
      menu(stepUrl(base, 'gender', { l: language, t: screen.topic, n: screen.attempt }), (g) =>
        speak(g, language, 'genderMenu'),
      );
      break;
    }
    case 'consent_menu': {
      const { language } = screen;
      // No key pressed comes back without digits, which the consent step reads as "no recording".
      menu(
        stepUrl(base, 'consent', {
          l: language,
          t: screen.topic,
          ...(screen.gender ? { g: screen.gender } : {}),
        }),
        (g) => speak(g, language, 'recordConsent'),
      );
      break;
    }
    case 'dial': {
      const { language, topic } = screen;
      speak(response, language, 'connecting');
      // Every matching operator rings at once and the first to pick up takes the call (Twilio hangs up on the
      // others): a caller who asked for a person should not wait through one unanswered phone after another.
      const dial = response.dial({
        action: stepUrl(base, 'dialled', {
          l: language,
          t: topic,
          ...(screen.record ? { r: '1' as const } : {}),
        }),
        method: 'POST',
        timeout: DIAL_TIMEOUT_SECONDS,
        answerOnBridge: true,
        ...(screen.record
          ? {
              record: 'record-from-answer-dual' as const,
              recordingStatusCallback: stepUrl(base, 'recording', { l: language, t: topic }),
              recordingStatusCallbackMethod: 'POST',
              recordingStatusCallbackEvent: ['completed', 'absent'],
            }
          : {}),
      });
      for (const target of screen.targets) {
        // Which phone answered is told per noun, so the call waits in the console of the operator who took it.
        const answered = {
          statusCallback: stepUrl(base, 'answered', { l: language, t: topic, o: target.operatorId }),
          statusCallbackEvent: ['answered' as const],
          statusCallbackMethod: 'POST',
        };
        if (target.phone) dial.number(answered, target.phone);
        if (target.client) dial.client(answered, target.client);
      }
      break;
    }
    case 'live_done': {
      speak(response, screen.language, 'liveThanks');
      readReference(screen.language);
      goodbye(screen.language);
      break;
    }
    case 'record': {
      const { language, topic } = screen;
      if (topic === 'abuse') {
        speak(response, language, screen.reachable ? 'abuseIntro' : 'noNumber');
        readReference(language);
        speak(response, language, 'abuseRecord');
      } else {
        speak(response, language, 'recordInstructions');
      }
      const recorded = stepUrl(base, 'recorded', { l: language, t: topic });
      response.record({
        action: recorded,
        method: 'POST',
        maxLength: MAX_RECORDING_SECONDS,
        timeout: 10,
        finishOnKey: '#',
        playBeep: true,
        recordingStatusCallback: stepUrl(base, 'recording', { l: language, t: topic }),
        recordingStatusCallbackMethod: 'POST',
        recordingStatusCallbackEvent: ['completed', 'absent'],
        transcribe: true,
        transcribeCallback: stepUrl(base, 'transcription', { l: language, t: topic }),
      });
      // Twilio moves on to the next verb, without calling the action, when nothing was recorded.
      response.redirect({ method: 'POST' }, recorded);
      break;
    }
    case 'recorded': {
      speak(response, screen.language, 'recordedThanks');
      readReference(screen.language);
      goodbye(screen.language);
      break;
    }
    case 'callback': {
      const { language } = screen;
      if (screen.emptyRecording) speak(response, language, 'emptyRecording');
      speak(response, language, screen.reachable ? 'callbackConfirmed' : 'noNumber');
      readReference(language);
      goodbye(language);
      break;
    }
    case 'give_up': {
      const { language } = screen;
      speak(response, language, 'giveUp');
      speak(response, language, screen.reachable ? 'callbackConfirmed' : 'noNumber');
      readReference(language);
      goodbye(language);
      break;
    }
    case 'unknown_step': {
      speak(response, screen.language, 'unknownStep');
      response.hangup();
      break;
    }
    case 'none':
      break;
  }
  return response.toString();
}
