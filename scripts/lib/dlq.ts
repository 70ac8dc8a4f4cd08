/**
 * The dead-letter queues of a stage, counted, listed and replayed through the SDK's clients: against a deployed
 * stage with the caller's AWS credentials, or against the local stack's SNS/SQS emulator.
 *
 * What each DLQ holds decides what a replay is (scripts/lib/dlq-messages.ts has the shapes):
 * - `notifier-dlq` (a queue's redrive target) holds the case event itself, as SNS delivered it: a replay moves each
 *   message back to the notifier's queue (ReceiveMessage, SendMessage, then DeleteMessage). A message sent again
 *   twice (a replay cut between the send and the delete) is harmless: the notifier's marker sends once per event.
 * - the stream consumers' DLQs (`router-dlq`, `projector-dlq`, `inbox-dlq`, `gateway-outbox-dlq`): in AWS, where
 *   the failed batch was; the records are read again from DynamoDB Streams (kept 24 h) and the consumer is invoked
 *   with them. Locally the message holds the record, which goes to the same handler the local stack runs. A
 *   message is deleted only once the consumer took every record; the consumers are idempotent, so a replay that
 *   runs twice (or a record that had partly succeeded) changes nothing the second time.
 * - `schedules-dlq` (AWS only): a sweeper or retention run that failed or could not be delivered; a replay invokes
 *   that function once more, which both are made to allow (each run covers everything due).
 * - `focal-point-dlq` and `alarms-dlq` (SNS subscriptions' redrive targets, AWS only) are listed, not replayed: SNS
 *   cannot deliver a message to one subscription again, and publishing to the topic would reach every subscriber.
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  type MessageAttributeValue,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { resourceName } from '#shared/messaging/topology.ts';
import type { InvokeOutcome, Invoker } from './dlq-invoke.ts';
import {
  AsyncInvokeFailure,
  type DeadLetterSummary,
  functionNameOf,
  LocalStreamDeadLetter,
  parseJson,
  StreamBatchFailure,
  summarise,
} from './dlq-messages.ts';
import { passesMapping, readBatch, type StreamConsumer } from './dlq-stream.ts';

export type DlqKind = 'queue' | 'stream' | 'subscription' | 'schedule';

export interface Dlq {
  /** As named in the stage (`cfm-<stage>-<name>`), without the prefix: `notifier-dlq`. */
  name: string;
  kind: DlqKind;
  url: string;
  /** For a queue's DLQ: the queue its messages go back to. */
  sourceUrl?: string;
  /** For a stream consumer's DLQ: the consumer. */
  consumer?: StreamConsumer;
}

export interface DlqCount {
  name: string;
  kind: DlqKind;
  messages: number;
  /** The command that replays it, for the DLQs that can be replayed. */
  replay?: string;
}

/** The DLQs a stage may have, by kind; the replayable ones name their source queue or consumer. */
export const STAGE_DLQS: { name: string; kind: DlqKind; source?: string; consumer?: StreamConsumer }[] = [
  { name: 'notifier-dlq', kind: 'queue', source: 'notifier' },
  { name: 'router-dlq', kind: 'stream', consumer: 'router' },
  { name: 'projector-dlq', kind: 'stream', consumer: 'projector' },
  { name: 'inbox-dlq', kind: 'stream', consumer: 'inbox' },
  { name: 'gateway-outbox-dlq', kind: 'stream', consumer: 'gateway-outbox' },
  { name: 'schedules-dlq', kind: 'schedule' },
  { name: 'focal-point-dlq', kind: 'subscription' },
  { name: 'alarms-dlq', kind: 'subscription' },
];

/** The scheduled workers a `schedules-dlq` message may name; a replay invokes nothing else. */
const SCHEDULED = new Set(['sweeper', 'retention']);

export class DlqNotReplayableError extends Error {
  readonly code = 'DLQ.NOT_REPLAYABLE';
  constructor(name: string) {
    super(
      `${name} holds SNS deliveries to one subscriber, which SNS cannot make again (publishing to the topic would ` +
        'reach every subscriber); list them with --list; README "When something fails" says why.',
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

export class NothingToReplayError extends Error {
  readonly code = 'DLQ.EMPTY';
  constructor(name: string) {
    super(`${name} is empty: nothing to replay.`);
    this.name = 'NothingToReplayError';
  }
}

/** The stage's DLQs that exist, found by name (GetQueueUrl); missing ones (the local stack has five) are skipped. */
export async function findStageDlqs(sqs: SQSClient, stage: string): Promise<Dlq[]> {
  const urlOf = async (name: string): Promise<string | undefined> => {
    try {
      return (await sqs.send(new GetQueueUrlCommand({ QueueName: resourceName(stage, name) }))).QueueUrl;
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
    found.push({
      name: d.name,
      kind: d.kind,
      url,
      ...(sourceUrl ? { sourceUrl } : {}),
      ...(d.consumer ? { consumer: d.consumer } : {}),
    });
  }
  return found;
}

/** The command that replays a DLQ, as README prints it, or undefined for one that cannot be replayed. */
export const replayCommand = (dlq: Pick<Dlq, 'name' | 'kind'>): string | undefined =>
  dlq.kind === 'subscription' ? undefined : `npm run dlq -- --replay ${dlq.name.replace(/-dlq$/, '')}`;

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
    const replay = replayCommand(d);
    counts.push({
      name: d.name,
      kind: d.kind,
      messages: n('ApproximateNumberOfMessages') + n('ApproximateNumberOfMessagesNotVisible'),
      ...(replay ? { replay } : {}),
    });
  }
  return counts;
}

/**
 * Reads up to `max` messages of a DLQ and hands each back at once (visibility 0), so listing changes nothing but
 * their receive counts. What is shown of each is {@link summarise}'s: reason, age, ids.
 */
export async function peekDlq(sqs: SQSClient, dlq: Dlq, max = 20): Promise<DeadLetterSummary[]> {
  const seen = new Map<string, DeadLetterSummary>();
  const held: string[] = [];
  let emptyReads = 0;
  try {
    while (seen.size < max && emptyReads < 2) {
      const messages = await receive(sqs, dlq, Math.min(10, max - seen.size), 30);
      emptyReads = messages.length ? 0 : emptyReads + 1;
      for (const m of messages) {
        if (m.ReceiptHandle) held.push(m.ReceiptHandle);
        if (m.MessageId && !seen.has(m.MessageId)) seen.set(m.MessageId, summarise(m));
      }
    }
  } finally {
    await release(sqs, dlq, held);
  }
  return [...seen.values()];
}

async function receive(sqs: SQSClient, dlq: Dlq, max: number, visibilitySeconds: number): Promise<Message[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: dlq.url,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: 1,
      VisibilityTimeout: visibilitySeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
    }),
  );
  return out.Messages ?? [];
}

/** Makes held messages visible again now, rather than when their visibility timeout runs out. */
async function release(sqs: SQSClient, dlq: Dlq, receiptHandles: string[]): Promise<void> {
  for (const ReceiptHandle of receiptHandles)
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: dlq.url, ReceiptHandle, VisibilityTimeout: 0 }),
    );
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

/** One message's replay: done (the message is deleted), or left in the DLQ and why. */
type Attempt = { done: true } | { done: false; why: string };

export interface ReplayDeps {
  sqs: SQSClient;
  /** Invokes the stage's functions (stream consumers, scheduled workers); needed by every DLQ but the notifier's. */
  invoke?: Invoker;
  /** Reads stream records again for AWS's on-failure records; needed by the stream DLQs in AWS. */
  streams?: DynamoDBStreamsClient;
  /** The stage, whose functions a schedules-dlq message may name. */
  stage: string;
  now?: () => Date;
}

export interface ReplayResult {
  dlq: string;
  /** Messages the DLQ held when the replay began. */
  found: number;
  replayed: number;
  /** Messages left in the DLQ, each with why: ids and reasons only. */
  left: { messageId: string; why: string }[];
}

const failedAgain = (out: InvokeOutcome): string | undefined =>
  out.functionError
    ? `the function failed again (${out.functionError})`
    : out.batchItemFailures.length
      ? `${out.batchItemFailures.length} record(s) failed again`
      : undefined;

async function replayStreamMessage(deps: ReplayDeps, consumer: StreamConsumer, m: Message): Promise<Attempt> {
  const invoke = deps.invoke;
  if (!invoke) return { done: false, why: 'no way to invoke the consumer was given' };
  const body = parseJson(m.Body);
  let records: DynamoDBRecord[];
  const local = LocalStreamDeadLetter.safeParse(body);
  const batch = StreamBatchFailure.safeParse(body);
  if (local.success) {
    records = [local.data.record as unknown as DynamoDBRecord];
  } else if (batch.success) {
    if (!deps.streams) return { done: false, why: 'reading the stream again needs DynamoDB Streams access' };
    const read = await readBatch(deps.streams, batch.data.DDBStreamBatchInfo, deps.now?.());
    if ('gone' in read) return { done: false, why: `cannot be replayed: ${read.gone}` };
    records = read.records.filter((r) => passesMapping(consumer, r));
    if (records.length === 0)
      return { done: false, why: `none of the batch's records is one the ${consumer}'s mapping passes` };
  } else {
    return {
      done: false,
      why: "not a stream consumer's dead letter (neither an on-failure record nor a local one)",
    };
  }
  const why = failedAgain(await invoke(consumer, { Records: records }));
  return why ? { done: false, why } : { done: true };
}

async function replayScheduleMessage(deps: ReplayDeps, m: Message): Promise<Attempt> {
  const invoke = deps.invoke;
  if (!invoke) return { done: false, why: 'no way to invoke the function was given' };
  const body = parseJson(m.Body);
  const run = AsyncInvokeFailure.safeParse(body);
  const target = run.success
    ? run.data.requestContext.functionArn
    : m.MessageAttributes?.TARGET_ARN?.StringValue;
  if (!target)
    return { done: false, why: 'names no function (neither an on-failure record nor a Scheduler one)' };
  const prefix = resourceName(deps.stage, '');
  const name = functionNameOf(target);
  const worker = name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
  if (!worker || !SCHEDULED.has(worker))
    return { done: false, why: `names ${name}, which is not this stage's sweeper or retention` };
  const event = run.success ? run.data.requestPayload : (body ?? {});
  const why = failedAgain(await invoke(worker, event));
  return why ? { done: false, why } : { done: true };
}

/**
 * Replays a DLQ: as many messages as it held when the replay began, so a message that fails again and comes back
 * meanwhile is not sent round in a loop. Each message is deleted only after its replay succeeded; the ones that
 * did not are handed back at the end, and the result says why for each.
 */
export async function replayDlq(deps: ReplayDeps, dlq: Dlq): Promise<ReplayResult> {
  if (dlq.kind === 'subscription') throw new DlqNotReplayableError(dlq.name);
  const { sqs } = deps;
  const [count] = await countDlqs(sqs, [dlq]);
  const found = count?.messages ?? 0;
  if (found === 0) throw new NothingToReplayError(dlq.name);
  const attempt = async (m: Message): Promise<Attempt> => {
    if (dlq.kind === 'queue') {
      if (!dlq.sourceUrl) return { done: false, why: 'the queue it came from was not found' };
      const attributes = resendable(m.MessageAttributes);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq.sourceUrl,
          MessageBody: m.Body ?? '',
          ...(attributes ? { MessageAttributes: attributes } : {}),
        }),
      );
      return { done: true };
    }
    if (dlq.kind === 'stream' && dlq.consumer) return replayStreamMessage(deps, dlq.consumer, m);
    return replayScheduleMessage(deps, m);
  };

  const result: ReplayResult = { dlq: dlq.name, found, replayed: 0, left: [] };
  const held: string[] = [];
  const handled = new Set<string>();
  let emptyReads = 0;
  try {
    while (handled.size < found && emptyReads < 3) {
      // Held for 15 minutes, longer than any function's timeout, so no one else takes it meanwhile.
      const messages = await receive(sqs, dlq, Math.min(10, found - handled.size), 900);
      emptyReads = messages.length ? 0 : emptyReads + 1;
      for (const m of messages) {
        const id = m.MessageId ?? '?';
        if (handled.has(id)) continue;
        handled.add(id);
        let outcome: Attempt;
        try {
          outcome = await attempt(m);
        } catch (err) {
          outcome = { done: false, why: `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300) };
        }
        if (outcome.done) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: dlq.url, ReceiptHandle: m.ReceiptHandle }));
          result.replayed++;
        } else {
          result.left.push({ messageId: id, why: outcome.why });
          if (m.ReceiptHandle) held.push(m.ReceiptHandle);
        }
      }
    }
  } finally {
    await release(sqs, dlq, held);
  }
  return result;
}

/** The DLQ called `name` (`router` or `router-dlq`), or an {@link UnknownDlqError}. */
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
