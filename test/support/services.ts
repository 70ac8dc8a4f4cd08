import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { makePlatform, type Platform } from '#functions/lib/platform.ts';
import { ensureTable, localAwsClients } from '#local/dynamodb-local.ts';
import { LocalMessaging } from '#local/messaging.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';

let counter = 0;

/** A fresh, empty table in the run's DynamoDB Local. */
export async function testDb(): Promise<{ db: DynamoDb; tableName: string; endpoint: string }> {
  const endpoint = inject('dynamoEndpoint');
  const { db } = localAwsClients({ dynamodb: endpoint });
  const tableName = `cfm-test-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  await ensureTable(db, tableName);
  return { db, tableName, endpoint };
}

/**
 * The SNS/SQS emulator for a test file, started on its own port with the platform's topic and queues. The caller
 * stops it (and may stop and restart it to cause an outage).
 */
export async function testMessaging(port?: number): Promise<LocalMessaging> {
  const { freePort } = await import('#local/ports.ts');
  const messaging = new LocalMessaging(port ?? (await freePort()), 'test');
  await messaging.start();
  return messaging;
}

export const TEST_TWILIO = {
  accountSid: `AC${'0'.repeat(31)}1`,
  authToken: 'test-twilio-auth-token',
  messagingFrom: '+9647000000000',
};

/** A platform over a fresh table (and the emulator, when given), with fresh keys and an optional fixed clock. */
export async function testPlatform(
  options: { messaging?: LocalMessaging; now?: () => Date; publicBaseUrl?: string } = {},
): Promise<Platform> {
  const { tableName, endpoint } = await testDb();
  const messaging = options.messaging;
  return makePlatform({
    stage: 'test',
    // Without the emulator, SNS points at a closed port: a publish fails as in an outage.
    aws: localAwsClients({ dynamodb: endpoint, ...(messaging ? { sns: messaging.endpoint } : {}) }),
    tableName,
    topicArn: messaging?.topicArn ?? 'arn:aws:sns:me-central-1:000000000000:none',
    twilio: { ...TEST_TWILIO },
    publicBaseUrl: options.publicBaseUrl ?? 'https://cfm.example.org',
    keys: { encryptionKey: randomBytes(32), hashKey: randomBytes(32) },
    subscriptionTarget: (focalPointId) => {
      if (!messaging) throw new Error('this test platform has no messaging');
      return { protocol: 'sqs', endpoint: messaging.inboxQueue(focalPointId).arn };
    },
    now: options.now,
  });
}
