/**
 * The production platform of a stage that keeps its secret in Parameter Store (dev: a SecureString is free, a
 * Secrets Manager secret $0.40 a month; docs/cost.md): the same JSON, read through Powertools Parameters' SSM
 * provider with decryption, once per container. The SDK's per-service endpoint setting points SSM at a small server
 * that answers GetParameter as Parameter Store does (there is no local Parameter Store to run); DynamoDB is
 * DynamoDB Local.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDb } from '../support/services.ts';

const PARAMETER = '/cfm/test/app';

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => resolve(body));
  });

describe('the production platform, with its secret in a Parameter Store SecureString', () => {
  const requests: { target: string; body: { Name?: string; WithDecryption?: boolean } }[] = [];
  let value = '';
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { Name?: string; WithDecryption?: boolean };
    requests.push({ target: String(req.headers['x-amz-target']), body });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        Parameter: {
          Name: PARAMETER,
          Type: 'SecureString',
          // What Parameter Store answers: the plain value only when asked to decrypt.
          Value: body.WithDecryption ? value : 'AQICAHh-ciphertext',
          Version: 1,
          ARN: `arn:aws:ssm:me-central-1:000000000000:parameter${PARAMETER}`,
        },
      }),
    );
  });
  const secret = {
    twilioAccountSid: `AC${'5'.repeat(32)}`,
    twilioAuthToken: 'token-from-the-parameter',
    dataKey: randomBytes(32).toString('base64'),
    phoneHashKey: randomBytes(32).toString('base64'),
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses to start with neither or both of SECRET_ARN and SECRET_PARAMETER, naming them', async () => {
    const { getPlatform } = await import('#functions/lib/platform.ts');
    const neither = await getPlatform().then(
      () => undefined,
      (err: Error & { code?: string }) => err,
    );
    expect(neither).toMatchObject({ code: 'CONFIG.SECRET_SOURCE' });
    vi.stubEnv('SECRET_ARN', 'arn:aws:secretsmanager:me-central-1:000000000000:secret:cfm/test/app-AbCdEf');
    vi.stubEnv('SECRET_PARAMETER', PARAMETER);
    const both = await getPlatform().then(
      () => undefined,
      (err: Error & { code?: string }) => err,
    );
    expect(both).toMatchObject({ code: 'CONFIG.SECRET_SOURCE' });
    vi.stubEnv('SECRET_ARN', '');
    expect(requests).toEqual([]);
  });

  it('reads the parameter decrypted, once for the container; a value with placeholders is read again', async () => {
    const { getPlatform } = await import('#functions/lib/platform.ts');
    value = JSON.stringify({ ...secret, phoneHashKey: 'SET_AFTER_DEPLOY' });
    const failed = await getPlatform().then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failed).toContain('phoneHashKey');
    expect(failed).not.toContain('token-from-the-parameter');

    value = JSON.stringify(secret);
    const platform = await getPlatform();
    expect(await getPlatform()).toBe(platform);
    expect(platform.twilio).toMatchObject({
      accountSid: secret.twilioAccountSid,
      authToken: 'token-from-the-parameter',
    });
    expect(requests.map((r) => [r.target, r.body.Name, r.body.WithDecryption])).toEqual([
      ['AmazonSSM.GetParameter', PARAMETER, true],
      ['AmazonSSM.GetParameter', PARAMETER, true],
    ]);
    // The keys from the parameter protect the phone number; the case lands in DynamoDB Local.
    const { case: c } = await platform.cases.create({
      channel: 'hotline',
      idempotencyKey: `ssm-${randomBytes(6).toString('hex')}`,
      narrative: 'The water truck did not come.',
      language: 'en',
      phone: '+9647701234568',
      consentToFollowUp: true,
      createdBy: { kind: 'staff', id: 'u-operator', role: 'operator' },
    });
    expect(platform.protector.decrypt(c.contact.phoneCipher as string)).toBe('+9647701234568');
  });
});
