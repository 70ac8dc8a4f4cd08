/**
 * The AWS cost of 10,000 cases from what `npm run bench:cost` measured per case, at on-demand list prices for
 * eu-central-1 (Frankfurt). Pure: docs/cost.md's table is this function applied to bench/cost-measured.json, and a
 * unit test checks that the two agree.
 *
 * Prices are USD, as AWS published them for eu-central-1 (see docs/cost.md for the source of each); me-central-1
 * lists most of these 10–20 % higher and is not priced here.
 */

export const PRICES = {
  region: 'eu-central-1',
  /** DynamoDB on-demand, per million write / read request units (after the November 2024 price cut). */
  dynamoWriteUnitPerMillion: 0.7625,
  dynamoReadUnitPerMillion: 0.1525,
  /** Lambda on arm64: per million requests, per GB-second. */
  lambdaRequestPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  /** API Gateway HTTP API, per million requests (first 300 million a month). */
  httpApiPerMillion: 1.2,
  /** SNS standard topic: per million publishes (64 KB each); e-mail deliveries per 100,000. */
  snsPublishPerMillion: 0.5,
  snsEmailPer100k: 2,
  /** SQS standard queue, per million requests. */
  sqsRequestPerMillion: 0.4,
  /** CloudWatch Logs ingestion (standard class), per GB. */
  logsIngestPerGb: 0.63,
  /** CloudWatch custom metric, per metric-month (prorated by the hour a metric receives data). */
  customMetricPerMonth: 0.3,
  /** KMS requests, per 10,000. */
  kmsPer10k: 0.03,
} as const;

/** What the cost bench measured, per case (averaged over the cases it ran). */
export interface MeasuredPerCase {
  cases: number;
  /** Per function: invocations as the local stack made them, stream records or queue messages handed to it, ms. */
  functions: Record<
    string,
    {
      invocations: number;
      records: number;
      /** Mean handler time per invocation, ms, measured in-process on the bench machine. */
      meanMs: number;
      readUnits: number;
      writeUnits: number;
      snsPublishes: number;
    }
  >;
  /** Requests through API Gateway (every HTTP route call). */
  apiRequests: number;
  /** Messages through SQS (SNS → notifier queue). */
  sqsMessages: number;
  /** Focal-point notifications (delivered to their inbox queues locally, by e-mail in AWS). */
  focalPointNotifications: number;
  /** Bytes the handlers logged at INFO, prod's level. */
  logBytes: number;
  /**
   * Of the write units, those of index entries that transactions changed: counted once, as AWS documents the
   * doubling per item a transaction writes; if DynamoDB doubled these too, the writes would be this much more.
   */
  transactionIndexUnits: number;
}

/**
 * Assumptions that are not measured, each stated in docs/cost.md.
 * - Lambda's own START/END/REPORT lines: about 350 bytes an invocation; the API's access log line about 300 bytes.
 * - In AWS at 10,000 cases a month (one every four minutes), a stream record or queue message mostly arrives
 *   alone: each record a consumer's mapping lets through is billed as one invocation (an upper bound; the local
 *   pollers batched them), with the consumer's measured time spread over them.
 * - Lambda bills at least 1 ms an invocation; memory 512 MB for every function on the per-case path.
 * - SQS: one send (SNS's delivery), one receive and one delete per message, unbatched (an upper bound).
 * - Cold starts: 10 % of invocations, 0.4 s of billed INIT each (AWS bills INIT on managed runtimes since 2025-08).
 */
export const ASSUMPTIONS = {
  lambdaLogBytesPerInvocation: 350,
  accessLogBytesPerRequest: 300,
  memoryGb: 0.5,
  coldShare: 0.1,
  coldInitSeconds: 0.4,
  sqsRequestsPerMessage: 3,
  /** The sweeper's SLA metrics: how many can receive data in a month (each billed for the hours it has data). */
  customMetrics: 4,
  /** KMS requests per case: DynamoDB and SNS cache data keys, so a few per cold start at most. */
  kmsRequestsPerCase: 2,
} as const;

/** Functions fed by a stream or a queue: billed an invocation per record they are handed (see ASSUMPTIONS). */
const RECORD_FED = new Set<string>(['router', 'projector', 'inbox', 'gateway-outbox', 'notifier']);
const billedInvocations = (v: MeasuredPerCase['functions'][string], name: string) =>
  RECORD_FED.has(name) ? v.records : v.invocations;

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The AWS lines per 10,000 cases, custom metrics included (as if the 10,000 came in one month). */
export function costPer10k(m: MeasuredPerCase): { lines: CostLine[]; total: number } {
  const k = 10_000;
  const fns = Object.entries(m.functions);
  const sum = (f: (v: MeasuredPerCase['functions'][string], name: string) => number) =>
    fns.reduce((a, [name, v]) => a + f(v, name), 0);
  const writeUnits = sum((v) => v.writeUnits) * k;
  const readUnits = sum((v) => v.readUnits) * k;
  const invocations = sum(billedInvocations) * k;
  const handlerSeconds =
    sum((v, name) => {
      const billed = billedInvocations(v, name);
      const totalMs = v.invocations * v.meanMs;
      // Spread the measured time over the invocations AWS would make, at least 1 ms each.
      return billed ? billed * Math.max(1, totalMs / billed) : 0;
    }) /
      1000 +
    0;
  const gbSeconds =
    (handlerSeconds * k + invocations * ASSUMPTIONS.coldShare * ASSUMPTIONS.coldInitSeconds) *
    ASSUMPTIONS.memoryGb;
  const apiRequests = m.apiRequests * k;
  const snsPublishes = sum((v) => v.snsPublishes) * k;
  const emails = m.focalPointNotifications * k;
  const sqsRequests = m.sqsMessages * ASSUMPTIONS.sqsRequestsPerMessage * k;
  const logGb =
    (m.logBytes * k +
      (invocations / k) * ASSUMPTIONS.lambdaLogBytesPerInvocation * k +
      apiRequests * ASSUMPTIONS.accessLogBytesPerRequest) /
    1e9;
  const kms = ASSUMPTIONS.kmsRequestsPerCase * k;
  const p = PRICES;
  const lines: CostLine[] = [
    {
      item: 'DynamoDB writes',
      quantity: writeUnits,
      unit: 'WRU',
      usd: (writeUnits / 1e6) * p.dynamoWriteUnitPerMillion,
    },
    {
      item: 'DynamoDB reads',
      quantity: readUnits,
      unit: 'RRU',
      usd: (readUnits / 1e6) * p.dynamoReadUnitPerMillion,
    },
    {
      item: 'Lambda requests',
      quantity: invocations,
      unit: 'requests',
      usd: (invocations / 1e6) * p.lambdaRequestPerMillion,
    },
    { item: 'Lambda duration', quantity: gbSeconds, unit: 'GB-s', usd: gbSeconds * p.lambdaArmGbSecond },
    {
      item: 'API Gateway HTTP API',
      quantity: apiRequests,
      unit: 'requests',
      usd: (apiRequests / 1e6) * p.httpApiPerMillion,
    },
    {
      item: 'SNS publishes',
      quantity: snsPublishes,
      unit: 'publishes',
      usd: (snsPublishes / 1e6) * p.snsPublishPerMillion,
    },
    {
      item: 'SNS e-mail to focal points',
      quantity: emails,
      unit: 'e-mails',
      usd: (emails / 1e5) * p.snsEmailPer100k,
    },
    {
      item: 'SQS requests',
      quantity: sqsRequests,
      unit: 'requests',
      usd: (sqsRequests / 1e6) * p.sqsRequestPerMillion,
    },
    { item: 'CloudWatch Logs ingestion', quantity: logGb, unit: 'GB', usd: logGb * p.logsIngestPerGb },
    { item: 'KMS requests', quantity: kms, unit: 'requests', usd: (kms / 1e4) * p.kmsPer10k },
    // Per month, not per case: counted as if the 10,000 cases came in one month, every metric with data every hour.
    {
      item: "CloudWatch custom metrics (the sweeper's SLA counts)",
      quantity: ASSUMPTIONS.customMetrics,
      unit: 'metric-months',
      usd: ASSUMPTIONS.customMetrics * p.customMetricPerMonth,
    },
  ].map((l) => ({
    ...l,
    quantity: round(l.quantity, l.unit === 'GB' || l.unit === 'GB-s' ? 2 : 0),
    usd: round(l.usd, 2),
  }));
  const total = round(
    lines.reduce((a, l) => a + l.usd, 0),
    2,
  );
  return { lines, total };
}
