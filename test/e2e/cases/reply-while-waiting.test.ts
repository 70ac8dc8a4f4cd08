/**
 * Over HTTP on the local stack: an officer asks the person for more information, the SLA clock stops; the person
 * texts back (posted exactly as Twilio posts it, signed) and the case comes back to the officer's queue: no longer
 * waiting, still in progress, its clock running again and moved on by the wait, flagged as a new message.
 */
import { describe, expect, it } from 'vitest';
import { api, eventually, tokenFor } from '../../support/http.ts';
import { freshPhone, inboundSms, REFERENCE } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted on
type Json = Record<string, any>;

describe('a reply to a request for more information, over HTTP', () => {
  it('SMS → in progress → "which block?" (clock paused) → the person answers → back in the queue, clock running', async () => {
    const officer = await tokenFor('officer');
    const phone = freshPhone();
    const first = await inboundSms(phone, 'The water tank in our camp has been empty for five days.');
    expect(first.status).toBe(200);
    const caseId = REFERENCE.exec(first.text)?.[0] as string;
    expect(caseId).toBeDefined();
    const routed = await eventually(async () => {
      const r = await api('GET', `/api/cases/${caseId}`, { token: officer });
      const c = r.status === 200 ? (r.json() as Json).case : undefined;
      return c?.routing && c?.sla ? c : undefined;
    });

    let version = routed.version as number;
    const staff = async (method: 'POST' | 'PATCH', path: string, json: Json) => {
      const r = await api(method, path, { token: officer, json, headers: { 'if-match': String(version) } });
      expect(r.status, r.text).toBe(200);
      version = (r.json() as Json).version;
      return r.json() as Json;
    };
    await staff('POST', `/api/cases/${caseId}/transitions`, { action: 'acknowledge' });
    await staff('POST', `/api/cases/${caseId}/transitions`, { action: 'start' });
    const asked = await staff('PATCH', `/api/cases/${caseId}`, {
      waitingOn: 'complainant',
      reason: 'Asked which block the tank is in',
    });
    expect(asked).toMatchObject({ status: 'in_progress', waitingOn: 'complainant' });
    expect(asked.sla.pausedSince).toBeDefined();
    const dueWhileWaiting = asked.sla.resolveBy as string;

    const answer = await inboundSms(phone, 'It is block C, next to the school.');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain(caseId);

    const back = await eventually(async () => {
      const c = (await api('GET', `/api/cases/${caseId}`, { token: officer }).then((r) => r.json() as Json))
        .case;
      return c.waitingOn === undefined ? c : undefined;
    });
    expect(back.status).toBe('in_progress');
    expect(back.newMessage).toBe(true);
    expect(back.narrative).toContain('It is block C, next to the school.');
    expect(back.sla.pausedSince).toBeUndefined();
    expect(back.sla.pausedMs).toBeGreaterThanOrEqual(0);
    // Moved on by the wait (counted on its clock), never brought forward.
    expect(back.sla.resolveBy >= dueWhileWaiting).toBe(true);

    // In the officer's queue: the in-progress list shows it as a new message, no longer waiting.
    const list = (
      await api('GET', '/api/cases?status=in_progress&limit=100', { token: officer })
    ).json() as Json;
    const row = (list.items as Json[]).find((i) => i.caseId === caseId);
    expect(row).toMatchObject({ newMessage: true });
    expect(row?.waitingOn).toBeUndefined();

    const timeline = (
      await api('GET', `/api/cases/${caseId}`, { token: officer }).then((r) => r.json() as Json)
    ).timeline as Json[];
    expect(
      timeline
        .filter((e) => e.type === 'updated' && e.data?.clock === 'resumed')
        .map((e) => ({ actor: e.actor?.kind, resumedBy: e.data?.resumedBy })),
    ).toEqual([{ actor: 'complainant', resumedBy: 'reply' }]);
  });
});
