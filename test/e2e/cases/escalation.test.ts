/**
 * Escalation over HTTP: an S3 case (acknowledged "at once" under the s3 policy, so overdue as soon as it is
 * routed) is swept by two scheduler runs at the same moment; the focal-point level fires once, recorded once on
 * the case and announced once in the PSEA focal point's inbox.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, devToken, eventually, settle, tokenFor } from '../../support/http.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted on
type Json = Record<string, any>;

describe('SLA escalation over HTTP', () => {
  it('fires once per level when two sweepers run concurrently', { timeout: 120_000 }, async () => {
    const operator = await tokenFor('operator');
    const psea = await tokenFor('psea');
    const created = await api('POST', '/api/cases', {
      token: operator,
      json: {
        channel: 'hotline',
        narrative: 'A driver for the partner asked a girl for sex in return for a place on the list.',
        language: 'en',
        category: 'C07',
        consentToFollowUp: false,
      },
      headers: { 'idempotency-key': `esc-${randomBytes(6).toString('hex')}` },
    });
    expect(created.status).toBe(201);
    const caseId = (created.json() as Json).caseId as string;
    const routed = await eventually(async () => {
      const c = ((await api('GET', `/api/cases/${caseId}`, { token: psea })).json() as Json).case;
      return c?.sla && c?.routing ? c : undefined;
    }, 60_000);
    expect(routed.sla.policyId).toBe('s3');
    expect(routed.routing.focalPoints).toEqual(['psea-focal-point']);

    const sweeps = await Promise.all([
      api('POST', '/dev/scheduler/sweeper', { token: await devToken() }),
      api('POST', '/dev/scheduler/sweeper', { token: await devToken() }),
    ]);
    expect(sweeps.map((s) => s.status)).toEqual([200, 200]);
    await api('POST', '/dev/scheduler/sweeper', { token: await devToken() });
    await settle();

    const detail = (await api('GET', `/api/cases/${caseId}`, { token: psea })).json() as Json;
    expect(detail.case.sla.escalated).toEqual(['acknowledge:focal_point']);
    const escalated = (detail.timeline as Json[]).filter((e) => e.type === 'escalated');
    expect(escalated.map((e) => e.data.level)).toEqual(['focal_point']);

    const notices = await eventually(async () => {
      const inbox = (
        await api('GET', '/dev/inbox?focalPoint=psea-focal-point', { token: await devToken() })
      ).json() as Json;
      const mine = (inbox.notifications as Json[]).filter(
        (n) => n.message?.caseId === caseId && n.attributes?.eventType === 'escalated',
      );
      return mine.length ? mine : undefined;
    });
    expect(new Set(notices.map((n) => n.message.eventId))).toEqual(new Set([escalated[0]?.eventId]));
    expect(JSON.stringify(notices)).not.toContain('driver');
  });
});
