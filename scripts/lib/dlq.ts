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
 * - the SNS subscriptions' DLQs, one per subscription: a focal point's (`fp-<id>-dlq`, made by the admin API) and
 *   an alarm e-mail's (`alarms-<key>-dlq`, AWS only): each message is republished to that subscriber alone
 *   (scripts/lib/dlq-subscription.ts says how, and how a replay cut short sends nothing twice).
 *
 * Listing and replaying read a DLQ the same way ({@link DlqReader}): each message once, held while it is looked
 * at, handed back at the end unless it was deleted.
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  type MessageAttributeValue,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { resourceName } from '#shared/messaging/topology.ts';
import { FOCAL_POINT_DLQ_PREFIX, FOCAL_POINT_TAG } from '#shared/routing/subscription-dlq.ts';
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
import {
  ALARM_TOPIC,
  liveSubscriptionFor,
  type ReplayJournal,
  replaySubscriptionMessage,
  type Subscriber,
  topicOf,
} from './dlq-subscription.ts';

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
  /** For an SNS subscription's DLQ: whom its messages were for. */
  subscriber?: Subscriber;
}

export interface DlqCount {
  name: string;
  kind: DlqKind;
  messages: number;
  /** The command that replays it. */
  replay: string;
  /** For a subscription's DLQ: whom its messages were for. */
  subscriber?: Subscriber;
}

/** The DLQs a stage may have, by kind; the replayable ones name their source queue or consumer. */
export const STAGE_DLQS: { name: string; kind: DlqKind; source?: string; consumer?: StreamConsumer }[] = [
  { name: 'notifier-dlq', kind: 'queue', source: 'notifier' },
  { name: 'router-dlq', kind: 'stream', consumer: 'router' },
  { name: 'projector-dlq', kind: 'stream', consumer: 'projector' },
  { name: 'inbox-dlq', kind: 'stream', consumer: 'inbox' },
  { name: 'gateway-outbox-dlq', kind: 'stream', consumer: 'gateway-outbox' },
  { name: 'schedules-dlq', kind: 'schedule' },
];

/** The scheduled workers a `schedules-dlq` message may name; a replay invokes nothing else. */
const SCHEDULED = new Set(['sweeper', 'retention']);

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
  return [...found, ...(await findSubscriptionDlqs(sqs, stage))];
}

/** Queue URLs whose names start with `prefix`, every page. */
async function listQueues(sqs: SQSClient, prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let next: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, NextToken: next }));
    urls.push(...(page.QueueUrls ?? []));
    next = page.NextToken;
  } while (next);
  return urls;
}

const queueNameOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

/**
 * The subscriptions' DLQs, one per subscription: the focal points' (named and tagged by the admin API) and the
 * alarm e-mails' (named by the CDK app). A focal point's queue without its tag is skipped: it cannot say for whom.
 */
async function findSubscriptionDlqs(sqs: SQSClient, stage: string): Promise<Dlq[]> {
  const stagePrefix = resourceName(stage, '');
  const found: Dlq[] = [];
  for (const url of (await listQueues(sqs, resourceName(stage, FOCAL_POINT_DLQ_PREFIX))).sort()) {
    const name = queueNameOf(url).slice(stagePrefix.length);
    if (!name.endsWith('-dlq')) continue;
    const tags = (await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    const focalPointId = tags[FOCAL_POINT_TAG];
    if (!focalPointId) continue;
    found.push({ name, kind: 'subscription', url, subscriber: { kind: 'focal-point', focalPointId } });
  }
  for (const url of (await listQueues(sqs, resourceName(stage, `${ALARM_TOPIC}-`))).sort()) {
    const name = queueNameOf(url).slice(stagePrefix.length);
    const key = /^alarms-([a-z0-9]+)-dlq$/.exec(name)?.[1];
    if (!key) continue;
    found.push({ name, kind: 'subscription', url, subscriber: { kind: 'alarm-email', recipient: key } });
  }
  return found;
}

/** The command that replays a DLQ, as README prints it. */
export const replayCommand = (dlq: Pick<Dlq, 'name'>): string =>
  `npm run dlq -- --replay ${dlq.name.replace(/-dlq$/, '')}`;

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
      replay: replayCommand(d),
      ...(d.subscriber ? { subscriber: d.subscriber } : {}),
    });
  }
  return counts;
}

/**
 * Reads a DLQ for a listing or a replay, the one way both do it: each message once (a message received again,
 * because its visibility ran out, is not handed out twice), held for `visibilitySeconds` while the caller looks at
 * it, and every one the caller did not {@link DlqReader.delete} handed back ({@link DlqReader.release}) at the end.
 */
export class DlqReader {
  /** Receipt handles of the messages received and not deleted, by message id. */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly dlq: Dlq,
    private readonly visibilitySeconds: number,
  ) {}

  /** Up to `limit` distinct messages; stops after `emptyReads` receives in a row found nothing new. */
  async *messages(limit: number, emptyReads: number): AsyncGenerator<Message> {
    const seen = new Set<string>();
    let empty = 0;
    while (seen.size < limit && empty < emptyReads) {
      const out = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.dlq.url,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          WaitTimeSeconds: 1,
          VisibilityTimeout: this.visibilitySeconds,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
      );
      const fresh = (out.Messages ?? []).filter((m) => {
        const id = m.MessageId ?? '?';
        if (m.ReceiptHandle) this.held.set(id, m.ReceiptHandle);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      empty = fresh.length ? 0 : empty + 1;
      for (const m of fresh) yield m;
    }
  }

  /** Removes a message from the DLQ: its replay succeeded. */
  async delete(m: Message): Promise<void> {
    const id = m.MessageId ?? '?';
    const ReceiptHandle = this.held.get(id) ?? m.ReceiptHandle;
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.dlq.url, ReceiptHandle }));
    this.held.delete(id);
  }

  /** Makes every message still held visible again now, rather than when its visibility timeout runs out. */
  async release(): Promise<void> {
    for (const ReceiptHandle of this.held.values())
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.dlq.url, ReceiptHandle, VisibilityTimeout: 0 }),
      );
    this.held.clear();
  }
}

/**
 * Reads up to `max` messages of a DLQ and hands each back at once, so listing changes nothing but their receive
 * counts. What is shown of each is {@link summarise}'s: reason, age, ids.
 */
export async function peekDlq(sqs: SQSClient, dlq: Dlq, max = 20): Promise<DeadLetterSummary[]> {
  const reader = new DlqReader(sqs, dlq, 30);
  const out: DeadLetterSummary[] = [];
  try {
    for await (const m of reader.messages(max, 2)) out.push(summarise(m));
  } finally {
    await reader.release();
  }
  return out;
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
  /** Republishes a subscription's dead letters; needed by the subscriptions' DLQs. */
  sns?: SNSClient;
  /** The ids of dead letters already republished (scripts/lib/dlq-subscription.ts); needed with `sns`. */
  journal?: ReplayJournal;
  /** The stage, whose functions a schedules-dlq message may name. */
  stage: string;
  now?: () => Date;
}

export interface ReplayResult {
  dlq: string;
  /** Messages the DLQ held when the replay began. */
  found: number;
  replayed: number;
  /** Of those, the ones an earlier, interrupted replay had already sent: removed, not sent again. */
  alreadySent: number;
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

/** Whether the subscriber of a subscription DLQ can be sent anything now, or why not. */
async function subscriberReachable(deps: ReplayDeps, dlq: Dlq): Promise<string | undefined> {
  if (!deps.sns || !deps.journal) return 'republishing needs SNS access and a replay journal';
  const subscriber = dlq.subscriber;
  if (subscriber?.kind !== 'focal-point') return undefined;
  const arn = await queueArnOf(deps.sqs, dlq);
  const topic = topicOf({ stage: deps.stage, subscriber, dlqArn: arn });
  if (await liveSubscriptionFor(deps.sns, topic, arn)) return undefined;
  return `focal point ${subscriber.focalPointId} has no subscription any more (removed or made inactive): not sent`;
}

async function queueArnOf(sqs: SQSClient, dlq: Dlq): Promise<string> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ['QueueArn'] }),
  );
  return out.Attributes?.QueueArn ?? '';
}

/**
 * Replays a DLQ: as many messages as it held when the replay began, so a message that fails again and comes back
 * meanwhile is not sent round in a loop. Each message is deleted only after its replay succeeded; the ones that
 * did not are handed back at the end, and the result says why for each.
 */
export async function replayDlq(deps: ReplayDeps, dlq: Dlq): Promise<ReplayResult> {
  const { sqs } = deps;
  const [count] = await countDlqs(sqs, [dlq]);
  const found = count?.messages ?? 0;
  if (found === 0) throw new NothingToReplayError(dlq.name);
  // A subscriber that is gone gets nothing: each message stays, with the reason.
  const unreachable = dlq.kind === 'subscription' ? await subscriberReachable(deps, dlq) : undefined;
  const dlqArn = dlq.kind === 'subscription' && !unreachable ? await queueArnOf(sqs, dlq) : '';
  const result: ReplayResult = { dlq: dlq.name, found, replayed: 0, alreadySent: 0, left: [] };
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
    if (dlq.kind === 'subscription') {
      if (unreachable) return { done: false, why: unreachable };
      if (!deps.sns || !deps.journal || !dlq.subscriber)
        return { done: false, why: 'republishing needs SNS access and a replay journal' };
      const sent = await replaySubscriptionMessage(
        { sns: deps.sns, stage: deps.stage, journal: deps.journal, subscriber: dlq.subscriber, dlqArn },
        m,
      );
      if (sent.done && sent.journalled) result.alreadySent++;
      return sent.done ? { done: true } : sent;
    }
    if (dlq.kind === 'stream' && dlq.consumer) return replayStreamMessage(deps, dlq.consumer, m);
    return replayScheduleMessage(deps, m);
  };

  // Held for 15 minutes, longer than any function's timeout, so no one else takes it meanwhile.
  const reader = new DlqReader(sqs, dlq, 900);
  try {
    for await (const m of reader.messages(found, 3)) {
      let outcome: Attempt;
      try {
        outcome = await attempt(m);
      } catch (err) {
        outcome = { done: false, why: `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300) };
      }
      if (outcome.done) {
        await reader.delete(m);
        result.replayed++;
      } else {
        result.left.push({ messageId: m.MessageId ?? '?', why: outcome.why });
      }
    }
  } finally {
    await reader.release();
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
