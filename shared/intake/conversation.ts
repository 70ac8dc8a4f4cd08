/**
 * What an inbound message means, decided in one place whatever carried it (Twilio SMS today; WhatsApp or a local
 * SMS gateway later): a STOP / START / HELP keyword, a status request, a satisfaction answer, a follow-up that
 * joins one of the number's cases, or a new case.
 *
 * Two steps, both pure:
 * - {@link readMessage} reads the text alone, once per message: keyword, the references it names, whether it only
 *   asks for a status, a satisfaction answer, and its language. The webhook stores this reading with the message,
 *   so the inbox worker never reads the text again (nor detects its language a second time).
 * - {@link decide} turns the reading and the number's state (its item as it was before the message, and which of
 *   the named references are the number's own cases) into a {@link Decision}. The webhook answers from it; the
 *   inbox worker carries it out from the stored reading and the very same "before" image (the stream record's old
 *   image is what the webhook's write returned), so both arrive at the same decision.
 *
 * The order of precedence, and why:
 * 1. A keyword is a keyword (STOP must always work).
 * 2. A message that is nothing but references and status words asks for a status and opens nothing.
 * 3. "1" / "2" (and their words) answer the satisfaction question of a resolved case waiting on that answer. A
 *    case waiting on more information from the person takes "1" as that information, like any other reply.
 * 4. Anything else from a number with an open restricted (S2/S3) case joins that case: whoever reported abuse or
 *    fraud may be writing about it again, and a new case would sit unclassified (so readable by officers) until the
 *    router ran. Joining keeps it with the focal points who already hold the case, and alerts them (the
 *    `message_in` event goes out through the router like any restricted notification: no narrative). The answer
 *    names no reference: the phone may not be the person's alone.
 *
 * Why the worker decides again rather than read a recorded decision: the number's state comes back from the very
 * write that stores the message, so recording the decision would take a second write on the webhook's path (its
 * goal is one). What the decision depends on besides that state is stored with the message, and the state is the
 * stream record's old image, so the same function gives the same answer.
 * 5. A message naming one of the number's own open cases joins that case.
 * 6. A reply to a case waiting on the person joins it.
 * 7. Otherwise a new case, whose reference is the first drawn for the message id.
 */
import { detectLanguage } from '../classification/language.ts';
import { normalise } from '../classification/normalise.ts';
import type { Language } from '../classification/taxonomy.ts';
import { isBareQuestion, keywordOf, satisfactionOf, statusWordsOf } from '../messages/keywords.ts';
import { findReferences } from '../messages/references.ts';
import type { Script } from '../messages/templates.ts';
import { referenceFor } from '../store/ids.ts';
import type { MessageReading, OwnCase } from './message-reading.ts';

export {
  type InboundMessage,
  MessageReading,
  OwnCase,
  TRANSPORTS,
  type Transport,
} from './message-reading.ts';

/** Words a message needs, at least, before it may change the number's language. */
const MIN_WORDS_FOR_LANGUAGE = 2;
/** The detector's confidence (0..1) above which a message shows its language clearly. */
const CLEAR_LANGUAGE = 0.5;

/** Words of letters (not numbers, emoji or punctuation). */
const wordCount = (text: string): number => text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;

/**
 * What a text says about its language, from one run of the detector: `shown` when it is clear (two words or more
 * of letters, and a sure detector: a reference, a number, an emoji, a keyword or a one-word reply shows none), and
 * `hint` on any evidence at all (a keyword, one word), for a number that has no language yet.
 */
function languageOf(text: string): { shown?: Language; hint?: Language; script?: Script } {
  const guess = detectLanguage(text);
  if (guess.confidence <= 0) return {};
  const clear = guess.confidence >= CLEAR_LANGUAGE && wordCount(text) >= MIN_WORDS_FOR_LANGUAGE;
  // Badini typed in Arabic letters is answered in them (the detector tells the script apart by the letters).
  const script = guess.language === 'kmr' && guess.script === 'arabic' ? guess.script : undefined;
  return {
    ...(clear ? { shown: guess.language } : {}),
    hint: guess.language,
    ...(script ? { script } : {}),
  };
}

/** The language a text clearly shows, if it shows one (see {@link languageOf}). */
export const languageShown = (text: string): Language | undefined => languageOf(text).shown;

const MAX_TOKENS = 5;

/** A folded word that may be a reference or half of one (four or eight letters and digits). */
const mayBeReference = (word: string) => /^(?:[a-z0-9]{4}|[a-z0-9]{8})$/.test(word);
/** What a reference that counts inside a longer message needs: a digit (any script's) or a dash. */
const DIGIT_OR_DASH = /[0-9\u0660-\u0669\u06f0-\u06f9\-\u2010-\u2015]/;

/** Reads a message's text: see {@link MessageReading}. */
export function readMessage(body: string): MessageReading {
  // Folded once: the keyword, the satisfaction answer and the status words all compare the folded text.
  const folded = normalise(body);
  const keyword = keywordOf(folded);
  if (keyword) return { keyword, references: [], ...hintOf(body) };
  if (isBareQuestion(body)) return { status: { references: [] }, question: true, references: [] };
  // Most messages say something of their own and name no reference: they are told apart from a status request
  // with one pass over the folded words, before anything looks for references.
  const mayBeStatus = statusWordsOf(folded, mayBeReference).other === 0;
  const { tokens, rest } =
    mayBeStatus || DIGIT_OR_DASH.test(body) ? findReferences(body) : { tokens: [], rest: body };
  const strong = tokens.filter((t) => t.strong);
  const words = mayBeStatus
    ? statusWordsOf(tokens.length ? normalise(rest) : folded)
    : { asking: 0, other: 1 };
  // A message of references and status words only. Two four-letter words can look like a reference, so tokens
  // without a digit or a dash count only beside a status word.
  const statusOnly = words.other === 0 && (strong.length > 0 || words.asking > 0);
  const language = languageOf(rest);
  if (statusOnly) {
    const named = (words.asking > 0 ? tokens : strong).slice(0, MAX_TOKENS).map((t) => t.candidates);
    return { status: { references: named }, references: [], ...language };
  }
  const satisfaction = satisfactionOf(folded);
  return {
    references: strong.slice(0, MAX_TOKENS).map((t) => t.candidates),
    ...(satisfaction ? { satisfaction } : {}),
    ...language,
  };
}

function hintOf(text: string): { hint?: Language; script?: Script } {
  const { hint, script } = languageOf(text);
  return hint ? { hint, ...(script ? { script } : {}) } : {};
}

/** The language to answer in: what the message shows, else the number's, else the hint, else Arabic. */
export const answerLanguage = (reading: MessageReading, numberLanguage: Language | undefined): Language =>
  reading.shown ?? numberLanguage ?? reading.hint ?? 'ar';

/**
 * The script to answer in, from wherever {@link answerLanguage} took the language: the message's own when it shows
 * its language (or, for a number with none, hints at it), else the number's.
 */
export const answerScript = (
  reading: MessageReading,
  number: { lang?: Language; script?: Script },
): Script | undefined => (reading.shown || !number.lang ? reading.script : number.script);

/** The language and the script to answer a number in, each as above: what every automatic answer is written in. */
export const answerIn = (
  reading: MessageReading,
  number: { lang?: Language; script?: Script },
): { language: Language; script: Script | undefined } => ({
  language: answerLanguage(reading, number.lang),
  script: answerScript(reading, number),
});

/** What the decision needs to know about the number. */
export interface NumberState {
  /** `<receivedAt>#<caseId>` of the number's cases waiting on the person. */
  waiting: readonly string[];
  /** Those of `waiting` that wait on the satisfaction answer: the only ones a bare "1" / "2" answers. */
  surveyed: readonly string[];
  /** `<receivedAt>#<caseId>` of the number's open restricted (S2/S3) cases. */
  restricted: readonly string[];
  /** The number's own cases among those the message names, in the order it names them. */
  own: readonly OwnCase[];
  /** For a bare status request ("STATUS"): the number's newest case, if it has any. */
  newest?: string;
}

export type Decision =
  | { kind: 'keyword'; keyword: 'stop' | 'start' | 'help' }
  /** A status request: the number's case it names, or none (answered "not found", whoever owns the reference). */
  | { kind: 'status'; caseId?: string }
  | { kind: 'open'; reference: string }
  | { kind: 'join'; caseId: string; because: 'satisfaction' | 'restricted' | 'named' | 'waiting' };

/** The case id of the newest member of a `<receivedAt>#<caseId>` set. */
function newestOf(members: readonly string[]): string | undefined {
  const newest = [...members].sort().pop();
  return newest?.slice(newest.indexOf('#') + 1);
}

/** What a message does, from what it says and the number's state before it (see the module comment). */
export function decide(reading: MessageReading, state: NumberState, messageId: string): Decision {
  if (reading.keyword) return { kind: 'keyword', keyword: reading.keyword };
  if (reading.status) {
    const caseId = reading.status.references.length ? state.own[0]?.caseId : state.newest;
    return caseId ? { kind: 'status', caseId } : { kind: 'status' };
  }
  const waiting = newestOf(state.waiting);
  const surveyed = newestOf(state.surveyed);
  if (reading.satisfaction && surveyed) return { kind: 'join', caseId: surveyed, because: 'satisfaction' };
  const restricted = newestOf(state.restricted);
  if (restricted) return { kind: 'join', caseId: restricted, because: 'restricted' };
  const named = state.own.find((c) => c.joinable);
  if (named) return { kind: 'join', caseId: named.caseId, because: 'named' };
  if (waiting) return { kind: 'join', caseId: waiting, because: 'waiting' };
  return { kind: 'open', reference: referenceFor(messageId, 0) };
}
