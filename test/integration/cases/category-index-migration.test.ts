import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTable, startDynamoLocal } from '#local/dynamodb-local.ts';
import { freePort } from '#local/ports.ts';
import { marshallItem } from '#shared/aws/dynamodb.ts';
import { CaseSchema } from '#shared/cases/case-schema.ts';
import { createTableInput } from '#shared/store/table-definition.ts';

/** A case item as a data folder from before byCategoryStatus holds it: no gsi4 attributes. */
const oldCaseItem = (caseId: string, status: string, category: string | null) => ({
  pk: `CASE#${caseId}`,
  sk: 'CASE',
  entity: 'case',
  gsi1pk: `STATUS#${status}`,
  gsi1sk: `2026-03-05T05:00:00.000Z#${caseId}`,
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
    sensitivity: 'S0',
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

describe('a table from an older local data folder', () => {
  // Its own DynamoDB Local over a data folder, as `npm start` runs it: written by the old definition, then started
  // again.
  it('gets the byCategoryStatus index at start-up, with its open categorised cases in it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cfm-old-data-'));
    const tableName = 'cfm-local';
    const current = createTableInput(tableName);
    let dynamo = await startDynamoLocal({ port: await freePort(), dataDir });
    try {
      let db = dynamo.db;
      await db.call('CreateTable', {
        ...current,
        AttributeDefinitions: current.AttributeDefinitions.filter((a) => !a.AttributeName.startsWith('gsi4')),
        GlobalSecondaryIndexes: current.GlobalSecondaryIndexes.filter(
          (g) => g.IndexName !== 'byCategoryStatus',
        ),
      });
      for (const item of [
        oldCaseItem('K7MQ-4XZ2', 'in_progress', 'C03'),
        oldCaseItem('K7MQ-4XZ3', 'in_progress', null),
        oldCaseItem('K7MQ-4XZ4', 'closed', 'C03'),
      ])
        await db.call('PutItem', { TableName: tableName, Item: marshallItem(item) });
      await dynamo.stop();

      dynamo = await startDynamoLocal({ port: await freePort(), dataDir });
      db = dynamo.db;
      await ensureTable(db, tableName);
      await ensureTable(db, tableName); // a second start-up finds nothing to do

      const described = await db.call<{ Table: { GlobalSecondaryIndexes: { IndexName: string }[] } }>(
        'DescribeTable',
        { TableName: tableName },
      );
      expect(described.Table.GlobalSecondaryIndexes.map((g) => g.IndexName).sort()).toEqual([
        'byCategoryStatus',
        'byMonth',
        'byPhone',
        'byStatusDue',
      ]);
      const page = await db.query({
        TableName: tableName,
        IndexName: 'byCategoryStatus',
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CAT#C03#in_progress' },
      });
      expect(page.items.map((i) => [i.caseId, i.gsi4sk])).toEqual([
        ['K7MQ-4XZ2', '2026-03-05T05:00:00.000Z#K7MQ-4XZ2'],
      ]);
      const closed = await db.get(tableName, { pk: 'CASE#K7MQ-4XZ4', sk: 'CASE' });
      expect(closed?.gsi4pk).toBeUndefined();
    } finally {
      await dynamo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
