import { describe, expect, it } from 'vitest';
import type { Case } from '#shared/cases/case-schema.ts';
import { answerLanguage, decide, readMessage } from '#shared/intake/conversation.ts';
import { waitingMember, waitsOnComplainant } from '#shared/intake/sender.ts';
import { parseKeyword } from '#shared/messages/keywords.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { render, TEMPLATE_IDS } from '#shared/messages/templates.ts';
import { referenceFor } from '#shared/store/ids.ts';

const REF = 'K7MQ-4XZ9';
/** The language a message is answered in, for a number whose language is `fallback`. */
const replyLanguage = (text: string, fallback?: Parameters<typeof answerLanguage>[1]) =>
  answerLanguage(readMessage(text), fallback);

// Messages as people send them; the language each must be answered in.
const MESSAGES = [
  ['ar', 'الماء مقطوع في المخيم منذ ثلاثة أيام ولم يأت أحد'],
  ['ar', 'ما وصلتنا المساعدات هذا الشهر، ليش؟'],
  ['ckb', 'ئێمە سێ مانگە یارمەتیمان پێنەگەیشتووە، تکایە یارمەتیمان بدەن'],
  ['ckb', 'ئاو لە کەمپەکەدا نییە'],
  ['kmr', 'Em sê meh in alîkarî negihîştiye me, ji kerema xwe alîkarî bikin'],
  ['kmr', 'Li kampê av tune ye'],
  ['en', 'We have not received the cash assistance for three months'],
  ['en', 'The water tank in the camp is empty'],
] as const;

describe('SMS replies in the sender’s language', () => {
  it.each(MESSAGES)('answers %s for "%s", in one segment, with the reference', (language, text) => {
    expect(replyLanguage(text, 'ar')).toBe(language);
    const reply = render('received', replyLanguage(text, 'ar'), { ref: REF });
    expect(reply).toContain(REF);
    const { encoding, units, segments } = segmentsOf(reply);
    expect(segments).toBe(1);
    expect(units).toBeLessThanOrEqual(encoding === 'GSM-7' ? 160 : 70);
  });

  it('falls back to the case’s language when the text says nothing about its language', () => {
    for (const text of ['1', '2', '', '👍', '  ', REF, 'ok', 'thanks', 'شكرا', 'Spas', 'k7mq 4xz9']) {
      expect(replyLanguage(text, 'ckb'), JSON.stringify(text)).toBe('ckb');
      expect(replyLanguage(text, 'kmr'), JSON.stringify(text)).toBe('kmr');
    }
  });

  it.each([
    ['STOP', 'stop', 'en'],
    ['توقف', 'stop', 'ar'],
    ['وەستان', 'stop', 'ckb'],
    ['rawestîne', 'stop', 'kmr'],
    ['ابدأ', 'start', 'ar'],
    ['دەستپێکردن', 'start', 'ckb'],
    ['alîkarî', 'help', 'kmr'],
    ['HELP', 'help', 'en'],
  ] as const)(
    '"%s" is %s, answered in %s (for a number without a language) within one segment',
    (text, keyword, language) => {
      expect(parseKeyword(text)).toBe(keyword);
      expect(replyLanguage(text)).toBe(language);
      // A number that has a language keeps it: the keyword is answered in the number's language.
      expect(replyLanguage(text, 'ckb')).toBe('ckb');
      const template = keyword === 'stop' ? 'stopped' : keyword === 'start' ? 'started' : 'help';
      expect(segmentsOf(render(template, language, {})).segments).toBe(1);
    },
  );

  it('every template the SMS webhook answers with exists', () => {
    for (const t of ['received', 'thanks', 'stopped', 'started', 'help']) expect(TEMPLATE_IDS).toContain(t);
  });

  it('threads onto the newest case waiting on the number, else opens the reference drawn for the MessageSid', () => {
    const member = (caseId: string, receivedAt: string) => waitingMember({ caseId, receivedAt });
    const waiting = [
      member('AAAA-2222', '2026-03-01T08:00:00.000Z'),
      member('ZZZZ-9999', '2026-01-01T08:00:00.000Z'),
      member('MMMM-5555', '2026-05-01T08:00:00.000Z'),
    ];
    const text = readMessage('It is in block C, near the school');
    expect(decide(text, { waiting, surveyed: [], restricted: [], own: [] }, 'SM1')).toEqual({
      kind: 'join',
      caseId: 'MMMM-5555',
      because: 'waiting',
    });
    expect(decide(text, { waiting: [], surveyed: [], restricted: [], own: [] }, 'SM1')).toEqual({
      kind: 'open',
      reference: referenceFor('SM1', 0),
    });
  });

  it('counts a case as waiting only with a number, and never once redacted', () => {
    const c = (extra: Partial<Case>) =>
      ({ caseId: 'a', contact: { phoneHash: 'h' }, waitingOn: 'complainant', ...extra }) as Case;
    expect(waitsOnComplainant(c({}))).toBe(true);
    expect(waitsOnComplainant(c({ waitingOn: undefined }))).toBe(false);
    expect(waitsOnComplainant(c({ contact: {} }))).toBe(false);
    expect(waitsOnComplainant(c({ redactedAt: '2026-01-01T00:00:00.000Z' }))).toBe(false);
  });
});
