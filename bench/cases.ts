/**
 * Staff list, overdue and report requests with a large table loaded, each against one Query round trip on the
 * same table (a page of 25 from one byStatusDue partition), interleaved in the same run. Goal: ≤ 3× at p95.
 * Every DynamoDB request is counted by operation; the suite fails if any is a Scan.
 *
 * The cases (and the aggregates the projector would have written for them) go straight into a temporary table
 * of a private DynamoDB Local with BatchWriteItem. 100,000 cases take a few minutes to load on 2 cores, so the
 * default is 20,000; `BENCH_FULL=1` loads 100,000 (`BENCH_CASES=n` sets any number).
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteItemCommand, type BatchWriteItemCommandOutput } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handler as casesHandler } from '#functions/cases/handler.ts';
import { makePlatform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { handler as reportsHandler } from '#functions/reports/handler.ts';
import { ensureTable, localAwsClients, startDynamoLocal } from '#local/dynamodb-local.ts';
import { freePort } from '#local/ports.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { caseIndexAttributes, caseKeys } from '#shared/cases/case-keys.ts';
import { type Case, CaseSchema } from '#shared/cases/case-schema.ts';
import { CATEGORIES } from '#shared/classification/taxonomy.ts';
import { aggKeys, contributionOf, isValuesKey } from '#shared/reports/aggregates.ts';
import { encodeDurations } from '#shared/reports/duration-list.ts';
import { type DynamoDb, marshallItem } from '#shared/store/dynamodb.ts';
import { REFERENCE_ALPHABET } from '#shared/store/ids.ts';
import { percentile, round, timed } from './stats.ts';
import type { BenchResult } from './types.ts';

const CASES = Number(process.env.BENCH_CASES ?? (process.env.BENCH_FULL === '1' ? 100_000 : 20_000));
const ROUNDS = Number(process.env.BENCH_CASES_ROUNDS ?? 200);
const WARM_UP = 20;
const NOW = Date.parse('2026-06-15T09:00:00.000Z');
const DAY = 86_400_000;
const STATUSES = [
  ['new', 30],
  ['acknowledged', 15],
  ['in_progress', 15],
  ['referred', 5],
  ['resolved', 5],
  ['closed', 30],
] as const;
const GOVERNORATES = Array.from({ length: 18 }, (_, i) => `IQG${String(i + 1).padStart(2, '0')}`);

/** A deterministic pseudo-random sequence, so every run loads the same table. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** A distinct, valid reference per index: the index in base 30 over the reference alphabet. */
function referenceOf(i: number): string {
  let n = i + 30 ** 7;
  let out = '';
  for (let k = 0; k < 8; k++) {
    out = (REFERENCE_ALPHABET[n % 30] as string) + out;
    n = Math.floor(n / 30);
  }
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

function makeCase(i: number, rand: () => number): Case {
  const receivedAt = new Date(NOW - Math.floor(rand() * 360 * DAY)).toISOString();
  let pick = rand() * 100;
  let status: Case['status'] = 'new';
  for (const [s, w] of STATUSES) {
    if (pick < w) {
      status = s;
      break;
    }
    pick -= w;
  }
  const received = Date.parse(receivedAt);
  const dueShift = (rand() - 0.3) * 20 * DAY; // about 30 % overdue
  const stamp = (d: number) => new Date(Math.min(NOW, received + d)).toISOString();
  // Each case takes its own time (to the second), so the exact times to close are as many as the cases closed.
  const took = DAY + Math.floor(rand() * 20 * DAY);
  const done = status === 'resolved' || status === 'closed';
  const reference = referenceOf(i);
  return CaseSchema.parse({
    caseId: reference,
    reference,
    version: 3,
    status,
    channel: (['sms', 'voice', 'web', 'hotline'] as const)[i % 4],
    language: (['ar', 'ckb', 'kmr', 'en'] as const)[i % 4],
    type: 'complaint',
    category: CATEGORIES[Math.floor(rand() * 6)],
    sector: null,
    sensitivity: rand() < 0.05 ? 'S3' : 'S0',
    urgency: 'none',
    classification: { source: 'classifier', changedByOfficer: rand() < 0.1 },
    narrative: `Bench case ${i}: the water point in block ${i % 40} has been broken for days.`,
    location: { governorate: GOVERNORATES[i % GOVERNORATES.length] },
    consentToFollowUp: false,
    idempotencyKey: `bench-${i}`,
    receivedAt,
    acknowledgedAt: status === 'new' ? undefined : stamp(DAY),
    firstActionAt: ['new', 'acknowledged'].includes(status) ? undefined : stamp(2 * DAY),
    resolvedAt: done ? stamp(took) : undefined,
    closedAt: status === 'closed' ? stamp(took + DAY) : undefined,
    loopClosedBy: status === 'closed' && rand() < 0.7 ? 'sms' : undefined,
    routing: { focalPoints: ['accountability-officer'], ruleId: 'default', routedAt: receivedAt },
    sla: {
      policyId: 'complaint',
      clock: 'working',
      acknowledgeBy: new Date(NOW + dueShift - 5 * DAY).toISOString(),
      resolveBy: new Date(NOW + dueShift).toISOString(),
    },
    createdBy: { kind: 'complainant' },
    updatedAt: receivedAt,
  });
}

async function batchWrite(db: DynamoDb, table: string, items: Record<string, unknown>[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item: marshallItem(Item) } }));
  for (let round = 0; pending.length && round < 10; round++) {
    const out: BatchWriteItemCommandOutput = await db.client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
    );
    pending = (out.UnprocessedItems?.[table] ?? []).flatMap((r) =>
      r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
    );
    if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
  }
  if (pending.length) throw new Error('BatchWriteItem left items unprocessed');
}

const claims = {
  officer: { sub: 'bench-officer', 'cognito:groups': '[officer]' },
  psea: { sub: 'bench-psea', 'cognito:groups': '[psea]' },
  manager: { sub: 'bench-manager', 'cognito:groups': '[manager]' },
} as const;

function event(
  routeKey: string,
  user: keyof typeof claims,
  query: Record<string, string>,
): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    queryStringParameters: query,
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      routeKey,
      authorizer: { jwt: { claims: claims[user], scopes: [] } },
    },
  } as unknown as APIGatewayProxyEventV2;
}

export async function run(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  try {
    const tableName = `bench-cases-${randomBytes(3).toString('hex')}`;
    await ensureTable(dynamo.db, tableName);
    const platform = makePlatform({
      stage: 'bench',
      aws: localAwsClients({ dynamodb: dynamo.endpoint }),
      tableName,
      topicArn: 'arn:aws:sns:me-central-1:000000000000:none',
      twilio: { accountSid: 'AC0', authToken: 'x', messagingFrom: '+9647000000000' },
      publicBaseUrl: 'https://cfm.example.org',
      keys: { encryptionKey: randomBytes(32), hashKey: randomBytes(32) },
      now: () => new Date(NOW),
    });
    const operations = new Map<string, number>();
    // Items DynamoDB evaluated for Queries (ScannedCount, before any FilterExpression): what a request reads.
    let itemsRead = 0;
    // Counted by a middleware on the platform's SDK client, so every request of every handler passes through it.
    platform.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        operations.set(operation, (operations.get(operation) ?? 0) + 1);
        const out = await next(args);
        if (operation === 'Query') itemsRead += (out.output as { ScannedCount?: number }).ScannedCount ?? 0;
        return out;
      },
      { step: 'initialize', name: 'benchOperationCounter' },
    );
    usePlatform(platform);

    // Load: case items as the store writes them, and the aggregates the projector would have summed.
    const rand = rng(2026);
    const started = performance.now();
    const aggregates = new Map<string, Record<string, number>>();
    const valueLists = new Map<string, Record<string, number[]>>();
    let batch: Record<string, unknown>[] = [];
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(i, rand);
      batch.push({ ...caseKeys.case(c.caseId), entity: 'case', ...c, ...caseIndexAttributes(c) });
      for (const [key, counters] of Object.entries(contributionOf(c, IRAQ_CALENDAR, 'federal'))) {
        if (isValuesKey(key)) {
          const lists = valueLists.get(key) ?? {};
          for (const [attr, v] of Object.entries(counters)) lists[attr] = [...(lists[attr] ?? []), v];
          valueLists.set(key, lists);
          continue;
        }
        const sum = aggregates.get(key) ?? {};
        for (const [k, v] of Object.entries(counters)) sum[k] = (sum[k] ?? 0) + v;
        aggregates.set(key, sum);
      }
      if (batch.length === 25) {
        flushes.push(batchWrite(platform.db, tableName, batch));
        batch = [];
        if (flushes.length >= 16) await Promise.all(flushes.splice(0));
      }
    }
    const aggItems: Record<string, unknown>[] = [...aggregates.entries()].map(([key, counters]) => {
      const [pk, sk] = key.split('|') as [string, string];
      return { pk, sk, entity: 'aggregate', ...counters };
    });
    for (const [key, lists] of valueLists) {
      const [pk, sk] = key.split('|') as [string, string];
      const item: Record<string, unknown> = { pk, sk, entity: 'aggregate-values', rev: 1 };
      for (const [attr, list] of Object.entries(lists))
        item[attr] = encodeDurations(list.sort((a, b) => a - b));
      aggItems.push(item);
    }
    // Every year's roll-ups were summed from the start, as the projector would have marked them.
    for (const year of new Set([...aggregates.keys()].map((k) => (k.split('|')[1] ?? '').slice(0, 4))))
      aggItems.push({ ...aggKeys.rollupMarker(year), entity: 'rollup-marker', year, complete: true });
    for (let i = 0; i < aggItems.length; i += 25)
      flushes.push(batchWrite(platform.db, tableName, aggItems.slice(i, i + 25)));
    await Promise.all(flushes.splice(0));
    await batchWrite(platform.db, tableName, batch);
    const loadSeconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `  loaded ${CASES} cases and ${aggItems.length} aggregates in ${loadSeconds.toFixed(0)} s\n`,
    );

    const baseline = () =>
      platform.db.query({
        TableName: tableName,
        IndexName: 'byStatusDue',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': caseKeys.statusPartition('new') },
        Limit: 25,
      });
    const invoke = async (h: typeof casesHandler, e: APIGatewayProxyEventV2) => {
      const res = (await h(e, {} as Context)) as HttpResult;
      if (res.statusCode !== 200)
        throw new Error(`bench request answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    };
    const requests: { name: string; work: () => Promise<void> }[] = [
      {
        name: 'list status=new (officer)',
        work: () => invoke(casesHandler, event('GET /api/cases', 'officer', { status: 'new', limit: '25' })),
      },
      {
        name: 'list status=new (psea, restricted partition merged)',
        work: () => invoke(casesHandler, event('GET /api/cases', 'psea', { status: 'new', limit: '25' })),
      },
      {
        name: 'list status=in_progress category=C03 (officer, filtered)',
        work: () =>
          invoke(
            casesHandler,
            event('GET /api/cases', 'officer', { status: 'in_progress', category: 'C03', limit: '25' }),
          ),
      },
      {
        name: 'list category=C03 (officer, no status: open by key, then resolved/closed)',
        work: () =>
          invoke(casesHandler, event('GET /api/cases', 'officer', { category: 'C03', limit: '25' })),
      },
      {
        name: 'list status=new category=C03 (psea, restricted partition merged)',
        work: () =>
          invoke(
            casesHandler,
            event('GET /api/cases', 'psea', { status: 'new', category: 'C03', limit: '25' }),
          ),
      },
      {
        name: 'overdue category=C03 (officer, every open status)',
        work: () =>
          invoke(
            casesHandler,
            event('GET /api/cases', 'officer', { overdue: 'true', category: 'C03', limit: '25' }),
          ),
      },
      {
        name: 'overdue (officer, byOpenDue)',
        work: () =>
          invoke(casesHandler, event('GET /api/cases', 'officer', { overdue: 'true', limit: '25' })),
      },
      {
        name: 'list last 12 months (officer, byMonth)',
        work: () => invoke(casesHandler, event('GET /api/cases', 'officer', { limit: '25' })),
      },
      ...(
        [
          ['12 months', '2025-07', '2026-06'],
          ['calendar year 2025', '2025-01', '2025-12'],
          ['2025-01..2026-06', '2025-01', '2026-06'],
        ] as const
      ).map(([period, from, to]) => ({
        name: `time-to-close report by category, ${period} (manager)`,
        work: () =>
          invoke(
            reportsHandler,
            event('GET /api/reports/time-to-close', 'manager', { groupBy: 'category', from, to }),
          ),
      })),
    ];

    const results: BenchResult[] = [];
    const reads: BenchResult[] = [];
    for (const r of requests) {
      const times: number[] = [];
      const base: number[] = [];
      let read = 0;
      let baseRead = 0;
      for (let i = 0; i < WARM_UP + ROUNDS; i++) {
        const before = itemsRead;
        const a = await timed(r.work);
        const between = itemsRead;
        const b = await timed(baseline);
        if (i >= WARM_UP) {
          times.push(a);
          base.push(b);
          read += between - before;
          baseRead += itemsRead - between;
        }
      }
      reads.push({
        name: `cases: ${r.name} items read per request (${CASES} cases)`,
        value: round(read / ROUNDS),
        unit: 'items',
        baseline: round(baseRead / ROUNDS),
        ratio: round(read / baseRead),
        goal: 'none (load-independent view of the p95 above)',
      });
      const value = percentile(times, 95);
      const baselineP95 = percentile(base, 95);
      results.push({
        name: `cases: ${r.name} p95 vs one Query (${CASES} cases)`,
        value: round(value),
        unit: 'ms',
        baseline: round(baselineP95),
        ratio: round(value / baselineP95),
        goal: '<= 3x',
      });
    }
    results.push(...reads);
    const scans = operations.get('Scan') ?? 0;
    results.push({
      name: `cases: Scan requests during load and ${requests.length * (WARM_UP + ROUNDS)} requests`,
      value: scans,
      unit: 'requests',
      baseline: operations.get('Query') ?? 0,
      ratio: 0,
      goal: '= 0 Scans (baseline: Queries made)',
    });
    if (scans > 0) throw new Error(`${scans} Scan requests were made`);
    return results;
  } finally {
    usePlatform(undefined);
    await dynamo.stop();
  }
}
