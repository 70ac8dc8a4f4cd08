/**
 * The production platform of a stage that keeps its secret in Parameter Store (dev: a SecureString is free, a
 * Secrets Manager secret $0.40 a month; docs/cost.md): the same JSON, read through Powertools Parameters' SSM
 * provider with decryption, once per container. The SDK's per-service endpoint setting points SSM at a small server
 * that answers GetParameter as Parameter Store does (there is no local Parameter Store to run); DynamoDB is
 * DynamoDB Local.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsJsonServer, platformSecret, stubLambdaEnv } from '../support/aws-json-server.ts';

const PARAMETER = '/cfm/test/app';

describe('the production platform, with its secret in a Parameter Store SecureString', () => {
  let value = '';
  const parameterStore = awsJsonServer<{ Name?: string; WithDecryption?: boolean }>((body) => ({
    Parameter: {
      Name: PARAMETER,
      Type: 'SecureString',
      // What Parameter Store answers: the plain value only when asked to decrypt.
      Value: body.WithDecryption ? value : 'AQICAHh-ciphertext',
      Version: 1,
      ARN: `arn:aws:ssm:me-central-1:000000000000:parameter${PARAMETER}`,
    },
  }));
  let requests: Awaited<typeof parameterStore>['requests'] = [];
  const secret = platformSecret('5', 'token-from-the-parameter');

  beforeAll(async () => {
    const server = await parameterStore;
    requests = server.requests;
    await stubLambdaEnv({
      AWS_ENDPOINT_URL_SSM: server.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
    });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await (await parameterStore).close();
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
