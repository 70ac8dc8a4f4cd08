/**
 * Keeps a case's focal-point links (the items behind each focal point's queue) in step with its routing: linked
 * to the focal points it is routed to now, unlinked from those it was routed away from. Converges from the
 * case's current routing, so replaying an old `routed` event cannot bring back a stale link.
 */

import { caseKeys } from '../cases/case-keys.ts';
import type { Case } from '../cases/case-schema.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { DynamoDb } from '../store/dynamodb.ts';

export async function syncFocalPointLinks(
  deps: { db: DynamoDb; tableName: string; cases: CaseStore },
  c: Case,
  formerFocalPoints: readonly string[],
): Promise<{ linked: string[]; unlinked: string[] }> {
  const current = c.routing?.focalPoints ?? [];
  const stale = [...new Set(formerFocalPoints)].filter((id) => !current.includes(id));
  await deps.cases.linkFocalPoints(c, current);
  for (const id of stale) {
    await deps.db.delete({
      TableName: deps.tableName,
      Key: caseKeys.focalPointLink(id, c.receivedAt, c.caseId),
    });
  }
  return { linked: current, unlinked: stale };
}
