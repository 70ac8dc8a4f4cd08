/**
 * Clusters of similar open complaints, in the platform's one table (no new table, no new index):
 *
 * | item                         | key                                                                          |
 * | ---------------------------- | ---------------------------------------------------------------------------- |
 * | a cluster                    | pk `CLUSTER#<clusterId>`, sk `CLUSTER`                                       |
 * | a case's membership          | pk `CASE#<caseId>`, sk `CLUSTER` (beside the case; at most one per case)     |
 * | the open clusters, newest    | index `byOpenDue`, partition `CLUSTER#OPEN`, sk `<newestAt>#<clusterId>`     |
 *
 * Every write is conditional, so a redelivered stream record or two projectors at once cannot put a case in two
 * clusters or twice in one: a membership is created only where none exists, a cluster only where none exists (its
 * id comes from its first case, so two projectors that pair the same cases name the same cluster), and a cluster is
 * rewritten only at the version it was read at. A write that loses such a race is a {@link ClusterRaceError}; the
 * caller reads again and decides again.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { agencyOf } from '../agencies/agency-id.ts';
import { caseKeys } from '../cases/case-keys.ts';
import { type Case, Category, IsoInstant, OPEN_STATUSES, Reference } from '../cases/case-schema.ts';
import { caseFromItem } from '../cases/case-store.ts';
import { TransactionCanceledError } from '../errors/aws-errors.ts';
import type { DynamoDb, Item, TransactItem } from '../store/dynamodb.ts';
import { tableDefinition } from '../store/table-definition.ts';

/** Enough for a camp's bad week; a full cluster takes no one more (the case simply stays alone). */
export const MAX_CLUSTER_MEMBERS = 200;
const OPEN_PARTITION = 'CLUSTER#OPEN';
/** How many pages a filtered list reads at most, so a filter that matches little still costs a bounded read. */
const MAX_LIST_PAGES = 10;
/** Items a candidate read asks for per page, and at most per open status, before the place filter. */
const PAGE_SIZE = 100;
const MAX_READ_PER_STATUS = 1_000;
const openIx = tableDefinition.indexes.byOpenDue;
const catIx = tableDefinition.indexes.byCategoryStatus;

export const ClusterId = z.string().regex(/^CL[0-9A-Z]{12}$/, 'must be a cluster id such as CL4Q7M2ZK9XH3B');

export const ClusterMemberSchema = z.object({
  caseId: z.string(),
  reference: Reference,
  receivedAt: IsoInstant,
  joinedAt: IsoInstant,
});
export type ClusterMember = z.infer<typeof ClusterMemberSchema>;

export const ClusterSchema = z.object({
  /** The agency of its members (clusters never span agencies); absent means the default agency. */
  agency: z.string().max(32).optional(),
  clusterId: ClusterId,
  category: Category,
  governorate: z.string().optional(),
  district: z.string().optional(),
  /** `open` while it may have open members; `resolved` when none is left open; `dissolved` below two members. */
  status: z.enum(['open', 'resolved', 'dissolved']),
  members: z.array(ClusterMemberSchema).max(MAX_CLUSTER_MEMBERS),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  /** When its newest member was received (the clusters list sorts by it). */
  newestAt: IsoInstant,
  version: z.number().int().positive(),
});
export type Cluster = z.infer<typeof ClusterSchema>;

const MembershipSchema = z.object({ caseId: z.string(), clusterId: ClusterId, joinedAt: IsoInstant });
export type Membership = z.infer<typeof MembershipSchema>;

/** Key builders of the cluster items; no other module spells them. */
export const clusterKeys = {
  cluster: (clusterId: string) => ({ pk: `CLUSTER#${clusterId}`, sk: 'CLUSTER' }),
  membership: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CLUSTER' }),
  openPartition: OPEN_PARTITION,
};

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/**
 * A cluster's id, from the case it grew from: the same first case always names the same cluster, and the id says
 * nothing about that case (which may later be restricted and leave).
 */
export function clusterIdFor(firstCaseId: string): string {
  const digest = createHash('sha256').update(`cluster:${firstCaseId}`).digest();
  let id = 'CL';
  for (let i = 0; i < 12; i++) id += ALPHABET[digest[i]! % 32];
  return id;
}

/** A conditional write met another writer's change: read again and decide again. */
export class ClusterRaceError extends Error {
  readonly code = 'CLUSTER.RACE';
}

function clusterItem(c: Cluster) {
  const open = c.status === 'open';
  return {
    ...clusterKeys.cluster(c.clusterId),
    entity: 'cluster',
    ...c,
    // Only open clusters are in the list's partition; the store writes the whole item, so a closed one leaves it.
    ...(open
      ? { [openIx.partitionKey]: OPEN_PARTITION, [openIx.sortKey]: `${c.newestAt}#${c.clusterId}` }
      : {}),
  };
}

const membershipItem = (m: Membership) => ({
  ...clusterKeys.membership(m.caseId),
  entity: 'cluster_member',
  ...m,
});

const parseCluster = (item: Record<string, unknown>): Cluster => ClusterSchema.parse(item);

export function makeClusterStore(deps: { db: DynamoDb; tableName: string }) {
  const { db, tableName: TableName } = deps;

  async function write(items: TransactItem[]): Promise<void> {
    try {
      await db.transactWrite(items);
    } catch (err) {
      if (err instanceof TransactionCanceledError) throw new ClusterRaceError(err.message);
      throw err;
    }
  }

  const putCluster = (next: Cluster, expectedVersion?: number): TransactItem => ({
    Put: {
      TableName,
      Item: clusterItem(next),
      ...(expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': expectedVersion },
          }),
    },
  });
  const putMembership = (m: Membership): TransactItem => ({
    Put: { TableName, Item: membershipItem(m), ConditionExpression: 'attribute_not_exists(pk)' },
  });
  const deleteMembership = (caseId: string, clusterId: string): TransactItem => ({
    Delete: {
      TableName,
      Key: clusterKeys.membership(caseId),
      ConditionExpression: '#c = :c',
      ExpressionAttributeNames: { '#c': 'clusterId' },
      ExpressionAttributeValues: { ':c': clusterId },
    },
  });

  return {
    async get(clusterId: string): Promise<Cluster | undefined> {
      const item = await db.get(TableName, clusterKeys.cluster(clusterId), true);
      return item ? parseCluster(item) : undefined;
    },

    async membership(caseId: string): Promise<Membership | undefined> {
      const item = await db.get(TableName, clusterKeys.membership(caseId), true);
      return item ? MembershipSchema.parse(item) : undefined;
    },

    /**
     * Open clusters, newest member first, from one partition: at most `limit`, optionally of one category or place
     * (a filter on the partition's pages, read a bounded number of pages at a time).
     */
    async listOpen(
      filter: { category?: string; governorate?: string; district?: string } = {},
      limit = 50,
    ): Promise<Cluster[]> {
      const names: Record<string, string> = { '#pk': openIx.partitionKey };
      const values: Record<string, unknown> = { ':pk': OPEN_PARTITION };
      const terms: string[] = [];
      for (const [field, value] of Object.entries(filter)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        terms.push(`#${field} = :${field}`);
      }
      const out: Cluster[] = [];
      let lastKey: Record<string, unknown> | undefined;
      for (let page = 0; page < MAX_LIST_PAGES && out.length < limit; page++) {
        const res = await db.query({
          TableName,
          IndexName: 'byOpenDue',
          KeyConditionExpression: '#pk = :pk',
          ...(terms.length ? { FilterExpression: terms.join(' AND ') } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit,
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        });
        out.push(...res.items.map(parseCluster));
        lastKey = res.lastKey;
        if (!lastKey) break;
      }
      return out.slice(0, limit);
    },

    /** A new cluster of two cases, neither of which belongs to one yet. */
    async create(next: Cluster): Promise<void> {
      await write([
        putCluster(next),
        ...next.members.map((m) =>
          putMembership({ caseId: m.caseId, clusterId: next.clusterId, joinedAt: m.joinedAt }),
        ),
      ]);
    },

    /** Adds one member to a cluster read at `before.version`; the member must belong to no cluster. */
    async join(before: Cluster, member: ClusterMember, at: string): Promise<Cluster> {
      const next: Cluster = {
        ...before,
        status: 'open',
        members: [...before.members, member],
        // ISO instants sort as text.
        newestAt: [before.newestAt, member.receivedAt].sort()[1] ?? before.newestAt,
        updatedAt: at,
        version: before.version + 1,
      };
      await write([
        putCluster(next, before.version),
        putMembership({ caseId: member.caseId, clusterId: before.clusterId, joinedAt: member.joinedAt }),
      ]);
      return next;
    },

    /**
     * Takes a case out of its cluster. A cluster left with one member is dissolved (and that member freed to join
     * another), so no one sees a "cluster" of one.
     */
    async leave(before: Cluster, caseId: string, at: string): Promise<Cluster> {
      const members = before.members.filter((m) => m.caseId !== caseId);
      const dissolve = members.length < 2;
      const next: Cluster = {
        ...before,
        members: dissolve ? [] : members,
        status: dissolve ? 'dissolved' : before.status,
        updatedAt: at,
        version: before.version + 1,
      };
      await write([
        putCluster(next, before.version),
        deleteMembership(caseId, before.clusterId),
        ...(dissolve ? members.map((m) => deleteMembership(m.caseId, before.clusterId)) : []),
      ]);
      return next;
    },

    /**
     * Open, non-restricted cases of a category at one place (its district, or its governorate when it has no
     * district), most recently due first: one bounded Query per open status on the byCategoryStatus index, whose
     * restricted partitions (`…#R`) are never read.
     */
    async openCasesLike(c: Case, limitPerStatus = 50): Promise<Case[]> {
      if (!c.category) return [];
      const place: { expr: string; names: Record<string, string>; value: string | undefined } = c.location
        .district
        ? { expr: '#loc.#d = :place', names: { '#d': 'district' }, value: c.location.district }
        : {
            expr: '#loc.#g = :place AND attribute_not_exists(#loc.#d)',
            names: { '#g': 'governorate', '#d': 'district' },
            value: c.location.governorate,
          };
      if (!place.value) return [];
      // The index is per category and status, nationwide; the place is a filter, which DynamoDB applies after the
      // page's Limit. So each status is read page by page until it gives `limitPerStatus` cases of this place, or
      // it has no more, or {@link MAX_READ_PER_STATUS} items were read: a busy category elsewhere (or cases due
      // later than this one) cannot hide this place's cases behind one page.
      const readStatus = async (status: (typeof OPEN_STATUSES)[number]): Promise<Item[]> => {
        const found: Item[] = [];
        let read = 0;
        let lastKey: Item | undefined;
        do {
          const page = await db.query({
            TableName,
            IndexName: 'byCategoryStatus',
            KeyConditionExpression: '#pk = :pk',
            FilterExpression: place.expr,
            ExpressionAttributeNames: { '#pk': catIx.partitionKey, '#loc': 'location', ...place.names },
            ExpressionAttributeValues: {
              ':pk': caseKeys.categoryStatusPartition(c.category as string, status, false, agencyOf(c)),
              ':place': place.value,
            },
            ScanIndexForward: false,
            Limit: PAGE_SIZE,
            ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
          });
          found.push(...page.items);
          read += PAGE_SIZE;
          lastKey = page.lastKey;
        } while (lastKey && found.length < limitPerStatus && read < MAX_READ_PER_STATUS);
        return found.slice(0, limitPerStatus);
      };
      const pages = await Promise.all(OPEN_STATUSES.map(readStatus));
      return pages.flatMap((items) => items.map(caseFromItem)).filter((x) => x.caseId !== c.caseId);
    },

    /** Sets a cluster's status (open or resolved) at the version it was read at. */
    async setStatus(before: Cluster, status: 'open' | 'resolved', at: string): Promise<Cluster> {
      const next: Cluster = { ...before, status, updatedAt: at, version: before.version + 1 };
      await write([putCluster(next, before.version)]);
      return next;
    },
  };
}

export type ClusterStore = ReturnType<typeof makeClusterStore>;
