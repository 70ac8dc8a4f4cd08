import { describe, expect, it } from 'vitest';
import type { Case } from '#shared/cases/case-schema.ts';
import { replyLanguage, waitingCase } from '#shared/intake/sms-intake.ts';
import { parseKeyword } from '#shared/messages/keywords.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { render, TEMPLATE_IDS } from '#shared/messages/templates.ts';

const REF = 'K7MQ-4XZ9';

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
    for (const text of ['1', '2', '', '👍', '  ']) {
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
  ] as const)('"%s" is %s, answered in %s within one segment', (text, keyword, language) => {
    expect(parseKeyword(text)).toBe(keyword);
    expect(replyLanguage(text, 'ar')).toBe(language);
    const template = keyword === 'stop' ? 'stopped' : keyword === 'start' ? 'started' : 'help';
    expect(segmentsOf(render(template, language, {})).segments).toBe(1);
  });

  it('every template the SMS webhook answers with exists', () => {
    for (const t of ['received', 'thanks', 'stopped', 'started', 'help']) expect(TEMPLATE_IDS).toContain(t);
  });

  it('threads onto the newest case waiting on the complainant, never a redacted one', () => {
    const c = (caseId: string, extra: Partial<Case>) => ({ caseId, ...extra }) as Case;
    expect(
      waitingCase([c('a', {}), c('b', { waitingOn: 'complainant' }), c('c', { waitingOn: 'complainant' })]),
    ).toMatchObject({ caseId: 'b' });
    expect(waitingCase([c('a', {}), c('b', {})])).toBeUndefined();
    expect(
      waitingCase([c('a', { waitingOn: 'complainant', redactedAt: '2026-01-01T00:00:00.000Z' })]),
    ).toBeUndefined();
  });
});
