import { describe, expect, it } from 'vitest';
import {
  answerLanguage,
  answerScript,
  decide,
  languageShown,
  type NumberState,
  readMessage,
} from '#shared/intake/conversation.ts';
import { waitingMember } from '#shared/intake/sender.ts';
import { referenceFor } from '#shared/store/ids.ts';

const REF = 'K7MQ-4XZ9';
const none: NumberState = { waiting: [], surveyed: [], restricted: [], own: [] };
const member = (caseId: string, receivedAt: string) => waitingMember({ caseId, receivedAt });

describe('reading a message', () => {
  it.each([
    REF,
    `STATUS ${REF}`,
    `status ${REF.toLowerCase().replace('-', ' ')}`,
    `staus ${REF}`,
    `what is the status of my case ${REF}?`,
    `حالة ${REF}`,
    `حاله طلبي رقم ${REF} لو سمحت`,
    `وين صار طلبي ${REF}`,
    `دۆخ ${REF}`,
    `دۆخی دۆسیەی ${REF}`,
    `rewş ${REF}`,
    `Rewşa doza min ${REF}`,
    `شنو صار على ${REF}`,
    `أي أخبار عن طلبي ${REF}؟`,
    `چی بوو بە ${REF}`,
    `çi bû bi ${REF}`,
    `any news about ${REF}?`,
    `what happened to my complaint ${REF}`,
  ])('%j asks for a status', (text) => {
    expect(readMessage(text).status).toEqual({ references: [[REF]] });
  });

  it.each(['STATUS', 'حالة', 'دۆخ', 'rewş', 'check'])('%j alone asks for the newest case', (text) => {
    expect(readMessage(text).status).toEqual({ references: [] });
  });

  it('does not take two four-letter words for a status request, unless a status word stands beside them', () => {
    expect(readMessage('have been').status).toBeUndefined();
    expect(readMessage('status ABCD EFGH').status).toEqual({ references: [['ABCD-EFGH']] });
  });

  it.each([
    [`${REF} the water tank is still empty`, [[REF]]],
    ['please check the water pump in block C', []],
    ['The distribution skipped our street', []],
  ])('%j is a message of its own that names %j', (text, named) => {
    const reading = readMessage(text);
    expect(reading.status).toBeUndefined();
    expect(reading.keyword).toBeUndefined();
    expect(reading.references).toEqual(named);
  });

  it('reads keywords and satisfaction answers as before', () => {
    expect(readMessage('STOP').keyword).toBe('stop');
    expect(readMessage('وەستان').keyword).toBe('stop');
    expect(readMessage('1').satisfaction).toBe('satisfied');
    expect(readMessage('نەخێر').satisfaction).toBe('not_satisfied');
  });

  it('reads question marks alone as a status request for the newest case, marked as a bare question', () => {
    for (const text of ['?', '؟', ' ؟؟ ']) {
      expect(readMessage(text), text).toEqual({ status: { references: [] }, question: true, references: [] });
    }
    // Other punctuation alone, or a question with words, is not.
    expect(readMessage('...').status).toBeUndefined();
    expect(readMessage('وين المساعدات؟').question).toBeUndefined();
  });
});

describe('the language of a message', () => {
  it.each([
    ['الماء مقطوع في المخيم منذ ثلاثة أيام', 'ar'],
    ['ئاو لە کەمپەکەدا نییە', 'ckb'],
    ['Li kampê av tune ye', 'kmr'],
    ['The water tank is empty', 'en'],
  ])('%j clearly shows %s', (text, language) => {
    expect(languageShown(text)).toBe(language);
  });

  it.each([REF, '1', '👍', 'ok', 'Thanks', 'شكرا', 'Spas', '12 34', 'ok thanks', 'shukran habibi'])(
    '%j shows no language clearly, so the number’s stays',
    (text) => {
      expect(languageShown(text)).toBeUndefined();
      for (const language of ['ar', 'ckb', 'kmr', 'en'] as const) {
        expect(answerLanguage(readMessage(text), language)).toBe(language);
      }
    },
  );

  it('answers a number with no language yet in the language of its one word, else Arabic', () => {
    expect(answerLanguage(readMessage('STOP'), undefined)).toBe('en');
    expect(answerLanguage(readMessage('توقف'), undefined)).toBe('ar');
    expect(answerLanguage(readMessage('rawestîne'), undefined)).toBe('kmr');
    expect(answerLanguage(readMessage('👍'), undefined)).toBe('ar');
    // A reference read as Arabic in Latin letters is not a language: "K7MQ" has digits that look like Arabizi.
    expect(answerLanguage(readMessage(REF), undefined)).toBe('ar');
    expect(answerLanguage(readMessage(REF), 'en')).toBe('en');
  });

  it('answers Badini written in Arabic letters in them, and keeps the number’s script when a message shows none', () => {
    const badini = readMessage('ئەز ژ کەمپا شاریا مە هاریکاری وەرنەگرتیە هەتا نوکە');
    expect(badini).toMatchObject({ shown: 'kmr', script: 'arabic' });
    expect(answerScript(badini, {})).toBe('arabic');
    expect(answerScript(badini, { lang: 'kmr' })).toBe('arabic');
    // Kurmanji in Latin letters, and Sorani, have no script to note; a number that writes them is answered so.
    for (const text of ['Li kampê av tune ye', 'ئاو لە کەمپەکەدا نییە']) {
      expect(readMessage(text).script, text).toBeUndefined();
      expect(answerScript(readMessage(text), { lang: 'kmr', script: 'arabic' }), text).toBeUndefined();
    }
    // A status request, a keyword or a reply with no language of its own: the number's language and script.
    for (const text of [`STATUS ${REF}`, REF, 'HELP', '1']) {
      expect(answerScript(readMessage(text), { lang: 'kmr', script: 'arabic' }), text).toBe('arabic');
      expect(answerScript(readMessage(text), { lang: 'kmr' }), text).toBeUndefined();
    }
    // A number with no language yet, hinted at by a short Badini question.
    const short = readMessage('ئەینی دابەشکرن هەیە؟');
    expect(short.shown).toBeUndefined();
    expect([answerLanguage(short, undefined), answerScript(short, {})]).toEqual(['kmr', 'arabic']);
  });
});

describe('deciding what a message does', () => {
  const waiting = [
    member('WAIT-2222', '2026-03-01T00:00:00.000Z'),
    member('WAIT-3333', '2026-04-01T00:00:00.000Z'),
  ];
  const restricted = [member('SEAS-2222', '2026-02-01T00:00:00.000Z')];
  const message = readMessage('It is in block C, near the school');

  it('opens a case whose reference is the first drawn for the message id', () => {
    expect(decide(message, none, 'SM1')).toEqual({ kind: 'open', reference: referenceFor('SM1', 0) });
  });

  it('answers a status request from the named case only when it is the number’s own', () => {
    const status = readMessage(`status ${REF}`);
    expect(decide(status, { ...none, own: [{ caseId: REF, joinable: true }] }, 'SM1')).toEqual({
      kind: 'status',
      caseId: REF,
    });
    expect(decide(status, none, 'SM1')).toEqual({ kind: 'status' });
    expect(decide(readMessage('STATUS'), { ...none, newest: 'NEWS-2222' }, 'SM1')).toEqual({
      kind: 'status',
      caseId: 'NEWS-2222',
    });
  });

  it('sends a satisfaction answer to the newest case waiting on it, even with a restricted case open', () => {
    const surveyed = waiting;
    expect(decide(readMessage('1'), { ...none, waiting, surveyed, restricted }, 'SM1')).toEqual({
      kind: 'join',
      caseId: 'WAIT-3333',
      because: 'satisfaction',
    });
  });

  it('takes "1" to a case asking for more information as the information, not as a satisfaction answer', () => {
    // WAIT-3333 asks for more information; only the older WAIT-2222 was resolved and asked the question.
    const surveyed = [member('WAIT-2222', '2026-03-01T00:00:00.000Z')];
    expect(decide(readMessage('1'), { ...none, waiting, surveyed }, 'SM1')).toEqual({
      kind: 'join',
      caseId: 'WAIT-2222',
      because: 'satisfaction',
    });
    expect(decide(readMessage('1'), { ...none, waiting }, 'SM1')).toEqual({
      kind: 'join',
      caseId: 'WAIT-3333',
      because: 'waiting',
    });
  });

  it('joins anything else to the number’s open restricted case, before a named or waiting case', () => {
    const named = readMessage(`${REF} and another thing happened`);
    expect(
      decide(named, { ...none, waiting, restricted, own: [{ caseId: REF, joinable: true }] }, 'SM1'),
    ).toEqual({
      kind: 'join',
      caseId: 'SEAS-2222',
      because: 'restricted',
    });
    expect(decide(message, { ...none, restricted }, 'SM1')).toMatchObject({ because: 'restricted' });
  });

  it('joins a named open case before a waiting one, and never a closed one', () => {
    const named = readMessage(`${REF} and another thing happened`);
    expect(decide(named, { ...none, waiting, own: [{ caseId: REF, joinable: true }] }, 'SM1')).toEqual({
      kind: 'join',
      caseId: REF,
      because: 'named',
    });
    expect(decide(named, { ...none, own: [{ caseId: REF, joinable: false }] }, 'SM1')).toEqual({
      kind: 'open',
      reference: referenceFor('SM1', 0),
    });
    expect(decide(message, { ...none, waiting }, 'SM1')).toEqual({
      kind: 'join',
      caseId: 'WAIT-3333',
      because: 'waiting',
    });
  });
});
