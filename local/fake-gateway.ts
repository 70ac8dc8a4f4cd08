/**
 * A stand-in for "SMS Gateway for Android" (an Android phone with a local SIM, or its Cloud/Private server), for the
 * local stack and the tests: it serves the relay's send API (`POST /3rdparty/v1/messages`, HTTP basic
 * authentication), records every message it is asked to send, and then plays the phone and the network: it posts
 * `sms:sent` and `sms:delivered` webhooks to the platform, signed as the app signs them (hex HMAC-SHA256 of the raw
 * body followed by `X-Timestamp`).
 *
 * `unavailable(n)` makes the next `n` send requests fail with 503, as a server whose phone cannot be reached would,
 * to see the platform retry.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gatewaySignature } from '#shared/intake/transports/gateway.ts';

export const FAKE_GATEWAY_API_PATH = '/3rdparty/v1';

export interface GatewayMessage {
  at: string;
  id: string;
  to: string;
  text: string;
  state: 'Pending' | 'Sent' | 'Delivered';
}

export interface FakeGatewayOptions {
  port: number;
  username: string;
  password: string;
  signingKey: string;
  /** Where the app posts its webhooks (the platform's `/webhooks/gateway/sms`). */
  webhookUrl: string;
  /** Whether to post delivery reports (on by default, as the app does with `withDeliveryReport`). */
  reports?: boolean;
}

/** A relay event id, like the app's (21 URL-safe characters). */
export const newGatewayEventId = (): string => randomBytes(16).toString('base64url').slice(0, 21);

/** Posts one event to a webhook as the app does: JSON body, `X-Signature`, `X-Timestamp`. */
export async function postGatewayEvent(
  webhookUrl: string,
  signingKey: string,
  event: { event: string; id?: string; payload: Record<string, unknown> },
  options: { timestamp?: string; signature?: string; deviceId?: string } = {},
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    deviceId: options.deviceId ?? 'local-relay-phone',
    event: event.event,
    id: event.id ?? newGatewayEventId(),
    payload: event.payload,
    webhookId: 'local-webhook',
  });
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': options.signature ?? gatewaySignature(signingKey, body, timestamp),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

export class FakeGateway {
  readonly messages: GatewayMessage[] = [];
  private server: Server | undefined;
  private failures = 0;

  constructor(private readonly options: FakeGatewayOptions) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${this.options.port}${FAKE_GATEWAY_API_PATH}`;
  }

  /** Makes the next `count` send requests fail with 503. */
  unavailable(count: number): void {
    this.failures = count;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.options.port, '127.0.0.1', ok);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // The platform's keep-alive connections would hold close() open, and with it the stack's shutdown.
    server?.closeAllConnections();
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== `${FAKE_GATEWAY_API_PATH}/messages`) {
      return reply(404, { message: 'Not Found' });
    }
    const expected = `Basic ${Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return reply(401, { message: 'Unauthorized' });
    if (this.failures > 0) {
      this.failures--;
      return reply(503, { message: 'Service Unavailable' });
    }
    let request: { id?: unknown; textMessage?: { text?: unknown }; phoneNumbers?: unknown };
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
    } catch {
      return reply(400, { message: 'Bad Request' });
    }
    const text = request.textMessage?.text;
    const to = Array.isArray(request.phoneNumbers) ? request.phoneNumbers : [];
    if (typeof text !== 'string' || !text || to.length !== 1 || typeof to[0] !== 'string') {
      return reply(400, { message: 'textMessage.text and one phone number are required' });
    }
    if (!/^\+[1-9][0-9]{6,14}$/.test(to[0])) return reply(400, { message: 'Invalid phone number' });
    const id = typeof request.id === 'string' && request.id ? request.id : newGatewayEventId();
    // The relay sends a message once per id: a repeated request gets the message it already has.
    const existing = this.messages.find((m) => m.id === id);
    if (existing)
      return reply(202, {
        id,
        state: existing.state,
        recipients: [{ phoneNumber: existing.to, state: existing.state }],
      });
    const message: GatewayMessage = { at: new Date().toISOString(), id, to: to[0], text, state: 'Pending' };
    this.messages.push(message);
    reply(202, { id, state: 'Pending', recipients: [{ phoneNumber: message.to, state: 'Pending' }] });
    if (this.options.reports !== false) void this.report(message);
  }

  /** The phone sends the SMS and the network confirms it: `sms:sent`, then `sms:delivered`. */
  private async report(message: GatewayMessage): Promise<void> {
    for (const [event, state, field] of [
      ['sms:sent', 'Sent', 'sentAt'],
      ['sms:delivered', 'Delivered', 'deliveredAt'],
    ] as const) {
      message.state = state;
      await postGatewayEvent(this.options.webhookUrl, this.options.signingKey, {
        event,
        payload: {
          messageId: message.id,
          phoneNumber: message.to,
          simNumber: 1,
          [field]: new Date().toISOString(),
        },
      }).catch(() => undefined);
    }
  }
}
