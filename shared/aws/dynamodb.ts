import { type AwsServiceConfig, AwsServiceError, callAws } from './http-client.ts';

/** DynamoDB's wire form of a value. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] };

export type Item = Record<string, unknown>;

/** Converts a plain value to DynamoDB's wire form. `undefined` members are left out, as a document client does. */
export function marshall(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('cannot store a non-finite number');
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object': {
      if (Array.isArray(value)) return { L: value.filter((v) => v !== undefined).map(marshall) };
      if (value instanceof Set) return { SS: [...value].map(String) };
      return { M: marshallItem(value as Item) };
    }
    default:
      throw new TypeError(`cannot store a value of type ${typeof value}`);
  }
}

export function marshallItem(item: Item): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[k] = marshall(v);
  return out;
}

export function unmarshall(av: AttributeValue): unknown {
  if ('S' in av) return av.S;
  if ('N' in av) return Number(av.N);
  if ('BOOL' in av) return av.BOOL;
  if ('NULL' in av) return null;
  if ('L' in av) return av.L.map(unmarshall);
  if ('M' in av) return unmarshallItem(av.M);
  if ('SS' in av) return new Set(av.SS);
  // DynamoDB Local's stream records write an empty map as `{}` instead of `{"M":{}}`.
  if (Object.keys(av).length === 0) return {};
  throw new TypeError('unsupported attribute value');
}

export function unmarshallItem(item: Record<string, AttributeValue>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = unmarshall(v);
  return out;
}

export interface ExpressionParts {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export interface PutInput extends ExpressionParts {
  TableName: string;
  Item: Item;
  /** With ALL_OLD, a failed condition hands back the item that was there (no second read needed). */
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}
export interface UpdateInput extends ExpressionParts {
  TableName: string;
  Key: Item;
  UpdateExpression: string;
  ReturnValues?: 'ALL_NEW' | 'ALL_OLD' | 'NONE';
  /** With ALL_OLD, a failed condition hands back the item as it is (see {@link ConditionFailedError}). */
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
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

/** A conditional write failed: the expected state was not there. */
export class ConditionFailedError extends Error {
  /** The item as it was, when the request asked for it with ReturnValuesOnConditionCheckFailure. */
  constructor(readonly item?: Item) {
    super('The conditional request failed');
    this.name = 'ConditionFailedError';
  }
}

/** A transaction was cancelled; `reasons[i]` is the code for the i-th item ('None' where it was not at fault). */
export class TransactionCanceledError extends Error {
  constructor(readonly reasons: string[]) {
    super(`Transaction cancelled: ${reasons.join(', ')}`);
    this.name = 'TransactionCanceledError';
  }
}

function withValues<T extends ExpressionParts>(
  input: T,
): Omit<T, 'ExpressionAttributeValues'> & {
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  const { ExpressionAttributeValues, ...rest } = input;
  return ExpressionAttributeValues
    ? { ...rest, ExpressionAttributeValues: marshallItem(ExpressionAttributeValues) }
    : rest;
}

function transactItemWire(item: TransactItem): unknown {
  if ('Put' in item) return { Put: { ...withValues(item.Put), Item: marshallItem(item.Put.Item) } };
  if ('Update' in item) return { Update: { ...withValues(item.Update), Key: marshallItem(item.Update.Key) } };
  if ('Delete' in item) return { Delete: { ...withValues(item.Delete), Key: marshallItem(item.Delete.Key) } };
  return {
    ConditionCheck: { ...withValues(item.ConditionCheck), Key: marshallItem(item.ConditionCheck.Key) },
  };
}

interface DynamoErrorBody {
  __type?: string;
  message?: string;
  Message?: string;
  CancellationReasons?: { Code?: string }[];
  Item?: Record<string, AttributeValue>;
}

/**
 * A small DynamoDB client over the JSON protocol. It exists because the AWS SDK's client alone costs a Lambda
 * more cold-start time than the whole rest of an intake handler (see the README's benchmarks), and the platform
 * uses only a handful of operations.
 */
export class DynamoDb {
  constructor(private readonly config: AwsServiceConfig) {}

  /**
   * Calls any DynamoDB operation with a wire-form body and returns the parsed answer. `api` selects the Streams
   * API (`DynamoDBStreams_20120810`), which the local stack's stream poller uses.
   */
  async call<T = Record<string, unknown>>(
    operation: string,
    body: unknown,
    api = 'DynamoDB_20120810',
  ): Promise<T> {
    try {
      const res = await callAws(this.config, {
        service: 'dynamodb',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `${api}.${operation}`,
        },
        body: JSON.stringify(body),
        errorType: (r) => {
          let parsed: DynamoErrorBody = {};
          try {
            parsed = JSON.parse(r.body) as DynamoErrorBody;
          } catch {
            // a proxy's HTML error page: keep the status as the type
          }
          const type = (parsed.__type ?? `HTTP${r.status}`).split('#').pop() ?? 'Unknown';
          return {
            type,
            message: parsed.message ?? parsed.Message ?? '',
            // A transaction's reasons, or the item a failed condition found (ReturnValuesOnConditionCheckFailure).
            details: parsed.CancellationReasons ?? parsed.Item,
          };
        },
      });
      return JSON.parse(res.body) as T;
    } catch (err) {
      if (err instanceof AwsServiceError) {
        if (err.errorType === 'ConditionalCheckFailedException') {
          const old = err.details as Record<string, AttributeValue> | undefined;
          throw new ConditionFailedError(old ? unmarshallItem(old) : undefined);
        }
        if (err.errorType === 'TransactionCanceledException') {
          const reasons = (err.details as { Code?: string }[] | undefined) ?? [];
          throw new TransactionCanceledError(reasons.map((r) => r.Code ?? 'None'));
        }
      }
      throw err;
    }
  }

  async get(TableName: string, Key: Item, ConsistentRead = false): Promise<Item | undefined> {
    const out = await this.call<{ Item?: Record<string, AttributeValue> }>('GetItem', {
      TableName,
      Key: marshallItem(Key),
      ConsistentRead,
    });
    return out.Item ? unmarshallItem(out.Item) : undefined;
  }

  async put(input: PutInput): Promise<void> {
    await this.call('PutItem', { ...withValues(input), Item: marshallItem(input.Item) });
  }

  async update(input: UpdateInput): Promise<Item | undefined> {
    const out = await this.call<{ Attributes?: Record<string, AttributeValue> }>('UpdateItem', {
      ...withValues(input),
      Key: marshallItem(input.Key),
    });
    return out.Attributes ? unmarshallItem(out.Attributes) : undefined;
  }

  async delete(input: DeleteInput): Promise<void> {
    await this.call('DeleteItem', { ...withValues(input), Key: marshallItem(input.Key) });
  }

  async query(input: QueryInput): Promise<{ items: Item[]; lastKey?: Item }> {
    const { ExclusiveStartKey, ...rest } = input;
    const out = await this.call<{
      Items?: Record<string, AttributeValue>[];
      LastEvaluatedKey?: Record<string, AttributeValue>;
    }>('Query', {
      ...withValues(rest),
      ...(ExclusiveStartKey ? { ExclusiveStartKey: marshallItem(ExclusiveStartKey) } : {}),
    });
    return {
      items: (out.Items ?? []).map(unmarshallItem),
      ...(out.LastEvaluatedKey ? { lastKey: unmarshallItem(out.LastEvaluatedKey) } : {}),
    };
  }

  async transactWrite(items: TransactItem[], clientRequestToken?: string): Promise<void> {
    await this.call('TransactWriteItems', {
      TransactItems: items.map(transactItemWire),
      ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
    });
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

  /** Reads up to 100 items by key (unprocessed keys are retried until done). */
  async batchGet(TableName: string, keys: Item[], ConsistentRead = false): Promise<Item[]> {
    const results: Item[] = [];
    let pending = keys.map(marshallItem);
    for (let round = 0; pending.length > 0 && round < 8; round++) {
      const out = await this.call<{
        Responses?: Record<string, Record<string, AttributeValue>[]>;
        UnprocessedKeys?: Record<string, { Keys: Record<string, AttributeValue>[] }>;
      }>('BatchGetItem', {
        RequestItems: { [TableName]: { Keys: pending, ...(ConsistentRead ? { ConsistentRead } : {}) } },
      });
      for (const it of out.Responses?.[TableName] ?? []) results.push(unmarshallItem(it));
      pending = out.UnprocessedKeys?.[TableName]?.Keys ?? [];
      if (pending.length) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
    }
    if (pending.length) throw new Error('BatchGetItem left keys unprocessed');
    return results;
  }
}
