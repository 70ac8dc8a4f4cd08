import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type CfnTopic, Topic } from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ROLES } from '#shared/auth/principal.ts';
import { topology } from '#shared/messaging/topology.ts';
import { tableDefinition } from '#shared/store/table-definition.ts';
import { nameFor, type StageConfig } from '../config.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/** SNS's AWS-managed key, by alias: what the topic is encrypted with where the stage has no key of its own. */
export const SNS_MANAGED_KEY = 'alias/aws/sns';

/** The placeholder written into the secret for values an operator must set after the first deploy. */
export const SECRET_PLACEHOLDER = 'SET_AFTER_DEPLOY';

/** The SecureString of a stage that keeps its secret in Parameter Store. */
export const secretParameterName = (config: Pick<StageConfig, 'stage'>): string => `/cfm/${config.stage}/app`;

/**
 * What holds data and identity, kept apart from the code so the code can be redeployed (or destroyed) freely:
 * the key (prod), the case table, the "case events" topic, the application secret and the staff user pool with its
 * sign-in domain. The console's app client is in the stateless stack, since its sign-in address is the CloudFront
 * site's.
 * In prod every one of them is retained when the stack goes, and the table and user pool refuse deletion.
 */
export class StatefulStack extends Stack {
  /** The customer-managed key (prod); dev encrypts with AWS-owned and AWS-managed keys instead. */
  readonly key?: Key;
  readonly table: Table;
  readonly topic: Topic;
  /** The stage's secret in Secrets Manager (prod); undefined where it is a Parameter Store SecureString (dev). */
  readonly secret: Secret | undefined;
  /** The SecureString's name where the stage keeps its secret in Parameter Store. */
  readonly secretParameterName: string | undefined;
  readonly userPool: UserPool;
  /** Cognito's hosted sign-in pages for the pool; the console's client (stateless stack) signs staff in there. */
  readonly signInDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    if (config.customerManagedKey) {
      this.key = new Key(this, 'DataKey', {
        alias: `alias/${nameFor(config, 'data')}`,
        description: `Encrypts the CFM ${config.stage} case table, case-events and alarm topics and the app secret`,
        enableKeyRotation: true,
        pendingWindow: Duration.days(30),
        removalPolicy: config.removalPolicy,
      });
      // CloudWatch publishes alarm notifications to a topic encrypted with this key; it needs to use the key for that.
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToUseTheKey',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
    }
    this.table = new Table(this, 'Cases', {
      tableName: nameFor(config, 'cases'),
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...(this.key
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.key }
        : { encryption: TableEncryption.DEFAULT }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: config.retainData,
      removalPolicy: config.removalPolicy,
    });
    for (const [indexName, ix] of Object.entries(tableDefinition.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: ix.partitionKey, type: AttributeType.STRING },
        sortKey: { name: ix.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.topic = new Topic(this, 'CaseEvents', {
      topicName: nameFor(config, topology.topic.name),
      displayName: 'CFM case events',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (!this.key) {
      // Without a key of our own, SNS encrypts with its AWS-managed key: free, and enough for a topic whose
      // publishers are our own functions, which that key's policy already admits through SNS (CloudWatch could
      // not use it, which is why the alarm topic differs). Set on the resource so no IAM grant names the key.
      (this.topic.node.defaultChild as CfnTopic).kmsMasterKeyId = SNS_MANAGED_KEY;
    }
    // Focal points' subscriptions live on this topic; recreating it would silently drop them.
    this.topic.applyRemovalPolicy(config.removalPolicy);

    // Prod: Secrets Manager generates the data key (43 letters and digits read as base64 are 32 bytes, ~256 bits).
    // The Twilio credentials and the phone hash key are placeholders: the handlers refuse to start until they are
    // set (docs/deploy.md), so nobody runs on a key that is known from the template. Dev: a Parameter Store
    // SecureString the operator puts once with every value (CloudFormation cannot create SecureStrings); the
    // handlers refuse to start until it exists.
    this.secretParameterName =
      config.secretStore === 'parameter-store' ? secretParameterName(config) : undefined;
    this.secret =
      config.secretStore === 'secrets-manager'
        ? new Secret(this, 'AppSecret', {
            secretName: `cfm/${config.stage}/app`,
            description:
              'Twilio credentials and personal-data keys (JSON). Set the placeholders after deploy: docs/deploy.md',
            encryptionKey: this.key,
            removalPolicy: config.removalPolicy,
            generateSecretString: {
              secretStringTemplate: JSON.stringify({
                twilioAccountSid: SECRET_PLACEHOLDER,
                twilioAuthToken: SECRET_PLACEHOLDER,
                phoneHashKey: SECRET_PLACEHOLDER,
              }),
              generateStringKey: 'dataKey',
              passwordLength: 43,
              excludePunctuation: true,
              includeSpace: false,
            },
          })
        : undefined;
    if (this.secret) {
      NagSuppressions.addResourceSuppressions(this.secret, [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'Not rotated automatically: the Twilio auth token is rotated in the Twilio console, and rotating the data or phone-hash keys would orphan stored ciphertexts and hashes; rotation is a planned, manual procedure.',
        },
      ]);
    }

    this.userPool = new UserPool(this, 'Staff', {
      userPoolName: nameFor(config, 'staff'),
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        governorates: new StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
        programmes: new StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
        focalPointId: new StringAttribute({ minLen: 0, maxLen: 256, mutable: true }),
        // The agency the user works for (shared/agencies): empty is the default agency, `*` a deployment-wide
        // manager or admin. Added to an existing pool without replacing it (custom attributes may be added).
        agency: new StringAttribute({ minLen: 0, maxLen: 32, mutable: true }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: config.mfa,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: config.userPoolPlan,
      standardThreatProtectionMode: config.retainData
        ? StandardThreatProtectionMode.FULL_FUNCTION
        : undefined,
      deletionProtection: config.retainData,
      removalPolicy: config.removalPolicy,
    });
    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: `CFM role: ${role}` });
    }
    // Cognito's hosted sign-in pages, where the console sends staff to sign in (authorisation code with PKCE). The
    // prefix carries the account so that it is unique in the region, as Cognito requires.
    this.signInDomain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: `${nameFor(config, 'staff')}-${this.account}` },
    });

    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'Staff user pool (docs/deploy.md)',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'CaseEventsTopicArn', { value: this.topic.topicArn });
    if (this.secret) {
      new CfnOutput(this, 'AppSecretName', {
        value: `cfm/${config.stage}/app`,
        description:
          'Set twilioAccountSid, twilioAuthToken and phoneHashKey after the first deploy (docs/deploy.md)',
      });
    } else {
      new CfnOutput(this, 'AppParameterName', {
        value: this.secretParameterName!,
        description:
          'Put this SecureString (aws ssm put-parameter) with every value before use (docs/deploy.md §4)',
      });
    }

    if (!config.retainData) {
      NagSuppressions.addResourceSuppressions(this.userPool, [
        {
          id: 'AwsSolutions-COG2',
          reason: 'dev only: MFA is optional to ease testing with throwaway users; prod requires TOTP MFA.',
        },
        {
          id: 'AwsSolutions-COG8',
          reason:
            'dev only: the Essentials plan (free tier) is enough for test users; prod uses the Plus plan with threat protection.',
        },
      ]);
    }
  }
}
