/**
 * One dead-letter queue per focal point's SNS subscription, created and removed by the admin API with the
 * subscription. Why one each: SNS moves an undeliverable message to the queue the subscription's redrive policy
 * names, and AWS documents no field of that message that says which subscription it failed on ("a dead-letter
 * queue is attached to an Amazon SNS subscription (rather than a topic) … This lets you identify the original
 * target endpoint", Amazon SNS developer guide, "Amazon SNS dead-letter queues"). A queue of its own makes the
 * failed subscriber certain, so a replay can republish to that focal point alone (its filter policy matches its
 * id in `focalPoints`). Queues cost nothing at rest; the topic's "redriven to DLQ" and "delivery failed" alarms
 * cover them all, so no alarm is added per queue.
 *
 * Each queue is named `cfm-<stage>-fp-<id>-dlq` (a long id is shortened with a hash) and tagged with the exact
 * focal point id; like the stack's DLQs it is encrypted with SQS-managed keys, TLS only, kept 14 days, and only
 * SNS, for this topic's subscriptions, may send to it.
 */
import { createHash } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { fromAwsError } from '../errors/aws-errors.ts';
import { resourceName } from '../messaging/topology.ts';

/** Within a stage, the focal points' DLQs are `fp-<…>-dlq`; the stage's other queues never start so. */
export const FOCAL_POINT_DLQ_PREFIX = 'fp-';
/** The tag that names the focal point a DLQ belongs to. */
export const FOCAL_POINT_TAG = 'cfm:focalPointId';

const MAX_ID_IN_NAME = 48;

/**
 * The alarm topic's e-mail subscriptions, one DLQ each (`alarms-<key>-dlq`, infra/constructs/monitoring.ts): the
 * key names the address without spelling it, and the attribute a replay sets so only that address's filter policy
 * matches (`[{"exists": false}, key]`: CloudWatch's own publishes carry no attributes and reach every address).
 */
export const ALARM_RECIPIENT_ATTRIBUTE = 'alarmRecipient';
export const alarmRecipientKey = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 10);
/** The filter policy of the alarm e-mail subscription whose key is `key`. */
export const alarmEmailFilterPolicy = (key: string) => ({
  [ALARM_RECIPIENT_ATTRIBUTE]: [{ exists: false }, key] as [{ exists: false }, string],
});

/** A focal point's DLQ name within the stage (SQS allows 80 characters in all: a long id is cut and hashed). */
export function focalPointDlqName(focalPointId: string): string {
  const safe = focalPointId.replace(/[^A-Za-z0-9_-]/g, '_');
  const part =
    safe.length <= MAX_ID_IN_NAME && safe === focalPointId
      ? safe
      : `${safe.slice(0, MAX_ID_IN_NAME - 7)}-${createHash('sha256').update(focalPointId).digest('hex').slice(0, 6)}`;
  return `${FOCAL_POINT_DLQ_PREFIX}${part}-dlq`;
}

const RETENTION_SECONDS = String(14 * 24 * 3600);

export interface DlqRef {
  url: string;
  arn: string;
}

const sdk = () => import('@aws-sdk/client-sqs');

export class SubscriptionDlqs {
  constructor(
    private readonly client: () => Promise<SQSClient>,
    private readonly stage: string,
  ) {}

  private async run<T>(call: (client: SQSClient, commands: Awaited<ReturnType<typeof sdk>>) => Promise<T>) {
    try {
      const [client, commands] = await Promise.all([this.client(), sdk()]);
      return await call(client, commands);
    } catch (err) {
      throw fromAwsError(err, 'sqs');
    }
  }

  /**
   * The focal point's DLQ, created if missing. CreateQueue with the same name and attributes returns the queue
   * that exists, so this is idempotent, and a focal point made active again gets its old queue (and whatever
   * was still waiting in it) back.
   */
  async ensure(focalPointId: string, topicArn: string): Promise<DlqRef> {
    const queueName = resourceName(this.stage, focalPointDlqName(focalPointId));
    const arnOf = (url: string) =>
      this.run(async (client, { GetQueueAttributesCommand }) => {
        const out = await client.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
        );
        return out.Attributes?.QueueArn ?? '';
      });
    // The queue's ARN, needed in its own policy, is the topic's with the service and name changed.
    const [, partition, , region, account] = topicArn.split(':');
    const arn = `arn:${partition}:sqs:${region}:${account}:${queueName}`;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SnsRedrivesThisTopicsSubscription',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn,
          Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
        },
        {
          Sid: 'TlsOnly',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sqs:*',
          Resource: arn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    const url = await this.run(async (client, { CreateQueueCommand }) => {
      const out = await client.send(
        new CreateQueueCommand({
          QueueName: queueName,
          Attributes: {
            MessageRetentionPeriod: RETENTION_SECONDS,
            SqsManagedSseEnabled: 'true',
            Policy: policy,
          },
          tags: { [FOCAL_POINT_TAG]: focalPointId },
        }),
      );
      return out.QueueUrl ?? '';
    });
    return { url, arn: (await arnOf(url)) || arn };
  }

  /**
   * Removes the focal point's DLQ once its subscription is gone, unless messages are still in it: those stay to be
   * listed (`npm run dlq -- --list`), and a replay reports that their focal point has no subscription any more.
   */
  async removeIfEmpty(focalPointId: string): Promise<'deleted' | 'kept' | 'absent'> {
    const queueName = resourceName(this.stage, focalPointDlqName(focalPointId));
    return this.run(async (client, commands) => {
      let url: string | undefined;
      try {
        url = (await client.send(new commands.GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
      } catch (err) {
        if (err instanceof commands.QueueDoesNotExist) return 'absent';
        throw err;
      }
      if (!url) return 'absent';
      const out = await client.send(
        new commands.GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      const waiting = Object.values(out.Attributes ?? {}).reduce((n, v) => n + Number(v ?? 0), 0);
      if (waiting > 0) return 'kept';
      await client.send(new commands.DeleteQueueCommand({ QueueUrl: url }));
      return 'deleted';
    });
  }
}
