/**
 * Reads the spike counters and keeps the alerts (keys in spikes.ts). Every read is a Query on one partition: a
 * category × place's last 15 days, or one day's alerts; nothing is scanned.
 *
 * An alert item is claimed by a conditional write (`attribute_not_exists`), so of any number of projectors that
 * see the same category × place cross the threshold at once, exactly one owns the alert: the claim holds a random
 * token and a lease. The owner publishes and then marks it `published`. Another projector that finds the claim
 * still `pending` under a live lease fails its record, to be retried (by then it finds `published`); under an
 * expired lease (the owner died between its claim and SNS) it takes the claim over by a conditional write on the
 * old token and publishes itself. A lost alert needs two failures in a row; a repeated one, an owner slower than its
 * lease (at least once, as publish-markers.ts says why).
 */
import * as z from 'zod';
import { ConditionFailedError } from '../errors/aws-errors.ts';
import type { DynamoDb } from '../store/dynamodb.ts';
import { tableDefinition } from '../store/table-definition.ts';
import { addDays, type PlaceLevel, SPIKE_RULE, spikeKeys } from './spikes.ts';

/** Alert items outlive the dashboard's window (today and yesterday) by a month, for anyone looking back. */
const KEEP_SECONDS = 35 * 24 * 3600;

export const SpikeAlertSchema = z.object({
  day: z.string(),
  category: z.string(),
  place: z.string(),
  level: z.enum(['district', 'governorate']),
  governorate: z.string(),
  count: z.number().int(),
  baseline: z.number(),
  threshold: z.number().int(),
  example: z.array(z.string()).default([]),
  focalPoints: z.array(z.string()).default([]),
  raisedAt: z.string(),
  status: z.enum(['pending', 'published']),
  /** The claim's holder (a random token per attempt) and until when it holds (epoch ms). */
  token: z.string(),
  leaseUntil: z.number(),
  messageId: z.string().optional(),
});
export type SpikeAlert = z.infer<typeof SpikeAlertSchema>;

export function makeSpikeStore(deps: { db: DynamoDb; tableName: string }) {
  const { db, tableName: TableName } = deps;

  /** The counts of a category × place for `day` and the baseline days before it, by day. */
  async function counts(category: string, place: string, day: string): Promise<Record<string, number>> {
    const items = await db.queryAll({
      TableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': spikeKeys.counterPartition(category, place),
        ':lo': addDays(day, -SPIKE_RULE.baselineDays),
        ':hi': day,
      },
      ConsistentRead: true,
    });
    const out: Record<string, number> = {};
    for (const it of items) if (typeof it.n === 'number') out[String(it.sk)] = it.n;
    return out;
  }

  /** Claims the alert; false when it exists already (raised by this record before, or by another). */
  async function claim(alert: SpikeAlert): Promise<boolean> {
    try {
      await db.put({
        TableName,
        Item: {
          ...spikeKeys.alert(alert.day, alert.category, alert.place),
          entity: 'spike',
          ...alert,
          [tableDefinition.ttlAttribute]: Math.floor(Date.parse(alert.raisedAt) / 1000) + KEEP_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return true;
    } catch (err) {
      if (err instanceof ConditionFailedError) return false;
      throw err;
    }
  }

  /** Takes over a claim whose lease ran out; false when someone else changed it first. */
  async function takeOver(alert: SpikeAlert, token: string, leaseUntil: number): Promise<boolean> {
    try {
      await db.update({
        TableName,
        Key: spikeKeys.alert(alert.day, alert.category, alert.place),
        UpdateExpression: 'SET #t = :new, leaseUntil = :until',
        ConditionExpression: '#t = :old AND #s = :pending',
        ExpressionAttributeNames: { '#t': 'token', '#s': 'status' },
        ExpressionAttributeValues: {
          ':new': token,
          ':old': alert.token,
          ':until': leaseUntil,
          ':pending': 'pending',
        },
      });
      return true;
    } catch (err) {
      if (err instanceof ConditionFailedError) return false;
      throw err;
    }
  }

  async function get(day: string, category: string, place: string): Promise<SpikeAlert | undefined> {
    const it = await db.get(TableName, spikeKeys.alert(day, category, place), true);
    return it ? SpikeAlertSchema.parse(it) : undefined;
  }

  async function markPublished(alert: SpikeAlert, messageId: string): Promise<void> {
    await db.update({
      TableName,
      Key: spikeKeys.alert(alert.day, alert.category, alert.place),
      UpdateExpression: 'SET #s = :published, messageId = :m',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':published': 'published', ':m': messageId },
    });
  }

  /** The day's alerts, optionally only those of one category at a given level inside one governorate. */
  async function ofDay(day: string, within?: { category: string; level: PlaceLevel; governorate: string }) {
    const prefix = within
      ? `${within.category}#${within.governorate}${within.level === 'district' ? 'Q' : ''}`
      : undefined;
    const items = await db.queryAll({
      TableName,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
      ExpressionAttributeValues: {
        ':pk': spikeKeys.alertPartition(day),
        ...(prefix ? { ':p': prefix } : {}),
      },
      ConsistentRead: true,
    });
    return items.map((it) => SpikeAlertSchema.parse(it));
  }

  return { counts, claim, takeOver, get, markPublished, ofDay };
}

export type SpikeStore = ReturnType<typeof makeSpikeStore>;
