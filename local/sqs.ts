import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { withoutSdkLogger } from '#functions/lib/aws-clients.ts';

/** A received message: the emulator, like SQS, always gives these three. */
export type SqsMessage = Message & { MessageId: string; ReceiptHandle: string; Body: string };

/** The few SQS calls the local stack's pollers make, through the SDK's client pointed at the emulator. */
export class LocalSqs {
  private readonly client: SQSClient;

  constructor(
    config: { region: string; credentials: { accessKeyId: string; secretAccessKey: string } },
    endpoint: string,
  ) {
    // One attempt: a poller retries on its own schedule, and a stopped emulator should not stall it in back-off.
    this.client = withoutSdkLogger(new SQSClient({ ...config, endpoint, maxAttempts: 1 }));
  }

  async receive(queueUrl: string, max = 10, waitSeconds = 1): Promise<SqsMessage[]> {
    const out = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    return (out.Messages ?? []).map((m) => ({
      ...m,
      MessageId: m.MessageId ?? '',
      ReceiptHandle: m.ReceiptHandle ?? '',
      Body: m.Body ?? '',
    }));
  }

  async delete(queueUrl: string, receiptHandle: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
  }

  /** Messages waiting, in flight (received, not yet deleted) and delayed: all zero means the queue is drained. */
  async depth(queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const out = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const n = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
    return {
      visible: n('ApproximateNumberOfMessages'),
      inFlight: n('ApproximateNumberOfMessagesNotVisible'),
      delayed: n('ApproximateNumberOfMessagesDelayed'),
    };
  }

  async send(queueUrl: string, body: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }
}
