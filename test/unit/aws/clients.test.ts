import { describe, expect, it } from 'vitest';
import { makeAwsClients } from '#functions/lib/aws-clients.ts';
import { localStreamsClient } from '#local/dynamodb-local.ts';

const NAME = 'loggerMiddleware';
const names = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe('the AWS SDK clients', () => {
  const clients = makeAwsClients({
    region: 'me-central-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
    endpoints: { dynamodb: 'http://127.0.0.1:9', sqs: 'http://127.0.0.1:9' },
  });

  it('are built without the SDK logger middleware, which copies every request and response for a no-op logger', async () => {
    expect(names(clients.db.client)).not.toContain(NAME);
    expect(names(await clients.sqs())).not.toContain(NAME);
    expect(names(localStreamsClient('http://127.0.0.1:9'))).not.toContain(NAME);
  });

  it('keep the rest of the SDK stack (retries, signing, the protocol), so the removal names one middleware', async () => {
    const stack = names(clients.db.client);
    expect(stack).toEqual(expect.arrayContaining(['retryMiddleware', 'httpSigningMiddleware']));
    expect(stack.length).toBeGreaterThan(5);
  });
});
