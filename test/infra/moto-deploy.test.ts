import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#functions/routes.ts';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { type Synthesized, synthPlatform } from './synth.ts';

/**
 * Deploys both stacks of prod, from the synthesised templates, to moto's server (CloudFormation and the services
 * behind it, emulated) with the AWS CLI, as a deployment would: bootstrap resources first (the version parameter
 * and the assets bucket with the functions' code), then the stateful stack, then the stateless one. What moto
 * lacks is added by `moto/cfn_server.py`, the one place for those workarounds (listed in docs/deploy.md).
 */

type Received = { Messages?: { Body: string }[] };

const REGION = 'me-central-1';
const ACCOUNT = '123456789012'; // moto's default account
const run = promisify(execFile);

let moto: ChildProcess | undefined;
let endpoint = '';
let synthesized: Synthesized;
let motoLog = '';

/**
 * The AWS CLI against moto, with no profile or credentials of this machine involved; answers its JSON output,
 * typed by the caller as the part of the AWS answer it reads.
 */
async function aws<T = unknown>(...args: string[]): Promise<T> {
  const { stdout } = await run('aws', [...args, '--endpoint-url', endpoint, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(
      `aws ${args.slice(0, 2).join(' ')} failed: ${err.stderr || err.message}\nmoto's log ends:\n${motoLog.slice(-3000)}`,
    );
  });
  return (stdout.trim().startsWith('{') ? JSON.parse(stdout) : {}) as T;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `check` until it answers true, or fails after `deadlineMs` saying what it waited for. */
async function until(what: string, check: () => Promise<boolean>, deadlineMs = 120_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}\nmoto's log ends:\n${motoLog.slice(-3000)}`);
}

async function createStack(name: string, templateFile: string): Promise<void> {
  await aws(
    'cloudformation',
    'create-stack',
    '--stack-name',
    name,
    '--template-body',
    `file://${templateFile}`,
    '--capabilities',
    'CAPABILITY_IAM',
    'CAPABILITY_NAMED_IAM',
  );
  let status = '';
  await until(`${name} to be created`, async () => {
    const out = await aws<{ Stacks: { StackStatus: string }[] }>(
      'cloudformation',
      'describe-stacks',
      '--stack-name',
      name,
    );
    status = out.Stacks[0]!.StackStatus;
    return status !== 'CREATE_IN_PROGRESS';
  });
  expect({ name, status }).toEqual({ name, status: 'CREATE_COMPLETE' });
}

beforeAll(async () => {
  synthesized = synthPlatform('prod');
  const assembly = synthesized.app.synth();
  const template = (stackId: string) => join(assembly.directory, `${stackId}.template.json`);

  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn('python3', [join(PROJECT_ROOT, 'test/infra/moto/cfn_server.py'), String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    motoLog = (motoLog + chunk.toString()).slice(-20_000);
  };
  moto.stdout?.on('data', keep);
  moto.stderr?.on('data', keep);
  moto.once('error', (err) => {
    motoLog += `\ncould not start python3: ${err.message}`;
  });
  await until('moto to answer (python3 with moto installed: pip install "moto[server]==5.2.1")', async () => {
    if (moto?.exitCode !== null) throw new Error('moto exited');
    return (await fetch(`${endpoint}/moto-api/`)).ok;
  });

  // What `cdk bootstrap` and asset publishing put in place: the bootstrap version parameter and the assets
  // bucket with each function's code (any zip does; moto runs no function here).
  await aws(
    'ssm',
    'put-parameter',
    '--name',
    '/cdk-bootstrap/hnb659fds/version',
    '--value',
    '27',
    '--type',
    'String',
  );
  const bucket = `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`;
  await aws(
    's3api',
    'create-bucket',
    '--bucket',
    bucket,
    '--create-bucket-configuration',
    `LocationConstraint=${REGION}`,
  );
  const assets = mkdtempSync(join(tmpdir(), 'cfm-moto-assets-'));
  mkdirSync(assets, { recursive: true });
  const emptyZip = Buffer.from(`504b0506${'00'.repeat(18)}`, 'hex');
  for (const stack of [synthesized.stateful, synthesized.stateless]) {
    const manifest = JSON.parse(
      readFileSync(join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'),
    ) as {
      files: Record<string, { destinations: Record<string, { objectKey: string }> }>;
    };
    for (const file of Object.values(manifest.files)) {
      for (const d of Object.values(file.destinations)) {
        if (d.objectKey.endsWith('.zip')) writeFileSync(join(assets, d.objectKey), emptyZip);
      }
    }
  }
  await aws('s3', 'sync', assets, `s3://${bucket}/`, '--only-show-errors');

  await createStack('cfm-prod-stateful', template(synthesized.stateful.artifactId));
  await createStack('cfm-prod-stateless', template(synthesized.stateless.artifactId));
});

afterAll(async () => {
  if (!moto || moto.exitCode !== null) return;
  const exited = new Promise((resolve) => moto?.once('exit', resolve));
  moto.kill('SIGTERM');
  await exited;
});

describe('both prod stacks, created on moto from the synthesised templates', () => {
  it('the case table with its five indexes and its stream', async () => {
    const { Table } = await aws<{
      Table: {
        TableStatus: string;
        GlobalSecondaryIndexes: { IndexName: string }[];
        StreamSpecification: unknown;
        LatestStreamArn: string;
      };
    }>('dynamodb', 'describe-table', '--table-name', 'cfm-prod-cases');
    expect(Table.TableStatus).toBe('ACTIVE');
    expect(Table.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName).sort()).toEqual(
      ['byCategoryStatus', 'byMonth', 'byOpenDue', 'byPhone', 'byStatusDue'].sort(),
    );
    expect(Table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table.LatestStreamArn).toContain('cfm-prod-cases/stream/');
  });

  it('the case-events topic, whose filter policy sends the notifier queue only what is meant for complainants', async () => {
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:cfm-prod-case-events`;
    const { Attributes } = await aws<{ Attributes: Record<string, string> }>(
      'sns',
      'get-topic-attributes',
      '--topic-arn',
      topicArn,
    );
    expect(Attributes.KmsMasterKeyId).toBeTruthy();
    for (const audience of ['complainant', 'focal-point']) {
      await aws(
        'sns',
        'publish',
        '--topic-arn',
        topicArn,
        '--message',
        JSON.stringify({ audience }),
        '--message-attributes',
        JSON.stringify({ audience: { DataType: 'String', StringValue: audience } }),
      );
    }
    const { QueueUrl } = await aws<{ QueueUrl: string }>(
      'sqs',
      'get-queue-url',
      '--queue-name',
      'cfm-prod-notifier',
    );
    const received: string[] = [];
    // SNS → SQS delivery is asynchronous in moto too: wait until the one message arrived, then for any other.
    await until('the complainant message in the notifier queue', async () => {
      const out = await aws<Received>(
        'sqs',
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--max-number-of-messages',
        '10',
      );
      for (const m of out.Messages ?? []) received.push(m.Body);
      return received.length > 0;
    });
    const rest = await aws<Received>(
      'sqs',
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--wait-time-seconds',
      '2',
    );
    for (const m of rest.Messages ?? []) received.push(m.Body);
    expect(received).toEqual([JSON.stringify({ audience: 'complainant' })]);
  });

  it('every queue: the notifier queue with its DLQ, and the dead-letter queues of every other path', async () => {
    const { QueueUrls } = await aws<{ QueueUrls: string[] }>(
      'sqs',
      'list-queues',
      '--queue-name-prefix',
      'cfm-prod-',
    );
    const names = QueueUrls.map((u) => u.split('/').pop()).sort();
    expect(names).toEqual(
      [
        'cfm-prod-alarms-dlq',
        'cfm-prod-focal-point-dlq',
        'cfm-prod-inbox-dlq',
        'cfm-prod-notifier',
        'cfm-prod-notifier-dlq',
        'cfm-prod-projector-dlq',
        'cfm-prod-router-dlq',
        'cfm-prod-schedules-dlq',
      ].sort(),
    );
    const notifier = QueueUrls.find((u) => u.endsWith('/cfm-prod-notifier'))!;
    const { Attributes } = await aws<{ Attributes: Record<string, string> }>(
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      notifier,
      '--attribute-names',
      'All',
    );
    expect(JSON.parse(Attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:cfm-prod-notifier-dlq`,
      maxReceiveCount: 5,
    });
  });

  it('the staff user pool with its five role groups and the console client', async () => {
    const { UserPools } = await aws<{ UserPools: { Id: string; Name: string }[] }>(
      'cognito-idp',
      'list-user-pools',
      '--max-results',
      '10',
    );
    const pool = UserPools.find((p) => p.Name === 'cfm-prod-staff')!;
    expect(pool).toBeDefined();
    const { Groups } = await aws<{ Groups: { GroupName: string }[] }>(
      'cognito-idp',
      'list-groups',
      '--user-pool-id',
      pool.Id,
    );
    expect(Groups.map((g: { GroupName: string }) => g.GroupName).sort()).toEqual([
      'admin',
      'manager',
      'officer',
      'operator',
      'psea',
    ]);
    const { UserPoolClients } = await aws<{ UserPoolClients: { ClientName: string }[] }>(
      'cognito-idp',
      'list-user-pool-clients',
      '--user-pool-id',
      pool.Id,
    );
    expect(UserPoolClients.map((c: { ClientName: string }) => c.ClientName)).toEqual(['cfm-prod-console']);
  });

  it('the 16 functions, with the table stream and the notifier queue mapped to their consumers', async () => {
    const { Functions } = await aws<{ Functions: { FunctionName: string }[] }>('lambda', 'list-functions');
    const names = Functions.map((f) => f.FunctionName).filter((n) => n.startsWith('cfm-prod-'));
    expect(names).toHaveLength(16);
    const { EventSourceMappings } = await aws<{
      EventSourceMappings: { FunctionArn: string; EventSourceArn: string }[];
    }>('lambda', 'list-event-source-mappings');
    const mapped = EventSourceMappings.map(
      (m) =>
        `${m.FunctionArn.split(':').pop()} ← ${m.EventSourceArn.includes(':dynamodb:') ? 'stream' : m.EventSourceArn.split(':').pop()}`,
    ).sort();
    expect(mapped).toEqual([
      'cfm-prod-inbox ← stream',
      'cfm-prod-notifier ← cfm-prod-notifier',
      'cfm-prod-projector ← stream',
      'cfm-prod-router ← stream',
    ]);
  });

  it('the 24 routes, the JWT authorizer on the 16 staff ones, and each route’s throttle on the stage', async () => {
    const { Items: apis } = await aws<{ Items: { Name: string; ApiId: string }[] }>(
      'apigatewayv2',
      'get-apis',
    );
    const api = apis.find((a) => a.Name === 'cfm-prod-api')!;
    const { Items: routes } = await aws<{
      Items: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: string }[];
    }>('apigatewayv2', 'get-routes', '--api-id', api.ApiId);
    const byKey = new Map(routes.map((r) => [r.RouteKey, r]));
    expect([...byKey.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
    // One authorizer for every staff route: a JWT authorizer checking tokens issued by the staff user pool.
    const authorizerIds = new Set(routes.flatMap((r) => (r.AuthorizerId ? [r.AuthorizerId] : [])));
    expect(authorizerIds.size).toBe(1);
    const [authorizerId] = [...authorizerIds];
    const authorizer = await aws<{ AuthorizerType: string; JwtConfiguration: { Issuer: string } }>(
      'apigatewayv2',
      'get-authorizer',
      '--api-id',
      api.ApiId,
      '--authorizer-id',
      authorizerId!,
    );
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.JwtConfiguration.Issuer).toMatch(
      new RegExp(`^https://cognito-idp\\.${REGION}\\.amazonaws\\.com/${REGION}_`),
    );
    const staff = ROUTES.filter((r) => r.auth !== 'public');
    expect(staff).toHaveLength(16);
    for (const spec of ROUTES) {
      const route = byKey.get(routeKey(spec))!;
      const expected =
        spec.auth === 'public' ? { type: 'NONE', id: undefined } : { type: 'JWT', id: authorizerId };
      expect({
        route: routeKey(spec),
        type: route.AuthorizationType ?? 'NONE',
        id: route.AuthorizerId,
      }).toEqual({
        route: routeKey(spec),
        ...expected,
      });
    }
    const { Items: stages } = await aws<{
      Items: { RouteSettings: Record<string, { ThrottlingRateLimit: number }> }[];
    }>('apigatewayv2', 'get-stages', '--api-id', api.ApiId);
    expect(Object.keys(stages[0]!.RouteSettings).sort()).toEqual(ROUTES.map(routeKey).sort());
    expect(stages[0]!.RouteSettings['POST /webhooks/twilio/sms']!.ThrottlingRateLimit).toBeGreaterThan(
      stages[0]!.RouteSettings['POST /api/public/complaints']!.ThrottlingRateLimit,
    );
  });

  it('the alarms, each notifying the alarm topic, and the schedules with their dead-letter queue', async () => {
    const { MetricAlarms } = await aws<{ MetricAlarms: { AlarmName: string; AlarmActions: string[] }[] }>(
      'cloudwatch',
      'describe-alarms',
      '--alarm-name-prefix',
      'cfm-prod-',
    );
    const expectedCount = Object.keys(
      synthesized.statelessTemplate.findResources('AWS::CloudWatch::Alarm'),
    ).length;
    expect(MetricAlarms).toHaveLength(expectedCount);
    for (const alarm of MetricAlarms) {
      expect({ alarm: alarm.AlarmName, actions: alarm.AlarmActions }).toEqual({
        alarm: alarm.AlarmName,
        actions: [`arn:aws:sns:${REGION}:${ACCOUNT}:cfm-prod-alarms`],
      });
    }
    const { Schedules } = await aws<{ Schedules: { Name: string }[] }>('scheduler', 'list-schedules');
    expect(Schedules.map((s: { Name: string }) => s.Name).sort()).toEqual([
      'cfm-prod-retention',
      'cfm-prod-sweeper',
    ]);
    const sweeper = await aws<{ Target: { DeadLetterConfig: { Arn: string } } }>(
      'scheduler',
      'get-schedule',
      '--name',
      'cfm-prod-sweeper',
    );
    expect(sweeper.Target.DeadLetterConfig.Arn).toBe(
      `arn:aws:sqs:${REGION}:${ACCOUNT}:cfm-prod-schedules-dlq`,
    );
  });
});
