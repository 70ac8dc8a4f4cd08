/**
 * The AWS SDK v3 clients, built here and nowhere else: once per cold start in Lambda (see platform.ts), once per
 * process in the local stack and the tests, which point them at DynamoDB Local and the SNS/SQS emulator through
 * `endpoints`. Everything else receives them through the platform.
 *
 * - DynamoDB is used by every function, so its client is part of every bundle's start.
 * - SNS is used by a few functions, and by most of those rarely: its client is imported with `import()`, which the
 *   bundler turns into a chunk read on the first publish.
 * - The stage's secret is read once per cold start, through Powertools Parameters, which keeps the value for the
 *   container's life: from Secrets Manager (`SecretsProvider`, prod) or from a Parameter Store SecureString
 *   (`SSMProvider`, dev: free where a secret costs $0.40 a month, docs/cost.md). The SSM client is imported on
 *   first use, so a function reading Secrets Manager does not load it.
 *
 * Credentials, region and endpoints resolve as the SDK always does (the Lambda role's session from the
 * environment, or SSO, profiles, container and web-identity credentials elsewhere) unless given here.
 *
 * Every client leaves out the SDK's logger middleware ({@link withoutSdkLogger}).
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Sns } from '#shared/messaging/sns.ts';
import { DynamoDb } from '#shared/store/dynamodb.ts';

export interface AwsClientsConfig {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where each service answers, when not at AWS (DynamoDB Local, the emulator). */
  endpoints?: { dynamodb?: string; sns?: string; sqs?: string; secretsmanager?: string; ssm?: string };
  /** How long an attempt may wait on a silent socket, in milliseconds (default 10 s). */
  timeouts?: { silentMs: number };
}

export interface AwsClients {
  db: DynamoDb;
  sns: Sns;
  /** Loaded on first use, like SNS's: only the admin API calls SQS (the focal points' DLQs). */
  sqs: () => Promise<SQSClient>;
  secrets: SecretsProvider;
  /** Parameter Store, through Powertools' SSMProvider, built on first use. */
  parameters: () => Promise<SSMProvider>;
}

/** Longer than any Lambda execution environment lives: a secret is read once per container. */
export const SECRET_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** What {@link withoutSdkLogger} needs of a client: its middleware stack. */
interface WithMiddleware {
  middlewareStack: { remove(name: string): boolean };
}

/**
 * Takes the SDK's logger middleware off a client. The platform logs through Powertools and gives the clients no
 * logger, so the SDK's is a no-op one; the middleware still builds a copy of every request and response with the
 * sensitive fields masked (`schemaLogFilter`) to hand to it, on every call. Profiled in the local stack under the
 * 1,000-SMS load test (2026-12-05), that copying was about 5 % of the process's busy CPU time, the most of any one
 * function; in Lambda it is billed duration on every DynamoDB call. A client given a logger later would log nothing
 * through the SDK.
 */
export function withoutSdkLogger<C extends WithMiddleware>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

export function makeAwsClients(config: AwsClientsConfig = {}): AwsClients {
  const common = {
    ...(config.region ? { region: config.region } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // The SDK's HTTP handler waits forever by default: a connection that stops answering (a service restarting
    // under a kept-alive socket) would hold a stream batch, and the shard behind it, until the function times
    // out. A socket silent for 10 s fails the attempt, which the retry strategy repeats. (No connection timeout:
    // the SDK counts it from the request's creation, so requests queued for one of the agent's sockets, as in the
    // local stack under load, would fail without having been sent.)
    requestHandler: { socketTimeout: config.timeouts?.silentMs ?? 10_000 },
  };
  const db = new DynamoDb(
    withoutSdkLogger(
      new DynamoDBClient({
        ...common,
        endpoint: config.endpoints?.dynamodb,
        // Adaptive retries slow this client down while DynamoDB throttles, instead of spending every attempt at once;
        // three attempts (the SDK's default) keep a throttled request well inside an API function's 10 s.
        retryMode: 'adaptive',
        maxAttempts: 3,
      }),
    ),
  );
  let sns: Promise<SNSClient> | undefined;
  const loadSns = () => {
    sns ??= import('@aws-sdk/client-sns').then(({ SNSClient }) =>
      withoutSdkLogger(new SNSClient({ ...common, endpoint: config.endpoints?.sns })),
    );
    return sns;
  };
  let sqs: Promise<SQSClient> | undefined;
  const loadSqs = () => {
    sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient }) =>
      withoutSdkLogger(new SQSClient({ ...common, endpoint: config.endpoints?.sqs })),
    );
    return sqs;
  };
  const secrets = new SecretsProvider({
    awsSdkV3Client: withoutSdkLogger(
      new SecretsManagerClient({ ...common, endpoint: config.endpoints?.secretsmanager }),
    ),
  });
  let parameters: Promise<SSMProvider> | undefined;
  const loadParameters = () => {
    parameters ??= Promise.all([
      import('@aws-lambda-powertools/parameters/ssm'),
      import('@aws-sdk/client-ssm'),
    ]).then(
      ([{ SSMProvider }, { SSMClient }]) =>
        new SSMProvider({
          awsSdkV3Client: withoutSdkLogger(new SSMClient({ ...common, endpoint: config.endpoints?.ssm })),
        }),
    );
    return parameters;
  };
  return { db, sns: new Sns(loadSns), sqs: loadSqs, secrets, parameters: loadParameters };
}
