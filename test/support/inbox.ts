import type { DynamoDBStreamEvent } from 'aws-lambda';
import { inject } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { makeInbox } from '#functions/sms-inbox/inbox.ts';
import { localStreamsClient } from '#local/dynamodb-local.ts';
import { type BatchResponse, StreamPoller } from '#local/stream-poller.ts';
import { topology } from '#shared/messaging/topology.ts';

/**
 * The SMS inbox worker on a test platform's table stream, as the local stack runs it: the webhook's messages become
 * cases a moment after it answers. `settle()` waits until the worker has caught up with every write so far.
 */
export function startInbox(platform: Platform) {
  const inbox = makeInbox(platform);
  const deadLettered: string[] = [];
  const poller = new StreamPoller({
    name: 'inbox',
    db: platform.db,
    streams: localStreamsClient(inject('dynamoEndpoint')),
    tableName: platform.tableName,
    batchSize: topology.streamConsumers.inbox.batchSize,
    maxRetries: topology.streamConsumers.inbox.maxRetries,
    handler: (e: DynamoDBStreamEvent) => inbox(e) as Promise<BatchResponse>,
    deadLetter: async (_record, reason) => {
      deadLettered.push(reason);
    },
    idleMs: 50,
    log: () => {},
  });
  poller.start();
  return {
    deadLettered,
    async settle(timeoutMs = 90_000): Promise<void> {
      if (!(await poller.caughtUp(timeoutMs))) throw new Error('the inbox worker did not catch up');
    },
    stop: () => poller.stop(),
  };
}
