import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_AWS } from './dynamodb-local.ts';
import type { LocalSqs, SqsMessage } from './sqs.ts';
import type { BatchResponse } from './stream-poller.ts';

export type QueueHandler = (event: SQSEvent) => Promise<BatchResponse>;

export interface QueuePollerOptions {
  name: string;
  sqs: () => LocalSqs | undefined;
  queue: { url: string; arn: string };
  handler: QueueHandler;
  batchSize?: number;
  log: (line: string) => void;
}

const toRecord = (m: SqsMessage, arn: string): SQSRecord =>
  ({
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: (m.Attributes ?? {}) as unknown as SQSRecord['attributes'],
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { dataType: v.DataType, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: LOCAL_AWS.region,
  }) as SQSRecord;

/**
 * Polls an SQS queue of the emulator into a subscriber the way Lambda's SQS event source does: successful
 * messages are deleted, failed ones (thrown batch or partial batch response) stay and come back after the
 * visibility timeout, and the queue's redrive policy moves repeat failures to its DLQ. A partial batch response
 * naming a message that is not in the batch (or none at all) fails the whole batch, as in Lambda.
 */
export class QueuePoller {
  private stopped = false;
  private loop: Promise<void> | undefined;
  processed = 0;

  constructor(private readonly o: QueuePollerOptions) {}

  get name(): string {
    return this.o.name;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    let reported = false;
    while (!this.stopped) {
      const sqs = this.o.sqs();
      if (!sqs) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      try {
        const messages = await sqs.receive(this.o.queue.url, this.o.batchSize ?? 10, 1);
        reported = false;
        if (messages.length === 0) continue;
        const records = messages.map((m) => toRecord(m, this.o.queue.arn));
        const all = new Set(records.map((r) => r.messageId));
        let failed = new Set<string>();
        try {
          const res = await this.o.handler({ Records: records });
          failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          if ([...failed].some((id) => !all.has(id))) failed = all;
        } catch (err) {
          failed = all;
          this.o.log(`${this.o.name}: handler threw ${(err as Error).name}; the batch will be retried`);
        }
        for (const r of records) {
          if (failed.has(r.messageId)) continue;
          await sqs.delete(this.o.queue.url, r.receiptHandle);
          this.processed++;
        }
      } catch (err) {
        if (!reported) this.o.log(`${this.o.name}: queue read failed (${(err as Error).name}); retrying`);
        reported = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
