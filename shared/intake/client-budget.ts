/**
 * The web form's budget per client address: how many submissions one address may make in a window before the form
 * answers 429. One counter item per address and window (pk `BUDGET#web#<keyed hash of the address>`, sk the window's
 * start), raised by a conditional update that fails once the count reaches the budget, so a refused submission writes
 * nothing; DynamoDB's TTL removes the item an hour after its window ends. The address itself is never stored.
 */
import { ConditionFailedError } from '../errors/aws-errors.ts';
import type { DynamoDb } from '../store/dynamodb.ts';
import { tableDefinition } from '../store/table-definition.ts';

export interface ClientBudget {
  submissions: number;
  windowMs: number;
}

/**
 * Ten submissions in ten minutes from one address. Generous for a person (who submits once) and for a helper filing
 * for several people on one phone, and still room for a few people behind one mobile carrier's shared address
 * (carrier-grade NAT is common in Iraq); a script gets ten cases per address rather than the route's whole rate.
 */
export const WEB_BUDGET: ClientBudget = { submissions: 10, windowMs: 600_000 };

const EXPIRES_AFTER_WINDOW_S = 3_600;

export const clientBudgetKey = (addressHash: string, windowStart: Date) => ({
  pk: `BUDGET#web#${addressHash}`,
  sk: windowStart.toISOString(),
});

export type BudgetTaken = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one submission from the address; `allowed: false` (and nothing written) once its budget is spent. */
export async function takeClientBudget(
  deps: { db: DynamoDb; tableName: string; now: () => Date },
  addressHash: string,
  budget: ClientBudget = WEB_BUDGET,
): Promise<BudgetTaken> {
  const now = deps.now().getTime();
  const start = now - (now % budget.windowMs);
  const end = start + budget.windowMs;
  try {
    await deps.db.update({
      TableName: deps.tableName,
      Key: clientBudgetKey(addressHash, new Date(start)),
      UpdateExpression: 'ADD #n :one SET #exp = :exp, entity = :entity',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
      ExpressionAttributeNames: { '#n': 'n', '#exp': tableDefinition.ttlAttribute },
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': budget.submissions,
        ':exp': Math.ceil(end / 1000) + EXPIRES_AFTER_WINDOW_S,
        ':entity': 'client_budget',
      },
    });
    return { allowed: true };
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) };
  }
}
