import { type AwsServiceConfig, callAws } from './http-client.ts';

/** Reads one secret's string value from Secrets Manager (JSON protocol). */
export async function getSecretString(config: AwsServiceConfig, secretId: string): Promise<string> {
  const res = await callAws(config, {
    service: 'secretsmanager',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
    },
    body: JSON.stringify({ SecretId: secretId }),
    errorType: (r) => {
      try {
        const b = JSON.parse(r.body) as { __type?: string; message?: string; Message?: string };
        return {
          type: (b.__type ?? `HTTP${r.status}`).split('#').pop() ?? 'Unknown',
          message: b.message ?? b.Message ?? '',
        };
      } catch {
        return { type: `HTTP${r.status}`, message: '' };
      }
    },
  });
  const parsed = JSON.parse(res.body) as { SecretString?: string };
  if (!parsed.SecretString) throw new Error(`secret ${secretId} has no string value`);
  return parsed.SecretString;
}

/** Credentials from the environment, where Lambda puts the function role's session. */
export function credentialsFromEnv() {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('Missing AWS credentials in the environment');
  return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN };
}
