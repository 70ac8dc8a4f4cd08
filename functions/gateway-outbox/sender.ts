/**
 * The gateway sender, on the table stream: each message queued for the local SMS gateway (a new `GWOUT#` item) is
 * handed to the relay's send API. A request the relay could not take (it is offline, overloaded, or the request
 * timed out) fails the record, which the stream retries (bounded; then the consumer's DLQ, which alarms). A request
 * the relay refuses for good (a number it will not send to) marks the message failed, on the case too.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { processStreamBatch } from '#functions/lib/batch.ts';
import { GatewaySendError, sendThroughGateway } from '#functions/lib/gateway.ts';
import { logger as defaultLogger } from '#functions/lib/logger.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { CaseNotFoundError } from '#shared/errors/domain-error.ts';
import {
  countAttempt,
  GATEWAY_OUT_PREFIX,
  GatewayOutItem,
  getGatewayMessage,
  markAccepted,
  recordGatewayState,
} from '#shared/intake/transports/gateway-outbox.ts';
import { imageToItem } from '#shared/store/dynamodb.ts';

type Log = Pick<typeof defaultLogger, 'info' | 'warn' | 'error'>;

const sequenceOf = (r: DynamoDBRecord): string => r.dynamodb?.SequenceNumber ?? '';

export function makeGatewaySender(platform: Platform, log: Log = defaultLogger) {
  async function send(record: DynamoDBRecord): Promise<void> {
    const pk = record.dynamodb?.Keys?.pk?.S;
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image || !pk?.startsWith(GATEWAY_OUT_PREFIX)) return;
    const parsed = GatewayOutItem.safeParse(imageToItem(image));
    if (!parsed.success) return;
    // A retried record finds the message as it is now: taken by the relay already, or reported on.
    const current = await getGatewayMessage(platform.db, platform.tableName, parsed.data.id);
    if (current?.state !== 'queued' || current.acceptedAt) return;
    const gateway = platform.gateway;
    if (!gateway)
      throw new Error('A message is queued for the SMS gateway, but the gateway is not configured');
    await countAttempt(platform.db, platform.tableName, current.id);
    try {
      await sendThroughGateway(gateway, {
        id: current.id,
        to: platform.protector.decrypt(current.phone),
        text: current.text,
      });
    } catch (err) {
      if (!(err instanceof GatewaySendError) || err.retryable) throw err;
      await refused(current, err.status);
      return;
    }
    await markAccepted(platform.db, platform.tableName, current.id, platform.now());
    log.info('gateway message accepted', { code: 'GATEWAY.ACCEPTED', purpose: current.purpose });
  }

  async function refused(message: GatewayOutItem, status: number): Promise<void> {
    const reason = `refused by the gateway (HTTP ${status})`;
    await recordGatewayState(platform.db, platform.tableName, message.id, 'failed', platform.now(), reason);
    log.warn('gateway refused a message', { code: 'GATEWAY.REFUSED', status, purpose: message.purpose });
    if (!message.caseId) return;
    try {
      await platform.cases.appendEventOnce(
        message.caseId,
        {
          type: 'delivery_status',
          actor: { kind: 'system', id: 'gateway' },
          data: { channel: 'sms', transport: 'gateway', sid: message.id, status: 'failed', reason },
        },
        `STATUS#${message.id}#failed`,
      );
    } catch (err) {
      if (!(err instanceof CaseNotFoundError)) throw err;
    }
  }

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
    processStreamBatch(
      event,
      async (record) => {
        try {
          await send(record);
        } catch (err) {
          log.error('gateway send failed', {
            code: 'GATEWAY.SEND_FAILED',
            sequenceNumber: sequenceOf(record),
            errorName: err instanceof Error ? err.name : typeof err,
            ...(err instanceof GatewaySendError ? { status: err.status } : {}),
          });
          throw err;
        }
      },
      // One at a time, in stream order: a relay is one phone, and answers should leave it in the order they came.
      // After a failure the later records come back with it without running (the stream retries from the first).
      { keyOf: () => 'relay', afterFailure: 'stop' },
      context,
    );
}
