/**
 * Case creation through the store (one conditional PutItem keyed by the reference drawn from the idempotency key,
 * with the zod parse, the phone's encryption and keyed hash, and the marshalling) against the cheapest write that
 * could possibly store a complaint: one conditional PutItem of the same case item on the same table, sent with the
 * same SDK client, the item marshalled before the clock starts. Both run interleaved, on DynamoDB Local, in this
 * process.
 */
import { randomBytes } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable, startDynamoLocal } from '#local/dynamodb-local.ts';
import { freePort } from '#local/ports.ts';
import { makeCaseStore } from '#shared/cases/case-store.ts';
import { makePersonalDataProtector } from '#shared/privacy/personal-data.ts';
import { marshallItem } from '#shared/store/dynamodb.ts';
import { percentile, round, timed } from './stats.ts';
import type { BenchResult } from './types.ts';

const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 400);
const WARM_UP = 50;

export async function run(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  try {
    const tableName = 'bench-store';
    await ensureTable(dynamo.db, tableName);
    const protector = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });
    const store = makeCaseStore({ db: dynamo.db, tableName, protector });
    const input = (i: number) => ({
      channel: 'sms' as const,
      idempotencyKey: `SM${randomBytes(16).toString('hex')}${i}`,
      narrative: 'الماء مقطوع في المخيم منذ ثلاثة أيام ولا أحد يجيب',
      language: 'ar' as const,
      phone: '+9647701234567',
      createdBy: { kind: 'complainant' as const },
    });
    // The bare write stores the same case item the store would, keyed freshly each time.
    const template = (await store.create(input(-1))).case;
    const bareCommand = (i: number) =>
      new PutItemCommand({
        TableName: tableName,
        Item: marshallItem({ ...template, pk: `BARE#${i}#${randomBytes(4).toString('hex')}`, sk: 'CASE' }),
        ConditionExpression: 'attribute_not_exists(pk)',
      });

    const storeTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < WARM_UP + ROUNDS; i++) {
      const next = input(i);
      const command = bareCommand(i);
      const s = await timed(() => store.create(next));
      const b = await timed(() => dynamo.db.client.send(command));
      if (i >= WARM_UP) {
        storeTimes.push(s);
        bareTimes.push(b);
      }
    }
    const result = (name: string, p: number, goal: string): BenchResult => {
      const value = percentile(storeTimes, p);
      const baseline = percentile(bareTimes, p);
      return {
        name,
        value: round(value),
        unit: 'ms',
        baseline: round(baseline),
        ratio: round(value / baseline),
        goal,
      };
    };
    return [
      result('store.create p50 vs bare conditional PutItem', 50, '<= 1.3x'),
      result('store.create p99 vs bare conditional PutItem', 99, 'report'),
    ];
  } finally {
    await dynamo.stop();
  }
}
