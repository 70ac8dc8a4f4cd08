/**
 * Plays Twilio towards the platform: posts form-encoded webhooks signed with `X-Twilio-Signature` exactly as
 * Twilio computes it (the Twilio SDK's own signing function over the public URL and every field).
 */
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';

export interface SimTarget {
  /** Where requests are sent (the local stack). */
  url: string;
  /** The URL Twilio signs over, as the platform's PUBLIC_BASE_URL; usually the same as `url`. */
  publicBaseUrl: string;
  authToken: string;
  accountSid: string;
}

export interface SimResponse {
  status: number;
  body: string;
  headers: Headers;
}

/** A fresh SID such as Twilio gives: two letters and 32 hex digits. */
export const newSid = (prefix: 'SM' | 'MM' | 'CA' | 'RE' | 'TR'): string =>
  `${prefix}${randomBytes(16).toString('hex')}`;

/** The local stack is not there: a message that says what to do. */
export class StackUnreachableError extends Error {
  constructor(url: string) {
    super(
      `Nothing answers at ${url}. Start the local stack with \`npm start\` (it prints its URL), or pass --url ` +
        'with the address it listens on.',
    );
    this.name = 'StackUnreachableError';
  }
}

/** The address to send to for a URL on the public base (TwiML and callbacks carry public URLs). */
export function localAddress(target: SimTarget, publicUrl: string): string {
  const base = target.publicBaseUrl.replace(/\/$/, '');
  return publicUrl.startsWith(base)
    ? `${target.url.replace(/\/$/, '')}${publicUrl.slice(base.length)}`
    : publicUrl;
}

/** Posts `params` to `publicUrl` (a URL on the public base, or a path) with Twilio's signature. */
export async function postSigned(
  target: SimTarget,
  publicUrl: string,
  params: Record<string, string>,
  options: { signature?: string } = {},
): Promise<SimResponse> {
  const url = publicUrl.startsWith('/')
    ? `${target.publicBaseUrl.replace(/\/$/, '')}${publicUrl}`
    : publicUrl;
  const signature = options.signature ?? getExpectedTwilioSignature(target.authToken, url, params);
  const address = localAddress(target, url);
  let res: Response;
  try {
    res = await fetch(address, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-twilio-signature': signature,
        'user-agent': 'TwilioProxy/1.1 (cfm simulator)',
      },
      body: new URLSearchParams(params).toString(),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'ECONNRESET') {
      throw new StackUnreachableError(target.url);
    }
    throw err;
  }
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** A stable code from an error answer (JSON body or the IVR's `x-error-code` header), for messages. */
export function errorCode(res: SimResponse): string {
  const header = res.headers.get('x-error-code');
  if (header) return header;
  try {
    const parsed = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
    if (parsed.error?.code) return `${parsed.error.code}: ${parsed.error.message ?? ''}`.trim();
  } catch {
    // not JSON
  }
  return `HTTP ${res.status}`;
}

/**
 * Command-line flags: `--name value` or `--name=value` (repeatable ones collected), the `booleans` as bare switches,
 * and the rest as positional words.
 */
export function parseArgs(
  argv: readonly string[],
  booleans: readonly string[] = ['json', 'help'],
): { flags: Map<string, string[]>; words: string[] } {
  const flags = new Map<string, string[]>();
  const words: string[] = [];
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq > 0) add(name, arg.slice(eq + 1));
    else if (booleans.includes(name)) add(name, 'true');
    else {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      add(name, value);
      i++;
    }
  }
  return { flags, words };
}

/** The target from the flags and the environment, with the local stack's defaults. */
export function targetFrom(
  flags: Map<string, string[]>,
  defaults: { authToken: string; accountSid: string },
) {
  const one = (name: string) => flags.get(name)?.at(-1);
  const url = (
    one('url') ??
    process.env.PUBLIC_BASE_URL ??
    `http://localhost:${process.env.PORT ?? 3000}`
  ).replace(/\/$/, '');
  return {
    url,
    publicBaseUrl: (one('public-url') ?? url).replace(/\/$/, ''),
    authToken: one('token') ?? process.env.TWILIO_AUTH_TOKEN ?? defaults.authToken,
    accountSid: one('account-sid') ?? defaults.accountSid,
  } satisfies SimTarget;
}
