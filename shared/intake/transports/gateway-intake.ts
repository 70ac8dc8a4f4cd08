/**
 * What the platform does with each event the local SMS gateway posts (see gateway.ts): a received SMS goes
 * through the one conversation (receiveMessage), and its answer is queued to go back through the same relay; a
 * delivery report moves the queued message's state and is recorded on its case; a ping is acknowledged.
 */
import { CaseNotFoundError, RequestError } from '../../errors/domain-error.ts';
import { caseIdOf, receiveMessage, type SmsIntakeDeps, type SmsOutcome } from '../sms-intake.ts';
import { type GatewayEvent, gatewayInbound } from './gateway.ts';
import { getGatewayMessage, queueGatewayMessage, recordGatewayState } from './gateway-outbox.ts';

export type GatewayEventResult =
  | { kind: 'received'; outcome: SmsOutcome['kind']; caseId?: string; replyQueued: boolean }
  | { kind: 'report'; state: 'sent' | 'delivered' | 'failed'; recorded: boolean; caseId?: string }
  | { kind: 'ping' };

const REPORT_STATE = { 'sms:sent': 'sent', 'sms:delivered': 'delivered', 'sms:failed': 'failed' } as const;

/** Handles one verified relay event; safe to call again with the same event. */
export async function handleGatewayEvent(
  deps: SmsIntakeDeps,
  gatewayNumber: string,
  event: GatewayEvent,
): Promise<GatewayEventResult> {
  if (event.event === 'system:ping') return { kind: 'ping' };
  if (event.event === 'sms:received') {
    const inbound = gatewayInbound(event, gatewayNumber);
    if (!inbound) {
      throw new RequestError(
        400,
        'GATEWAY.SENDER_FORMAT',
        'The sender is not a phone number the platform can answer (E.164, 00…, or an Iraqi 07… number).',
      );
    }
    const { outcome, reply } = await receiveMessage(deps, inbound);
    const caseId = caseIdOf(outcome);
    let replyQueued = false;
    if (reply !== undefined) {
      // Queued under the inbound message's id: a redelivered event finds its answer queued and adds nothing.
      const queued = await queueGatewayMessage(
        deps.db,
        deps.tableName,
        {
          key: `reply:${inbound.messageId}`,
          phoneCipher: deps.protector.encrypt(inbound.from),
          text: reply,
          purpose: 'reply',
          ...(caseId ? { caseId } : {}),
        },
        deps.now(),
      );
      replyQueued = queued.queued;
    }
    return { kind: 'received', outcome: outcome.kind, ...(caseId ? { caseId } : {}), replyQueued };
  }

  const state = REPORT_STATE[event.event];
  const id = event.payload.messageId;
  const moved = await recordGatewayState(
    deps.db,
    deps.tableName,
    id,
    state,
    deps.now(),
    event.payload.reason,
  );
  const message = await getGatewayMessage(deps.db, deps.tableName, id);
  if (!message?.caseId) return { kind: 'report', state, recorded: moved };
  try {
    // The reason is the relay's own words about the network (no personal data), kept short.
    await deps.cases.appendEventOnce(
      message.caseId,
      {
        type: 'delivery_status',
        actor: { kind: 'system', id: 'gateway' },
        data: {
          channel: 'sms',
          transport: 'gateway',
          sid: id,
          status: state,
          ...(event.payload.reason ? { reason: event.payload.reason.slice(0, 100) } : {}),
        },
      },
      `STATUS#${id}#${state}`,
    );
  } catch (err) {
    if (!(err instanceof CaseNotFoundError)) throw err;
  }
  return { kind: 'report', state, recorded: moved, caseId: message.caseId };
}
