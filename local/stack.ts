import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import webhooks from 'twilio/lib/webhooks/webhooks.js';
import * as z from 'zod';
import { makePlatform, type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { throttledAnswer } from '#functions/public-complaints/browser.ts';
import { type PublicNumbers, usePublicNumbers } from '#functions/public-complaints/contact.ts';
import { ROUTE_GROUPS, type RouteGroup, WORKERS } from '#functions/routes.ts';
import { Role } from '#shared/auth/principal.ts';
import { perProtocolTexts } from '#shared/messaging/sns.ts';
import { resourceName, topology } from '#shared/messaging/topology.ts';
import { makeSubscriptionStore } from '#shared/routing/subscription-store.ts';
import { publicPageKey, publicPages } from '../web/scripts/build-public.ts';
import { compileRoutes, matchRoute, toApiGatewayEvent } from './api-gateway.ts';
import { clockRoute, LocalClock } from './clock.ts';
import {
  attachDynamoLocal,
  type DynamoLocal,
  ensureTable,
  LOCAL_AWS,
  localAwsClients,
  startDynamoLocal,
} from './dynamodb-local.ts';
import { FakeGateway } from './fake-gateway.ts';
import { LocalTokens } from './jwt.ts';
import { lambdaContext } from './lambda-context.ts';
import { type InboxEntry, Mailbox, type OutboxEntry } from './mailbox.ts';
import { LocalMessaging, type QueueRef } from './messaging.ts';
import { freePort } from './ports.ts';
import { QueuePoller } from './queue-poller.ts';
import { RateLimiter } from './rate-limit.ts';
import { asDeliveredToQueue } from './sns-delivery.ts';
import { type BatchResponse, type StreamHandler, StreamPoller } from './stream-poller.ts';
import { LOCAL_USERS, userById, userForRole } from './users.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The fixed local Twilio account: the simulator signs with this token, and start-up prints it. */
export const LOCAL_TWILIO = {
  accountSid: `AC${'0'.repeat(31)}1`,
  authToken: 'local-twilio-auth-token',
  messagingFrom: '+9647000000000',
} as const;

/**
 * The local SMS gateway: the fake relay's credentials, the key it signs webhooks with (the simulator signs with it
 * too), and the number of its SIM, which people text.
 */
export const LOCAL_GATEWAY = {
  username: 'sms',
  password: 'local-gateway-password',
  signingKey: 'local-gateway-signing-key',
  number: '+9647800000001',
} as const;

/**
 * Local KoboToolbox field forms: the REST Service's basic-authentication user and the shared secret (its password,
 * or the `X-Kobo-Secret` header's value).
 */
export const LOCAL_KOBO = {
  username: 'kobo',
  secret: 'local-kobo-shared-secret',
} as const;

/**
 * Local WhatsApp: the platform's WhatsApp sender, and made-up Content SIDs for the approved templates (Twilio's
 * stand-in records which one was sent).
 */
export const LOCAL_WHATSAPP = {
  from: '+9647000000002',
  contentSids: {
    resolved: {
      ar: `HX${'a1'.repeat(16)}`,
      ckb: `HX${'a2'.repeat(16)}`,
      kmr: `HX${'a3'.repeat(16)}`,
      'kmr-arab': `HX${'a5'.repeat(16)}`,
      en: `HX${'a4'.repeat(16)}`,
    },
    closed_no_answer: {
      ar: `HX${'b1'.repeat(16)}`,
      ckb: `HX${'b2'.repeat(16)}`,
      kmr: `HX${'b3'.repeat(16)}`,
      'kmr-arab': `HX${'b5'.repeat(16)}`,
      en: `HX${'b4'.repeat(16)}`,
    },
  },
} as const;

/**
 * The numbers the local public pages give for SMS and the hotline: the local Twilio number, which the phone
 * simulator (`npm run sms`, `npm run call`) texts and calls. No WhatsApp number, so the pages say nothing of it
 * (the local WhatsApp sender, {@link LOCAL_WHATSAPP}, still answers; PUBLIC_WHATSAPP_NUMBER shows it on the pages).
 */
export const LOCAL_PUBLIC_NUMBERS: PublicNumbers = {
  sms: LOCAL_TWILIO.messagingFrom,
  hotline: LOCAL_TWILIO.messagingFrom,
};

export interface LocalStackOptions {
  port?: number;
  /** The URL Twilio signatures are computed over; defaults to http://localhost:<port>. */
  publicBaseUrl?: string;
  twilioAuthToken?: string;
  /** Where DynamoDB Local, the outbox, the inbox and the stream checkpoints are kept; none keeps all in memory. */
  dataDir?: string;
  stage?: string;
  /** Run the stream consumers, queue subscribers and the timer (off only in tests of a single handler). */
  workers?: boolean;
  /** How often the scheduled handlers run locally. */
  sweepEveryMs?: number;
  retentionEveryMs?: number;
  /** Public routes' per-client limit. */
  publicRateLimit?: { perMinute: number; burst: number };
  /** The SMS, hotline and WhatsApp numbers the public pages show; defaults to {@link LOCAL_PUBLIC_NUMBERS}. */
  publicNumbers?: PublicNumbers;
  seed?: boolean;
  now?: () => Date;
  log?: (line: string) => void;
  /** Use this running DynamoDB Local instead of starting one (tests that bring their own). */
  dynamoEndpoint?: string;
  /** Send the Twilio SDK's requests here instead of the stack's own stand-in (a test's faulty Twilio). */
  twilioApiBaseUrl?: string;
  /** The notifier queue's visibility timeout, so a test sees redeliveries and the DLQ in seconds. */
  notifierVisibilityTimeoutSeconds?: number;
  /**
   * Wraps every handler call (routes by group, workers by name): the cost bench uses it to tell which function
   * a DynamoDB request or an SNS publish came from.
   */
  invoke?: <T>(fn: string, event: unknown, call: () => Promise<T>) => Promise<T>;
}

export interface LocalStack {
  url: string;
  port: number;
  platform: Platform;
  /** The numbers the public pages show. */
  publicNumbers: PublicNumbers;
  dynamo: DynamoLocal;
  messaging: LocalMessaging;
  tokens: LocalTokens;
  outbox: Mailbox<OutboxEntry>;
  inbox: Mailbox<InboxEntry>;
  twilio: { accountSid: string; authToken: string };
  /** The fake SMS gateway: what it was asked to send. */
  gateway: FakeGateway;
  streamPollers: StreamPoller[];
  /** Stops the SNS/SQS emulator (to show intake keeps working) and brings it back with its subscriptions. */
  stopMessaging(): Promise<void>;
  startMessaging(): Promise<void>;
  /** The clock every local handler reads (`/dev/clock` moves it). */
  clock: LocalClock;
  /** Runs a scheduled handler now, as EventBridge Scheduler would; resolves with what the handler returned. */
  runScheduled(name: 'sweeper' | 'retention'): Promise<unknown>;
  stop(): Promise<void>;
}

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** What `GET /dev/idle` found still to do: stream consumers not caught up, queues with messages left. */
interface Behind {
  streams: string[];
  queues: Record<string, { visible: number; inFlight: number; delayed: number }>;
}

async function loadHandler(modulePath: string): Promise<AnyHandler> {
  const mod = (await import(join(ROOT, modulePath))) as { handler?: AnyHandler };
  if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler`);
  return mod.handler;
}

/** Keys that protect personal data locally, made once per data folder so a restart can still read old cases. */
function localKeys(dataDir: string | undefined): { encryptionKey: Buffer; hashKey: Buffer } {
  const fresh = () => ({
    encryptionKey: randomBytes(32).toString('base64'),
    hashKey: randomBytes(32).toString('base64'),
  });
  let keys = fresh();
  if (dataDir) {
    const file = join(dataDir, 'local-keys.json');
    if (existsSync(file)) keys = JSON.parse(readFileSync(file, 'utf8')) as typeof keys;
    else writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return {
    encryptionKey: Buffer.from(keys.encryptionKey, 'base64'),
    hashKey: Buffer.from(keys.hashKey, 'base64'),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Static files: web/public's script and icons at `/` (the pages themselves are rendered at start), the built console
 * from web/dist at `/console/`.
 */
function staticFile(pathname: string): { file: string; type: string } | undefined {
  const candidates: string[] = [];
  if (pathname === '/console' || pathname.startsWith('/console/')) {
    const rel = pathname.replace(/^\/console\/?/, '');
    const base = join(ROOT, 'web', 'dist');
    candidates.push(join(base, rel), join(base, rel, 'index.html'), join(base, 'index.html'));
    return firstFile(base, candidates);
  }
  const base = join(ROOT, 'web', 'public');
  const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
  candidates.push(join(base, rel), join(base, `${rel}.html`), join(base, rel, 'index.html'));
  return firstFile(base, candidates);
}

function firstFile(base: string, candidates: string[]): { file: string; type: string } | undefined {
  for (const c of candidates) {
    const file = normalize(c);
    if (!file.startsWith(base)) return undefined;
    try {
      if (existsSync(file) && !file.endsWith('/') && readFileSync(file).length >= 0 && extname(file)) {
        return { file, type: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' };
      }
    } catch {
      // a directory: try the next candidate
    }
  }
  return undefined;
}

const MAX_LOCAL_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_LOCAL_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, JSON.stringify(body));
const errorJson = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) => send(res, status, JSON.stringify({ error: { code, message } }), headers);

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

/** A stream event as `npm run dlq -- --replay` posts it: records in the Lambda event's shape, checked by the consumer. */
const StreamEventBody = z.object({
  Records: z
    .array(z.looseObject({ eventName: z.string() }))
    .min(1)
    .max(1000),
});

const TokenRequest = z.union([z.object({ role: Role }), z.object({ userId: z.string().min(1) })]);

/** Starts the whole platform on this machine. Each part is stopped again if a later one fails to start. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stage = options.stage ?? 'local';
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const url = `http://localhost:${port}`;
  const publicBaseUrl = (options.publicBaseUrl ?? url).replace(/\/$/, '');
  const authToken = options.twilioAuthToken ?? LOCAL_TWILIO.authToken;
  const invoke = options.invoke ?? (<T>(_fn: string, _event: unknown, call: () => Promise<T>) => call());
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };

  try {
    // Check the HTTP port first: a clash should fail fast, before Java starts.
    // Until everything is up, requests get a quick 503 rather than hanging on a server with no handler yet.
    let serve: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
    const server = createServer((req, res) => {
      if (serve) return serve(req, res);
      req.resume();
      errorJson(res, 503, 'LOCAL.STARTING', 'The local stack is starting; try again in a moment.', {
        'retry-after': '1',
      });
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, ok);
    });
    cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));

    // Java, the emulator and the handler modules start side by side: start-up is bounded by the slowest of them.
    const messaging = new LocalMessaging(await freePort(), stage, {
      notifierVisibilityTimeoutSeconds: options.notifierVisibilityTimeoutSeconds,
    });
    const dynamoPort = await freePort();
    const handlerModules = Promise.all(
      ROUTE_GROUPS.map(async (group) => [group, await loadHandler(`functions/${group}/handler.ts`)] as const),
    );
    handlerModules.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    const [dynamoResult, messagingResult] = await Promise.allSettled([
      options.dynamoEndpoint
        ? Promise.resolve(attachDynamoLocal(options.dynamoEndpoint))
        : startDynamoLocal({ port: dynamoPort, dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined }),
      messaging.start(),
    ]);
    if (messagingResult.status === 'fulfilled') cleanups.push(() => messaging.stop());
    if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
    const dynamo = dynamoResult.value;
    cleanups.push(() => dynamo.stop());
    if (messagingResult.status === 'rejected') throw messagingResult.reason;
    const tableName = resourceName(stage, 'cases');
    await ensureTable(dynamo.db, tableName);
    const clock = new LocalClock(options.now, dataDir ? join(dataDir, 'clock.json') : undefined);

    const gateway = new FakeGateway({
      port: await freePort(),
      username: LOCAL_GATEWAY.username,
      password: LOCAL_GATEWAY.password,
      signingKey: LOCAL_GATEWAY.signingKey,
      webhookUrl: `${url}/webhooks/gateway/sms`,
    });
    await gateway.start();
    cleanups.push(() => gateway.stop());

    const platform = makePlatform({
      stage,
      aws: localAwsClients({ dynamodb: dynamo.endpoint, sns: messaging.endpoint }),
      tableName,
      topicArn: messaging.topicArn,
      twilio: {
        accountSid: LOCAL_TWILIO.accountSid,
        authToken,
        messagingFrom: LOCAL_TWILIO.messagingFrom,
        apiBaseUrl: options.twilioApiBaseUrl ?? `${url}/dev/twilio`,
      },
      gateway: {
        apiUrl: gateway.apiUrl,
        username: LOCAL_GATEWAY.username,
        password: LOCAL_GATEWAY.password,
        signingKey: LOCAL_GATEWAY.signingKey,
        number: LOCAL_GATEWAY.number,
      },
      whatsapp: { from: LOCAL_WHATSAPP.from, contentSids: LOCAL_WHATSAPP.contentSids },
      kobo: { username: LOCAL_KOBO.username, secret: LOCAL_KOBO.secret },
      publicBaseUrl,
      keys: localKeys(dataDir),
      subscriptionTarget: (focalPointId) => ({
        protocol: 'sqs',
        endpoint: messaging.inboxQueue(focalPointId).arn,
      }),
      now: clock.now,
    });
    usePlatform(platform);
    cleanups.push(async () => usePlatform(undefined));
    // The public pages are rendered once, with this stack's numbers, as the CDK app renders them for a stage.
    const publicNumbers = options.publicNumbers ?? LOCAL_PUBLIC_NUMBERS;
    usePublicNumbers(publicNumbers);
    cleanups.push(async () => usePublicNumbers(undefined));
    const publicSite = publicPages(publicNumbers);

    const outbox = new Mailbox<OutboxEntry>(dataDir ? join(dataDir, 'outbox.jsonl') : undefined);
    const inbox = new Mailbox<InboxEntry>(dataDir ? join(dataDir, 'inbox.jsonl') : undefined);
    const tokens = new LocalTokens(authToken);
    const routes = compileRoutes();
    const handlers = new Map<RouteGroup, AnyHandler>();
    for (const [group, handler] of await handlerModules) handlers.set(group, handler);
    const limiter = new RateLimiter(
      options.publicRateLimit?.perMinute ?? 30,
      options.publicRateLimit?.burst ?? 10,
    );

    const streamPollers: StreamPoller[] = [];
    /** The stream consumers as the pollers call them: `npm run dlq -- --replay` hands them dead-lettered records. */
    const streamConsumers = new Map<string, StreamHandler>();
    const queuePollers: QueuePoller[] = [];
    const inboxPollers = new Map<string, QueuePoller>();
    /** Focal points whose endpoint refuses deliveries (`POST /dev/inbox/refuse`). */
    const refusingInboxes = new Set<string>();
    const controls = {
      stopMessaging: async () => {
        for (const p of inboxPollers.values()) await p.stop();
        inboxPollers.clear();
        await messaging.stop();
      },
      startMessaging: async () => {
        // Nothing is published until the focal points' subscriptions exist again, or it would reach no inbox.
        await Promise.all(streamPollers.map((p) => p.pause()));
        try {
          await messaging.start();
          await resubscribe();
        } finally {
          for (const p of streamPollers) p.resume();
        }
      },
    };
    /** The queues whose subscribers run here: the notifier's and the focal points' inboxes. */
    const watchedQueues = (): [string, QueueRef][] => [
      ['notifier', messaging.queues.notifier],
      ...messaging.inboxQueues().map(([id, q]): [string, QueueRef] => [`inbox ${id}`, q]),
    ];
    /** What is still behind right now: stream consumers not caught up within `waitMs`, queues not drained. */
    const behindNow = async (waitMs: number): Promise<Behind> => {
      const caught = await Promise.all(streamPollers.map((p) => p.caughtUp(waitMs)));
      const streams = streamPollers.filter((_, i) => !caught[i]).map((p) => p.name);
      const queues: Behind['queues'] = {};
      if (messaging.running) {
        for (const [name, q] of watchedQueues()) {
          const depth = await messaging.sqs.depth(q.url);
          if (depth.visible + depth.inFlight + depth.delayed > 0) queues[name] = depth;
        }
      }
      return { streams, queues };
    };
    const isIdle = (b: Behind) => b.streams.length === 0 && Object.keys(b.queues).length === 0;
    /**
     * Idle means the stream consumers have caught up and the queues are drained, twice in a row: a drained queue's
     * subscriber may have written to the table (the notifier does), which the stream consumers must then see.
     * Resolves with what was still behind when the time ran out, or undefined once idle.
     */
    const waitForIdle = async (timeoutMs: number): Promise<Behind | undefined> => {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      for (;;) {
        const behind = await behindNow(Math.max(0, deadline - Date.now()));
        quiet = isIdle(behind) ? quiet + 1 : 0;
        if (quiet >= 2) return undefined;
        if (Date.now() >= deadline) return behind;
        if (quiet === 0) await new Promise((r) => setTimeout(r, 50));
      }
    };

    /** Focal-point subscriptions live in the emulator's memory: re-create them from the records after a start. */
    const resubscribe = async () => {
      try {
        const mod = (await import(join(ROOT, 'functions/admin/subscriptions.ts'))) as {
          syncFocalPointSubscriptions?: (p: Platform) => Promise<void>;
        };
        await mod.syncFocalPointSubscriptions?.(platform);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
      }
    };

    const twilioApi = async (req: IncomingMessage, res: ServerResponse, pathname: string, body: Buffer) => {
      const m = /^\/dev\/twilio\/2010-04-01\/Accounts\/(AC\w+)\/(Messages|Calls)\.json$/.exec(pathname);
      if (!m || req.method !== 'POST')
        return errorJson(res, 404, 'TWILIO.NOT_FOUND', 'The local Twilio API has no such resource.');
      const expected = `Basic ${Buffer.from(`${LOCAL_TWILIO.accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected || m[1] !== LOCAL_TWILIO.accountSid) {
        return sendJson(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      }
      const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      const kind = m[2] === 'Messages' ? 'sms' : 'call';
      if (!form.To || (!form.From && !form.MessagingServiceSid)) {
        return sendJson(res, 400, { code: 21604, message: "A 'To' and a 'From' are required.", status: 400 });
      }
      const sid = `${kind === 'sms' ? 'SM' : 'CA'}${randomBytes(16).toString('hex')}`;
      const entry = outbox.add({
        at: new Date().toISOString(),
        sid,
        kind,
        to: form.To,
        from: form.From ?? form.MessagingServiceSid ?? '',
        ...(form.Body !== undefined ? { body: form.Body } : {}),
        ...(form.ContentSid !== undefined ? { contentSid: form.ContentSid } : {}),
        ...(form.ContentVariables !== undefined ? { contentVariables: form.ContentVariables } : {}),
        ...(form.Twiml !== undefined ? { twiml: form.Twiml } : {}),
        ...(form.Url !== undefined ? { url: form.Url } : {}),
        ...(form.StatusCallback ? { statusCallback: form.StatusCallback } : {}),
      });
      sendJson(res, 201, {
        sid,
        account_sid: LOCAL_TWILIO.accountSid,
        to: entry.to,
        from: entry.from,
        body: entry.body ?? null,
        status: 'queued',
        direction: kind === 'sms' ? 'outbound-api' : 'outbound-api',
        date_created: new Date().toUTCString(),
        num_segments: '1',
        uri: `/2010-04-01/Accounts/${LOCAL_TWILIO.accountSid}/${m[2]}/${sid}.json`,
      });
      if (kind === 'sms' && form.StatusCallback) void deliveryReceipts(form.StatusCallback, sid, entry);
    };

    /** Plays the carrier: posts signed `sent` then `delivered` callbacks, as Twilio does for a delivered SMS. */
    const deliveryReceipts = async (callback: string, sid: string, entry: OutboxEntry) => {
      for (const status of ['sent', 'delivered']) {
        const params = {
          AccountSid: LOCAL_TWILIO.accountSid,
          MessageSid: sid,
          SmsSid: sid,
          MessageStatus: status,
          SmsStatus: status,
          To: entry.to,
          From: entry.from,
          ApiVersion: '2010-04-01',
        };
        const signature = webhooks.getExpectedTwilioSignature(authToken, callback, params);
        const target = callback.startsWith(publicBaseUrl)
          ? `${url}${callback.slice(publicBaseUrl.length)}`
          : callback;
        await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
        }).catch(() => undefined);
      }
    };

    const devRoute = async (
      req: IncomingMessage,
      res: ServerResponse,
      url: URL,
      body: Buffer,
    ): Promise<void> => {
      const path = url.pathname;
      // The sign-in page lists the local users before anyone has a token.
      if (path === '/dev/token' && req.method === 'GET') return sendJson(res, 200, { users: LOCAL_USERS });
      // Everything else here is for a local admin only, except the Twilio API, which checks Twilio's own credentials.
      if (path !== '/dev/token' && !path.startsWith('/dev/twilio/')) {
        const claims = await tokens.verify(req.headers.authorization);
        if (!claims)
          return errorJson(res, 401, 'AUTH.UNAUTHORIZED', 'Sign in as the local admin to use this route.');
        const groups = claims['cognito:groups'];
        if (!(Array.isArray(groups) ? groups : [groups]).includes('admin'))
          return errorJson(res, 403, 'AUTH.FORBIDDEN', 'Only the local admin may use the /dev/ routes.');
      }
      if (path === '/dev/token' && req.method === 'POST') {
        let parsed: z.infer<typeof TokenRequest>;
        try {
          parsed = TokenRequest.parse(JSON.parse(body.toString('utf8') || '{}'));
        } catch {
          return errorJson(
            res,
            400,
            'REQUEST.INVALID',
            `Send {"role": one of ${LOCAL_USERS.map((u) => u.role).join(', ')}} or {"userId": ...}.`,
          );
        }
        const user = 'role' in parsed ? userForRole(parsed.role) : userById(parsed.userId);
        if (!user) return errorJson(res, 404, 'AUTH.UNKNOWN_USER', 'No local user like that.');
        const { token, expiresAt } = await tokens.issue(user);
        return sendJson(res, 200, { token, expiresAt, user });
      }
      if (path === '/dev/users' && req.method === 'GET') return sendJson(res, 200, { users: LOCAL_USERS });
      if (path === '/dev/outbox' && req.method === 'GET') {
        const to = url.searchParams.get('to');
        return sendJson(res, 200, { messages: outbox.list((e) => !to || e.to === to) });
      }
      if (path === '/dev/gateway' && req.method === 'GET') {
        // What the fake SMS gateway was asked to send (and how far it got), newest last.
        const to = url.searchParams.get('to');
        return sendJson(res, 200, { messages: gateway.messages.filter((m) => !to || m.to === to) });
      }
      if (path === '/dev/gateway/unavailable' && req.method === 'POST') {
        // The relay's next send requests fail (503), to see the platform retry.
        const wanted = z
          .object({ count: z.number().int().min(0).max(100) })
          .safeParse(body.length ? parseJson(body) : {});
        if (!wanted.success) return errorJson(res, 400, 'REQUEST.INVALID', 'Send {"count": 0..100}.');
        gateway.unavailable(wanted.data.count);
        return sendJson(res, 200, { unavailable: wanted.data.count });
      }
      if (path === '/dev/inbox/refuse' && req.method === 'POST') {
        // The focal point's endpoint refuses deliveries (an e-mail server bouncing, an HTTPS receiver down) until
        // told otherwise: what SNS would do after its retries, the inbox's reader does, per the subscription's
        // redrive policy (its own DLQ). fauxqs has no subscription redrive of its own.
        const wanted = z
          .object({ focalPointId: z.string().min(1).max(64), refuse: z.boolean() })
          .safeParse(body.length ? parseJson(body) : {});
        if (!wanted.success)
          return errorJson(res, 400, 'REQUEST.INVALID', 'Send {"focalPointId": "…", "refuse": true|false}.');
        if (wanted.data.refuse) refusingInboxes.add(wanted.data.focalPointId);
        else refusingInboxes.delete(wanted.data.focalPointId);
        return sendJson(res, 200, { refusing: [...refusingInboxes].sort() });
      }
      if (path === '/dev/inbox' && req.method === 'GET') {
        const fp = url.searchParams.get('focalPoint');
        return sendJson(res, 200, { notifications: inbox.list((e) => !fp || e.focalPointId === fp) });
      }
      if (path.startsWith('/dev/twilio/')) return twilioApi(req, res, path, body);
      if (path === '/dev/messaging' && req.method === 'GET') {
        // Where the emulator listens and its queues: `npm run dlq` reads and replays the DLQs through the SDK.
        return sendJson(res, 200, {
          running: messaging.running,
          endpoint: messaging.endpoint,
          region: LOCAL_AWS.region,
          stage,
          queues: messaging.queues,
        });
      }
      if (path === '/dev/messaging' && req.method === 'POST') {
        // Stops or restarts the SNS/SQS emulator, to see that intake goes on and nothing is lost meanwhile.
        const wanted = z.object({ running: z.boolean() }).safeParse(body.length ? parseJson(body) : {});
        if (!wanted.success) return errorJson(res, 400, 'REQUEST.INVALID', 'Send {"running": true|false}.');
        if (wanted.data.running) await controls.startMessaging();
        else await controls.stopMessaging();
        return sendJson(res, 200, { running: messaging.running });
      }
      const consumerMatch = /^\/dev\/stream-consumers\/([a-z-]+)$/.exec(path);
      if (consumerMatch && req.method === 'POST') {
        // Lambda's Invoke for the local stack: a stream event to one consumer, answered with what it returned, or
        // with the error's name as Lambda's FunctionError would be (never its message, which may quote a record).
        const consumer = streamConsumers.get(consumerMatch[1] ?? '');
        if (!consumer)
          return errorJson(res, 404, 'LOCAL.NO_SUCH_CONSUMER', 'No stream consumer of that name runs here.');
        const event = StreamEventBody.safeParse(parseJson(body));
        if (!event.success)
          return errorJson(res, 400, 'REQUEST.INVALID', 'Send a DynamoDB stream event: {"Records": [...]}.');
        try {
          const out = await consumer(event.data as unknown as DynamoDBStreamEvent);
          return sendJson(res, 200, { batchItemFailures: out?.batchItemFailures ?? [] });
        } catch (err) {
          return sendJson(res, 200, { functionError: 'Unhandled', errorType: (err as Error).name });
        }
      }
      const scheduledMatch = /^\/dev\/scheduler\/(sweeper|retention)$/.exec(path);
      if (scheduledMatch && req.method === 'POST') {
        await runScheduled(scheduledMatch[1] as 'sweeper' | 'retention');
        return sendJson(res, 200, { ran: scheduledMatch[1] });
      }
      if (path === '/dev/clock') {
        const answer = await clockRoute(clock, req.method ?? 'GET', body, () => runScheduled('sweeper'));
        return sendJson(res, answer.status, answer.body);
      }
      if (path === '/dev/idle' && req.method === 'GET') {
        // 200 once every write so far has been through the stream consumers and every queued message through its
        // subscriber; 503 with what is behind when that did not happen in time (tests and the bench check which).
        const wanted = z.coerce
          .number()
          .int()
          .min(0)
          .max(3_600_000)
          .safeParse(url.searchParams.get('timeoutMs') ?? 20_000);
        if (!wanted.success) return errorJson(res, 400, 'REQUEST.INVALID', 'timeoutMs is 0 to 3600000.');
        const behind = await waitForIdle(wanted.data);
        const processed = Object.fromEntries(
          [...streamPollers, ...queuePollers, ...inboxPollers.values()].map((p) => [p.name, p.processed]),
        );
        if (!behind) return sendJson(res, 200, { idle: true, processed });
        return sendJson(res, 503, {
          error: { code: 'LOCAL.NOT_IDLE', message: `Still behind after ${wanted.data} ms.` },
          idle: false,
          behind,
          processed,
        });
      }
      return errorJson(res, 404, 'ROUTE.NOT_FOUND', 'No such route.');
    };

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const requestUrl = new URL(req.url ?? '/', url);
      const body = await readBody(req);
      if (body === 'too-large') return errorJson(res, 413, 'REQUEST.TOO_LARGE', 'The body is too large.');
      if (requestUrl.pathname.startsWith('/dev/')) return devRoute(req, res, requestUrl, body);

      const match = matchRoute(routes, req.method ?? 'GET', requestUrl.pathname);
      if (match === undefined || match === 'method-not-allowed') {
        if (req.method === 'GET' || req.method === 'HEAD') {
          const page = publicPageKey(publicSite, requestUrl.pathname);
          if (page)
            return send(res, 200, publicSite[page] ?? '', {
              'content-type': 'text/html; charset=utf-8',
              'cache-control': 'no-cache',
            });
          const file = staticFile(requestUrl.pathname);
          if (file)
            return send(res, 200, readFileSync(file.file), {
              'content-type': file.type,
              'cache-control': 'no-cache',
            });
        }
        return match === 'method-not-allowed'
          ? errorJson(res, 405, 'ROUTE.METHOD_NOT_ALLOWED', 'This path does not take that method.')
          : errorJson(res, 404, 'ROUTE.NOT_FOUND', 'No such route.');
      }
      const { spec } = match.route;
      let claims: Awaited<ReturnType<LocalTokens['verify']>>;
      if (spec.auth !== 'public') {
        claims = await tokens.verify(req.headers.authorization);
        if (!claims) return errorJson(res, 401, 'AUTH.UNAUTHORIZED', 'Sign in to use this route.');
      }
      const event = toApiGatewayEvent(req, requestUrl, body, match, claims);
      if (spec.path.startsWith('/api/public/')) {
        const client = (req.socket.remoteAddress ?? '') + spec.path;
        if (!limiter.take(client)) {
          // JSON for scripts; a page in the person's language for a browser posting the form without JavaScript.
          const answer = throttledAnswer(event);
          res.writeHead(answer.statusCode, {
            ...(answer.headers as Record<string, string>),
            'retry-after': String(limiter.retryAfterSeconds()),
          });
          return res.end(answer.body);
        }
      }
      const handler = handlers.get(spec.group) as AnyHandler;
      const result = (await invoke(spec.group, event, () =>
        handler(event, lambdaContext(`cfm-${stage}-${spec.group}`)),
      )) as HttpResult;
      const headers = { ...(result.headers as Record<string, string> | undefined) };
      if (result.cookies?.length)
        (headers as Record<string, string | string[]>)['set-cookie'] = result.cookies as unknown as string;
      res.writeHead(result.statusCode, headers as Record<string, string>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
      for (const p of streamPollers) p.poke();
    };

    if (options.seed !== false) {
      try {
        const seed = (await import(join(ROOT, 'local/seed.ts'))) as {
          seed?: (p: Platform, o: { agencies: boolean }) => Promise<void>;
        };
        await seed.seed?.(platform, { agencies: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
      }
    }
    await resubscribe();

    if (options.workers !== false) {
      const streamDlqs = {
        router: messaging.queues.routerDlq,
        projector: messaging.queues.projectorDlq,
        inbox: messaging.queues.inboxDlq,
        'gateway-outbox': messaging.queues.gatewayOutboxDlq,
      };
      for (const name of ['router', 'projector', 'inbox', 'gateway-outbox'] as const) {
        const consumer = topology.streamConsumers[name];
        const handler = await loadHandler(WORKERS[name].handler);
        const dlq = streamDlqs[name];
        const consume: StreamHandler = (e) =>
          invoke(name, e, () => handler(e, lambdaContext(`cfm-${stage}-${name}`))) as Promise<BatchResponse>;
        streamConsumers.set(name, consume);
        const poller = new StreamPoller({
          name,
          db: dynamo.db,
          streams: dynamo.streams,
          tableName,
          batchSize: consumer.batchSize,
          maxRetries: consumer.maxRetries,
          handler: consume,
          deadLetter: async (record: DynamoDBRecord, reason: string) => {
            await messaging.sqs.send(dlq.url, JSON.stringify({ reason, record }));
          },
          checkpointFile: dataDir ? join(dataDir, `stream-${name}.json`) : undefined,
          log,
        });
        poller.start();
        streamPollers.push(poller);
        cleanups.push(() => poller.stop());
      }
      const notifier = await loadHandler(WORKERS.notifier.handler);
      const notifierPoller = new QueuePoller({
        name: 'notifier',
        sqs: () => (messaging.running ? messaging.sqs : undefined),
        queue: messaging.queues.notifier,
        handler: (queued: SQSEvent) => {
          const e = {
            Records: queued.Records.map((r) => ({ ...r, body: asDeliveredToQueue(r.body) })),
          };
          return invoke('notifier', e, () =>
            notifier(e, lambdaContext(`cfm-${stage}-notifier`)),
          ) as Promise<BatchResponse>;
        },
        log,
      });
      notifierPoller.start();
      queuePollers.push(notifierPoller);
      cleanups.push(() => notifierPoller.stop());

      /**
       * SNS's part for a refused delivery: the envelope as the endpoint would have had it goes to the queue the
       * subscription's redrive policy names. Without one (nothing to redrive to) the batch fails and stays.
       */
      const redriveRefused = async (focalPointId: string, records: SQSEvent['Records']) => {
        const sub = await makeSubscriptionStore({ db: platform.db, tableName: platform.tableName }).get(
          focalPointId,
        );
        if (!sub?.dlqArn) throw new Error(`the subscription of ${focalPointId} has no redrive policy`);
        const dlqUrl = messaging.urlOfArn(sub.dlqArn);
        for (const r of records) await messaging.sqs.send(dlqUrl, r.body);
      };
      // Focal points' inboxes: a poller per inbox queue, started as subscriptions appear.
      const watchInboxes = setInterval(() => {
        if (!messaging.running) return;
        for (const [focalPointId, queue] of messaging.inboxQueues()) {
          if (inboxPollers.has(focalPointId)) continue;
          const poller = new QueuePoller({
            name: `inbox ${focalPointId}`,
            sqs: () => (messaging.running ? messaging.sqs : undefined),
            queue,
            handler: async (e: SQSEvent) => {
              if (refusingInboxes.has(focalPointId)) {
                await redriveRefused(focalPointId, e.Records);
                return;
              }
              for (const r of e.Records) inbox.add(inboxEntry(focalPointId, r.messageId, r.body));
            },
            log,
          });
          poller.start();
          inboxPollers.set(focalPointId, poller);
        }
      }, 200);
      cleanups.push(async () => {
        clearInterval(watchInboxes);
        await Promise.all([...inboxPollers.values()].map((p) => p.stop()));
      });
    }

    const scheduled = new Map<string, AnyHandler>();
    const runScheduled = async (name: 'sweeper' | 'retention') => {
      let handler = scheduled.get(name);
      if (!handler) {
        handler = await loadHandler(WORKERS[name].handler);
        scheduled.set(name, handler);
      }
      const run = handler;
      const event = {
        source: 'local.scheduler',
        'detail-type': 'Scheduled Event',
        time: clock.now().toISOString(),
      };
      return invoke(name, event, () => run(event, lambdaContext(`cfm-${stage}-${name}`)));
    };
    if (options.workers !== false) {
      const timers = [
        setInterval(
          () => void runScheduled('sweeper').catch((e: Error) => log(`sweeper failed: ${e.name}`)),
          options.sweepEveryMs ?? 30_000,
        ),
        setInterval(
          () => void runScheduled('retention').catch((e: Error) => log(`retention failed: ${e.name}`)),
          options.retentionEveryMs ?? 10 * 60_000,
        ),
      ];
      cleanups.push(async () => {
        for (const t of timers) clearInterval(t);
      });
    }

    serve = (req, res) => {
      handle(req, res).catch((err: unknown) => {
        log(`local: request failed (${(err as Error).name}: ${(err as Error).message.slice(0, 200)})`);
        if (!res.headersSent)
          errorJson(res, 500, 'INTERNAL', 'Something went wrong on our side; try again later.');
        else res.end();
      });
    };

    return {
      url,
      port,
      platform,
      publicNumbers,
      dynamo,
      messaging,
      tokens,
      outbox,
      inbox,
      twilio: { accountSid: LOCAL_TWILIO.accountSid, authToken },
      gateway,
      streamPollers,
      clock,
      stopMessaging: controls.stopMessaging,
      startMessaging: controls.startMessaging,
      runScheduled,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * An SNS envelope or a raw message, as it sits in an inbox queue, turned into an inbox entry. An inbox stands in
 * for an e-mail address or a phone: the entry keeps the message's JSON (`message`) and, when it was published
 * with texts for those protocols, what the e-mail or the SMS would say (`texts`).
 */
function inboxEntry(focalPointId: string, messageId: string, body: string): InboxEntry {
  let message: unknown = body;
  let texts: InboxEntry['texts'];
  let subject: string | undefined;
  const attributes: Record<string, string> = {};
  try {
    const envelope = JSON.parse(body) as {
      Type?: string;
      Message?: string;
      Subject?: string;
      MessageAttributes?: Record<string, { Value: string }>;
    };
    if (envelope.Type === 'Notification' && typeof envelope.Message === 'string') {
      subject = envelope.Subject;
      for (const [k, v] of Object.entries(envelope.MessageAttributes ?? {})) attributes[k] = v.Value;
      const structured = perProtocolTexts(envelope.Message);
      if (structured) {
        texts = {
          ...(structured.sms !== undefined ? { sms: structured.sms } : {}),
          ...(structured.email !== undefined ? { email: structured.email } : {}),
        };
        envelope.Message = structured.default;
      }
      try {
        message = JSON.parse(envelope.Message as string);
      } catch {
        message = envelope.Message;
      }
    } else {
      message = envelope;
    }
  } catch {
    // plain text
  }
  return {
    at: new Date().toISOString(),
    focalPointId,
    messageId,
    ...(subject ? { subject } : {}),
    message,
    ...(texts ? { texts } : {}),
    attributes,
  };
}

export type { APIGatewayProxyEventV2 };
