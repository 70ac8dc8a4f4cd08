import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#functions/routes.ts';
import { alarmRecipientKey } from '#shared/routing/subscription-dlq.ts';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { PROD_REQUIRED_CONTEXT, type Synthesized, synthPlatform } from './synth.ts';

/**
 * Deploys both stacks of prod, from the synthesised templates, to moto's server (CloudFormation and the services
 * behind it, emulated) with the AWS CLI, as a deployment would: bootstrap resources first (the version parameter
 * and the assets bucket with the functions' code), then the stateful stack, then the stateless one. What was
 * created is read back with the AWS SDK for Python in one process (`moto/inventory.py`). What moto lacks is added
 * by `moto/cfn_server.py`, the one place for those workarounds (listed in docs/deploy.md).
 */

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

/** What `moto/inventory.py` reads back. */
interface Inventory {
  table: { status: string; indexes: string[]; stream: unknown; streamArn: string | null };
  topic: { arn: string; kmsKey: string | null };
  queues: Record<string, { redrivePolicy: { deadLetterTargetArn: string; maxReceiveCount: number } | null }>;
  userPool: { id: string; groups: string[]; clients: string[] };
  functions: string[];
  eventSourceMappings: { function: string; source: string }[];
  api: {
    routes: { key: string; authorization: string; authorizerId: string | null }[];
    authorizers: Record<string, { type: string; issuer: string }>;
    stages: { name: string; routeSettings: Record<string, { ThrottlingRateLimit: number }> }[];
  };
  alarms: { name: string; actions: string[] }[];
  schedules: Record<string, string | null>;
  notifierReceived: string[];
}

describe('both prod stacks, created on moto from the synthesised templates', () => {
  let inventory: Inventory;

  beforeAll(async () => {
    const { stdout } = await run(
      'python3',
      [join(PROJECT_ROOT, 'test/infra/moto/inventory.py'), endpoint, REGION, 'prod'],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stderr?: string; message: string }) => {
      throw new Error(
        `reading back the stacks failed: ${err.stderr || err.message}\nmoto's log ends:\n${motoLog.slice(-3000)}`,
      );
    });
    inventory = JSON.parse(stdout) as Inventory;
  });

  it('the case table with its five indexes and its stream', () => {
    expect(inventory.table.status).toBe('ACTIVE');
    expect(inventory.table.indexes).toEqual([
      'byCategoryStatus',
      'byMonth',
      'byOpenDue',
      'byPhone',
      'byStatusDue',
    ]);
    expect(inventory.table.stream).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(inventory.table.streamArn).toContain('cfm-prod-cases/stream/');
  });

  it('the case-events topic, encrypted, whose filter policy sends the notifier queue only complainant events', () => {
    expect(inventory.topic.arn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:cfm-prod-case-events`);
    expect(inventory.topic.kmsKey).toBeTruthy();
    expect(inventory.notifierReceived.map((body) => JSON.parse(body))).toEqual([{ audience: 'complainant' }]);
  });

  it('every queue: the notifier queue with its DLQ, and the dead-letter queues of every other path', () => {
    expect(Object.keys(inventory.queues).sort()).toEqual(
      [
        `cfm-prod-alarms-${alarmRecipientKey(PROD_REQUIRED_CONTEXT.alarmEmail)}-dlq`,
        'cfm-prod-gateway-outbox-dlq',
        'cfm-prod-inbox-dlq',
        'cfm-prod-notifier',
        'cfm-prod-notifier-dlq',
        'cfm-prod-projector-dlq',
        'cfm-prod-router-dlq',
        'cfm-prod-schedules-dlq',
      ].sort(),
    );
    expect(inventory.queues['cfm-prod-notifier']!.redrivePolicy).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:cfm-prod-notifier-dlq`,
      maxReceiveCount: 5,
    });
  });

  it('the staff user pool with its five role groups and the console client', () => {
    expect(inventory.userPool.groups).toEqual(['admin', 'manager', 'officer', 'operator', 'psea']);
    expect(inventory.userPool.clients).toEqual(['cfm-prod-console']);
  });

  it('the 20 functions, with the table stream and the notifier queue mapped to their consumers', () => {
    expect(inventory.functions).toHaveLength(20);
    const mapped = inventory.eventSourceMappings
      .map((m) => `${m.function} ← ${m.source.includes(':dynamodb:') ? 'stream' : m.source.split(':').pop()}`)
      .sort();
    expect(mapped).toEqual([
      'cfm-prod-gateway-outbox ← stream',
      'cfm-prod-inbox ← stream',
      'cfm-prod-notifier ← cfm-prod-notifier',
      'cfm-prod-projector ← stream',
      'cfm-prod-router ← stream',
    ]);
    expect(
      inventory.eventSourceMappings.every(
        (m) => !m.source.includes(':dynamodb:') || m.source === inventory.table.streamArn,
      ),
    ).toBe(true);
  });

  it('the 34 routes, the user pool’s JWT authorizer on exactly the 23 staff ones, and each route’s throttle', () => {
    const byKey = new Map(inventory.api.routes.map((r) => [r.key, r]));
    expect([...byKey.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
    const authorizerIds = Object.keys(inventory.api.authorizers);
    expect(authorizerIds).toHaveLength(1);
    const authorizerId = authorizerIds[0]!;
    expect(inventory.api.authorizers[authorizerId]).toEqual({
      type: 'JWT',
      issuer: `https://cognito-idp.${REGION}.amazonaws.com/${inventory.userPool.id}`,
    });
    expect(ROUTES.filter((r) => r.auth !== 'public')).toHaveLength(23);
    for (const spec of ROUTES) {
      const route = byKey.get(routeKey(spec))!;
      const expected = spec.auth === 'public' ? ['NONE', null] : ['JWT', authorizerId];
      expect({ route: route.key, auth: [route.authorization, route.authorizerId] }).toEqual({
        route: route.key,
        auth: expected,
      });
    }
    expect(inventory.api.stages).toHaveLength(1);
    const settings = inventory.api.stages[0]!.routeSettings;
    expect(Object.keys(settings).sort()).toEqual(ROUTES.map(routeKey).sort());
    expect(settings['POST /webhooks/twilio/sms']!.ThrottlingRateLimit).toBeGreaterThan(
      settings['POST /api/public/complaints']!.ThrottlingRateLimit,
    );
  });

  it('every alarm of the template, each notifying the alarm topic, and the schedules with their dead-letter queue', () => {
    const expected = Object.values(synthesized.statelessTemplate.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => (a as { Properties: { AlarmName: string } }).Properties.AlarmName)
      .sort();
    expect(inventory.alarms.map((a) => a.name).sort()).toEqual(expected);
    for (const alarm of inventory.alarms) {
      expect({ alarm: alarm.name, actions: alarm.actions }).toEqual({
        alarm: alarm.name,
        actions: [`arn:aws:sns:${REGION}:${ACCOUNT}:cfm-prod-alarms`],
      });
    }
    const dlq = `arn:aws:sqs:${REGION}:${ACCOUNT}:cfm-prod-schedules-dlq`;
    expect(inventory.schedules).toEqual({ 'cfm-prod-retention': dlq, 'cfm-prod-sweeper': dlq });
  });
});
