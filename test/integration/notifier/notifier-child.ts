/**
 * One notifier invocation in a process of its own, so a test can kill it (SIGKILL, as Lambda ends a function that
 * times out) in the middle of a send. Reads its platform and the SQS body from CFM_CHILD (JSON).
 */
import { makePlatform, usePlatform } from '#functions/lib/platform.ts';
import { handler } from '#functions/notifier/handler.ts';
import { localAwsClients } from '#local/dynamodb-local.ts';

const o = JSON.parse(process.env.CFM_CHILD ?? '{}') as {
  endpoint: string;
  tableName: string;
  apiBaseUrl: string;
  encryptionKey: string;
  hashKey: string;
  body: string;
};
usePlatform(
  makePlatform({
    stage: 'test',
    aws: localAwsClients({ dynamodb: o.endpoint }),
    tableName: o.tableName,
    topicArn: 'arn:aws:sns:me-central-1:000000000000:none',
    twilio: {
      accountSid: `AC${'0'.repeat(31)}1`,
      authToken: 'test-twilio-auth-token',
      messagingFrom: '+9647000000000',
      apiBaseUrl: o.apiBaseUrl,
    },
    publicBaseUrl: 'https://cfm.example.org',
    keys: {
      encryptionKey: Buffer.from(o.encryptionKey, 'base64'),
      hashKey: Buffer.from(o.hashKey, 'base64'),
    },
  }),
);
await handler({ Records: [{ messageId: 'child', body: o.body } as never] });
