/**
 * `GET /dev/idle`, which every test and the bench wait on: 200 only when the workers are idle, and a 503 naming what
 * is behind when they did not get there in time (here: the router, which cannot publish while the SNS/SQS emulator
 * is stopped).
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { api, devToken, settle } from '../../support/http.ts';

describe('GET /dev/idle', () => {
  afterAll(async () => {
    await api('POST', '/dev/messaging', { token: await devToken(), json: { running: true } });
  });

  it('answers 200 when idle, and 503 with what is behind when the router cannot catch up in time', async () => {
    await settle();
    const idle = await api('GET', '/dev/idle?timeoutMs=60000', { token: await devToken() });
    expect(idle.status).toBe(200);
    expect(idle.json()).toMatchObject({ idle: true });

    expect(
      (await api('POST', '/dev/messaging', { token: await devToken(), json: { running: false } })).status,
    ).toBe(200);
    const url = inject('baseUrl');
    const sms = await sendSms(
      { url, publicBaseUrl: url, authToken: inject('twilioAuthToken'), accountSid: LOCAL_TWILIO.accountSid },
      {
        from: `+96478${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`,
        to: LOCAL_TWILIO.messagingFrom,
        body: 'The water point near the school has been broken for a week',
      },
    );
    expect(sms.status).toBe(200);

    const behind = await api('GET', '/dev/idle?timeoutMs=3000', { token: await devToken() });
    expect(behind.status).toBe(503);
    expect(behind.json()).toMatchObject({
      error: { code: 'LOCAL.NOT_IDLE' },
      idle: false,
      behind: { streams: expect.arrayContaining(['router']) },
    });

    expect(
      (await api('POST', '/dev/messaging', { token: await devToken(), json: { running: true } })).status,
    ).toBe(200);
    await settle();
    expect((await api('GET', '/dev/idle?timeoutMs=60000', { token: await devToken() })).status).toBe(200);
  });

  it('refuses a timeout that is not a number of milliseconds', async () => {
    const res = await api('GET', '/dev/idle?timeoutMs=soon', { token: await devToken() });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'REQUEST.INVALID' } });
  });
});
