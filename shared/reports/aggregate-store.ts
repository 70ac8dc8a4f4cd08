/**
 * Keeps the time-to-close aggregates in step with the cases, idempotently, and reads them back for reports.
 *
 * Each case has a projection marker (pk `PROJ#<caseId>`, sk `PROJ`) holding the version last projected and the
 * contribution it made. Projecting version v writes, in one transaction, the marker (only if it holds an older
 * version) and the difference between the new contribution and the recorded one, added to each aggregate item.
 * A replayed or out-of-order stream record finds the marker at its version or later and changes nothing; a case
 * that moves between groups (reclassified, relocated, restricted) leaves the old group as it joins the new one.
 */
import * as z from 'zod';
import { type DynamoDb, type Item, TransactionCanceledError } from '../aws/dynamodb.ts';
import { aggKeys, type Contribution, contributionDelta, type Dimension } from './aggregates.ts';

const Marker = z.object({
  version: z.number().int(),
  contribution: z.record(z.string(), z.record(z.string(), z.number())),
});

export const projectionKey = (caseId: string) => ({ pk: `PROJ#${caseId}`, sk: 'PROJ' });

const MAX_ATTEMPTS = 10;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface AggregateRow {
  dimension: Dimension;
  month: string;
  group: string;
  restricted: boolean;
  counters: Record<string, number>;
}

export function makeAggregateStore(deps: { db: DynamoDb; tableName: string }) {
  const { db, tableName: TableName } = deps;

  /**
   * Projects version `version` of a case whose contribution is now `after`. Returns false when that version (or
   * a later one) was already projected.
   */
  async function project(caseId: string, version: number, after: Contribution): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await db.get(TableName, projectionKey(caseId), true);
      const marker = stored ? Marker.parse(stored) : undefined;
      if (marker && marker.version >= version) return false;
      const delta = contributionDelta(marker?.contribution ?? {}, after);
      const updates = Object.entries(delta).map(([key, counters]) => {
        const [pk, sk] = key.split('|') as [string, string];
        const names: Record<string, string> = {};
        const values: Item = {};
        const adds = Object.entries(counters).map(([attr, v], i) => {
          names[`#a${i}`] = attr;
          values[`:v${i}`] = v;
          return `#a${i} :v${i}`;
        });
        names['#e'] = 'entity';
        values[':e'] = 'aggregate';
        return {
          Update: {
            TableName,
            Key: { pk, sk },
            UpdateExpression: `SET #e = :e ADD ${adds.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        };
      });
      try {
        await db.transactWrite([
          {
            Put: {
              TableName,
              Item: { ...projectionKey(caseId), entity: 'projection', caseId, version, contribution: after },
              ConditionExpression: marker ? 'version = :old' : 'attribute_not_exists(pk)',
              ...(marker ? { ExpressionAttributeValues: { ':old': marker.version } } : {}),
            },
          },
          ...updates,
        ]);
        return true;
      } catch (err) {
        if (!(err instanceof TransactionCanceledError)) throw err;
        // Another projector moved the marker (re-read and re-check) or touched the same aggregate item (retry).
        await pause(Math.random() * 25 * attempt);
      }
    }
    throw new Error('PROJECTOR.CONTENDED: the aggregates could not be updated; the record will be retried');
  }

  /** The aggregate rows of one dimension for the months `from`..`to` (yyyy-mm), one Query per year and scope. */
  async function read(
    dimension: Dimension,
    fromMonth: string,
    toMonth: string,
    includeRestricted: boolean,
  ): Promise<AggregateRow[]> {
    const years: string[] = [];
    for (let y = Number(fromMonth.slice(0, 4)); y <= Number(toMonth.slice(0, 4)); y++) years.push(String(y));
    const scopes = includeRestricted ? [false, true] : [false];
    const pages = await Promise.all(
      years.flatMap((year) =>
        scopes.map(async (restricted) => {
          const rows: AggregateRow[] = [];
          let lastKey: Item | undefined;
          do {
            const page = await db.query({
              TableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
              ExpressionAttributeValues: {
                ':pk': aggKeys.partition(dimension, year, restricted),
                ':lo': `${fromMonth}#`,
                ':hi': `${toMonth}#\uffff`,
              },
              ExclusiveStartKey: lastKey,
            });
            for (const it of page.items) {
              const sk = String(it.sk);
              const counters: Record<string, number> = {};
              for (const [k, v] of Object.entries(it)) if (typeof v === 'number') counters[k] = v;
              rows.push({ dimension, month: sk.slice(0, 7), group: sk.slice(8), restricted, counters });
            }
            lastKey = page.lastKey;
          } while (lastKey);
          return rows;
        }),
      ),
    );
    return pages.flat();
  }

  return { project, read };
}

export type AggregateStore = ReturnType<typeof makeAggregateStore>;
