import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { testDb } from './services.ts';

/**
 * What the production platform tests (functions/lib/platform.ts built from a Lambda's environment) share: a small
 * server answering one AWS JSON-protocol service that has no local emulator (Secrets Manager, Parameter Store), the
 * secret's JSON, and the Lambda environment with DynamoDB pointed at DynamoDB Local.
 */

export interface JsonRequest<B> {
  /** The `x-amz-target` header: the service and operation, e.g. `AmazonSSM.GetParameter`. */
  target: string;
  body: B;
}

/** Starts a server that records each request and answers with `answer(body)` as JSON 1.1; `url` once listening. */
export async function awsJsonServer<B>(answer: (body: B) => unknown) {
  const requests: JsonRequest<B>[] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as B;
    requests.push({ target: String(req.headers['x-amz-target']), body });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(answer(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    requests,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => resolve(body));
  });

/** The platform secret's fields, with fresh keys; `sidDigit` tells one test's account from another's. */
export const platformSecret = (sidDigit: string, twilioAuthToken: string) => ({
  twilioAccountSid: `AC${sidDigit.repeat(32)}`,
  twilioAuthToken,
  dataKey: randomBytes(32).toString('base64'),
  phoneHashKey: randomBytes(32).toString('base64'),
});

/**
 * Stubs the environment a deployed function has, in me-central-1, with DynamoDB at DynamoDB Local (a fresh table),
 * SNS at a closed port, and `extra` on top (the secret's source and its endpoint). Undo with `vi.unstubAllEnvs()`.
 */
export async function stubLambdaEnv(extra: Record<string, string>): Promise<void> {
  const { tableName, endpoint } = await testDb();
  const env: Record<string, string> = {
    STAGE: 'test',
    TABLE_NAME: tableName,
    TOPIC_ARN: 'arn:aws:sns:me-central-1:000000000000:cfm-test-case-events',
    PUBLIC_BASE_URL: 'https://cfm.example.org',
    CONSOLE_URL: 'https://cfm.example.org/console/',
    TWILIO_FROM: '+9647000000000',
    AWS_REGION: 'me-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9',
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}
