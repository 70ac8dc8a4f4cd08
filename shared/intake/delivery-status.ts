/**
 * Twilio's delivery-status callbacks for outbound messages and calls: each status is recorded once on the case the
 * message was sent about (found through the outbound index the notifier writes). A SID the platform does not know
 * is dropped without error, so Twilio does not retry it forever.
 */

import type { CaseStore } from '../cases/case-store.ts';
import { CaseNotFoundError } from '../errors/domain-error.ts';
import type { DynamoDb } from '../store/dynamodb.ts';
import { caseIdForMessage } from './outbound-index.ts';
import type { DeliveryStatus } from './twilio-forms.ts';

export interface DeliveryStatusDeps {
  cases: CaseStore;
  db: DynamoDb;
  tableName: string;
}

export type DeliveryOutcome = 'recorded' | 'repeat' | 'unknown_sid';

export async function recordDeliveryStatus(
  deps: DeliveryStatusDeps,
  status: DeliveryStatus,
): Promise<{ outcome: DeliveryOutcome; caseId?: string }> {
  const caseId = await caseIdForMessage(deps.db, deps.tableName, status.sid);
  if (!caseId) return { outcome: 'unknown_sid' };
  try {
    const result = await deps.cases.appendEventOnce(
      caseId,
      {
        type: 'delivery_status',
        actor: { kind: 'system', id: 'twilio' },
        data: {
          channel: status.kind,
          sid: status.sid,
          status: status.status,
          ...(status.errorCode ? { errorCode: status.errorCode } : {}),
        },
      },
      `STATUS#${status.sid}#${status.status}`,
    );
    return { outcome: result.duplicate ? 'repeat' : 'recorded', caseId };
  } catch (err) {
    // The case is gone (never stored, or removed): nothing to record it on.
    if (err instanceof CaseNotFoundError) return { outcome: 'unknown_sid' };
    throw err;
  }
}
