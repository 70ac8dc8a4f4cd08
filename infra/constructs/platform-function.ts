import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { resourceName } from '#shared/messaging/topology.ts';
import { FOCAL_POINT_DLQ_PREFIX } from '#shared/routing/subscription-dlq.ts';
import { LAMBDA_HANDLER, lambdaCode } from '../bundling.ts';
import { nameFor, type StageConfig } from '../config.ts';

/** The repository root: entries are resolved from here and esbuild runs here, so `#shared/*` imports resolve. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Whether functions run with `--enable-source-maps`. They do not: `npm run bench` measures the flag's cost at cold
 * start (bench/bundles.ts reports cold init with and without), and with it the largest bundles go past the goal of
 * 2.5× `node -e 0`. The maps still ship beside each bundle, so setting `NODE_OPTIONS=--enable-source-maps` on one
 * function (a configuration change, no new code) maps its stack traces back to the `.ts` lines while investigating.
 */
export const LAMBDA_SOURCE_MAPS = false;

export interface PlatformFunctionProps {
  config: StageConfig;
  /** Short name: the route group or worker (`cases`, `router`); the function is `cfm-<stage>-<name>`. */
  name: string;
  /** The handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** @default 512 (MB): more memory is more CPU, which shortens cold starts more than it costs. */
  memorySize?: number;
  /** @default 10 seconds (API Gateway gives up on an integration after 30). */
  timeout?: Duration;
  /** Only where a function must be capped or guaranteed: it takes from the account's shared pool. */
  reservedConcurrency?: number;
  /** Retries of asynchronous invocations (schedules); Lambda's default is 2. */
  retryAttempts?: number;
  environment?: Record<string, string>;
}

export type TableAccess = 'read' | 'readWrite';
/** `publish`, or `arnOnly` for handlers that build the platform (which names the topic) but never publish. */
export type TopicAccess = 'publish' | 'arnOnly';

/** Reads cover every key and index access pattern; there is deliberately no Scan (see table-definition.ts). */
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * The platform's one Lambda shape: Node.js 22 on arm64, an esbuild ESM bundle split into chunks with source maps
 * (`infra/bundling.ts`), X-Ray as the stage says, its own log group with a retention, a role with no managed policies, and
 * binding methods that grant access and set the matching environment variable together, so a function can never
 * name a resource it may not use (or the reverse).
 */
export class PlatformFunction extends LambdaFunction {
  readonly shortName: string;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const { config } = props;
    const functionName = nameFor(config, props.name);
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: it may write to this log group and nothing else.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      functionName,
      description: props.description,
      code: lambdaCode(props.entry, PROJECT_ROOT),
      handler: LAMBDA_HANDLER,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: config.tracing,
      logGroup,
      role,
      reservedConcurrentExecutions: props.reservedConcurrency,
      retryAttempts: props.retryAttempts,
      environment: {
        STAGE: config.stage,
        POWERTOOLS_SERVICE_NAME: `cfm-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'CFM',
        LOG_LEVEL: config.logLevel,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        ...(LAMBDA_SOURCE_MAPS ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
    });
    this.shortName = props.name;

    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Only actions without resource-level permissions are granted on "*": xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and, for table stream consumers, dynamodb:ListStreams (test/infra checks this list).',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(this, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: the bundles target node22 and the local stack and CI run Node 20/22; moving to a newer runtime is a tested change, not an automatic one.',
      },
    ]);
  }

  /** Grants least-privilege access to the table (and its indexes and key) and sets `TABLE_NAME`. */
  bindTable(table: ITable, access: TableAccess): this {
    const actions = access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
    table.grant(this, ...actions);
    if (table.encryptionKey) {
      const keyActions = ['kms:Decrypt', 'kms:DescribeKey'];
      if (access === 'readWrite') keyActions.push('kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*');
      table.encryptionKey.grant(this, ...keyActions);
    }
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.suppressIndexWildcard();
    return this;
  }

  /** Grants `sns:Publish` (and use of the topic's key) and sets `TOPIC_ARN`; `arnOnly` sets the variable alone. */
  bindTopic(topic: ITopic, access: TopicAccess = 'publish'): this {
    if (access === 'publish') {
      topic.grantPublish(this);
      // Publishing to an encrypted topic needs the key too; grantPublish leaves that out.
      topic.masterKey?.grant(this, 'kms:Decrypt', 'kms:GenerateDataKey*');
    }
    this.addEnvironment('TOPIC_ARN', topic.topicArn);
    return this;
  }

  /**
   * For the admin API, which creates focal points' subscriptions at run time: subscribe to this topic, and change or
   * remove subscriptions of this topic only (a subscription's ARN is the topic's ARN plus `:<id>`). Sets `TOPIC_ARN`.
   */
  bindTopicSubscriptions(topic: ITopic): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Subscribe'], resources: [topic.topicArn] }));
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sns:Unsubscribe', 'sns:SetSubscriptionAttributes'],
        resources: [topic.topicArn, `${topic.topicArn}:*`],
      }),
    );
    this.addEnvironment('TOPIC_ARN', topic.topicArn);
    NagSuppressions.addResourceSuppressions(
      this.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "Focal-point subscriptions are created at run time, so their ARNs (<topic ARN>:<uuid>) are known only as a pattern under this one topic's ARN.",
          appliesTo: [{ regex: '/^Resource::.*:\\*$/g' }],
        },
      ],
      true,
    );
    return this;
  }

  /**
   * Lets the admin API keep one dead-letter queue per focal point's subscription (shared/routing/subscription-dlq.ts):
   * create, tag, read the depth of and delete queues named `cfm-<stage>-fp-…`, and no other queue.
   */
  bindSubscriptionDlqs(stage: string): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'sqs:CreateQueue',
          'sqs:TagQueue',
          'sqs:SetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:GetQueueAttributes',
          'sqs:DeleteQueue',
        ],
        resources: [
          Stack.of(this).formatArn({
            service: 'sqs',
            resource: resourceName(stage, `${FOCAL_POINT_DLQ_PREFIX}*`),
          }),
        ],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "Each focal point's subscription gets a DLQ of its own, created at run time with the subscription: their names are known only as the stage's cfm-<stage>-fp-* pattern.",
          appliesTo: [{ regex: '/^Resource::.*:cfm-[a-z0-9]+-fp-\\*$/g' }],
        },
      ],
      true,
    );
    return this;
  }

  /**
   * Grants reading the secret (and decrypting its key, only through Secrets Manager) and sets `SECRET_ARN`. Powertools
   * Parameters reads it with GetSecretValue alone. Written out rather than `secret.grantRead`, which would also
   * grant DescribeSecret and put this role into the key's policy in the stateful stack, making the two stacks
   * depend on each other.
   */
  bindSecret(secret: ISecret): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
    );
    if (secret.encryptionKey) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [secret.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
    this.addEnvironment('SECRET_ARN', secret.secretArn);
    return this;
  }

  /**
   * Grants reading the stage's secret from a Parameter Store SecureString (dev) and sets `SECRET_PARAMETER`. Only
   * `ssm:GetParameter` on that one parameter: the SecureString is encrypted with the AWS-managed `aws/ssm` key, whose
   * key policy lets the account's principals use it through Parameter Store, so the role names no key.
   */
  bindSecretParameter(name: string): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: name.replace(/^\//, ''),
          }),
        ],
      }),
    );
    this.addEnvironment('SECRET_PARAMETER', name);
    return this;
  }

  /** For the admin API's user management: the Cognito admin actions on this pool only; sets `USER_POOL_ID`. */
  bindUserPoolAdmin(pool: IUserPool): this {
    pool.grant(
      this,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminUpdateUserAttributes',
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminRemoveUserFromGroup',
      'cognito-idp:AdminListGroupsForUser',
      'cognito-idp:ListUsers',
      'cognito-idp:ListUsersInGroup',
    );
    this.addEnvironment('USER_POOL_ID', pool.userPoolId);
    return this;
  }

  private indexSuppressed = false;

  private suppressIndexWildcard(): void {
    if (this.indexSuppressed) return;
    this.indexSuppressed = true;
    NagSuppressions.addResourceSuppressions(
      this.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "Queries run on the named GSIs (byStatusDue, byPhone, byMonth, byCategoryStatus, byOpenDue); CDK grants them as <table ARN>/index/*, which covers only this table's indexes.",
          appliesTo: [{ regex: '/^Resource::.*\\/index\\/\\*$/g' }],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'DynamoDB on a customer-managed key: kms:GenerateDataKey* and kms:ReEncrypt* are the standard grant actions on that one key (its ARN is the resource).',
          appliesTo: ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
        },
      ],
      true,
    );
  }
}
