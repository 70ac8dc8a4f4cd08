/**
 * The production platform as Lambda builds it (functions/lib/platform.ts): settings from the environment, the SDK
 * clients from functions/lib/aws-clients.ts with the SDK's own configuration chain, and the Twilio and key
 * material from one Secrets Manager secret read through Powertools Parameters, once per container. The SDK's
 * standard per-service endpoint settings point DynamoDB at DynamoDB Local and Secrets Manager at a small server
 * that answers GetSecretValue as Secrets Manager does (there is no local Secrets Manager to run).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDb } from '../support/services.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:me-central-1:000000000000:secret:cfm/test/app-AbCdEf';

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => resolve(body));
  });

describe('the production platform, from the environment and the secret', () => {
  const requests: { target: string; body: { SecretId?: string } }[] = [];
  let secretString = '';
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { SecretId?: string };
    requests.push({ target: String(req.headers['x-amz-target']), body });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'cfm/test/app', SecretString: secretString }));
  });
  const secret = {
    twilioAccountSid: `AC${'7'.repeat(32)}`,
    twilioAuthToken: 'token-from-the-secret',
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
      SECRET_ARN,
      PUBLIC_BASE_URL: 'https://cfm.example.org',
      CONSOLE_URL: 'https://cfm.example.org/console/',
      TWILIO_FROM: '+9647000000000',
      AWS_REGION: 'me-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not keep a failed start: a secret still holding placeholders is refused, and read again next time', async () => {
    const { getPlatform } = await import('#functions/lib/platform.ts');
    secretString = JSON.stringify({ ...secret, dataKey: 'REPLACE_ME' });
    const failed = await getPlatform().then(
      () => undefined,
      (err: Error) => err.message,
    );
    // The field is named; nothing of the secret's content is.
    expect(failed).toContain('dataKey');
    expect(failed).not.toContain('REPLACE_ME');
    expect(failed).not.toContain('token-from-the-secret');
    expect(requests).toHaveLength(1);

    secretString = JSON.stringify(secret);
    const platform = await getPlatform();
    expect(platform.twilio).toMatchObject({
      accountSid: secret.twilioAccountSid,
      authToken: 'token-from-the-secret',
      messagingFrom: '+9647000000000',
    });
    expect(requests).toHaveLength(2);
  });

  it('reads the secret with GetSecretValue once for the container, and stores through the SDK client', async () => {
    const { getPlatform } = await import('#functions/lib/platform.ts');
    const platform = await getPlatform();
    expect(await getPlatform()).toBe(platform);
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.target === 'secretsmanager.GetSecretValue')).toBe(true);
    expect(requests.map((r) => r.body.SecretId)).toEqual([SECRET_ARN, SECRET_ARN]);

    // The keys from the secret protect the phone number; the case lands in DynamoDB Local.
    const { case: c } = await platform.cases.create({
      channel: 'hotline',
      idempotencyKey: `env-${randomBytes(6).toString('hex')}`,
      narrative: 'The distribution skipped our street.',
      language: 'en',
      phone: '+9647701234567',
      consentToFollowUp: true,
      createdBy: { kind: 'staff', id: 'u-operator', role: 'operator' },
    });
    expect((await platform.cases.get(c.caseId, true))?.reference).toBe(c.reference);
    expect(platform.protector.decrypt(c.contact.phoneCipher as string)).toBe('+9647701234567');
  });
});
