import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler } from '#functions/twilio-status/handler.ts';
import {
  DEFAULT_IVR_PROMPTS,
  ivrPromptsKey,
  loadIvrPrompts,
  putIvrPromptsOverride,
} from '#shared/intake/ivr-prompts.ts';
import { isOptedOut, setOptedOut } from '#shared/intake/opt-out.ts';
import {
  caseIdForMessage,
  OUTBOUND_RETENTION_DAYS,
  outboundKey,
  recordOutbound,
} from '#shared/intake/outbound-index.ts';
import { testPlatform } from '../../support/services.ts';
import { allItems, errorCodeOf, invoke, twilioEvent } from './twilio-events.ts';

const newSid = (p: string) => `${p}${randomBytes(16).toString('hex')}`;

describe('delivery status webhook and the intake’s small stores', () => {
  let platform: Platform;
  let caseId: string;

  beforeAll(async () => {
    platform = await testPlatform();
    usePlatform(platform);
    ({
      case: { caseId },
    } = await platform.cases.create({
      channel: 'sms',
      idempotencyKey: newSid('SM'),
      narrative: 'no water',
      language: 'en',
      phone: '+9647701234567',
      createdBy: { kind: 'complainant' },
    }));
  });

  const status = (params: Record<string, string>) =>
    invoke(
      handler,
      twilioEvent(platform, {
        routeKey: 'POST /webhooks/twilio/status',
        path: '/webhooks/twilio/status',
        params: { AccountSid: platform.twilio.accountSid, ApiVersion: '2010-04-01', ...params },
      }),
    );
  const count = async () => (await allItems(platform.db, platform.tableName)).length;

  it('records each delivery status of a message the platform sent, once', async () => {
    const sid = newSid('SM');
    await recordOutbound(platform.db, platform.tableName, { sid, caseId });
    for (const s of ['sent', 'delivered', 'delivered']) {
      const res = await status({ MessageSid: sid, MessageStatus: s, SmsStatus: s, To: '+9647701234567' });
      expect(res.statusCode).toBe(204);
    }
    const events = (await platform.cases.timeline(caseId)).filter((e) => e.type === 'delivery_status');
    expect(events.map((e) => e.data?.status).sort()).toEqual(['delivered', 'sent']);
    expect(events[0]?.data).toMatchObject({ channel: 'sms', sid });
    expect(JSON.stringify(events)).not.toContain('7701234567');
  });

  it('keeps the error code of a failed message and records call statuses too', async () => {
    const sms = newSid('SM');
    const call = newSid('CA');
    await recordOutbound(platform.db, platform.tableName, { sid: sms, caseId });
    await recordOutbound(platform.db, platform.tableName, { sid: call, caseId });
    await status({ MessageSid: sms, MessageStatus: 'undelivered', ErrorCode: '30003' });
    await status({ CallSid: call, CallStatus: 'no-answer' });
    const events = (await platform.cases.timeline(caseId)).filter((e) => e.type === 'delivery_status');
    expect(events.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { channel: 'sms', sid: sms, status: 'undelivered', errorCode: '30003' },
        { channel: 'call', sid: call, status: 'no-answer' },
      ]),
    );
  });

  it('answers 204 and writes nothing for a SID it did not send', async () => {
    const before = await count();
    const res = await status({ MessageSid: newSid('SM'), MessageStatus: 'delivered' });
    expect(res.statusCode).toBe(204);
    expect(await count()).toBe(before);
  });

  it('refuses a status without a SID and status (400), or unsigned (403)', async () => {
    const before = await count();
    const bad = await status({ MessageStatus: 'delivered' });
    expect(bad.statusCode).toBe(400);
    expect(errorCodeOf(bad)).toBe('REQUEST.INVALID');
    const unsigned = await invoke(
      handler,
      twilioEvent(platform, {
        routeKey: 'POST /webhooks/twilio/status',
        path: '/webhooks/twilio/status',
        params: { AccountSid: platform.twilio.accountSid, MessageSid: newSid('SM'), MessageStatus: 'sent' },
        signature: null,
      }),
    );
    expect(unsigned.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('the outbound index maps a SID to its case and expires after the retention period', async () => {
    const sid = newSid('SM');
    const at = new Date('2026-03-01T12:00:00.000Z');
    await recordOutbound(platform.db, platform.tableName, { sid, caseId, at });
    expect(await caseIdForMessage(platform.db, platform.tableName, sid)).toBe(caseId);
    expect(await caseIdForMessage(platform.db, platform.tableName, newSid('SM'))).toBeUndefined();
    const item = await platform.db.get(platform.tableName, outboundKey(sid));
    expect(item?.expiresAt).toBe(
      Date.parse('2026-03-01T12:00:00.000Z') / 1000 + OUTBOUND_RETENTION_DAYS * 86_400,
    );
  });

  it('opt-outs are kept per phone hash, without the number', async () => {
    const hash = platform.protector.hashPhone('+9647709998877');
    expect(await isOptedOut(platform.db, platform.tableName, hash)).toBe(false);
    await setOptedOut(platform.db, platform.tableName, hash, true, '2026-03-01T12:00:00.000Z');
    expect(await isOptedOut(platform.db, platform.tableName, hash)).toBe(true);
    await setOptedOut(platform.db, platform.tableName, hash, false, '2026-03-02T12:00:00.000Z');
    expect(await isOptedOut(platform.db, platform.tableName, hash)).toBe(false);
    expect(JSON.stringify(await allItems(platform.db, platform.tableName))).not.toContain('9709998877');
  });

  it('the store writes an event once per key, and refuses one for a case that does not exist', async () => {
    const draft = { type: 'note', actor: { kind: 'system' } } as const;
    const key = `TEST#${newSid('SM')}`;
    expect((await platform.cases.appendEventOnce(caseId, draft, key)).duplicate).toBe(false);
    expect(await platform.cases.appendEventOnce(caseId, draft, key)).toEqual({ duplicate: true });
    await expect(
      platform.cases.appendEventOnce('NO-SUCH-CASE', draft, `TEST#${newSid('SM')}`),
    ).rejects.toMatchObject({
      code: 'CASE.NOT_FOUND',
    });
    const change = (c: Awaited<ReturnType<typeof platform.cases.mustGet>>) => ({
      next: { ...c, narrative: `${c.narrative}!` },
      events: [draft],
    });
    const mkey = `TEST#${newSid('SM')}`;
    const first = await platform.cases.mutate(caseId, undefined, change, { idempotencyKey: mkey });
    const again = await platform.cases.mutate(caseId, undefined, change, { idempotencyKey: mkey });
    expect(first.changed).toBe(true);
    expect(again).toMatchObject({ changed: false, duplicate: true });
    expect((await platform.cases.mustGet(caseId)).version).toBe(first.case.version);
  });

  it('loads stored IVR prompts over the defaults, and falls back to the defaults when the record is damaged', async () => {
    expect(await loadIvrPrompts(platform.db, platform.tableName)).toEqual(DEFAULT_IVR_PROMPTS);
    await putIvrPromptsOverride(platform.db, platform.tableName, {
      languages: { kmr: { prompts: { greeting: { play: '/audio/kmr/greeting.mp3' } } } },
    });
    const loaded = await loadIvrPrompts(platform.db, platform.tableName);
    expect(loaded.kmr.prompts.greeting).toEqual({ play: '/audio/kmr/greeting.mp3' });
    expect(loaded.kmr.prompts.goodbye).toEqual(DEFAULT_IVR_PROMPTS.kmr.prompts.goodbye);

    await platform.db.put({
      TableName: platform.tableName,
      Item: { ...ivrPromptsKey, record: { languages: { ar: { prompts: { greeting: { say: '' } } } } } },
    });
    let reported = 0;
    expect(await loadIvrPrompts(platform.db, platform.tableName, () => reported++)).toEqual(
      DEFAULT_IVR_PROMPTS,
    );
    expect(reported).toBe(1);
    await expect(
      putIvrPromptsOverride(platform.db, platform.tableName, { languages: { ar: { say: { voice: 'x' } } } }),
    ).rejects.toThrow();
  });
});
