import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { FeaturePlan, Mfa } from 'aws-cdk-lib/aws-cognito';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import {
  type PublicChannel,
  type PublicNumbers,
  parsePublicNumbers,
} from '#functions/public-complaints/contact.ts';
import { resourceName } from '#shared/messaging/topology.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

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
  /** The `$default` stage's throttle, for all routes together. */
  apiThrottle: { rateLimit: number; burstLimit: number };
  /** The Twilio number (or messaging service SID) outbound SMS come from. Context `twilioFrom`. */
  twilioFrom: string;
  /**
   * The URL Twilio calls and signs over. Context `publicBaseUrl` when a custom domain fronts the API; otherwise
   * the API's own execute-api URL.
   */
  publicBaseUrl?: string;
  /** Extra console origin allowed by CORS (a custom domain), besides the CloudFront domain. Context `consoleOrigin`. */
  consoleOrigin?: string;
  /** Where alarm notifications are e-mailed. Context `alarmEmail`; without it the alarm topic has no subscriber. */
  alarmEmail?: string;
  /** How long a stream record may wait before it is sent to the consumer's DLQ (streams keep records 24 h). */
  streamMaxRecordAge: Duration;
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

const optionalContext = (node: Node, key: string): string | undefined => {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
  return value;
};

/** Reads the stage and its settings from the CDK context; an unknown stage fails the synth with its name. */
export function stageConfigFrom(node: Node): StageConfig {
  const stage = optionalContext(node, 'stage') ?? 'dev';
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw new Error(`Unknown stage "${stage}": use --context stage=${STAGES.join('|')}`);
  }
  const prod = stage === 'prod';
  return {
    stage: stage as Stage,
    retainData: prod,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: prod ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    logLevel: prod ? 'INFO' : 'DEBUG',
    mfa: prod ? Mfa.REQUIRED : Mfa.OPTIONAL,
    userPoolPlan: prod ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
    apiThrottle: prod ? { rateLimit: 100, burstLimit: 200 } : { rateLimit: 20, burstLimit: 40 },
    // A placeholder that passes the handlers' required-variable check and fails visibly at Twilio (the notifier's
    // DLQ alarm fires) until the real number is set: see docs/deploy.md.
    twilioFrom: optionalContext(node, 'twilioFrom') ?? 'TWILIO_FROM_NOT_SET',
    publicBaseUrl: optionalContext(node, 'publicBaseUrl'),
    consoleOrigin: optionalContext(node, 'consoleOrigin'),
    alarmEmail: optionalContext(node, 'alarmEmail'),
    streamMaxRecordAge: Duration.hours(12),
    // A number that cannot be dialled fails the synth and names its context key.
    publicNumbers: parsePublicNumbers(
      {
        sms: optionalContext(node, PUBLIC_NUMBER_CONTEXT.sms),
        hotline: optionalContext(node, PUBLIC_NUMBER_CONTEXT.hotline),
        whatsapp: optionalContext(node, PUBLIC_NUMBER_CONTEXT.whatsapp),
      },
      (channel) => `context ${PUBLIC_NUMBER_CONTEXT[channel]}`,
    ),
  };
}
