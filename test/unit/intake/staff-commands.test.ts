import { describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '#shared/cases/case-schema.ts';
import type { FocalPoint } from '#shared/config/schemas.ts';
import { readStaffCommand, staffReply } from '#shared/intake/staff-commands.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { buildNotification, replyCodesLine } from '#shared/routing/notification.ts';

describe('readStaffCommand', () => {
  it.each([
    ['ACK K7MQ-4XZ9', 'acknowledge', undefined],
    ['1 K7MQ-4XZ9', 'acknowledge', undefined],
    ['استلام K7MQ-4XZ9', 'acknowledge', 'ar'],
    ['وەرگیرا K7MQ-4XZ9', 'acknowledge', 'ckb'],
    ['Wergirt K7MQ-4XZ9', 'acknowledge', 'kmr'],
    ['wip K7MQ-4XZ9', 'start', undefined],
    ['٢ K7MQ-4XZ9', 'start', undefined],
    ['جاري K7MQ-4XZ9', 'start', 'ar'],
    ['بەردەوام K7MQ-4XZ9', 'start', 'ckb'],
    ['DIDOME K7MQ-4XZ9', 'start', 'kmr'],
    ['Done K7MQ-4XZ9', 'resolve', undefined],
    ['3 K7MQ-4XZ9', 'resolve', undefined],
    ['تم K7MQ-4XZ9', 'resolve', 'ar'],
    ['تەواو K7MQ-4XZ9', 'resolve', 'ckb'],
    ['qediya K7MQ-4XZ9', 'resolve', 'kmr'],
    ['REF K7MQ-4XZ9', 'refer', undefined],
    ['4 K7MQ-4XZ9', 'refer', undefined],
    ['إحالة K7MQ-4XZ9', 'refer', 'ar'],
    ['ڕەوانە K7MQ-4XZ9', 'refer', 'ckb'],
    ['ŞAND K7MQ-4XZ9', 'refer', 'kmr'],
    ['sand K7MQ-4XZ9', 'refer', 'kmr'],
  ])('reads "%s" as %s (%s)', (body, action, language) => {
    const read = readStaffCommand(body);
    expect(read).toMatchObject({ kind: 'command', action, reference: ['K7MQ-4XZ9'], text: '' });
    expect(read.kind === 'command' ? read.language : 'none').toBe(language);
  });

  it.each(['ack k7mq 4xz9', 'ACK:K7MQ-4XZ9', 'ACK, K7MQ4XZ9', 'ACK K7MQ - 4XZ9', 'ACK K٧MQ-٤XZ٩'])(
    'reads the reference however it is typed: %s',
    (body) => {
      expect(readStaffCommand(body)).toMatchObject({ action: 'acknowledge', reference: ['K7MQ-4XZ9'] });
    },
  );

  it('keeps what follows the reference: the outcome, or the partner', () => {
    expect(readStaffCommand('DONE K7MQ-4XZ9 The tank was refilled today')).toMatchObject({
      action: 'resolve',
      text: 'The tank was refilled today',
    });
    expect(readStaffCommand('تم K7MQ-4XZ9 تمت تعبئة الخزان')).toMatchObject({
      action: 'resolve',
      language: 'ar',
      text: 'تمت تعبئة الخزان',
    });
    expect(readStaffCommand('REF K7MQ-4XZ9 legal-aid')).toMatchObject({ action: 'refer', text: 'legal-aid' });
  });

  it("gives every candidate of a look-alike, for the caller to check against the sender's cases", () => {
    expect(readStaffCommand('ACK K7M0-4XZ9')).toMatchObject({ reference: ['K7MQ-4XZ9', 'K7MD-4XZ9'] });
  });

  it('reads a code without a reference as a code without one', () => {
    expect(readStaffCommand('ACK')).toEqual({
      kind: 'command',
      action: 'acknowledge',
      reference: [],
      text: '',
    });
    expect(readStaffCommand('DONE the tank is full')).toMatchObject({ reference: [] });
  });

  it.each([
    'hello',
    'ACKNOWLEDGED K7MQ-4XZ9',
    'K7MQ-4XZ9 ACK',
    'الماء مقطوع في المخيم',
    '5 K7MQ-4XZ9',
    '',
    '   ',
    '!!!',
  ])('reads "%s" as no code', (body) => {
    expect(readStaffCommand(body)).toEqual({ kind: 'other' });
  });
});

describe('the answers', () => {
  const ref = 'K7MQ-4XZ9';
  it('say the reference and the state, in each language', () => {
    expect(staffReply('done', 'en', { ref, state: 'acknowledged' })).toBe('K7MQ-4XZ9: now acknowledged.');
    expect(staffReply('done', 'ar', { ref, state: 'in_progress' })).toBe('K7MQ-4XZ9: أصبحت قيد المعالجة.');
    expect(staffReply('done', 'ckb', { ref, state: 'resolved' })).toBe('K7MQ-4XZ9: ئێستا چارەسەرکراو.');
    expect(staffReply('done', 'kmr', { ref, state: 'resolved' })).toBe('K7MQ-4XZ9: niha çareserkirî e.');
    expect(staffReply('referred', 'en', { ref, state: 'referred', share: 'anonymous' })).toBe(
      'K7MQ-4XZ9: now referred (anonymous summary).',
    );
    expect(staffReply('not_allowed', 'en', { ref, state: 'closed' })).toBe(
      'K7MQ-4XZ9 is closed: that step is not possible now.',
    );
  });

  it('fit one segment each, the help text at most two', () => {
    for (const language of ['ar', 'ckb', 'kmr', 'en'] as const) {
      for (const reply of [
        'done',
        'referred',
        'not_found',
        'not_allowed',
        'changed',
        'needs_outcome',
      ] as const) {
        const text = staffReply(reply, language, { ref, state: 'in_progress', share: 'consented' });
        expect(segmentsOf(text).segments, text).toBe(1);
      }
      const help = staffReply('help', language);
      expect(segmentsOf(help).segments, help).toBeLessThanOrEqual(2);
    }
  });

  it('the help text lists codes that are read back as the four actions', () => {
    expect(staffReply('help', 'en')).toBe(
      'Codes: ACK <ref>, WIP <ref>, DONE <ref> <outcome>, REF <ref> <partner>. Or 1, 2, 3, 4 for them.',
    );
    for (const [code, action] of [
      ['استلام', 'acknowledge'],
      ['جاري', 'start'],
      ['تم', 'resolve'],
      ['احالة', 'refer'],
    ] as const) {
      expect(staffReply('help', 'ar')).toContain(`${code} <مرجع>`);
      expect(readStaffCommand(`${code} K7MQ-4XZ9`)).toMatchObject({ action });
    }
  });
});

describe("the notification's line of codes", () => {
  const line = replyCodesLine('K7MQ-4XZ9');

  it('fits one plain segment and every code in it is read back', () => {
    expect(line).toBe(
      'Reply: ACK K7MQ-4XZ9, WIP K7MQ-4XZ9, DONE K7MQ-4XZ9 <outcome>, REF K7MQ-4XZ9 <partner>',
    );
    expect(segmentsOf(line)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const parts = line.replace(/^Reply: /, '').split(', ');
    expect(parts.map((p) => readStaffCommand(p))).toMatchObject([
      { action: 'acknowledge', reference: ['K7MQ-4XZ9'] },
      { action: 'start', reference: ['K7MQ-4XZ9'] },
      { action: 'resolve', reference: ['K7MQ-4XZ9'], text: '<outcome>' },
      { action: 'refer', reference: ['K7MQ-4XZ9'], text: '<partner>' },
    ]);
  });

  const fp = (focalPointId: string, channel: FocalPoint['channel'], restricted = false): FocalPoint => ({
    focalPointId,
    name: focalPointId,
    kind: restricted ? 'fraud' : 'general',
    restricted,
    channel,
    active: true,
  });
  const restrictedCase = {
    caseId: 'K7MQ-4XZ9',
    reference: 'K7MQ-4XZ9',
    status: 'new',
    category: 'C06',
    sensitivity: 'S2',
    urgency: 'action',
    location: {},
    classification: { source: 'classifier', evidence: [], changedByOfficer: false },
    routing: { focalPoints: ['fraud'], ruleId: 'r', routedAt: '2026-12-01T08:00:00.000Z' },
  } as unknown as Case;
  const routed = {
    eventId: '01JEVENT000000000000000001',
    caseId: 'K7MQ-4XZ9',
    type: 'routed',
    at: '2026-12-01T08:00:00.000Z',
    actor: { kind: 'system', id: 'router' },
    data: { focalPoints: ['fraud'] },
  } as unknown as CaseEvent;
  const message = (channel: FocalPoint['channel']) =>
    JSON.parse(
      buildNotification(routed, restrictedCase, {
        consoleUrl: 'https://d111.cloudfront.net/console/',
        focalPoints: [fp('fraud', channel, true)],
      }).message,
    ) as Record<string, unknown>;

  it('goes to a focal point notified by SMS, a restricted case included, and names nothing but the reference', () => {
    expect(message({ type: 'sms', address: '+9647501112233' })).toEqual({
      eventId: '01JEVENT000000000000000001',
      eventType: 'routed',
      caseId: 'K7MQ-4XZ9',
      reference: 'K7MQ-4XZ9',
      category: 'C06',
      status: 'new',
      link: 'https://d111.cloudfront.net/console/#/case/K7MQ-4XZ9',
      reply: 'Reply: ACK K7MQ-4XZ9, WIP K7MQ-4XZ9, DONE K7MQ-4XZ9 <outcome>, REF K7MQ-4XZ9 <partner>',
    });
  });

  it('is left out for focal points notified otherwise', () => {
    expect(message({ type: 'email', address: 'fraud@example.org' })).not.toHaveProperty('reply');
  });
});
