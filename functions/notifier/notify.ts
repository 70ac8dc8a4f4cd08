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
 * Once per (case, event): a marker item (pk `NOTIFY#<caseId>`, sk `<eventId>`) is claimed before sending. A
 * failed send releases it so the redelivery tries again; a redelivery after a send finds it and sends nothing.
 */
import * as z from 'zod';
import { pauseClock } from '#functions/cases/lifecycle.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { sendSms } from '#functions/lib/twilio.ts';
import type { Case, CaseEvent } from '#shared/cases/case-schema.ts';
import { ConditionFailedError } from '#shared/errors/aws-errors.ts';
import { isOptedOut } from '#shared/intake/opt-out.ts';
import { recordOutbound } from '#shared/intake/outbound-index.ts';
import { render } from '#shared/messages/templates.ts';

export const NOTIFIER_ACTOR = { kind: 'system', id: 'notifier' } as const;

const Message = z
  .object({ eventId: z.string().min(1), eventType: z.string(), caseId: z.string().min(1) })
  .loose();
const Envelope = z.object({ Type: z.literal('Notification'), Message: z.string() }).loose();

export const notifyMarkerKey = (caseId: string, eventId: string) => ({ pk: `NOTIFY#${caseId}`, sk: eventId });

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

  async function claim(caseId: string, eventId: string): Promise<boolean> {
    try {
      await db.put({
        TableName: tableName,
        Item: {
          ...notifyMarkerKey(caseId, eventId),
          entity: 'notify_marker',
          state: 'sending',
          at: platform.now().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return true;
    } catch (err) {
      if (err instanceof ConditionFailedError) return false;
      throw err;
    }
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
    if (await isOptedOut(db, tableName, c.contact.phoneHash)) return 'NOTIFIER.OPTED_OUT';
    if (!(await claim(c.caseId, event.eventId))) return 'NOTIFIER.ALREADY_SENT';

    let sid: string;
    try {
      const sent = await sendSms(platform, {
        to: platform.protector.decrypt(c.contact.phoneCipher),
        body: render(template, c.language, {
          ref: c.reference,
          ...(c.outcome ? { outcome: c.outcome } : {}),
          ...(c.outcomeMessage ? { message: c.outcomeMessage } : {}),
        }),
        statusCallback: `${platform.publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status`,
      });
      sid = sent.sid;
    } catch (err) {
      await db.delete({ TableName: tableName, Key: notifyMarkerKey(c.caseId, event.eventId) });
      throw err;
    }
    await db.put({
      TableName: tableName,
      Item: {
        ...notifyMarkerKey(c.caseId, event.eventId),
        entity: 'notify_marker',
        state: 'sent',
        sid,
        at: platform.now().toISOString(),
      },
    });
    await recordOutbound(db, tableName, { sid, caseId: c.caseId, at: platform.now() });
    const out = {
      type: 'message_out' as const,
      actor: NOTIFIER_ACTOR,
      data: { template, sid, forEventId: event.eventId },
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
