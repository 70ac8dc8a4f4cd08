/**
 * Keeps the time-to-close aggregates in step with the cases, idempotently, and reads them back for reports.
 *
 * Each case has a projection marker (pk `PROJ#<caseId>`, sk `PROJ`) holding the version last projected and the
 * contribution it made. Projecting version v writes, in one transaction, the marker (only if it holds an older
 * version) and the difference between the new contribution and the recorded one, added to each aggregate item.
 * A replayed or out-of-order stream record finds the marker at its version or later and changes nothing; a version
 * whose contribution equals the recorded one writes nothing at all (not even the marker); a case
 * that moves between groups (reclassified, relocated, restricted) leaves the old group as it joins the new one.
 * The quarterly roll-ups are part of the contribution, so they move in the same transaction under the same
 * marker.
 * The first write of a year also creates the year's roll-up marker (see aggregates.ts), `complete` only when no
 * monthly row of that year existed before it; a report reads roll-ups only for years whose marker is complete.
 *
 * Exact times to close live in values items (one per dimension, dekad received and scope) that a counter cannot express:
 * the projector reads the items whose lists change, takes the case's old values out and puts its new ones in,
 * and writes them back in the same transaction, each conditional on the item's revision (`rev`), so two
 * projectors changing one dekad never lose each other's values: the loser retries on what the winner wrote.
 * Values are written only when a case's time to close changes (it closes, is reopened, moves group), not on its
 * other changes.
 */
import * as z from 'zod';
import { DEFAULT_AGENCY } from '../agencies/agency-id.ts';
import { TransactionCanceledError } from '../errors/aws-errors.ts';
import type { DynamoDb, Item, TransactItem } from '../store/dynamodb.ts';
import {
  aggKeys,
  type Contribution,
  contributionDelta,
  type Dimension,
  hasRollups,
  monthIndex,
  monthOfIndex,
  quarterOfIndex,
  type ValuesChange,
  valuesDelta,
} from './aggregates.ts';
import { changeDurations, decodeDurations, encodeDurations } from './duration-list.ts';

const Marker = z.object({
  version: z.number().int(),
  contribution: z.record(z.string(), z.record(z.string(), z.number())),
});

export const projectionKey = (caseId: string) => ({ pk: `PROJ#${caseId}`, sk: 'PROJ' });

const MAX_ATTEMPTS = 10;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface AggregateRow {
  dimension: Dimension;
  /** `yyyy-mm`, or `yyyy-Qn` for a quarterly roll-up. */
  month: string;
  group: string;
  restricted: boolean;
  counters: Record<string, number>;
}

/** An aggregate item as a row: sk `<yyyy-mm>#<group>` or `<yyyy>-Q<n>#<group>`. */
function rowOf(dimension: Dimension, it: Item, restricted: boolean): AggregateRow {
  const sk = String(it.sk);
  const cut = sk.indexOf('#');
  const counters: Record<string, number> = {};
  for (const [k, v] of Object.entries(it)) if (typeof v === 'number') counters[k] = v;
  return { dimension, month: sk.slice(0, cut), group: sk.slice(cut + 1), restricted, counters };
}

/** One dekad's exact times to close of a dimension in one scope: per list attribute (`c#<group>`), sorted seconds. */
export interface ValuesRow {
  dimension: Dimension;
  /** `yyyy-mm-d<1|2|3>`, the dekad the cases were received in. */
  dekad: string;
  month: string;
  restricted: boolean;
  lists: Record<string, number[]>;
}

/** Whether an attribute of a values item is one of its lists. */
const isList = (attr: string): boolean => attr.startsWith('c#') || attr.startsWith('w#');

/** The write that applies `change` to a values item as it was read (`stored`, or none yet). */
function valuesPut(
  TableName: string,
  pk: string,
  sk: string,
  stored: Item | undefined,
  change: ValuesChange,
): TransactItem {
  const rev = typeof stored?.rev === 'number' ? stored.rev : 0;
  const item: Item = { pk, sk, entity: 'aggregate-values', rev: rev + 1 };
  const attrs = new Set([
    ...Object.keys(stored ?? {}).filter(isList),
    ...Object.keys(change.remove),
    ...Object.keys(change.add),
  ]);
  for (const attr of attrs) {
    const before = typeof stored?.[attr] === 'string' ? decodeDurations(stored[attr] as string) : [];
    const remove = change.remove[attr];
    const add = change.add[attr];
    const after = changeDurations(
      before,
      remove === undefined ? [] : [remove],
      add === undefined ? [] : [add],
    );
    if (after.length) item[attr] = encodeDurations(after);
  }
  return {
    Put: {
      TableName,
      Item: item,
      ...(stored
        ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': rev } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

/** The months of `from`..`to` that fall in `year`. */
function yearBounds(year: string, fromMonth: string, toMonth: string): [string, string] {
  return [
    fromMonth > `${year}-01` ? fromMonth : `${year}-01`,
    toMonth < `${year}-12` ? toMonth : `${year}-12`,
  ];
}

export function makeAggregateStore(deps: { db: DynamoDb; tableName: string }) {
  const { db, tableName: TableName } = deps;
  /** Roll-up markers seen: once written they never change. */
  const rollupMarkers = new Map<string, boolean>();

  /** Whether any monthly row of `year` exists (either scope): the year was projected before roll-ups existed. */
  async function monthsExist(year: string): Promise<boolean> {
    const pages = await Promise.all(
      [false, true].map((restricted) =>
        db.query({
          TableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: {
            ':pk': aggKeys.partition('all', year, restricted),
            ':lo': `${year}-01#`,
            ':hi': `${year}-12#\uffff`,
          },
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    return pages.some((p) => p.items.length > 0);
  }

  /** The write creating the year's roll-up marker, or undefined when it exists already. */
  async function rollupMarkerPut(year: string): Promise<TransactItem | undefined> {
    if (rollupMarkers.has(year)) return undefined;
    const stored = await db.get(TableName, aggKeys.rollupMarker(year), true);
    if (stored) {
      rollupMarkers.set(year, stored.complete === true);
      return undefined;
    }
    const complete = !(await monthsExist(year));
    return {
      Put: {
        TableName,
        Item: { ...aggKeys.rollupMarker(year), entity: 'rollup-marker', year, complete },
        // Two first writers of a year: one wins, the other retries and finds the marker.
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /**
   * Projects version `version` of a case received in `year` whose contribution is now `after`. `projected` is
   * false when that version (or a later one) was already projected; `moved` names the counter items
   * (`<pk>|<sk>`) this projection changed.
   */
  async function project(
    caseId: string,
    version: number,
    after: Contribution,
    year: string,
  ): Promise<{ projected: boolean; moved: string[] }> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await db.get(TableName, projectionKey(caseId), true);
      const marker = stored ? Marker.parse(stored) : undefined;
      if (marker && marker.version >= version) return { projected: false, moved: [] };
      const delta = contributionDelta(marker?.contribution ?? {}, after);
      const valueChanges = Object.entries(valuesDelta(marker?.contribution ?? {}, after));
      // Nothing to move (most versions of a case change no counter: routed, a note, a delivery receipt): the marker
      // is left where it is. A later replay of this version or of any between finds the same contribution
      // recorded and changes nothing either, so the aggregates stay exact without paying for the write.
      if (Object.keys(delta).length === 0 && valueChanges.length === 0) return { projected: true, moved: [] };
      const [markerPut, valuePuts] = await Promise.all([
        Object.keys(delta).length ? rollupMarkerPut(year) : undefined,
        Promise.all(
          valueChanges.map(async ([key, change]) => {
            const [pk, sk] = key.split('|') as [string, string];
            return valuesPut(TableName, pk, sk, await db.get(TableName, { pk, sk }, true), change);
          }),
        ),
      ]);
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
          ...valuePuts,
          ...(markerPut ? [markerPut] : []),
        ]);
        return { projected: true, moved: Object.keys(delta) };
      } catch (err) {
        if (!(err instanceof TransactionCanceledError)) throw err;
        // Another projector moved the marker (re-read and re-check), touched the same aggregate item, or changed
        // a values item since it was read (retry on what it wrote).
        await pause(Math.random() * 25 * attempt);
      }
    }
    throw new Error('PROJECTOR.CONTENDED: the aggregates could not be updated; the record will be retried');
  }

  /**
   * The items whose sk lies in `lo`..`hi` in the partition `partitionOf` names for each scope read (the restricted
   * one only when asked): one Query per scope, each item mapped with its scope.
   */
  async function queryScopes<T>(
    partitionOf: (restricted: boolean, agency: string) => string,
    lo: string,
    hi: string,
    includeRestricted: boolean,
    map: (item: Record<string, unknown>, restricted: boolean) => T,
    agencies: readonly string[],
  ): Promise<T[]> {
    const scopes = includeRestricted ? [false, true] : [false];
    const pages = await Promise.all(
      agencies.flatMap((agency) =>
        scopes.map(async (restricted) => {
          const items = await db.queryAll({
            TableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
            ExpressionAttributeValues: { ':pk': partitionOf(restricted, agency), ':lo': lo, ':hi': hi },
          });
          return items.map((it) => map(it, restricted));
        }),
      ),
    );
    return pages.flat();
  }

  /** The rows of one dimension whose sk lies in `lo`..`hi`, in the partition `partitionOf` names for each scope. */
  const readRange = (
    dimension: Dimension,
    partitionOf: (restricted: boolean, agency: string) => string,
    lo: string,
    hi: string,
    includeRestricted: boolean,
    agencies: readonly string[],
  ): Promise<AggregateRow[]> =>
    queryScopes(
      partitionOf,
      lo,
      hi,
      includeRestricted,
      (it, restricted) => rowOf(dimension, it, restricted),
      agencies,
    );

  /** The monthly rows of a year's months `lo`..`hi` (yyyy-mm, same year). */
  const readMonths = (
    dimension: Dimension,
    lo: string,
    hi: string,
    includeRestricted: boolean,
    agencies: readonly string[],
  ) =>
    readRange(
      dimension,
      (restricted, agency) => aggKeys.partition(dimension, lo.slice(0, 4), restricted, agency),
      `${lo}#`,
      `${hi}#\uffff`,
      includeRestricted,
      agencies,
    );

  /** The monthly aggregate rows of one dimension for the months `from`..`to` (yyyy-mm), one Query per year and scope. */
  async function read(
    dimension: Dimension,
    fromMonth: string,
    toMonth: string,
    includeRestricted: boolean,
    agencies: readonly string[] = [DEFAULT_AGENCY],
  ): Promise<AggregateRow[]> {
    const parts: Promise<AggregateRow[]>[] = [];
    for (let y = Number(fromMonth.slice(0, 4)); y <= Number(toMonth.slice(0, 4)); y++) {
      const [lo, hi] = yearBounds(String(y), fromMonth, toMonth);
      parts.push(readMonths(dimension, lo, hi, includeRestricted, agencies));
    }
    return (await Promise.all(parts)).flat();
  }

  /** Whether a year's roll-ups are complete (its marker says so); a missing marker is read again next time. */
  async function rollupsComplete(year: string): Promise<boolean> {
    const known = rollupMarkers.get(year);
    if (known !== undefined) return known;
    const stored = await db.get(TableName, aggKeys.rollupMarker(year));
    if (!stored) return false;
    rollupMarkers.set(year, stored.complete === true);
    return stored.complete === true;
  }

  /** The quarterly rows from quarter `lo` to `hi` (`yyyy-Qn`), in one Query per scope. */
  const readQuarters = (
    dimension: Dimension,
    lo: string,
    hi: string,
    includeRestricted: boolean,
    agencies: readonly string[],
  ) =>
    readRange(
      dimension,
      (restricted, agency) => aggKeys.quarterPartition(dimension, restricted, agency),
      `${lo}#`,
      `${hi}#\uffff`,
      includeRestricted,
      agencies,
    );

  /**
   * The rows of one dimension for the months `from`..`to`, summing to the same counters as {@link read}: the whole
   * quarters in the period from their roll-ups (one Query, whichever years they fall in) for years whose roll-ups
   * are complete, every other month from its monthly rows. Not for grouping by month (roll-up rows carry the
   * quarter, not the month).
   */
  async function readPeriod(
    dimension: Dimension,
    fromMonth: string,
    toMonth: string,
    includeRestricted: boolean,
    agencies: readonly string[] = [DEFAULT_AGENCY],
  ): Promise<AggregateRow[]> {
    const from = monthIndex(fromMonth);
    const to = monthIndex(toMonth);
    const first = Math.ceil(from / 3) * 3; // first month of the first whole quarter
    const last = Math.floor((to + 1) / 3) * 3 - 1; // last month of the last whole quarter
    if (!hasRollups(dimension) || first > last)
      return read(dimension, fromMonth, toMonth, includeRestricted, agencies);
    const years: string[] = [];
    for (let y = Math.floor(first / 12); y <= Math.floor(last / 12); y++) years.push(String(y));
    // Markers, quarters and the months at either end all at once; a year found incomplete then reads its months.
    const [complete, quarters, head, tail] = await Promise.all([
      Promise.all(years.map(rollupsComplete)),
      readQuarters(dimension, quarterOfIndex(first), quarterOfIndex(last), includeRestricted, agencies),
      first > from ? read(dimension, fromMonth, monthOfIndex(first - 1), includeRestricted, agencies) : [],
      last < to ? read(dimension, monthOfIndex(last + 1), toMonth, includeRestricted, agencies) : [],
    ]);
    const incomplete = years.filter((_, i) => !complete[i]);
    const fallback = await Promise.all(
      incomplete.map((year) => {
        const lo = Math.max(first, Number(year) * 12);
        const hi = Math.min(last, Number(year) * 12 + 11);
        return read(dimension, monthOfIndex(lo), monthOfIndex(hi), includeRestricted, agencies);
      }),
    );
    const kept = quarters.filter((r) => !incomplete.includes(r.month.slice(0, 4)));
    return [...head, ...kept, ...fallback.flat(), ...tail];
  }

  /**
   * The exact times to close of one dimension for the dekads of the months `from`..`to`, whatever years they span:
   * one Query per scope read.
   */
  async function readValues(
    dimension: Dimension,
    fromMonth: string,
    toMonth: string,
    includeRestricted: boolean,
    agencies: readonly string[] = [DEFAULT_AGENCY],
  ): Promise<ValuesRow[]> {
    return queryScopes(
      (restricted, agency) => aggKeys.valuesPartition(dimension, restricted, agency),
      fromMonth,
      `${toMonth}\uffff`,
      includeRestricted,
      (it, restricted): ValuesRow => {
        const lists: Record<string, number[]> = {};
        for (const [attr, v] of Object.entries(it)) {
          if (isList(attr) && typeof v === 'string') lists[attr] = decodeDurations(v);
        }
        const dekad = String(it.sk);
        return { dimension, dekad, month: dekad.slice(0, 7), restricted, lists };
      },
      agencies,
    );
  }

  return { project, read, readPeriod, readValues };
}

export type AggregateStore = ReturnType<typeof makeAggregateStore>;
