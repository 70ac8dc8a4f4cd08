/**
 * Every text that reaches a case is read, as people send it to the local stack: a voice message after the
 * "question" key (Twilio's recording and transcription callbacks, signed by the Twilio SDK), an SMS follow-up
 * that names its case, an operator's summary of a call and an operator's note. Automatic reading raises a case
 * (it leaves the officers and reaches PSEA, who is alerted without personal data), never lowers one.
 */
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { parseMoves, placeCall } from '../../../scripts/lib/call-sim.ts';
import type { SimTarget } from '../../../scripts/lib/twilio-sim.ts';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';
import { newPhone, notificationsFor, postSms } from './support.ts';

const target = (): SimTarget => ({
  url: inject('baseUrl'),
  publicBaseUrl: inject('baseUrl'),
  authToken: inject('twilioAuthToken'),
  accountSid: LOCAL_TWILIO.accountSid,
});

interface CaseBody {
  caseId: string;
  reference: string;
  sensitivity: string;
  category: string | null;
}

async function caseOf(reference: string): Promise<CaseBody> {
  const token = await tokenFor('psea');
  const found = await api('POST', '/api/cases/lookup', { token, json: { reference } });
  const [item] = (found.json() as { items: { caseId: string }[] }).items;
  expect(item, `case ${reference}`).toBeDefined();
  const res = await api('GET', `/api/cases/${item?.caseId}`, { token });
  expect(res.status).toBe(200);
  return (res.json() as { case: CaseBody }).case;
}

/** The case once the stream consumers are idle and it has reached `sensitivity`. */
async function caseAt(reference: string, sensitivity: string): Promise<CaseBody> {
  return eventually(async () => {
    await settle();
    const c = await caseOf(reference);
    return c.sensitivity === sensitivity ? c : undefined;
  }, 60_000);
}

/** What an officer gets for the case: its detail's status code, and whether their lists hold it. */
async function officerSees(c: CaseBody): Promise<{ detail: number; listed: boolean; found: boolean }> {
  const token = await tokenFor('officer');
  const detail = await api('GET', `/api/cases/${c.caseId}`, { token });
  const list = await api('GET', `/api/cases?text=${encodeURIComponent(c.reference)}&limit=100`, { token });
  const found = await api('POST', '/api/cases/lookup', { token, json: { reference: c.reference } });
  return {
    detail: detail.status,
    listed: (list.json() as { items: { caseId: string }[] }).items.some((i) => i.caseId === c.caseId),
    found: (found.json() as { items: unknown[] }).items.length > 0,
  };
}

const SEA_AR = 'الموزع قال لي تعالي وحدك الى بيته بالليل حتى يعطيني سلة اضافية';
const SEA_EN = 'The distributor told me to come to his house alone at night if I want the extra food basket';

describe('every text that reaches a case is read, and only raises it', () => {
  it('a voice message after the "question" key describing sexual exploitation: S3, gone from officers, PSEA alerted', {
    timeout: 120_000,
  }, async () => {
    const from = newPhone();
    const call = await placeCall(target(), {
      from,
      to: LOCAL_TWILIO.messagingFrom,
      moves: parseMoves(`1,1,1,record:"${SEA_AR}"`),
    });
    expect(call.failed).toBeUndefined();
    const c = await caseAt(call.reference as string, 'S3');
    expect(c.category).toBe('C07');
    expect(await officerSees(c)).toEqual({ detail: 404, listed: false, found: false });

    // The question went to the officers when the call was routed; the transcript took it to PSEA, alerted once.
    const alerts = await eventually(async () => {
      const found = (await notificationsFor(c.reference)).filter((n) => n.message.eventType === 'routed');
      return found.some((n) => n.focalPointId === 'psea-focal-point') ? found : undefined;
    });
    expect(alerts.filter((n) => n.focalPointId === 'psea-focal-point')).toHaveLength(1);
    for (const n of alerts) {
      expect(JSON.stringify(n)).not.toContain(from.slice(-9));
      expect(JSON.stringify(n)).not.toContain('الموزع');
    }
  });

  it('an SMS follow-up that names its case and describes abuse raises it', { timeout: 120_000 }, async () => {
    const from = newPhone();
    const first = await postSms('The water in the camp has been cut for three days', from);
    const reference = first.reference as string;
    const before = await caseAt(reference, 'S0');
    expect((await officerSees(before)).detail).toBe(200);

    const followUp = await postSms(`${reference} ${SEA_EN}`, from);
    expect(followUp.status).toBe(200);
    const after = await caseAt(reference, 'S3');
    expect(after.caseId).toBe(before.caseId);
    expect(await officerSees(after)).toEqual({ detail: 404, listed: false, found: false });
    const alerts = await eventually(async () => {
      const found = (await notificationsFor(reference)).filter(
        (n) => n.message.eventType === 'routed' && n.focalPointId === 'psea-focal-point',
      );
      return found.length ? found : undefined;
    });
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts)).not.toContain('distributor');
    // The PSEA desk answers her message, so the shared stack's desk holds no flag other journeys do not expect.
    const answered = await api('POST', `/api/cases/${after.caseId}/notes`, {
      token: await tokenFor('psea'),
      json: { text: 'Called her back; safety plan agreed.' },
    });
    expect(answered.status).toBe(201);
  });

  it('an operator’s summary of a call that describes abuse is read, though she chose "services"', {
    timeout: 120_000,
  }, async () => {
    const operator = await tokenFor('operator');
    const res = await api('POST', '/api/cases', {
      token: operator,
      headers: { 'idempotency-key': `op-${Date.now()}-${Math.random()}` },
      json: {
        channel: 'hotline',
        narrative: `Caller from the camp. ${SEA_EN}`,
        language: 'en',
        category: 'C03',
        consentToFollowUp: false,
      },
    });
    expect(res.status).toBe(201);
    const { reference } = res.json() as { reference: string };
    // Her choice of category stands; the words restrict the case, and it leaves her view.
    const c = await caseAt(reference, 'S3');
    expect(c.category).toBe('C03');
    expect((await api('GET', `/api/cases/${c.caseId}`, { token: operator })).status).toBe(404);
  });

  it('an operator’s note on a later call raises the case; a calm one on a restricted case lowers nothing', {
    timeout: 120_000,
  }, async () => {
    const operator = await tokenFor('operator');
    const log = async (json: Record<string, unknown>) => {
      const res = await api('POST', '/api/cases', {
        token: operator,
        headers: { 'idempotency-key': `op-${Date.now()}-${Math.random()}` },
        json: { channel: 'hotline', language: 'en', consentToFollowUp: false, ...json },
      });
      expect(res.status).toBe(201);
      return res.json() as { caseId: string; reference: string };
    };
    const calm = await log({
      narrative: 'The caller asks where the new water point will be built',
      category: 'C03',
    });
    await caseAt(calm.reference, 'S0');
    const noted = await api('POST', `/api/cases/${calm.caseId}/notes`, {
      token: operator,
      json: {
        text: 'On her second call she said the volunteer touched her daughter during the distribution',
      },
    });
    expect(noted.status).toBe(201);
    const raised = await caseAt(calm.reference, 'S3');
    expect(await officerSees(raised)).toEqual({ detail: 404, listed: false, found: false });

    // The operator restricted this one herself; a calm summary and a calm note never lower it.
    const restricted = await log({
      narrative: 'The caller asks where the new water point will be built',
      category: 'C03',
      sensitivity: 'S2',
    });
    await caseAt(restricted.reference, 'S2');
    const psea = await tokenFor('psea');
    expect(
      (
        await api('POST', `/api/cases/${restricted.caseId}/notes`, {
          token: psea,
          json: { text: 'Spoke to the caller: she only asks about the water point' },
        })
      ).status,
    ).toBe(201);
    await settle();
    expect((await caseOf(restricted.reference)).sensitivity).toBe('S2');
  });
});
