/**
 * `npm run bench:cost`: what a case costs on AWS, measured. Starts the local stack in this process (DynamoDB Local,
 * the SNS/SQS emulator, every handler) and takes N cases through their whole life over HTTP, as people do: a signed
 * SMS complaint (the webhook; the inbox opens the case; the router routes it; the notifier sends the reference;
 * Twilio's stand-in posts sent/delivered callbacks), an officer opens it, acknowledges and resolves it (the outcome
 * SMS), the complainant answers "1" (the projector closes it). The sweeper runs once at the end, apart.
 *
 * Every DynamoDB request the handlers make asks for `ReturnConsumedCapacity: 'INDEXES'` (added by a middleware on
 * the platform's client) and the units are summed per function. DynamoDB Local reports table and index units per
 * request, but does not double transactional writes as DynamoDB does: transactions are counted twice here. SNS
 * publishes are counted on the platform's SNS client; Lambda invocations, records and handler time by wrapping each
 * handler call (LocalStackOptions.invoke); log bytes by counting what the handlers print at INFO.
 *
 * Prints the figures per case and per function, and the $ per 10,000 cases (bench/cost-model.ts); `--write` saves
 * the per-case figures to bench/cost-measured.json, from which docs/cost.md's table is made.
 * `BENCH_COST_CASES=n` sets the number of cases (default 60).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROUTE_GROUPS } from '#functions/routes.ts';
import { SENDER_PK_PREFIX } from '#shared/intake/sender.ts';
import { GATEWAY_OUT_PREFIX } from '#shared/intake/transports/gateway-outbox.ts';
import { topology } from '#shared/messaging/topology.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.LOG_LEVEL = 'INFO';

const CASES = Number(process.env.BENCH_COST_CASES ?? 60);
/**
 * Cases in flight at once. One by default: at 10,000 cases a month a case's writes reach the stream consumers on
 * their own, as here, so the projector's per-batch saving is not counted where it would not happen.
 */
const WAVE = Number(process.env.BENCH_COST_WAVE ?? 1);
const TEXT = 'The water tank in our camp has been empty for five days and nobody comes.';

interface FnTally {
  invocations: number;
  records: number;
  ms: number;
  readUnits: number;
  writeUnits: number;
  transactWriteUnits: number;
  indexWriteUnits: number;
  /** Index units caused by transactions: DynamoDB would bill these twice too if it doubles them (unclear). */
  transactIndexUnits: number;
  snsPublishes: number;
  requests: Record<string, number>;
}

const current = new AsyncLocalStorage<string>();
const tallies = new Map<string, FnTally>();
const tally = (fn: string): FnTally => {
  let t = tallies.get(fn);
  if (!t) {
    t = {
      invocations: 0,
      records: 0,
      ms: 0,
      readUnits: 0,
      writeUnits: 0,
      transactWriteUnits: 0,
      indexWriteUnits: 0,
      transactIndexUnits: 0,
      snsPublishes: 0,
      requests: {},
    };
    tallies.set(fn, t);
  }
  return t;
};

const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
}

/** Table and index units of a response's ConsumedCapacity (asked for with INDEXES). */
function unitsOf(c: Capacity | Capacity[] | undefined): { table: number; indexes: number } {
  let table = 0;
  let indexes = 0;
  for (const x of Array.isArray(c) ? c : c ? [c] : []) {
    const total = x.CapacityUnits ?? 0;
    const own = x.Table?.CapacityUnits ?? total;
    table += own;
    indexes += total - own;
  }
  return { table, indexes };
}

let logBytes = 0;
let counting = false;

export async function measure(cases: number) {
  const { startLocalStack } = await import('#local/stack.ts');
  const { userForRole, LOCAL_USERS } = await import('#local/users.ts');
  const { sendSms } = await import('../scripts/lib/sms-sim.ts');

  // What the handlers print is counted (prod logs at INFO) and kept off the terminal.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (current.getStore()) {
      if (counting) logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return true;
    }
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;

  const stack = await startLocalStack({
    log: () => {},
    seed: true,
    sweepEveryMs: 24 * 3_600_000,
    retentionEveryMs: 24 * 3_600_000,
    publicRateLimit: { perMinute: 100_000, burst: 100_000 },
    invoke: async (fn, event, call) => {
      if (counting) countRecords(fn, event);
      const start = performance.now();
      try {
        return await current.run(fn, call);
      } finally {
        if (counting) {
          const t = tally(fn);
          t.invocations++;
          t.ms += performance.now() - start;
        }
      }
    },
  });
  try {
    const { platform } = stack;
    platform.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context as { commandName?: string }).commandName ?? '';
        const fn = current.getStore();
        if (!fn || !counting || !CAPACITY_COMMANDS.has(command)) return next(args);
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
        const out = await next(args);
        const t = tally(fn);
        t.requests[command] = (t.requests[command] ?? 0) + 1;
        const { table, indexes } = unitsOf(
          (out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity,
        );
        // DynamoDB bills a transaction's items twice (prepare and commit); DynamoDB Local does not. The index
        // writes a transaction causes are counted once (AWS documents the doubling per item written).
        if (command === 'TransactWriteItemsCommand') {
          t.transactWriteUnits += 2 * table;
          t.writeUnits += indexes;
          t.indexWriteUnits += indexes;
          t.transactIndexUnits += indexes;
        } else if (command === 'TransactGetItemsCommand') t.readUnits += 2 * table + indexes;
        else if (READS.has(command)) t.readUnits += table + indexes;
        else {
          t.writeUnits += table + indexes;
          t.indexWriteUnits += indexes;
        }
        return out;
      },
      { step: 'initialize', name: 'costBenchCapacity' },
    );
    const sns = await (
      platform.sns as unknown as { client: () => Promise<import('@aws-sdk/client-sns').SNSClient> }
    ).client();
    sns.middlewareStack.add(
      (next, context) => async (args) => {
        const fn = current.getStore();
        if (fn && counting && (context as { commandName?: string }).commandName === 'PublishCommand')
          tally(fn).snsPublishes++;
        return next(args);
      },
      { step: 'initialize', name: 'costBenchSns' },
    );

    const tokenOf = async (role: 'officer' | 'admin') => {
      const user = userForRole(role) ?? LOCAL_USERS[0];
      if (!user) throw new Error(`no local ${role}`);
      return (await stack.tokens.issue(user)).token;
    };
    const officer = await tokenOf('officer');
    const admin = await tokenOf('admin');
    const api = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${stack.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${officer}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (res.status >= 300)
        throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const idle = async () => {
      const res = await fetch(`${stack.url}/dev/idle?timeoutMs=300000`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      if (res.status !== 200) throw new Error(`the local stack was not idle: ${await res.text()}`);
    };
    const sms = (from: string, body: string) =>
      sendSms(
        {
          url: stack.url,
          publicBaseUrl: stack.url,
          authToken: stack.twilio.authToken,
          accountSid: stack.twilio.accountSid,
        },
        { from, to: '+9647000000000', body },
      );

    // The local stack's seed and the focal points' subscriptions settle before counting starts.
    await idle();
    counting = true;
    const outboxBefore = stack.outbox.list(() => true).length;
    const inboxBefore = stack.inbox.list(() => true).length;
    let closed = 0;
    for (let first = 0; first < cases; first += WAVE) {
      const phones = Array.from(
        { length: Math.min(WAVE, cases - first) },
        (_, i) => `+96477${String(10_000_000 + first + i)}`,
      );
      const ids = await Promise.all(
        phones.map(async (phone, i) => {
          const out = await sms(phone, `${TEXT} (${first + i})`);
          const id = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(out.twiml)?.[0];
          if (out.status !== 200 || !id) throw new Error(`the SMS webhook answered ${out.status}`);
          return id;
        }),
      );
      await idle();
      await Promise.all(
        ids.map(async (id) => {
          const { case: c } = (await api('GET', `/api/cases/${id}`)) as { case: { version: number } };
          let version = c.version;
          for (const body of [{ action: 'acknowledge' }, { action: 'resolve', outcome: 'corrected' }]) {
            const r = await api('POST', `/api/cases/${id}/transitions`, body, {
              'if-match': String(version),
            });
            version = r.version as number;
          }
        }),
      );
      await idle();
      await Promise.all(phones.map((phone) => sms(phone, '1')));
      await idle();
      for (const id of ids) {
        const c = await platform.cases.get(id);
        if (c?.status === 'closed') closed++;
      }
    }
    if (closed !== cases) throw new Error(`${closed} of ${cases} cases closed`);
    const outbound = stack.outbox.list(() => true).length - outboxBefore;
    const focalPointNotifications = stack.inbox.list(() => true).length - inboxBefore;
    const sqsMessages = tally('notifier').records;
    counting = false;

    // The sweeper once, apart: its cost is per run (every five minutes), not per case.
    const sweeperBefore = { ...tally('sweeper') };
    counting = true;
    await stack.runScheduled('sweeper');
    counting = false;
    const sweeper = tally('sweeper');
    tallies.delete('sweeper');

    return {
      cases,
      outbound,
      focalPointNotifications,
      sqsMessages,
      tallies: new Map(tallies),
      sweeperRun: {
        readUnits: sweeper.readUnits - sweeperBefore.readUnits,
        writeUnits:
          sweeper.writeUnits +
          sweeper.transactWriteUnits -
          sweeperBefore.writeUnits -
          sweeperBefore.transactWriteUnits,
        ms: sweeper.ms - sweeperBefore.ms,
      },
    };
  } finally {
    counting = false;
    await stack.stop();
    process.stdout.write = write;
  }
}

/**
 * Whether a value matches a Lambda event filter pattern, for the shapes the stream mappings use: an object matches
 * field by field, an array lists the values (or `{ prefix }` rules) one of which must match.
 */
function matches(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern))
    return pattern.some((p) =>
      typeof p === 'object' && p !== null && 'prefix' in p
        ? typeof value === 'string' && value.startsWith(String((p as { prefix: string }).prefix))
        : value === p,
    );
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof value !== 'object' || value === null) return false;
    return Object.entries(pattern).every(([k, p]) => matches((value as Record<string, unknown>)[k], p));
  }
  return value === pattern;
}

/** The records each stream consumer's mapping passes to it in AWS (infra/stacks/stateless-stack.ts). */
const AWS_FILTERS: Record<string, unknown> = {
  router: topology.streamConsumers.router.filter,
  projector: topology.streamConsumers.projector.filter,
  inbox: { dynamodb: { Keys: { pk: { S: [{ prefix: SENDER_PK_PREFIX }] } } } },
  'gateway-outbox': {
    eventName: ['INSERT'],
    dynamodb: { Keys: { pk: { S: [{ prefix: GATEWAY_OUT_PREFIX }] } } },
  },
};

/**
 * Counts the records handed to a stream consumer or queue subscriber; for a stream consumer only those its
 * mapping's filter lets through in AWS (the local pollers do not filter; the handlers skip the rest).
 */
function countRecords(fn: string, event: unknown): void {
  const records = (event as { Records?: unknown[] })?.Records;
  if (!Array.isArray(records)) return;
  const filter = AWS_FILTERS[fn];
  tally(fn).records += filter ? records.filter((r) => matches(r, filter)).length : records.length;
}

async function main() {
  const { costPer10k } = await import('./cost-model.ts');
  const m = await measure(CASES);
  const per = (n: number) => Math.round((n / m.cases) * 100) / 100;
  const functions: Record<string, import('./cost-model.ts').MeasuredPerCase['functions'][string]> = {};
  let apiRequests = 0;
  const HTTP = new Set<string>(ROUTE_GROUPS);
  for (const [fn, t] of [...m.tallies.entries()].sort()) {
    functions[fn] = {
      invocations: per(t.invocations),
      records: per(t.records),
      meanMs: t.invocations ? Math.round((t.ms / t.invocations) * 10) / 10 : 0,
      readUnits: per(t.readUnits),
      writeUnits: per(t.writeUnits + t.transactWriteUnits),
      snsPublishes: per(t.snsPublishes),
    };
    if (HTTP.has(fn)) apiRequests += t.invocations;
  }
  const measured = {
    cases: m.cases,
    functions,
    apiRequests: per(apiRequests),
    sqsMessages: per(m.sqsMessages),
    focalPointNotifications: per(m.focalPointNotifications),
    logBytes: Math.round(logBytes / m.cases),
    transactionIndexUnits: per([...m.tallies.values()].reduce((a, t) => a + t.transactIndexUnits, 0)),
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `\n${m.cases} cases through their whole life, ${WAVE} at a time; ${per(m.outbound)} outbound messages a case.\n`,
  );
  out(
    `${'function'.padEnd(16)}${'inv/case'.padStart(10)}${'rec/case'.padStart(10)}${'ms/inv'.padStart(9)}${'RRU/case'.padStart(10)}${'WRU/case'.padStart(10)}${'tx items'.padStart(10)}${'indexes'.padStart(9)}${'SNS/case'.padStart(10)}`,
  );
  for (const [fn, t] of [...m.tallies.entries()].sort()) {
    const f = functions[fn] as (typeof functions)[string];
    out(
      `${fn.padEnd(16)}${String(f.invocations).padStart(10)}${String(f.records).padStart(10)}${String(f.meanMs).padStart(9)}${String(f.readUnits).padStart(10)}${String(f.writeUnits).padStart(10)}${String(per(t.transactWriteUnits)).padStart(10)}${String(per(t.indexWriteUnits)).padStart(9)}${String(f.snsPublishes).padStart(10)}`,
    );
    out(
      `${''.padEnd(16)}requests/case: ${Object.entries(t.requests)
        .map(([c, n]) => `${c.replace('Command', '')} ${per(n)}`)
        .join(', ')}`,
    );
  }
  out(
    `\nsweeper, one run with ${m.cases} cases closed in the table: ${m.sweeperRun.readUnits} RRU, ${m.sweeperRun.writeUnits} WRU, ${Math.round(m.sweeperRun.ms)} ms`,
  );
  out(
    `index units written by transactions (counted once above): ${measured.transactionIndexUnits} WRU a case`,
  );
  out(
    `API requests ${measured.apiRequests}, SQS messages ${measured.sqsMessages}, focal-point notifications ${measured.focalPointNotifications}, handler log bytes ${measured.logBytes} a case\n`,
  );
  const { lines, total } = costPer10k(measured);
  out(`AWS per 10,000 cases at ${(await import('./cost-model.ts')).PRICES.region} on-demand prices:`);
  for (const l of lines)
    out(`  ${l.item.padEnd(52)}${`${l.quantity} ${l.unit}`.padStart(26)}  $${l.usd.toFixed(2)}`);
  out(`  ${'total'.padEnd(78)}  $${total.toFixed(2)}`);
  if (process.argv.includes('--write')) {
    const file = fileURLToPath(new URL('./cost-measured.json', import.meta.url));
    writeFileSync(file, `${JSON.stringify(measured, null, 2)}\n`);
    out(`\nwrote ${file}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
  process.exit(0);
}
