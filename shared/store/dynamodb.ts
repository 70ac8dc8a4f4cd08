/**
 * The table's access layer over the AWS SDK's DynamoDB client: the handful of operations the stores use, with
 * plain items in and out (marshalled by `@aws-sdk/util-dynamodb`) and every failure mapped to the domain's coded
 * errors by shared/errors/aws-errors.ts. The client itself is built once per cold start by
 * functions/lib/aws-clients.ts and handed in.
 *
 * Numbers keep their precision or are refused: a stored number comes back as a `number` when a double holds it
 * exactly, as a `bigint` when it is an integer beyond 2^53, and otherwise fails the read with
 * {@link NumberPrecisionError}; on the way in, a `number` outside the safe integer range (which may already have
 * lost digits) is refused with {@link UnstorableValueError} and a `bigint` is written digit for digit. Sets keep
 * their type: a `Set` of numbers is a number set (NS), of strings a string set (SS).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  fromAwsError,
  NumberPrecisionError,
  ThrottledError,
  UnstorableValueError,
} from '../errors/aws-errors.ts';

export type { AttributeValue };
export type Item = Record<string, unknown>;

export interface ExpressionParts {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  /** With ALL_OLD, a failed condition hands back the item that was there (no second read needed). */
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export interface PutInput extends ExpressionParts {
  TableName: string;
  Item: Item;
}
export interface UpdateInput extends ExpressionParts {
  TableName: string;
  Key: Item;
  UpdateExpression: string;
  ReturnValues?: 'ALL_NEW' | 'ALL_OLD' | 'UPDATED_NEW' | 'UPDATED_OLD' | 'NONE';
}
export interface DeleteInput extends ExpressionParts {
  TableName: string;
  Key: Item;
}
export interface ConditionCheckInput extends ExpressionParts {
  TableName: string;
  Key: Item;
  ConditionExpression: string;
}
export interface QueryInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression: string;
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
}
export type TransactItem =
  | { Put: PutInput }
  | { Update: UpdateInput }
  | { Delete: DeleteInput }
  | { ConditionCheck: ConditionCheckInput };

/** `digits × 10^exponent`, with no leading or trailing zeros in `digits` ("0" for zero). */
function decimalParts(text: string): { negative: boolean; digits: string; exponent: number } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || `${m[2]}${m[3] ?? ''}` === '') return undefined;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let exponent = Number(m[4] ?? 0) - fraction.length;
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  if (digits === '') return { negative: false, digits: '0', exponent: 0 };
  return { negative: m[1] === '-', digits, exponent };
}

const sameDecimal = (a: string, b: string): boolean => {
  const x = decimalParts(a);
  const y = decimalParts(b);
  return !!x && !!y && x.negative === y.negative && x.digits === y.digits && x.exponent === y.exponent;
};

/** A DynamoDB number as the JavaScript value that holds it exactly (see the module's comment). */
export function readNumber(text: string): number | bigint {
  const parts = decimalParts(text);
  if (!parts) throw new NumberPrecisionError();
  const n = Number(text);
  // An integer past 2^53 is a bigint, so that writing it back keeps every digit.
  if (parts.exponent >= 0 && !Number.isSafeInteger(n)) {
    return BigInt(`${parts.negative ? '-' : ''}${parts.digits}${'0'.repeat(parts.exponent)}`);
  }
  if (Number.isFinite(n) && sameDecimal(text, String(n))) return n;
  throw new NumberPrecisionError();
}

/** A plain item in DynamoDB's wire form. */
export function marshallItem(item: Item): Record<string, AttributeValue> {
  try {
    return marshall(item, { removeUndefinedValues: true });
  } catch {
    // util-dynamodb refuses unsafe integers, non-finite numbers, empty sets and class instances with a plain Error.
    throw new UnstorableValueError();
  }
}

/** A wire-form item as a plain one, numbers read by {@link readNumber}. */
export function unmarshallItem(item: Record<string, AttributeValue>): Item {
  return unmarshall(item, { wrapNumbers: readNumber });
}

/** DynamoDB Local's stream records write an empty map as `{}` rather than `{"M":{}}`; this puts the M back. */
function repairEmptyMaps(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(value).length === 0) return { M: {} };
  if ('M' in value && value.M && typeof value.M === 'object') {
    return { M: repairImage(value.M as Record<string, Record<string, unknown>>) };
  }
  if ('L' in value && Array.isArray(value.L)) {
    return { L: (value.L as Record<string, unknown>[]).map(repairEmptyMaps) };
  }
  return value;
}

function repairImage(
  image: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairEmptyMaps(v)]));
}

/**
 * A stream record's image (a Lambda event's `NewImage`/`OldImage`, whose type comes from `aws-lambda`) as a plain
 * item, numbers read as everywhere else.
 */
export function imageToItem(image: Record<string, object>): Item {
  return unmarshallItem(repairImage(image as Record<string, Record<string, unknown>>) as never);
}

const withValues = <T extends { ExpressionAttributeValues?: Item }>(input: T) => {
  const { ExpressionAttributeValues, ...rest } = input;
  return ExpressionAttributeValues
    ? { ...rest, ExpressionAttributeValues: marshallItem(ExpressionAttributeValues) }
    : rest;
};

function transactItemWire(item: TransactItem) {
  if ('Put' in item) return { Put: { ...withValues(item.Put), Item: marshallItem(item.Put.Item) } };
  if ('Update' in item) return { Update: { ...withValues(item.Update), Key: marshallItem(item.Update.Key) } };
  if ('Delete' in item) return { Delete: { ...withValues(item.Delete), Key: marshallItem(item.Delete.Key) } };
  return {
    ConditionCheck: { ...withValues(item.ConditionCheck), Key: marshallItem(item.ConditionCheck.Key) },
  };
}

/** The table operations the platform uses, over one SDK client. */
export class DynamoDb {
  constructor(readonly client: DynamoDBClient) {}

  /** Sends through the client; every failure leaves as a domain error (shared/errors/aws-errors.ts). */
  private async run<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw fromAwsError(err, 'dynamodb', (raw) => unmarshallItem(raw as Record<string, AttributeValue>));
    }
  }

  async get(TableName: string, Key: Item, ConsistentRead = false): Promise<Item | undefined> {
    const command = new GetItemCommand({ TableName, Key: marshallItem(Key), ConsistentRead });
    const out = await this.run(() => this.client.send(command));
    return out.Item ? unmarshallItem(out.Item) : undefined;
  }

  async put(input: PutInput): Promise<void> {
    const command = new PutItemCommand({ ...withValues(input), Item: marshallItem(input.Item) });
    await this.run(() => this.client.send(command));
  }

  async update(input: UpdateInput): Promise<Item | undefined> {
    const command = new UpdateItemCommand({ ...withValues(input), Key: marshallItem(input.Key) });
    const out = await this.run(() => this.client.send(command));
    return out.Attributes ? unmarshallItem(out.Attributes) : undefined;
  }

  async delete(input: DeleteInput): Promise<void> {
    const command = new DeleteItemCommand({ ...withValues(input), Key: marshallItem(input.Key) });
    await this.run(() => this.client.send(command));
  }

  async query(input: QueryInput): Promise<{ items: Item[]; lastKey?: Item }> {
    const { ExclusiveStartKey, ...rest } = input;
    const command = new QueryCommand({
      ...withValues(rest),
      ...(ExclusiveStartKey ? { ExclusiveStartKey: marshallItem(ExclusiveStartKey) } : {}),
    });
    const out = await this.run(() => this.client.send(command));
    return {
      items: (out.Items ?? []).map(unmarshallItem),
      ...(out.LastEvaluatedKey ? { lastKey: unmarshallItem(out.LastEvaluatedKey) } : {}),
    };
  }

  /** Every item a query matches, following `LastEvaluatedKey` page by page. */
  async queryAll(input: Omit<QueryInput, 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let lastKey: Item | undefined;
    do {
      const page = await this.query({ ...input, ...(lastKey ? { ExclusiveStartKey: lastKey } : {}) });
      items.push(...page.items);
      lastKey = page.lastKey;
    } while (lastKey);
    return items;
  }

  async transactWrite(items: TransactItem[], clientRequestToken?: string): Promise<void> {
    const command = new TransactWriteItemsCommand({
      TransactItems: items.map(transactItemWire),
      ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
    });
    await this.run(() => this.client.send(command));
  }

  /**
   * Reads up to 100 items by key. Keys DynamoDB leaves unprocessed (it answers with them rather than failing)
   * are asked for again, with a growing pause.
   */
  async batchGet(TableName: string, keys: Item[], ConsistentRead = false): Promise<Item[]> {
    const results: Item[] = [];
    let pending = keys.map(marshallItem);
    for (let round = 0; pending.length > 0 && round < 8; round++) {
      const command = new BatchGetItemCommand({
        RequestItems: { [TableName]: { Keys: pending, ...(ConsistentRead ? { ConsistentRead } : {}) } },
      });
      const out = await this.run(() => this.client.send(command));
      for (const it of out.Responses?.[TableName] ?? []) results.push(unmarshallItem(it));
      pending = out.UnprocessedKeys?.[TableName]?.Keys ?? [];
      if (pending.length) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
    }
    // Keys left after every round mean the table is over its capacity: the same answer as a throttled read.
    if (pending.length) throw new ThrottledError('dynamodb');
    return results;
  }
}
