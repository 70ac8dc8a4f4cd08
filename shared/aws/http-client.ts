import http from 'node:http';
import https from 'node:https';
import { type AwsCredentials, signRequest } from './sigv4.ts';

/** Where and as whom an AWS service is called. `endpoint` is set for the local emulators. */
export interface AwsServiceConfig {
  region: string;
  credentials: AwsCredentials;
  endpoint?: string;
}

export interface AwsResponse {
  status: number;
  body: string;
}

/** A service answered with an error that retrying will not fix. */
export class AwsServiceError extends Error {
  constructor(
    readonly service: string,
    readonly errorType: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${service} ${errorType}: ${message}`);
    this.name = 'AwsServiceError';
  }
}

// Connections are reused across invocations: a TLS handshake per call would dominate a webhook's latency.
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function send(url: URL, method: string, headers: Record<string, string>, body: string): Promise<AwsResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const RETRYABLE_TYPES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
]);

export interface AwsCallOptions {
  service: string;
  method?: 'POST' | 'GET';
  path?: string;
  headers: Record<string, string>;
  body: string;
  /** Extracts the error type from a failed response body. */
  errorType: (res: AwsResponse) => { type: string; message: string; details?: unknown };
  maxAttempts?: number;
}

/**
 * Signs and sends one AWS API call, retrying throttling, 5xx and network faults with full-jitter backoff.
 * Errors that retrying cannot fix are thrown at once as {@link AwsServiceError}.
 */
export async function callAws(config: AwsServiceConfig, options: AwsCallOptions): Promise<AwsResponse> {
  const base = config.endpoint ?? `https://${options.service}.${config.region}.amazonaws.com`;
  const url = new URL(options.path ?? '/', base);
  const method = options.method ?? 'POST';
  const maxAttempts = options.maxAttempts ?? 5;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) {
      const cap = Math.min(2_000, 25 * 2 ** attempt);
      await new Promise((r) => setTimeout(r, Math.random() * cap));
    }
    const headers = signRequest(
      { method, url, headers: options.headers, body: options.body },
      config.credentials,
      config.region,
      options.service,
    );
    let res: AwsResponse;
    try {
      res = await send(url, method, headers, options.body);
    } catch (err) {
      lastError = err;
      continue;
    }
    if (res.status < 300) return res;
    const { type, message, details } = options.errorType(res);
    lastError = new AwsServiceError(options.service, type, res.status, message, details);
    if (res.status >= 500 || RETRYABLE_TYPES.has(type)) continue;
    throw lastError;
  }
  throw lastError;
}
