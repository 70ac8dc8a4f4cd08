import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { refId, resourcesOf, type Synthesized, synthPlatform } from './synth.ts';

const stages = { dev: undefined as Synthesized | undefined, prod: undefined as Synthesized | undefined };

beforeAll(() => {
  stages.dev = synthPlatform('dev');
  stages.prod = synthPlatform('prod');
});

const get = (stage: 'dev' | 'prod'): Synthesized => {
  const s = stages[stage];
  if (!s) throw new Error('not synthesized');
  return s;
};

const singleLogicalId = (s: Synthesized, type: string): string => {
  const ids = Object.keys(resourcesOf(s.statefulTemplate, type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

describe.each(['dev', 'prod'] as const)('stateful stack (%s)', (stage) => {
  it('defines the case table from the shared definition: keys, the five GSIs, TTL, stream, on demand, PITR', () => {
    const t = get(stage).statefulTemplate;
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `cfm-${stage}-cases`,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        [
          'pk',
          'sk',
          'gsi1pk',
          'gsi1sk',
          'gsi2pk',
          'gsi2sk',
          'gsi3pk',
          'gsi3sk',
          'gsi4pk',
          'gsi4sk',
          'gsi5pk',
          'gsi5sk',
        ].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S',
        })),
      ),
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byStatusDue',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
        Match.objectLike({
          IndexName: 'byPhone',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({
          IndexName: 'byMonth',
          KeySchema: [
            { AttributeName: 'gsi3pk', KeyType: 'HASH' },
            { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({
          IndexName: 'byCategoryStatus',
          KeySchema: [
            { AttributeName: 'gsi4pk', KeyType: 'HASH' },
            { AttributeName: 'gsi4sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
        Match.objectLike({
          IndexName: 'byOpenDue',
          KeySchema: [
            { AttributeName: 'gsi5pk', KeyType: 'HASH' },
            { AttributeName: 'gsi5sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ]),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('keeps the app secret where the stage says: a Parameter Store SecureString in dev (no resource), Secrets Manager in prod', () => {
    const t = get(stage).statefulTemplate;
    if (stage === 'dev') {
      // CloudFormation cannot create a SecureString: the operator puts it (docs/deploy.md §4); the stack names it.
      t.resourceCountIs('AWS::SecretsManager::Secret', 0);
      t.resourceCountIs('AWS::SSM::Parameter', 0);
      t.hasOutput('AppParameterName', { Value: '/cfm/dev/app' });
      return;
    }
    t.resourceCountIs('AWS::SecretsManager::Secret', 1);
    t.hasOutput('AppSecretName', { Value: 'cfm/prod/app' });
  });

  it('has a staff user pool without self sign-up, with the five role groups and the scope attributes', () => {
    const t = get(stage).statefulTemplate;
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'governorates', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'programmes', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'focalPointId', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'agency', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
    const pool = Object.values(resourcesOf(t, 'AWS::Cognito::UserPool'))[0]!;
    const minLength = (pool.Properties.Policies as { PasswordPolicy: { MinimumLength: number } })
      .PasswordPolicy.MinimumLength;
    expect(minLength).toBeGreaterThanOrEqual(12);
    const groups = Object.values(resourcesOf(t, 'AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'manager', 'officer', 'operator', 'psea']);
  });

  it('has Cognito hosted sign-in pages on a domain prefixed by stage and account, and no app client of its own', () => {
    const t = get(stage).statefulTemplate;
    const domain = Object.values(resourcesOf(t, 'AWS::Cognito::UserPoolDomain'))[0]!.Properties;
    expect(domain.Domain).toEqual({ 'Fn::Join': ['', [`cfm-${stage}-staff-`, { Ref: 'AWS::AccountId' }]] });
    expect(refId(domain.UserPoolId)).toBe(singleLogicalId(get(stage), 'AWS::Cognito::UserPool'));
    // The console's client is in the stateless stack, next to the CloudFront site it sends staff back to.
    t.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
  });
});

describe('the prod secret', () => {
  it('creates the app secret with the four JSON fields, the data key generated and the rest to be set', () => {
    const secret = Object.values(
      resourcesOf(get('prod').statefulTemplate, 'AWS::SecretsManager::Secret'),
    )[0]!;
    const gen = secret.Properties.GenerateSecretString as {
      SecretStringTemplate: string;
      GenerateStringKey: string;
    };
    expect(gen.GenerateStringKey).toBe('dataKey');
    expect(Object.keys(JSON.parse(gen.SecretStringTemplate)).sort()).toEqual([
      'phoneHashKey',
      'twilioAccountSid',
      'twilioAuthToken',
    ]);
    expect(secret.Properties.SecretString).toBeUndefined();
  });
});

describe('encryption at rest', () => {
  it('prod encrypts the table, the case-events topic and the secret with its customer-managed key, which rotates', () => {
    const s = get('prod');
    const keyId = singleLogicalId(s, 'AWS::KMS::Key');
    s.statefulTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const table = Object.values(resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::Table'))[0]!;
    const sse = table.Properties.SSESpecification as {
      SSEEnabled: boolean;
      SSEType: string;
      KMSMasterKeyId: unknown;
    };
    expect(sse.SSEEnabled).toBe(true);
    expect(sse.SSEType).toBe('KMS');
    expect(refId(sse.KMSMasterKeyId)).toBe(keyId);
    const topic = Object.values(resourcesOf(s.statefulTemplate, 'AWS::SNS::Topic'))[0]!;
    expect(topic.Properties.TopicName).toBe('cfm-prod-case-events');
    expect(refId(topic.Properties.KmsMasterKeyId)).toBe(keyId);
    const secret = Object.values(resourcesOf(s.statefulTemplate, 'AWS::SecretsManager::Secret'))[0]!;
    expect(refId(secret.Properties.KmsKeyId)).toBe(keyId);
  });

  it('prod lets CloudWatch use the key, so alarms can publish to the encrypted alarm topic', () => {
    const key = Object.values(resourcesOf(get('prod').statefulTemplate, 'AWS::KMS::Key'))[0]!;
    const statements = (key.Properties.KeyPolicy as { Statement: { Principal?: { Service?: string } }[] })
      .Statement;
    expect(statements.some((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com')).toBe(true);
  });

  it('dev has no customer-managed key ($1 a month): AWS-owned for the table, AWS-managed for the topic (and aws/ssm for the SecureString)', () => {
    const t = get('dev').statefulTemplate;
    t.resourceCountIs('AWS::KMS::Key', 0);
    const table = Object.values(resourcesOf(t, 'AWS::DynamoDB::Table'))[0]!;
    const sse = table.Properties.SSESpecification as { SSEEnabled?: boolean } | undefined;
    // Without SSESpecification (or with SSEEnabled false) DynamoDB encrypts with an AWS-owned key, at no charge.
    expect(sse?.SSEEnabled ?? false).toBe(false);
    const topic = Object.values(resourcesOf(t, 'AWS::SNS::Topic'))[0]!;
    expect(topic.Properties.TopicName).toBe('cfm-dev-case-events');
    expect(topic.Properties.KmsMasterKeyId).toBe('alias/aws/sns');
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});

describe('stage differences', () => {
  it('prod retains the table and key and protects the table and user pool from deletion', () => {
    const t = get('prod').statefulTemplate;
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Retain' });
    t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    t.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
    expect(get('prod').stateful.terminationProtection).toBe(true);
  });

  it('dev destroys the table with the stack and leaves deletion protection off', () => {
    const t = get('dev').statefulTemplate;
    t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    const table = Object.values(resourcesOf(t, 'AWS::DynamoDB::Table'))[0]!;
    expect(table.Properties.DeletionProtectionEnabled).not.toBe(true);
  });

  it('requires TOTP MFA and the Plus plan in prod; MFA is optional in dev', () => {
    get('prod').statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
    });
    get('dev').statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
    });
  });

  it('names resources per stage', () => {
    expect(get('dev').stateful.stackName).toBe('cfm-dev-stateful');
    expect(get('prod').stateless.stackName).toBe('cfm-prod-stateless');
    get('prod').statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'cfm-prod-cases',
    });
  });
});
