import type { GatewaySettings } from './platform.ts';

/**
 * The relay's send API ("SMS Gateway for Android": `POST <apiUrl>/messages`, HTTP basic authentication with the
 * app's or server's credentials). The platform gives each message its own id, so a request repeated after a
 * timeout is the same message to the relay, and the relay's delivery webhooks name that id.
 */
export interface GatewaySend {
  id: string;
  to: string;
  text: string;
}

/** The relay refused or could not take a message; `retryable` is false for a request it will never accept. */
export class GatewaySendError extends Error {
  readonly code = 'GATEWAY.SEND_FAILED';
  constructor(
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(`The gateway answered ${status}`);
    this.name = 'GatewaySendError';
  }
}

/** How long one send request may take before it is abandoned (and retried by the stream). */
const TIMEOUT_MS = 10_000;

/** Asks the relay to send one SMS; resolves with the state it reports (`Pending` at first). */
export async function sendThroughGateway(settings: GatewaySettings, message: GatewaySend): Promise<string> {
  const auth = Buffer.from(`${settings.username}:${settings.password}`).toString('base64');
  const res = await fetch(`${settings.apiUrl.replace(/\/$/, '')}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${auth}` },
    body: JSON.stringify({
      id: message.id,
      textMessage: { text: message.text },
      phoneNumbers: [message.to],
      withDeliveryReport: true,
      // Answers and outcomes are not bulk traffic; a day later they are stale.
      ttl: 86_400,
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => undefined)) as { state?: unknown } | undefined;
  if (!res.ok) throw new GatewaySendError(res.status, res.status >= 500 || res.status === 429);
  return typeof body?.state === 'string' ? body.state : 'Pending';
}
