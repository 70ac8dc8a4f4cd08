/**
 * What a dead-letter queue's messages say, parsed at the boundary with zod, and how each is shown to an operator:
 * a reason, an age and ids (keys, sequence numbers, function names), never the records' contents, which hold phone
 * numbers and narratives.
 *
 * The shapes:
 * - a stream consumer's DLQ in AWS holds Lambda's on-failure record for the event source mapping: `requestContext`
 *   (condition, function), `responseContext` (functionError) and `DDBStreamBatchInfo` (stream, shard, first and
 *   last sequence number, batch size, arrival times), not the records (AWS Lambda developer guide, "Retaining
 *   discarded batches for a DynamoDB event source");
 * - locally the stack's stream poller dead-letters `{ reason, record }`, the record itself (local/stack.ts);
 * - the notifier's DLQ holds the case event as SNS delivered it (raw), the focal points' and the alarms' DLQs SNS
 *   envelopes;
 * - the schedules' DLQ holds Lambda's on-failure record of an asynchronous invocation (`requestContext`,
 *   `requestPayload`, `responsePayload`), or Scheduler's dead-letter event (its target input, with `TARGET_ARN` and
 *   `ERROR_CODE` as message attributes).
 */
import type { Message } from '@aws-sdk/client-sqs';
import * as z from 'zod';

const Digits = z.string().regex(/^\d+$/);

export const StreamBatchInfo = z.object({
  streamArn: z.string().min(1),
  shardId: z.string().min(1),
  startSequenceNumber: Digits,
  endSequenceNumber: Digits,
  approximateArrivalOfFirstRecord: z.string().min(1),
  approximateArrivalOfLastRecord: z.string().min(1).optional(),
  batchSize: z.number().int().positive(),
});
export type StreamBatchInfo = z.infer<typeof StreamBatchInfo>;

/** Lambda's on-failure record for a DynamoDB stream batch. */
export const StreamBatchFailure = z.object({
  requestContext: z.object({
    condition: z.string(),
    functionArn: z.string().optional(),
    approximateInvokeCount: z.number().optional(),
  }),
  responseContext: z.object({ functionError: z.string().optional() }).optional(),
  timestamp: z.string().optional(),
  DDBStreamBatchInfo: StreamBatchInfo,
});
export type StreamBatchFailure = z.infer<typeof StreamBatchFailure>;

/** The local stack's dead letter: the failed record, in the Lambda event's shape. */
export const LocalStreamDeadLetter = z.object({
  reason: z.string(),
  record: z.looseObject({
    eventName: z.string().optional(),
    dynamodb: z.looseObject({
      SequenceNumber: z.string().min(1),
      Keys: z.record(z.string(), z.looseObject({ S: z.string().optional() })).optional(),
    }),
  }),
});
export type LocalStreamDeadLetter = z.infer<typeof LocalStreamDeadLetter>;

/** Lambda's on-failure record for an asynchronous invocation (the sweeper's and retention's runs). */
export const AsyncInvokeFailure = z.object({
  requestContext: z.object({ condition: z.string(), functionArn: z.string().min(1) }),
  requestPayload: z.unknown(),
  responsePayload: z.looseObject({ errorType: z.string().optional() }).nullish(),
});

/** The ids of a case event a DLQ may show: nothing else of it is printed. */
const CaseEventIds = z.looseObject({
  eventType: z.string().optional(),
  caseId: z.string().optional(),
  eventId: z.string().optional(),
});
const SnsEnvelope = z.looseObject({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  Message: z.string(),
});

export function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** A published message's JSON: for one published with a text per protocol (MessageStructure "json"), its default. */
const publishedJson = (message: string): unknown => {
  const parsed = parseJson(message);
  const fallback = (parsed as { default?: unknown } | undefined)?.default;
  return typeof fallback === 'string' ? parseJson(fallback) : parsed;
};

/** The function's name in a Lambda ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
export const functionNameOf = (arn: string): string => arn.split(':')[6] ?? arn;

export interface DeadLetterSummary {
  messageId: string;
  /** Seconds since the message reached the DLQ. */
  ageSeconds: number | undefined;
  reason: string;
  /** Keys and ids only. */
  about: string;
}

const caseEventAbout = (value: unknown): string | undefined => {
  const ids = CaseEventIds.safeParse(value);
  if (!ids.success || (!ids.data.eventType && !ids.data.caseId)) return undefined;
  return [
    ids.data.eventType,
    ids.data.caseId && `case ${ids.data.caseId}`,
    ids.data.eventId && `event ${ids.data.eventId}`,
  ]
    .filter(Boolean)
    .join(', ');
};

const keysOf = (d: LocalStreamDeadLetter): string =>
  Object.entries(d.record.dynamodb.Keys ?? {})
    .sort(([a], [b]) => (a === 'pk' ? -1 : b === 'pk' ? 1 : a.localeCompare(b)))
    .map(([k, v]) => `${k}=${v.S ?? '?'}`)
    .join(' ');

const ageOf = (iso: string, now: Date): string => {
  const hours = (now.getTime() - Date.parse(iso)) / 3_600_000;
  return Number.isFinite(hours) ? `${hours.toFixed(1)} h` : 'an unknown time';
};

/** What an operator is shown of one DLQ message. */
export function summarise(m: Message, now: Date = new Date()): DeadLetterSummary {
  const sent = Number(m.Attributes?.SentTimestamp);
  const ageSeconds = Number.isFinite(sent)
    ? Math.max(0, Math.round((now.getTime() - sent) / 1000))
    : undefined;
  const base = { messageId: m.MessageId ?? '?', ageSeconds };
  const body = parseJson(m.Body);

  const local = LocalStreamDeadLetter.safeParse(body);
  if (local.success) {
    const r = local.data.record;
    return {
      ...base,
      reason: local.data.reason,
      about: `${r.eventName ?? 'record'} ${keysOf(local.data)} (sequence ${r.dynamodb.SequenceNumber})`,
    };
  }
  const batch = StreamBatchFailure.safeParse(body);
  if (batch.success) {
    const { requestContext, responseContext, DDBStreamBatchInfo: info } = batch.data;
    return {
      ...base,
      reason: [requestContext.condition, responseContext?.functionError].filter(Boolean).join(', '),
      about:
        `${info.batchSize} record(s) on ${info.shardId}, sequence ${info.startSequenceNumber} to ` +
        `${info.endSequenceNumber}, first written ${ageOf(info.approximateArrivalOfFirstRecord, now)} ago (kept 24 h)`,
    };
  }
  const run = AsyncInvokeFailure.safeParse(body);
  if (run.success) {
    return {
      ...base,
      reason: [run.data.requestContext.condition, run.data.responsePayload?.errorType]
        .filter(Boolean)
        .join(', '),
      about: `a run of ${functionNameOf(run.data.requestContext.functionArn)}`,
    };
  }
  const target = m.MessageAttributes?.TARGET_ARN?.StringValue;
  if (target) {
    return {
      ...base,
      reason: m.MessageAttributes?.ERROR_CODE?.StringValue ?? 'Scheduler could not invoke its target',
      about: `a scheduled run of ${functionNameOf(target)}`,
    };
  }
  const envelope = SnsEnvelope.safeParse(body);
  if (envelope.success) {
    return {
      ...base,
      reason: 'SNS gave up delivering it',
      about: caseEventAbout(publishedJson(envelope.data.Message)) ?? `SNS message ${envelope.data.MessageId}`,
    };
  }
  return {
    ...base,
    reason: 'not handled after its retries',
    about: caseEventAbout(body) ?? `a message of ${m.Body?.length ?? 0} bytes`,
  };
}
