import { type AwsServiceConfig, callAws } from '#shared/aws/http-client.ts';

/** The few SQS calls the local stack's pollers make, over SQS's JSON protocol (fauxqs speaks it). */
export interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

export class LocalSqs {
  constructor(private readonly config: AwsServiceConfig) {}

  private async call<T>(action: string, body: unknown): Promise<T> {
    const res = await callAws(this.config, {
      service: 'sqs',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
      body: JSON.stringify(body),
      maxAttempts: 1,
      errorType: (r) => {
        try {
          const parsed = JSON.parse(r.body) as { __type?: string; message?: string };
          return {
            type: (parsed.__type ?? `HTTP${r.status}`).split('#').pop() ?? 'Unknown',
            message: parsed.message ?? '',
          };
        } catch {
          return { type: `HTTP${r.status}`, message: '' };
        }
      },
    });
    return (res.body ? JSON.parse(res.body) : {}) as T;
  }

  async receive(queueUrl: string, max = 10, waitSeconds = 1): Promise<SqsMessage[]> {
    const out = await this.call<{ Messages?: SqsMessage[] }>('ReceiveMessage', {
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitSeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    return out.Messages ?? [];
  }

  async delete(queueUrl: string, receiptHandle: string): Promise<void> {
    await this.call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: receiptHandle });
  }

  /** Messages waiting, in flight (received, not yet deleted) and delayed: all zero means the queue is drained. */
  async depth(queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const out = await this.call<{ Attributes?: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    });
    const n = (name: string) => Number(out.Attributes?.[name] ?? 0);
    return {
      visible: n('ApproximateNumberOfMessages'),
      inFlight: n('ApproximateNumberOfMessagesNotVisible'),
      delayed: n('ApproximateNumberOfMessagesDelayed'),
    };
  }

  async send(queueUrl: string, body: string): Promise<void> {
    await this.call('SendMessage', { QueueUrl: queueUrl, MessageBody: body });
  }
}
