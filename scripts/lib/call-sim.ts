/**
 * The hotline side of the phone simulator: plays a call through the IVR as Twilio would. It posts the call's first
 * request, then reads each TwiML answer verb by verb: it prints what `<Say>` says, answers a `<Gather>` with the
 * next key of the script, follows `<Redirect>`, and for `<Record>` plays a recording (the `<Record action>` request,
 * then the recording-status and transcription callbacks Twilio sends afterwards). A `<Dial>` (speak to a person)
 * is not placed: the simulator reports who would ring and plays the outcome the script names (an operator answering,
 * or nobody), with the callbacks Twilio would send for it.
 */
import { keypadDigits } from '#shared/intake/voice-intake.ts';
import { newSid, postSigned, type SimResponse, type SimTarget } from './twilio-sim.ts';
import { childElements, parseXml, textOf, type XmlElement } from './xml.ts';

export const VOICE_PATH = '/webhooks/twilio/voice';
const MAX_REQUESTS = 40;

/** One move of the caller: a key, silence at a menu, a voice message (with what Twilio would transcribe), a hangup. */
export type CallerMove =
  | { kind: 'key'; key: string }
  | { kind: 'silence' }
  | { kind: 'record'; text: string }
  | { kind: 'dial'; outcome: DialOutcome }
  | { kind: 'hangup' };

/** How a `<Dial>` ends, as Twilio reports it in `DialCallStatus`. */
export const DIAL_OUTCOMES = ['completed', 'no-answer', 'busy', 'failed', 'canceled'] as const;
export type DialOutcome = (typeof DIAL_OUTCOMES)[number];
/** How long a simulated answered call lasts, in seconds. */
const ANSWERED_SECONDS = '95';

/**
 * Reads `--digits`: keys separated by commas; `-` is silence at a menu; `record` or `record:<text>` leaves a voice
 * message (its transcription is `<text>`, or `defaultText`); `ref:<reference>` types a reference on the keypad (a
 * letter as the key that carries it); `dial:<outcome>` says how a `<Dial>` to the operators ends (`completed`: the
 * first one rung answers and talks; `no-answer`, `busy`, `failed`, `canceled`); `hangup` ends the call. When the
 * script runs out, the caller stays on the line and says nothing, as a person who waits to hear what comes next
 * (and a dial nobody scripted rings out: `no-answer`).
 */
export function parseMoves(digits: string, defaultText = ''): CallerMove[] {
  const moves: CallerMove[] = [];
  for (const raw of digits.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    if (token === '-' || token === 'silence') moves.push({ kind: 'silence' });
    else if (token === 'hangup') moves.push({ kind: 'hangup' });
    else if (token === 'record' || token.startsWith('record:')) {
      const text = token.startsWith('record:') ? token.slice(7).replace(/^"(.*)"$/, '$1') : defaultText;
      moves.push({ kind: 'record', text });
    } else if (/^ref:/i.test(token)) {
      const keys = keypadDigits(token.slice(4).trim().toUpperCase());
      if (!/^[2-9]{8}$/.test(keys)) throw new Error(`"${token}" is not a reference such as ref:K7MQ-4XZ9`);
      moves.push({ kind: 'key', key: keys });
    } else if (token.startsWith('dial:')) {
      const outcome = token.slice(5) as DialOutcome;
      if (!DIAL_OUTCOMES.includes(outcome))
        throw new Error(`"${token}" is not a dial outcome: dial:${DIAL_OUTCOMES.join(', dial:')}`);
      moves.push({ kind: 'dial', outcome });
    } else if (/^[0-9*#]+$/.test(token)) moves.push({ kind: 'key', key: token });
    else
      throw new Error(
        `"${token}" is not a key, "-", "record[:text]", "ref:<reference>", "dial:<outcome>" or "hangup"`,
      );
  }
  return moves;
}

export interface Heard {
  /** `say` (with the voice's language), `play` (a URL) or `pause`. */
  kind: 'say' | 'play';
  language?: string;
  text: string;
}

export interface CallRequest {
  url: string;
  status: number;
  errorCode?: string;
  /** What was pressed or sent with it. */
  sent?: string;
}

/** A `<Dial>` the IVR answered with: who would ring, whether it records, and the outcome played. */
export interface Dialled {
  numbers: string[];
  clients: string[];
  /** The `record` attribute (absent: the call is not recorded). */
  record?: string;
  timeout?: string;
  outcome: DialOutcome;
}

export interface CallTranscript {
  callSid: string;
  dialled: Dialled[];
  requests: CallRequest[];
  heard: Heard[];
  /** The reference as the IVR read it (`K7MQ-4XZ9`), if it did. */
  reference?: string;
  /** Whether the IVR ended the call with `<Hangup/>` (false when the caller hung up or the script ran out). */
  hungUp: boolean;
  /** The first answer that was not 2xx, which ends the walk. */
  failed?: CallRequest;
}

export interface CallToPlace {
  from: string;
  to: string;
  moves: CallerMove[];
  callSid?: string;
  /** Called for every request and every prompt, to print the call as it goes. */
  onRequest?: (r: CallRequest) => void;
  onHeard?: (h: Heard) => void;
  onDial?: (d: Dialled) => void;
}

const SPOKEN_REFERENCE = /^([2-9A-HJKMNP-TV-Z], ){7}[2-9A-HJKMNP-TV-Z]$/;

/** Walks one call through the IVR and returns what was heard and the reference given. */
export async function placeCall(target: SimTarget, call: CallToPlace): Promise<CallTranscript> {
  const callSid = call.callSid ?? newSid('CA');
  const moves = [...call.moves];
  const transcript: CallTranscript = { callSid, dialled: [], requests: [], heard: [], hungUp: false };
  const base = (status: string) => ({
    AccountSid: target.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: status,
    Called: call.to,
    Caller: call.from,
    Direction: 'inbound',
    From: call.from,
    FromCountry: call.from.startsWith('+964') ? 'IQ' : '',
    To: call.to,
    ToCountry: 'IQ',
  });

  const post = async (url: string, extra: Record<string, string>, sent?: string): Promise<SimResponse> => {
    if (transcript.requests.length >= MAX_REQUESTS)
      throw new Error(`the call went past ${MAX_REQUESTS} requests`);
    const res = await postSigned(target, url, { ...base('in-progress'), ...extra });
    const request: CallRequest = {
      url,
      status: res.status,
      ...(res.headers.get('x-error-code') ? { errorCode: res.headers.get('x-error-code') as string } : {}),
      ...(sent !== undefined ? { sent } : {}),
    };
    transcript.requests.push(request);
    call.onRequest?.(request);
    if (res.status >= 300 && !transcript.failed) transcript.failed = request;
    return res;
  };

  const hear = (el: XmlElement) => {
    let heard: Heard | undefined;
    if (el.name === 'Say') heard = { kind: 'say', language: el.attributes.language, text: textOf(el).trim() };
    if (el.name === 'Play') heard = { kind: 'play', text: textOf(el).trim() };
    if (!heard) return;
    transcript.heard.push(heard);
    call.onHeard?.(heard);
    if (heard.kind === 'say' && SPOKEN_REFERENCE.test(heard.text)) {
      const chars = heard.text.replace(/, /g, '');
      transcript.reference = `${chars.slice(0, 4)}-${chars.slice(4)}`;
    }
  };

  /** Plays one TwiML document; returns the next request to make, or undefined when the call ends. */
  const play = async (twiml: string): Promise<(() => Promise<SimResponse>) | undefined> => {
    const root = parseXml(twiml);
    if (root.name !== 'Response') throw new Error(`the answer is not TwiML: <${root.name}>`);
    for (const verb of childElements(root)) {
      switch (verb.name) {
        case 'Say':
        case 'Play':
          hear(verb);
          break;
        case 'Pause':
          break;
        case 'Gather': {
          for (const inner of childElements(verb)) hear(inner);
          const move = moves.shift();
          if (!move || move.kind === 'silence') break; // Twilio goes on to the next verb (the redirect).
          if (move.kind === 'hangup') return undefined;
          if (move.kind === 'record' || move.kind === 'dial')
            throw new Error(
              `the IVR asked for a key, and the script has ${move.kind === 'record' ? 'a recording' : 'a dial outcome'}`,
            );
          const action = verb.attributes.action;
          if (!action) throw new Error('<Gather> without an action');
          return () => post(action, { Digits: move.key }, move.key);
        }
        case 'Record': {
          const move = moves.shift();
          if (move?.kind === 'hangup') return undefined;
          if (move?.kind !== 'record') {
            // Nothing said (silence, or the script ran out): Twilio skips the action, reports the recording absent
            // to the status callback, and goes on with the next verb.
            absent(verb);
            break;
          }
          const action = verb.attributes.action;
          if (!action) throw new Error('<Record> without an action');
          return () => record(verb, action, move.text);
        }
        case 'Dial': {
          if (moves[0]?.kind === 'hangup') return undefined;
          const move = moves[0]?.kind === 'dial' ? moves.shift() : undefined;
          return dial(verb, move?.kind === 'dial' ? move.outcome : 'no-answer');
        }
        case 'Redirect':
          return () => post(textOf(verb).trim(), {});
        case 'Hangup':
          transcript.hungUp = true;
          return undefined;
        default:
          throw new Error(`the simulator does not play <${verb.name}>`);
      }
    }
    return undefined;
  };

  /** A voice message: the action request, then (as Twilio does later) the status and transcription callbacks. */
  const record = async (verb: XmlElement, action: string, text: string): Promise<SimResponse> => {
    const recordingSid = newSid('RE');
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${target.accountSid}/Recordings/${recordingSid}`;
    const duration = String(Math.max(3, Math.ceil(text.split(/\s+/).filter(Boolean).length / 2)));
    const recording = { RecordingSid: recordingSid, RecordingUrl: recordingUrl, RecordingDuration: duration };
    const res = await post(action, { ...recording, Digits: '#' }, 'recording');
    const pending: (() => Promise<unknown>)[] = [];
    const statusUrl = verb.attributes.recordingStatusCallback;
    if (statusUrl) {
      pending.push(() =>
        post(statusUrl, {
          ...recording,
          RecordingStatus: 'completed',
          RecordingChannels: '1',
          RecordingSource: 'RecordVerb',
        }),
      );
    }
    const transcribeUrl = verb.attributes.transcribeCallback;
    if (verb.attributes.transcribe === 'true' && transcribeUrl) {
      pending.push(() =>
        post(transcribeUrl, {
          ...recording,
          TranscriptionSid: newSid('TR'),
          TranscriptionStatus: 'completed',
          TranscriptionText: text,
          TranscriptionType: 'fast',
          TranscriptionUrl: `https://api.twilio.com/2010-04-01/Accounts/${target.accountSid}/Transcriptions`,
        }),
      );
    }
    callbacks.push(...pending);
    return res;
  };

  /**
   * A dial to the operators: reports who would ring; when one answers, posts the first rung noun's `answered`
   * status callback (the operator's leg is a call of its own, the caller's its parent) and, for a recorded call,
   * the recording's status callback afterwards; then the `<Dial action>` with the outcome.
   */
  const dial = (verb: XmlElement, outcome: DialOutcome): (() => Promise<SimResponse>) | undefined => {
    const nouns = childElements(verb).filter((n) => n.name === 'Number' || n.name === 'Client');
    const entry: Dialled = {
      numbers: nouns.filter((n) => n.name === 'Number').map((n) => textOf(n).trim()),
      clients: nouns.filter((n) => n.name === 'Client').map((n) => textOf(n).trim()),
      ...(verb.attributes.record ? { record: verb.attributes.record } : {}),
      ...(verb.attributes.timeout ? { timeout: verb.attributes.timeout } : {}),
      outcome,
    };
    transcript.dialled.push(entry);
    call.onDial?.(entry);
    const action = verb.attributes.action;
    if (!action) return undefined;
    return async () => {
      const answered = outcome === 'completed';
      const first = nouns[0];
      const statusUrl = first?.attributes.statusCallback;
      if (answered && first && statusUrl) {
        await post(statusUrl, {
          CallSid: newSid('CA'),
          ParentCallSid: callSid,
          CallStatus: 'in-progress',
          Direction: 'outbound-dial',
          To: textOf(first).trim(),
        });
      }
      const recordingUrl = verb.attributes.recordingStatusCallback;
      if (answered && verb.attributes.record && recordingUrl) {
        const recordingSid = newSid('RE');
        callbacks.push(() =>
          post(recordingUrl, {
            RecordingSid: recordingSid,
            RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${target.accountSid}/Recordings/${recordingSid}`,
            RecordingStatus: 'completed',
            RecordingDuration: ANSWERED_SECONDS,
            RecordingChannels: '2',
            RecordingSource: 'DialVerb',
          }),
        );
      }
      return post(
        action,
        {
          DialCallStatus: outcome,
          DialCallSid: newSid('CA'),
          DialCallDuration: answered ? ANSWERED_SECONDS : '0',
        },
        `dial:${outcome}`,
      );
    };
  };

  /** An empty recording: only the status callback, if the `<Record>` asked for absent recordings. */
  const absent = (verb: XmlElement) => {
    const statusUrl = verb.attributes.recordingStatusCallback;
    const events = (verb.attributes.recordingStatusCallbackEvent ?? '').split(/[\s,]+/);
    if (!statusUrl || !events.includes('absent')) return;
    callbacks.push(() =>
      post(statusUrl, {
        RecordingSid: newSid('RE'),
        RecordingStatus: 'absent',
        RecordingDuration: '0',
        RecordingChannels: '1',
        RecordingSource: 'RecordVerb',
      }),
    );
  };

  const callbacks: (() => Promise<unknown>)[] = [];
  let next: (() => Promise<SimResponse>) | undefined = () =>
    post(VOICE_PATH, { ...base('ringing') }, undefined);
  while (next) {
    const res: SimResponse = await next();
    if (res.status >= 300) break;
    next = await play(res.body);
  }
  // Twilio sends the recording's callbacks after it has processed the recording, whatever the call did meanwhile.
  for (const callback of callbacks) await callback();
  return transcript;
}
