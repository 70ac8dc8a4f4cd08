/**
 * A service that accepts the connection and then never answers (what a client meets when the service restarts
 * under a kept-alive socket): the SDK clients built by functions/lib/aws-clients.ts give up on the silent socket
 * and fail the call with the domain's coded error, instead of holding the caller (and a stream batch behind it) until the function times out.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAwsClients } from '#functions/lib/aws-clients.ts';

describe('SDK clients against a service that never answers', () => {
  const sockets: Socket[] = [];
  let requests = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    // Reads what is sent and answers nothing.
    socket.on('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('POST ')) requests++;
    });
  });
  let endpoint = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const clients = () =>
    makeAwsClients({
      region: 'me-central-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      endpoints: { dynamodb: endpoint, sns: endpoint },
      timeouts: { silentMs: 300 },
    });

  it('a DynamoDB read fails after its attempts instead of waiting forever', async () => {
    requests = 0;
    await expect(clients().db.get('cfm-test', { pk: 'CASE#X', sk: 'CASE' })).rejects.toMatchObject({
      code: 'AWS.DYNAMODB_FAILED',
      errorType: 'TimeoutError',
      status: 503,
    });
    // The retry strategy tried again on a fresh connection before giving up.
    expect(requests).toBeGreaterThan(1);
  });

  it('an SNS publish fails the same way', async () => {
    requests = 0;
    await expect(
      clients().sns.publish('arn:aws:sns:me-central-1:000000000000:cfm-test-case-events', '{}'),
    ).rejects.toMatchObject({ code: 'AWS.SNS_FAILED', errorType: 'TimeoutError', status: 503 });
    expect(requests).toBeGreaterThan(1);
  });
});
