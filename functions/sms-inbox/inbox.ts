import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type AttributeValue, unmarshallItem } from '#shared/aws/dynamodb.ts';
import {
  inboxEntry,
  isOutcome,
  phoneHashOfSender,
  SENDER_PK_PREFIX,
  senderState,
} from '#shared/intake/sender.ts';
import { carryOut, recordOutcome, type SmsIntakeDeps } from '#shared/intake/sms-intake.ts';
import { logger as defaultLogger } from '../lib/logger.ts';

type Log = Pick<typeof defaultLogger, 'debug' | 'info' | 'warn' | 'error'>;

const sequenceOf = (r: DynamoDBRecord): string => r.dynamodb?.SequenceNumber ?? '';

/**
 * The SMS inbox, on the table stream: every message the webhook wrote onto a number's item (`in#<MessageSid>`,
 * new in this record's image) becomes a case, or joins one of the number's cases, exactly as the webhook answered:
 * the webhook stored what it read from the message with it, and both decide from that and the number's item as it
 * was before the message (the record's old image).
 * Then only the outcome stays on the number's item. Records of one number run in stream order, numbers side by
 * side; a record that fails is reported in `batchItemFailures` and the later records of its number wait for it.
 */
export function makeInbox(deps: SmsIntakeDeps, log: Log = defaultLogger) {
  async function handleRecord(record: DynamoDBRecord): Promise<void> {
    const image = record.dynamodb?.NewImage;
    const pk = record.dynamodb?.Keys?.pk?.S;
    if (record.eventName === 'REMOVE' || !image || !pk?.startsWith(SENDER_PK_PREFIX)) return;
    const phoneHash = phoneHashOfSender(pk);
    const now = senderState(unmarshallItem(image as Record<string, AttributeValue>));
    const oldImage = record.dynamodb?.OldImage;
    const before = senderState(
      oldImage ? unmarshallItem(oldImage as Record<string, AttributeValue>) : undefined,
    );
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

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const groups = new Map<string, DynamoDBRecord[]>();
    event.Records.forEach((r, i) => {
      const key = r.dynamodb?.Keys?.pk?.S ?? `#${i}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    });
    const failed = new Set<string>();
    await Promise.all(
      [...groups.values()].map(async (records) => {
        for (const [i, r] of records.entries()) {
          try {
            await handleRecord(r);
          } catch (err) {
            // This number's later records depend on this one: they wait for its retry.
            for (const later of records.slice(i)) failed.add(sequenceOf(later));
            log.error('record failed', {
              code: 'INBOX.RECORD_FAILED',
              sequenceNumber: sequenceOf(r),
              eventName: r.eventName,
              errorName: err instanceof Error ? err.name : typeof err,
            });
            return;
          }
        }
      }),
    );
    return {
      batchItemFailures: event.Records.filter((r) => failed.has(sequenceOf(r))).map((r) => ({
        itemIdentifier: sequenceOf(r),
      })),
    };
  };
}
