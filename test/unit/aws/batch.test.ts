import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { processQueueBatch, processStreamBatch } from '#functions/lib/batch.ts';

const record = (seq: number, pk: string): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: { Keys: { pk: { S: pk } }, SequenceNumber: String(seq) },
});
const keyOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.pk?.S;
const seqOf = (r: DynamoDBRecord) => Number(r.dynamodb?.SequenceNumber);

describe('stream batches through Powertools', () => {
  const batch = [record(1, 'A'), record(2, 'B'), record(3, 'A'), record(4, 'B'), record(5, 'A')];

  it('runs the records of one key in order and keys side by side', async () => {
    const ran: number[] = [];
    const res = await processStreamBatch(
      { Records: batch },
      async (r) => {
        // A later record of key A would overtake an earlier one if they ran side by side.
        await new Promise((resolve) => setTimeout(resolve, seqOf(r) === 1 ? 30 : 1));
        ran.push(seqOf(r));
      },
      { keyOf, afterFailure: 'stop' },
    );
    expect(res.batchItemFailures).toEqual([]);
    expect(ran.filter((s) => [1, 3, 5].includes(s))).toEqual([1, 3, 5]);
    expect(ran.filter((s) => [2, 4].includes(s))).toEqual([2, 4]);
    expect(ran.indexOf(2)).toBeLessThan(ran.indexOf(1));
  });

  it("with 'stop', reports a failed record and the later records of its key without running them", async () => {
    const ran: number[] = [];
    const res = await processStreamBatch(
      { Records: batch },
      async (r) => {
        if (seqOf(r) === 3) throw new Error('outage');
        ran.push(seqOf(r));
      },
      { keyOf, afterFailure: 'stop' },
    );
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['3', '5']);
    expect(ran.sort()).toEqual([1, 2, 4]);
  });

  it("with 'continue', still runs the later records of a key after a failure", async () => {
    const ran: number[] = [];
    const res = await processStreamBatch(
      { Records: batch },
      async (r) => {
        if (seqOf(r) === 3) throw new Error('outage');
        ran.push(seqOf(r));
      },
      { keyOf, afterFailure: 'continue' },
    );
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '3' }]);
    expect(ran.sort()).toEqual([1, 2, 4, 5]);
  });

  it('answers a batch in which every record failed with every record, rather than throwing', async () => {
    const res = await processStreamBatch(
      { Records: batch.slice(0, 2) },
      async () => {
        throw new Error('outage');
      },
      { keyOf, afterFailure: 'stop' },
    );
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['1', '2']);
  });
});

describe('queue batches through Powertools', () => {
  it('reports failed messages by message id, one message after another', async () => {
    const message = (id: string): SQSRecord => ({ messageId: id, body: id }) as SQSRecord;
    const order: string[] = [];
    const res = await processQueueBatch({ Records: ['m1', 'm2', 'm3'].map(message) }, async (r) => {
      order.push(`start ${r.body}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`end ${r.body}`);
      if (r.body === 'm2') throw new Error('Twilio refused');
    });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(order).toEqual(['start m1', 'end m1', 'start m2', 'end m2', 'start m3', 'end m3']);
  });
});
