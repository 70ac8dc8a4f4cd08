import { Duration } from 'aws-cdk-lib';
import { type DeadLetterQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue: encrypted (SQS-managed keys, which SNS, Lambda and Scheduler can all write to without a key
 * policy), TLS only, and kept for the longest time SQS allows so a failure can be looked at after a holiday.
 *
 * `target` says what sends to it. Queues that are the target of a redrive policy count as DLQs for cdk-nag; the
 * destinations of event source mappings and schedules do not, so those carry a suppression naming their role.
 */
export function deadLetterQueue(
  scope: Construct,
  id: string,
  queueName: string,
  target: { kind: 'redrive' } | { kind: 'destination'; of: string },
): Queue {
  const queue = new Queue(scope, id, {
    queueName,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  if (target.kind === 'destination') {
    NagSuppressions.addResourceSuppressions(queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter queue: the on-failure destination of ${target.of}.`,
      },
    ]);
  }
  return queue;
}

/** A work queue with its dead-letter queue: encrypted and TLS only, like every queue in the app. */
export function workQueue(
  scope: Construct,
  id: string,
  props: { queueName: string; visibilityTimeout: Duration; deadLetterQueue: DeadLetterQueue },
): Queue {
  return new Queue(scope, id, {
    queueName: props.queueName,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: Duration.days(4),
    deadLetterQueue: props.deadLetterQueue,
  });
}
