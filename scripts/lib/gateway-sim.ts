/**
 * The local SMS gateway side of the phone simulator: plays the relay phone receiving an SMS, posting the
 * `sms:received` webhook signed as "SMS Gateway for Android" signs it, then reads the answer the platform asked the
 * relay to send (the local stack's fake relay records it: `GET /dev/gateway`).
 */
import { newGatewayEventId, postGatewayEvent } from '#local/fake-gateway.ts';
import { gatewaySenderE164 } from '#shared/intake/transports/gateway.ts';
import { StackUnreachableError } from './twilio-sim.ts';

export const GATEWAY_PATH = '/webhooks/gateway/sms';

export interface GatewayTarget {
  url: string;
  signingKey: string;
}

export interface GatewaySmsToSend {
  /** As the phone reports it: `+9647701234567`, or national `07701234567`. */
  from: string;
  body: string;
  /** Reuse an event id to play the relay's retry of the same delivery. */
  eventId?: string;
}

export interface GatewaySmsOutcome {
  status: number;
  eventId: string;
  /** What the platform asked the relay to send to the sender because of this message. */
  replies: string[];
  error?: string;
}

interface RelayedMessage {
  id: string;
  to: string;
  text: string;
}

/** The local admin's token: the stack's `/dev/…` routes (the fake relay's record, `idle`) answer only it. */
async function adminAuth(target: GatewayTarget): Promise<{ authorization: string }> {
  const res = await fetch(`${target.url}/dev/token`, {
    method: 'POST',
    body: JSON.stringify({ role: 'admin' }),
  });
  if (res.status !== 200) throw new Error(`the local stack issued no admin token (HTTP ${res.status})`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

async function relayed(
  target: GatewayTarget,
  to: string,
  auth: { authorization: string },
): Promise<RelayedMessage[]> {
  const res = await fetch(`${target.url}/dev/gateway?to=${encodeURIComponent(to)}`, { headers: auth });
  if (res.status !== 200) throw new Error(`GET /dev/gateway answered HTTP ${res.status}`);
  return ((await res.json()) as { messages: RelayedMessage[] }).messages;
}

/** Sends one SMS through the (fake) relay to the platform and returns the answers the relay was asked to send. */
export async function sendThroughGateway(
  target: GatewayTarget,
  sms: GatewaySmsToSend,
): Promise<GatewaySmsOutcome> {
  const eventId = sms.eventId ?? newGatewayEventId();
  const to = gatewaySenderE164(sms.from) ?? sms.from;
  let auth: { authorization: string };
  let before: RelayedMessage[];
  let res: { status: number; body: string };
  try {
    auth = await adminAuth(target);
    before = await relayed(target, to, auth);
    res = await postGatewayEvent(`${target.url}${GATEWAY_PATH}`, target.signingKey, {
      event: 'sms:received',
      id: eventId,
      payload: {
        messageId: newGatewayEventId(),
        message: sms.body,
        phoneNumber: sms.from,
        simNumber: 1,
        receivedAt: new Date().toISOString(),
      },
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND')
      throw new StackUnreachableError(target.url);
    throw err;
  }
  if (res.status < 200 || res.status >= 300) {
    let error = `HTTP ${res.status}`;
    try {
      const parsed = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
      if (parsed.error?.code) error = `${parsed.error.code}: ${parsed.error.message ?? ''}`.trim();
    } catch {
      // not JSON
    }
    return { status: res.status, eventId, replies: [], error };
  }
  // The answer is queued, then handed to the relay from the table stream: wait until the stream has caught up.
  await fetch(`${target.url}/dev/idle?timeoutMs=30000`, {
    headers: auth,
    signal: AbortSignal.timeout(35_000),
  });
  const seen = new Set(before.map((m) => m.id));
  const replies = (await relayed(target, to, auth)).filter((m) => !seen.has(m.id)).map((m) => m.text);
  return { status: res.status, eventId, replies };
}
