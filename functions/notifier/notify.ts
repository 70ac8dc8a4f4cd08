/**
 * Closing the loop with the complainant. The notifier's queue gets the case events published for the
 * complainant (`audience: complainant`, see shared/routing/notification.ts); for
 * - a resolution: the outcome in the complainant's language and the one-key satisfaction question, after which
 *   the case waits on the complainant (clock paused, `waitingOn`) and the loop counts as closed by SMS;
 * - a closing without an answer (the sweeper's `no_answer`): a short notice that the case is closed.
 * Anything else on the queue is acknowledged and left alone.
 *
 * Only to a complainant who consented to follow-up and gave a number, whose number has not opted out, and never
 * for an S3 case (sexual exploitation and abuse, child safeguarding): there the PSEA focal point closes the loop
 * in person, as a text on a shared phone can put the person at risk.
 *
 * The message goes out on the transport the person last wrote by (shared/intake/transports/outbound-route.ts):
 * Twilio SMS, WhatsApp (free text inside the 24-hour window, an approved template outside it), or queued for the
 * local SMS gateway.
 *
 * Once per (case, event), and never lost: a marker item (pk `NOTIFY#<caseId>`, sk `<eventId>`) is claimed before
 * sending, with a lease. A failed send releases the claim so the redelivery tries again. A claim whose holder died
 * (a timeout, a crash between the claim and the send) lapses with its lease, and the next delivery takes it over
 * and sends; while the lease holds, a delivery fails (it comes back later) rather than being acknowledged. Only a
 * marker that records a send (`sent`, with Twilio's SID) makes a delivery answer "already sent".
 *
 * What remains: a holder that died after Twilio accepted the message and before the marker says `sent` (the few
 * milliseconds of one DynamoDB write) is sent again when the lease lapses: at least once, never zero times.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { pauseClock } from '#functions/cases/lifecycle.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { sendSms, sendWhatsAppTemplate } from '#functions/lib/twilio.ts';
import type { Case, CaseEvent } from '#shared/cases/case-schema.ts';
import { ConditionFailedError } from '#shared/errors/aws-errors.ts';
import { recordOutbound } from '#shared/intake/outbound-index.ts';
import { senderKey, senderState } from '#shared/intake/sender.ts';
import { queueGatewayMessage } from '#shared/intake/transports/gateway-outbox.ts';
import { type OutboundRoute, outboundRoute } from '#shared/intake/transports/outbound-route.ts';
import { templateVariables } from '#shared/intake/transports/whatsapp.ts';
import { outcomeText, render, type Script, scriptOf } from '#shared/messages/templates.ts';

export const NOTIFIER_ACTOR = { kind: 'system', id: 'notifier' } as const;

const Message = z
  .object({ eventId: z.string().min(1), eventType: z.string(), caseId: z.string().min(1) })
  .loose();
const Envelope = z.object({ Type: z.literal('Notification'), Message: z.string() }).loose();

export const notifyMarkerKey = (caseId: string, eventId: string) => ({ pk: `NOTIFY#${caseId}`, sk: eventId });

/**
 * How long a claim holds. Longer than the notifier's function timeout (10 s), so whoever claimed can no longer be
 * running when it lapses; shorter than the queue's visibility timeout (60 s), so the redelivery finds it lapsed.
 */
export const CLAIM_LEASE_MS = 30_000;

/** Another delivery of the same message holds the claim: this one comes back after the visibility timeout. */
export class ClaimHeldError extends Error {
  readonly code = 'NOTIFIER.CLAIM_HELD';
  constructor() {
    super('Another delivery holds the claim on this message');
    this.name = 'ClaimHeldError';
  }
}

/** The case event an SQS body announces (raw delivery or an SNS envelope), or undefined for anything else. */
export function parseBody(body: string): z.infer<typeof Message> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
    const env = Envelope.safeParse(parsed);
    if (env.success) parsed = JSON.parse(env.data.Message);
  } catch {
    return undefined;
  }
  const m = Message.safeParse(parsed);
  return m.success ? m.data : undefined;
}

export type NotifyOutcome =
  | 'NOTIFIER.IGNORED'
  | 'NOTIFIER.ALREADY_SENT'
  | 'NOTIFIER.NOT_ELIGIBLE'
  | 'NOTIFIER.OPTED_OUT'
  | 'NOTIFIER.STALE'
  | 'NOTIFIER.SENT';

type Template = 'resolved' | 'closed_no_answer';

/** Which message, if any, an event calls for. */
export function templateFor(event: CaseEvent): Template | undefined {
  if (event.type !== 'transition') return undefined;
  if (event.toStatus === 'resolved' && event.data?.onContact !== true) return 'resolved';
  if (event.toStatus === 'closed' && event.data?.satisfaction === 'no_answer') return 'closed_no_answer';
  return undefined;
}

/** Whether the case still stands where the event left it (a later change makes the message moot). */
function stillCurrent(c: Case, event: CaseEvent, template: Template): boolean {
  if (template === 'resolved') return c.status === 'resolved' && c.resolvedAt === event.at && !c.loopClosedBy;
  return c.status === 'closed' && c.closedAt === event.at;
}

export function makeNotifier(platform: Platform) {
  const { db, tableName } = platform;

  /**
   * Claims the message: a new marker, or one whose holder's lease has lapsed. Resolves with the claim's id, or
   * `sent` when a send is recorded; throws {@link ClaimHeldError} while another holder's lease runs.
   */
  async function claim(caseId: string, eventId: string): Promise<{ claimId: string } | 'sent'> {
    const now = platform.now().getTime();
    const claimId = randomUUID();
    try {
      await db.put({
        TableName: tableName,
        Item: {
          ...notifyMarkerKey(caseId, eventId),
          entity: 'notify_marker',
          state: 'sending',
          claimId,
          leaseUntil: now + CLAIM_LEASE_MS,
          at: new Date(now).toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending', ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { claimId };
    } catch (err) {
      if (!(err instanceof ConditionFailedError)) throw err;
      if (err.item?.state === 'sent') return 'sent';
      throw new ClaimHeldError();
    }
  }

  /** Gives a claim back after a failed send, unless it has been taken over since. */
  async function release(caseId: string, eventId: string, claimId: string): Promise<void> {
    try {
      await db.delete({
        TableName: tableName,
        Key: notifyMarkerKey(caseId, eventId),
        ConditionExpression: 'claimId = :mine AND #state = :sending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':mine': claimId, ':sending': 'sending' },
      });
    } catch (err) {
      if (!(err instanceof ConditionFailedError)) throw err;
    }
  }

  /** Sends the message on its route; resolves with Twilio's SID or the gateway message's id. */
  async function send(
    c: Case,
    event: CaseEvent,
    template: Template,
    route: OutboundRoute,
    script: Script | undefined,
  ): Promise<string> {
    const phone = platform.protector.decrypt(c.contact.phoneCipher as string);
    const vars = {
      ref: c.reference,
      ...(c.outcome ? { outcome: c.outcome } : {}),
      ...(c.outcomeMessage ? { message: c.outcomeMessage } : {}),
    };
    const body = render(template, c.language, vars, script);
    const statusCallback = `${platform.publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status`;
    if (route.transport === 'gateway') {
      // Queued, not sent here: the gateway sender hands it to the relay, retrying; the marker stays claimed.
      const queued = await queueGatewayMessage(
        db,
        tableName,
        {
          key: `notify:${c.caseId}:${event.eventId}`,
          phoneCipher: c.contact.phoneCipher as string,
          text: body,
          purpose: template,
          caseId: c.caseId,
        },
        platform.now(),
      );
      return queued.id;
    }
    if (route.transport === 'whatsapp' && route.mode === 'template') {
      // The outcome in the template's own script (Badini in Arabic letters, or the Latin template it fell back to).
      const outcome = c.outcome ? outcomeText(c.outcome, c.language, route.script) : undefined;
      const sent = await sendWhatsAppTemplate(platform, {
        from: `whatsapp:${route.from}`,
        to: `whatsapp:${phone}`,
        contentSid: route.contentSid,
        variables: templateVariables(template, { ref: c.reference, ...(outcome ? { outcome } : {}) }),
        statusCallback,
      });
      return sent.sid;
    }
    const sent = await sendSms(platform, {
      to: route.transport === 'whatsapp' ? `whatsapp:${phone}` : phone,
      ...(route.transport === 'whatsapp' ? { from: `whatsapp:${route.from}` } : {}),
      body,
      statusCallback,
    });
    return sent.sid;
  }

  async function handle(body: string): Promise<NotifyOutcome> {
    const msg = parseBody(body);
    if (msg?.eventType !== 'transition') return 'NOTIFIER.IGNORED';
    const timeline = await platform.cases.timeline(msg.caseId);
    const event = timeline.find((e) => e.eventId === msg.eventId);
    const template = event ? templateFor(event) : undefined;
    if (!event || !template) return 'NOTIFIER.IGNORED';
    const c = await platform.cases.get(msg.caseId, true);
    if (!c || !stillCurrent(c, event, template)) return 'NOTIFIER.STALE';
    if (
      !c.consentToFollowUp ||
      !c.contact.phoneCipher ||
      !c.contact.phoneHash ||
      c.redactedAt ||
      c.sensitivity === 'S3'
    ) {
      return 'NOTIFIER.NOT_ELIGIBLE';
    }
    // The number's item says whether it opted out and how it last wrote (where the message goes).
    const number = senderState(await db.get(tableName, senderKey(c.contact.phoneHash), true));
    if (number.optedOut) return 'NOTIFIER.OPTED_OUT';
    const claimed = await claim(c.caseId, event.eventId);
    if (claimed === 'sent') return 'NOTIFIER.ALREADY_SENT';

    // Badini written in Arabic letters is answered in them: as the number last wrote in the case's language, else
    // as the case's text is written.
    const script = number.lang === c.language ? number.script : scriptOf(c.language, c.narrative);
    const route = outboundRoute(
      number,
      template,
      c.language,
      {
        gateway: platform.gateway !== undefined,
        ...(platform.whatsapp ? { whatsapp: platform.whatsapp } : {}),
      },
      platform.now(),
      script,
    );
    let sid: string;
    try {
      sid = await send(c, event, template, route, script);
    } catch (err) {
      await release(c.caseId, event.eventId, claimed.claimId);
      throw err;
    }
    await db.put({
      TableName: tableName,
      Item: {
        ...notifyMarkerKey(c.caseId, event.eventId),
        entity: 'notify_marker',
        state: 'sent',
        claimId: claimed.claimId,
        sid,
        at: platform.now().toISOString(),
      },
    });
    await recordOutbound(db, tableName, { sid, caseId: c.caseId, at: platform.now() });
    const out = {
      type: 'message_out' as const,
      actor: NOTIFIER_ACTOR,
      data: {
        template,
        sid,
        forEventId: event.eventId,
        transport: route.transport,
        ...(route.transport === 'whatsapp' ? { mode: route.mode } : {}),
      },
    };
    if (template === 'resolved') {
      // Now the case waits for the answer: the clock stands still and the loop counts as closed by SMS.
      await platform.cases.mutate(c.caseId, undefined, (current, at) => {
        if (!stillCurrent(current, event, template)) return { next: current, events: [out] };
        const paused = pauseClock(
          { ...current, loopClosedBy: 'sms' },
          at,
          NOTIFIER_ACTOR,
          'Waiting for the satisfaction answer',
        );
        return {
          next: paused?.next ?? { ...current, loopClosedBy: 'sms' },
          events: [out, ...(paused?.events ?? [])],
        };
      });
    } else {
      await platform.cases.appendEvent(c.caseId, out);
    }
    return 'NOTIFIER.SENT';
  }

  return { handle };
}
