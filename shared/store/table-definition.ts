/**
 * The platform's single DynamoDB table, written once and used by both the CDK app and the local stack.
 *
 * Access patterns, each served by a key or a named index (no Scan on any request path):
 * | pattern                                   | served by                                                        |
 * | ----------------------------------------- | ---------------------------------------------------------------- |
 * | case by id                                | pk `CASE#<id>`, sk `CASE`                                        |
 * | case timeline (append-only)               | pk `CASE#<id>`, sk begins_with `EVENT#`                          |
 * | case by reference                         | pk `REF#<reference>`, sk `REF` (the reference claim) → case id   |
 * | channel idempotency (MessageSid, CallSid) | pk `IDEMP#<key>`, sk `IDEMP` → case id                           |
 * | open cases by status and due time         | index `byStatusDue`: `STATUS#<status>`, `<dueAt>#<id>`           |
 * | open cases by category, status and due    | index `byCategoryStatus` (sparse): `CAT#<cat>#<status>`, as above|
 * | open cases of every status by due time    | index `byOpenDue` (sparse): `OPEN`, `<dueAt>#<id>`               |
 * | cases by focal point                      | pk `FP#<focal point id>`, sk `CASE#<receivedAt>#<id>` (links)    |
 * | cases by keyed hash of the phone number   | index `byPhone`: `PHONE#<hmac>`, `<receivedAt>#<id>`             |
 * | cases by month received                   | index `byMonth`: `MONTH#<yyyy-mm>`, `<receivedAt>#<id>`          |
 * | configuration (focal points, rules, SLA…) | pk `CONFIG#<kind>`, sk `<id>`                                    |
 * | report aggregates                         | pk `AGG#<dimension>#<period>`, sk `<group>`                      |
 * | spike counters of a category × place      | pk `SPIKE#N#<category>#<place>`, sk `<yyyy-mm-dd>` (Iraqi day)   |
 * | spike alerts of a day                     | pk `SPIKE#A#<yyyy-mm-dd>`, sk `<category>#<place>` (TTL)         |
 * | a cluster of similar open cases           | pk `CLUSTER#<clusterId>`, sk `CLUSTER` (shared/clusters)         |
 * | a case's cluster membership               | pk `CASE#<id>`, sk `CLUSTER`                                     |
 * | open clusters, newest member first        | index `byOpenDue`: `CLUSTER#OPEN`, `<newestAt>#<clusterId>`      |
 * | audit trail                               | pk `AUDIT#<yyyy-mm-dd>`, sk `<at>#<id>`                          |
 * | audit trail of one case / one user        | pk `AUDIT#CASE#<id>` / `AUDIT#USER#<id>`, sk `<at>#<id>` (copies)|
 * | web submissions per client address        | pk `BUDGET#web#<hmac>`, sk `<window start>` (TTL `expiresAt`)    |
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** DynamoDB's TTL attribute (epoch seconds): rate-limit windows, expired idempotency markers. */
  ttlAttribute: 'expiresAt',
  indexes: {
    byStatusDue: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    byPhone: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    byMonth: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Sparse: only open cases that have a category carry these attributes. */
    byCategoryStatus: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    /** Sparse: only open cases (any open status) carry these attributes; the overdue list reads one partition. */
    byOpenDue: { partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
  },
} as const;

export type IndexName = keyof typeof tableDefinition.indexes;

/** The CreateTable request the local stack sends; CDK builds the same shape from {@link tableDefinition}. */
export function createTableInput(tableName: string) {
  const attrs = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const ix of Object.values(tableDefinition.indexes)) {
    attrs.add(ix.partitionKey);
    attrs.add(ix.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.entries(tableDefinition.indexes).map(([IndexName, ix]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: 'HASH' },
        { AttributeName: ix.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  } satisfies CreateTableCommandInput;
}
