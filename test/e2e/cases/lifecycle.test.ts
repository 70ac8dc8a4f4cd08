/**
 * The whole loop over HTTP on the local stack: an SMS complaint is stored and routed, an officer acknowledges and
 * resolves it, the outcome SMS with the satisfaction question lands in the outbox, the complainant replies "1",
 * the case closes, and the time-to-close report counts it with its durations.
 */
import { describe, expect, it } from 'vitest';
import { api, devToken, eventually, settle, tokenFor } from '../../support/http.ts';
import { freshPhone, inboundSms, REFERENCE } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted on
type Json = Record<string, any>;

describe('case lifecycle over HTTP', () => {
  it('SMS → routed → acknowledged → resolved → outcome SMS → "1" → closed → counted', async () => {
    const officer = await tokenFor('officer');
    const manager = await tokenFor('manager');
    const phone = freshPhone();
    const reply = await inboundSms(
      phone,
      'The water tank in our camp has been empty for five days and nobody comes.',
    );
    expect(reply.status).toBe(200);
    const reference = REFERENCE.exec(reply.text)?.[0];
    expect(reference).toBeDefined();
    const caseId = reference as string;

    const routed = await eventually(async () => {
      const r = await api('GET', `/api/cases/${caseId}`, { token: officer });
      const c = r.status === 200 ? (r.json() as Json).case : undefined;
      return c?.routing && c?.sla ? c : undefined;
    });
    expect(routed.sensitivity).toBe('S0');

    const before = await settle().then(() =>
      api('GET', '/api/reports/time-to-close?groupBy=month', { token: manager }).then(
        (r) => r.json() as Json,
      ),
    );

    let version = routed.version as number;
    const transition = async (body: Json) => {
      const r = await api('POST', `/api/cases/${caseId}/transitions`, {
        token: officer,
        json: body,
        headers: { 'if-match': String(version) },
      });
      expect(r.status, r.text).toBe(200);
      version = (r.json() as Json).version;
      return r.json() as Json;
    };
    await transition({ action: 'acknowledge' });
    const resolved = await transition({ action: 'resolve', outcome: 'corrected' });
    expect(resolved.status).toBe('resolved');

    const outcome = await eventually(async () => {
      const r = await api('GET', `/dev/outbox?to=${encodeURIComponent(phone)}`, { token: await devToken() });
      const messages = (r.json() as Json).messages as Json[];
      return messages.find((m) => String(m.body ?? '').includes(caseId) && /1\s*=/.test(String(m.body)));
    });
    expect(outcome.statusCallback).toMatch(/\/webhooks\/twilio\/status$/);
    const waiting = await eventually(async () => {
      const c = (await api('GET', `/api/cases/${caseId}`, { token: officer }).then((r) => r.json() as Json))
        .case;
      return c.waitingOn === 'complainant' ? c : undefined;
    });
    expect(waiting.loopClosedBy).toBe('sms');

    expect((await inboundSms(phone, '1')).status).toBe(200);
    const closed = await eventually(async () => {
      const c = (await api('GET', `/api/cases/${caseId}`, { token: officer }).then((r) => r.json() as Json))
        .case;
      return c.status === 'closed' ? c : undefined;
    });
    expect(closed.satisfaction).toBe('satisfied');

    await settle();
    const after = (
      await api('GET', '/api/reports/time-to-close?groupBy=month', { token: manager })
    ).json() as Json;
    const month = closed.receivedAt.slice(0, 7);
    const row = (report: Json) => (report.groups as Json[]).find((g) => g.group === month);
    const b = row(before);
    const a = row(after) as Json;
    expect(a.closed - (b?.closed ?? 0)).toBe(1);
    expect(a.loopClosed.loopClosed - (b?.loopClosed.loopClosed ?? 0)).toBe(1);
    const sum = (g: Json | undefined, k: string) => (g ? (g.timeToClose[k] ?? 0) * g.closed : 0);
    const calendarMs = Date.parse(closed.closedAt) - Date.parse(closed.receivedAt);
    // The report keeps sums exactly and shows rounded means: the difference is this case's duration, give or take
    // the rounding of the two means.
    expect(Math.abs(sum(a, 'meanCalendarMs') - sum(b, 'meanCalendarMs') - calendarMs)).toBeLessThanOrEqual(
      a.closed,
    );
    const workingMs = sum(a, 'meanWorkingMs') - sum(b, 'meanWorkingMs');
    expect(workingMs).toBeGreaterThanOrEqual(-a.closed);
    expect(workingMs).toBeLessThanOrEqual(calendarMs + a.closed);
  });
});
