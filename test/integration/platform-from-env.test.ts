/**
 * The production platform as Lambda builds it (functions/lib/platform.ts): settings from the environment, the SDK
 * clients from functions/lib/aws-clients.ts with the SDK's own configuration chain, and the Twilio and key
 * material from one Secrets Manager secret read through Powertools Parameters, once per container. The SDK's
 * standard per-service endpoint settings point DynamoDB at DynamoDB Local and Secrets Manager at a small server
 * that answers GetSecretValue as Secrets Manager does (there is no local Secrets Manager to run).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsJsonServer, platformSecret, stubLambdaEnv } from '../support/aws-json-server.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:me-central-1:000000000000:secret:cfm/test/app-AbCdEf';

describe('the production platform, from the environment and the secret', () => {
  let secretString = '';
  const secretsManager = awsJsonServer<{ SecretId?: string }>(() => ({
    ARN: SECRET_ARN,
    Name: 'cfm/test/app',
    SecretString: secretString,
  }));
  let requests: Awaited<typeof secretsManager>['requests'] = [];
  const secret = platformSecret('7', 'token-from-the-secret');

  beforeAll(async () => {
    const server = await secretsManager;
    requests = server.requests;
    await stubLambdaEnv({ SECRET_ARN, AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await (await secretsManager).close();
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
