/**
 * Replaying an SNS subscription's dead letters to that subscriber alone.
 *
 * AWS documents no field of a subscription's dead letter that names the subscription, so each subscription that
 * may fail has a DLQ of its own, and the queue says whom its messages were for:
 * - a focal point's (`fp-<id>-dlq`, created by the admin API with the subscription, tagged with the focal point's
 *   id): the message goes back to the case-events topic with `focalPoints` naming that focal point only and
 *   `audience` `focal_points` only, which only its subscription's filter policy matches (not the other focal
 *   points', not the notifier's queue). The body is the original's, byte for byte, so a restricted case's message
 *   stays as minimal as it was;
 * - an alarm e-mail's (`alarms-<key>-dlq`, one per address, infra/constructs/monitoring.ts): the alarm goes back to
 *   the alarm topic with `alarmRecipient` = that key, which only that address's filter policy matches (CloudWatch's
 *   own publishes carry no attributes, and every address's filter lets those through).
 *
 * Exactly once per replay: a dead letter is deleted only after its republish succeeded, and between the two the
 * replay writes its id to a journal (`.dlq-replays/<stage>.log`, appended and flushed before the delete). A replay
 * cut short after a republish (interrupted, or the delete failed) leaves the message in the DLQ; the next replay
 * finds its id in the journal and deletes it without sending it again.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { Message } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { perProtocolTexts } from '#shared/messaging/sns.ts';
import { resourceName, topology } from '#shared/messaging/topology.ts';
import { ALARM_RECIPIENT_ATTRIBUTE } from '#shared/routing/subscription-dlq.ts';
import { parseJson } from './dlq-messages.ts';

/** Whom a subscription DLQ's messages were for. */
export type Subscriber =
  | { kind: 'focal-point'; focalPointId: string }
  | { kind: 'alarm-email'; recipient: string };

/** The alarm topic's name within a stage. */
export const ALARM_TOPIC = 'alarms';

/** Dead-letter ids already republished, kept across replays so none is sent twice. */
export interface ReplayJournal {
  has(messageId: string): boolean;
  add(messageId: string): void;
}

/** The journal as a file of ids, one a line: appended and flushed to disk before the DLQ message is deleted. */
export function fileJournal(path: string): ReplayJournal {
  let ids: Set<string>;
  try {
    ids = new Set(readFileSync(path, 'utf8').split('\n').filter(Boolean));
  } catch {
    ids = new Set();
  }
  return {
    has: (id) => ids.has(id),
    add: (id) => {
      mkdirSync(dirname(path), { recursive: true });
      const fd = openSync(path, 'a');
      try {
        appendFileSync(fd, `${id}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      ids.add(id);
    },
  };
}

/** An SNS envelope as SNS writes it to an SQS queue (not raw): the message and its attributes. */
const SnsEnvelope = z.looseObject({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  Message: z.string(),
  Subject: z.string().nullish(),
  MessageAttributes: z.record(z.string(), z.object({ Type: z.string(), Value: z.string() })).optional(),
});

/** One message's replay: done (delete it), or left in the DLQ and why. */
export type SubscriptionAttempt = { done: true; journalled: boolean } | { done: false; why: string };

/** The ARN of a stage's topic, in the DLQ's account and region (`arn:aws:sqs:<region>:<account>:<queue>`). */
export const topicArnBeside = (queueArn: string, stage: string, topic: string): string => {
  const [, partition, , region, account] = queueArn.split(':');
  return `arn:${partition}:sns:${region}:${account}:${resourceName(stage, topic)}`;
};

/**
 * Whether a subscription on the topic still redrives to this DLQ: a focal point removed or made inactive since has
 * none, and gets nothing.
 */
export async function liveSubscriptionFor(
  sns: SNSClient,
  topicArn: string,
  dlqArn: string,
): Promise<string | undefined> {
  let next: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }));
    for (const s of page.Subscriptions ?? []) {
      if (!s.SubscriptionArn?.startsWith('arn:')) continue;
      const attrs = await sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }),
      );
      const redrive = parseJson(attrs.Attributes?.RedrivePolicy) as
        | { deadLetterTargetArn?: string }
        | undefined;
      if (redrive?.deadLetterTargetArn === dlqArn) return s.SubscriptionArn;
    }
    next = page.NextToken;
  } while (next);
  return undefined;
}

export interface SubscriptionReplay {
  sns: SNSClient;
  stage: string;
  journal: ReplayJournal;
  subscriber: Subscriber;
  dlqArn: string;
}

/** The topic a subscriber's messages came from. */
export const topicOf = (r: Pick<SubscriptionReplay, 'stage' | 'subscriber' | 'dlqArn'>): string =>
  topicArnBeside(r.dlqArn, r.stage, r.subscriber.kind === 'focal-point' ? topology.topic.name : ALARM_TOPIC);

/** Republishes one dead letter to its subscriber alone (see the module's comment). */
export async function replaySubscriptionMessage(
  r: SubscriptionReplay,
  m: Message,
): Promise<SubscriptionAttempt> {
  const id = m.MessageId ?? '';
  if (id && r.journal.has(id)) return { done: true, journalled: true };
  const envelope = SnsEnvelope.safeParse(parseJson(m.Body));
  if (!envelope.success) return { done: false, why: 'not an SNS envelope: nothing to republish' };
  const { Message: body, Subject, MessageAttributes } = envelope.data;
  const attributes: Record<string, { DataType: string; StringValue: string }> = {};
  for (const [name, v] of Object.entries(MessageAttributes ?? {}))
    attributes[name] = { DataType: v.Type, StringValue: v.Value };
  if (r.subscriber.kind === 'focal-point') {
    attributes.focalPoints = {
      DataType: 'String.Array',
      StringValue: JSON.stringify([r.subscriber.focalPointId]),
    };
    attributes.audience = { DataType: 'String.Array', StringValue: JSON.stringify(['focal_points']) };
  } else {
    attributes[ALARM_RECIPIENT_ATTRIBUTE] = { DataType: 'String', StringValue: r.subscriber.recipient };
  }
  await r.sns.send(
    new PublishCommand({
      TopicArn: topicOf(r),
      Message: body,
      // A MessageStructure "json" publish (focal points' notifications) goes back the same way, so SNS again gives
      // each protocol its own text; a message that is already one protocol's text goes back as it is.
      ...(perProtocolTexts(body) ? { MessageStructure: 'json' } : {}),
      ...(Subject ? { Subject } : {}),
      MessageAttributes: attributes,
    }),
  );
  if (id) r.journal.add(id);
  return { done: true, journalled: false };
}
