import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { handler } from '#functions/twilio-sms/handler.ts';
import { render } from '#shared/messages/templates.ts';
import { allElements, parseXml, textOf } from '../../../scripts/lib/xml.ts';
import type { startInbox } from '../../support/inbox.ts';
import { newIraqiPhone, newMessageSid, smsWebhookTests } from '../../support/sms-webhook.ts';

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

describe('a number past its message budget', () => {
  const webhook = smsWebhookTests(handler);
  let platform: Platform;
  let inbox: ReturnType<typeof startInbox>;

  beforeAll(() => {
    ({ platform, inbox } = webhook);
  });

  const sms = async (from: string, body: string, messageSid = newMessageSid()) => {
    const res = await webhook.post(webhook.params(from, body, { MessageSid: messageSid }));
    expect(res.statusCode).toBe(200);
    return allElements(parseXml(res.body))
      .filter((e) => e.name === 'Message')
      .map(textOf);
  };
  const casesOf = async (phone: string) =>
    (await platform.cases.listByPhoneHash(platform.protector.hashPhone(phone), { limit: 50 })).items;

  it('fifteen messages from one number make five cases and six answers; the rest join the open case', async () => {
    const phone = newIraqiPhone();
    const answers: string[][] = [];
    for (let i = 1; i <= 15; i++) {
      answers.push(await sms(phone, `الماء مقطوع في المخيم، الرسالة رقم ${i} عن نفس المشكلة`));
    }
    // Five references, then the notice once, in Arabic, then nothing.
    expect(answers.slice(0, 5).map((a) => a.length)).toEqual([1, 1, 1, 1, 1]);
    for (const [a] of answers.slice(0, 5)) expect(a).toMatch(REF);
    expect(answers[5]).toEqual([render('many_messages', 'ar', {})]);
    expect(answers.slice(6)).toEqual(Array.from({ length: 9 }, () => []));

    await inbox.settle();
    const cases = await casesOf(phone);
    expect(cases).toHaveLength(5);
    const refs = answers.slice(0, 5).map(([a]) => REF.exec(a as string)?.[0]);
    expect(cases.map((c) => c.reference).sort()).toEqual([...refs].sort());
    // The ten past the budget are on the newest case, as messages, their text in its narrative.
    const newest = cases.find((c) => c.reference === refs[4]);
    const timeline = await platform.cases.timeline(newest?.caseId as string);
    const joined = timeline.filter((e) => e.type === 'message_in');
    expect(joined).toHaveLength(10);
    expect(joined.map((e) => e.data?.budget)).toEqual(['notice', ...Array.from({ length: 9 }, () => 'over')]);
    expect(newest?.narrative).toContain('الرسالة رقم 15');
  });

  it('answers other numbers as usual while one number floods', async () => {
    const flooding = newIraqiPhone();
    for (let i = 0; i < 8; i++) await sms(flooding, `Flood message ${i} about the same water point`);
    const other = newIraqiPhone();
    const [answer] = await sms(other, 'We have not received the cash assistance for three months');
    expect(answer).toBe(render('received', 'en', { ref: REF.exec(answer as string)?.[0] as string }));
    await inbox.settle();
    expect(await casesOf(other)).toHaveLength(1);
    expect(await casesOf(flooding)).toHaveLength(5);
  });

  it('answers a repeated delivery of a message past the budget exactly as the first: not at all', async () => {
    const phone = newIraqiPhone();
    for (let i = 0; i < 6; i++) await sms(phone, `Message ${i}: the school has no water`);
    const sid = newMessageSid();
    expect(await sms(phone, 'Message 6: still no water at the school', sid)).toEqual([]);
    expect(await sms(phone, 'Message 6: still no water at the school', sid)).toEqual([]);
    await inbox.settle();
    expect(await sms(phone, 'Message 6: still no water at the school', sid)).toEqual([]);
    expect(await casesOf(phone)).toHaveLength(5);
  });

  it('a number whose cases are all closed gets one case for its flood, unanswered', async () => {
    const phone = newIraqiPhone();
    for (let i = 0; i < 5; i++) await sms(phone, `Message ${i}: the road to the camp is blocked`);
    await inbox.settle();
    const officer = { kind: 'staff', id: 'test-officer' } as const;
    for (const c of await casesOf(phone)) {
      await platform.cases.mutate(c.caseId, undefined, (current, at) => ({
        next: { ...current, status: 'closed', closedAt: at },
        events: [{ type: 'transition', actor: officer, fromStatus: current.status, toStatus: 'closed' }],
      }));
    }
    expect(await sms(phone, 'Message 5: the road is still blocked')).toEqual([
      render('many_messages', 'en', {}),
    ]);
    expect(await sms(phone, 'Message 6: the road is still blocked')).toEqual([]);
    await inbox.settle();
    const open = (await casesOf(phone)).filter((c) => c.status !== 'closed');
    expect(open).toHaveLength(1);
    expect(open[0]?.narrative).toContain('Message 6');
  });
});
