/**
 * Configuration records in the platform's single table: pk `CONFIG#<kind>`, sk `<id>`, the record itself in
 * one `record` attribute (so a record field can never collide with a key or index attribute). Every write is
 * validated against the kind's schema; every read is validated again, so a record written by an older version
 * picks up new defaults and a damaged one fails loudly instead of routing a case wrongly.
 */
import type { z } from 'zod';
import { ConditionFailedError } from '../errors/aws-errors.ts';
import { NotFoundError, ValidationError } from '../errors/domain-error.ts';
import { StoredSlaPolicySchema } from '../sla/stored-policy.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';
import {
  AgencySchema,
  CalendarSchema,
  FocalPointSchema,
  PartnerSchema,
  RoutingRuleSchema,
  SlaPolicySchema,
} from './schemas.ts';

/**
 * Each kind's schema and the field that holds its id; `stored`, where given, reads records written by an older
 * version (SLA policies with a zero target are read as the design's defaults).
 */
export const CONFIG_KINDS = {
  'focal-point': { schema: FocalPointSchema, idField: 'focalPointId' },
  'routing-rule': { schema: RoutingRuleSchema, idField: 'ruleId' },
  'sla-policy': { schema: SlaPolicySchema, stored: StoredSlaPolicySchema, idField: 'id' },
  calendar: { schema: CalendarSchema, idField: 'id' },
  partner: { schema: PartnerSchema, idField: 'partnerId' },
  agency: { schema: AgencySchema, idField: 'agencyId' },
} as const;
export type ConfigKind = keyof typeof CONFIG_KINDS;
export type ConfigRecord<K extends ConfigKind> = z.output<(typeof CONFIG_KINDS)[K]['schema']>;
export type ConfigInput<K extends ConfigKind> = z.input<(typeof CONFIG_KINDS)[K]['schema']>;

export const isConfigKind = (value: string): value is ConfigKind => Object.hasOwn(CONFIG_KINDS, value);

export const configKey = (kind: ConfigKind, id: string) => ({ pk: `CONFIG#${kind}`, sk: id });

/**
 * The configuration's generation: one counter item that every write through a store raises after the write
 * itself. A reader that keeps the configuration (the router, for every stream batch) reads this one item,
 * consistently, and reads the records again only when the number has moved: one GetItem a batch instead of a
 * Query per kind. Raised after the record is written, so a reader that sees the new number reads the new record.
 */
export const CONFIG_GENERATION_KEY = { pk: 'CONFIG#generation', sk: 'current' } as const;

/**
 * Raises the generation. The store does it after each write; a record changed outside the store (a restore, an
 * edit in the AWS console, a test's damaged record) reaches keeping readers when this is called, or after their
 * longest keep.
 */
export async function raiseConfigGeneration(db: DynamoDb, tableName: string): Promise<void> {
  await db.update({
    TableName: tableName,
    Key: CONFIG_GENERATION_KEY,
    UpdateExpression: 'ADD #n :one',
    ExpressionAttributeNames: { '#n': 'n' },
    ExpressionAttributeValues: { ':one': 1 },
  });
}

export interface ConfigStoreDeps {
  db: DynamoDb;
  tableName: string;
  now?: () => Date;
}

export interface ConfigStore {
  /**
   * Every record of a kind, in id order. With `maxAgeMs`, a read this store made within that time answers again,
   * unless this process has written configuration since: for readers on a hot path (the SMS webhook checks every
   * sender against the focal points' numbers) that may see another process's change that much later.
   */
  list<K extends ConfigKind>(kind: K, o?: { maxAgeMs?: number }): Promise<ConfigRecord<K>[]>;
  get<K extends ConfigKind>(kind: K, id: string): Promise<ConfigRecord<K> | undefined>;
  /** Validates and stores a record (creating or replacing it); a bad record is a 400 naming its fields. */
  put<K extends ConfigKind>(kind: K, record: unknown): Promise<ConfigRecord<K>>;
  /** Stores a record only if none has its id yet; true when it was stored. Seeds use this. */
  putIfAbsent<K extends ConfigKind>(kind: K, record: unknown): Promise<boolean>;
  /** Removes a record; a 404 (`CONFIG.NOT_FOUND`) when there is none. */
  delete(kind: ConfigKind, id: string): Promise<void>;
  /** The configuration's generation ({@link CONFIG_GENERATION_KEY}), read consistently; 0 before any write. */
  generation(): Promise<number>;
}

function validate<K extends ConfigKind>(kind: K, input: unknown): ConfigRecord<K> {
  const result = CONFIG_KINDS[kind].schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      `The ${kind} is not valid.`,
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data as ConfigRecord<K>;
}

const idOf = <K extends ConfigKind>(kind: K, record: ConfigRecord<K>): string =>
  (record as Record<string, unknown>)[CONFIG_KINDS[kind].idField] as string;

/** A stored record that no longer passes its schema is a server fault, reported without its content. */
function fromItem<K extends ConfigKind>(kind: K, item: Item): ConfigRecord<K> {
  const k: { schema: z.ZodType; stored?: z.ZodType } = CONFIG_KINDS[kind];
  const result = (k.stored ?? k.schema).safeParse(item.record);
  if (!result.success) throw new Error(`CONFIG.CORRUPT: stored ${kind} ${String(item.sk)} fails its schema`);
  return result.data as ConfigRecord<K>;
}

/** Configuration writes this process has made, by any store: a kept read older than the last one is not used. */
let writes = 0;

interface Kept {
  records: Promise<unknown[]>;
  readAt: number;
  writes: number;
}

export function makeConfigStore({ db, tableName, now = () => new Date() }: ConfigStoreDeps): ConfigStore {
  const item = <K extends ConfigKind>(kind: K, record: ConfigRecord<K>): Item => ({
    ...configKey(kind, idOf(kind, record)),
    kind,
    record,
    updatedAt: now().toISOString(),
  });

  const read = async <K extends ConfigKind>(kind: K): Promise<ConfigRecord<K>[]> => {
    const items = await db.queryAll({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': configKey(kind, '').pk },
      ConsistentRead: true,
    });
    return items.map((it) => fromItem(kind, it));
  };
  const kept = new Map<ConfigKind, Kept>();

  return {
    list(kind, o) {
      if (o?.maxAgeMs === undefined) return read(kind);
      // Wall time, not `now`: a test's fixed clock must not keep a read for ever.
      const at = Date.now();
      const held = kept.get(kind);
      if (held && at - held.readAt < o.maxAgeMs && held.writes === writes) {
        return held.records as Promise<ConfigRecord<typeof kind>[]>;
      }
      const records = read(kind);
      kept.set(kind, { records, readAt: at, writes });
      // A failed read is not kept: the next caller reads again.
      records.catch(() => kept.delete(kind));
      return records;
    },

    async get(kind, id) {
      const found = await db.get(tableName, configKey(kind, id), true);
      return found ? fromItem(kind, found) : undefined;
    },

    async put(kind, input) {
      const record = validate(kind, input);
      await db.put({ TableName: tableName, Item: item(kind, record) });
      writes++;
      await raiseConfigGeneration(db, tableName);
      return record;
    },

    async putIfAbsent(kind, input) {
      const record = validate(kind, input);
      try {
        await db.put({
          TableName: tableName,
          Item: item(kind, record),
          ConditionExpression: 'attribute_not_exists(pk)',
        });
      } catch (err) {
        if (err instanceof ConditionFailedError) return false;
        throw err;
      }
      writes++;
      await raiseConfigGeneration(db, tableName);
      return true;
    },

    async delete(kind, id) {
      try {
        await db.delete({
          TableName: tableName,
          Key: configKey(kind, id),
          ConditionExpression: 'attribute_exists(pk)',
        });
      } catch (err) {
        if (err instanceof ConditionFailedError)
          throw new NotFoundError('CONFIG.NOT_FOUND', `No such ${kind}.`);
        throw err;
      }
      writes++;
      await raiseConfigGeneration(db, tableName);
    },

    async generation() {
      const found = await db.get(tableName, CONFIG_GENERATION_KEY, true);
      return typeof found?.n === 'number' ? found.n : 0;
    },
  };
}
