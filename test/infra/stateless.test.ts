import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS, ROUTES, WORKERS } from '#functions/routes.ts';
import { refId, resourcesOf, type Synthesized, synthPlatform } from './synth.ts';

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthPlatform('dev');
  prod = synthPlatform('prod');
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const actionsOf = (st: Statement): string[] => (Array.isArray(st.Action) ? st.Action : [st.Action]);

/** Every statement of the identity policies (AWS::IAM::Policy and inline role policies), with the role ids. */
function identityStatements(s: Synthesized): { roles: string[]; statement: Statement }[] {
  const out: { roles: string[]; statement: Statement }[] = [];
  for (const policy of Object.values(resourcesOf(s.statelessTemplate, 'AWS::IAM::Policy'))) {
    const roles = ((policy.Properties.Roles as unknown[]) ?? []).map((r) => refId(r) ?? '?');
    const doc = policy.Properties.PolicyDocument as { Statement: Statement[] };
    for (const statement of doc.Statement) out.push({ roles, statement });
  }
  for (const [id, role] of Object.entries(resourcesOf(s.statelessTemplate, 'AWS::IAM::Role'))) {
    for (const p of (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]) ?? []) {
      for (const statement of p.PolicyDocument.Statement) out.push({ roles: [id], statement });
    }
  }
  return out;
}

/** The platform's functions (not CDK's own helper functions), by short name. */
function platformFunctions(s: Synthesized) {
  const prefix = `cfm-${s.config.stage}-`;
  const byName = new Map<string, { id: string; props: Record<string, unknown> }>();
  for (const [id, fn] of Object.entries(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function'))) {
    const name = fn.Properties.FunctionName;
    if (typeof name === 'string' && name.startsWith(prefix)) {
      byName.set(name.slice(prefix.length), { id, props: fn.Properties ?? {} });
    }
  }
  return byName;
}

const envOf = (props: Record<string, unknown>): Record<string, unknown> =>
  (props.Environment as { Variables: Record<string, unknown> }).Variables;

const roleActions = (s: Synthesized, roleId: string): string[] =>
  identityStatements(s)
    .filter((x) => x.roles.includes(roleId) && x.statement.Effect === 'Allow')
    .flatMap((x) => actionsOf(x.statement));

describe('functions', () => {
  it('creates one function per route group and per worker', () => {
    const names = [...platformFunctions(dev).keys()].sort();
    expect(names).toEqual([...ROUTE_GROUPS, ...Object.keys(WORKERS)].sort());
  });

  it.each(['dev', 'prod'] as const)(
    'runs every function on nodejs22.x, arm64, X-Ray active, ESM handler (%s)',
    (stage) => {
      const s = stage === 'dev' ? dev : prod;
      for (const [name, { props }] of platformFunctions(s)) {
        expect({ name, runtime: props.Runtime }).toEqual({ name, runtime: 'nodejs22.x' });
        expect({ name, arch: props.Architectures }).toEqual({ name, arch: ['arm64'] });
        expect({ name, tracing: props.TracingConfig }).toEqual({ name, tracing: { Mode: 'Active' } });
        expect({ name, handler: props.Handler }).toEqual({ name, handler: 'index.handler' });
        expect(envOf(props)).toMatchObject({ STAGE: stage, NODE_OPTIONS: '--enable-source-maps' });
        expect(envOf(props).POWERTOOLS_SERVICE_NAME).toBe(`cfm-${name}`);
        expect(envOf(props).LOG_LEVEL).toBe(stage === 'prod' ? 'INFO' : 'DEBUG');
      }
    },
  );

  it('gives every function its own log group with a retention', () => {
    const logGroups = resourcesOf(dev.statelessTemplate, 'AWS::Logs::LogGroup');
    for (const [name, { props }] of platformFunctions(dev)) {
      const groupId = refId((props.LoggingConfig as { LogGroup: unknown }).LogGroup);
      const group = logGroups[groupId ?? '']?.Properties;
      expect({ name, logGroupName: group?.LogGroupName }).toEqual({
        name,
        logGroupName: `/aws/lambda/cfm-dev-${name}`,
      });
      expect(group?.RetentionInDays).toBe(14);
    }
    for (const { props } of platformFunctions(prod).values()) {
      const groupId = refId((props.LoggingConfig as { LogGroup: unknown }).LogGroup);
      expect(
        resourcesOf(prod.statelessTemplate, 'AWS::Logs::LogGroup')[groupId ?? '']?.Properties
          ?.RetentionInDays,
      ).toBe(365);
    }
  });

  it('uses no AWS managed policies on function roles', () => {
    for (const { props } of platformFunctions(dev).values()) {
      const roleId = refId(props.Role)!;
      const role = resourcesOf(dev.statelessTemplate, 'AWS::IAM::Role')[roleId];
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('sets TABLE_NAME exactly where the role may use the table, and SECRET_ARN exactly where it may read the secret', () => {
    for (const [name, { props }] of platformFunctions(dev)) {
      const actions = roleActions(dev, refId(props.Role)!);
      const env = envOf(props);
      expect({ name, table: 'TABLE_NAME' in env }).toEqual({
        name,
        table: actions.includes('dynamodb:GetItem'),
      });
      expect({ name, secret: 'SECRET_ARN' in env }).toEqual({
        name,
        secret: actions.includes('secretsmanager:GetSecretValue'),
      });
    }
  });

  it('gives the platform settings the handlers require at cold start to every function that reads the table', () => {
    for (const [name, { props }] of platformFunctions(dev)) {
      const env = envOf(props);
      if (!('TABLE_NAME' in env)) continue;
      for (const key of [
        'STAGE',
        'TABLE_NAME',
        'TOPIC_ARN',
        'SECRET_ARN',
        'PUBLIC_BASE_URL',
        'TWILIO_FROM',
      ]) {
        expect({ name, key, present: key in env }).toEqual({ name, key, present: true });
      }
    }
    for (const name of ['health', 'classify', 'openapi']) {
      expect(envOf(platformFunctions(dev).get(name)!.props).TABLE_NAME).toBeUndefined();
    }
  });

  it('lets only the publishers publish, only reports is read-only, and only admin manage subscriptions', () => {
    const fns = platformFunctions(dev);
    const actionsFor = (name: string) => roleActions(dev, refId(fns.get(name)!.props.Role)!);
    const publishers = [...fns.keys()].filter((n) => actionsFor(n).includes('sns:Publish')).sort();
    expect(publishers).toEqual(['router', 'sweeper']);
    const subscribers = [...fns.keys()].filter((n) => actionsFor(n).includes('sns:Subscribe'));
    expect(subscribers).toEqual(['admin']);
    expect(actionsFor('admin')).toEqual(
      expect.arrayContaining(['sns:Unsubscribe', 'sns:SetSubscriptionAttributes']),
    );
    expect(actionsFor('reports')).toContain('dynamodb:Query');
    expect(actionsFor('reports')).not.toContain('dynamodb:PutItem');
    expect(actionsFor('cases')).toContain('dynamodb:PutItem');
    for (const name of fns.keys())
      expect({ name, scan: actionsFor(name).includes('dynamodb:Scan') }).toEqual({ name, scan: false });
  });
});

describe('IAM', () => {
  it('grants no wildcard action (`*` or `<service>:*`) in any identity policy', () => {
    for (const s of [dev, prod]) {
      const wildcards = identityStatements(s)
        .filter((x) => x.statement.Effect === 'Allow')
        .flatMap((x) => actionsOf(x.statement))
        .filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a));
      expect(wildcards).toEqual([]);
    }
  });

  it('grants on Resource "*" only actions that have no resource-level permissions', () => {
    const allowed = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams']);
    // CDK's BucketDeployment singleton (it uploads the public pages) invalidates CloudFront on "*"; its role is
    // CDK's, not ours, and the cdk-nag suppression in web-hosting.ts says so.
    const ours = identityStatements(dev).filter(
      (x) => !x.roles.every((r) => r.startsWith('CustomCDKBucketDeployment')),
    );
    const onStar = ours
      .filter((x) => x.statement.Effect === 'Allow' && x.statement.Resource === '*')
      .flatMap((x) => actionsOf(x.statement));
    expect(onStar.length).toBeGreaterThan(0);
    expect(onStar.filter((a) => !allowed.has(a))).toEqual([]);
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of ROUTES', () => {
    const keys = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Route'))
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(keys).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('puts the Cognito JWT authorizer on every staff route and none on public routes', () => {
    const authorizers = resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    const routes = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Route'));
    for (const spec of ROUTES) {
      const key = `${spec.method} ${spec.path}`;
      const route = routes.find((r) => r.Properties.RouteKey === key)!.Properties;
      if (spec.auth === 'public') {
        expect({ key, type: route.AuthorizationType ?? 'NONE', authorizer: route.AuthorizerId }).toEqual({
          key,
          type: 'NONE',
          authorizer: undefined,
        });
      } else {
        expect({ key, type: route.AuthorizationType, authorizer: refId(route.AuthorizerId) }).toEqual({
          key,
          type: 'JWT',
          authorizer: authorizerId,
        });
      }
    }
  });

  it('validates tokens against the user pool issuer and the console client', () => {
    const authorizer = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer'))[0]!;
    const jwt = authorizer.Properties.JwtConfiguration as { Audience: unknown[]; Issuer: unknown };
    expect(JSON.stringify(jwt.Issuer)).toContain('cognito-idp.');
    expect(jwt.Audience).toHaveLength(1);
    expect(JSON.stringify(jwt.Audience)).toContain('Console');
  });

  it('throttles the default stage and writes JSON access logs without source IPs', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    const stage = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Stage'))[0]!;
    expect((stage.Properties.AccessLogSettings as { Format: string }).Format).not.toContain('sourceIp');
  });

  it('allows CORS only from the CloudFront console origin', () => {
    const api = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Api'))[0]!;
    const cors = api.Properties.CorsConfiguration as { AllowOrigins: unknown[] };
    expect(cors.AllowOrigins).toHaveLength(1);
    const distributionId = Object.keys(
      resourcesOf(dev.statelessTemplate, 'AWS::CloudFront::Distribution'),
    )[0]!;
    expect(JSON.stringify(cors.AllowOrigins[0])).toContain(distributionId);
    expect(JSON.stringify(cors.AllowOrigins)).not.toContain('"*"');
  });

  it('integrates each route with the function of its group', () => {
    const t = dev.statelessTemplate;
    const integrations = resourcesOf(t, 'AWS::ApiGatewayV2::Integration');
    const fns = platformFunctions(dev);
    for (const route of Object.values(resourcesOf(t, 'AWS::ApiGatewayV2::Route'))) {
      const spec = ROUTES.find((r) => `${r.method} ${r.path}` === route.Properties.RouteKey)!;
      const target = JSON.stringify(route.Properties.Target);
      const integrationId = Object.keys(integrations).find((id) => target.includes(id))!;
      const uri = JSON.stringify(integrations[integrationId]!.Properties.IntegrationUri);
      expect({
        route: route.Properties.RouteKey,
        integratesGroup: uri.includes(fns.get(spec.group)!.id),
      }).toEqual({
        route: route.Properties.RouteKey,
        integratesGroup: true,
      });
    }
  });

  it('outputs the API URL and the public base URL', () => {
    dev.statelessTemplate.hasOutput('ApiUrl', {});
    dev.statelessTemplate.hasOutput('PublicBaseUrl', {});
  });
});

describe('stream consumers, queues and schedules', () => {
  it('reads the table stream into router, projector and SMS inbox with partial batch responses, bisection and bounded retries', () => {
    const fns = platformFunctions(dev);
    const mappings = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Lambda::EventSourceMapping'));
    for (const name of ['router', 'projector', 'inbox']) {
      const m = mappings.find((x) => refId(x.Properties.FunctionName) === fns.get(name)!.id)!.Properties;
      expect(JSON.stringify(m.EventSourceArn)).toContain('StreamArn');
      expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(m.BisectBatchOnFunctionError).toBe(true);
      expect(m.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(m.MaximumRetryAttempts).toBeLessThanOrEqual(10);
      expect(m.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(86_400);
      const dlq = refId(
        (m.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination,
      );
      expect(resourcesOf(dev.statelessTemplate, 'AWS::SQS::Queue')[dlq ?? '']).toBeDefined();
    }
  });

  it('invokes the SMS inbox only for number items, filtered by the event source mapping', () => {
    const fns = platformFunctions(dev);
    const mappings = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Lambda::EventSourceMapping'));
    const inbox = mappings.find((x) => refId(x.Properties.FunctionName) === fns.get('inbox')!.id)!.Properties;
    const patterns = (inbox.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual([{ dynamodb: { Keys: { pk: { S: [{ prefix: 'SENDER#' }] } } } }]);
    const router = mappings.find(
      (x) => refId(x.Properties.FunctionName) === fns.get('router')!.id,
    )!.Properties;
    expect(router.FilterCriteria).toBeUndefined();
  });

  it('feeds the notifier from an SQS queue subscribed to the case-events topic, filtered and raw', () => {
    const t = dev.statelessTemplate;
    const fns = platformFunctions(dev);
    const mapping = Object.values(resourcesOf(t, 'AWS::Lambda::EventSourceMapping')).find(
      (x) => refId(x.Properties.FunctionName) === fns.get('notifier')!.id,
    )!.Properties;
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const queueId = refId(mapping.EventSourceArn)!;
    const subscription = Object.values(resourcesOf(t, 'AWS::SNS::Subscription'))[0]!.Properties;
    expect(subscription.Protocol).toBe('sqs');
    expect(refId(subscription.Endpoint)).toBe(queueId);
    expect(subscription.RawMessageDelivery).toBe(true);
    expect(subscription.FilterPolicy).toEqual({ audience: ['complainant'] });
    expect(JSON.stringify(subscription.TopicArn)).toContain('CaseEvents');
  });

  it('gives every SQS queue a DLQ or makes it one, and encrypts and TLS-protects them all', () => {
    const t = dev.statelessTemplate;
    const queues = resourcesOf(t, 'AWS::SQS::Queue');
    const props = (type: string) => Object.values(resourcesOf(t, type)).map((r) => r.Properties ?? {});
    const dlqTargets = new Set(
      [
        ...props('AWS::SQS::Queue').map(
          (q) => (q.RedrivePolicy as { deadLetterTargetArn?: unknown })?.deadLetterTargetArn,
        ),
        ...props('AWS::SNS::Subscription').map(
          (q) => (q.RedrivePolicy as { deadLetterTargetArn?: unknown })?.deadLetterTargetArn,
        ),
        ...props('AWS::Lambda::EventSourceMapping').map(
          (m) => (m.DestinationConfig as { OnFailure?: { Destination?: unknown } })?.OnFailure?.Destination,
        ),
        ...props('AWS::Scheduler::Schedule').map(
          (sc) => (sc.Target as { DeadLetterConfig?: { Arn?: unknown } }).DeadLetterConfig?.Arn,
        ),
      ].map(refId),
    );
    for (const [id, q] of Object.entries(queues)) {
      const hasDlq = q.Properties.RedrivePolicy !== undefined;
      expect({ id, hasDlqOrIsDlq: hasDlq || dlqTargets.has(id) }).toEqual({ id, hasDlqOrIsDlq: true });
      const encrypted =
        q.Properties.SqsManagedSseEnabled === true || q.Properties.KmsMasterKeyId !== undefined;
      expect({ id, encrypted }).toEqual({ id, encrypted: true });
    }
    expect(Object.keys(queues)).toHaveLength(6);
    const tlsOnly = Object.values(resourcesOf(t, 'AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'))
      .flatMap((p) => (p.Properties.Queues as unknown[]).map((q) => refId(q)));
    expect(new Set(tlsOnly)).toEqual(new Set(Object.keys(queues)));
  });

  it('schedules the sweeper every 5 minutes and retention daily through EventBridge Scheduler', () => {
    const fns = platformFunctions(dev);
    const schedules = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Scheduler::Schedule')).map(
      (s) => s.Properties,
    );
    const forFn = (name: string) =>
      schedules.find((s) => JSON.stringify((s.Target as { Arn: unknown }).Arn).includes(fns.get(name)!.id))!;
    expect(forFn('sweeper').ScheduleExpression).toBe('rate(5 minutes)');
    expect(forFn('retention').ScheduleExpression).toBe('rate(1 day)');
    for (const s of schedules)
      expect((s.Target as { DeadLetterConfig?: unknown }).DeadLetterConfig).toBeDefined();
  });
});

describe('alarms and dashboard', () => {
  const alarmsOf = (s: Synthesized) =>
    Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('alarms on the depth of every dead-letter queue', () => {
    const t = dev.statelessTemplate;
    const queues = resourcesOf(t, 'AWS::SQS::Queue');
    const dlqIds = Object.entries(queues)
      .filter(([, q]) => q.Properties.RedrivePolicy === undefined)
      .map(([id]) => id);
    expect(dlqIds).toHaveLength(5);
    for (const id of dlqIds) {
      const alarm = alarmsOf(dev).find(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Dimensions).includes(`"${id}"`),
      );
      expect({ id, alarm: alarm && { threshold: alarm.Threshold, op: alarm.ComparisonOperator } }).toEqual({
        id,
        alarm: { threshold: 1, op: 'GreaterThanOrEqualToThreshold' },
      });
    }
  });

  it('alarms on the iterator age of every stream consumer', () => {
    const fns = platformFunctions(dev);
    for (const name of ['router', 'projector', 'inbox']) {
      const alarm = alarmsOf(dev).find(
        (a) => a.MetricName === 'IteratorAge' && JSON.stringify(a.Dimensions).includes(fns.get(name)!.id),
      );
      expect({ name, found: alarm !== undefined }).toEqual({ name, found: true });
    }
  });

  it('alarms on every function’s errors and throttles', () => {
    for (const [name, { id }] of platformFunctions(dev)) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarmsOf(dev).find(
          (a) =>
            a.MetricName === metric &&
            a.Namespace === 'AWS/Lambda' &&
            JSON.stringify(a.Dimensions).includes(id),
        );
        expect({ name, metric, found: alarm !== undefined }).toEqual({ name, metric, found: true });
      }
    }
  });

  it('alarms on the SlaBreaches metric in the CFM namespace, and every alarm notifies the encrypted alarm topic', () => {
    const sla = alarmsOf(dev).find((a) => JSON.stringify(a.Metrics ?? []).includes('SlaBreaches'));
    expect(JSON.stringify(sla?.Metrics)).toContain('FROM CFM');
    const topics = resourcesOf(dev.statelessTemplate, 'AWS::SNS::Topic');
    const [topicId, topic] = Object.entries(topics)[0]!;
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const a of alarmsOf(dev)) expect((a.AlarmActions as unknown[]).map(refId)).toEqual([topicId]);
  });

  it('has a dashboard', () => {
    dev.statelessTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('web hosting', () => {
  it('keeps the site bucket private, encrypted and TLS-only, read by CloudFront through OAC', () => {
    const t = dev.statelessTemplate;
    const buckets = resourcesOf(t, 'AWS::S3::Bucket');
    for (const [id, b] of Object.entries(buckets)) {
      expect({ id, pab: b.Properties.PublicAccessBlockConfiguration }).toEqual({
        id,
        pab: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(b.Properties.BucketEncryption).toBeDefined();
    }
    const policies = Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy')).map((p) =>
      JSON.stringify(p.Properties),
    );
    expect(policies.every((p) => p.includes('aws:SecureTransport'))).toBe(true);
    expect(policies.some((p) => p.includes('cloudfront.amazonaws.com'))).toBe(true);
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
  });

  it('adds security headers: HSTS, CSP, frame options, referrer policy, nosniff', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: Match.anyValue() }),
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.anyValue() }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: 'no-referrer' }),
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
  });

  /** The BucketDeployments of a template, the console's (under console/) apart from the public site's. */
  const deploymentsOf = (s: Synthesized) => {
    const all = Object.values(resourcesOf(s.statelessTemplate, 'Custom::CDKBucketDeployment'));
    return {
      all,
      console: all.filter((d) => d.Properties.DestinationBucketKeyPrefix === 'console/'),
      site: all.filter((d) => d.Properties.DestinationBucketKeyPrefix === undefined),
    };
  };

  it('deploys the public pages at the root, and no console when web/dist was not built', () => {
    expect(dev.stateless.web.deploysContent).toBe(false);
    const { all, site } = deploymentsOf(dev);
    expect(all).toHaveLength(1);
    expect(site).toHaveLength(1);
    // It must not prune what the console's own deployment puts under console/.
    expect(site[0]!.Properties.Exclude).toEqual(['console/*']);
    for (const page of [
      'index.html',
      'complaint/index.html',
      'ar/index.html',
      'kmr/status.html',
      'favicon.ico',
    ])
      expect(existsSync(join(dev.stateless.publicSiteDir, page)), page).toBe(true);
  });

  it('deploys the built web app under console/ with a config.json naming the API and user pool when web/dist exists', () => {
    const dist = mkdtempSync(join(tmpdir(), 'cfm-web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    const withWeb = synthPlatform('dev', { webDistDir: dist });
    const { all, console: consoleDeployment } = deploymentsOf(withWeb);
    expect(all).toHaveLength(2);
    expect(consoleDeployment).toHaveLength(1);
    const markers = JSON.stringify(consoleDeployment[0]!.Properties.SourceMarkers);
    // config.json's values are deploy-time markers: the API endpoint, the user pool and its console client.
    expect(markers).toContain('"ApiEndpoint"');
    expect(markers).toMatch(/RefStaff[0-9A-F]{8}/);
    expect(markers).toMatch(/RefStaffConsole[0-9A-F]{8}/);
    expect(consoleDeployment[0]!.Properties.DistributionPaths).toEqual(['/console/*']);
  });
});

describe('public numbers', () => {
  let numbers: Synthesized;
  beforeAll(() => {
    numbers = synthPlatform('prod', {
      context: { publicSmsNumber: '+964 780 111 2222', publicHotlineNumber: '5040' },
    });
  });

  it('go from the stage context into the pages the site serves, and no channel without one', () => {
    const page = readFileSync(join(numbers.stateless.publicSiteDir, 'ckb', 'index.html'), 'utf8');
    expect(page).toContain(
      '<a href="sms:+9647801112222" data-channel="sms"><bdi dir="ltr">+964 780 111 2222</bdi></a>',
    );
    expect(page).toContain('<a href="tel:5040" data-channel="hotline">');
    expect(page).not.toContain('data-channel="whatsapp"');
    expect(readFileSync(join(dev.stateless.publicSiteDir, 'ckb', 'index.html'), 'utf8')).not.toContain(
      'class="contact"',
    );
  });

  it('reach the function that renders pages for browsers without JavaScript', () => {
    const env = envOf(platformFunctions(numbers).get('public-complaints')?.props ?? {});
    expect(env).toMatchObject({ PUBLIC_SMS_NUMBER: '+9647801112222', PUBLIC_HOTLINE_NUMBER: '5040' });
    expect(env).not.toHaveProperty('PUBLIC_WHATSAPP_NUMBER');
    expect(envOf(platformFunctions(dev).get('public-complaints')?.props ?? {})).not.toHaveProperty(
      'PUBLIC_SMS_NUMBER',
    );
  });

  it('fail the synth when one cannot be dialled, naming its context key', () => {
    expect(() => synthPlatform('dev', { context: { publicWhatsappNumber: '5040' } })).toThrow(
      /context publicWhatsappNumber/,
    );
  });
});
