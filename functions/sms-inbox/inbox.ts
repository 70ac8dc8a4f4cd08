import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  inboxEntry,
  isOutcome,
  phoneHashOfSender,
  SENDER_PK_PREFIX,
  senderState,
} from '#shared/intake/sender.ts';
import { carryOut, recordOutcome, type SmsIntakeDeps } from '#shared/intake/sms-intake.ts';
import { imageToItem } from '#shared/store/dynamodb.ts';
import { processStreamBatch } from '../lib/batch.ts';
import { logger as defaultLogger } from '../lib/logger.ts';

type Log = Pick<typeof defaultLogger, 'debug' | 'info' | 'warn' | 'error'>;

const sequenceOf = (r: DynamoDBRecord): string => r.dynamodb?.SequenceNumber ?? '';

/**
 * The SMS inbox, on the table stream: every message the webhook wrote onto a number's item (`in#<MessageSid>`,
 * new in this record's image) becomes a case, or joins one of the number's cases, exactly as the webhook answered:
 * the webhook stored what it read from the message with it, and both decide from that and the number's item as it
 * was before the message (the record's old image).
 * Then only the outcome stays on the number's item. Records of one number run in stream order, numbers side by
 * side (Powertools' batch processor, functions/lib/batch.ts); a record that fails is reported in
 * `batchItemFailures`, and the later records of its number are reported with it without running: they wait for
 * its retry.
 */
export function makeInbox(deps: SmsIntakeDeps, log: Log = defaultLogger) {
  async function handleRecord(record: DynamoDBRecord): Promise<void> {
    const image = record.dynamodb?.NewImage;
    const pk = record.dynamodb?.Keys?.pk?.S;
    if (record.eventName === 'REMOVE' || !image || !pk?.startsWith(SENDER_PK_PREFIX)) return;
    const phoneHash = phoneHashOfSender(pk);
    const now = senderState(imageToItem(image));
    const oldImage = record.dynamodb?.OldImage;
    const before = senderState(oldImage ? imageToItem(oldImage) : undefined);
    for (const messageSid of now.inbox.keys()) {
      if (before.inbox.has(messageSid)) continue;
      const entry = inboxEntry(now, messageSid);
      if (!entry || isOutcome(entry)) continue;
      const { redrawn, ...outcome } = await carryOut(deps, { messageSid, phoneHash, message: entry, before });
      if (redrawn) {
        // The announced reference was taken (about one message in 10^6 at a million cases): the complainant has the
        // wrong one until the acknowledgement or outcome SMS, which carry the right one.
        log.warn('announced reference was taken', { code: 'SMS.REFERENCE_REDRAWN', caseId: outcome.caseId });
      }
      await recordOutcome(deps, phoneHash, messageSid, outcome, now);
      log.info('sms stored', { code: `SMS.${outcome.kind.toUpperCase()}`, caseId: outcome.caseId });
    }
  }

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
    processStreamBatch(
      event,
      async (r) => {
        try {
          await handleRecord(r);
        } catch (err) {
          log.error('record failed', {
            code: 'INBOX.RECORD_FAILED',
            sequenceNumber: sequenceOf(r),
            eventName: r.eventName,
            errorName: err instanceof Error ? err.name : typeof err,
          });
          throw err;
        }
      },
      // This number's later records depend on the earlier ones: after a failure they wait for its retry.
      { keyOf: (r) => r.dynamodb?.Keys?.pk?.S, afterFailure: 'stop' },
      context,
    );
}
