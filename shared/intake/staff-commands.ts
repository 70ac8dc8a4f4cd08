/**
 * Short codes a registered focal point texts to act on a case from a phone (see the README, "Focal points act by
 * SMS"): acknowledge, in progress, resolved with a short outcome, refer to a partner. The code comes first, then
 * the case's reference, then (for resolved and refer) the outcome or the partner:
 *
 *   ACK K7MQ-4XZ9 · WIP K7MQ-4XZ9 · DONE K7MQ-4XZ9 the tank was refilled · REF K7MQ-4XZ9 legal-aid
 *
 * On a keypad phone the digits 1 to 4 stand for the four codes ("1 K7MQ4XZ9"), and each code has a word in Arabic,
 * Sorani and Kurmanji. Codes are compared folded (shared/classification/normalise.ts), so case, hamza and tā'
 * marbūṭa forms, Sorani letters typed on an Arabic keyboard, Kurmanji diacritics and Arabic-Indic digits do not
 * matter. The reference is read as tolerantly as a complainant's (shared/messages/references.ts); its look-alike
 * candidates count only where one is a case routed to the sender, which the caller checks.
 *
 * Everything here is pure: what a text says, and the answers' wording. Acting on the case is the case service's
 * (functions/cases/focal-point-sms.ts), reached through {@link StaffMessageHandler}.
 */
import { normalise } from '../classification/normalise.ts';
import type { Language } from '../classification/taxonomy.ts';
import { findReferences } from '../messages/references.ts';
import type { InboundMessage } from './message-reading.ts';

export const STAFF_ACTIONS = ['acknowledge', 'start', 'resolve', 'refer'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** The codes of each action: the Latin code and its digit (any language), then each language's own word. */
export const STAFF_CODES: Readonly<
  Record<StaffAction, { latin: string; digit: string; words: Readonly<Record<Language, readonly string[]>> }>
> = {
  acknowledge: {
    latin: 'ACK',
    digit: '1',
    words: { en: ['ack'], ar: ['استلام', 'استلم'], ckb: ['وەرگیرا', 'وەرگرتن'], kmr: ['wergirt'] },
  },
  start: {
    latin: 'WIP',
    digit: '2',
    words: { en: ['wip'], ar: ['جاري'], ckb: ['بەردەوام'], kmr: ['didome', 'dewam'] },
  },
  resolve: {
    latin: 'DONE',
    digit: '3',
    words: { en: ['done'], ar: ['تم', 'انجاز'], ckb: ['تەواو'], kmr: ['qediya', 'temam'] },
  },
  refer: {
    latin: 'REF',
    digit: '4',
    words: { en: ['ref'], ar: ['احالة', 'احاله'], ckb: ['ڕەوانە'], kmr: ['şand', 'şandin'] },
  },
};

/** Folded code → the action, and the language its word belongs to (none for a Latin code or a digit). */
const CODES: ReadonlyMap<string, { action: StaffAction; language?: Language }> = (() => {
  const map = new Map<string, { action: StaffAction; language?: Language }>();
  const add = (word: string, value: { action: StaffAction; language?: Language }) => {
    const key = normalise(word);
    const seen = map.get(key);
    if (seen && seen.action !== value.action) throw new Error(`"${word}" means two codes`);
    if (!seen) map.set(key, value);
  };
  for (const action of STAFF_ACTIONS) {
    const code = STAFF_CODES[action];
    add(code.latin, { action });
    add(code.digit, { action });
    for (const [language, words] of Object.entries(code.words) as [Language, readonly string[]][]) {
      for (const w of words) add(w, language === 'en' ? { action } : { action, language });
    }
  }
  return map;
})();

/** The longest outcome the person is sent in the case's resolution SMS (the case's `outcomeMessage`). */
export const MAX_OUTCOME_CHARS = 320;

export type StaffCommand =
  | {
      kind: 'command';
      action: StaffAction;
      /** The language of the code's word, when it was a word of one (not a Latin code or a digit). */
      language?: Language;
      /** Candidate references of the token after the code (exact reading first); empty when none was given. */
      reference: string[];
      /** What follows the reference: the outcome (DONE) or the partner (REF), trimmed. */
      text: string;
    }
  | { kind: 'other' };

/** The first word (letters, digits and marks of any script) of a text, and what follows it. */
const FIRST_WORD = /^[^\p{L}\p{N}]*([\p{L}\p{N}\p{M}]+)([\s\S]*)$/u;

/**
 * The reference at the start of `rest`: one word ("K7MQ-4XZ9", "k7mq4xz9") or its two halves ("K7MQ 4XZ9",
 * "K7MQ - 4XZ9"), and the words after it.
 */
function leadingReference(rest: string): { reference: string[]; text: string } {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  for (let n = 1; n <= Math.min(3, words.length); n++) {
    const found = findReferences(words.slice(0, n).join(' '));
    const [token] = found.tokens;
    if (found.tokens.length === 1 && token && found.rest === '') {
      return { reference: token.candidates, text: words.slice(n).join(' ') };
    }
  }
  return { reference: [], text: words.join(' ') };
}

/** Reads a focal point's text: a code with its reference (and outcome or partner), or anything else. */
export function readStaffCommand(body: string): StaffCommand {
  const match = FIRST_WORD.exec(body.normalize('NFC'));
  if (!match) return { kind: 'other' };
  const code = CODES.get(normalise(match[1] ?? ''));
  if (!code) return { kind: 'other' };
  // "ACK:K7MQ-4XZ9" and "ACK, K7MQ-4XZ9" as well as "ACK K7MQ-4XZ9".
  const { reference, text } = leadingReference((match[2] ?? '').replace(/^[\s:,.;#-]+/, ''));
  return {
    kind: 'command',
    action: code.action,
    ...(code.language ? { language: code.language } : {}),
    reference,
    text,
  };
}

/**
 * What the intake asks of the staff side about one inbound message: undefined when the sender is not a registered
 * focal point (the message goes on as a complainant's), otherwise the answer to send back. `caseId` names the case
 * acted on, for the logs (an id, never personal data).
 */
export type StaffMessageHandler = (message: InboundMessage) => Promise<StaffAnswer | undefined>;

export interface StaffAnswer {
  reply: string;
  caseId?: string;
  /** What came of it, as a stable code for the logs (`FOCAL_SMS.ACTED`, `FOCAL_SMS.NOT_FOUND`, …). */
  code: string;
}

// ---- the answers ---------------------------------------------------------------------------------------------

export type CaseState =
  | 'new'
  | 'acknowledged'
  | 'in_progress'
  | 'referred'
  | 'resolved'
  | 'closed'
  | 'reopened';

/** A case's state as the focal point reads it in an answer: the one thing said about a restricted case. */
const STATE_WORDS: Readonly<Record<Language, Readonly<Record<CaseState, string>>>> = {
  en: {
    new: 'new',
    acknowledged: 'acknowledged',
    in_progress: 'in progress',
    referred: 'referred',
    resolved: 'resolved',
    closed: 'closed',
    reopened: 'reopened',
  },
  ar: {
    new: 'جديدة',
    acknowledged: 'مستلمة',
    in_progress: 'قيد المعالجة',
    referred: 'محالة',
    resolved: 'محلولة',
    closed: 'مغلقة',
    reopened: 'معاد فتحها',
  },
  ckb: {
    new: 'نوێ',
    acknowledged: 'وەرگیراو',
    in_progress: 'لە کاردایە',
    referred: 'ڕەوانەکراو',
    resolved: 'چارەسەرکراو',
    closed: 'داخراو',
    reopened: 'کراوەتەوە',
  },
  kmr: {
    new: 'nû',
    acknowledged: 'wergirtî',
    in_progress: 'di kar de',
    referred: 'şandî',
    resolved: 'çareserkirî',
    closed: 'girtî',
    reopened: 'dîsa vekirî',
  },
};

export interface StaffReplyVars {
  ref?: string;
  state?: CaseState;
  /** With `referred`: how the referral went (full fields with the person's consent, or an anonymous summary). */
  share?: 'consented' | 'anonymous';
  /** With `unknown_partner`: the partners' ids to choose from. */
  partners?: readonly string[];
}

export const STAFF_REPLIES = [
  'done',
  'referred',
  'not_found',
  'not_allowed',
  'changed',
  'needs_outcome',
  'outcome_too_long',
  'unknown_partner',
  'help',
] as const;
export type StaffReply = (typeof STAFF_REPLIES)[number];

type Text = (v: Required<Pick<StaffReplyVars, 'ref'>> & StaffReplyVars & { said: string }) => string;

const SHARE_WORDS: Readonly<Record<Language, Readonly<Record<'consented' | 'anonymous', string>>>> = {
  en: { consented: 'with consent', anonymous: 'anonymous summary' },
  ar: { consented: 'بموافقة الشخص', anonymous: 'ملخص دون هوية' },
  ckb: { consented: 'بە ڕەزامەندی', anonymous: 'پوختەی بێناو' },
  kmr: { consented: 'bi erêkirinê', anonymous: 'kurteya bênav' },
};

const TEXTS: Readonly<Record<StaffReply, Readonly<Record<Language, Text>>>> = {
  done: {
    en: (v) => `${v.ref}: now ${v.said}.`,
    ar: (v) => `${v.ref}: أصبحت ${v.said}.`,
    ckb: (v) => `${v.ref}: ئێستا ${v.said}.`,
    kmr: (v) => `${v.ref}: niha ${v.said} e.`,
  },
  referred: {
    en: (v) => `${v.ref}: now ${v.said}${v.share ? ` (${SHARE_WORDS.en[v.share]})` : ''}.`,
    ar: (v) => `${v.ref}: أصبحت ${v.said}${v.share ? ` (${SHARE_WORDS.ar[v.share]})` : ''}.`,
    ckb: (v) => `${v.ref}: ئێستا ${v.said}${v.share ? ` (${SHARE_WORDS.ckb[v.share]})` : ''}.`,
    kmr: (v) => `${v.ref}: niha ${v.said} e${v.share ? ` (${SHARE_WORDS.kmr[v.share]})` : ''}.`,
  },
  not_found: {
    en: (v) => `${v.ref}: not found among your cases.`,
    ar: (v) => `${v.ref}: غير موجودة ضمن حالاتك.`,
    ckb: (v) => `${v.ref}: لە دۆسیەکانی ئێوەدا نییە.`,
    kmr: (v) => `${v.ref}: di dozên we de tune ye.`,
  },
  not_allowed: {
    en: (v) => `${v.ref} is ${v.said}: that step is not possible now.`,
    ar: (v) => `${v.ref}: الحالة ${v.said}، هذه الخطوة غير ممكنة الآن.`,
    ckb: (v) => `${v.ref}: دۆسیەکە ${v.said}، ئەم هەنگاوە ئێستا ناکرێت.`,
    kmr: (v) => `${v.ref}: doz ${v.said} e, ev gav niha nabe.`,
  },
  changed: {
    en: (v) => `${v.ref} was just changed by someone else. Check it and send again.`,
    ar: (v) => `${v.ref} تغيّرت للتو من شخص آخر. تحقق منها وأرسل مجدداً.`,
    ckb: (v) => `${v.ref} ئێستا کەسێکی تر گۆڕی. بیپشکنن و دووبارە بنێرن.`,
    kmr: (v) => `${v.ref} niha hat guhertin. Binêrin û dîsa bişînin.`,
  },
  needs_outcome: {
    en: (v) => `Add what was done: DONE ${v.ref} <outcome>`,
    ar: (v) => `أضف ما تم: تم ${v.ref} <النتيجة>`,
    ckb: (v) => `ئەنجامەکە بنووسن: تەواو ${v.ref} <ئەنجام>`,
    kmr: (v) => `Encamê binivîsin: QEDIYA ${v.ref} <encam>`,
  },
  outcome_too_long: {
    en: () => `The outcome is too long: at most ${MAX_OUTCOME_CHARS} characters.`,
    ar: () => `النتيجة طويلة: ${MAX_OUTCOME_CHARS} حرفاً على الأكثر.`,
    ckb: () => `ئەنجامەکە درێژە: لە ${MAX_OUTCOME_CHARS} پیت زیاتر نەبێت.`,
    kmr: () => `Encam pir dirêj e: herî zêde ${MAX_OUTCOME_CHARS} tîp.`,
  },
  unknown_partner: {
    en: (v) => `Partner not found. REF ${v.ref} <partner>: ${(v.partners ?? []).join(', ')}`,
    ar: (v) => `الشريك غير موجود. احالة ${v.ref} <الشريك>: ${(v.partners ?? []).join('، ')}`,
    ckb: (v) => `هاوبەش نەدۆزرایەوە. ڕەوانە ${v.ref} <هاوبەش>: ${(v.partners ?? []).join('، ')}`,
    kmr: (v) => `Hevkar nehat dîtin. ŞAND ${v.ref} <hevkar>: ${(v.partners ?? []).join(', ')}`,
  },
  help: {
    en: () =>
      'Codes: ACK <ref>, WIP <ref>, DONE <ref> <outcome>, REF <ref> <partner>. Or 1, 2, 3, 4 for them.',
    ar: () => 'الرموز: استلام <مرجع>، جاري <مرجع>، تم <مرجع> <النتيجة>، احالة <مرجع> <شريك>. أو 1 2 3 4',
    ckb: () =>
      'کۆدەکان: وەرگیرا <ژمارە>، بەردەوام <ژمارە>، تەواو <ژمارە> <ئەنجام>، ڕەوانە <ژمارە> <هاوبەش>. یان 1 2 3 4',
    kmr: () =>
      'Kod: WERGIRT <ref>, DIDOME <ref>, QEDIYA <ref> <encam>, ŞAND <ref> <hevkar>. An 1 2 3 4 (ACK WIP DONE REF)',
  },
};

/** A focal point's answer in `language`. */
export function staffReply(reply: StaffReply, language: Language, vars: StaffReplyVars = {}): string {
  const said = vars.state ? STATE_WORDS[language][vars.state] : '';
  return TEXTS[reply][language]({ ...vars, ref: vars.ref ?? '', said });
}
