/**
 * The table's access layer (shared/store/dynamodb.ts) over the AWS SDK's client, against DynamoDB Local: what is
 * stored is what was written (number precision, set types), and DynamoDB's refusals arrive as the domain's coded
 * errors (shared/errors/aws-errors.ts). Throttling, which DynamoDB Local never does, comes from a small HTTP
 * server answering as DynamoDB does when it throttles.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClients } from '#local/dynamodb-local.ts';
import {
  ConditionFailedError,
  ItemTooLargeError,
  NumberPrecisionError,
  ThrottledError,
  TransactionCanceledError,
  UnstorableValueError,
} from '#shared/errors/aws-errors.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { testDb } from '../support/services.ts';

const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('the DynamoDB access layer against DynamoDB Local', () => {
  let db: DynamoDb;
  let TableName: string;
  const key = () => ({ pk: `PROBE#${randomBytes(6).toString('hex')}`, sk: 'PROBE' });
  /** The item as DynamoDB holds it (wire form), read with the bare SDK client. */
  const raw = async (k: { pk: string; sk: string }) =>
    (await db.client.send(new GetItemCommand({ TableName, Key: { pk: { S: k.pk }, sk: { S: k.sk } } }))).Item;

  beforeAll(async () => {
    ({ db, tableName: TableName } = await testDb());
  });

  it('keeps every digit: decimals as doubles write them, integers past 2^53 as bigints', async () => {
    const k = key();
    const big = 2n ** 63n + 1n;
    await db.put({ TableName, Item: { ...k, tenth: 0.1, negative: -12.5, big, count: 7 } });
    const stored = await raw(k);
    expect(stored?.tenth).toEqual({ N: '0.1' });
    expect(stored?.big).toEqual({ N: '9223372036854775809' });
    expect(await db.get(TableName, k, true)).toEqual({ ...k, tenth: 0.1, negative: -12.5, big, count: 7 });

    // An update that adds to the big number stays exact on both sides.
    const after = await db.update({
      TableName,
      Key: k,
      UpdateExpression: 'ADD big :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_NEW',
    });
    expect(after?.big).toBe(big + 1n);
    expect((await raw(k))?.big).toEqual({ N: '9223372036854775810' });
  });

  it('refuses to read a number no JavaScript value holds, and to write one that may have lost digits', async () => {
    const k = key();
    // Written by another client with more digits than a double keeps.
    await db.client.send(
      new PutItemCommand({
        TableName,
        Item: { pk: { S: k.pk }, sk: { S: k.sk }, amount: { N: '0.1000000000000000000000001' } },
      }),
    );
    const readErr = await caught(db.get(TableName, k, true));
    expect(readErr).toBeInstanceOf(NumberPrecisionError);
    expect(readErr).toMatchObject({ code: 'STORE.NUMBER_PRECISION' });

    const k2 = key();
    const writeErr = await caught(db.put({ TableName, Item: { ...k2, amount: 2 ** 60 } }));
    expect(writeErr).toBeInstanceOf(UnstorableValueError);
    expect(writeErr).toMatchObject({ code: 'STORE.VALUE_NOT_STORABLE', status: 400 });
    expect(await raw(k2)).toBeUndefined();
  });

  it('keeps set types: a set of numbers is a number set, a set of strings a string set, after ADD too', async () => {
    const k = key();
    await db.put({ TableName, Item: { ...k, scores: new Set([1, 2.5]), tags: new Set(['a', 'b']) } });
    await db.update({
      TableName,
      Key: k,
      UpdateExpression: 'ADD scores :n, tags :t',
      ExpressionAttributeValues: { ':n': new Set([3]), ':t': new Set(['c']) },
    });
    const stored = await raw(k);
    expect(stored?.scores?.NS?.sort()).toEqual(['1', '2.5', '3']);
    expect(stored?.tags?.SS?.sort()).toEqual(['a', 'b', 'c']);
    const item = await db.get(TableName, k, true);
    expect(item?.scores).toEqual(new Set([1, 2.5, 3]));
    expect(item?.tags).toEqual(new Set(['a', 'b', 'c']));
  });

  it('a failed conditional update hands back the item it found, as a 409 with a stable code', async () => {
    const k = key();
    await db.put({ TableName, Item: { ...k, version: 3, scores: new Set([1]) } });
    const err = await caught(
      db.update({
        TableName,
        Key: k,
        UpdateExpression: 'SET version = :next',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':next': 2, ':expected': 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    expect(err).toBeInstanceOf(ConditionFailedError);
    expect(err).toMatchObject({ code: 'STORE.CONDITION_FAILED', status: 409 });
    expect((err as ConditionFailedError).item).toEqual({ ...k, version: 3, scores: new Set([1]) });
  });

  it("a cancelled transaction names each action's reason and hands back the item a failed check found", async () => {
    const taken = key();
    const free = key();
    await db.put({ TableName, Item: { ...taken, owner: 'first' } });
    const err = await caught(
      db.transactWrite([
        {
          Put: {
            TableName,
            Item: { ...free, owner: 'second' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName,
            Item: { ...taken, owner: 'second' },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ]),
    );
    expect(err).toBeInstanceOf(TransactionCanceledError);
    const cancelled = err as TransactionCanceledError;
    expect(cancelled.code).toBe('STORE.TRANSACTION_CANCELLED');
    expect(cancelled.reasons).toEqual(['None', 'ConditionalCheckFailed']);
    expect(cancelled.items).toEqual([undefined, { ...taken, owner: 'first' }]);
    // Nothing of the transaction was written.
    expect(await raw(free)).toBeUndefined();
  });

  it('an item over 400 KB is a 413 STORE.ITEM_TOO_LARGE', async () => {
    const err = await caught(db.put({ TableName, Item: { ...key(), text: 'x'.repeat(410_000) } }));
    expect(err).toBeInstanceOf(ItemTooLargeError);
    expect(err).toMatchObject({ code: 'STORE.ITEM_TOO_LARGE', status: 413 });
  });
});

describe('the DynamoDB access layer when DynamoDB throttles', () => {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `throttled-${requests}`,
      });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput for the table was exceeded.',
        }),
      );
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('retries with back-off, then answers 503 AWS.THROTTLED', async () => {
    const { port } = server.address() as AddressInfo;
    const { db } = localAwsClients({ dynamodb: `http://127.0.0.1:${port}` });
    const err = await caught(db.get('cfm-throttled', { pk: 'CASE#K7MQ4XZ9', sk: 'CASE' }));
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err).toMatchObject({ code: 'AWS.THROTTLED', status: 503, service: 'dynamodb' });
    // The client's three attempts (functions/lib/aws-clients.ts) all reached DynamoDB.
    expect(requests).toBe(3);
  });
});
