/**
 * The dead-letter queues of a stage, counted and, where a message can simply be sent again, replayed through the
 * SDK's SQS client: against a deployed stage with the caller's AWS credentials, or against the local stack's
 * SNS/SQS emulator.
 *
 * What each DLQ holds decides what a replay can be:
 * - `notifier-dlq` (a queue's redrive target) holds the case event itself, as SNS delivered it: a replay moves each
 *   message back to the notifier's queue (ReceiveMessage, SendMessage, then DeleteMessage). A message sent again
 *   twice (a replay cut between the send and the delete) is harmless: the notifier's marker sends once per event.
 * - the stream consumers' DLQs (`router-dlq`, `projector-dlq`, `inbox-dlq`, `gateway-outbox-dlq`) hold, in AWS,
 *   only where the failed batch was (shard, first and last sequence number: Lambda's on-failure record), and
 *   locally the failed record. Sending that to a queue would do nothing, so they are counted, not replayed here;
 *   README "Dead letters" says how to re-drive them.
 * - `focal-point-dlq` (SNS subscriptions' redrive target) and `schedules-dlq` exist only in AWS; counted.
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export type DlqKind = 'queue' | 'stream' | 'subscription' | 'schedule';

export interface Dlq {
  /** As named in the stage (`cfm-<stage>-<name>`), without the prefix: `notifier-dlq`. */
  name: string;
  kind: DlqKind;
  url: string;
  /** For a queue's DLQ: the queue its messages go back to. */
  sourceUrl?: string;
}

export interface DlqCount {
  name: string;
  kind: DlqKind;
  messages: number;
}

/** The DLQs every stage has, by kind; the replayable one names its source queue. */
export const STAGE_DLQS: { name: string; kind: DlqKind; source?: string }[] = [
  { name: 'notifier-dlq', kind: 'queue', source: 'notifier' },
  { name: 'router-dlq', kind: 'stream' },
  { name: 'projector-dlq', kind: 'stream' },
  { name: 'inbox-dlq', kind: 'stream' },
  { name: 'gateway-outbox-dlq', kind: 'stream' },
  { name: 'focal-point-dlq', kind: 'subscription' },
  { name: 'schedules-dlq', kind: 'schedule' },
];

export class DlqNotReplayableError extends Error {
  readonly code = 'DLQ.NOT_REPLAYABLE';
  constructor(name: string, kind: DlqKind) {
    super(
      kind === 'stream'
        ? `${name} holds where a stream batch failed, not a message to send again; see README "Dead letters".`
        : `${name} is not a queue's DLQ; see README "Dead letters".`,
    );
    this.name = 'DlqNotReplayableError';
  }
}

export class UnknownDlqError extends Error {
  readonly code = 'DLQ.UNKNOWN';
  constructor(name: string, known: string[]) {
    super(`No DLQ called ${name} in this stage; it has ${known.join(', ')}.`);
    this.name = 'UnknownDlqError';
  }
}

/** The stage's DLQs that exist, found by name (GetQueueUrl); missing ones (dev has no alarm e-mails') are skipped. */
export async function findStageDlqs(sqs: SQSClient, stage: string): Promise<Dlq[]> {
  const urlOf = async (name: string): Promise<string | undefined> => {
    try {
      return (await sqs.send(new GetQueueUrlCommand({ QueueName: `cfm-${stage}-${name}` }))).QueueUrl;
    } catch (err) {
      if (err instanceof QueueDoesNotExist) return undefined;
      throw err;
    }
  };
  const found: Dlq[] = [];
  for (const d of STAGE_DLQS) {
    const url = await urlOf(d.name);
    if (!url) continue;
    const sourceUrl = d.source ? await urlOf(d.source) : undefined;
    found.push({ name: d.name, kind: d.kind, url, ...(sourceUrl ? { sourceUrl } : {}) });
  }
  return found;
}

/** Messages in each DLQ: waiting, plus any a reader holds right now (they come back). */
export async function countDlqs(sqs: SQSClient, dlqs: Dlq[]): Promise<DlqCount[]> {
  const counts: DlqCount[] = [];
  for (const d of dlqs) {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: d.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const n = (k: string) => Number(out.Attributes?.[k as keyof typeof out.Attributes] ?? 0);
    counts.push({
      name: d.name,
      kind: d.kind,
      messages: n('ApproximateNumberOfMessages') + n('ApproximateNumberOfMessagesNotVisible'),
    });
  }
  return counts;
}

/** Attributes as SendMessage takes them back: the typed values only (SQS refuses empty list fields). */
function resendable(
  attrs: Record<string, MessageAttributeValue> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (!v.DataType) continue;
    out[k] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: v.BinaryValue } : {}),
    };
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Moves a queue DLQ's messages back to their queue: as many as it held when the replay began, so a message that
 * fails again and returns to the DLQ meanwhile is not sent round in a loop. Each is sent before it is deleted.
 */
export async function replayDlq(sqs: SQSClient, dlq: Dlq): Promise<{ moved: number }> {
  if (dlq.kind !== 'queue' || !dlq.sourceUrl) throw new DlqNotReplayableError(dlq.name, dlq.kind);
  const [count] = await countDlqs(sqs, [dlq]);
  const total = count?.messages ?? 0;
  let moved = 0;
  let emptyReads = 0;
  while (moved < total && emptyReads < 3) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: Math.min(10, total - moved),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    emptyReads = messages.length ? 0 : emptyReads + 1;
    for (const m of messages) {
      const attributes = resendable(m.MessageAttributes);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq.sourceUrl,
          MessageBody: m.Body ?? '',
          ...(attributes ? { MessageAttributes: attributes } : {}),
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlq.url, ReceiptHandle: m.ReceiptHandle }));
      moved++;
    }
  }
  return { moved };
}

/** The DLQ called `name` (`notifier` or `notifier-dlq`), or an {@link UnknownDlqError}. */
export function pickDlq(dlqs: Dlq[], name: string): Dlq {
  const wanted = name.endsWith('-dlq') ? name : `${name}-dlq`;
  const found = dlqs.find((d) => d.name === wanted);
  if (!found)
    throw new UnknownDlqError(
      name,
      dlqs.map((d) => d.name),
    );
  return found;
}
