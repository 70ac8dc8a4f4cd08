import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { FeaturePlan, Mfa } from 'aws-cdk-lib/aws-cognito';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';
import {
  type PublicChannel,
  PublicNumberConfigError,
  type PublicNumbers,
  parsePublicNumbers,
} from '#functions/public-complaints/contact.ts';
import { WhatsAppContentSids } from '#shared/intake/transports/whatsapp.ts';
import { resourceName } from '#shared/messaging/topology.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** A steady rate (requests per second) and the burst API Gateway allows above it. */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * The classes of HTTP route, each with its own throttle on the API stage, so a flood on one class cannot use up
 * another's: Twilio's webhooks must keep working while the public form is being flooded.
 */
export const ROUTE_CLASSES = ['webhooks', 'publicSubmit', 'publicLookup', 'staff', 'meta'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/**
 * Which alarms a stage keeps. `full` (prod) covers every asynchronous path on its own; `essential` (dev) keeps the
 * few that say a person's message or a case was lost, to hold dev's idle cost under a dollar (docs/cost.md).
 */
export type AlarmSet = 'full' | 'essential';

/**
 * Everything that differs between stages, decided in one place from the CDK context
 * (`--context stage=prod`, default `dev`). Stacks and constructs read this object and never branch on the stage
 * name themselves.
 */
export interface StageConfig {
  stage: Stage;
  /** Whether data outlives the stack: RETAIN, deletion protection and longer log retention (prod). */
  retainData: boolean;
  /** For stateful resources: RETAIN in prod, DESTROY in dev. */
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO';
  mfa: Mfa;
  /** Cognito feature plan: PLUS (threat protection) in prod; ESSENTIALS keeps dev within the free tier. */
  userPoolPlan: FeaturePlan;
  /**
   * A customer-managed KMS key for the table, topics and secret (prod: key policy, CloudTrail record of every
   * use, and the only kind of key CloudWatch may publish alarms with). Dev uses AWS-owned and AWS-managed keys,
   * which cost nothing at rest.
   */
  customerManagedKey: boolean;
  /**
   * Where the Twilio credentials and personal-data keys live (the same JSON either way):
   * - `secrets-manager` (prod): a secret the stack creates, encrypted with the stage's key, its data key generated
   *   at deploy, with a resource of its own in CloudTrail and IAM; $0.40 a month;
   * - `parameter-store` (dev): a SecureString `/cfm/<stage>/app` the operator puts once (CloudFormation cannot
   *   create SecureStrings), encrypted with the AWS-managed `aws/ssm` key; free in the standard tier. docs/cost.md
   *   and docs/deploy.md §4.
   */
  secretStore: 'secrets-manager' | 'parameter-store';
  /** Throttle per route class on the `$default` stage (route-level settings); see `ROUTE_CLASSES`. */
  routeThrottles: Record<RouteClass, Throttle>;
  alarmSet: AlarmSet;
  /**
   * X-Ray for the functions. Off (pass-through) unless context `tracing=active`: at low volume Lambda traces
   * nearly every invocation (one a second plus 5 %), about $2.40 per 10,000 cases (docs/cost.md). Turn it on to
   * investigate, then off again.
   */
  tracing: Tracing;
  /** The CloudWatch dashboard ($3 a month beyond an account's first three): prod only. */
  dashboard: boolean;
  /** The Twilio number, alphanumeric sender ID or messaging service SID outbound SMS come from. Context `twilioFrom`. */
  twilioFrom: string;
  /**
   * The URL Twilio calls and signs over. Context `publicBaseUrl` when a custom domain fronts the API; otherwise
   * the API's own execute-api URL.
   */
  publicBaseUrl?: string;
  /** Extra console origin allowed by CORS (a console hosted elsewhere). Context `consoleOrigin`. */
  consoleOrigin?: string;
  /**
   * A custom domain for the CloudFront site and its ACM certificate (in us-east-1, as CloudFront requires).
   * Context `webDomainName` and `webCertificateArn`, both or neither. With them, viewers need TLS 1.2 or later.
   */
  webDomain?: { domainName: string; certificateArn: string };
  /** Where alarm notifications go: e-mail addresses and/or an existing SNS topic (e.g. AWS Chatbot's). */
  alarmDestinations: { emails: string[]; topicArn?: string };
  /** How long a stream record may wait before it is sent to the consumer's DLQ (streams keep records 24 h). */
  streamMaxRecordAge: Duration;
  /**
   * The transports besides Twilio SMS and voice, each on only where its context is given (docs/deploy.md):
   * - `gateway`: a local SMS gateway ("SMS Gateway for Android" format). Context `gatewayApiUrl` (the relay's API
   *   base) and `gatewayNumber` (its SIM's number, E.164); its credentials go in the stage's secret.
   * - `whatsapp`: WhatsApp through Twilio. Context `whatsappFrom` (the WhatsApp sender, E.164) and
   *   `whatsappContentSids` (JSON: the approved templates' Content SIDs per template and language).
   * - `kobo`: KoboToolbox field forms through a Kobo project's REST Service. Context `koboUsername` (the basic
   *   authentication user name set on the service); the shared secret (`koboSecret`) goes in the stage's secret.
   */
  transports: {
    gateway?: { apiUrl: string; number: string };
    whatsapp?: { from: string; contentSids: string };
    kobo?: { username: string };
  };
  /**
   * The numbers the public pages give for SMS, the hotline and WhatsApp. Context `publicSmsNumber`,
   * `publicHotlineNumber`, `publicWhatsappNumber` (E.164, or a short code for SMS and the hotline); a channel
   * without one is not mentioned on the pages.
   */
  publicNumbers: PublicNumbers;
}

/** The context key of each public number. */
export const PUBLIC_NUMBER_CONTEXT: Readonly<Record<PublicChannel, string>> = {
  sms: 'publicSmsNumber',
  hotline: 'publicHotlineNumber',
  whatsapp: 'publicWhatsappNumber',
};

/** A stage's resource name: `cfm-<stage>-<name>`, the same helper the local stack uses. */
export const nameFor = (config: Pick<StageConfig, 'stage'>, name: string): string =>
  resourceName(config.stage, name);

/** What `twilioFrom` may be: an E.164 number, a messaging service SID, or an alphanumeric sender ID. */
const TWILIO_SENDER =
  /^(\+[1-9][0-9]{6,14}|MG[0-9a-fA-F]{32}|(?=[A-Za-z0-9 ]{1,11}$)[A-Za-z0-9 ]*[A-Za-z][A-Za-z0-9 ]*)$/;

/** Throttles per stage and route class (requests per second). The reasoning is in docs/deploy.md, "What happens under a flood". */
const ROUTE_THROTTLES: Record<Stage, Record<RouteClass, Throttle>> = {
  prod: {
    webhooks: { rateLimit: 50, burstLimit: 100 },
    publicSubmit: { rateLimit: 5, burstLimit: 10 },
    publicLookup: { rateLimit: 10, burstLimit: 20 },
    staff: { rateLimit: 25, burstLimit: 50 },
    meta: { rateLimit: 2, burstLimit: 5 },
  },
  dev: {
    webhooks: { rateLimit: 10, burstLimit: 20 },
    publicSubmit: { rateLimit: 2, burstLimit: 4 },
    publicLookup: { rateLimit: 4, burstLimit: 8 },
    staff: { rateLimit: 10, burstLimit: 20 },
    meta: { rateLimit: 1, burstLimit: 2 },
  },
};

const E164 = /^\+[1-9][0-9]{6,14}$/;

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

/** The CDK context keys the app reads, parsed once; anything else in the context is CDK's own. */
const ContextSchema = z.object({
  stage: z.preprocess(
    (v) => v ?? 'dev',
    z.enum(STAGES, { error: `use --context stage=${STAGES.join('|')}` }),
  ),
  twilioFrom: optional(
    z
      .string()
      .regex(
        TWILIO_SENDER,
        'must be an E.164 number (+4420…), a messaging service SID (MG…) or an alphanumeric sender ID (up to 11 letters and digits)',
      ),
  ),
  alarmEmail: optional(z.string()),
  alarmTopicArn: optional(
    z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN'),
  ),
  publicBaseUrl: optional(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })),
  consoleOrigin: optional(z.url({ protocol: /^https$/, error: 'must be an https:// origin' })),
  webDomainName: optional(
    z.string().regex(/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/, 'must be a lower-case domain name'),
  ),
  tracing: optional(z.enum(['active', 'off'], { error: 'use --context tracing=active|off' })),
  gatewayApiUrl: optional(z.url({ protocol: /^https$/, error: 'must be the gateway API base, https://…' })),
  gatewayNumber: optional(z.string().regex(E164, 'must be the relay SIM number in E.164 (+9647…)')),
  whatsappFrom: optional(z.string().regex(E164, 'must be the WhatsApp sender in E.164 (+…)')),
  koboUsername: optional(
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a user name of letters, digits, . _ or - (no colon)'),
  ),
  whatsappContentSids: optional(
    z.string().refine((v) => {
      try {
        return WhatsAppContentSids.safeParse(JSON.parse(v)).success;
      } catch {
        return false;
      }
    }, 'must be JSON like {"resolved":{"ar":"HX…","en":"HX…"},"closed_no_answer":{…}}'),
  ),
  webCertificateArn: optional(
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate\/[0-9a-f-]+$/,
        'must be an ACM certificate ARN in us-east-1 (CloudFront only reads certificates from there)',
      ),
  ),
  // Checked as dialable numbers below, by the same parser the local stack uses.
  publicSmsNumber: optional(z.string()),
  publicHotlineNumber: optional(z.string()),
  publicWhatsappNumber: optional(z.string()),
});

/** A synth that cannot go ahead, with the reason a person can act on. */
export class StageConfigError extends Error {
  readonly code = 'INFRA.STAGE_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

const KEYS = Object.keys(ContextSchema.shape) as (keyof typeof ContextSchema.shape)[];

/**
 * Reads the stage and its settings from the CDK context. An unknown stage or a malformed value fails the synth
 * naming the key; so does prod without an alarm destination or a Twilio sender, which would otherwise deploy a
 * platform whose alarms reach nobody and whose replies never leave.
 */
export function stageConfigFrom(node: Node): StageConfig {
  const raw = Object.fromEntries(KEYS.map((key) => [key, node.tryGetContext(key)]));
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `context ${i.path.join('.')}: ${i.message}`);
    throw new StageConfigError(problems.join('\n'));
  }
  const ctx = parsed.data;
  const stage = ctx.stage;
  const prod = stage === 'prod';

  const emails = (ctx.alarmEmail ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const badEmail = emails.find((e) => !z.email().safeParse(e).success);
  if (badEmail) throw new StageConfigError(`context alarmEmail: "${badEmail}" is not an e-mail address`);
  if (prod && emails.length === 0 && !ctx.alarmTopicArn) {
    throw new StageConfigError(
      'prod needs somewhere to send alarms: --context alarmEmail=ops@example.org (comma-separated for several) ' +
        'and/or --context alarmTopicArn=arn:aws:sns:<region>:<account>:<topic> (e.g. the topic AWS Chatbot reads). See docs/deploy.md.',
    );
  }
  if (prod && !ctx.twilioFrom) {
    throw new StageConfigError(
      'prod needs a sender for outbound SMS: --context twilioFrom=+4420XXXXXXXX (or an alphanumeric sender ID, ' +
        'or a messaging service SID MG…). Without it every acknowledgement and outcome SMS would fail. See docs/deploy.md.',
    );
  }
  if (Boolean(ctx.gatewayApiUrl) !== Boolean(ctx.gatewayNumber)) {
    throw new StageConfigError(
      'context gatewayApiUrl and gatewayNumber go together: the relay API and the number people text',
    );
  }
  if (ctx.whatsappContentSids && !ctx.whatsappFrom) {
    throw new StageConfigError('context whatsappContentSids needs whatsappFrom, the WhatsApp sender');
  }
  let publicNumbers: PublicNumbers;
  try {
    publicNumbers = parsePublicNumbers(
      { sms: ctx.publicSmsNumber, hotline: ctx.publicHotlineNumber, whatsapp: ctx.publicWhatsappNumber },
      (channel) => `context ${PUBLIC_NUMBER_CONTEXT[channel]}:`,
    );
  } catch (err) {
    if (err instanceof PublicNumberConfigError) throw new StageConfigError(err.message);
    throw err;
  }
  if (Boolean(ctx.webDomainName) !== Boolean(ctx.webCertificateArn)) {
    throw new StageConfigError(
      'context webDomainName and webCertificateArn go together: the custom domain needs its certificate',
    );
  }

  return {
    stage,
    retainData: prod,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: prod ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    logLevel: prod ? 'INFO' : 'DEBUG',
    mfa: prod ? Mfa.REQUIRED : Mfa.OPTIONAL,
    userPoolPlan: prod ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
    customerManagedKey: prod,
    secretStore: prod ? 'secrets-manager' : 'parameter-store',
    routeThrottles: ROUTE_THROTTLES[stage],
    alarmSet: prod ? 'full' : 'essential',
    tracing: ctx.tracing === 'active' ? Tracing.ACTIVE : Tracing.PASS_THROUGH,
    dashboard: prod,
    // Dev only: a placeholder that passes the handlers' required-variable check and fails visibly at Twilio (the
    // notifier's DLQ alarm fires) until the real sender is set. Prod refuses to synth without one (above).
    twilioFrom: ctx.twilioFrom ?? 'TWILIO_FROM_NOT_SET',
    publicBaseUrl: ctx.publicBaseUrl?.replace(/\/$/, ''),
    consoleOrigin: ctx.consoleOrigin ? new URL(ctx.consoleOrigin).origin : undefined,
    webDomain:
      ctx.webDomainName && ctx.webCertificateArn
        ? { domainName: ctx.webDomainName, certificateArn: ctx.webCertificateArn }
        : undefined,
    alarmDestinations: { emails, topicArn: ctx.alarmTopicArn },
    streamMaxRecordAge: Duration.hours(12),
    transports: {
      ...(ctx.gatewayApiUrl && ctx.gatewayNumber
        ? { gateway: { apiUrl: ctx.gatewayApiUrl, number: ctx.gatewayNumber } }
        : {}),
      ...(ctx.whatsappFrom
        ? { whatsapp: { from: ctx.whatsappFrom, contentSids: ctx.whatsappContentSids ?? '{}' } }
        : {}),
      ...(ctx.koboUsername ? { kobo: { username: ctx.koboUsername } } : {}),
    },
    publicNumbers,
  };
}
