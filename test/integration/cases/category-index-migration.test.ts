import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable, startDynamoLocal } from '#local/dynamodb-local.ts';
import { freePort } from '#local/ports.ts';
import { CaseSchema } from '#shared/cases/case-schema.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { createTableInput } from '#shared/store/table-definition.ts';

/**
 * A case item as a data folder from before byCategoryStatus and byOpenDue holds it: no gsi4 or gsi5 attributes
 * (`extra` adds those a later folder had).
 */
const oldCaseItem = (
  caseId: string,
  status: string,
  category: string | null,
  extra: Record<string, string> = {},
  sensitivity = 'S0',
) => ({
  pk: `CASE#${caseId}`,
  sk: 'CASE',
  entity: 'case',
  gsi1pk: `STATUS#${status}`,
  gsi1sk: `2026-03-05T05:00:00.000Z#${caseId}`,
  ...extra,
  ...CaseSchema.parse({
    caseId,
    reference: caseId,
    version: 2,
    status,
    channel: 'sms',
    language: 'ar',
    type: 'complaint',
    category,
    sector: null,
    sensitivity,
    urgency: 'none',
    classification: { source: 'classifier' },
    narrative: 'x',
    consentToFollowUp: false,
    idempotencyKey: `SM-${caseId}`,
    receivedAt: '2026-03-01T06:00:00.000Z',
    createdBy: { kind: 'complainant' },
    updatedAt: '2026-03-01T06:00:00.000Z',
    resolvedAt: status === 'closed' ? '2026-03-02T06:00:00.000Z' : undefined,
    closedAt: status === 'closed' ? '2026-03-02T06:00:00.000Z' : undefined,
    sla: {
      policyId: 'complaint',
      clock: 'working',
      acknowledgeBy: '2026-03-03T06:00:00.000Z',
      resolveBy: '2026-03-05T05:00:00.000Z',
    },
  }),
});

/** Starts DynamoDB Local over a fresh data folder, creates the table without `dropped`, then starts it again. */
async function olderTable(dropped: string[], items: Record<string, unknown>[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cfm-old-data-'));
  const tableName = 'cfm-local';
  const current = createTableInput(tableName);
  const droppedAttrs = new Set<string>(
    current.GlobalSecondaryIndexes.filter((g) => dropped.includes(g.IndexName)).flatMap((g) =>
      g.KeySchema.map((k) => k.AttributeName),
    ),
  );
  let dynamo = await startDynamoLocal({ port: await freePort(), dataDir });
  try {
    await dynamo.db.client.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: current.AttributeDefinitions.filter((a) => !droppedAttrs.has(a.AttributeName)),
        GlobalSecondaryIndexes: current.GlobalSecondaryIndexes.filter((g) => !dropped.includes(g.IndexName)),
      }),
    );
    for (const item of items) await dynamo.db.put({ TableName: tableName, Item: item });
  } finally {
    await dynamo.stop();
  }
  dynamo = await startDynamoLocal({ port: await freePort(), dataDir });
  return {
    db: dynamo.db,
    tableName,
    async stop() {
      await dynamo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function indexNames(db: DynamoDb, tableName: string) {
  const described = await db.client.send(new DescribeTableCommand({ TableName: tableName }));
  return (described.Table?.GlobalSecondaryIndexes ?? []).map((g) => String(g.IndexName)).sort();
}

const ALL_INDEXES = ['byCategoryStatus', 'byMonth', 'byOpenDue', 'byPhone', 'byStatusDue'];

describe('a table from an older local data folder', () => {
  // Its own DynamoDB Local over a data folder, as `npm start` runs it: written by the old definition, then started
  // again.
  it('gets the byCategoryStatus and byOpenDue indexes at start-up, with its open cases in them', async () => {
    const old = await olderTable(
      ['byCategoryStatus', 'byOpenDue'],
      [
        oldCaseItem('K7MQ-4XZ2', 'in_progress', 'C03'),
        oldCaseItem('K7MQ-4XZ3', 'in_progress', null),
        oldCaseItem('K7MQ-4XZ4', 'closed', 'C03'),
      ],
    );
    const { db, tableName } = old;
    try {
      await ensureTable(db, tableName);
      await ensureTable(db, tableName); // a second start-up finds nothing to do

      expect(await indexNames(db, tableName)).toEqual(ALL_INDEXES);
      const page = await db.query({
        TableName: tableName,
        IndexName: 'byCategoryStatus',
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CAT#C03#in_progress' },
      });
      expect(page.items.map((i) => [i.caseId, i.gsi4sk])).toEqual([
        ['K7MQ-4XZ2', '2026-03-05T05:00:00.000Z#K7MQ-4XZ2'],
      ]);
      const open = await db.query({
        TableName: tableName,
        IndexName: 'byOpenDue',
        KeyConditionExpression: 'gsi5pk = :pk',
        ExpressionAttributeValues: { ':pk': 'OPEN' },
      });
      expect(open.items.map((i) => [i.caseId, i.gsi5sk])).toEqual([
        ['K7MQ-4XZ2', '2026-03-05T05:00:00.000Z#K7MQ-4XZ2'],
        ['K7MQ-4XZ3', '2026-03-05T05:00:00.000Z#K7MQ-4XZ3'],
      ]);
      const closed = await db.get(tableName, { pk: 'CASE#K7MQ-4XZ4', sk: 'CASE' });
      expect(closed?.gsi4pk).toBeUndefined();
      expect(closed?.gsi5pk).toBeUndefined();
    } finally {
      await old.stop();
    }
  }, 90_000);

  it('gets the byOpenDue index at start-up when it already has byCategoryStatus', async () => {
    const cat = (id: string, status: string) => ({
      gsi4pk: `CAT#C03#${status}`,
      gsi4sk: `2026-03-05T05:00:00.000Z#${id}`,
    });
    const old = await olderTable(
      ['byOpenDue'],
      [
        // A new case is due by its acknowledgement time, the others by resolution.
        oldCaseItem('K7MQ-4XZ5', 'new', 'C03', {
          gsi4pk: 'CAT#C03#new',
          gsi4sk: '2026-03-03T06:00:00.000Z#K7MQ-4XZ5',
        }),
        oldCaseItem('K7MQ-4XZ6', 'referred', null),
        oldCaseItem('K7MQ-4XZ7', 'in_progress', 'C03', cat('K7MQ-4XZ7', 'in_progress'), 'S3'),
        oldCaseItem('K7MQ-4XZ8', 'closed', 'C03'),
      ],
    );
    const { db, tableName } = old;
    try {
      await ensureTable(db, tableName);

      expect(await indexNames(db, tableName)).toEqual(ALL_INDEXES);
      const partition = async (pk: string) =>
        (
          await db.query({
            TableName: tableName,
            IndexName: 'byOpenDue',
            KeyConditionExpression: 'gsi5pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
          })
        ).items.map((i) => [i.caseId, i.gsi5sk]);
      expect(await partition('OPEN')).toEqual([
        ['K7MQ-4XZ5', '2026-03-03T06:00:00.000Z#K7MQ-4XZ5'],
        ['K7MQ-4XZ6', '2026-03-05T05:00:00.000Z#K7MQ-4XZ6'],
      ]);
      expect(await partition('OPEN#R')).toEqual([['K7MQ-4XZ7', '2026-03-05T05:00:00.000Z#K7MQ-4XZ7']]);
      const closed = await db.get(tableName, { pk: 'CASE#K7MQ-4XZ8', sk: 'CASE' });
      expect(closed?.gsi5pk).toBeUndefined();
    } finally {
      await old.stop();
    }
  }, 90_000);
});
