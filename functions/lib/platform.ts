import * as z from 'zod';
import { chooseAgency } from '#shared/agencies/choose-agency.ts';
import { type CaseStore, makeCaseStore } from '#shared/cases/case-store.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { WhatsAppContentSids } from '#shared/intake/transports/whatsapp.ts';
import type { Sns } from '#shared/messaging/sns.ts';
import { makePersonalDataProtector, type PersonalDataProtector } from '#shared/privacy/personal-data.ts';
import { SubscriptionDlqs } from '#shared/routing/subscription-dlq.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { type AwsClients, makeAwsClients, SECRET_MAX_AGE_SECONDS } from './aws-clients.ts';
import { requiredEnv } from './env.ts';

/** Twilio account settings. `apiBaseUrl` points the SDK at the local outbox in the local stack. */
export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** The number (or messaging service) automatic SMS are sent from. */
  messagingFrom: string;
  apiBaseUrl?: string;
}

/**
 * The local SMS gateway ("SMS Gateway for Android" format, see shared/intake/transports/gateway.ts). Present only
 * where the stage enables it.
 */
export interface GatewaySettings {
  /** The relay's API base (`https://api.sms-gate.app/3rdparty/v1`, a private server's, or the local fake's). */
  apiUrl: string;
  username: string;
  password: string;
  /** The key the relay signs its webhooks with. */
  signingKey: string;
  /** The relay SIM's own number: the platform's number on this transport. */
  number: string;
}

/** WhatsApp through Twilio. Present only where the stage enables it. */
export interface WhatsAppSettings {
  /** The WhatsApp sender registered with Twilio (E.164). */
  from: string;
  /**
   * Twilio Content API SIDs (`HX…`) of the approved templates, per template and language: what the notifier sends
   * outside WhatsApp's 24-hour customer-service window, where free text is not delivered.
   */
  contentSids: WhatsAppContentSids;
}

/**
 * KoboToolbox field forms, posted by a Kobo project's REST Service. Present only where the stage enables it. Kobo
 * authenticates with HTTP basic authentication (`username` and the secret as password) or with the secret in a
 * custom header (`X-Kobo-Secret`), as the service is set up.
 */
export interface KoboSettings {
  username: string;
  secret: string;
}

/** Where SNS delivers a focal point's notifications: e-mail, SMS or HTTPS in AWS; a local inbox queue locally. */
export interface SubscriptionTarget {
  protocol: 'email' | 'sms' | 'https' | 'sqs';
  endpoint: string;
}
export type FocalPointChannel = { type: 'email' | 'sms' | 'https' | 'local'; address: string };

/** AWS: the focal point's own channel becomes the subscription; a `local` channel has no meaning there. */
export function awsSubscriptionTarget(_focalPointId: string, channel: FocalPointChannel): SubscriptionTarget {
  if (channel.type === 'local') throw new Error('a local inbox channel cannot be subscribed in AWS');
  return { protocol: channel.type, endpoint: channel.address };
}

/**
 * Everything a handler depends on, built once per cold start (or once by the local stack) and passed to the
 * handler factories. Tests build it against DynamoDB Local and the SNS/SQS emulator.
 */
export interface Platform {
  stage: string;
  db: DynamoDb;
  tableName: string;
  cases: CaseStore;
  protector: PersonalDataProtector;
  sns: Sns;
  topicArn: string;
  /** The focal points' subscription DLQs, one each (shared/routing/subscription-dlq.ts). */
  subscriptionDlqs: SubscriptionDlqs;
  twilio: TwilioSettings;
  /** The local SMS gateway, where enabled. */
  gateway?: GatewaySettings;
  /** WhatsApp through Twilio, where enabled. */
  whatsapp?: WhatsAppSettings;
  /** KoboToolbox REST Service posts, where enabled. */
  kobo?: KoboSettings;
  /** The public URL Twilio signs requests over (API Gateway's URL or a custom domain). */
  publicBaseUrl: string;
  /** The staff console's base URL (CloudFront's `…/console/`), which notification links open. */
  consoleUrl: string;
  /** Maps a focal point's channel to the SNS subscription that delivers to it. */
  subscriptionTarget: (focalPointId: string, channel: FocalPointChannel) => SubscriptionTarget;
  now: () => Date;
}

export interface PlatformParts {
  stage: string;
  /** The SDK clients (functions/lib/aws-clients.ts), pointed at AWS or at the local emulators. */
  aws: AwsClients;
  tableName: string;
  topicArn: string;
  twilio: TwilioSettings;
  gateway?: GatewaySettings;
  whatsapp?: WhatsAppSettings;
  kobo?: KoboSettings;
  publicBaseUrl: string;
  /** Defaults to `<publicBaseUrl>/console/`, where the local stack serves it. */
  consoleUrl?: string;
  keys: { encryptionKey: Buffer; hashKey: Buffer };
  subscriptionTarget?: Platform['subscriptionTarget'];
  now?: () => Date;
}

const AGENCY_RECORDS_MAX_AGE_MS = 30_000;

export function makePlatform(parts: PlatformParts): Platform {
  const { db, sns } = parts.aws;
  const protector = makePersonalDataProtector(parts.keys);
  const now = parts.now ?? (() => new Date());
  const config = makeConfigStore({ db, tableName: parts.tableName, now });
  return {
    stage: parts.stage,
    db,
    tableName: parts.tableName,
    cases: makeCaseStore({
      db,
      tableName: parts.tableName,
      protector,
      now,
      // Agencies change rarely; a new case may see another process's change to them up to this much later.
      assignAgency: async (input) => {
        const agencies = await config.list('agency', { maxAgeMs: AGENCY_RECORDS_MAX_AGE_MS });
        return agencies.length ? chooseAgency(input, agencies) : undefined;
      },
    }),
    protector,
    sns,
    topicArn: parts.topicArn,
    subscriptionDlqs: new SubscriptionDlqs(parts.aws.sqs, parts.stage),
    twilio: parts.twilio,
    ...(parts.gateway ? { gateway: parts.gateway } : {}),
    ...(parts.whatsapp ? { whatsapp: parts.whatsapp } : {}),
    ...(parts.kobo ? { kobo: parts.kobo } : {}),
    publicBaseUrl: parts.publicBaseUrl,
    consoleUrl: parts.consoleUrl ?? `${parts.publicBaseUrl.replace(/\/$/, '')}/console/`,
    subscriptionTarget: parts.subscriptionTarget ?? awsSubscriptionTarget,
    now,
  };
}

const SecretPayload = z.object({
  twilioAccountSid: z.string().min(1),
  twilioAuthToken: z.string().min(1),
  dataKey: z.string().min(40),
  phoneHashKey: z.string().min(40),
  /** The local SMS gateway's credentials, beside Twilio's: required where the stage enables the gateway. */
  gatewayUsername: z.string().min(1).optional(),
  gatewayPassword: z.string().min(1).optional(),
  gatewaySigningKey: z.string().min(16).optional(),
  /** The shared secret KoboToolbox's REST Service sends: required where the stage enables field forms. */
  koboSecret: z.string().min(16).optional(),
});

/** A transport enabled in the environment whose secret lacks its credentials: named, at cold start. */
export class TransportConfigError extends Error {
  readonly code = 'CONFIG.TRANSPORT';
  constructor(message: string) {
    super(message);
    this.name = 'TransportConfigError';
  }
}

/**
 * The optional transports, from the environment (set by the CDK app from the stage's context) and the secret:
 * the gateway with `GATEWAY_API_URL` and `GATEWAY_NUMBER`, WhatsApp with `WHATSAPP_FROM` (and
 * `WHATSAPP_CONTENT_SIDS`), KoboToolbox field forms with `KOBO_USERNAME` (and `koboSecret` in the secret).
 */
export function transportsFromEnv(
  env: NodeJS.ProcessEnv,
  secret: z.infer<typeof SecretPayload>,
): Pick<PlatformParts, 'gateway' | 'whatsapp' | 'kobo'> {
  const out: Pick<PlatformParts, 'gateway' | 'whatsapp' | 'kobo'> = {};
  if (env.GATEWAY_API_URL || env.GATEWAY_NUMBER) {
    const { gatewayUsername, gatewayPassword, gatewaySigningKey } = secret;
    if (
      !env.GATEWAY_API_URL ||
      !env.GATEWAY_NUMBER ||
      !gatewayUsername ||
      !gatewayPassword ||
      !gatewaySigningKey
    ) {
      throw new TransportConfigError(
        'The gateway needs GATEWAY_API_URL and GATEWAY_NUMBER, and gatewayUsername, gatewayPassword and gatewaySigningKey in the secret',
      );
    }
    out.gateway = {
      apiUrl: env.GATEWAY_API_URL,
      number: env.GATEWAY_NUMBER,
      username: gatewayUsername,
      password: gatewayPassword,
      signingKey: gatewaySigningKey,
    };
  }
  if (env.WHATSAPP_FROM) {
    const sids = WhatsAppContentSids.safeParse(JSON.parse(env.WHATSAPP_CONTENT_SIDS || '{}'));
    if (!sids.success)
      throw new TransportConfigError('WHATSAPP_CONTENT_SIDS is not a map of HX… content SIDs');
    out.whatsapp = { from: env.WHATSAPP_FROM, contentSids: sids.data };
  }
  if (env.KOBO_USERNAME) {
    if (!secret.koboSecret) {
      throw new TransportConfigError(
        'Field forms (KOBO_USERNAME) need koboSecret, at least 16 characters, in the secret',
      );
    }
    out.kobo = { username: env.KOBO_USERNAME, secret: secret.koboSecret };
  }
  return out;
}

let clients: AwsClients | undefined;

/** The SDK clients of this container, built on first use with the SDK's own region and credential chain. */
export const productionClients = (): AwsClients => {
  clients ??= makeAwsClients();
  return clients;
};

// In Lambda the clients are built during the init phase, before (and outside the time of) the first request.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) productionClients();

let cached: Promise<Platform> | undefined;

/**
 * Where the stage keeps its secret: a Secrets Manager secret (`SECRET_ARN`, prod) or a Parameter Store SecureString
 * (`SECRET_PARAMETER`, dev), the same JSON either way. Exactly one must be set.
 */
export class SecretSourceError extends Error {
  readonly code = 'CONFIG.SECRET_SOURCE';
  constructor() {
    super('Set exactly one of SECRET_ARN (Secrets Manager) and SECRET_PARAMETER (Parameter Store)');
    this.name = 'SecretSourceError';
  }
}

/** Reads the stage's secret as JSON; `forget` drops what Powertools cached, so the next read asks again. */
async function readSecret(aws: AwsClients): Promise<{ name: string; value: unknown; forget: () => void }> {
  const arn = process.env.SECRET_ARN;
  const parameter = process.env.SECRET_PARAMETER;
  if (Boolean(arn) === Boolean(parameter)) throw new SecretSourceError();
  if (arn) {
    const value = await aws.secrets.get(arn, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS });
    return { name: arn, value, forget: () => aws.secrets.clearCache() };
  }
  const provider = await aws.parameters();
  const value = await provider.get(parameter!, {
    decrypt: true,
    transform: 'json',
    maxAge: SECRET_MAX_AGE_SECONDS,
  });
  return { name: parameter!, value, forget: () => provider.clearCache() };
}

/**
 * The production platform: settings from the environment, Twilio credentials and data-protection keys from the
 * stage's secret (readSecret), read through Powertools Parameters once per cold start and cached.
 */
export function platformFromEnv(): Promise<Platform> {
  cached ??= (async () => {
    const env = requiredEnv([
      'STAGE',
      'TABLE_NAME',
      'TOPIC_ARN',
      'PUBLIC_BASE_URL',
      'CONSOLE_URL',
      'TWILIO_FROM',
      'AWS_REGION',
    ]);
    const aws = productionClients();
    const read = await readSecret(aws);
    const parsed = SecretPayload.safeParse(read.value);
    if (!parsed.success) {
      // Powertools keeps what it read; a secret still holding placeholders must be read again next time.
      read.forget();
      throw new Error(
        `The secret ${read.name} lacks valid ${[...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ')}`,
      );
    }
    const secret = parsed.data;
    return makePlatform({
      stage: env.STAGE,
      aws,
      tableName: env.TABLE_NAME,
      topicArn: env.TOPIC_ARN,
      twilio: {
        accountSid: secret.twilioAccountSid,
        authToken: secret.twilioAuthToken,
        messagingFrom: env.TWILIO_FROM,
      },
      ...transportsFromEnv(process.env, secret),
      publicBaseUrl: env.PUBLIC_BASE_URL,
      consoleUrl: env.CONSOLE_URL,
      keys: {
        encryptionKey: Buffer.from(secret.dataKey, 'base64'),
        hashKey: Buffer.from(secret.phoneHashKey, 'base64'),
      },
    });
  })();
  // A failed start (a secret not yet filled in, a throttled read) must not stick for the container's life.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

let installed: Platform | undefined;

/**
 * Installs the platform every handler in this process uses. The local stack and the integration tests call it
 * once with their emulator-backed platform; in Lambda nothing calls it and {@link getPlatform} reads the
 * environment and the secret instead.
 */
export function usePlatform(platform: Platform | undefined): void {
  installed = platform;
}

/** The platform for this process: the installed one, or the production one built from the environment. */
export function getPlatform(): Promise<Platform> {
  return installed ? Promise.resolve(installed) : platformFromEnv();
}
