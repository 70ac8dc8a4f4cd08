import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS, ROUTES, WORKERS } from '#functions/routes.ts';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { envOf, platformFunctions, refId, resourcesOf, type Synthesized, synthPlatform } from './synth.ts';

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
    'runs every function on nodejs22.x, arm64, ESM handler, X-Ray off unless asked for (%s)',
    (stage) => {
      const s = stage === 'dev' ? dev : prod;
      for (const [name, { props }] of platformFunctions(s)) {
        expect({ name, runtime: props.Runtime }).toEqual({ name, runtime: 'nodejs22.x' });
        expect({ name, arch: props.Architectures }).toEqual({ name, arch: ['arm64'] });
        expect({ name, tracing: props.TracingConfig }).toEqual({ name, tracing: { Mode: 'PassThrough' } });
        expect({ name, handler: props.Handler }).toEqual({ name, handler: 'index.handler' });
        expect(envOf(props)).toMatchObject({ STAGE: stage });
        // Source maps are off at cold start (see LAMBDA_SOURCE_MAPS); they ship beside the bundle.
        expect(envOf(props).NODE_OPTIONS).toBeUndefined();
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

  it('dev: a function reads the SecureString with ssm:GetParameter on that one parameter, and names no key', () => {
    const ssm = identityStatements(dev).filter((x) =>
      actionsOf(x.statement).some((a) => a.startsWith('ssm:')),
    );
    expect(ssm.length).toBeGreaterThan(0);
    for (const { statement } of ssm) {
      expect(actionsOf(statement)).toEqual(['ssm:GetParameter']);
      expect(JSON.stringify(statement.Resource)).toMatch(/:ssm:.*:parameter\/cfm\/dev\/app"\]\]\}$/);
      expect(JSON.stringify(statement.Resource)).not.toContain('*');
    }
    // aws/ssm's key policy admits the account's principals through Parameter Store: no kms: grant, no secret.
    const other = identityStatements(dev).filter((x) =>
      actionsOf(x.statement).some((a) => a.startsWith('kms:') || a.startsWith('secretsmanager:')),
    );
    expect(other).toEqual([]);
    for (const [name, { props }] of platformFunctions(dev)) {
      const env = envOf(props);
      expect({ name, arn: env.SECRET_ARN }).toEqual({ name, arn: undefined });
      if ('TABLE_NAME' in env)
        expect({ name, parameter: env.SECRET_PARAMETER }).toEqual({ name, parameter: '/cfm/dev/app' });
    }
  });

  it('prod: a function reads the secret with secretsmanager:GetSecretValue on that one secret and nothing else', () => {
    const secretStatements = identityStatements(prod).filter((x) =>
      actionsOf(x.statement).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretStatements.length).toBeGreaterThan(0);
    for (const { statement } of secretStatements) {
      expect(actionsOf(statement)).toEqual(['secretsmanager:GetSecretValue']);
      // One ARN (a reference to the stateful stack's secret), never a wildcard.
      expect(Array.isArray(statement.Resource)).toBe(false);
      expect(JSON.stringify(statement.Resource)).not.toContain('*');
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
        'SECRET_PARAMETER',
        'PUBLIC_BASE_URL',
        'CONSOLE_URL',
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
    expect(publishers).toEqual(['projector', 'router', 'sweeper']);
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

it('traces every function with X-Ray when the context says tracing=active', () => {
  const traced = synthPlatform('prod', { context: { tracing: 'active' } });
  for (const [name, { props }] of platformFunctions(traced)) {
    expect({ name, tracing: props.TracingConfig }).toEqual({ name, tracing: { Mode: 'Active' } });
  }
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
    expect(JSON.stringify(jwt.Audience)).toContain('ConsoleClient');
  });

  it('writes JSON access logs without source IPs, with the route key and status a metric filter reads', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    const stage = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Stage'))[0]!;
    expect((stage.Properties.AccessLogSettings as { Format: string }).Format).not.toContain('sourceIp');
  });

  it('sends no CORS headers: the console and web form reach the API through CloudFront on their own origin', () => {
    const api = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Api'))[0]!;
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('allows CORS from exactly the consoleOrigin given in the context, and no wildcard', () => {
    const s = synthPlatform('dev', { context: { consoleOrigin: 'https://console.example.org/' } });
    const api = Object.values(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Api'))[0]!;
    const cors = api.Properties.CorsConfiguration as { AllowOrigins: unknown[] };
    expect(cors.AllowOrigins).toEqual(['https://console.example.org']);
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
  it('reads the table stream into router, projector, SMS inbox and gateway sender with partial batch responses, bisection and bounded retries', () => {
    const fns = platformFunctions(dev);
    const mappings = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Lambda::EventSourceMapping'));
    for (const name of ['router', 'projector', 'inbox', 'gateway-outbox']) {
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

  it('invokes each stream consumer only for the items it reads, filtered by the event source mapping', () => {
    const fns = platformFunctions(dev);
    const mappings = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Lambda::EventSourceMapping'));
    const inbox = mappings.find((x) => refId(x.Properties.FunctionName) === fns.get('inbox')!.id)!.Properties;
    const patterns = (inbox.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual([{ dynamodb: { Keys: { pk: { S: [{ prefix: 'SENDER#' }] } } } }]);
    // The gateway sender sees only messages newly queued for the relay.
    const sender = mappings.find(
      (x) => refId(x.Properties.FunctionName) === fns.get('gateway-outbox')!.id,
    )!.Properties;
    expect(
      (sender.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern)),
    ).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'GWOUT#' }] } } } }]);
    // The router and the projector see case items and timeline events only, not aggregates or markers.
    for (const name of ['router', 'projector']) {
      const m = mappings.find((x) => refId(x.Properties.FunctionName) === fns.get(name)!.id)!.Properties;
      expect(
        (m.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern)),
      ).toEqual([
        { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: ['case', 'event'] } } } },
      ]);
    }
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
        ...props('AWS::Lambda::EventInvokeConfig').map(
          (c) => (c.DestinationConfig as { OnFailure?: { Destination?: unknown } })?.OnFailure?.Destination,
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
    // The focal points' subscriptions' DLQs are not here: the admin API makes one with each subscription.
    expect(Object.keys(queues)).toHaveLength(7);
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

describe('public site and numbers', () => {
  /** As web-hosting.test.ts synthesises it: the same arguments share one synth within a worker. */
  const PUBLIC_DIR = join(PROJECT_ROOT, 'web', 'public');
  let site: Synthesized;
  let numbers: Synthesized;
  const siteDir = (s: Synthesized): string => {
    expect(s.stateless.publicSiteDir).toBeDefined();
    return s.stateless.publicSiteDir ?? '';
  };
  beforeAll(() => {
    site = synthPlatform('dev', { webPublicDir: PUBLIC_DIR });
    numbers = synthPlatform('prod', {
      webPublicDir: PUBLIC_DIR,
      context: { publicSmsNumber: '+964 780 111 2222', publicHotlineNumber: '5040' },
    });
  });

  it('renders every page into the folder the site deployment uploads, with web/public’s files', () => {
    const dir = siteDir(site);
    for (const page of [
      'index.html',
      'complaint.html',
      'status.html',
      'ar/index.html',
      'kmr/status.html',
      'assets/public.js',
      'favicon.ico',
    ])
      expect(existsSync(join(dir, page)), page).toBe(true);
    const pages = Object.values(resourcesOf(site.statelessTemplate, 'Custom::CDKBucketDeployment')).filter(
      (d) => d.Properties.DestinationBucketKeyPrefix === undefined,
    );
    expect(pages).toHaveLength(1);
    // Without web/public (the other synths here) no pages are rendered and none deployed.
    expect(dev.stateless.publicSiteDir).toBeUndefined();
  });

  it('go from the stage context into the pages the site serves, and no channel without one', () => {
    const page = readFileSync(join(siteDir(numbers), 'ckb', 'index.html'), 'utf8');
    expect(page).toContain(
      '<a href="sms:+9647801112222" data-channel="sms"><bdi dir="ltr">+964 780 111 2222</bdi></a>',
    );
    expect(page).toContain('<a href="tel:5040" data-channel="hotline">');
    expect(page).not.toContain('data-channel="whatsapp"');
    expect(readFileSync(join(siteDir(site), 'ckb', 'index.html'), 'utf8')).not.toContain('class="contact"');
  });

  it('reach the function that renders pages for browsers without JavaScript, and the hotline that says them', () => {
    for (const fn of ['public-complaints', 'twilio-voice']) {
      const env = envOf(platformFunctions(numbers).get(fn)?.props ?? {});
      expect(env, fn).toMatchObject({ PUBLIC_SMS_NUMBER: '+9647801112222', PUBLIC_HOTLINE_NUMBER: '5040' });
      expect(env, fn).not.toHaveProperty('PUBLIC_WHATSAPP_NUMBER');
      expect(envOf(platformFunctions(dev).get(fn)?.props ?? {}), fn).not.toHaveProperty('PUBLIC_SMS_NUMBER');
    }
  });

  it('fail the synth when one cannot be dialled, naming its context key', () => {
    expect(() => synthPlatform('dev', { context: { publicWhatsappNumber: '5040' } })).toThrow(
      /context publicWhatsappNumber/,
    );
  });
});
